//! What may be seen without signing in. Everything else needs a member:
//! pages redirect to the sign-in page, API calls get 401. The server's page
//! gate asks [`is_public_page`]; each server function and API handler still
//! checks the role itself.

/// Paths (exact, or a prefix ending in `/`) that anyone may open: the
/// sign-in and invitation pages, the public archive of published issues,
/// health checks and the static assets the public pages need.
const PUBLIC: &[&str] = &[
    "/sign-in",
    "/setup/",
    "/invite/",
    "/issues",
    "/issues/",
    "/healthz",
    "/favicon.svg",
    "/pkg/",
];

pub fn is_public_page(path: &str) -> bool {
    PUBLIC.iter().any(|public| {
        if public.ends_with('/') {
            path.starts_with(public)
        } else {
            path == *public
        }
    })
}

/// Where to go after signing in: only a path on this site, so that a
/// crafted `?next=https://evil.example` link cannot send people elsewhere.
pub fn safe_next(next: &str) -> &str {
    let local = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.chars().any(char::is_control);
    if local && !next.starts_with("/sign-in") {
        next
    } else {
        "/"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_listed_paths_are_public() {
        assert!(is_public_page("/sign-in"));
        assert!(is_public_page("/setup/abc"));
        assert!(is_public_page("/issues"));
        assert!(is_public_page("/issues/12"));
        assert!(is_public_page("/pkg/newsdesk-1.js"));
        assert!(!is_public_page("/"));
        assert!(!is_public_page("/feeds"));
        assert!(!is_public_page("/sign-in-elsewhere"));
        assert!(!is_public_page("/issuesx"));
        assert!(!is_public_page("/members"));
    }

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(safe_next("/feeds?x=1"), "/feeds?x=1");
        assert_eq!(safe_next("https://evil.example/"), "/");
        assert_eq!(safe_next("//evil.example/"), "/");
        assert_eq!(safe_next("/\\evil.example"), "/");
        assert_eq!(safe_next("/a\nb"), "/");
        assert_eq!(safe_next("/sign-in"), "/");
        assert_eq!(safe_next(""), "/");
    }
}
