//! The layering rule of docs/architecture.md, checked on the source:
//! `app/src/db/` holds SQL statements and row mapping only. It may name the
//! error type, its sibling `db` modules and the features' plain data types
//! (`crate::<feature>::model`), and nothing else of the app: no services,
//! no pages, no renderer. It holds no user-facing messages, so it builds
//! none of the error variants that carry one.

// Tests may unwrap: a panic is how a test fails (the workspace denies
// unwrap outside tests).
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use syn::visit::Visit;

const DB_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../app/src/db");

/// Error constructors that carry a message for the user: the services
/// choose those.
const MESSAGE_ERRORS: &[&str] = &[
    "invalid",
    "Invalid",
    "Forbidden",
    "Unauthenticated",
    "Throttled",
    "BadRequest",
];

#[derive(Default)]
struct Findings {
    file: String,
    problems: Vec<String>,
}

impl Findings {
    fn check_crate_path(&mut self, segments: &[String], line: usize) {
        // A lone `crate` is a visibility, `pub(crate)`.
        if segments.first().map(String::as_str) != Some("crate") || segments.len() == 1 {
            return;
        }
        let allowed = match segments.get(1).map(String::as_str) {
            // `crate::error` and `crate::db::…` (a sibling, written long).
            Some("error" | "db") => true,
            Some(_) => segments.get(2).map(String::as_str) == Some("model"),
            None => false,
        };
        if !allowed {
            self.problems.push(format!(
                "{}:{line}: `{}` is not a model (db/ may use crate::error, crate::db and crate::<feature>::model)",
                self.file,
                segments.join("::")
            ));
        }
    }
}

impl<'ast> Visit<'ast> for Findings {
    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        let mut paths = Vec::new();
        flatten(&item.tree, Vec::new(), &mut paths);
        let line = item.use_token.span.start().line;
        for path in paths {
            self.check_crate_path(&path, line);
        }
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        let line = path
            .segments
            .first()
            .map_or(0, |segment| segment.ident.span().start().line);
        self.check_crate_path(&segments, line);
        if let [.., error, variant] = segments.as_slice() {
            if error == "AppError" && MESSAGE_ERRORS.contains(&variant.as_str()) {
                self.problems.push(format!(
                    "{}:{line}: `AppError::{variant}` carries a user-facing message; return data and let the service say it",
                    self.file
                ));
            }
        }
        syn::visit::visit_path(self, path);
    }
}

/// Every path a `use` tree names, e.g. `crate::{a::B, c::*}` gives
/// `crate::a::B` and `crate::c`.
fn flatten(tree: &syn::UseTree, prefix: Vec<String>, out: &mut Vec<Vec<String>>) {
    let with = |name: String| {
        let mut path = prefix.clone();
        path.push(name);
        path
    };
    match tree {
        syn::UseTree::Path(path) => flatten(&path.tree, with(path.ident.to_string()), out),
        syn::UseTree::Name(name) => out.push(with(name.ident.to_string())),
        syn::UseTree::Rename(rename) => out.push(with(rename.ident.to_string())),
        syn::UseTree::Glob(_) => out.push(prefix),
        syn::UseTree::Group(group) => {
            for tree in &group.items {
                flatten(tree, prefix.clone(), out);
            }
        }
    }
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read a source directory") {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            files.push(path);
        }
    }
    files.sort();
    files
}

fn problems_in(file: &str, source: &str) -> Vec<String> {
    let syntax = syn::parse_file(source).unwrap_or_else(|error| panic!("{file}: {error}"));
    let mut findings = Findings {
        file: file.to_owned(),
        ..Findings::default()
    };
    findings.visit_file(&syntax);
    findings.problems
}

