//! MSAL entries onto Lanyard's typed keys: the accounts and tokens of this app (its client id
//! at its identity provider), each access token mapped onto the configured API it is for.
//! Everything is checked before anything is stored.

use std::collections::btree_map::Entry as BTreeEntry;
use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};
use std::hash::Hash;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use oauth2::{AccessToken, RefreshToken};

use super::schema::{self, invalid, Document, Timestamp, ACCESS_TOKEN, ID_TOKEN, REFRESH_TOKEN};
use super::targets::{match_api, ApiTarget, Miss};
use super::{ImportReport, SkippedEntries};
use crate::cache::model::{
    AccessKey, AccessRecord, AccountKey, AccountRecord, IdTokenKey, IdTokenRecord, IdTokenSecret,
    RefreshKey, RefreshRecord, TokenCache,
};
use crate::error::Error;
use crate::model::{AccountId, AccountInfo};

/// Whose entries an import takes, and the APIs it maps access tokens onto.
pub(crate) struct ImportScope {
    /// MSAL's `environment` of the configured authority (its host, lower-case).
    pub environment: String,
    /// The configured client id.
    pub client_id: String,
    /// The issuer recorded for an account whose ID token is not in the file.
    pub issuer: String,
    /// The configured APIs.
    pub apis: Vec<ApiTarget>,
}

impl ImportScope {
    /// True for entries of this app: its client id at its identity provider.
    fn ours(&self, environment: &str, client_id: &str) -> bool {
        environment.eq_ignore_ascii_case(&self.environment)
            && client_id.eq_ignore_ascii_case(&self.client_id)
    }

    fn account_key(&self, home_account_id: &str) -> AccountKey {
        AccountKey {
            home_account_id: home_account_id.to_owned(),
            environment: self.environment.clone(),
        }
    }
}

pub(super) fn import(
    doc: Document,
    cache: &mut TokenCache,
    scope: &ImportScope,
    now: u64,
) -> Result<ImportReport, Error> {
    let family_id = doc
        .app_metadata
        .values()
        .find(|m| scope.ours(&m.environment, &m.client_id))
        .and_then(|m| m.family_id.clone());
    let mut plan = Plan::default();
    let id_tokens = plan.read_id_tokens(doc.id_tokens, scope)?;
    plan.take_accounts(doc.accounts, &id_tokens, scope);
    plan.take_id_tokens(id_tokens, scope, cache);
    plan.take_refresh_tokens(doc.refresh_tokens, family_id, scope, cache)?;
    plan.take_access_tokens(doc.access_tokens, scope, cache, now)?;
    Ok(plan.apply(cache))
}

/// The unverified claims of an ID token that fill an account's display data.
#[derive(Default)]
struct Claims {
    iss: Option<String>,
    sub: Option<String>,
    oid: Option<String>,
    tid: Option<String>,
    username: Option<String>,
    name: Option<String>,
}

