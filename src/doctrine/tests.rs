//! The EU rules, one test per rule and outcome, written to read like the domain reference.

use super::*;

#[test]
fn art_222_invocation_puts_ipcr_into_full_activation() {
    assert_eq!(
        consequences(Action::InvokeArt222),
        vec![Consequence::IpcrFullActivation]
    );
}
