//! The renderer's contract: golden files for whole issues, and generated
//! titles and URLs that must each come back as exactly one link with
//! exactly that text and target.
//!
//! Long because each case is data; the golden files hold the rest.

use chrono::NaiveDate;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::{
    generated::{Rng, TITLE_PARTS},
    markdown_to_html, render_body, render_issue, FrontMatter, IssueDoc, PickDoc, PickLayout,
    Rendering, SectionDoc,
};

fn sample(front_matter: FrontMatter) -> IssueDoc {
    IssueDoc {
        title: "Gateway API GA: Neco Weekly (2026-11-27号)".into(),
        date: NaiveDate::from_ymd_opt(2026, 11, 27),
        front_matter,
        rendering: Rendering::default(),
        closing_heading: String::new(),
        closing: String::new(),
        intro: "Neco Weekly #31 (2026-11-27号) です。  \r\nThis week's picks.\r\n\r\n\r\n".into(),
        sections: vec![
            SectionDoc {
                title: "👀 Notable Articles".into(),
                picks: vec![
                    PickDoc {
                        title: "Kubernetes v1.35: *Timbernetes* [release]".into(),
                        url: "https://kubernetes.io/blog/2026/12/17/kubernetes-v1-35-release/"
                            .into(),
                        commentary: "Sidecars are GA.\n\n- in-place resize\n- `kubectl` news   \n"
                            .into(),
                            ..PickDoc::default()
                        },
                    PickDoc {
                        title: "# Not a heading <b>nor HTML</b> & `code`".into(),
                        url: "https://example.com/a path/(with)parens?q=1&r=2".into(),
                        commentary: String::new(),
                        ..PickDoc::default()
                    },
                ],
            },
            SectionDoc {
                title: "🛠️ Tools, Frameworks, Libraries".into(),
                picks: vec![PickDoc {
                    title: "moco v0.20: MySQL on Kubernetes_".into(),
                    url: "https://github.com/cybozu-go/moco/releases/tag/v0.20.0".into(),
                    commentary: "Backups now go to [S3-compatible storage](https://min.io/) \
                                 *and* GCS.\n\nTry it:\n\n```console\n$ kubectl moco \
                                 mysql -it cluster -- --version\n```\n\n1. read the \
                                 [changelog](https://github.com/cybozu-go/moco/blob/main/CHANGELOG.md)\n\
                                 2. upgrade\n"
                        .into(),
                        ..PickDoc::default()
                    }],
            },
            SectionDoc {
                title: "📚 Books".into(),
                picks: vec![],
            },
            SectionDoc {
                title: "🤝 Events".into(),
                picks: vec![PickDoc {
                    title: "KubeCon + CloudNativeCon Japan 2026".into(),
                    url: "https://events.linuxfoundation.org/kubecon-cloudnativecon-japan/".into(),
                    commentary: "> 行きます!\n".into(),
                    ..PickDoc::default()
                }],
            },
        ],
        footer: "Thanks for reading.".into(),
    }
}

fn golden(name: &str, actual: &str) {
    let path = format!("{}/src/render/golden/{name}", env!("CARGO_MANIFEST_DIR"));
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("{path} is missing; run with UPDATE_GOLDEN=1 to create it"));
    assert_eq!(actual, expected, "{name} differs from its golden file");
}

#[test]
fn whole_issues_match_their_golden_files() {
    golden("plain.md", &render_issue(&sample(FrontMatter::None)));
    golden(
        "hugo.md",
        &render_issue(&sample(FrontMatter::Yaml {
            extra: vec![
                ("draft".into(), "false".into()),
                ("tags".into(), "kubernetes".into()),
            ],
        })),
    );
    golden(
        "zenn.md",
        &render_issue(&sample(FrontMatter::Zenn {
            emoji: "🐱".into(),
            kind: "tech".into(),
            topics: vec!["kubernetes".into(), "cloudnative".into()],
            published: true,
            published_at: None,
            publication_name: String::new(),
        })),
    );
    golden(
        "plain.html",
        &markdown_to_html(
            &render_body(&sample(FrontMatter::None)),
            Rendering::default(),
        ),
    );
}