#[test]
fn db_holds_queries_and_row_mapping_only() {
    let files = rust_files(Path::new(DB_DIR));
    assert!(files.len() > 10, "found the db module: {files:?}");
    let mut problems = Vec::new();
    for path in &files {
        let source = std::fs::read_to_string(path).expect("read source");
        let name = path
            .strip_prefix(DB_DIR)
            .unwrap_or(path)
            .display()
            .to_string();
        let name = name.trim_start_matches('/');
        problems.extend(problems_in(&format!("db/{name}"), &source));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The checker itself finds what it is meant to find.
#[test]
fn the_check_finds_services_pages_and_messages() {
    let source = r#"
        use super::events;
        use crate::{editor::{model::TextField, service::rule}, error::AppError, inbox::InboxItem};
        fn f() -> AppError {
            let _ = crate::render::markdown_to_html("");
            AppError::invalid("field", "Please fix this.")
        }
        fn g() -> AppError { AppError::NotFound }
    "#;
    let problems = problems_in("db/example.rs", source);
    let found = |needle: &str| problems.iter().any(|problem| problem.contains(needle));
    assert!(found("crate::editor::service::rule"), "{problems:?}");
    assert!(found("crate::inbox::InboxItem"), "{problems:?}");
    assert!(found("crate::render::markdown_to_html"), "{problems:?}");
    assert!(found("AppError::invalid"), "{problems:?}");
    assert_eq!(problems.len(), 4, "{problems:?}");
}

const APP_SRC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../app/src");
const SERVER_SRC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src");

/// A source file's module path: `app/src/db/picks.rs` is `db::picks`,
/// `app/src/editor/service/mod.rs` is `editor::service`.
fn module_of(root: &Path, file: &Path) -> Vec<String> {
    let relative = file.strip_prefix(root).expect("file under its root");
    let mut path: Vec<String> = relative
        .with_extension("")
        .iter()
        .map(|part| part.to_string_lossy().into_owned())
        .collect();
    if matches!(
        path.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        path.pop();
    }
    path
}

/// The modules (files) each module of a crate imports through `use
/// crate::…` and `use super::…`, resolved to the longest module path that
/// is a file of the crate.
fn imports(files: &[(Vec<String>, String)]) -> Vec<(Vec<String>, Vec<Vec<String>>)> {
    let modules: Vec<&Vec<String>> = files.iter().map(|(module, _)| module).collect();
    files
        .iter()
        .map(|(module, source)| {
            let syntax = syn::parse_file(source).unwrap_or_else(|e| panic!("{module:?}: {e}"));
            let mut used = Vec::new();
            for item in &syntax.items {
                if let syn::Item::Use(item) = item {
                    flatten(&item.tree, Vec::new(), &mut used);
                }
            }
            let mut targets: Vec<Vec<String>> = used
                .into_iter()
                .filter_map(|path| {
                    let (first, rest) = path.split_first()?;
                    let absolute: Vec<String> = match first.as_str() {
                        "crate" => rest.to_vec(),
                        "super" => module[..module.len().saturating_sub(1)]
                            .iter()
                            .chain(rest)
                            .cloned()
                            .collect(),
                        _ => return None,
                    };
                    (0..=absolute.len())
                        .rev()
                        .map(|n| absolute[..n].to_vec())
                        .find(|prefix| modules.contains(&prefix))
                })
                .filter(|target| target != module)
                .collect();
            targets.sort();
            targets.dedup();
            (module.clone(), targets)
        })
        .collect()
}

/// Pairs of files that import each other, leaving out a module and its own
/// descendants (a `mod.rs` re-exporting what its files define is the usual
/// shape, not a cycle).
fn mutual_imports(files: &[(Vec<String>, String)]) -> Vec<String> {
    let edges = imports(files);
    let uses = |from: &Vec<String>, to: &Vec<String>| {
        edges
            .iter()
            .any(|(module, targets)| module == from && targets.contains(to))
    };
    let mut cycles = Vec::new();
    for (module, targets) in &edges {
        for target in targets {
            let nested = target.starts_with(module) || module.starts_with(target);
            if !nested && module < target && uses(target, module) {
                cycles.push(format!("{} <-> {}", module.join("::"), target.join("::")));
            }
        }
    }
    cycles.sort();
    cycles
}

fn crate_files(root: &str) -> Vec<(Vec<String>, String)> {
    let root = Path::new(root);
    rust_files(root)
        .into_iter()
        .map(|file| {
            let source = std::fs::read_to_string(&file).expect("read source");
            (module_of(root, &file), source)
        })
        .collect()
}

/// docs/architecture.md: no two files import each other, so each can be
/// read (and moved) with what it depends on and nothing that depends on it.
#[test]
fn no_two_files_import_each_other() {
    for root in [APP_SRC, SERVER_SRC] {
        let files = crate_files(root);
        assert!(files.len() > 20, "found the sources under {root}");
        let cycles = mutual_imports(&files);
        assert!(cycles.is_empty(), "{root}:\n{}", cycles.join("\n"));
    }
}

/// The cycle check finds a pair written either way, and leaves a module
/// and its children alone.
#[test]
fn the_cycle_check_finds_mutual_imports() {
    let file = |module: &str, source: &str| {
        (
            module.split("::").map(str::to_owned).collect::<Vec<_>>(),
            source.to_owned(),
        )
    };
    let files = vec![
        file("inbox::pages::list", "use super::row::Row;"),
        file(
            "inbox::pages::row",
            "use crate::inbox::pages::list::Triage;",
        ),
        file("editor", "pub use crate::editor::service::Thing;"),
        file("editor::service", "use super::Model;"),
        file("db::picks", "use crate::{db::triage, error::AppError};"),
        file("db::triage", "use super::{events, picks::Located};"),
        file("db::events", ""),
        file("error", ""),
    ];
    assert_eq!(
        mutual_imports(&files),
        vec![
            "db::picks <-> db::triage".to_owned(),
            "inbox::pages::list <-> inbox::pages::row".to_owned()
        ]
    );
}

/// app/src/layout/erased.rs: below the router a view is erased with
/// `.erase()`, never `.into_any()`, whose async hydration copy of the view
/// is dead weight in the wasm. Only that module (and the router's own
/// views, none of them erased by us) may call `.into_any()`.
fn plain_erasures(file: &str, source: &str) -> Vec<String> {
    source
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim_start().starts_with("//") && line.contains(".into_any()"))
        .map(|(number, line)| format!("{file}:{}: {}", number + 1, line.trim()))
        .collect()
}

#[test]
fn views_are_erased_without_the_async_hydration_copy() {
    let files = crate_files(APP_SRC);
    let found: Vec<String> = files
        .iter()
        .filter(|(module, _)| module.join("::") != "layout::erased")
        .flat_map(|(module, source)| plain_erasures(&module.join("::"), source))
        .collect();
    assert!(
        found.is_empty(),
        "use `.erase()` (crate::layout::Erase) instead:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_erasure_check_finds_into_any_in_code_and_in_views() {
    let source = "// `.into_any()` in a comment is fine\n\
        let a = view! { <p /> }.erase();\n\
        let b = view! { <p /> }.into_any();\n\
        view! { {move || x.into_any()} }\n";
    let found = plain_erasures("example", source);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[0].starts_with("example:3:"), "{found:?}");
}
