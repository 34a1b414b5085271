//! `newsdesk issues import`: the team's back issues in the three layouts
//! come in as published issues, export again as they were written, a
//! second import changes nothing, a clashing number is refused, and a
//! file that is no issue fails alone while the others import.

use std::path::{Path, PathBuf};

use super::{fresh_data_dir, run_cli};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/issues")
        .join(name)
}

const EMBED: &str = "2022-07-01-embed-style.md";
const ZENN: &str = "2023-04-14-zenn-card-style.md";
const LINKED: &str = "2023-04-21-linked-style.md";

fn import(dir: &Path, files: &[&Path]) -> (bool, String, String) {
    let mut args = vec!["issues", "import"];
    let paths: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    args.extend(paths.iter().map(String::as_str));
    let (status, stdout, stderr) = run_cli(dir, &args, None);
    (status.success(), stdout, stderr)
}

fn export(dir: &Path, number: i32) -> String {
    let number = number.to_string();
    let (status, stdout, stderr) = run_cli(dir, &["export", "--issue", &number], None);
    assert!(status.success(), "export #{number}: {stderr}");
    stdout
}

#[test]
fn back_issues_import_once_and_export_as_written() {
    let dir = fresh_data_dir("issues-import");
    let files = [fixture(EMBED), fixture(ZENN), fixture(LINKED)];
    let paths: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let (ok, stdout, stderr) = import(&dir, &paths);
    assert!(ok, "{stdout}\n{stderr}");
    for number in [4, 28, 29] {
        assert!(
            stdout.contains(&format!("imported as #{number} ")),
            "#{number} in {stdout}"
        );
    }
    assert!(
        stdout.contains("3 imported, 0 unchanged, 0 not imported"),
        "{stdout}"
    );

    // The same layout back: the Zenn and linked-heading issues byte for byte.
    for (number, name) in [(28, ZENN), (29, LINKED)] {
        let original = std::fs::read_to_string(fixture(name)).unwrap();
        assert_eq!(export(&dir, number), original, "{name}");
    }
    // The embed cards become the quote layout with the same content.
    let embed = export(&dir, 4);
    assert!(
        embed.starts_with("# Cloud Notes Weekly (2022-07-01号)\n\n"),
        "{embed}"
    );
    for expected in [
        "### Scheduling batch jobs without tears\n\n> [Scheduling batch jobs without tears](https://blog.example.org/2022/06/batch-scheduling)\n>\n> Batch workloads on shared clusters compete for the same nodes.",
        "### 障害訓練の記録\n\n> [障害訓練の記録 - Example Tech Blog](https://tech.example.co.jp/entry/2022/06/30/game-day)\n>\n> ゲームデイを半年続けて分かったことをまとめました。\n\n社内で定期的に障害訓練をしている事例です。",
        // A topic without a link of its own keeps its list of links.
        "### インターンシップ\n\nふたつの会社のインターンシップの成果報告です。\n\n- [コンテナ起動を速くする検討](https://tech.example.com/intern/container-startup)",
        // The excerpt `null` means none.
        "## 📘 Books\n\n### Operating Distributed Storage, 2nd Edition\n\n> [Operating Distributed Storage, 2nd Edition](https://books.example.com/ods2)\n\n分散ストレージの運用本の第2版が出ました。",
        "## あとがき\n\n来週は共有会がお休みなので、次回は再来週の予定です。\n",
    ] {
        assert!(embed.contains(expected), "{expected}\n--- in ---\n{embed}");
    }
    assert!(!embed.contains("embedly"), "{embed}");

    // Again: nothing changes, and it says so.
    let (ok, stdout, stderr) = import(&dir, &paths);
    assert!(ok, "{stdout}\n{stderr}");
    assert!(
        stdout.contains("0 imported, 3 unchanged, 0 not imported"),
        "{stdout}"
    );
    assert!(
        stdout.contains("already imported as #28; nothing changed"),
        "{stdout}"
    );
    assert_eq!(
        export(&dir, 28),
        std::fs::read_to_string(fixture(ZENN)).unwrap()
    );

    // Another issue under a number that is taken is refused, and #29 stays.
    let changed = dir.with_extension("changed.md");
    let text = std::fs::read_to_string(fixture(LINKED))
        .unwrap()
        .replace("ルーティングの機能が増えました。", "別の内容です。");
    std::fs::write(&changed, text).unwrap();
    let (ok, stdout, _) = import(&dir, &[&changed]);
    assert!(!ok, "a clash is a failure: {stdout}");
    assert!(
        stdout.contains("issue #29 exists already with other content"),
        "{stdout}"
    );
    assert_eq!(
        export(&dir, 29),
        std::fs::read_to_string(fixture(LINKED)).unwrap()
    );
    std::fs::remove_file(&changed).ok();
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn files_that_are_no_issue_fail_alone() {
    let dir = fresh_data_dir("issues-import-bad");
    let scratch = dir.with_extension("files");
    std::fs::create_dir_all(&scratch).unwrap();
    let write = |name: &str, bytes: &[u8]| {
        let path = scratch.join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    };
    let no_sections = write("notes.md", "# Notes\n\nJust a page of notes.\n".as_bytes());
    let binary = write(
        "picture.md",
        &[0x89, b'P', b'N', b'G', 0, 0, 0, 13, 0xff, 0xfe],
    );
    let broken = write(
        "broken.md",
        "---\ntitle: [unclosed\n---\n\n## A\n\n### [B](https://example.com/b)\n".as_bytes(),
    );
    // 20 MB, refused before it is read.
    let huge = scratch.join("huge.md");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(20 * 1024 * 1024)
        .unwrap();
    let good = fixture(LINKED);
    let (ok, stdout, stderr) = import(
        &dir,
        &[&no_sections, &binary, &broken, &huge, good.as_path()],
    );
    assert!(!ok, "failures set the exit status: {stdout}\n{stderr}");
    let line = |name: &str| {
        stdout
            .lines()
            .find(|line| line.contains(name))
            .unwrap_or_else(|| panic!("{name} in {stdout}"))
            .to_owned()
    };
    assert!(
        line("notes.md").contains("no `## section` with `### picks`"),
        "{stdout}"
    );
    assert!(line("picture.md").contains("binary data"), "{stdout}");
    assert!(
        line("broken.md").contains("broken front matter"),
        "{stdout}"
    );
    assert!(line("huge.md").contains("20 MB"), "{stdout}");
    assert!(line(LINKED).contains("imported as #29"), "{stdout}");
    assert!(
        stdout.contains("1 imported, 0 unchanged, 4 not imported"),
        "{stdout}"
    );
    assert_eq!(export(&dir, 29), std::fs::read_to_string(&good).unwrap());
    std::fs::remove_dir_all(&scratch).ok();
    std::fs::remove_dir_all(&dir).ok();
}
