//! Lanyard's logs and diagnostics, shared by the desktop app and the `lanyard` CLI.
//!
//! - [`logging`]: the process's log subscriber (a level filter from `LANYARD_LOG`, a daily
//!   rotated log file in the platform's state directory, stderr when asked, personal data off
//!   unless `LANYARD_LOG_PII` is set). The engine only emits events; the programs call
//!   [`logging::init`] once.
//! - [`recent`]: a bounded ring of the last command errors, with their correlation ids.
//! - [`report`]: the redacted "copy diagnostics" report (versions, configuration without
//!   secrets, log settings, recent errors), and [`redact`] which hides personal data in it.

pub mod logging;
pub mod recent;
pub mod redact;
pub mod report;
