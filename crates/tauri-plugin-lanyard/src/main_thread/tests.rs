use serde_json::json;
use tauri::ipc::InvokeBody;

use super::{token_info_args, TokenInfoArgs};

/// The fast path reads the arguments the UI sends (`ui/src/ipc.ts`: `{ accountId, api }`, as
/// the command takes them); anything else leaves the invoke to the command.
#[test]
fn token_info_arguments_are_read_as_the_command_reads_them() {
    assert_eq!(
        token_info_args(&InvokeBody::Json(
            json!({ "accountId": "alice", "api": "customer" })
        )),
        Some(TokenInfoArgs {
            account_id: "alice".into(),
            api: "customer".into(),
        })
    );
    for other in [
        json!({ "account_id": "alice", "api": "customer" }),
        json!({ "accountId": "alice" }),
        json!({ "accountId": 7, "api": "customer" }),
        json!(["alice", "customer"]),
        json!(null),
    ] {
        assert_eq!(
            token_info_args(&InvokeBody::Json(other.clone())),
            None,
            "{other}"
        );
    }
    assert_eq!(token_info_args(&InvokeBody::Raw(b"{}".to_vec())), None);
}
