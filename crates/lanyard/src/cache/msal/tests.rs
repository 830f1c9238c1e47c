use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use oauth2::{AccessToken, RefreshToken};
use serde_json::{json, Value};

use super::targets::{match_api, Miss};
use super::*;
use crate::cache::model::{
    AccessKey, AccountKey, AccountRecord, IdTokenKey, IdTokenRecord, IdTokenSecret, RefreshKey,
};
use crate::model::{AccountId, AccountInfo};

const ENV: &str = "idp.example";
const CLIENT: &str = "App-Client";
const NOW: u64 = 1_700_000_000;
const AT_SECRET: &str = "at-secret-that-must-not-leak";
const RT_SECRET: &str = "rt-secret-that-must-not-leak";

fn jwt(claims: Value) -> String {
    let part = |v: &Value| URL_SAFE_NO_PAD.encode(serde_json::to_vec(v).unwrap());
    format!(
        "{}.{}.c2lnbmF0dXJl",
        part(&json!({"alg": "RS256", "typ": "JWT"})),
        part(&claims)
    )
}

fn account_key(home: &str) -> AccountKey {
    AccountKey {
        home_account_id: home.into(),
        environment: ENV.into(),
    }
}

fn scope() -> ImportScope {
    ImportScope {
        environment: ENV.into(),
        client_id: CLIENT.into(),
        issuer: "https://idp.example/tenant-1/v2.0".into(),
        apis: vec![
            ApiTarget {
                target: "api://customer/read".into(),
                scopes: vec!["api://customer/read".into()],
                resource: None,
            },
            ApiTarget {
                target: "api://vendor/read api://vendor/write".into(),
                scopes: vec!["api://vendor/write".into(), "api://vendor/read".into()],
                resource: None,
            },
        ],
    }
}

/// A signed-in account with both APIs' tokens, as Lanyard's engine stores them.
fn signed_in(home: &str) -> TokenCache {
    let mut cache = TokenCache::default();
    cache.upsert_account(AccountRecord {
        key: account_key(home),
        info: AccountInfo {
            id: AccountId(home.into()),
            username: Some("alice@example.test".into()),
            name: Some("Alice".into()),
            issuer: "https://idp.example/tenant-1/v2.0".into(),
            tenant_id: Some("tenant-1".into()),
        },
        realm: "tenant-1".into(),
        local_account_id: "uid-1".into(),
    });
    cache.put_id_token(IdTokenRecord {
        key: IdTokenKey {
            account: account_key(home),
            client_id: CLIENT.into(),
            realm: "tenant-1".into(),
        },
        secret: IdTokenSecret::new(jwt(json!({
            "iss": "https://idp.example/tenant-1/v2.0", "sub": "sub-1", "tid": "tenant-1",
            "preferred_username": "alice@example.test", "name": "Alice"
        }))),
    });
    cache.put_refresh_token(
        RefreshKey {
            account: account_key(home),
            client_id: CLIENT.into(),
        },
        RefreshToken::new(RT_SECRET.into()),
    );
    for api in scope().apis {
        cache.put_access_token(AccessRecord {
            key: AccessKey {
                account: account_key(home),
                client_id: CLIENT.into(),
                target: api.target.clone(),
            },
            secret: AccessToken::new(format!("{AT_SECRET}-{}", api.target)),
            scopes: api.scopes.clone(),
            resource: None,
            realm: "tenant-1".into(),
            cached_at: NOW,
            expires_on: NOW + 3600,
            extended_expires_on: NOW + 7200,
        });
    }
    cache
}

fn exported(cache: &TokenCache) -> Value {
    serde_json::from_str(&export(cache).unwrap()).unwrap()
}

fn import_json(cache: &mut TokenCache, json: &Value) -> Result<ImportReport, Error> {
    MsalCache::parse(&json.to_string())?.import_into(cache, &scope(), NOW)
}

fn cache_error(json: &str) -> String {
    match MsalCache::parse(json) {
        Err(Error::Cache(message)) => message,
        Err(other) => panic!("expected a cache error, got {other:?}"),
        Ok(_) => panic!("expected a cache error for {json}"),
    }
}

