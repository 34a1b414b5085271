//! Every HTTP route outside the Leptos app, with who may use it. The table
//! is what the router is built from and what the authorization tests walk,
//! so a route cannot be added without saying who may call it. The access
//! written here is a claim; the guard extractor in the handler enforces it,
//! and the tests check that the two agree.

use axum::{
    extract::DefaultBodyLimit,
    handler::Handler,
    http::Method,
    routing::{on, MethodFilter},
    Router,
};
use newsdesk_app::accounts::Role;

use super::{
    api, assets, events, health, issue_import, metrics, opml, opml_upload, syndication, HttpState,
};

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Public,
    /// Signed-in members whose role includes this one.
    Member(Role),
}

#[derive(Debug, Clone)]
pub struct RouteInfo {
    pub method: Method,
    /// The axum path, e.g. `/api/v1/feeds/{id}`.
    pub path: &'static str,
    pub access: Access,
}

pub struct RouteTable {
    pub router: Router<HttpState>,
    pub routes: Vec<RouteInfo>,
}

impl RouteTable {
    fn new() -> Self {
        Self {
            router: Router::new(),
            routes: Vec::new(),
        }
    }

    fn add<H, T>(self, method: Method, path: &'static str, access: Access, handler: H) -> Self
    where
        H: Handler<T, HttpState>,
        T: 'static,
    {
        self.add_limited(method, path, access, handler, None)
    }

    /// `body_limit` replaces axum's default request body limit (2 MiB).
    fn add_limited<H, T>(
        mut self,
        method: Method,
        path: &'static str,
        access: Access,
        handler: H,
        body_limit: Option<usize>,
    ) -> Self
    where
        H: Handler<T, HttpState>,
        T: 'static,
    {
        let filter = MethodFilter::try_from(method.clone()).expect("a routable method");
        let mut route = on(filter, handler);
        if let Some(limit) = body_limit {
            route = route.layer(DefaultBodyLimit::max(limit));
        }
        // Routing a path twice merges the methods.
        self.router = self.router.route(path, route);
        self.routes.push(RouteInfo {
            method,
            path,
            access,
        });
        self
    }
}

pub fn table() -> RouteTable {
    use Access::{Member, Public};
    use Role::{Admin, Editor, Publisher, Viewer};
    let upload_limit = newsdesk_app::feeds::opml::import::MAX_FILE_BYTES + 64 * 1024;
    RouteTable::new()
        .add(Method::GET, "/healthz", Public, health::healthz)
        .add(Method::GET, "/favicon.svg", Public, assets::favicon)
        .add(Method::GET, "/metrics", Member(Admin), metrics::metrics)
        .add(Method::GET, "/feed.atom", Public, syndication::atom)
        .add(Method::GET, "/feed.xml", Public, syndication::rss)
        // Public to the router: the token in the URL is checked inside.
        .add(Method::GET, "/picks.xml", Public, syndication::picks)
        .add(Method::GET, "/feeds.opml", Member(Viewer), opml::export)
        .add_limited(
            Method::POST,
            "/edit/import",
            Member(Admin),
            issue_import::upload,
            Some(issue_import::UPLOAD_LIMIT),
        )
        .add_limited(
            Method::POST,
            "/feeds/import",
            Member(Editor),
            opml_upload::upload,
            Some(upload_limit),
        )
        .add(
            Method::GET,
            "/api/v1/feeds",
            Member(Viewer),
            api::feeds::list,
        )
        .add(
            Method::POST,
            "/api/v1/feeds",
            Member(Editor),
            api::feeds::create,
        )
        .add(
            Method::POST,
            "/api/v1/feeds/refresh",
            Member(Editor),
            api::feeds::refresh_all,
        )
        .add(
            Method::GET,
            "/api/v1/feeds/{id}",
            Member(Viewer),
            api::feeds::show,
        )
        .add(
            Method::PATCH,
            "/api/v1/feeds/{id}",
            Member(Admin),
            api::feeds::update,
        )
        .add(
            Method::DELETE,
            "/api/v1/feeds/{id}",
            Member(Admin),
            api::feeds::delete,
        )
        .add(
            Method::POST,
            "/api/v1/feeds/{id}/refresh",
            Member(Editor),
            api::feeds::refresh,
        )
        .add(
            Method::GET,
            "/api/v1/candidates",
            Member(Viewer),
            api::candidates::list,
        )
        .add(
            Method::POST,
            "/api/v1/candidates",
            Member(Editor),
            api::candidates::add,
        )
        .add(
            Method::POST,
            "/api/v1/candidates/state",
            Member(Editor),
            api::candidates::set_state,
        )
        .add(
            Method::POST,
            "/api/v1/candidates/votes",
            Member(Editor),
            api::candidates::vote,
        )
        .add(
            Method::GET,
            "/api/v1/candidates/{id}",
            Member(Viewer),
            api::candidates::show,
        )
        .add(
            Method::POST,
            "/api/v1/candidates/{id}/pick",
            Member(Editor),
            api::candidates::pick,
        )
        .add(
            Method::GET,
            "/api/v1/inbox/events",
            Member(Viewer),
            events::inbox,
        )
        .add(
            Method::GET,
            "/api/v1/issues",
            Member(Viewer),
            api::issues::list,
        )
        .add(
            Method::POST,
            "/api/v1/issues",
            Member(Editor),
            api::issues::start,
        )
        .add(
            Method::GET,
            "/api/v1/issues/current",
            Member(Viewer),
            api::issues::current,
        )
        .add(
            Method::GET,
            "/api/v1/issues/{number}",
            Member(Viewer),
            api::issues::show,
        )
        .add(
            Method::PATCH,
            "/api/v1/issues/{number}",
            Member(Editor),
            api::issues::update,
        )
        .add(
            Method::GET,
            "/api/v1/issues/{number}/markdown",
            Member(Viewer),
            api::issues::markdown,
        )
        .add(
            Method::GET,
            "/api/v1/issues/{number}/events",
            Member(Viewer),
            events::issue,
        )
        .add(
            Method::POST,
            "/api/v1/issues/{number}/picks",
            Member(Editor),
            api::issues::add_pick,
        )
        .add(
            Method::POST,
            "/api/v1/issues/{number}/sections",
            Member(Editor),
            api::sections::add_section,
        )
        .add(
            Method::PUT,
            "/api/v1/issues/{number}/sections/order",
            Member(Editor),
            api::sections::order_sections,
        )
        .add(
            Method::PATCH,
            "/api/v1/issues/{number}/sections/{id}",
            Member(Editor),
            api::sections::rename_section,
        )
        .add(
            Method::DELETE,
            "/api/v1/issues/{number}/sections/{id}",
            Member(Editor),
            api::sections::remove_section,
        )
        .add(
            Method::POST,
            "/api/v1/issues/{number}/publish",
            Member(Publisher),
            api::issues::publish,
        )
        .add(
            Method::POST,
            "/api/v1/issues/{number}/republish",
            Member(Publisher),
            api::issues::republish,
        )
        .add(
            Method::GET,
            "/api/v1/issues/{number}/delivery",
            Member(Viewer),
            api::issues::delivery,
        )
        .add(
            Method::POST,
            "/api/v1/issues/{number}/delivery/retry",
            Member(Publisher),
            api::issues::retry_delivery,
        )
        .add(
            Method::PUT,
            "/api/v1/issues/{number}/hidden",
            Member(Admin),
            api::issues::set_hidden,
        )
        .add(
            Method::GET,
            "/api/v1/sections",
            Member(Viewer),
            api::sections::sections,
        )
        .add(
            Method::GET,
            "/api/v1/settings",
            Member(Admin),
            api::settings::show,
        )
        .add(
            Method::PATCH,
            "/api/v1/settings",
            Member(Admin),
            api::settings::update,
        )
        .add(
            Method::GET,
            "/api/v1/sections/saved",
            Member(Viewer),
            api::sections::saved_sections,
        )
        .add(
            Method::PUT,
            "/api/v1/picks/{id}/layout",
            Member(Editor),
            api::picks::set_layout,
        )
        .add(
            Method::POST,
            "/api/v1/picks/restore",
            Member(Editor),
            api::picks::restore_pick,
        )
        .add(
            Method::PATCH,
            "/api/v1/picks/{id}",
            Member(Editor),
            api::picks::update_pick,
        )
        .add(
            Method::DELETE,
            "/api/v1/picks/{id}",
            Member(Editor),
            api::picks::remove_pick,
        )
        .add(
            Method::POST,
            "/api/v1/picks/{id}/move",
            Member(Editor),
            api::picks::move_pick,
        )
        .add(
            Method::POST,
            "/api/v1/picks/{id}/next-issue",
            Member(Editor),
            api::picks::next_issue,
        )
        .add(
            Method::POST,
            "/api/v1/picks/{id}/notes",
            Member(Editor),
            api::picks::add_note,
        )
        .add(
            Method::GET,
            "/api/v1/picks/{id}/revisions",
            Member(Viewer),
            api::picks::revisions,
        )
        .add(
            Method::POST,
            "/api/v1/notes/{id}/promote",
            Member(Editor),
            api::picks::promote_note,
        )
}
