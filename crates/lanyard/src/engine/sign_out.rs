//! Sign-out: the account and its tokens leave the cache, then its refresh token is revoked at
//! the provider (RFC 7009) when discovery advertises a `revocation_endpoint`. The local removal
//! stands whatever the revocation does.

use std::time::Duration;

use oauth2::RefreshToken;

use super::Engine;
use crate::error::Error;
use crate::model::AccountId;
use crate::oidc::{self, Revocation};

/// How long sign-out waits for the provider's revocation endpoint.
const REVOCATION_TIMEOUT: Duration = Duration::from_secs(10);

/// What [`Engine::sign_out`] did at the identity provider (the account is gone locally either way).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SignOutOutcome {
    /// True when the provider accepted the revocation of the account's refresh token.
    pub revoked: bool,
    /// Why the refresh token could not be revoked, when revocation was tried and failed (no
    /// token in it). `None` when it worked, or when there was nothing to revoke or no
    /// revocation endpoint.
    pub revocation_error: Option<String>,
}

impl Engine {
    /// Removes the account and all its tokens from the cache, then revokes its refresh token at
    /// the provider if the provider has a revocation endpoint. Only this account is touched.
    ///
    /// A failed revocation (network down, provider error) is logged, reported in the outcome
    /// and does not fail the sign-out; an `Err` means the cache could not be changed.
    pub async fn sign_out(&self, account: &AccountId) -> Result<SignOutOutcome, Error> {
        let refresh_token = self.forget(account).await?;
        let Some(refresh_token) = refresh_token else {
            tracing::info!(account = %crate::pii(account), "signed out (no refresh token to revoke)");
            return Ok(SignOutOutcome::default());
        };
        let revocation = tokio::time::timeout(REVOCATION_TIMEOUT, self.revoke(refresh_token))
            .await
            .unwrap_or_else(|_| {
                Err(Error::Timeout(format!(
                    "the revocation endpoint did not answer within {} s",
                    REVOCATION_TIMEOUT.as_secs()
                )))
            });
        match revocation {
            Ok(Revocation::Revoked) => {
                tracing::info!(account = %crate::pii(account), "signed out; refresh token revoked");
                Ok(SignOutOutcome {
                    revoked: true,
                    revocation_error: None,
                })
            }
            Ok(Revocation::Unsupported) => {
                tracing::info!(account = %crate::pii(account), "signed out; the provider has no revocation endpoint");
                Ok(SignOutOutcome::default())
            }
            Err(e) => {
                tracing::warn!(
                    account = %crate::pii(account),
                    error = %e,
                    "signed out locally, but the refresh token could not be revoked"
                );
                Ok(SignOutOutcome {
                    revoked: false,
                    revocation_error: Some(e.to_string()),
                })
            }
        }
    }

    /// Removes the account from the cache and saves it; returns its refresh token.
    async fn forget(&self, account: &AccountId) -> Result<Option<RefreshToken>, Error> {
        let now = self.now();
        let mut store = self.inner.cache.lock().await;
        let cache = store.get(now)?;
        if cache.account(&self.account_key(account)).is_none() {
            return Err(Error::UnknownAccount(account.to_string()));
        }
        let refresh_token = cache
            .refresh_token(&self.refresh_key(account))
            .map(|r| r.secret.clone());
        cache.remove_account(&self.account_key(account));
        store.save()?;
        Ok(refresh_token)
    }

    async fn revoke(&self, refresh_token: RefreshToken) -> Result<Revocation, Error> {
        let provider = self.provider().await?;
        oidc::revoke_refresh_token(
            &*self.inner.deps.http,
            provider,
            &self.inner.config.client_id,
            refresh_token,
        )
        .await
    }
}