#[test]
fn export_uses_msal_keys_and_decimal_string_timestamps() {
    let doc = exported(&signed_in("UID-1.Tenant-1"));
    let account = &doc["Account"]["uid-1.tenant-1-idp.example-tenant-1"];
    assert_eq!(account["home_account_id"], "UID-1.Tenant-1");
    assert_eq!(account["realm"], "tenant-1");
    assert_eq!(account["local_account_id"], "uid-1");
    assert_eq!(account["username"], "alice@example.test");
    assert_eq!(account["authority_type"], "MSSTS");
    let profile: Value =
        serde_json::from_str(account["tenantProfiles"][0].as_str().unwrap()).unwrap();
    assert_eq!(profile["tenantId"], "tenant-1");
    assert_eq!(profile["isHomeTenant"], true);

    let at = &doc["AccessToken"]
        ["uid-1.tenant-1-idp.example-accesstoken-app-client-tenant-1-api://vendor/read api://vendor/write"];
    assert_eq!(at["credential_type"], "AccessToken");
    assert_eq!(at["client_id"], CLIENT, "values keep their case");
    assert_eq!(at["target"], "api://vendor/read api://vendor/write");
    assert_eq!(at["cached_at"], NOW.to_string());
    assert_eq!(at["expires_on"], (NOW + 3600).to_string());
    assert_eq!(at["extended_expires_on"], (NOW + 7200).to_string());
    assert_eq!(at["token_type"], "Bearer");
    assert!(at.get("resource").is_none());

    let rt = &doc["RefreshToken"]["uid-1.tenant-1-idp.example-refreshtoken-app-client--"];
    assert_eq!(rt["secret"], RT_SECRET);
    let idt = &doc["IdToken"]["uid-1.tenant-1-idp.example-idtoken-app-client-tenant-1-"];
    assert_eq!(idt["realm"], "tenant-1");
    let app = &doc["AppMetadata"]["appmetadata-idp.example-app-client"];
    assert_eq!(app["client_id"], CLIENT);
    assert!(app.get("family_id").is_none());
    for section in [
        "Account",
        "IdToken",
        "AccessToken",
        "RefreshToken",
        "AppMetadata",
    ] {
        for key in doc[section].as_object().unwrap().keys() {
            assert_eq!(key, &key.to_lowercase(), "{section} key {key}");
        }
    }
}

#[test]
fn export_then_import_round_trips() {
    let original = signed_in("uid-1.tenant-1");
    let json = export(&original).unwrap();
    let mut cache = TokenCache::default();
    let report = MsalCache::parse(&json)
        .unwrap()
        .import_into(&mut cache, &scope(), NOW)
        .unwrap();
    assert_eq!(
        report,
        ImportReport {
            accounts: 1,
            id_tokens: 1,
            access_tokens: 2,
            refresh_tokens: 1,
            skipped: SkippedEntries::default(),
        }
    );
    let key = account_key("uid-1.tenant-1");
    let account = cache.account(&key).unwrap();
    assert_eq!(account.info, original.account(&key).unwrap().info);
    assert_eq!(account.realm, "tenant-1");
    assert_eq!(account.local_account_id, "uid-1");
    for api in scope().apis {
        let key = AccessKey {
            account: key.clone(),
            client_id: CLIENT.into(),
            target: api.target.clone(),
        };
        let (got, want) = (
            cache.access_token(&key).unwrap(),
            original.access_token(&key).unwrap(),
        );
        assert_eq!(got.secret.secret(), want.secret.secret());
        assert_eq!(
            (got.cached_at, got.expires_on, got.extended_expires_on),
            (want.cached_at, want.expires_on, want.extended_expires_on)
        );
        assert_eq!(got.realm, "tenant-1");
    }
    let rk = RefreshKey {
        account: key,
        client_id: CLIENT.into(),
    };
    assert_eq!(cache.refresh_token(&rk).unwrap().secret.secret(), RT_SECRET);
    // And the same JSON again.
    assert_eq!(
        serde_json::from_str::<Value>(&export(&cache).unwrap()).unwrap(),
        serde_json::from_str::<Value>(&json).unwrap()
    );
}