/// What pulldown-cmark itself makes of the export (no extensions, no
/// sanitising): `tests/browser/commonmark.test.mjs` renders the golden
/// Markdown with commonmark.js, an independent implementation, and
/// expects the same HTML.
#[test]
fn plain_commonmark_html_of_the_exports() {
    for name in ["plain", "hugo", "zenn"] {
        let path = format!("{}/src/render/golden/{name}.md", env!("CARGO_MANIFEST_DIR"));
        let markdown = std::fs::read_to_string(&path).unwrap();
        let body = strip_front_matter(&markdown);
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(body));
        golden(&format!("{name}.cmark.html"), &html);
    }
}

fn strip_front_matter(markdown: &str) -> &str {
    match markdown.strip_prefix("---\n") {
        Some(rest) => rest
            .split_once("\n---\n")
            .map_or(markdown, |(_, body)| body),
        None => markdown,
    }
}

#[test]
fn output_is_tidy_and_empty_sections_are_left_out() {
    let out = render_issue(&sample(FrontMatter::None));
    assert!(!out.contains('\r'));
    assert!(out.ends_with("Thanks for reading.\n"));
    assert!(!out.ends_with("\n\n"));
    assert!(out.lines().all(|line| line == line.trim_end()), "{out}");
    assert!(!out.contains("\n\n\n"));
    assert!(!out.contains("Books"), "empty section omitted");
    // The same input gives the same bytes.
    assert_eq!(out, render_issue(&sample(FrontMatter::None)));
}

const URL_PARTS: &[&str] = &[
    "a", "b", "/", "(", ")", " ", "?", "&", "=", "#", "%20", "\\", "日本", "~", "*", "_", "[", "]",
    "'", "!", ":", ",",
];

/// What a link reads back as, after CommonMark parsing.
fn parse_links(markdown: &str) -> Vec<(String, String)> {
    let mut links = Vec::new();
    let mut current: Option<(String, String)> = None;
    for event in Parser::new(markdown) {
        match event {
            Event::Start(Tag::Link { dest_url, .. }) => {
                current = Some((String::new(), dest_url.to_string()))
            }
            Event::Text(text) | Event::Code(text) => {
                if let Some((label, _)) = current.as_mut() {
                    label.push_str(&text);
                }
            }
            Event::End(TagEnd::Link) => links.extend(current.take()),
            _ => {}
        }
    }
    links
}

#[test]
fn any_title_and_url_come_back_as_exactly_one_link() {
    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    for case in 0..3000 {
        let title: String = (0..1 + rng.next() % 8)
            .map(|_| rng.pick(TITLE_PARTS))
            .collect();
        let path: String = (0..rng.next() % 8).map(|_| rng.pick(URL_PARTS)).collect();
        let url = format!("https://example.com/{path}");
        if title.trim().is_empty() {
            continue;
        }
        let doc = IssueDoc {
            sections: vec![SectionDoc {
                title: "S".into(),
                picks: vec![PickDoc {
                    title: title.clone(),
                    url: url.clone(),
                    commentary: String::new(),
                    ..PickDoc::default()
                }],
            }],
            ..IssueDoc::default()
        };
        let markdown = render_body(&doc);
        let links = parse_links(&markdown);
        let expected_title = title.split_whitespace().collect::<Vec<_>>().join(" ");
        let expected_url = url.trim().replace(' ', "%20").replace('`', "%60");
        assert_eq!(
            links,
            vec![(expected_title, expected_url)],
            "case {case}: title {title:?} url {url:?} rendered as {markdown:?}"
        );
    }
}

