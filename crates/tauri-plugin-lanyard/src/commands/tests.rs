//! The default permission set grants exactly the commands (the list lives in
//! `src/command_list.rs`; this checks the one hand-written file that names them again).

use super::NAMES;

#[test]
fn the_default_permission_set_grants_every_command() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/permissions/default.toml"
    ))
    .unwrap();
    let mut granted: Vec<String> = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix('"'))
        .filter_map(|l| l.strip_suffix("\","))
        .filter(|l| l.starts_with("allow-"))
        .map(str::to_owned)
        .collect();
    granted.sort_unstable();
    let mut expected: Vec<String> = NAMES
        .iter()
        .map(|n| format!("allow-{}", n.replace('_', "-")))
        .collect();
    expected.sort_unstable();
    assert_eq!(granted, expected);
}
