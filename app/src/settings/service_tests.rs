use super::*;

fn zenn(change: impl FnOnce(&mut Settings)) -> Result<Settings, String> {
    let mut settings = Settings {
        front_matter: FrontMatterKind::Zenn,
        zenn_topics: "kubernetes, cloudnative".into(),
        ..Settings::default()
    };
    change(&mut settings);
    check(settings).map_err(|error| format!("{error:?}"))
}

#[test]
fn zenn_front_matter_is_refused_where_zenn_refuses_it() {
    assert!(zenn(|s| s.zenn_publication = "example_team".into()).is_ok());
    assert!(zenn(|s| s.zenn_publish_time = "09:00".into()).is_ok());
    for (change, field) in [
        (
            Box::new(|s: &mut Settings| s.zenn_publication = "Example-Team".into())
                as Box<dyn FnOnce(&mut Settings)>,
            "zenn_publication",
        ),
        (
            Box::new(|s: &mut Settings| s.zenn_publication = "x".into()),
            "zenn_publication",
        ),
        (
            Box::new(|s: &mut Settings| s.zenn_topics = "a,b,c,d,e,f".into()),
            "zenn_topics",
        ),
        (
            Box::new(|s: &mut Settings| s.zenn_topics = "c++".into()),
            "zenn_topics",
        ),
        (
            Box::new(|s: &mut Settings| s.zenn_topics = "kubernetesoperators".into()),
            "zenn_topics",
        ),
        (
            Box::new(|s: &mut Settings| s.zenn_publish_time = "9:00".into()),
            "zenn_publish_time",
        ),
        (
            Box::new(|s: &mut Settings| s.zenn_publish_time = "24:00".into()),
            "zenn_publish_time",
        ),
        (
            Box::new(|s: &mut Settings| {
                s.zenn_publish_time = "09:00".into();
                s.zenn_published = false;
            }),
            "zenn_publish_time",
        ),
        (
            Box::new(|s: &mut Settings| s.zenn_emoji = String::new()),
            "zenn_emoji",
        ),
    ] {
        let error = zenn(change).expect_err(field);
        assert!(error.contains(field), "{field}: {error}");
    }
}
