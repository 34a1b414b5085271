//! The importer's contract: the team's three layouts read into the
//! renderer's structure, rendered back unchanged, and files that are not
//! issues refused with a message naming the problem.
//!
//! Round trip: for the Zenn card and linked heading fixtures,
//! `render_issue(&parsed.doc())` equals the file byte for byte, with no
//! normalisation. The embed fixture cannot come back as written (exports
//! have no embed cards): its render is in the heading-and-quote layout,
//! and reading that render again gives the same structure.
//!
//! Long because each case is data: one test per layout and per refusal.

use chrono::NaiveDate;

use super::*;
use crate::render::{
    generated::{Rng, TITLE_PARTS},
    render_issue,
};

const EMBED: &str = include_str!("../../../../tests/fixtures/issues/2022-07-01-embed-style.md");
const ZENN: &str = include_str!("../../../../tests/fixtures/issues/2023-04-14-zenn-card-style.md");
const LINKED: &str = include_str!("../../../../tests/fixtures/issues/2023-04-21-linked-style.md");
const GOLDEN_HUGO: &str = include_str!("../../render/golden/hugo.md");
const GOLDEN_ZENN: &str = include_str!("../../render/golden/zenn.md");

fn parse(text: &str) -> ParsedIssue {
    parse_issue(text.as_bytes()).unwrap_or_else(|e| panic!("{e}\n---\n{text}"))
}

fn refused(bytes: &[u8]) -> String {
    match parse_issue(bytes) {
        Ok(issue) => panic!("expected a refusal, got {issue:#?}"),
        Err(NotAnIssue(message)) => message,
    }
}

fn section_titles(issue: &ParsedIssue) -> Vec<&str> {
    issue.sections.iter().map(|s| s.title.as_str()).collect()
}

/// (title, url, layout) of every pick, in order.
fn picks(issue: &ParsedIssue) -> Vec<(&str, &str, PickLayout)> {
    issue
        .sections
        .iter()
        .flat_map(|s| &s.picks)
        .map(|p| (p.title.as_str(), p.url.as_str(), p.layout))
        .collect()
}

fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

// --- the fixtures ----------------------------------------------------------

#[test]
fn embed_fixture() {
    let issue = parse(EMBED);
    assert_eq!(issue.title, "Cloud Notes Weekly (2022-07-01号)");
    assert_eq!(issue.number, Some(4));
    assert_eq!(issue.date, date(2022, 7, 1));
    assert_eq!(issue.front_matter, FrontMatter::Heading);
    assert_eq!(issue.rendering, Rendering::default());
    assert!(issue.intro.starts_with("ミドルウェアチームでは、"));
    assert!(issue.intro.ends_with("今回は第4回目の記事となります。"));
    assert_eq!(section_titles(&issue), ["👀 Notable Articles", "📘 Books"]);
    let q = PickLayout::HeadingQuote;
    assert_eq!(
        picks(&issue),
        [
            (
                "Scheduling batch jobs without tears",
                "https://blog.example.org/2022/06/batch-scheduling",
                q
            ),
            (
                "障害訓練の記録",
                "https://tech.example.co.jp/entry/2022/06/30/game-day",
                q
            ),
            // No link of its own: the issue's layout, no URL.
            ("インターンシップ", "", q),
            (
                "Operating Distributed Storage, 2nd Edition",
                "https://books.example.com/ods2",
                q
            ),
        ]
    );
    let all: Vec<&PickDoc> = issue.sections.iter().flat_map(|s| &s.picks).collect();
    assert_eq!(all[0].link_title, "Scheduling batch jobs without tears");
    assert!(all[0]
        .excerpt
        .starts_with("Batch workloads on shared clusters"));
    assert!(all[0].excerpt.ends_with("what each one costs to run."));
    assert_eq!(all[1].link_title, "障害訓練の記録 - Example Tech Blog");
    assert_eq!(
        all[1].excerpt,
        "ゲームデイを半年続けて分かったことをまとめました。"
    );
    assert_eq!(all[3].excerpt, "", "the excerpt `null` means none");
    // Commentary as written, related links included, no embed HTML.
    assert_eq!(
        all[0].commentary,
        "共有クラスタでバッチジョブをどう捌くかを比較している記事です。\n\
         キューイングの仕組みはコントローラーごとにかなり違うようです。\n\n\
         関連して、以下の記事も参考になります。\n\n\
         - [Queue fairness in practice](https://queue.example.net/fairness)\n\
         - [キューの優先度を設計する](https://zenn.example.jp/articles/queue-priority)"
    );
    assert!(all[2]
        .commentary
        .starts_with("ふたつの会社のインターンシップの成果報告です。"));
    assert!(all[2]
        .commentary
        .contains("- [脅威モデルを作り直す](https://eng.example.org/intern/threat-model)"));
    assert!(all[2].commentary.ends_with("どちらも実践的な内容でした。"));
    assert!(all.iter().all(|p| !p.commentary.contains("embedly")));
    assert_eq!(issue.closing_heading, "あとがき");
    assert_eq!(
        issue.closing,
        "来週は共有会がお休みなので、次回は再来週の予定です。"
    );
    assert!(issue.report.is_empty(), "{:?}", issue.report);
}

