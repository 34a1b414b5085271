//! The HTML document around every page, and the route table.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

use crate::{
    accounts::pages::{AccountPage, AuditPage, InvitationPage, MembersPage, SignInPage},
    delivery::pages::DeliverySettingsPage,
    editor::pages::{EditorPage, IssuesPage, MeetingPage, PreviewPage},
    feeds::{FeedPage, FeedsPage, ImportPage, TeamFiltersPage},
    import::pages::ImportIssuesPage,
    inbox::pages::{AddLinkPage, InboxPage},
    layout::{Header, SiteTitle},
    pages::NotFound,
    publish::pages::{ArchivePage, IssuePage},
    settings::page::SettingsPage,
    webhooks::page::WebhooksPage,
};

/// The full document rendered on the server. The stylesheet and scripts use
/// content-hashed names (`options.output_name`), so they can be cached forever.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    provide_request_nonce();
    let stylesheet = format!("/{}/{}.css", options.site_pkg_dir, options.output_name);
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light dark" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link rel="stylesheet" href=stylesheet />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The server's security-headers middleware puts a fresh CSP nonce into the
/// request; hand it to Leptos so every inline script it emits carries it.
#[cfg(feature = "ssr")]
fn provide_request_nonce() {
    use crate::state::CspNonce;
    if let Some(nonce) = use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<CspNonce>().cloned())
    {
        provide_context(leptos::nonce::Nonce::from_value(nonce.0));
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <SiteTitle />
        <Router>
            <a class="skip-link" href="#main">"Skip to content"</a>
            <Header />
            <main id="main">
                <Routes fallback=NotFound>
                    // Async: the first page of candidates is in the HTML, and
                    // rendering it in one piece once its data is there cost
                    // 10-15% less CPU per page than in-order streaming (the
                    // page waits ~4 ms for its data either way).
                    <Route path=path!("/") view=InboxPage ssr=SsrMode::Async />
                    <Route path=path!("/add") view=AddLinkPage />
                    <Route path=path!("/edit") view=IssuesPage ssr=SsrMode::InOrder />
                    <Route path=path!("/edit/import/:id") view=ImportIssuesPage ssr=SsrMode::InOrder />
                    <Route path=path!("/edit/:number") view=EditorPage ssr=SsrMode::Async />
                    <Route path=path!("/edit/:number/preview") view=PreviewPage ssr=SsrMode::Async />
                    <Route path=path!("/edit/:number/meeting") view=MeetingPage ssr=SsrMode::Async />
                    <Route path=path!("/settings") view=SettingsPage ssr=SsrMode::Async />
                    <Route path=path!("/settings/delivery") view=DeliverySettingsPage ssr=SsrMode::Async />
                    <Route path=path!("/settings/webhooks") view=WebhooksPage ssr=SsrMode::Async />
                    // In-order streaming puts the feed list into the HTML
                    // itself, so the page is complete without JavaScript.
                    // A feed's page renders whole first, so an unknown id
                    // can still answer 404.
                    <Route path=path!("/feeds") view=FeedsPage ssr=SsrMode::InOrder />
                    <Route path=path!("/feeds/filters") view=TeamFiltersPage ssr=SsrMode::InOrder />
                    <Route path=path!("/feeds/import/:id") view=ImportPage ssr=SsrMode::InOrder />
                    <Route path=path!("/feeds/:id") view=FeedPage ssr=SsrMode::Async />
                    <Route path=path!("/sign-in") view=SignInPage />
                    <Route path=path!("/setup/:token") view=InvitationPage ssr=SsrMode::InOrder />
                    <Route path=path!("/invite/:token") view=InvitationPage ssr=SsrMode::InOrder />
                    <Route path=path!("/account") view=AccountPage ssr=SsrMode::InOrder />
                    // Async: a member without the admin role gets a 403 page.
                    <Route path=path!("/members") view=MembersPage ssr=SsrMode::Async />
                    <Route path=path!("/members/audit") view=AuditPage ssr=SsrMode::Async />
                    // Async: an unknown or hidden issue answers 404.
                    <Route path=path!("/issues") view=ArchivePage ssr=SsrMode::Async />
                    <Route path=path!("/issues/:number") view=IssuePage ssr=SsrMode::Async />
                </Routes>
            </main>
        </Router>
    }
}
