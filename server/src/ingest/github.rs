//! GitHub repositories as feeds: a repository URL stands for its releases
//! feed, which GitHub serves at a fixed address, so no page is fetched.

use newsdesk_app::feeds::model::DiscoveredFeed;
use url::Url;

use super::page::is_web_url;

/// A GitHub repository URL stands for its releases feed, which GitHub
/// serves at a fixed address; no need to fetch the repository page.
pub(super) fn github_releases_feed(url: &Url) -> Option<DiscoveredFeed> {
    let (owner, repo) = github_repository(url)?;
    Some(DiscoveredFeed {
        url: format!("https://github.com/{owner}/{repo}/releases.atom"),
        title: Some(format!("{owner}/{repo} releases")),
        format: "atom".to_owned(),
    })
}

/// Top-level GitHub pages whose second path segment is not a repository.
const GITHUB_NON_OWNERS: &[&str] = &[
    "about",
    "account",
    "advisories",
    "apps",
    "codespaces",
    "collections",
    "contact",
    "customer-stories",
    "dashboard",
    "enterprise",
    "events",
    "explore",
    "features",
    "issues",
    "login",
    "marketplace",
    "new",
    "notifications",
    "organizations",
    "orgs",
    "pricing",
    "pulls",
    "readme",
    "resources",
    "search",
    "security",
    "sessions",
    "settings",
    "site",
    "solutions",
    "sponsors",
    "stars",
    "team",
    "topics",
    "trending",
    "users",
];

/// `(owner, repo)` when `url` points into a GitHub repository. A link to
/// one of the repository's other Atom feeds (tags, commits) is not taken
/// for the repository: the user asked for that feed.
fn github_repository(url: &Url) -> Option<(&str, &str)> {
    let on_github = is_web_url(url)
        && url.port().is_none()
        && matches!(url.host_str()?, "github.com" | "www.github.com");
    if !on_github {
        return None;
    }
    let mut segments = url.path_segments()?;
    let owner = segments.next()?;
    let repo = segments.next()?;
    let repo = repo.strip_suffix(".git").unwrap_or(repo);
    let rest: Vec<&str> = segments.filter(|segment| !segment.is_empty()).collect();
    let other_feed =
        rest.last().is_some_and(|last| last.ends_with(".atom")) && rest != ["releases.atom"];
    (is_github_owner(owner) && is_github_repo(repo) && !other_feed).then_some((owner, repo))
}

/// GitHub user and organisation names: up to 39 letters, digits and inner
/// hyphens.
fn is_github_owner(name: &str) -> bool {
    (1..=39).contains(&name.len())
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !name.starts_with('-')
        && !name.ends_with('-')
        && !GITHUB_NON_OWNERS.contains(&name.to_ascii_lowercase().as_str())
}

/// GitHub repository names: up to 100 letters, digits, `-`, `_` and `.`.
fn is_github_repo(name: &str) -> bool {
    (1..=100).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        && name != "."
        && name != ".."
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> Url {
        Url::parse(text).unwrap()
    }

    fn repo_of(text: &str) -> Option<(String, String)> {
        github_repository(&url(text)).map(|(owner, repo)| (owner.to_owned(), repo.to_owned()))
    }

    fn pair(owner: &str, repo: &str) -> Option<(String, String)> {
        Some((owner.to_owned(), repo.to_owned()))
    }

    #[test]
    fn github_repository_urls_in_their_usual_shapes() {
        for text in [
            "https://github.com/tokio-rs/axum",
            "https://github.com/tokio-rs/axum/",
            "https://github.com/tokio-rs/axum.git",
            "https://github.com/tokio-rs/axum/releases",
            "https://github.com/tokio-rs/axum/releases/",
            "https://github.com/tokio-rs/axum/releases.atom",
            "https://github.com/tokio-rs/axum/tree/main/axum-core",
            "http://www.github.com/tokio-rs/axum?tab=readme#intro",
            "https://GitHub.com/tokio-rs/axum",
        ] {
            assert_eq!(repo_of(text), pair("tokio-rs", "axum"), "{text}");
        }
        assert_eq!(
            repo_of("https://github.com/leptos-rs/leptos.dev"),
            pair("leptos-rs", "leptos.dev")
        );
    }

    #[test]
    fn other_github_pages_are_not_repositories() {
        for text in [
            "https://github.com/",
            "https://github.com/features",
            "https://github.com/features/actions",
            "https://github.com/topics/rust",
            "https://github.com/orgs/tokio-rs/repositories",
            "https://github.com/tokio-rs",
            "https://github.com/tokio-rs/",
            "https://github.com/-bad/name",
            "https://github.com/owner/..",
            "https://github.com/tokio-rs/axum/commits/main.atom",
            "https://github.com/tokio-rs/axum/tags.atom",
            "https://github.com:8443/tokio-rs/axum",
            "https://gist.github.com/someone/abc123",
            "https://example.com/tokio-rs/axum",
            "ftp://github.com/tokio-rs/axum",
        ] {
            assert_eq!(repo_of(text), None, "{text}");
        }
    }

    #[test]
    fn a_repository_becomes_its_releases_feed() {
        assert_eq!(
            github_releases_feed(&url("https://github.com/rust-lang/rust/tree/master/src")),
            Some(DiscoveredFeed {
                url: "https://github.com/rust-lang/rust/releases.atom".into(),
                title: Some("rust-lang/rust releases".into()),
                format: "atom".into(),
            })
        );
    }
}