#[test]
fn zenn_card_fixture() {
    let issue = parse(ZENN);
    assert_eq!(
        issue.title,
        "ジョブキューの比較やストレージ運用本など: Cloud Notes Weekly (2023-04-14号)"
    );
    assert_eq!(issue.number, Some(28));
    assert_eq!(issue.date, date(2023, 4, 14));
    assert_eq!(
        issue.front_matter,
        FrontMatter::Zenn {
            emoji: "🐱".into(),
            kind: "idea".into(),
            topics: vec!["kubernetes".into(), "cloudnative".into()],
            published: true,
            published_at: None,
            publication_name: "example_team".into(),
        }
    );
    assert_eq!(
        issue.rendering,
        Rendering {
            line_breaks: true,
            link_cards: true
        }
    );
    assert_eq!(
        section_titles(&issue),
        [
            "👀 Notable Articles",
            "🛠️ Tools, Frameworks, Libraries",
            "🤝 Events"
        ]
    );
    let c = PickLayout::HeadingCard;
    assert_eq!(
        picks(&issue),
        [
            (
                "Scheduling batch jobs without tears",
                "https://blog.example.org/2023/04/batch-scheduling-again",
                c
            ),
            (
                "Kubernetes の Probe を見直す",
                "https://zenn.example.jp/articles/probe-review",
                c
            ),
            (
                "kubectl-example v1.2.0",
                "https://github.com/example-org/kubectl-example/releases/tag/v1.2.0",
                c
            ),
            (
                "Cloud Native Meetup Tokyo #99",
                "https://meetup.example.jp/events/99",
                c
            ),
        ]
    );
    // A bare URL further down is part of the commentary.
    assert_eq!(
        issue.sections[0].picks[0].commentary,
        "共有クラスタでバッチジョブをどう捌くかを比較している記事です。\n\
         以下の記事も参考になります。\n\n\
         https://queue.example.net/fairness-2023"
    );
    assert_eq!(issue.closing_heading, "あとがき");
    assert_eq!(
        issue.closing,
        "今回から Zenn のパブリケーションで公開しています。"
    );
    assert!(issue.report.is_empty(), "{:?}", issue.report);
}

#[test]
fn linked_fixture() {
    let issue = parse(LINKED);
    assert_eq!(
        issue.title,
        "Gateway API v9: Cloud Notes Weekly (2023-04-21号)"
    );
    assert_eq!(issue.number, Some(29));
    assert_eq!(issue.date, date(2023, 4, 21));
    assert_eq!(issue.front_matter, FrontMatter::Yaml { extra: vec![] });
    assert_eq!(issue.rendering, Rendering::default());
    assert_eq!(issue.intro, "今回は第29回目の記事となります。");
    assert_eq!(
        section_titles(&issue),
        ["👀 Notable Articles", "✨ Release Notes"]
    );
    let l = PickLayout::LinkedHeading;
    assert_eq!(
        picks(&issue),
        [
            (
                "Gateway API v9 is out",
                "https://gateway.example.org/blog/v9",
                l
            ),
            (
                "Scheduling batch jobs without tears",
                "https://blog.example.org/2022/06/batch-scheduling",
                l
            ),
            (
                "storage-operator v0.30.0",
                "https://github.com/example-org/storage-operator/releases/tag/v0.30.0",
                l
            ),
        ]
    );
    assert_eq!(
        issue.sections[1].picks[0].commentary,
        "バックアップ先を複数指定できるようになりました。"
    );
    // No final section without picks: no closing part.
    assert_eq!(issue.closing_heading, "");
    assert_eq!(issue.closing, "");
    assert!(issue.report.is_empty(), "{:?}", issue.report);
}