/// Code is the team's exact text: trailing spaces, tabs, runs of blank
/// lines and a trailing `\` stay, in fenced and indented blocks, at the top
/// level and inside a list; the prose around it is still tidied.
#[test]
fn code_blocks_are_carried_byte_for_byte() {
    let fenced = "```yaml\nkey: value  \n\ttabbed:\t\n\n\n\nend \\\n```";
    let indented = "    let a = 1;  \n\n\n    let b = 2; \\";
    let listed =
        "- step one\n\n  ```sh\n  kubectl apply -f x.yaml  \n\n\n  echo done \\\n  ```\n- step two";
    let commentary =
        format!("Intro line  \nnext\n\n\n\n{fenced}\n\nprose   \n\n{indented}\n\n{listed}\n");
    let body = render_body(&IssueDoc {
        sections: vec![SectionDoc {
            title: "Tools".into(),
            picks: vec![PickDoc {
                title: "t".into(),
                url: "https://e.com/".into(),
                commentary,
                ..PickDoc::default()
            }],
        }],
        ..IssueDoc::default()
    });
    assert!(body.contains(fenced), "{body}");
    assert!(body.contains(indented), "{body}");
    assert!(body.contains(listed), "{body}");
    assert!(
        body.contains("Intro line\\\nnext\n\n```yaml"),
        "prose is tidied: {body}"
    );
    assert!(body.contains("\nprose\n"), "{body}");
    let html = markdown_to_html(&body, Rendering::default());
    assert!(
        html.contains("key: value  \n\ttabbed:\t\n\n\n\nend \\\n</code>"),
        "{html}"
    );
    assert!(
        html.contains("kubectl apply -f x.yaml  \n\n\necho done \\\n</code>"),
        "{html}"
    );
    assert!(
        html.contains("let a = 1;  \n\n\nlet b = 2; \\\n</code>"),
        "{html}"
    );
}

