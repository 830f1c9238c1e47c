use lanyard::ErrorKind;

use super::says_provider_unreachable;
use crate::IpcError;

#[test]
fn only_failures_that_name_the_provider_make_it_offline() {
    let network = IpcError::new(ErrorKind::Network, "connection refused");
    let timeout = IpcError::new(ErrorKind::Timeout, "took too long");
    let service = IpcError::new(ErrorKind::Service, "invalid_grant");
    for command in ["check_connection", "token_info", "list_accounts"] {
        assert!(says_provider_unreachable(command, &network), "{command}");
        assert!(says_provider_unreachable(command, &timeout), "{command}");
        assert!(!says_provider_unreachable(command, &service), "{command}");
    }
    // A sign-in that times out is the user taking long in the browser.
    for command in ["sign_in", "grant_access"] {
        assert!(says_provider_unreachable(command, &network), "{command}");
        assert!(!says_provider_unreachable(command, &timeout), "{command}");
    }
    // An API that cannot be reached says nothing about the provider.
    assert!(!says_provider_unreachable("call_api", &network));
    assert!(!says_provider_unreachable("call_api", &timeout));
}