// --- round trips -----------------------------------------------------------

#[test]
fn zenn_and_linked_fixtures_render_back_exactly() {
    for (name, text) in [("zenn", ZENN), ("linked", LINKED)] {
        assert_eq!(render_issue(&parse(text).doc()), text, "{name}");
    }
}

/// newsdesk's own exports come back as they were, the title escapes
/// included.
#[test]
fn the_renderers_golden_exports_render_back_exactly() {
    for text in [GOLDEN_HUGO, GOLDEN_ZENN] {
        let issue = parse(text);
        assert_eq!(render_issue(&issue.doc()), text);
    }
    let hugo = parse(GOLDEN_HUGO);
    assert_eq!(
        hugo.front_matter,
        FrontMatter::Yaml {
            extra: vec![
                ("draft".into(), "false".into()),
                ("tags".into(), "kubernetes".into())
            ]
        }
    );
    assert_eq!(hugo.number, Some(31), "`#31` in the intro");
    assert_eq!(
        hugo.sections[0].picks[1].title,
        "# Not a heading <b>nor HTML</b> & `code`"
    );
    assert_eq!(
        hugo.sections[0].picks[1].url,
        "https://example.com/a%20path/(with)parens?q=1&r=2"
    );
}

#[test]
fn embed_fixture_renders_as_quotes_and_reads_back_the_same() {
    let first = parse(EMBED);
    let rendered = render_issue(&first.doc());
    assert!(!rendered.contains("embedly"), "{rendered}");
    assert!(rendered.starts_with("# Cloud Notes Weekly (2022-07-01号)\n\n"));
    assert!(rendered.contains(
        "### 障害訓練の記録\n\n\
         > [障害訓練の記録 - Example Tech Blog](https://tech.example.co.jp/entry/2022/06/30/game-day)\n\
         >\n\
         > ゲームデイを半年続けて分かったことをまとめました。\n\n"
    ));
    assert!(rendered.contains(
        "### Operating Distributed Storage, 2nd Edition\n\n\
         > [Operating Distributed Storage, 2nd Edition](https://books.example.com/ods2)\n\n"
    ));
    let second = parse(&rendered);
    assert_eq!(second.sections, first.sections);
    assert_eq!(second.intro, first.intro);
    assert_eq!(second.closing_heading, first.closing_heading);
    assert_eq!(second.closing, first.closing);
    assert_eq!(second.title, first.title);
    assert_eq!(second.number, first.number);
    assert_eq!(second.date, first.date);
    assert_eq!(render_issue(&second.doc()), rendered);
}