#[test]
fn rfc8707_tokens_carry_their_resource_both_ways() {
    let mut cache = TokenCache::default();
    let home = "sub-1";
    let mut source = signed_in(home);
    let mut scope = scope();
    for (api, resource) in scope
        .apis
        .iter_mut()
        .zip(["api://customer", "api://vendor"])
    {
        api.resource = Some(resource.into());
        api.target = resource.into();
        api.scopes = vec!["read".into()];
    }
    // Two APIs with the same scope: told apart by their resource.
    for api in &scope.apis {
        let resource = api.resource.clone().unwrap();
        source.put_access_token(AccessRecord {
            key: AccessKey {
                account: account_key(home),
                client_id: CLIENT.into(),
                target: resource.clone(),
            },
            secret: AccessToken::new(format!("{AT_SECRET}-{resource}")),
            scopes: vec!["read".into()],
            resource: Some(resource.clone()),
            realm: "tenant-1".into(),
            cached_at: NOW,
            expires_on: NOW
                + if resource.ends_with("vendor") {
                    900
                } else {
                    600
                },
            extended_expires_on: 0,
        });
    }
    let doc = exported(&source);
    let ats: Vec<&Value> = doc["AccessToken"]
        .as_object()
        .unwrap()
        .values()
        .filter(|at| at["target"] == "read")
        .collect();
    // MSAL's key has no room for the resource: one entry, the longer-lived one.
    assert_eq!(ats.len(), 1);
    assert_eq!(ats[0]["resource"], "api://vendor");
    assert_eq!(ats[0]["extended_expires_on"], (NOW + 900).to_string());

    let report = MsalCache::parse(&doc.to_string())
        .unwrap()
        .import_into(&mut cache, &scope, NOW)
        .unwrap();
    assert_eq!(report.access_tokens, 1);
    // The scope-only tokens of `signed_in` name no resource and match no API.
    assert_eq!(report.skipped.unknown_target, 2);
    let key = AccessKey {
        account: account_key(home),
        client_id: CLIENT.into(),
        target: "api://vendor".into(),
    };
    let record = cache.access_token(&key).unwrap();
    assert_eq!(record.secret.secret(), &format!("{AT_SECRET}-api://vendor"));
    assert_eq!(record.resource.as_deref(), Some("api://vendor"));
}

/// A cache as MSAL Python 1.39 writes it after an auth-code sign-in (nulls and all).
fn python_style_cache(home: &str, expires_on: u64) -> Value {
    let id_token = jwt(json!({
        "iss": "https://idp.example/tenant-1/v2.0", "sub": "sub-1", "oid": "oid-1",
        "tid": "tenant-1", "preferred_username": "bob@example.test", "name": "Bob"
    }));
    json!({
        "AccessToken": {
            format!("{home}-idp.example-accesstoken-app-client-tenant-1-api://customer/read openid profile"): {
                "credential_type": "AccessToken", "secret": AT_SECRET,
                "home_account_id": home, "environment": "IDP.example", "client_id": CLIENT,
                "target": "api://customer/read openid profile", "realm": "tenant-1",
                "token_type": "Bearer", "cached_at": NOW.to_string(),
                "expires_on": expires_on.to_string(), "extended_expires_on": expires_on.to_string()
            }
        },
        "Account": {
            format!("{home}-idp.example-tenant-1"): {
                "home_account_id": home, "environment": "idp.example", "realm": "tenant-1",
                "local_account_id": "oid-1", "username": "", "authority_type": "MSSTS",
                "account_source": "authorization_code"
            }
        },
        "IdToken": {
            format!("{home}-idp.example-idtoken-app-client-tenant-1-"): {
                "credential_type": "IdToken", "secret": id_token, "home_account_id": home,
                "environment": "idp.example", "realm": "tenant-1", "client_id": CLIENT
            }
        },
        "RefreshToken": {
            format!("{home}-idp.example-refreshtoken-app-client--api://customer/read openid profile"): {
                "credential_type": "RefreshToken", "secret": RT_SECRET,
                "home_account_id": home, "environment": "idp.example", "client_id": CLIENT,
                "target": "api://customer/read openid profile", "last_modification_time": "1700000000"
            }
        },
        "AppMetadata": {
            "appmetadata-idp.example-App-Client": {
                "client_id": CLIENT, "environment": "idp.example", "family_id": "1"
            }
        }
    })
}

