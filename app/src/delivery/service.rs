//! The delivery target's checks, the paths and messages of a delivery,
//! and what members see of it.

use chrono::NaiveDate;
use sqlx::PgPool;

use crate::i18n::td_string;
use crate::lang::{self, model::Stored};

use super::{CredentialKind, DeliveryState, DeliveryTarget, DeliveryView};
use crate::{
    accounts::{Member, Role},
    db,
    error::AppError,
    settings::FrontMatterKind,
};

/// Saves the target (based on `target.version`) once every field is valid;
/// returns the new version.
pub async fn save_target(
    pool: &PgPool,
    target: DeliveryTarget,
    member: &Member,
) -> Result<i32, AppError> {
    let settings = db::settings::load(pool).await?;
    let target = check_target(target, settings.front_matter)?;
    db::deliveries::save_target(pool, &target, member.id)
        .await?
        .ok_or_else(|| {
            AppError::invalid(
                "version",
                td_string!(lang::current(), admin.delivery_err_saved_meanwhile),
            )
        })
}

/// The delivery of issue `number`, if it has one, as `member` sees it.
pub async fn view(
    pool: &PgPool,
    number: i32,
    member: &Member,
) -> Result<Option<DeliveryView>, AppError> {
    let view = db::deliveries::view(pool, number).await?;
    Ok(view.map(|view| {
        let view = worded(view);
        DeliveryView {
            can_retry: view.state == DeliveryState::Failed && member.role.includes(Role::Publisher),
            ..view
        }
    }))
}

/// The view with its last error in the reader's language, when the error
/// was stored as a message (the job writes English words beside it).
fn worded((view, stored): (DeliveryView, Option<Stored>)) -> DeliveryView {
    DeliveryView {
        error: lang::shown(stored, view.error),
        ..view
    }
}

/// Tries a failed delivery again now.
pub async fn retry(pool: &PgPool, number: i32) -> Result<DeliveryView, AppError> {
    if !db::deliveries::retry(pool, number).await? {
        return Err(AppError::invalid(
            "delivery",
            lang::fill(
                td_string!(lang::current(), admin.delivery_err_nothing_to_retry),
                &[("number", &number.to_string())],
            ),
        ));
    }
    db::deliveries::view(pool, number)
        .await?
        .map(worded)
        .ok_or(AppError::NotFound)
}

/// Zenn's rule for an article's slug.
pub fn zenn_slug_problem(slug: &str) -> Option<String> {
    let fits = (12..=50).contains(&slug.chars().count())
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    (!fits).then(|| {
        lang::fill(
            td_string!(lang::current(), admin.delivery_err_zenn_slug),
            &[("slug", slug)],
        )
    })
}

/// The slug of issue `number` of `date`.
pub fn slug(target: &DeliveryTarget, number: i32, date: NaiveDate) -> String {
    fill(&target.slug_template, number, date, "")
}

/// The file issue `number` of `date` is written to.
pub fn path(target: &DeliveryTarget, number: i32, date: NaiveDate) -> String {
    let slug = slug(target, number, date);
    fill(&target.path_template, number, date, &slug)
}

fn fill(template: &str, number: i32, date: NaiveDate, slug: &str) -> String {
    template
        .replace("{number}", &number.to_string())
        .replace("{date}", &date.format("%Y-%m-%d").to_string())
        .replace("{slug}", slug)
}

/// The commit message: "Publish Cloud Notes Weekly #30", and who did it.
pub fn commit_message(
    newsletter: &str,
    number: i32,
    reason: &str,
    publisher: Option<&str>,
) -> String {
    let (verb, done) = if reason == "republish" {
        ("Re-publish", "Re-published")
    } else {
        ("Publish", "Published")
    };
    let by = publisher.unwrap_or("a former member");
    format!("{verb} {newsletter} #{number}\n\n{done} by {by} with newsdesk.\n")
}

