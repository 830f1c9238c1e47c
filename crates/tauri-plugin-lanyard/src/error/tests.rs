use lanyard::{ErrorKind, InteractionReason};
use serde_json::json;

use super::IpcError;

#[test]
fn engine_errors_keep_their_kind() {
    let e: IpcError = lanyard::Error::Timeout("the sign-in took too long".into()).into();
    assert_eq!(e.kind, ErrorKind::Timeout);
    assert!(e.message.contains("too long"));
    assert!(e.is_offline());
    let e: IpcError = lanyard::Error::UnknownApi("nope".into()).into();
    assert_eq!(e.kind, ErrorKind::NotFound);
    assert!(!e.is_offline());
}

#[test]
fn interaction_reasons_cross_as_words() {
    let e: IpcError =
        lanyard::Error::interaction(InteractionReason::ConsentRequired, "consent needed").into();
    assert_eq!(
        serde_json::to_value(e).unwrap(),
        json!({"kind": "interaction_required", "message": "sign-in required: consent needed", "reason": "consent_required"})
    );
}

#[test]
fn serializes_as_kind_and_message_only() {
    assert_eq!(
        serde_json::to_value(IpcError::invalid_argument("bad path")).unwrap(),
        json!({"kind": "invalid_argument", "message": "bad path"})
    );
}
