//! Importing back issues, after authorization: each file read, numbered
//! and dated, then written as a published issue (snapshot, sections,
//! picks, and each pick's link as a candidate already picked in it, so
//! "covered in #N" knows the history), one transaction per file. Safe to
//! repeat: the same issue again changes nothing; a number another issue
//! has is refused; a file that is no issue fails alone.

use chrono::{NaiveDate, NaiveTime};
use sqlx::PgPool;

use super::{
    parse::{parse_issue, ParsedIssue, MAX_IMPORT_BYTES},
    FileOutcome, FileReport, ImportBatch,
};
use crate::{
    db::{events, imports, issue_sections, settings},
    error::AppError,
    i18n::td_string,
    lang,
    links::article_url_key,
    publish::snapshot,
    render::{issue_html, IssueDoc},
    settings::Settings,
};

/// Most files in one upload.
pub const MAX_FILES: usize = 500;

/// A file as it arrived: its name and bytes.
pub struct ImportFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// A file read and placed: what it becomes, or why it cannot be imported.
pub struct Planned {
    name: String,
    issue: Result<(ParsedIssue, i32, NaiveDate), String>,
}

/// Reads every file and gives each its number and date: its own (the
/// intro's `今回は第N回目`, the front matter), else `first_number` counted
/// up over the files in date order. Files come back in date order, the
/// unreadable ones first (they fail at once).
pub fn plan(files: Vec<ImportFile>, first_number: Option<i32>) -> Vec<Planned> {
    let mut read: Vec<(String, Result<ParsedIssue, String>)> = files
        .into_iter()
        .map(|file| {
            let parsed = parse_issue(&file.bytes).map_err(|problem| problem.0);
            (file.name, parsed)
        })
        .collect();
    read.sort_by_key(|(name, parsed)| (parsed.as_ref().ok().and_then(|p| p.date), name.clone()));
    let mut next = first_number;
    let locale = lang::current();
    read.into_iter()
        .map(|(name, parsed)| {
            let issue = parsed.and_then(|parsed| {
                let date = parsed
                    .date
                    .ok_or_else(|| td_string!(locale, inbox.import_no_date).to_owned())?;
                let counted = next;
                next = next.map(|n| n + 1);
                let number = parsed
                    .number
                    .or(counted)
                    .ok_or_else(|| td_string!(locale, inbox.import_no_number).to_owned())?;
                Ok((parsed, number, date))
            });
            Planned { name, issue }
        })
        .collect()
}

/// Imports one planned file (see [`plan`]) in its own transaction.
pub async fn import_planned(
    pool: &PgPool,
    planned: Planned,
    member_id: Option<i64>,
) -> Result<FileReport, AppError> {
    match planned.issue {
        Err(message) => Ok(FileReport::failed(&planned.name, message)),
        Ok((parsed, number, date)) => {
            let settings = settings::load(pool).await?;
            import_one(
                pool,
                &settings,
                &planned.name,
                parsed,
                number,
                date,
                member_id,
            )
            .await
        }
    }
}

/// Refuses files that are too big before they are read; the message goes
/// into that file's report.
pub fn check_size(bytes: usize) -> Result<(), String> {
    if bytes > MAX_IMPORT_BYTES {
        return Err(lang::fill(
            td_string!(lang::current(), inbox.import_too_big),
            &[
                ("size", &bytes.div_ceil(1024 * 1024).to_string()),
                ("max", &(MAX_IMPORT_BYTES / (1024 * 1024)).to_string()),
            ],
        ));
    }
    Ok(())
}