/// A fence left open in one commentary is closed there, so the sections
/// after it stay sections.
#[test]
fn an_unclosed_fence_does_not_swallow_the_next_picks() {
    for (open, close) in [
        ("```\ncode  ", "```"),
        ("~~~~ rust\nfn main() {}\n~~", "~~~~"),
        ("- item\n\n  ```\n  code", "  ```"),
        ("> ```\n> quoted", "> ```"),
    ] {
        let pick = |title: &str, commentary: &str| PickDoc {
            title: title.into(),
            url: "https://e.com/".into(),
            commentary: commentary.into(),
            ..PickDoc::default()
        };
        let body = render_body(&IssueDoc {
            sections: vec![SectionDoc {
                title: "Tools".into(),
                picks: vec![pick("first", open), pick("second", "after")],
            }],
            ..IssueDoc::default()
        });
        assert!(
            body.contains(&format!("{open}\n{close}\n\n### [second]")),
            "{open:?}: {body}"
        );
        let html = markdown_to_html(&body, Rendering::default());
        assert!(
            html.contains(r#"<h3><a href="https://e.com/">second</a></h3>"#),
            "{open:?}: {html}"
        );
    }
}

#[test]
fn each_pick_layout_and_the_closing_part() {
    let pick = |title: &str, url: &str, layout| PickDoc {
        title: title.into(),
        url: url.into(),
        commentary: "一行目\n二行目".into(),
        layout,
        link_title: "障害訓練の記録 - Example Tech Blog".into(),
        excerpt: "ゲームデイを\n半年 *続けた*".into(),
    };
    let doc = IssueDoc {
        title: "Cloud Notes Weekly (2022-07-01号)".into(),
        front_matter: FrontMatter::Heading,
        sections: vec![SectionDoc {
            title: "👀 Notable Articles".into(),
            picks: vec![
                pick("Meetup #99", "https://e.com/a", PickLayout::LinkedHeading),
                pick("Card", "https://e.com/b", PickLayout::HeadingCard),
                pick("Quote", "https://e.com/c", PickLayout::HeadingQuote),
                pick("インターンシップ", "", PickLayout::HeadingCard),
                pick("Odd URL", "https://e.com/a b", PickLayout::HeadingCard),
            ],
        }],
        closing_heading: "あとがき".into(),
        closing: "来週はお休みです。".into(),
        ..IssueDoc::default()
    };
    let expected = "# Cloud Notes Weekly (2022-07-01号)\n\n## 👀 Notable Articles\n\n\
        ### [Meetup #99](https://e.com/a)\n\n一行目\n二行目\n\n\
        ### Card\n\nhttps://e.com/b\n\n一行目\n二行目\n\n\
        ### Quote\n\n> [障害訓練の記録 - Example Tech Blog](https://e.com/c)\n>\n> ゲームデイを 半年 \\*続けた\\*\n\n一行目\n二行目\n\n\
        ### インターンシップ\n\n一行目\n二行目\n\n\
        ### Odd URL\n\n[https://e.com/a b](https://e.com/a%20b)\n\n一行目\n二行目\n\n\
        ## あとがき\n\n来週はお休みです。\n";
    assert_eq!(render_issue(&doc), expected);
    let empty_closing = IssueDoc {
        closing: " \n".into(),
        ..doc
    };
    assert!(!render_issue(&empty_closing).contains("あとがき"));
}

#[test]
fn html_follows_the_targets_line_breaks_and_cards() {
    let markdown = "one\ntwo\n\nhttps://x.example/a\n\ntext\nhttps://q.example/b\nafter\n\nsee https://y.example/c_(d). `https://code.example/`";
    let zenn = markdown_to_html(
        markdown,
        Rendering {
            line_breaks: true,
            link_cards: true,
        },
    );
    assert!(zenn.contains("<p>one<br />\ntwo</p>"), "{zenn}");
    assert!(
        zenn.contains(r#"<p><span class="link-card"><a href="https://x.example/a">https://x.example/a</a></span></p>"#),
        "{zenn}"
    );
    assert!(
        zenn.contains(
            "<p>text<br />\n<span class=\"link-card\"><a href=\"https://q.example/b\">https://q.example/b</a></span><br />\nafter</p>"
        ),
        "a URL line inside a paragraph is a card too, on a line of its own: {zenn}"
    );
    assert!(
        zenn.contains(r#"see <a href="https://y.example/c_(d)">https://y.example/c_(d)</a>. "#),
        "{zenn}"
    );
    assert!(
        zenn.contains("<code>https://code.example/</code>"),
        "{zenn}"
    );
    let commonmark = markdown_to_html(markdown, Rendering::default());
    assert!(commonmark.contains("<p>one\ntwo</p>"), "{commonmark}");
    assert!(!commonmark.contains("link-card"), "{commonmark}");
    assert!(
        commonmark.contains(r#"<p><a href="https://x.example/a">https://x.example/a</a></p>"#),
        "{commonmark}"
    );
}

#[test]
fn a_quoted_excerpt_stays_one_paragraph_whatever_it_starts_with() {
    for excerpt in [
        "- not a list",
        "+ nor this",
        "1. nor a numbered list",
        "2) either",
        "---",
        "= x",
        "# no heading",
    ] {
        let doc = IssueDoc {
            sections: vec![SectionDoc {
                title: "S".into(),
                picks: vec![PickDoc {
                    title: "T".into(),
                    url: "https://example.com/".into(),
                    layout: PickLayout::HeadingQuote,
                    excerpt: excerpt.into(),
                    ..PickDoc::default()
                }],
            }],
            ..IssueDoc::default()
        };
        let markdown = render_body(&doc);
        // Inside the quote: a paragraph with the link, then one with the
        // excerpt as text, and nothing else (no list, rule or heading).
        let mut quoted = Vec::new();
        let mut depth = 0;
        for event in Parser::new(&markdown) {
            match event {
                Event::Start(Tag::BlockQuote(_)) => depth += 1,
                Event::End(TagEnd::BlockQuote(_)) => depth -= 1,
                Event::Start(tag) if depth > 0 => quoted.push(format!("{tag:?}")),
                Event::Rule if depth > 0 => quoted.push("Rule".into()),
                // Text may come in pieces (`1`, `. nor …`): join them.
                Event::Text(text) if depth > 0 => match quoted.last_mut() {
                    Some(last) if !last.starts_with("Paragraph") => last.push_str(&text),
                    _ => quoted.push(text.to_string()),
                },
                _ => {}
            }
        }
        assert_eq!(
            quoted.last().map(String::as_str),
            Some(excerpt),
            "{markdown}"
        );
        assert!(
            quoted
                .iter()
                .all(|e| !e.starts_with("List") && !e.starts_with("Heading") && e != "Rule"),
            "{excerpt}: {quoted:?}\n{markdown}"
        );
    }
}