/// Checks and tidies a target; an enabled one must be complete.
pub fn check_target(
    mut t: DeliveryTarget,
    front_matter: FrontMatterKind,
) -> Result<DeliveryTarget, AppError> {
    for value in [
        &mut t.remote,
        &mut t.branch,
        &mut t.path_template,
        &mut t.slug_template,
        &mut t.author_name,
        &mut t.author_email,
        &mut t.credential_ref,
    ] {
        *value = value.trim().to_owned();
        if value.chars().any(char::is_control) {
            return Err(AppError::invalid(
                "remote",
                td_string!(lang::current(), admin.delivery_err_one_line),
            ));
        }
    }
    if t.remote.starts_with('-') || t.remote.contains("::") {
        return Err(AppError::invalid(
            "remote",
            td_string!(lang::current(), admin.delivery_err_remote),
        ));
    }
    // A token in the URL would be stored, shown back and printed by git.
    if url::Url::parse(&t.remote).is_ok_and(|url| url.password().is_some()) {
        return Err(AppError::invalid(
            "remote",
            td_string!(lang::current(), admin.delivery_err_token_in_url),
        ));
    }
    if t.enabled && t.remote.is_empty() {
        return Err(AppError::invalid(
            "remote",
            td_string!(lang::current(), admin.delivery_err_no_remote),
        ));
    }
    let branch_ok = !t.branch.is_empty()
        && !t.branch.starts_with(['-', '/', '.'])
        && !t.branch.ends_with(['/', '.'])
        && !t.branch.ends_with(".lock")
        && !t.branch.contains("..")
        && !t.branch.contains("//")
        && t.branch
            .chars()
            .all(|c| c.is_alphanumeric() || "-_./".contains(c));
    if !branch_ok {
        return Err(AppError::invalid(
            "branch",
            td_string!(lang::current(), admin.delivery_err_branch),
        ));
    }
    let sample_date = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap_or_default();
    let sample = path(&t, 30, sample_date);
    if t.path_template.is_empty()
        || t.path_template.starts_with('/')
        || t.path_template.contains('\\')
        || sample
            .split('/')
            .any(|part| part.is_empty() || part == "." || part == ".." || part == ".git")
    {
        return Err(AppError::invalid(
            "path_template",
            td_string!(lang::current(), admin.delivery_err_path),
        ));
    }
    if !t.path_template.contains("{number}")
        && !t.path_template.contains("{date}")
        && !(t.path_template.contains("{slug}")
            && (t.slug_template.contains("{number}") || t.slug_template.contains("{date}")))
    {
        return Err(AppError::invalid(
            "path_template",
            td_string!(lang::current(), admin.delivery_err_path_unique),
        ));
    }
    let zenn = front_matter == FrontMatterKind::Zenn || t.path_template.starts_with("articles/");
    if zenn && t.path_template.contains("{slug}") {
        for number in [1, 30, 9999] {
            if let Some(problem) = zenn_slug_problem(&slug(&t, number, sample_date)) {
                return Err(AppError::invalid("slug_template", problem));
            }
        }
    }
    if t.author_name.is_empty() || t.author_name.contains(['<', '>']) {
        return Err(AppError::invalid(
            "author_name",
            td_string!(lang::current(), admin.delivery_err_author_name),
        ));
    }
    if !t.author_email.contains('@') || t.author_email.contains(['<', '>', ' ']) {
        return Err(AppError::invalid(
            "author_email",
            td_string!(lang::current(), admin.delivery_err_author_email),
        ));
    }
    match t.credential_kind {
        CredentialKind::None => t.credential_ref.clear(),
        CredentialKind::SshKeyFile | CredentialKind::TokenFile => {
            if !t.credential_ref.starts_with('/') {
                return Err(AppError::invalid(
                    "credential_ref",
                    td_string!(lang::current(), admin.delivery_err_credential_path),
                ));
            }
        }
        CredentialKind::TokenEnv => {
            let mut chars = t.credential_ref.chars();
            let ok = chars
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
            if !ok {
                return Err(AppError::invalid(
                    "credential_ref",
                    td_string!(lang::current(), admin.delivery_err_credential_env),
                ));
            }
        }
    }
    Ok(t)
}

/// The git delivery target as saved.
pub async fn load_target(pool: &PgPool) -> Result<DeliveryTarget, AppError> {
    db::deliveries::load_target(pool).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zenn_target() -> DeliveryTarget {
        DeliveryTarget {
            enabled: true,
            remote: "git@github.com:team/zenn.git".into(),
            branch: "main".into(),
            path_template: "articles/{slug}.md".into(),
            slug_template: "cloud-notes-weekly-{number}".into(),
            author_name: "newsdesk".into(),
            author_email: "newsdesk@example.com".into(),
            credential_kind: CredentialKind::SshKeyFile,
            credential_ref: "/etc/newsdesk/deploy_key".into(),
            version: 1,
        }
    }

    #[test]
    fn paths_and_slugs_fill_their_templates() {
        let date = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
        let target = zenn_target();
        assert_eq!(path(&target, 30, date), "articles/cloud-notes-weekly-30.md");
        let hugo = DeliveryTarget {
            path_template: "content/posts/{date}-{number}.md".into(),
            ..zenn_target()
        };
        assert_eq!(path(&hugo, 7, date), "content/posts/2026-12-04-7.md");
    }

    #[test]
    fn zenn_slugs_are_checked() {
        let short = DeliveryTarget {
            slug_template: "w{number}".into(),
            ..zenn_target()
        };
        let error = check_target(short, FrontMatterKind::Zenn).unwrap_err();
        assert!(error.to_string().contains("12–50"), "{error}");
        let upper = DeliveryTarget {
            slug_template: "Cloud-Notes-{number}".into(),
            ..zenn_target()
        };
        assert!(check_target(upper, FrontMatterKind::Zenn).is_err());
        assert!(check_target(zenn_target(), FrontMatterKind::Zenn).is_ok());
    }

    #[test]
    fn paths_stay_inside_the_repository() {
        for template in [
            "../{number}.md",
            "/etc/{number}",
            ".git/hooks/{number}",
            "posts/static.md",
        ] {
            let target = DeliveryTarget {
                path_template: template.into(),
                ..zenn_target()
            };
            assert!(
                check_target(target, FrontMatterKind::Yaml).is_err(),
                "{template} accepted"
            );
        }
    }

    #[test]
    fn credentials_are_references() {
        let token_in_field = DeliveryTarget {
            credential_kind: CredentialKind::TokenEnv,
            credential_ref: "ghp_abc-123".into(),
            ..zenn_target()
        };
        assert!(check_target(token_in_field, FrontMatterKind::Zenn).is_err());
        let token_in_url = DeliveryTarget {
            remote: "https://x-access-token:ghp_secret@github.com/team/blog.git".into(),
            ..zenn_target()
        };
        let error = check_target(token_in_url, FrontMatterKind::Zenn).unwrap_err();
        assert!(!error.to_string().contains("ghp_secret"), "{error}");
    }
}
