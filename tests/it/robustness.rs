//! Parsing never panics, whatever the input: garbage of every kind ends in a diagnostic (and exit 1).

use proptest::prelude::*;
use tabletop::scenario::{self, Level, Origin, bundled};

fn must_fail_cleanly(bytes: &[u8]) -> String {
    let checked = scenario::check_bytes(bytes, &Origin::default());
    assert!(checked.scenario.is_none());
    let first = checked
        .diagnostics
        .iter()
        .find(|d| d.level == Level::Error)
        .expect("an error diagnostic");
    first.message.clone()
}

#[test]
fn empty_file() {
    assert!(must_fail_cleanly(b"").contains("empty"));
    assert!(must_fail_cleanly(b"  \n\t\n").contains("empty"));
}

#[test]
fn binary_garbage() {
    let bytes: Vec<u8> = (0..4096u32)
        .flat_map(|i| i.wrapping_mul(2_654_435_761).to_le_bytes())
        .collect();
    must_fail_cleanly(&bytes);
}

#[test]
fn invalid_utf8_inside_text_is_located() {
    let mut bytes = b"Scenario(\n  title: \"caf".to_vec();
    bytes.extend([0xC3, 0x28]);
    bytes.extend(b"\",\n)");
    let checked = scenario::check_bytes(&bytes, &Origin::default());
    let d = &checked.diagnostics[0];
    assert!(d.message.contains("UTF-8"), "{}", d.message);
    let at = scenario::diagnostic::line_col(&checked.text, d.span.as_ref().expect("located").start);
    assert_eq!(at.line, 2);
}

#[test]
fn ten_megabytes() {
    let mut big = b"Scenario(briefing: \"".to_vec();
    big.resize(10 * 1024 * 1024, b'x');
    assert!(must_fail_cleanly(&big).contains("MB"));
}

#[test]
fn deeply_nested_brackets() {
    for open in ["(", "[", "{"] {
        let text = format!("Scenario(format: 1, actors: {})", open.repeat(200_000));
        must_fail_cleanly(text.as_bytes());
    }
    let balanced = format!(
        "Scenario(format: 1, actors: {}{})",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    must_fail_cleanly(balanced.as_bytes());
}

#[test]
fn deeply_nested_condition() {
    let tutorial = bundled::get("tutorial").expect("bundled").text;
    let deep = format!("{}true{}", "(".repeat(50_000), ")".repeat(50_000));
    let text = tutorial.replacen("when: \"", &format!("when: \"{deep} or "), 1);
    assert_ne!(text, tutorial, "the tutorial has a `when` trigger");
    must_fail_cleanly(text.as_bytes());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = scenario::check_bytes(&bytes, &Origin::default());
    }

    #[test]
    fn random_text_never_panics(text in "\\PC{0,512}") {
        let _ = scenario::check_str(&text, &Origin::default());
    }

    /// Real scenarios with a slice cut out or a byte changed: the nastiest near-valid inputs.
    #[test]
    fn mutated_bundled_scenarios_never_panic(
        which in 0usize..8,
        cut_at in any::<prop::sample::Index>(),
        cut_len in 0usize..64,
        poke in any::<prop::sample::Index>(),
        byte in any::<u8>(),
    ) {
        let all = bundled::all();
        let text = all[which % all.len()].text.as_bytes();
        let mut bytes = text.to_vec();
        let at = cut_at.index(bytes.len());
        let end = (at + cut_len).min(bytes.len());
        bytes.drain(at..end);
        if !bytes.is_empty() {
            let i = poke.index(bytes.len());
            bytes[i] = byte;
        }
        let _ = scenario::check_bytes(&bytes, &Origin::default());
    }
}