/// Titles, link titles and excerpts with Markdown's special characters
/// come back as written, in every layout.
#[test]
fn generated_titles_read_back_as_written() {
    let mut rng = Rng(0x5eed_1234_abcd_0042);
    for round in 0..300 {
        let layout = PickLayout::ALL[round % 3];
        let pick = |rng: &mut Rng, n: u64| PickDoc {
            title: rng.text(TITLE_PARTS, false),
            url: format!("https://example.com/{round}/{n}?a=1&b=(2)"),
            commentary: format!("Commentary {n}."),
            layout,
            link_title: rng.text(TITLE_PARTS, false),
            // An excerpt starting with `-`, `+` or `1.` would read as a
            // list; the generator starts it with a letter.
            excerpt: rng.text(TITLE_PARTS, true),
        };
        let doc = IssueDoc {
            title: rng.text(TITLE_PARTS, false),
            front_matter: FrontMatter::Heading,
            intro: "Intro.".into(),
            sections: vec![
                SectionDoc {
                    title: rng.text(TITLE_PARTS, false),
                    picks: vec![pick(&mut rng, 1), pick(&mut rng, 2)],
                },
                SectionDoc {
                    title: rng.text(TITLE_PARTS, false),
                    picks: vec![pick(&mut rng, 3)],
                },
            ],
            ..IssueDoc::default()
        };
        let rendered = render_issue(&doc);
        let issue = parse(&rendered);
        assert_eq!(issue.title, doc.title, "{rendered}");
        assert_eq!(issue.sections.len(), 2, "{rendered}");
        for (read, written) in issue.sections.iter().zip(&doc.sections) {
            assert_eq!(read.title, written.title, "{rendered}");
            for (read, written) in read.picks.iter().zip(&written.picks) {
                assert_eq!(read.title, written.title, "{rendered}");
                assert_eq!(read.url, written.url, "{rendered}");
                assert_eq!(read.layout, layout, "{rendered}");
                assert_eq!(read.commentary, written.commentary, "{rendered}");
                if layout == PickLayout::HeadingQuote {
                    assert_eq!(read.link_title, written.link_title, "{rendered}");
                    assert_eq!(read.excerpt, written.excerpt, "{rendered}");
                }
            }
        }
        assert_eq!(render_issue(&issue.doc()), rendered);
    }
}

// --- layouts and details ---------------------------------------------------

const PICK_FORMS: &str = "# Forms (2024-01-05号)

Intro.

## Cards

### Angle brackets

<https://example.com/angle>

Text.

### Link to itself

