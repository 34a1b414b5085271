use super::*;

/// A task spawned while a page renders can outlive the render's owner
/// and then read its disposed signals: leptos_i18n's context did, and
/// panicked on a server worker when leptos_axum listed the routes at
/// startup under load. The UI locale starts none.
#[cfg(feature = "ssr")]
#[test]
fn the_ui_locale_leaves_no_task_running_on_the_server() {
    use std::sync::atomic::{AtomicUsize, Ordering};

    static SPAWNED: AtomicUsize = AtomicUsize::new(0);
    struct Counting;
    impl any_spawner::CustomExecutor for Counting {
        fn spawn(&self, _: any_spawner::PinnedFuture<()>) {
            SPAWNED.fetch_add(1, Ordering::SeqCst);
        }
        fn spawn_local(&self, _: any_spawner::PinnedLocalFuture<()>) {
            SPAWNED.fetch_add(1, Ordering::SeqCst);
        }
        fn poll_local(&self) {}
    }
    any_spawner::Executor::init_custom_executor(Counting)
        .expect("no other test of this crate sets the executor");

    let owner = Owner::new();
    owner.with(|| {
        provide();
        let ui = ui();
        ui.set(Locale::ja);
        assert_eq!(ui.get(), Locale::ja);
        assert_eq!(current(), Locale::ja);
    });
    drop(owner);

    assert_eq!(SPAWNED.load(Ordering::SeqCst), 0, "a task was spawned");
}

#[test]
fn placeholders_are_filled_once_and_values_stay_text() {
    assert_eq!(
        fill(
            "{what}を読み込めませんでした。",
            &[("what", "<b>{what}</b>")]
        ),
        "<b>{what}</b>を読み込めませんでした。"
    );
    assert_eq!(
        fill("{a} and {b} {c}", &[("a", "{b}"), ("b", "B")]),
        "{b} and B {c}"
    );
}

#[test]
fn tags_match_by_their_primary_language() {
    assert_eq!(from_tag("ja"), Some(Locale::ja));
    assert_eq!(from_tag("ja-JP"), Some(Locale::ja));
    assert_eq!(from_tag("EN_us"), Some(Locale::en));
    assert_eq!(from_tag("fr"), None);
    assert_eq!(from_tag(""), None);
}

#[test]
fn accept_language_follows_the_weights_then_the_order() {
    assert_eq!(from_accept_language("ja,en;q=0.8"), Some(Locale::ja));
    assert_eq!(
        from_accept_language("en-US,en;q=0.9,ja;q=0.95"),
        Some(Locale::en)
    );
    assert_eq!(
        from_accept_language("fr-FR,ja;q=0.5,en;q=0.4"),
        Some(Locale::ja)
    );
    assert_eq!(from_accept_language("en;q=0.3, ja;q=0.7"), Some(Locale::ja));
    assert_eq!(from_accept_language("ja;q=0, en;q=0.1"), Some(Locale::en));
    assert_eq!(from_accept_language("de, fr"), None);
    assert_eq!(from_accept_language("ja;q=abc"), None);
}

#[test]
fn a_query_beats_the_member_who_beats_the_cookie_and_the_browser() {
    let all = Choices {
        query: Some("ja"),
        member: Some("en"),
        cookie: Some("en"),
        accept_language: Some("en"),
    };
    assert_eq!(all.resolve(), Locale::ja);
    assert_eq!(
        Choices {
            query: Some("xx"),
            ..all
        }
        .resolve(),
        Locale::en
    );
    let browser_only = Choices {
        accept_language: Some("ja-JP,ja;q=0.9"),
        ..Choices::default()
    };
    assert_eq!(browser_only.resolve(), Locale::ja);
    assert_eq!(
        Choices {
            cookie: Some("en"),
            ..browser_only
        }
        .resolve(),
        Locale::en
    );
    assert_eq!(Choices::default().resolve(), Locale::en);
}
