use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::parse_retry_after;

fn at(secs: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(secs)
}

#[test]
fn delta_seconds_are_read_and_capped() {
    let now = at(1_700_000_000);
    assert_eq!(parse_retry_after("120", now, 300), Some(120));
    assert_eq!(parse_retry_after(" 7 ", now, 300), Some(7));
    assert_eq!(parse_retry_after("0", now, 300), Some(0));
    assert_eq!(parse_retry_after("86400", now, 300), Some(300));
    assert_eq!(
        parse_retry_after("99999999999999999999999999", now, 300),
        Some(300)
    );
}

#[test]
fn http_dates_count_from_now_and_are_capped() {
    // Sun, 06 Nov 1994 08:49:37 GMT = 784111777.
    let date = "Sun, 06 Nov 1994 08:49:37 GMT";
    assert_eq!(parse_retry_after(date, at(784_111_777 - 90), 300), Some(90));
    assert_eq!(
        parse_retry_after(date, at(784_111_777 - 9000), 300),
        Some(300)
    );
    assert_eq!(parse_retry_after(date, at(784_111_777 + 50), 300), Some(0));
    // The obsolete formats HTTP still accepts.
    assert_eq!(
        parse_retry_after("Sunday, 06-Nov-94 08:49:37 GMT", at(784_111_777 - 5), 300),
        Some(5)
    );
    assert_eq!(
        parse_retry_after("Sun Nov  6 08:49:37 1994", at(784_111_777 - 5), 300),
        Some(5)
    );
}

#[test]
fn a_partial_second_rounds_up() {
    let now = at(784_111_777 - 10) + Duration::from_millis(500);
    assert_eq!(
        parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now, 300),
        Some(10)
    );
}

#[test]
fn garbage_is_none() {
    let now = at(1_700_000_000);
    for bad in [
        "",
        " ",
        "-5",
        "1.5",
        "soon",
        "12abc",
        "Sun, 32 Nov 1994 08:49:37 GMT",
    ] {
        assert_eq!(parse_retry_after(bad, now, 300), None, "{bad:?}");
    }
}
