//! MSAL's unified token cache schema as serde types: the JSON that MSAL Python, MSAL Node,
//! MSAL.NET and MSAL Java share, and its key format.
//!
//! Parsing never echoes input: a serde error is reduced to the path of the offending entry and
//! field plus a message of our own, so a malformed file cannot put a token into an error.

use std::collections::BTreeMap;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::error::Category;

use crate::error::Error;

/// `credential_type` of access tokens (and part of their keys).
pub(super) const ACCESS_TOKEN: &str = "AccessToken";
/// `credential_type` of refresh tokens.
pub(super) const REFRESH_TOKEN: &str = "RefreshToken";
/// `credential_type` of ID tokens.
pub(super) const ID_TOKEN: &str = "IdToken";

/// What a timestamp must look like (also the start of the error message when it does not).
const TIMESTAMP_EXPECTED: &str = "expected a decimal string of Unix seconds";

/// The whole cache: one map per kind of entry, keyed by MSAL's cache keys.
#[derive(Default, Serialize, Deserialize)]
pub(super) struct Document {
    #[serde(rename = "Account", default)]
    pub accounts: BTreeMap<String, Account>,
    #[serde(rename = "IdToken", default)]
    pub id_tokens: BTreeMap<String, IdToken>,
    #[serde(rename = "AccessToken", default)]
    pub access_tokens: BTreeMap<String, AccessToken>,
    #[serde(rename = "RefreshToken", default)]
    pub refresh_tokens: BTreeMap<String, RefreshToken>,
    #[serde(rename = "AppMetadata", default)]
    pub app_metadata: BTreeMap<String, AppMetadata>,
}

/// An `Account` entry.
#[derive(Serialize, Deserialize)]
pub(super) struct Account {
    pub home_account_id: String,
    pub environment: String,
    #[serde(default, deserialize_with = "nullable")]
    pub realm: String,
    #[serde(default, deserialize_with = "nullable")]
    pub local_account_id: String,
    #[serde(default, deserialize_with = "nullable")]
    pub username: String,
    #[serde(default, deserialize_with = "nullable")]
    pub authority_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// MSAL Node: the account's tenant profiles, each a JSON string. Read by nobody here.
    #[serde(
        rename = "tenantProfiles",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub tenant_profiles: Option<serde_json::Value>,
}

/// One of MSAL Node's `tenantProfiles` (serialized to a string inside the account).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct TenantProfile<'a> {
    pub tenant_id: &'a str,
    pub local_account_id: &'a str,
    pub username: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<&'a str>,
    pub is_home_tenant: bool,
}

/// An `IdToken` entry.
#[derive(Serialize, Deserialize)]
pub(super) struct IdToken {
    pub credential_type: String,
    #[serde(default, deserialize_with = "nullable")]
    pub home_account_id: String,
    pub environment: String,
    pub client_id: String,
    pub secret: Secret,
    #[serde(default, deserialize_with = "nullable")]
    pub realm: String,
}

/// An `AccessToken` entry.
#[derive(Serialize, Deserialize)]
pub(super) struct AccessToken {
    pub credential_type: String,
    #[serde(default, deserialize_with = "nullable")]
    pub home_account_id: String,
    pub environment: String,
    pub client_id: String,
    pub secret: Secret,
    #[serde(default, deserialize_with = "nullable")]
    pub realm: String,
    /// Space-separated scopes.
    pub target: String,
    pub cached_at: Timestamp,
    pub expires_on: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extended_expires_on: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_type: Option<String>,
    /// MSAL Node's field for a resource-bound token (RFC 8707 APIs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
}

/// A `RefreshToken` entry.
#[derive(Serialize, Deserialize)]
pub(super) struct RefreshToken {
    pub credential_type: String,
    #[serde(default, deserialize_with = "nullable")]
    pub home_account_id: String,
    pub environment: String,
    pub client_id: String,
    pub secret: Secret,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modification_time: Option<Timestamp>,
}

/// An `AppMetadata` entry.
#[derive(Serialize, Deserialize)]
pub(super) struct AppMetadata {
    pub client_id: String,
    pub environment: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family_id: Option<String>,
}

/// A token's `secret`. `Debug` never shows it.
#[derive(Clone, Serialize, Deserialize)]
#[serde(transparent)]
pub(super) struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

