//! End-to-end tests of the demo APIs against a fake IdP, over real HTTP on
//! 127.0.0.1.

mod binary;
mod keys;
mod policy;
mod routes;
mod support;
mod tokens;