#[test]
fn imports_a_python_style_cache_and_fills_the_account_from_the_id_token() {
    let mut cache = TokenCache::default();
    let report = import_json(
        &mut cache,
        &python_style_cache("uid-2.tenant-1", NOW + 3600),
    )
    .unwrap();
    assert_eq!(
        (
            report.accounts,
            report.id_tokens,
            report.access_tokens,
            report.refresh_tokens
        ),
        (1, 1, 1, 1)
    );
    let key = account_key("uid-2.tenant-1");
    let account = cache.account(&key).unwrap();
    assert_eq!(
        account.info.username.as_deref(),
        Some("bob@example.test"),
        "an empty username falls back to the ID token's"
    );
    assert_eq!(account.info.name.as_deref(), Some("Bob"));
    assert_eq!(account.info.issuer, "https://idp.example/tenant-1/v2.0");
    assert_eq!(account.info.tenant_id.as_deref(), Some("tenant-1"));
    let at = cache
        .access_token(&AccessKey {
            account: key.clone(),
            client_id: CLIENT.into(),
            target: "api://customer/read".into(),
        })
        .unwrap();
    assert_eq!(at.secret.secret(), AT_SECRET);
    assert_eq!(at.expires_on, NOW + 3600);
    let rt = cache
        .refresh_token(&RefreshKey {
            account: key,
            client_id: CLIENT.into(),
        })
        .unwrap();
    assert_eq!(rt.family_id.as_deref(), Some("1"), "from AppMetadata");
}

#[test]
fn import_leaves_out_and_counts_what_is_not_this_apps() {
    let mut doc = python_style_cache("uid-3.tenant-1", NOW + 3600);
    let template = doc["AccessToken"]
        .as_object()
        .unwrap()
        .values()
        .next()
        .unwrap()
        .clone();
    let mut add_at = |name: &str, change: &dyn Fn(&mut Value)| {
        let mut at = template.clone();
        change(&mut at);
        doc["AccessToken"][name] = at;
    };
    add_at("other-client", &|at| {
        at["client_id"] = "someone-else".into()
    });
    add_at("other-env", &|at| {
        at["environment"] = "login.other.example".into()
    });
    add_at("unknown-target", &|at| {
        at["target"] = "api://payroll/read".into()
    });
    add_at("vendor-half", &|at| {
        at["target"] = "api://vendor/read".into()
    });
    add_at("expired", &|at| {
        at["target"] = "api://vendor/read api://vendor/write".into();
        at["expires_on"] = NOW.to_string().into();
    });
    add_at("pop", &|at| at["token_type"] = "pop".into());
    add_at("app-only", &|at| at["home_account_id"] = Value::Null);
    add_at("stranger", &|at| at["home_account_id"] = "nobody".into());
    add_at("older-duplicate", &|at| {
        at["expires_on"] = (NOW + 60).to_string().into()
    });
    let mut cache = TokenCache::default();
    let report = import_json(&mut cache, &doc).unwrap();
    assert_eq!(report.access_tokens, 1);
    assert_eq!(
        report.skipped,
        SkippedEntries {
            other_app: 2,
            no_account: 2,
            unknown_target: 2,
            ambiguous_target: 0,
            expired: 1,
            unsupported: 1,
            duplicates: 1,
        }
    );
    let at = cache
        .access_token(&AccessKey {
            account: account_key("uid-3.tenant-1"),
            client_id: CLIENT.into(),
            target: "api://customer/read".into(),
        })
        .unwrap();
    assert_eq!(at.expires_on, NOW + 3600, "the longer-lived duplicate wins");
}