impl Claims {
    /// The payload of a compact JWS, not verified: MSAL does not verify cached ID tokens
    /// either, and Lanyard uses these claims for display only.
    fn decode(jwt: &str) -> Option<Claims> {
        let parts: Vec<&str> = jwt.split('.').collect();
        let [_, payload, _] = parts.as_slice() else {
            return None;
        };
        let bytes = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
        let value: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
        let claims = value.as_object()?;
        let text = |k: &str| {
            claims
                .get(k)
                .and_then(|v| v.as_str())
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        Some(Claims {
            iss: text("iss"),
            sub: text("sub"),
            oid: text("oid"),
            tid: text("tid"),
            username: text("preferred_username")
                .or_else(|| text("email"))
                .or_else(|| text("upn")),
            name: text("name"),
        })
    }
}

/// An ID token of this app from the file.
struct IdTokenEntry {
    realm: String,
    claims: Claims,
    secret: String,
}

/// ID tokens of this app by home account id.
type IdTokensByAccount = BTreeMap<String, Vec<IdTokenEntry>>;

/// What an import will store.
#[derive(Default)]
struct Plan {
    accounts: Vec<AccountRecord>,
    /// The realm of each account in `accounts`, by home account id.
    realms: HashMap<String, String>,
    id_tokens: HashMap<IdTokenKey, IdTokenRecord>,
    refresh_tokens: HashMap<RefreshKey, (Option<Timestamp>, RefreshRecord)>,
    /// Ranked by (issued in the account's own realm, expiry).
    access_tokens: HashMap<AccessKey, ((bool, u64), AccessRecord)>,
    skipped: SkippedEntries,
}

impl Plan {
    fn read_id_tokens(
        &mut self,
        entries: BTreeMap<String, schema::IdToken>,
        scope: &ImportScope,
    ) -> Result<IdTokensByAccount, Error> {
        let mut by_account = IdTokensByAccount::new();
        for (key, t) in entries {
            if !scope.ours(&t.environment, &t.client_id) {
                self.skipped.other_app += 1;
                continue;
            }
            if !t.credential_type.eq_ignore_ascii_case(ID_TOKEN) {
                self.skipped.unsupported += 1;
                continue;
            }
            let claims = Claims::decode(&t.secret.0)
                .ok_or_else(|| invalid(format!("{ID_TOKEN}.{key}.secret: is not a JWT")))?;
            if t.home_account_id.is_empty() {
                self.skipped.no_account += 1;
                continue;
            }
            by_account
                .entry(t.home_account_id)
                .or_default()
                .push(IdTokenEntry {
                    realm: t.realm,
                    claims,
                    secret: t.secret.0,
                });
        }
        Ok(by_account)
    }

    /// One Lanyard account per home account id: the home tenant's entry if there are several.
    fn take_accounts(
        &mut self,
        entries: BTreeMap<String, schema::Account>,
        id_tokens: &IdTokensByAccount,
        scope: &ImportScope,
    ) {
        let mut chosen: BTreeMap<String, schema::Account> = BTreeMap::new();
        for (_, a) in entries {
            if !a.environment.eq_ignore_ascii_case(&scope.environment) {
                self.skipped.other_app += 1;
                continue;
            }
            if a.home_account_id.is_empty() {
                self.skipped.no_account += 1;
                continue;
            }
            match chosen.entry(a.home_account_id.clone()) {
                BTreeEntry::Vacant(v) => {
                    v.insert(a);
                }
                BTreeEntry::Occupied(mut o) => {
                    self.skipped.duplicates += 1;
                    if in_home_realm(&a) && !in_home_realm(o.get()) {
                        o.insert(a);
                    }
                }
            }
        }
        for (home, a) in chosen {
            let claims = id_tokens
                .get(&home)
                .and_then(|tokens| pick_realm(tokens, &a.realm))
                .map(|t| &t.claims);
            let record = account_record(scope.account_key(&home), a, claims, scope);
            self.realms.insert(home, record.realm.clone());
            self.accounts.push(record);
        }
    }

    /// The realm of an account in the file or in the cache; `None` for unknown accounts.
    fn realm_of(&self, home: &str, scope: &ImportScope, cache: &TokenCache) -> Option<String> {
        if home.is_empty() {
            return None;
        }
        self.realms.get(home).cloned().or_else(|| {
            cache
                .account(&scope.account_key(home))
                .map(|a| a.realm.clone())
        })
    }

    fn take_id_tokens(
        &mut self,
        id_tokens: IdTokensByAccount,
        scope: &ImportScope,
        cache: &TokenCache,
    ) {
        for (home, tokens) in id_tokens {
            if self.realm_of(&home, scope, cache).is_none() {
                self.skipped.no_account += tokens.len();
                continue;
            }
            for t in tokens {
                let key = IdTokenKey {
                    account: scope.account_key(&home),
                    client_id: scope.client_id.clone(),
                    realm: t.realm,
                };
                let record = IdTokenRecord {
                    key: key.clone(),
                    secret: IdTokenSecret::new(t.secret),
                };
                if self.id_tokens.insert(key, record).is_some() {
                    self.skipped.duplicates += 1;
                }
            }
        }
    }