/// What the database holds at most, checked before anything is written,
/// so nothing is cut short.
fn within_limits(doc: &IssueDoc) -> Result<(), String> {
    let long = |text: &str, max: usize| text.chars().count() > max;
    let locale = lang::current();
    if long(&doc.closing_heading, 100) {
        return Err(td_string!(locale, inbox.import_closing_long).into());
    }
    for section in &doc.sections {
        if section.title.trim().is_empty() || long(section.title.trim(), 100) {
            return Err(lang::fill(
                td_string!(locale, inbox.import_section_heading),
                &[("heading", section.title.trim())],
            ));
        }
        for pick in &section.picks {
            if long(pick.title.trim(), 500) || long(&pick.link_title, 500) {
                return Err(lang::fill(
                    td_string!(locale, inbox.import_pick_title_long),
                    &[("title", &pick.title.chars().take(40).collect::<String>())],
                ));
            }
            if pick.title.trim().is_empty() && pick.url.trim().is_empty() {
                return Err(lang::fill(
                    td_string!(locale, inbox.import_pick_empty),
                    &[("section", section.title.trim())],
                ));
            }
            if long(&pick.excerpt, 2000) {
                return Err(lang::fill(
                    td_string!(locale, inbox.import_excerpt_long),
                    &[("title", pick.title.trim())],
                ));
            }
        }
    }
    Ok(())
}

/// The headline that, put into the title template, gives `title`; the
/// whole title when the template does not fit it.
fn headline_of(settings: &Settings, title: &str, number: i32, date: NaiveDate) -> String {
    if settings.title("", number, date) == title {
        return String::new();
    }
    const MARK: &str = "\u{1}";
    let marked = settings.title(MARK, number, date);
    if let Some((before, after)) = marked.split_once(MARK) {
        if let Some(middle) = title
            .strip_prefix(before)
            .and_then(|rest| rest.strip_suffix(after))
        {
            if !middle.trim().is_empty() {
                return middle.trim().to_owned();
            }
        }
    }
    title.to_owned()
}

async fn import_one(
    pool: &PgPool,
    settings: &Settings,
    file: &str,
    parsed: ParsedIssue,
    number: i32,
    date: NaiveDate,
    member_id: Option<i64>,
) -> Result<FileReport, AppError> {
    let mut doc = parsed.doc();
    doc.date = Some(date);
    if let Err(message) = within_limits(&doc) {
        return Ok(FileReport::failed(file, message));
    }
    let stored = snapshot::encode(&doc)?;
    let report = |outcome| FileReport {
        file: file.to_owned(),
        outcome,
        notes: parsed.report.clone(),
    };
    let mut tx = pool.begin().await?;
    if let Some((state, format, existing)) = imports::existing(&mut tx, number).await? {
        let same = state == "published"
            && existing
                .is_some_and(|value| snapshot::decode(format, value).ok() == Some(doc.clone()));
        return Ok(if same {
            report(FileOutcome::Unchanged { number })
        } else {
            FileReport::failed(
                file,
                lang::fill(
                    td_string!(lang::current(), inbox.import_number_taken),
                    &[("number", &number.to_string())],
                ),
            )
        });
    }
    if let Some(other) = imports::published_like(&mut tx, date, &doc.title).await? {
        return Ok(FileReport::failed(
            file,
            lang::fill(
                td_string!(lang::current(), inbox.import_duplicate),
                &[("number", &other.to_string())],
            ),
        ));
    }
    let published_at = date.and_time(NaiveTime::MIN).and_utc();
    let headline = headline_of(settings, &doc.title, number, date);
    let issue_id = imports::insert_published(
        &mut tx,
        &imports::NewPublished {
            number,
            date,
            headline: &headline,
            intro: &doc.intro,
            closing_heading: &doc.closing_heading,
            closing: &doc.closing,
            snapshot: stored,
            snapshot_format: snapshot::FORMAT,
            html: &issue_html(&doc),
            published_at,
            member_id,
        },
    )
    .await?;
    let linked = write_picks(&mut tx, issue_id, &doc, published_at).await?;
    // Open inboxes show these links as covered now.
    events::candidates_changed(&mut tx, linked).await?;
    tx.commit().await?;
    Ok(report(FileOutcome::Imported {
        number,
        title: doc.title.clone(),
    }))
}

