//! Team accounts against a real database: names unique ignoring case and
//! letter width, deactivation revoking tokens at once, token look-up, and
//! the audit log each change leaves.

use newsdesk_app::{
    accounts::{
        actor::Actor, manage, passwords::verify_password, tokens::member_for_token, Member, Role,
    },
    db::members,
    error::AppError,
};
use sqlx::PgPool;

use crate::support::fresh_database;

const PASSWORD: &str = "a long enough password";

async fn add(pool: &PgPool, name: &str, role: Role) -> Member {
    manage::add_member(pool, &Actor::command_line(), name, role, PASSWORD)
        .await
        .unwrap()
}

async fn member_count(pool: &PgPool) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM members")
        .fetch_one(pool)
        .await
        .unwrap()
}

/// (action, subject) of every audit entry, oldest first.
async fn audit(pool: &PgPool) -> Vec<(String, String)> {
    let mut entries: Vec<(String, String)> = members::recent_audit(pool, 100, None)
        .await
        .unwrap()
        .into_iter()
        .map(|entry| (entry.action, entry.subject))
        .collect();
    entries.reverse();
    entries
}

#[tokio::test]
async fn names_are_unique_ignoring_case_and_letter_width() {
    let pool = fresh_database().await;
    let alice = add(&pool, "  Alice ", Role::Editor).await;
    assert_eq!(alice.name, "Alice");
    assert_eq!(alice.role, Role::Editor);
    assert!(alice.active);

    for taken in ["alice", "ALICE", "Ａｌｉｃｅ"] {
        let error =
            manage::add_member(&pool, &Actor::command_line(), taken, Role::Viewer, PASSWORD)
                .await
                .unwrap_err();
        let message = error.field_message("name").unwrap_or_default();
        assert!(message.contains("already taken"), "{taken}: {error:?}");
    }
    assert_eq!(member_count(&pool).await, 1, "nothing was added");

    // Found by any spelling of the name.
    let found = manage::find_member(&pool, "ａｌｉｃｅ").await.unwrap();
    assert_eq!(found.id, alice.id);
    let missing = manage::find_member(&pool, "bob").await.unwrap_err();
    assert!(missing.field_message("name").is_some(), "{missing:?}");
}

#[tokio::test]
async fn bad_names_and_passwords_change_nothing() {
    let pool = fresh_database().await;
    let actor = Actor::command_line();
    let short = manage::add_member(&pool, &actor, "Carol", Role::Viewer, "short")
        .await
        .unwrap_err();
    assert!(short.field_message("password").is_some(), "{short:?}");
    let long_name = "x".repeat(65);
    let long = manage::add_member(&pool, &actor, &long_name, Role::Viewer, PASSWORD)
        .await
        .unwrap_err();
    assert!(long.field_message("name").is_some(), "{long:?}");
    assert_eq!(member_count(&pool).await, 0);
    assert!(audit(&pool).await.is_empty());
}

#[tokio::test]
async fn passwords_are_stored_hashed_and_can_be_changed() {
    let pool = fresh_database().await;
    let dave = add(&pool, "Dave", Role::Publisher).await;
    let (_, hash) = members::credentials(&pool, "dave").await.unwrap().unwrap();
    assert!(hash.starts_with("$argon2id$"));
    assert!(verify_password(PASSWORD, &hash));

    manage::set_password(
        &pool,
        &Actor::command_line(),
        &dave,
        "another good password",
        None,
    )
    .await
    .unwrap();
    let (_, hash) = members::credentials(&pool, "dave").await.unwrap().unwrap();
    assert!(verify_password("another good password", &hash));
    assert!(!verify_password(PASSWORD, &hash));
}

#[tokio::test]
async fn a_token_works_until_revoked_and_records_its_use() {
    let pool = fresh_database().await;
    let erin = add(&pool, "Erin", Role::Editor).await;
    let actor = Actor::command_line();
    let (info, token) = manage::create_token(&pool, &actor, &erin, " CI ")
        .await
        .unwrap();
    assert!(token.starts_with("nd_"));
    assert_eq!(info.name, "CI");
    assert_eq!(info.last_used_at, None);

    let found = member_for_token(&pool, &token).await.unwrap();
    assert_eq!(found.map(|m| (m.id, m.role)), Some((erin.id, Role::Editor)));
    let listed = members::list_tokens(&pool, erin.id).await.unwrap();
    assert!(listed[0].last_used_at.is_some(), "the use is recorded");

    // Near misses find nobody.
    let mut altered = token.clone();
    altered.pop();
    altered.push(if token.ends_with('A') { 'B' } else { 'A' });
    assert_eq!(member_for_token(&pool, &altered).await.unwrap(), None);
    assert_eq!(member_for_token(&pool, "").await.unwrap(), None);
    assert_eq!(member_for_token(&pool, &token[3..]).await.unwrap(), None);

    manage::revoke_token(&pool, &actor, &erin, info.id)
        .await
        .unwrap();
    assert_eq!(member_for_token(&pool, &token).await.unwrap(), None);
    let again = manage::revoke_token(&pool, &actor, &erin, info.id).await;
    assert_eq!(again, Err(AppError::NotFound), "revoking twice is refused");
}

