//! The engine against a hostile network and identity provider (issue 5, items 5, 9 and 11):
//! the real IdP (node-oidc-provider) and demo APIs, with the testkit's fault proxy in front of
//! the IdP for what the real parts cannot produce on demand — throttling, server failures,
//! hangs, resets, truncated, huge, HTML or rewritten bodies, crafted ID tokens and key sets.

mod id_tokens;
mod network;
mod support;
mod throttling;
mod token_responses;
