//! Migrations that reshape existing data keep what existing issues show.

use sqlx::PgPool;

use crate::support::empty_database;

/// The migration files in order, as `(file name, SQL)`.
fn migrations() -> Vec<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../migrations");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "sql"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&path).unwrap())
        })
        .collect()
}

/// Applies the migrations before (`before = true`) or from `first`.
async fn apply(pool: &PgPool, first: &str, before: bool) {
    for (name, sql) in migrations() {
        if (name.as_str() < first) == before {
            sqlx::raw_sql(&sql)
                .execute(pool)
                .await
                .unwrap_or_else(|error| panic!("{name}: {error}"));
        }
    }
}

#[tokio::test]
async fn issues_keep_their_sections_when_sections_become_per_issue() {
    let pool = empty_database().await;
    apply(&pool, "20261205000001", true).await;
    // A retired section that a draft and a published issue still have
    // picks in, besides the three defaults.
    sqlx::raw_sql(
        "INSERT INTO sections (title, position, archived_at) VALUES ('📦 Retired', 9, now());
         INSERT INTO issues (number, issue_date, state, published_at)
             VALUES (1, '2026-11-27', 'published', now()), (2, '2026-12-04', 'draft', NULL);
         INSERT INTO picks (issue_id, section_id, position, url, title)
             SELECT i.id, s.id, 1, 'https://example.com/' || i.number, 'Pick ' || i.number
             FROM issues i, sections s WHERE s.title = '📦 Retired';
         UPDATE sections SET position = 0 WHERE title = '🤝 Events';",
    )
    .execute(&pool)
    .await
    .unwrap();
    apply(&pool, "20261205000001", false).await;
    let shown: Vec<(i32, Vec<String>)> = sqlx::query_as(
        "SELECT i.number, array_agg(s.title ORDER BY s.position)
         FROM issues i JOIN issue_sections s ON s.issue_id = i.id
         GROUP BY i.number ORDER BY i.number",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    // What the editor showed before: the sections in use in the
    // newsletter's order, then the retired one each issue has picks in.
    let expected = vec![
        "🤝 Events".to_owned(),
        "👀 Notable Articles".to_owned(),
        "🛠️ Tools, Frameworks, Libraries".to_owned(),
        "📦 Retired".to_owned(),
    ];
    assert_eq!(shown, vec![(1, expected.clone()), (2, expected)]);
    // Every pick is in a section of its own issue (the foreign key holds).
    let orphans: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM picks p WHERE NOT EXISTS (SELECT 1 FROM issue_sections s
             WHERE s.issue_id = p.issue_id AND s.section_id = p.section_id)",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(orphans, 0);
}
