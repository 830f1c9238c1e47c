use super::*;

#[test]
fn defaults_derive_from_the_app_id() {
    let id = AppIdentity::new("com.contoso.notes", "Contoso Notes").unwrap();
    assert_eq!(id.app_id(), "com.contoso.notes");
    assert_eq!(id.display_name(), "Contoso Notes");
    assert_eq!(id.keyring_service_name(), "com.contoso.notes.token-cache");
    assert_eq!(id.cache_file_name(), "tokens.lanyard");
    assert_eq!(id.lock_file_name(), "tokens.lanyard.lock");
    assert_eq!(
        id.fallback_cache_file_name("kernel-keyring"),
        "tokens.kernel-keyring.lanyard"
    );
    assert_eq!(
        id.cache_dir_path(),
        dirs::data_local_dir()
            .map(|d| d.join("com.contoso.notes"))
            .as_deref()
    );
    assert!(id.validate().is_ok());
}

#[test]
fn setters_replace_the_defaults() {
    let id = AppIdentity::new("com.contoso.notes", "Contoso Notes")
        .unwrap()
        .keyring_service("contoso-keys")
        .cache_dir("/var/tmp/notes")
        .cache_file_stem("notes");
    assert_eq!(id.keyring_service_name(), "contoso-keys");
    assert_eq!(id.cache_dir_path(), Some(Path::new("/var/tmp/notes")));
    assert_eq!(id.cache_file_name(), "notes.lanyard");
    assert_eq!(id.lock_file_name(), "notes.lanyard.lock");
    assert!(id.validate().is_ok());
}

fn field_of(result: Result<AppIdentity, Error>) -> String {
    match result {
        Err(Error::Config { field, .. }) => field,
        other => panic!("expected a configuration error, got {other:?}"),
    }
}

#[test]
fn bad_ids_and_names_are_refused() {
    for bad in [
        "",
        "com/contoso",
        "com\\contoso",
        "..",
        "com..contoso",
        "../notes",
        ".notes",
        "notes.",
        "com.contoso notes",
        "com.contoso:notes",
        "com.contoso.nötes",
    ] {
        assert_eq!(
            field_of(AppIdentity::new(bad, "Notes")),
            "identity.app_id",
            "{bad:?}"
        );
    }
    for good in ["notes", "com.contoso.notes", "dev.lanyard.app", "a-b_c.d1"] {
        assert!(AppIdentity::new(good, "Notes").is_ok(), "{good:?}");
    }
    for bad in ["", "  ", "Notes\n"] {
        assert_eq!(
            field_of(AppIdentity::new("com.contoso.notes", bad)),
            "identity.display_name",
            "{bad:?}"
        );
    }
}

#[test]
fn validate_checks_what_the_setters_took() {
    let id = || AppIdentity::new("com.contoso.notes", "Notes").unwrap();
    let field =
        |id: AppIdentity| field_of(id.validate().map(|()| AppIdentity::new("x", "x").unwrap()));
    assert_eq!(field(id().cache_file_stem("")), "identity.cache_file_stem");
    assert_eq!(
        field(id().cache_file_stem("a/b")),
        "identity.cache_file_stem"
    );
    assert_eq!(
        field(id().cache_file_stem("..")),
        "identity.cache_file_stem"
    );
    assert_eq!(field(id().keyring_service(" ")), "identity.keyring_service");
}
