//! OpenID Connect on top of `openidconnect`/`oauth2`: discovery, the client type, token
//! requests and revocation through the injected transport, ID token validation, and error mapping.

mod discovery;
mod errors;
mod id_token;
mod jwks;
mod normalize;
mod revocation;
mod types;

pub(crate) use discovery::{discover, Provider};
pub(crate) use errors::{map_token_error, TokenContext};
pub(crate) use id_token::verify_id_token;
pub use jwks::JWKS_REFETCH_INTERVAL_SECS;
pub(crate) use revocation::{revoke_refresh_token, Revocation};
pub(crate) use types::{client_for, Http, OidcClient, TokenResponse};

#[cfg(test)]
mod tests;