#[test]
fn import_keeps_a_signed_in_accounts_data_and_fresher_tokens() {
    let home = "uid-1.tenant-1";
    let mut cache = signed_in(home);
    let before = cache.account(&account_key(home)).unwrap().info.clone();
    let rt_key = crate::cache::RefreshKey {
        account: account_key(home),
        client_id: CLIENT.into(),
    };
    let live_rt = cache
        .refresh_token(&rt_key)
        .map(|r| r.secret.secret().clone());
    let mut doc = python_style_cache(home, NOW + 60);
    doc["Account"][format!("{home}-idp.example-tenant-1")]["username"] = "changed".into();
    let report = import_json(&mut cache, &doc).unwrap();
    assert_eq!(report.access_tokens, 0);
    assert_eq!(
        (report.accounts, report.id_tokens, report.refresh_tokens),
        (0, 0, 0)
    );
    // The account, its ID token, its refresh token and the shorter-lived access token.
    assert_eq!(report.skipped.duplicates, 4);
    assert_eq!(
        cache
            .refresh_token(&rt_key)
            .map(|r| r.secret.secret().clone()),
        live_rt,
        "the live refresh token is never replaced by an imported one"
    );
    assert_eq!(cache.account(&account_key(home)).unwrap().info, before);
    let at = cache
        .access_token(&AccessKey {
            account: account_key(home),
            client_id: CLIENT.into(),
            target: "api://customer/read".into(),
        })
        .unwrap();
    assert_eq!(at.expires_on, NOW + 3600);
}

#[test]
fn api_matching_prefers_exact_scopes_and_reports_ambiguity() {
    let api = |target: &str, scopes: &[&str]| ApiTarget {
        target: target.into(),
        scopes: scopes.iter().map(|s| s.to_string()).collect(),
        resource: None,
    };
    let apis = vec![api("a", &["x"]), api("b", &["x", "y"]), api("c", &["z"])];
    let matched = |target: &str, resource: Option<&str>| {
        match_api(&apis, target, resource).map(|api| api.target.as_str())
    };
    assert_eq!(matched("X openid", None), Ok("a"));
    assert_eq!(matched("y x offline_access", None), Ok("b"));
    assert_eq!(matched("x z", None), Err(Miss::Ambiguous));
    assert_eq!(matched("openid profile", None), Err(Miss::Unknown));
    assert_eq!(
        matched("z", Some("api://ignored")),
        Ok("c"),
        "a resource means nothing to scope-only APIs"
    );
    let mut rfc8707 = vec![api("api://one", &["read"]), api("api://two", &["read"])];
    for a in &mut rfc8707 {
        a.resource = Some(a.target.clone());
    }
    let matched = |target: &str, resource: Option<&str>| {
        match_api(&rfc8707, target, resource).map(|api| api.target.as_str())
    };
    assert_eq!(matched("read", Some("api://two")), Ok("api://two"));
    assert_eq!(matched("read", Some("api://three")), Err(Miss::Unknown));
    assert_eq!(matched("read", None), Err(Miss::Ambiguous));
}