/// The issue's sections (saved ones reused by title, others saved for
/// it) and its picks, each link a candidate. Returns the candidates.
async fn write_picks(
    conn: &mut sqlx::PgConnection,
    issue_id: i64,
    doc: &IssueDoc,
    published_at: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<i64>, AppError> {
    let mut linked = Vec::new();
    for section in &doc.sections {
        let title = section.title.trim();
        let section_id = match issue_sections::saved_titled(conn, title).await? {
            Some(id) => id,
            None => issue_sections::save_extra(conn, title).await?,
        };
        if !issue_sections::append(conn, issue_id, section_id, title).await? {
            // The same heading twice in one issue: its picks join the first.
            tracing::info!(issue_id, title, "section heading repeated in an import");
        }
        let mut position = issue_sections::picks_in(conn, issue_id, section_id).await? as i32;
        for pick in &section.picks {
            position += 1;
            let url = pick.url.trim();
            let url_key = article_url_key(url);
            let candidate_id = match &url_key {
                Some(key) => Some(
                    imports::candidate_for_link(
                        conn,
                        url,
                        key,
                        if pick.link_title.trim().is_empty() {
                            &pick.title
                        } else {
                            &pick.link_title
                        },
                        &pick.excerpt,
                        published_at,
                    )
                    .await?,
                ),
                None => None,
            };
            linked.extend(candidate_id);
            let title = pick.title.trim();
            imports::insert_pick(
                conn,
                &imports::NewImportedPick {
                    issue_id,
                    section_id,
                    position,
                    candidate_id,
                    url,
                    url_key: url_key.as_deref(),
                    title: if title.is_empty() { url } else { title },
                    commentary: &pick.commentary,
                    layout: pick.layout.as_str(),
                    link_title: &pick.link_title,
                    excerpt: &pick.excerpt,
                },
            )
            .await?;
        }
    }
    Ok(linked)
}

/// Imports an upload in the background, one report per file as it goes,
/// into batch `batch_id` (see [`start_batch`]).
pub async fn run_batch(
    pool: PgPool,
    batch_id: i64,
    files: Vec<ImportFile>,
    first_number: Option<i32>,
    member_id: Option<i64>,
) {
    let mut result = Ok(());
    let locale = lang::current();
    for planned in plan(files, first_number) {
        match import_planned(&pool, planned, member_id).await {
            Ok(report) => {
                if let Err(error) = add_report(&pool, batch_id, &report).await {
                    result = Err(error);
                    break;
                }
            }
            Err(error) => {
                result = Err(error);
                break;
            }
        }
    }
    let error = result.err().map(|error| {
        tracing::error!(%error, batch_id, "import stopped");
        td_string!(locale, inbox.import_db_error).to_owned()
    });
    if let Err(error) = imports::finish_batch(&pool, batch_id, error.as_deref()).await {
        tracing::error!(%error, batch_id, "finishing an import");
    }
}

/// Adds one file's report to batch `batch_id`.
pub async fn add_report(pool: &PgPool, batch_id: i64, report: &FileReport) -> Result<(), AppError> {
    let value =
        serde_json::to_value(report).map_err(|error| AppError::internal("import report", error))?;
    imports::add_report(pool, batch_id, value).await
}

/// Records an upload of `total` files; returns the batch's id.
pub async fn start_batch(
    pool: &PgPool,
    member_id: Option<i64>,
    total: usize,
) -> Result<i64, AppError> {
    imports::create_batch(pool, member_id, total.min(i32::MAX as usize) as i32).await
}

/// Batches cut short by a stop of newsdesk say so (at start).
pub async fn stop_unfinished(pool: &PgPool) -> Result<(), AppError> {
    let stopped =
        imports::stop_unfinished(pool, td_string!(lang::current(), inbox.import_interrupted))
            .await?;
    if stopped > 0 {
        tracing::warn!(stopped, "imports of back issues were cut short by a stop");
    }
    Ok(())
}

/// How far an upload got.
pub async fn batch(pool: &PgPool, batch_id: i64) -> Result<ImportBatch, AppError> {
    let (total, reports, finished, error) = imports::batch(pool, batch_id).await?;
    let reports: Vec<FileReport> = serde_json::from_value(reports)
        .map_err(|error| AppError::internal("import reports", error))?;
    Ok(ImportBatch {
        id: batch_id,
        total,
        reports,
        finished,
        error,
    })
}
