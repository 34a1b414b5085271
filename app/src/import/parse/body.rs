//! The body: intro, `##` sections, `###` picks in each layout, the closing
//! part.

use super::*;

pub(super) struct Body {
    pub(super) heading_title: Option<String>,
    pub(super) intro: String,
    pub(super) sections: Vec<SectionDoc>,
    pub(super) closing_heading: String,
    pub(super) closing: String,
    pub(super) report: Vec<String>,
}

pub(super) struct RawSection {
    pub(super) title: String,
    pub(super) heading_source: String,
    /// Text between the heading and the first pick (all of it when the
    /// section has no picks).
    pub(super) lead: String,
    pub(super) picks: Vec<RawPick>,
}

pub(super) struct RawPick {
    pub(super) doc: PickDoc,
    /// The layout its link was written in; `None` for a pick without one.
    pub(super) layout: Option<PickLayout>,
}

pub(super) fn read_body(
    body: &str,
    title_from_heading: bool,
    top_report: &mut Vec<String>,
) -> Result<Body, NotAnIssue> {
    let locale = lang::current();
    let separator = td_string!(locale, inbox.import_list_separator);
    let mut report = Vec::new();
    let events: Vec<Spanned<'_>> = Parser::new_ext(body, Options::ENABLE_TABLES)
        .into_offset_iter()
        .collect();
    let blocks = split_blocks(&events);

    let mut first = 0;
    let mut intro_start = 0;
    let mut heading_title = None;
    if let Some(block) = blocks.first() {
        if title_from_heading && block.kind == Kind::Heading(HeadingLevel::H1) {
            let plain = plain_text(block.inner);
            if !plain.dropped.is_empty() {
                top_report.push(lang::fill(
                    td_string!(locale, inbox.import_title_formatting),
                    &[("dropped", &plain.dropped.join(separator))],
                ));
            }
            heading_title = Some(plain.text);
            intro_start = block.range.end;
            first = 1;
        }
    }
    let h2s: Vec<usize> = (first..blocks.len())
        .filter(|&i| blocks[i].kind == Kind::Heading(HeadingLevel::H2))
        .collect();
    let intro_end = h2s.first().map_or(body.len(), |&i| blocks[i].range.start);
    let mut intro = trim_blank_lines(&body[intro_start.min(intro_end)..intro_end]).to_owned();
    for block in &blocks[first..h2s.first().copied().unwrap_or(blocks.len())] {
        if block.kind == Kind::Heading(HeadingLevel::H3) {
            report.push(lang::fill(
                td_string!(locale, inbox.import_h3_before_section),
                &[("heading", &plain_text(block.inner).text)],
            ));
        }
    }

    let mut raw = Vec::new();
    for (n, &h2) in h2s.iter().enumerate() {
        let next = h2s.get(n + 1).copied().unwrap_or(blocks.len());
        let end = blocks.get(next).map_or(body.len(), |b| b.range.start);
        let heading = &blocks[h2];
        let plain = plain_text(heading.inner);
        if !plain.dropped.is_empty() {
            report.push(lang::fill(
                td_string!(locale, inbox.import_section_formatting),
                &[
                    ("dropped", &plain.dropped.join(separator)),
                    ("section", &plain.text),
                ],
            ));
        }
        let h3s: Vec<usize> = (h2 + 1..next)
            .filter(|&i| blocks[i].kind == Kind::Heading(HeadingLevel::H3))
            .collect();
        let lead_end = h3s.first().map_or(end, |&i| blocks[i].range.start);
        let mut section = RawSection {
            title: plain.text,
            heading_source: heading_source(heading, body).to_owned(),
            lead: trim_blank_lines(&body[heading.range.end.min(lead_end)..lead_end]).to_owned(),
            picks: Vec::new(),
        };
        for (k, &h3) in h3s.iter().enumerate() {
            let next_pick = h3s.get(k + 1).copied().unwrap_or(next);
            let pick_end = blocks.get(next_pick).map_or(body.len(), |b| b.range.start);
            let pick_end = pick_end.min(end);
            let pick = read_pick(
                &blocks[h3],
                &blocks[h3 + 1..next_pick],
                pick_end,
                body,
                &section.title,
                &mut report,
            );
            section.picks.push(pick);
        }
        raw.push(section);
    }

    if raw.iter().all(|section| section.picks.is_empty()) {
        return Err(refuse(td_string!(locale, inbox.import_not_an_issue)));
    }

    // Picks without a link of their own take the issue's usual layout.
    let mut counts: Vec<(PickLayout, usize)> = Vec::new();
    for layout in raw
        .iter()
        .flat_map(|s| &s.picks)
        .filter_map(|pick| pick.layout)
    {
        match counts.iter_mut().find(|(l, _)| *l == layout) {
            Some((_, count)) => *count += 1,
            None => counts.push((layout, 1)),
        }
    }
    let mut dominant = PickLayout::default();
    let mut best = 0;
    for (layout, count) in counts {
        if count > best {
            dominant = layout;
            best = count;
        }
    }

    let closing_at = raw
        .last()
        .filter(|section| section.picks.is_empty())
        .map(|_| raw.len() - 1);
    let mut closing_heading = String::new();
    let mut closing = String::new();
    let mut sections: Vec<SectionDoc> = Vec::new();
    for (n, section) in raw.into_iter().enumerate() {
        if Some(n) == closing_at {
            if section.lead.is_empty() {
                report.push(lang::fill(
                    td_string!(locale, inbox.import_last_section_empty),
                    &[("section", &section.title)],
                ));
            }
            closing_heading = section.title;
            closing = section.lead;
            continue;
        }
        // Where the text is kept: the last pick's commentary, else the intro.
        let (kept, after_pick) = match sections.last_mut().and_then(|s| s.picks.last_mut()) {
            Some(pick) => (&mut pick.commentary, Some(pick.title.clone())),
            None => (&mut intro, None),
        };
        let kept_note = |in_commentary, in_intro| match &after_pick {
            Some(pick) => lang::fill(
                in_commentary,
                &[("section", &section.title), ("pick", pick)],
            ),
            None => lang::fill(in_intro, &[("section", &section.title)]),
        };
        if section.picks.is_empty() {
            let mut text = String::new();
            if !section.heading_source.is_empty() {
                text = format!("**{}**", section.heading_source);
            }
            append(&mut text, &section.lead);
            append(kept, &text);
            report.push(kept_note(
                td_string!(locale, inbox.import_section_no_picks_commentary),
                td_string!(locale, inbox.import_section_no_picks_intro),
            ));
            continue;
        }
        if !section.lead.is_empty() {
            append(kept, &section.lead);
            report.push(kept_note(
                td_string!(locale, inbox.import_lead_commentary),
                td_string!(locale, inbox.import_lead_intro),
            ));
        }
        sections.push(SectionDoc {
            title: section.title,
            picks: section
                .picks
                .into_iter()
                .map(|pick| PickDoc {
                    layout: pick.layout.unwrap_or(dominant),
                    ..pick.doc
                })
                .collect(),
        });
    }

    Ok(Body {
        heading_title,
        intro,
        sections,
        closing_heading,
        closing,
        report,
    })
}