#[tokio::test]
async fn deactivation_revokes_all_tokens_at_once() {
    let pool = fresh_database().await;
    let actor = Actor::command_line();
    add(&pool, "Admin", Role::Admin).await;
    let frank = add(&pool, "Frank", Role::Editor).await;
    let (_, first) = manage::create_token(&pool, &actor, &frank, "one")
        .await
        .unwrap();
    let (_, second) = manage::create_token(&pool, &actor, &frank, "two")
        .await
        .unwrap();
    assert!(member_for_token(&pool, &first).await.unwrap().is_some());

    manage::deactivate(&pool, &actor, &frank).await.unwrap();
    for token in [&first, &second] {
        assert_eq!(member_for_token(&pool, token).await.unwrap(), None);
    }
    assert!(members::list_tokens(&pool, frank.id)
        .await
        .unwrap()
        .iter()
        .all(|token| token.revoked_at.is_some()));
    let frank = manage::find_member(&pool, "frank").await.unwrap();
    assert!(!frank.active && frank.deactivated_at.is_some());
    assert!(members::credentials(&pool, "frank")
        .await
        .unwrap()
        .is_none());

    // The name stays taken: past contributions keep pointing at it.
    let reused = manage::add_member(&pool, &actor, "Frank", Role::Viewer, PASSWORD).await;
    assert!(reused.is_err());
    let token = manage::create_token(&pool, &actor, &frank, "three").await;
    assert!(token.is_err(), "a deactivated member gets no tokens");
}

#[tokio::test]
async fn the_last_active_admin_cannot_be_demoted_or_deactivated() {
    let pool = fresh_database().await;
    let actor = Actor::command_line();
    let grace = add(&pool, "Grace", Role::Admin).await;
    assert!(members::any_active_admin(&pool).await.unwrap());
    let demoted = manage::set_role(&pool, &actor, &grace, Role::Editor).await;
    assert!(demoted.unwrap_err().field_message("role").is_some());
    assert!(manage::deactivate(&pool, &actor, &grace).await.is_err());

    let heidi = add(&pool, "Heidi", Role::Viewer).await;
    manage::set_role(&pool, &actor, &heidi, Role::Admin)
        .await
        .unwrap();
    manage::set_role(&pool, &actor, &grace, Role::Editor)
        .await
        .unwrap();
    let roles: Vec<(String, Role)> = members::list(&pool)
        .await
        .unwrap()
        .into_iter()
        .map(|m| (m.name, m.role))
        .collect();
    assert_eq!(
        roles,
        [
            ("Grace".into(), Role::Editor),
            ("Heidi".into(), Role::Admin)
        ]
    );
}

#[tokio::test]
async fn every_change_leaves_an_audit_entry() {
    let pool = fresh_database().await;
    let actor = Actor::command_line();
    add(&pool, "Ivan", Role::Admin).await;
    let judy = add(&pool, "Judy", Role::Viewer).await;
    let (info, _) = manage::create_token(&pool, &actor, &judy, "script")
        .await
        .unwrap();
    manage::revoke_token(&pool, &actor, &judy, info.id)
        .await
        .unwrap();
    manage::set_role(&pool, &actor, &judy, Role::Editor)
        .await
        .unwrap();
    manage::set_password(&pool, &actor, &judy, "yet another password", None)
        .await
        .unwrap();
    manage::deactivate(&pool, &actor, &judy).await.unwrap();

    let expected = [
        ("member.add", "Ivan"),
        ("member.add", "Judy"),
        ("token.create", "Judy"),
        ("token.revoke", "Judy"),
        ("member.role", "Judy"),
        ("member.password", "Judy"),
        ("member.deactivate", "Judy"),
    ]
    .map(|(action, subject)| (action.to_owned(), subject.to_owned()));
    assert_eq!(audit(&pool).await, expected);

    let latest = &members::recent_audit(&pool, 3, None).await.unwrap();
    assert_eq!(latest.len(), 3);
    assert_eq!(latest[0].actor_id, None, "the command line acts as nobody");
    assert_eq!(latest[0].detail["via"], "cli");
    assert_eq!(latest[2].detail["from"], "viewer");
    assert_eq!(latest[2].detail["to"], "editor");
    assert!(
        !latest
            .iter()
            .any(|entry| entry.detail.to_string().contains("$argon2")),
        "no secrets in the log"
    );
}
