//! The HTML document around every page, and the route table.
//!
//! Long because it is the whole route table, each page with its lazy
//! group (the split points of the browser bundle); it reads as one table.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags};
use leptos_router::{
    components::{Route, Router, Routes},
    path, Lazy, LazyRoute, SsrMode,
};

use crate::layout::Erase;
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
    // The language and zone this request resolved to (server/src/http/
    // language.rs), for hydration to start from the same ones.
    let lang = crate::lang::tag(crate::lang::current());
    #[cfg(feature = "ssr")]
    let document_lang = use_context::<http::request::Parts>()
        .and_then(|parts| {
            parts
                .extensions
                .get::<crate::lang::DocumentLanguage>()
                .cloned()
        })
        .map(|document| document.0)
        .filter(|document| document != lang);
    // A public page in the newsletter's language names it in `lang` and
    // the UI's in `data-ui-lang`.
    #[cfg(feature = "ssr")]
    let (html_lang, ui_lang) = match document_lang {
        Some(document) => (document, Some(lang)),
        None => (lang.to_owned(), None),
    };
    #[cfg(not(feature = "ssr"))]
    let (html_lang, ui_lang) = (lang.to_owned(), None::<&str>);
    let zone = crate::lang::clock::current_zone().0;
    #[cfg(feature = "ssr")]
    let zone_chosen = crate::accounts::identity::current_identity()
        .member()
        .is_some_and(|member| member.time_zone.is_some());
    #[cfg(not(feature = "ssr"))]
    let zone_chosen = false;
    view! {
        <!DOCTYPE html>
        <html lang=html_lang data-ui-lang=ui_lang data-zone=zone data-zone-chosen=zone_chosen.then_some("")>
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
    crate::lang::provide();
    crate::lang::clock::provide();
    view! {
        <Router>
            <a class="skip-link" href="#main">{live!(common.skip_to_content)}</a>
            <Header />
            <main id="main">
                <Routes fallback=NotFound>
                    // Async: the first page of candidates is in the HTML, and
                    // rendering it in one piece once its data is there cost
                    // 10-15% less CPU per page than in-order streaming (the
                    // page waits ~4 ms for its data either way).
                    <Route path=path!("/") view={Lazy::<InboxRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/add") view={Lazy::<AddLinkRoute>::new()} />
                    <Route path=path!("/edit") view={Lazy::<IssuesRoute>::new()} ssr=SsrMode::InOrder />
                    <Route path=path!("/edit/import/:id") view={Lazy::<ImportIssuesRoute>::new()} ssr=SsrMode::InOrder />
                    <Route path=path!("/edit/:number") view={Lazy::<EditorRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/edit/:number/preview") view={Lazy::<PreviewRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/edit/:number/meeting") view={Lazy::<MeetingRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/settings") view={Lazy::<SettingsRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/settings/delivery") view={Lazy::<DeliverySettingsRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/settings/webhooks") view={Lazy::<WebhooksRoute>::new()} ssr=SsrMode::Async />
                    // In-order streaming puts the feed list into the HTML
                    // itself, so the page is complete without JavaScript.
                    // A feed's page renders whole first, so an unknown id
                    // can still answer 404.
                    <Route path=path!("/feeds") view={Lazy::<FeedsRoute>::new()} ssr=SsrMode::InOrder />
                    <Route path=path!("/feeds/filters") view={Lazy::<TeamFiltersRoute>::new()} ssr=SsrMode::InOrder />
                    <Route path=path!("/feeds/import/:id") view={Lazy::<ImportRoute>::new()} ssr=SsrMode::InOrder />
                    <Route path=path!("/feeds/:id") view={Lazy::<FeedRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/sign-in") view={Lazy::<SignInRoute>::new()} />
                    <Route path=path!("/setup/:token") view={Lazy::<InvitationRoute>::new()} ssr=SsrMode::InOrder />
                    <Route path=path!("/invite/:token") view={Lazy::<InvitationRoute>::new()} ssr=SsrMode::InOrder />
                    <Route path=path!("/account") view={Lazy::<AccountRoute>::new()} ssr=SsrMode::InOrder />
                    // Async: a member without the admin role gets a 403 page.
                    <Route path=path!("/members") view={Lazy::<MembersRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/members/audit") view={Lazy::<AuditRoute>::new()} ssr=SsrMode::Async />
                    // Async: an unknown or hidden issue answers 404.
                    <Route path=path!("/issues") view={Lazy::<ArchiveRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/issues/:number") view={Lazy::<IssueRoute>::new()} ssr=SsrMode::Async />
                </Routes>
            </main>
        </Router>
        // After the router: hydration reaches it once the page's chunk has
        // loaded and the page's <Title> is there; before, it would set an
        // empty document title while the chunk loads.
        <SiteTitle />
    }
}

// Code splitting. Each group of pages below is one lazily loaded wasm chunk
// (a `#[lazy]` function, split out by scripts/build-site.sh): opening a page
// loads the code of its group, not that of every page, and the server
// preloads the chunk of the page it renders. Few groups, because the
// splitter puts code that several groups share into chunks of its own, one
// per combination of groups: more groups, more (and smaller) files to fetch.
// Each function is written out (no macro): a split point's name comes from
// where it is written.

/// The page a route shows, passed into its group's chunk.
#[derive(Clone, Copy)]
#[repr(u8)]
enum Page {
    Inbox,
    AddLink,
    Issues,
    ImportIssues,
    Editor,
    Preview,
    Meeting,
    Feeds,
    TeamFilters,
    Import,
    Feed,
    Settings,
    DeliverySettings,
    Webhooks,
    Members,
    Audit,
    SignIn,
    Invitation,
    Account,
    Archive,
    Issue,
}

/// The inbox and adding a link: what members open every day.
#[lazy]
fn inbox_pages(page: Page) -> AnyView {
    #[cfg(feature = "ssr")]
    crate::layout::preload_chunks_of("inbox_pages");
    match page {
        Page::Inbox => view! { <InboxPage /> }.erase(),
        Page::AddLink => view! { <AddLinkPage /> }.erase(),
        _ => view! { <NotFound /> }.erase(),
    }
}

/// The issues, the editor, its preview and meeting mode, importing back issues.
#[lazy]
fn editor_pages(page: Page) -> AnyView {
    #[cfg(feature = "ssr")]
    crate::layout::preload_chunks_of("editor_pages");
    match page {
        Page::Issues => view! { <IssuesPage /> }.erase(),
        Page::ImportIssues => view! { <ImportIssuesPage /> }.erase(),
        Page::Editor => view! { <EditorPage /> }.erase(),
        Page::Preview => view! { <PreviewPage /> }.erase(),
        Page::Meeting => view! { <MeetingPage /> }.erase(),
        _ => view! { <NotFound /> }.erase(),
    }
}

/// The feeds, a feed's page, the team's filters, OPML import.
#[lazy]
fn feeds_pages(page: Page) -> AnyView {
    #[cfg(feature = "ssr")]
    crate::layout::preload_chunks_of("feeds_pages");
    match page {
        Page::Feeds => view! { <FeedsPage /> }.erase(),
        Page::TeamFilters => view! { <TeamFiltersPage /> }.erase(),
        Page::Import => view! { <ImportPage /> }.erase(),
        Page::Feed => view! { <FeedPage /> }.erase(),
        _ => view! { <NotFound /> }.erase(),
    }
}

/// Settings, delivery, webhooks, members and their audit log.
#[lazy]
fn admin_pages(page: Page) -> AnyView {
    #[cfg(feature = "ssr")]
    crate::layout::preload_chunks_of("admin_pages");
    match page {
        Page::Settings => view! { <SettingsPage /> }.erase(),
        Page::DeliverySettings => view! { <DeliverySettingsPage /> }.erase(),
        Page::Webhooks => view! { <WebhooksPage /> }.erase(),
        Page::Members => view! { <MembersPage /> }.erase(),
        Page::Audit => view! { <AuditPage /> }.erase(),
        _ => view! { <NotFound /> }.erase(),
    }
}

/// Signing in, invitations, one's account.
#[lazy]
fn accounts_pages(page: Page) -> AnyView {
    #[cfg(feature = "ssr")]
    crate::layout::preload_chunks_of("accounts_pages");
    match page {
        Page::SignIn => view! { <SignInPage /> }.erase(),
        Page::Invitation => view! { <InvitationPage /> }.erase(),
        Page::Account => view! { <AccountPage /> }.erase(),
        _ => view! { <NotFound /> }.erase(),
    }
}

/// The public archive and published issues.
#[lazy]
fn publish_pages(page: Page) -> AnyView {
    #[cfg(feature = "ssr")]
    crate::layout::preload_chunks_of("publish_pages");
    match page {
        Page::Archive => view! { <ArchivePage /> }.erase(),
        Page::Issue => view! { <IssuePage /> }.erase(),
        _ => view! { <NotFound /> }.erase(),
    }
}

struct InboxRoute;

impl LazyRoute for InboxRoute {
    fn data() -> Self {
        Self
    }

    async fn view(_this: Self) -> AnyView {
        inbox_pages(Page::Inbox).await
    }

    // Loads the chunk before hydration needs the page (the router awaits it).
    async fn preload() {
        #[cfg(feature = "hydrate")]
        __preload_inbox_pages().await;
    }
}

struct AddLinkRoute;

impl LazyRoute for AddLinkRoute {
    fn data() -> Self {
        Self
    }

    async fn view(_this: Self) -> AnyView {
        inbox_pages(Page::AddLink).await
    }

    // Loads the chunk before hydration needs the page (the router awaits it).
    async fn preload() {
        #[cfg(feature = "hydrate")]
        __preload_inbox_pages().await;
    }
}

struct IssuesRoute;

impl LazyRoute for IssuesRoute {
    fn data() -> Self {
        Self
    }

    async fn view(_this: Self) -> AnyView {
        editor_pages(Page::Issues).await
    }

    // Loads the chunk before hydration needs the page (the router awaits it).
    async fn preload() {
        #[cfg(feature = "hydrate")]
        __preload_editor_pages().await;
    }
}

struct ImportIssuesRoute;

impl LazyRoute for ImportIssuesRoute {
    fn data() -> Self {
        Self
    }

    async fn view(_this: Self) -> AnyView {
        editor_pages(Page::ImportIssues).await
    }

    // Loads the chunk before hydration needs the page (the router awaits it).
    async fn preload() {
        #[cfg(feature = "hydrate")]
        __preload_editor_pages().await;
    }
}

struct EditorRoute;

impl LazyRoute for EditorRoute {
    fn data() -> Self {
        Self
    }

    async fn view(_this: Self) -> AnyView {
        editor_pages(Page::Editor).await
    }

    // Loads the chunk before hydration needs the page (the router awaits it).
    async fn preload() {
        #[cfg(feature = "hydrate")]
        __preload_editor_pages().await;
    }
}

struct PreviewRoute;

impl LazyRoute for PreviewRoute {
    fn data() -> Self {
        Self
    }

    async fn view(_this: Self) -> AnyView {
        editor_pages(Page::Preview).await
    }

    // Loads the chunk before hydration needs the page (the router awaits it).
    async fn preload() {
        #[cfg(feature = "hydrate")]
        __preload_editor_pages().await;
    }
}

struct MeetingRoute;

impl LazyRoute for MeetingRoute {
    fn data() -> Self {
        Self
    }

    async fn view(_this: Self) -> AnyView {
        editor_pages(Page::Meeting).await
    }

    // Loads the chunk before hydration needs the page (the router awaits it).
    async fn preload() {
        #[cfg(feature = "hydrate")]
        __preload_editor_pages().await;
    }
}

struct FeedsRoute;

impl LazyRoute for FeedsRoute {
    fn data() -> Self {
        Self
    }

    async fn view(_this: Self) -> AnyView {
        feeds_pages(Page::Feeds).await
    }

    // Loads the chunk before hydration needs the page (the router awaits it).
    async fn preload() {
        #[cfg(feature = "hydrate")]
        __preload_feeds_pages().await;
    }
}

struct TeamFiltersRoute;

impl LazyRoute for TeamFiltersRoute {
    fn data() -> Self {
        Self
    }

    async fn view(_this: Self) -> AnyView {
        feeds_pages(Page::TeamFilters).await
    }

    // Loads the chunk before hydration needs the page (the router awaits it).
    async fn preload() {
        #[cfg(feature = "hydrate")]
        __preload_feeds_pages().await;
    }
}

struct ImportRoute;

impl LazyRoute for ImportRoute {
    fn data() -> Self {
        Self
    }

    async fn view(_this: Self) -> AnyView {
        feeds_pages(Page::Import).await
    }

    // Loads the chunk before hydration needs the page (the router awaits it).
    async fn preload() {
        #[cfg(feature = "hydrate")]
        __preload_feeds_pages().await;
    }
}

struct FeedRoute;

impl LazyRoute for FeedRoute {
    fn data() -> Self {
        Self
    }

    async fn view(_this: Self) -> AnyView {
        feeds_pages(Page::Feed).await
    }

    // Loads the chunk before hydration needs the page (the router awaits it).
    async fn preload() {
        #[cfg(feature = "hydrate")]
        __preload_feeds_pages().await;
    }
}

struct SettingsRoute;

impl LazyRoute for SettingsRoute {
    fn data() -> Self {
        Self
    }

    async fn view(_this: Self) -> AnyView {
        admin_pages(Page::Settings).await
    }

    // Loads the chunk before hydration needs the page (the router awaits it).
    async fn preload() {
        #[cfg(feature = "hydrate")]
        __preload_admin_pages().await;
    }
}

struct DeliverySettingsRoute;

impl LazyRoute for DeliverySettingsRoute {
    fn data() -> Self {
        Self
    }

    async fn view(_this: Self) -> AnyView {
        admin_pages(Page::DeliverySettings).await
    }

    // Loads the chunk before hydration needs the page (the router awaits it).
    async fn preload() {
        #[cfg(feature = "hydrate")]
        __preload_admin_pages().await;
    }
}

struct WebhooksRoute;

impl LazyRoute for WebhooksRoute {
    fn data() -> Self {
        Self
    }

    async fn view(_this: Self) -> AnyView {
        admin_pages(Page::Webhooks).await
    }

    // Loads the chunk before hydration needs the page (the router awaits it).
    async fn preload() {
        #[cfg(feature = "hydrate")]
        __preload_admin_pages().await;
    }
}

struct MembersRoute;

impl LazyRoute for MembersRoute {
    fn data() -> Self {
        Self
    }

    async fn view(_this: Self) -> AnyView {
        admin_pages(Page::Members).await
    }

    // Loads the chunk before hydration needs the page (the router awaits it).
    async fn preload() {
        #[cfg(feature = "hydrate")]
        __preload_admin_pages().await;
    }
}

struct AuditRoute;

impl LazyRoute for AuditRoute {
    fn data() -> Self {
        Self
    }

    async fn view(_this: Self) -> AnyView {
        admin_pages(Page::Audit).await
    }

    // Loads the chunk before hydration needs the page (the router awaits it).
    async fn preload() {
        #[cfg(feature = "hydrate")]
        __preload_admin_pages().await;
    }
}

struct SignInRoute;

impl LazyRoute for SignInRoute {
    fn data() -> Self {
        Self
    }

    async fn view(_this: Self) -> AnyView {
        accounts_pages(Page::SignIn).await
    }

    // Loads the chunk before hydration needs the page (the router awaits it).
    async fn preload() {
        #[cfg(feature = "hydrate")]
        __preload_accounts_pages().await;
    }
}

struct InvitationRoute;

impl LazyRoute for InvitationRoute {
    fn data() -> Self {
        Self
    }

    async fn view(_this: Self) -> AnyView {
        accounts_pages(Page::Invitation).await
    }

    // Loads the chunk before hydration needs the page (the router awaits it).
    async fn preload() {
        #[cfg(feature = "hydrate")]
        __preload_accounts_pages().await;
    }
}

struct AccountRoute;

impl LazyRoute for AccountRoute {
    fn data() -> Self {
        Self
    }

    async fn view(_this: Self) -> AnyView {
        accounts_pages(Page::Account).await
    }

    // Loads the chunk before hydration needs the page (the router awaits it).
    async fn preload() {
        #[cfg(feature = "hydrate")]
        __preload_accounts_pages().await;
    }
}

struct ArchiveRoute;

impl LazyRoute for ArchiveRoute {
    fn data() -> Self {
        Self
    }

    async fn view(_this: Self) -> AnyView {
        publish_pages(Page::Archive).await
    }

    // Loads the chunk before hydration needs the page (the router awaits it).
    async fn preload() {
        #[cfg(feature = "hydrate")]
        __preload_publish_pages().await;
    }
}

struct IssueRoute;

impl LazyRoute for IssueRoute {
    fn data() -> Self {
        Self
    }

    async fn view(_this: Self) -> AnyView {
        publish_pages(Page::Issue).await
    }

    // Loads the chunk before hydration needs the page (the router awaits it).
    async fn preload() {
        #[cfg(feature = "hydrate")]
        __preload_publish_pages().await;
    }
}