#[test]
fn malformed_input_is_a_cache_error_naming_the_place_never_a_value() {
    let long_secret = "s3cr3t-value-that-must-not-be-echoed";
    let mut bad_number = python_style_cache("u.t", NOW + 10);
    let key = bad_number["AccessToken"]
        .as_object()
        .unwrap()
        .keys()
        .next()
        .unwrap()
        .clone();
    bad_number["AccessToken"][&key]["expires_on"] = json!(format!("{long_secret}"));
    let mut secret_as_number = python_style_cache("u.t", NOW + 10);
    secret_as_number["AccessToken"][&key]["secret"] = json!([long_secret]);
    let mut missing = python_style_cache("u.t", NOW + 10);
    missing["AccessToken"][&key]
        .as_object_mut()
        .unwrap()
        .remove("secret");
    let cases = [
        ("not json", "is not valid JSON".to_owned()),
        (r#"{"AccessToken": {"#, "ends early".to_owned()),
        ("[]", "is not an MSAL token cache".to_owned()),
        (
            r#"{"Account": 5}"#,
            "Account: has the wrong type".to_owned(),
        ),
        (r#"{} {}"#, "data after its end".to_owned()),
        (
            &bad_number.to_string(),
            format!("AccessToken.{key}.expires_on: expected a decimal string of Unix seconds"),
        ),
        (
            &secret_as_number.to_string(),
            format!("AccessToken.{key}.secret: has the wrong type"),
        ),
        (
            &missing.to_string(),
            format!("AccessToken.{key}: missing field `secret`"),
        ),
    ];
    for (input, expected) in cases {
        let message = cache_error(input);
        assert!(
            message.contains(&expected),
            "{message:?} lacks {expected:?}"
        );
        assert!(!message.contains(long_secret), "echoed: {message}");
    }
}

#[test]
fn bad_secrets_are_refused_before_anything_is_stored() {
    let mut not_a_jwt = python_style_cache("u.t", NOW + 10);
    let key = not_a_jwt["IdToken"]
        .as_object()
        .unwrap()
        .keys()
        .next()
        .unwrap()
        .clone();
    not_a_jwt["IdToken"][&key]["secret"] = "opaque-id-token-value".into();
    let mut empty_rt = python_style_cache("u.t", NOW + 10);
    let rt_key = empty_rt["RefreshToken"]
        .as_object()
        .unwrap()
        .keys()
        .next()
        .unwrap()
        .clone();
    empty_rt["RefreshToken"][&rt_key]["secret"] = "".into();
    for (doc, expected) in [
        (not_a_jwt, format!("IdToken.{key}.secret: is not a JWT")),
        (empty_rt, format!("RefreshToken.{rt_key}.secret: is empty")),
    ] {
        let mut cache = TokenCache::default();
        match import_json(&mut cache, &doc) {
            Err(Error::Cache(m)) => {
                assert!(m.contains(&expected), "{m}");
                assert!(!m.contains("opaque-id-token-value"), "{m}");
            }
            other => panic!("expected a cache error, got {other:?}"),
        }
        assert!(cache.accounts().is_empty(), "nothing stored");
    }
}

#[test]
fn empty_and_partial_documents_import_nothing() {
    let mut cache = TokenCache::default();
    for input in ["{}", r#"{"AccessToken": {}, "Unknown": [1, 2]}"#] {
        let report = MsalCache::parse(input)
            .unwrap()
            .import_into(&mut cache, &scope(), NOW)
            .unwrap();
        assert_eq!(report, ImportReport::default());
    }
    assert_eq!(exported(&TokenCache::default())["AccessToken"], json!({}));
}

#[test]
fn sealed_documents_without_the_msal_fields_still_load() {
    // The shape before realm, ID tokens and expiry extensions were added.
    let old = json!({
        "accounts": [{"key": {"home_account_id": "a", "environment": ENV},
                      "info": {"id": "a", "username": null, "name": null,
                               "issuer": "https://idp.example", "tenantId": null}}],
        "refresh_tokens": [],
        "access_tokens": [{"key": {"account": {"home_account_id": "a", "environment": ENV},
                                   "client_id": CLIENT, "target": "t"},
                           "secret": "x", "scopes": ["t"], "cached_at": 1, "expires_on": 2}]
    });
    let cache = TokenCache::from_bytes(old.to_string().as_bytes()).unwrap();
    assert_eq!(cache.accounts().len(), 1);
    assert!(matches!(
        TokenCache::from_bytes(br#"{"accounts": 1}"#),
        Err(Error::Cache(_))
    ));
}

#[test]
fn debug_output_redacts_id_tokens() {
    let cache = signed_in("uid-1.tenant-1");
    let text = format!("{cache:?}");
    assert!(!text.contains("eyJ") && !text.contains(RT_SECRET), "{text}");
}