/// Unix seconds, written as a decimal string as the schema says; read from a string or a number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Timestamp(pub u64);

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TimestampVisitor;
        impl Visitor<'_> for TimestampVisitor {
            type Value = Timestamp;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&TIMESTAMP_EXPECTED["expected ".len()..])
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Timestamp, E> {
                if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(E::custom(TIMESTAMP_EXPECTED));
                }
                v.parse()
                    .map(Timestamp)
                    .map_err(|_| E::custom(TIMESTAMP_EXPECTED))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Timestamp, E> {
                Ok(Timestamp(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Timestamp, E> {
                u64::try_from(v)
                    .map(Timestamp)
                    .map_err(|_| E::custom(TIMESTAMP_EXPECTED))
            }
        }
        deserializer.deserialize_any(TimestampVisitor)
    }
}

/// A string that MSAL may write as `null`: `null` reads as empty.
fn nullable<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    Ok(Option::<String>::deserialize(deserializer)?.unwrap_or_default())
}

/// A credential's key: `<home_account_id>-<environment>-<credential_type>-<client_id>-<realm>-<target>`,
/// lower-cased.
pub(super) fn credential_key(
    home_account_id: &str,
    environment: &str,
    credential_type: &str,
    client_id: &str,
    realm: &str,
    target: &str,
) -> String {
    [
        home_account_id,
        environment,
        credential_type,
        client_id,
        realm,
        target,
    ]
    .join("-")
    .to_lowercase()
}

/// An account's key: `<home_account_id>-<environment>-<realm>`, lower-cased.
pub(super) fn account_key(home_account_id: &str, environment: &str, realm: &str) -> String {
    [home_account_id, environment, realm]
        .join("-")
        .to_lowercase()
}

/// An app metadata key: `appmetadata-<environment>-<client_id>`, lower-cased.
pub(super) fn app_metadata_key(environment: &str, client_id: &str) -> String {
    ["appmetadata", environment, client_id]
        .join("-")
        .to_lowercase()
}

/// Parses an MSAL cache. Errors name the entry and field, never a value.
pub(super) fn parse(json: &str) -> Result<Document, Error> {
    // serde would also read a struct from a JSON array: only an object is a cache.
    if !json.trim_start().starts_with('{') {
        let mut deserializer = serde_json::Deserializer::from_str(json);
        serde_path_to_error::deserialize::<_, de::IgnoredAny>(&mut deserializer)
            .map_err(describe)?;
        return Err(invalid(format!(
            "the document: {}",
            data_message("", "the document")
        )));
    }
    let mut deserializer = serde_json::Deserializer::from_str(json);
    let doc: Document = serde_path_to_error::deserialize(&mut deserializer).map_err(describe)?;
    deserializer.end().map_err(|e| {
        invalid(format!(
            "the document: has data after its end (line {}, column {})",
            e.line(),
            e.column()
        ))
    })?;
    Ok(doc)
}

fn describe(e: serde_path_to_error::Error<serde_json::Error>) -> Error {
    let path = e.path().to_string();
    let place = if path == "." {
        "the document".to_owned()
    } else {
        path
    };
    let inner = e.inner();
    let what = match inner.classify() {
        Category::Io => "cannot be read".to_owned(),
        Category::Eof => format!(
            "the JSON ends early (truncated at line {}, column {})",
            inner.line(),
            inner.column()
        ),
        Category::Syntax => format!(
            "is not valid JSON (line {}, column {})",
            inner.line(),
            inner.column()
        ),
        Category::Data => data_message(&inner.to_string(), &place),
    };
    invalid(format!("{place}: {what}"))
}

/// serde's own message when it names only fields; a neutral one when it would quote a value.
fn data_message(message: &str, place: &str) -> String {
    let message = message.split(" at line ").next().unwrap_or_default();
    let safe = ["missing field `", "duplicate field `", TIMESTAMP_EXPECTED]
        .iter()
        .any(|prefix| message.starts_with(prefix));
    if safe {
        message.to_owned()
    } else if place == "the document" {
        "is not an MSAL token cache (a JSON object of Account, IdToken, AccessToken, \
         RefreshToken and AppMetadata maps)"
            .to_owned()
    } else {
        "has the wrong type or an invalid value".to_owned()
    }
}

pub(super) fn invalid(message: String) -> Error {
    Error::Cache(format!("the MSAL cache is not valid: {message}"))
}