    fn take_refresh_tokens(
        &mut self,
        entries: BTreeMap<String, schema::RefreshToken>,
        family_id: Option<String>,
        scope: &ImportScope,
        cache: &TokenCache,
    ) -> Result<(), Error> {
        for (key, t) in entries {
            if !scope.ours(&t.environment, &t.client_id) {
                self.skipped.other_app += 1;
                continue;
            }
            if !t.credential_type.eq_ignore_ascii_case(REFRESH_TOKEN) {
                self.skipped.unsupported += 1;
                continue;
            }
            non_empty_secret(&t.secret.0, REFRESH_TOKEN, &key)?;
            if self.realm_of(&t.home_account_id, scope, cache).is_none() {
                self.skipped.no_account += 1;
                continue;
            }
            let key = RefreshKey {
                account: scope.account_key(&t.home_account_id),
                client_id: scope.client_id.clone(),
            };
            let record = RefreshRecord {
                key: key.clone(),
                secret: RefreshToken::new(t.secret.0),
                family_id: t.family_id.or_else(|| family_id.clone()),
            };
            let rank = t.last_modification_time;
            keep_best(
                &mut self.refresh_tokens,
                &mut self.skipped,
                key,
                rank,
                record,
            );
        }
        Ok(())
    }

    fn take_access_tokens(
        &mut self,
        entries: BTreeMap<String, schema::AccessToken>,
        scope: &ImportScope,
        cache: &TokenCache,
        now: u64,
    ) -> Result<(), Error> {
        for (key, t) in entries {
            if !scope.ours(&t.environment, &t.client_id) {
                self.skipped.other_app += 1;
                continue;
            }
            let bearer = t
                .token_type
                .as_deref()
                .is_none_or(|tt| tt.eq_ignore_ascii_case("bearer"));
            if !t.credential_type.eq_ignore_ascii_case(ACCESS_TOKEN) || !bearer {
                self.skipped.unsupported += 1;
                continue;
            }
            non_empty_secret(&t.secret.0, ACCESS_TOKEN, &key)?;
            let Some(account_realm) = self.realm_of(&t.home_account_id, scope, cache) else {
                self.skipped.no_account += 1;
                continue;
            };
            if t.expires_on.0 <= now {
                self.skipped.expired += 1;
                continue;
            }
            let api = match match_api(&scope.apis, &t.target, t.resource.as_deref()) {
                Ok(api) => api,
                Err(Miss::Unknown) => {
                    self.skipped.unknown_target += 1;
                    continue;
                }
                Err(Miss::Ambiguous) => {
                    self.skipped.ambiguous_target += 1;
                    continue;
                }
            };
            let key = AccessKey {
                account: scope.account_key(&t.home_account_id),
                client_id: scope.client_id.clone(),
                target: api.target.clone(),
            };
            let rank = (t.realm == account_realm, t.expires_on.0);
            let record = AccessRecord {
                key: key.clone(),
                secret: AccessToken::new(t.secret.0),
                scopes: t.target.split_whitespace().map(str::to_owned).collect(),
                resource: api.resource.clone(),
                realm: t.realm,
                cached_at: t.cached_at.0,
                expires_on: t.expires_on.0,
                extended_expires_on: t.extended_expires_on.unwrap_or(t.expires_on).0,
            };
            keep_best(
                &mut self.access_tokens,
                &mut self.skipped,
                key,
                rank,
                record,
            );
        }
        Ok(())
    }

