//! Silent acquisition by scopes rather than by API name (MSAL's `acquire_token_silent(scopes)`).

use super::{AccessTokenGrant, Engine};
use crate::error::Error;
use crate::model::AccountId;

impl Engine {
    /// A token for the configured API whose scopes include all of `scopes` (a subset request
    /// is answered by that API's cached token). Same rules as [`Engine::acquire_token_silent`].
    pub async fn acquire_token_silent_for_scopes(
        &self,
        account: &AccountId,
        scopes: &[&str],
    ) -> Result<AccessTokenGrant, Error> {
        let api = self.inner.config.api_for_scopes(scopes)?.name.clone();
        self.acquire_token_silent(account, &api).await
    }
}
