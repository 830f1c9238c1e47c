//! `Retry-After` (RFC 9110 §10.2.3): delta-seconds or an HTTP-date, capped.

use std::time::SystemTime;

/// Seconds to wait from `now` according to a `Retry-After` value, at most `cap`. `None` when
/// the value is neither delta-seconds nor an HTTP-date. A date in the past means 0.
pub fn parse_retry_after(value: &str, now: SystemTime, cap: u64) -> Option<u64> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Any run of digits is valid delta-seconds; one too long for u64 is "very long".
        return Some(value.parse::<u64>().unwrap_or(u64::MAX).min(cap));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    let secs = match date.duration_since(now) {
        // Round up: never ask again before the date.
        Ok(d) => d.as_secs() + u64::from(d.subsec_nanos() > 0),
        Err(_) => 0,
    };
    Some(secs.min(cap))
}

#[cfg(test)]
mod tests;
