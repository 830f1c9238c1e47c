//! The HTTP surface: `/health`, `/me`, and the data route the API's name
//! selects (`/customers` or `/orders`), behind bearer-token checks.

use std::sync::Arc;

use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::challenge::{error_response, json_error};
use crate::{AccessToken, ApiSpec, DemoApiError, JwksSource, Policy, TokenValidator};

struct AppState {
    spec: ApiSpec,
    validator: TokenValidator,
}

type Shared = Arc<AppState>;

/// The API's routes for `spec`, validating tokens with keys from
/// `jwks_source`.
///
/// `name` "customer" mounts `GET /customers`, "vendor" mounts `GET /orders`;
/// every API has `GET /health` (no auth), `GET /me` and `GET /reports` (which needs the
/// reports scope too). Anything else is a
/// JSON 404.
pub fn router(spec: ApiSpec, jwks_source: JwksSource) -> Router {
    router_with_policy(spec, jwks_source, Policy::default())
}

/// Like [`router`], with runtime switches a test or the demo can flip.
pub fn router_with_policy(spec: ApiSpec, jwks_source: JwksSource, policy: Policy) -> Router {
    let validator = TokenValidator::with_policy(&spec, jwks_source, policy);
    let mut router = Router::new()
        .route("/health", get(health))
        .route("/me", get(me))
        .route("/reports", get(reports));
    router = match spec.name.as_str() {
        "customer" => router.route("/customers", get(customers)),
        "vendor" => router.route("/orders", get(orders)),
        _ => router,
    };
    router
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(Arc::new(AppState { spec, validator }))
}

/// A request whose bearer token passed validation.
struct Caller(AccessToken);

impl FromRequestParts<Shared> for Caller {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &Shared) -> Result<Self, Response> {
        let realm = state.spec.name.as_str();
        let result = match bearer_token(&parts.headers) {
            Ok(token) => state.validator.validate(token).await,
            Err(err) => Err(err),
        };
        result.map(Caller).map_err(|err| {
            match &err {
                DemoApiError::KeysUnavailable(detail) => {
                    tracing::warn!(api = realm, %detail, "cannot check tokens: signing keys unavailable");
                }
                _ => tracing::info!(api = realm, path = %parts.uri.path(), reason = %err, "request refused"),
            }
            error_response(realm, &err)
        })
    }
}

/// The token of an `Authorization: Bearer <token>` header.
///
/// No header, or another scheme, is a missing token; a Bearer header
/// without a usable token is an invalid one.
fn bearer_token(headers: &HeaderMap) -> Result<&str, DemoApiError> {
    let mut values = headers.get_all(header::AUTHORIZATION).iter();
    let Some(value) = values.next() else {
        return Err(DemoApiError::MissingToken);
    };
    if values.next().is_some() {
        return Err(DemoApiError::InvalidToken(
            "more than one Authorization header",
        ));
    }
    let value = value
        .to_str()
        .map_err(|_| DemoApiError::InvalidToken("malformed Authorization header"))?;
    let (scheme, rest) = value.split_once(' ').unwrap_or((value, ""));
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(DemoApiError::MissingToken);
    }
    let token = rest.trim();
    if token.is_empty() || token.contains(char::is_whitespace) {
        return Err(DemoApiError::InvalidToken("malformed token"));
    }
    Ok(token)
}

async fn health(State(state): State<Shared>) -> Json<Value> {
    Json(json!({ "status": "ok", "api": state.spec.name }))
}

async fn me(State(state): State<Shared>, Caller(token): Caller) -> Json<Value> {
    Json(json!({
        "api": state.spec.name,
        "subject": token.subject,
        "audience": state.spec.audience,
        "scopes": token.scopes,
        "expires_at": token.expires_at,
    }))
}

async fn customers(State(state): State<Shared>, Caller(token): Caller) -> Json<Value> {
    Json(json!({
        "api": state.spec.name,
        "subject": token.subject,
        "scopes": token.scopes,
        "customers": [
            { "id": "c-1001", "name": "Acme Outfitters", "city": "Oslo" },
            { "id": "c-1002", "name": "Blue Harbor Foods", "city": "Lisbon" },
            { "id": "c-1003", "name": "Cedar & Pine Studio", "city": "Montreal" },
        ],
    }))
}

async fn orders(State(state): State<Shared>, Caller(token): Caller) -> Json<Value> {
    Json(json!({
        "api": state.spec.name,
        "subject": token.subject,
        "scopes": token.scopes,
        "orders": [
            { "id": "o-5001", "item": "Lanyard, navy", "quantity": 250 },
            { "id": "o-5002", "item": "Badge holder", "quantity": 250 },
            { "id": "o-5003", "item": "Card printer ribbon", "quantity": 4 },
        ],
    }))
}

/// Needs the API's reports scope besides the read scope: 403 `insufficient_scope` naming it
/// otherwise, so a client asks for consent incrementally.
async fn reports(State(state): State<Shared>, Caller(token): Caller) -> Response {
    let required = &state.spec.reports_scope;
    if !token.scopes.contains(required) {
        return error_response(
            &state.spec.name,
            &DemoApiError::InsufficientScope {
                required: required.clone(),
            },
        );
    }
    Json(json!({
        "api": state.spec.name,
        "subject": token.subject,
        "scopes": token.scopes,
        "reports": [
            { "id": "r-1", "title": "Quarterly volume", "value": 1250 },
            { "id": "r-2", "title": "Open items", "value": 7 },
        ],
    }))
    .into_response()
}

async fn not_found() -> Response {
    json_error(StatusCode::NOT_FOUND, "not_found", "no such route")
}

async fn method_not_allowed() -> Response {
    json_error(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this route does not take that method",
    )
}

#[cfg(test)]
mod tests;