[https://example.com/a b](https://example.com/a%20b)

### Quote

> [The article](https://example.com/quote)
>
> Its first lines.

After the quote.

### Embed with entities

<blockquote class=\"embedly-card\"><h4><a href=\"https://example.com/e?a=1&amp;b=2\">Tom &amp; Jerry&#39;s <em>notes</em></a></h4><p>A &lt;b&gt; tag.</p></blockquote>
<script async src=\"//cdn.embedly.com/widgets/platform.js\" charset=\"UTF-8\"></script>

Commentary.

### Not a card

https://example.com/x and more words

### Code in commentary

https://example.com/code

```markdown
## Not a section
### Not a pick
```

Still the same pick.
";

#[test]
fn pick_layouts_and_code_blocks() {
    let issue = parse(PICK_FORMS);
    assert_eq!(issue.date, date(2024, 1, 5));
    assert_eq!(issue.number, None);
    assert_eq!(section_titles(&issue), ["Cards"]);
    let (c, q) = (PickLayout::HeadingCard, PickLayout::HeadingQuote);
    assert_eq!(
        picks(&issue),
        [
            ("Angle brackets", "https://example.com/angle", c),
            ("Link to itself", "https://example.com/a b", c),
            ("Quote", "https://example.com/quote", q),
            ("Embed with entities", "https://example.com/e?a=1&b=2", q),
            ("Not a card", "", c),
            ("Code in commentary", "https://example.com/code", c),
        ]
    );
    let all = &issue.sections[0].picks;
    assert_eq!(all[0].commentary, "Text.");
    assert_eq!(all[2].link_title, "The article");
    assert_eq!(all[2].excerpt, "Its first lines.");
    assert_eq!(all[2].commentary, "After the quote.");
    assert_eq!(all[3].link_title, "Tom & Jerry's notes");
    assert_eq!(all[3].excerpt, "A <b> tag.");
    assert_eq!(all[3].commentary, "Commentary.");
    assert_eq!(all[4].commentary, "https://example.com/x and more words");
    assert_eq!(
        all[5].commentary,
        "```markdown\n## Not a section\n### Not a pick\n```\n\nStill the same pick."
    );
    assert_eq!(issue.closing, "");
    assert_eq!(issue.report.len(), 1, "{:?}", issue.report);
    assert!(
        issue.report[0].contains("embed script"),
        "{:?}",
        issue.report
    );
    assert!(issue.report[0].contains("Embed with entities"));
}

#[test]
fn titles_are_unescaped_and_formatting_is_reported() {
    let text = "---\ntitle: 'A \"quoted\" title'\n---\n\n\
                ## Picks \\#1\n\n\
                ### [a\\*b &amp; \\[c\\]](https://example.com/x)\n\n\
                ### Uses `kubectl` *now*\n\nhttps://example.com/y\n";
    let issue = parse(text);
    assert_eq!(issue.title, "A \"quoted\" title");
    assert_eq!(section_titles(&issue), ["Picks #1"]);
    let picks = picks(&issue);
    assert_eq!(picks[0].0, "a*b & [c]");
    assert_eq!(picks[1].0, "Uses kubectl now");
    assert_eq!(issue.report.len(), 1, "{:?}", issue.report);
    assert!(
        issue.report[0].contains("code, emphasis"),
        "{:?}",
        issue.report
    );
    assert!(issue.report[0].contains("Uses kubectl now"));
}

#[test]
fn front_matter_extras_number_and_dates() {
    let text = "---\ntitle: Weekly\ndate: 2024-02-03T09:00:00+09:00\nnumber: 12\n\
                tags: [a, b]\ndraft: false\n---\n\n#7 is not read: number: wins.\n\n\
                ## S\n\n### [P](https://example.com/p)\n";
    let issue = parse(text);
    assert_eq!(issue.title, "Weekly");
    assert_eq!(issue.number, Some(12));
    assert_eq!(issue.date, date(2024, 2, 3));
    assert_eq!(
        issue.front_matter,
        FrontMatter::Yaml {
            extra: vec![
                ("number".into(), "12".into()),
                ("tags".into(), "[a, b]".into()),
                ("draft".into(), "false".into()),
            ]
        }
    );
    assert_eq!(issue.report.len(), 2, "{:?}", issue.report);
    assert!(issue.report[0].contains("time"), "{:?}", issue.report);
    assert!(
        issue.report[1].contains("`tags:` is a list"),
        "{:?}",
        issue.report
    );

    let zenn = "---\ntitle: \"Z\"\nemoji: \"📝\"\ntype: tech\ntopics: [k8s]\n\
                published: false\npublished_at: 2024-03-01 10:00\nslug: z\n---\n\n\
                Weekly #5 です。\n\n## S\n\n### P\n\nhttps://example.com/p\n";
    let issue = parse(zenn);
    assert_eq!(issue.number, Some(5));
    assert_eq!(issue.date, date(2024, 3, 1), "from published_at");
    assert!(matches!(
        &issue.front_matter,
        FrontMatter::Zenn { published_at: Some(at), published: false, .. } if at == "2024-03-01 10:00"
    ));
    assert_eq!(issue.report.len(), 1, "{:?}", issue.report);
    assert!(issue.report[0].contains("`slug: z`"), "{:?}", issue.report);
}

#[test]
fn crlf_and_byte_order_mark_are_read_as_lf() {
    let text = format!("\u{feff}{}", LINKED.replace('\n', "\r\n"));
    let issue = parse(&text);
    assert_eq!(render_issue(&issue.doc()), LINKED);
}

// --- kept and reported -----------------------------------------------------

#[test]
fn text_before_a_pick_and_a_pickless_middle_section_are_kept_and_reported() {
    let text = "# Weekly (2024-04-05号)

第3回です。

## First

Lead of the first section.

### [One](https://example.com/1)

About one.

## Interlude

Just words here.

- and a list

## Second

Lead of the second section.

### [Two](https://example.com/2)

About two.

## あとがき

Bye.
";
    let issue = parse(text);
    assert_eq!(issue.number, Some(3));
    assert_eq!(section_titles(&issue), ["First", "Second"]);
    assert_eq!(issue.intro, "第3回です。\n\nLead of the first section.");
    assert_eq!(
        issue.sections[0].picks[0].commentary,
        "About one.\n\n**Interlude**\n\nJust words here.\n\n- and a list\n\n\
         Lead of the second section."
    );
    assert_eq!(issue.sections[1].picks[0].commentary, "About two.");
    assert_eq!(issue.closing_heading, "あとがき");
    assert_eq!(issue.closing, "Bye.");
    assert_eq!(
        issue.report,
        [
            "text before the first pick of section \"First\" kept at the end of the intro",
            "section \"Interlude\" has no `### ` picks and is not the last section; its \
             heading (as a bold line) and text are kept at the end of the commentary of \"One\"",
            "text before the first pick of section \"Second\" kept at the end of the \
             commentary of \"One\"",
        ]
    );
    // Nothing lost: every line of the file is in the export.
    let rendered = render_issue(&issue.doc());
    for line in text
        .lines()
        .filter(|l| !l.is_empty() && *l != "## Interlude")
    {
        assert!(rendered.contains(line), "{line:?} missing from\n{rendered}");
    }
    assert!(rendered.contains("**Interlude**"));
}

#[test]
fn an_empty_closing_section_is_reported() {
    let issue = parse("# T\n\n## S\n\n### [P](https://example.com)\n\n## あとがき\n");
    assert_eq!(issue.closing_heading, "あとがき");
    assert_eq!(issue.closing, "");
    assert_eq!(issue.report.len(), 1);
    assert!(issue.report[0].contains("has no text"));
}

// --- refusals ----------------------------------------------------------------

#[test]
fn binary_data_is_refused() {
    let message = refused(b"# T\n\n## S\n\n### P\0\n");
    assert!(message.contains("binary data"), "{message}");
    let message = refused(&[b'#', b' ', 0xff, 0xfe, b'\n']);
    assert!(message.contains("binary data"), "{message}");
    assert!(message.contains("UTF-8"), "{message}");
}

#[test]
fn oversize_files_are_refused() {
    let mut text = String::from("# T\n\n## S\n\n### [P](https://example.com)\n\n");
    while text.len() <= MAX_IMPORT_BYTES {
        text.push_str("Lorem ipsum dolor sit amet.\n");
    }
    let message = refused(text.as_bytes());
    assert!(message.contains("too large"), "{message}");
    assert!(message.contains("2 MiB"), "{message}");
    // At the limit it is read.
    text.truncate(MAX_IMPORT_BYTES);
    assert!(parse_issue(text.as_bytes()).is_ok());
}

#[test]
fn broken_front_matter_is_refused_with_the_yaml_error() {
    let body = "\n## S\n\n### [P](https://example.com)\n";
    let message = refused(format!("---\ntitle: T\n{body}").as_bytes());
    assert!(message.contains("never closed"), "{message}");

    let message = refused(format!("---\ntitle: \"T\ndate: [\n---\n{body}").as_bytes());
    assert!(
        message.contains("broken front matter: invalid YAML"),
        "{message}"
    );
    assert!(message.contains("line "), "{message}");

    let message = refused(format!("---\ntitle: T\n  bad: indent\n---\n{body}").as_bytes());
    assert!(message.contains("invalid YAML on line 3"), "{message}");

    let message = refused(format!("---\ntitle: [a, b]\n---\n{body}").as_bytes());
    assert!(message.contains("`title:` must be text"), "{message}");
    assert!(message.contains("a list"), "{message}");

    let message = refused(format!("---\n- just\n- a list\n---\n{body}").as_bytes());
    assert!(message.contains("`key: value`"), "{message}");

    let message = refused(format!("+++\ntitle = \"T\"\n+++\n{body}").as_bytes());
    assert!(message.contains("TOML"), "{message}");
}

#[test]
fn markdown_without_sections_or_title_is_refused() {
    let message = refused("# Notes\n\nJust a page.\n\n## Only words\n\nNo picks.\n".as_bytes());
    assert!(
        message.contains("no `## section` with `### picks` found"),
        "{message}"
    );
    let message = refused(b"");
    assert!(message.contains("no `## section`"), "{message}");
    let message = refused("Intro.\n\n## S\n\n### [P](https://example.com)\n".as_bytes());
    assert!(message.contains("no title"), "{message}");
    let message = refused("---\ndate: 2024-01-01\n---\n\n## S\n\n### P\n".as_bytes());
    assert!(message.contains("no title"), "{message}");
}