/// One `### ` pick: its title and link from the heading and the block
/// after it, and its commentary up to `end`.
pub(super) fn read_pick(
    heading: &Block<'_>,
    after: &[Block<'_>],
    end: usize,
    body: &str,
    section: &str,
    report: &mut Vec<String>,
) -> RawPick {
    let locale = lang::current();
    let mut doc = PickDoc::default();
    let mut layout = None;
    let mut commentary_start = heading.range.end;
    let title_events = match sole_link(heading.inner) {
        Some((_, url, text)) => {
            doc.url = url.to_owned();
            layout = Some(PickLayout::LinkedHeading);
            text
        }
        None => heading.inner,
    };
    let title = plain_text(title_events);
    doc.title = title.text;
    if !title.dropped.is_empty() {
        report.push(lang::fill(
            td_string!(locale, inbox.import_pick_formatting),
            &[
                (
                    "dropped",
                    &title
                        .dropped
                        .join(td_string!(locale, inbox.import_list_separator)),
                ),
                ("pick", &doc.title),
                ("section", section),
            ],
        ));
    }
    if layout.is_none() {
        if let Some(first) = after.first() {
            match first.kind {
                Kind::Paragraph => {
                    if let Some(url) = card_url(first, body) {
                        doc.url = url;
                        layout = Some(PickLayout::HeadingCard);
                        commentary_start = first.range.end;
                    }
                }
                Kind::Html => {
                    let html = &body[first.range.clone()];
                    if let Some(embed) = read_embed(html) {
                        doc.url = embed.url;
                        doc.link_title = embed.link_title;
                        doc.excerpt = embed.excerpt;
                        layout = Some(PickLayout::HeadingQuote);
                        let rest = html[embed.end..].trim();
                        if rest.is_empty() {
                            commentary_start = first.range.end;
                        } else if is_embed_script(rest) {
                            commentary_start = first.range.end;
                            report.push(lang::fill(
                                td_string!(locale, inbox.import_embed_script),
                                &[("pick", &doc.title), ("section", section)],
                            ));
                        } else {
                            commentary_start = first.range.start + embed.end;
                            report.push(lang::fill(
                                td_string!(locale, inbox.import_html_after_card),
                                &[("pick", &doc.title), ("section", section)],
                            ));
                        }
                    }
                }
                Kind::Quote => {
                    if let Some((url, link_title, excerpt)) = newsdesk_quote(first) {
                        doc.url = url;
                        doc.link_title = link_title;
                        doc.excerpt = excerpt;
                        layout = Some(PickLayout::HeadingQuote);
                        commentary_start = first.range.end;
                    }
                }
                Kind::Heading(_) | Kind::Other => {}
            }
        }
    }
    let commentary_start = commentary_start.min(end);
    doc.commentary = trim_blank_lines(&body[commentary_start..end]).to_owned();
    RawPick { doc, layout }
}

pub(super) fn looks_like_url(text: &str) -> bool {
    let lower = text.get(..8).unwrap_or(text).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// The URL of a paragraph that is a URL alone: bare, `<URL>` or
/// `[URL](URL)` (the renderer's form for URLs with spaces).
pub(super) fn card_url(paragraph: &Block<'_>, body: &str) -> Option<String> {
    let raw = body[paragraph.range.clone()].trim();
    if looks_like_url(raw) && !raw.contains(char::is_whitespace) {
        return Some(raw.to_owned());
    }
    let (link_type, dest, text) = sole_link(paragraph.inner)?;
    if link_type == LinkType::Autolink && looks_like_url(dest) {
        return Some(dest.to_owned());
    }
    if !is_plain(text) {
        return None;
    }
    let text = plain_text(text).text;
    let same = text == dest || percent_encode_like_renderer(&text) == dest;
    (same && looks_like_url(&text)).then_some(text)
}

/// What the renderer's `link_destination` percent-encodes.
pub(super) fn percent_encode_like_renderer(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            ' ' | '<' | '>' | '"' | '`' => out.push_str(&format!("%{:02X}", c as u32)),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// newsdesk's quote layout: `> [link title](url)`, then optionally `>` and
/// `> excerpt`, nothing else.
pub(super) fn newsdesk_quote(quote: &Block<'_>) -> Option<(String, String, String)> {
    let children = split_blocks(quote.inner);
    if children.is_empty()
        || children.len() > 2
        || children.iter().any(|c| c.kind != Kind::Paragraph)
    {
        return None;
    }
    let (_, url, text) = sole_link(children[0].inner)?;
    if !is_plain(text) {
        return None;
    }
    let excerpt = match children.get(1) {
        Some(paragraph) if is_plain(paragraph.inner) => plain_text(paragraph.inner).text,
        Some(_) => return None,
        None => String::new(),
    };
    Some((url.to_owned(), plain_text(text).text, excerpt))
}
