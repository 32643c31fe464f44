//! Countries: the participating Member States and the Presidency, and the check of a Member State code
//! that actors' countries share.

use std::collections::BTreeSet;

use super::Checker;
use super::Seg::{F, I};

/// The 27 Member States, ISO 3166-1 alpha-2 (Greece is `GR` in ISO; the EU's own `EL` is hinted).
pub const MEMBER_STATES: [&str; 27] = [
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT",
    "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
];

impl Checker<'_> {
    /// `member_states` and `presidency`.
    pub(super) fn countries(&mut self) {
        let f = self.file;
        if self.parsed.present.contains("member_states") && f.member_states.is_empty() {
            self.error(
                self.span(&[F("member_states")]),
                "no participating Member State",
                Some("list them, e.g. `[\"DE\", \"FR\"]`".into()),
            );
        }
        let mut seen = BTreeSet::new();
        for (i, code) in f.member_states.iter().enumerate() {
            let span = self.span(&[F("member_states"), I(i)]);
            if let Some(hint) = country_problem(code) {
                self.error(
                    span,
                    format!("`{code}` is not an EU Member State code"),
                    Some(hint),
                );
            } else if !seen.insert(code.as_str()) {
                self.error(
                    span,
                    format!("`{code}` is listed twice"),
                    Some("remove the second one".into()),
                );
            }
        }
        if self.parsed.present.contains("presidency") {
            let span = self.span(&[F("presidency")]);
            if let Some(hint) = country_problem(&f.presidency) {
                self.error(
                    span,
                    format!("`{}` is not an EU Member State code", f.presidency),
                    Some(hint),
                );
            } else if !f.member_states.contains(&f.presidency) {
                self.error(
                    span,
                    format!("the Presidency `{}` is not among the participating Member States", f.presidency),
                    Some(format!("add \"{}\" to `member_states`: the Presidency chairs EU-CyCLONe and controls IPCR", f.presidency)),
                );
            }
        }
    }
}

pub(super) fn country_problem(code: &str) -> Option<String> {
    if MEMBER_STATES.contains(&code) {
        return None;
    }
    Some(match code.to_uppercase().as_str() {
        "EL" => "Greece is \"GR\" in ISO 3166-1 (the EU's own abbreviation is EL)".into(),
        "UK" | "GB" => "the United Kingdom is not an EU Member State".into(),
        _ => {
            let upper = code.to_uppercase();
            if MEMBER_STATES.contains(&upper.as_str()) {
                format!("write it in capitals: \"{upper}\"")
            } else {
                format!("Member States are: {}", MEMBER_STATES.join(", "))
            }
        }
    })
}