    fn apply(self, cache: &mut TokenCache) -> ImportReport {
        let mut report = ImportReport {
            skipped: self.skipped,
            ..ImportReport::default()
        };
        // An account already signed in keeps what its own sign-in gave it: its ID token and,
        // above all, its live refresh token (an imported one may have been rotated since,
        // and replaying it would make the provider revoke the grant).
        let signed_in: std::collections::HashSet<_> = self
            .accounts
            .iter()
            .map(|r| &r.key)
            .chain(self.id_tokens.values().map(|r| &r.key.account))
            .chain(self.refresh_tokens.values().map(|(_, r)| &r.key.account))
            .filter(|k| cache.account(k).is_some())
            .cloned()
            .collect();
        for record in self.accounts {
            if signed_in.contains(&record.key) {
                report.skipped.duplicates += 1;
            } else {
                cache.upsert_account(record);
                report.accounts += 1;
            }
        }
        for (_, record) in self.id_tokens {
            if signed_in.contains(&record.key.account) {
                report.skipped.duplicates += 1;
            } else {
                cache.put_id_token(record);
                report.id_tokens += 1;
            }
        }
        for (_, (_, record)) in self.refresh_tokens {
            if signed_in.contains(&record.key.account) {
                report.skipped.duplicates += 1;
            } else {
                cache.put_refresh_record(record);
                report.refresh_tokens += 1;
            }
        }
        for (key, (_, record)) in self.access_tokens {
            if cache
                .access_token(&key)
                .is_some_and(|old| old.expires_on > record.expires_on)
            {
                report.skipped.duplicates += 1;
                continue;
            }
            cache.put_access_token(record);
            report.access_tokens += 1;
        }
        report
    }
}

/// Keeps the higher-ranked of two entries for one key; the other counts as a duplicate.
fn keep_best<K: Hash + Eq, R: PartialOrd, V>(
    map: &mut HashMap<K, (R, V)>,
    skipped: &mut SkippedEntries,
    key: K,
    rank: R,
    value: V,
) {
    match map.entry(key) {
        Entry::Vacant(v) => {
            v.insert((rank, value));
        }
        Entry::Occupied(mut o) => {
            skipped.duplicates += 1;
            if rank > o.get().0 {
                o.insert((rank, value));
            }
        }
    }
}

fn account_record(
    key: AccountKey,
    a: schema::Account,
    claims: Option<&Claims>,
    scope: &ImportScope,
) -> AccountRecord {
    let empty = Claims::default();
    let claims = claims.unwrap_or(&empty);
    let local_account_id = Some(a.local_account_id)
        .filter(|s| !s.is_empty())
        .or_else(|| claims.oid.clone())
        .or_else(|| claims.sub.clone())
        .unwrap_or_default();
    AccountRecord {
        info: AccountInfo {
            id: AccountId(key.home_account_id.clone()),
            username: Some(a.username)
                .filter(|s| !s.is_empty())
                .or_else(|| claims.username.clone()),
            name: a
                .name
                .filter(|s| !s.is_empty())
                .or_else(|| claims.name.clone()),
            issuer: claims.iss.clone().unwrap_or_else(|| scope.issuer.clone()),
            tenant_id: claims.tid.clone(),
        },
        key,
        realm: a.realm,
        local_account_id,
    }
}

/// True when the account entry is for its home tenant (`utid` of `uid.utid`).
fn in_home_realm(a: &schema::Account) -> bool {
    a.home_account_id
        .split_once('.')
        .is_some_and(|(_, utid)| utid.eq_ignore_ascii_case(&a.realm))
}

/// The ID token for `realm`, else the first one.
fn pick_realm<'a>(tokens: &'a [IdTokenEntry], realm: &str) -> Option<&'a IdTokenEntry> {
    tokens
        .iter()
        .find(|t| t.realm.eq_ignore_ascii_case(realm))
        .or_else(|| tokens.first())
}

fn non_empty_secret(secret: &str, kind: &str, key: &str) -> Result<(), Error> {
    if secret.is_empty() {
        return Err(invalid(format!("{kind}.{key}.secret: is empty")));
    }
    Ok(())
}
