//! Traffic Light Protocol 2.0 (FIRST, 2022) for information a seat shares: who may receive what. The
//! label travels with the information; only its source may relax it.

use crate::domain::Tlp;

use super::Refusal;

/// The rule named in refusals of a share.
pub const RULE: &str = "TLP 2.0";

/// A seat as the sharing rules see it.
#[derive(Debug, Clone, Copy)]
pub struct Party<'a> {
    pub id: &'a str,
    /// The organisation the seat belongs to (the scenario's `organisation`, else the seat itself).
    pub organisation: &'a str,
    /// The Member State whose community the seat serves; `None` for EU bodies.
    pub country: Option<&'a str>,
}

/// Information the sender received and now passes on.
#[derive(Debug, Clone)]
pub struct Received<'a> {
    pub tlp: Tlp,
    /// Who the source sent it to (the sender among them).
    pub recipients: &'a [String],
}

/// Whether `from` may send information labelled `label` to `to`. New information is the sender's own:
/// the sender is its source and labels it as it sees fit. Forwarded information keeps its label or a
/// stricter one, and goes only where its original label lets it go:
/// - RED: not beyond the people it was given to (the original recipients);
/// - AMBER+STRICT: only within the recipient's own organisation;
/// - AMBER: within the organisation and its clients: for a national body, its own Member State's
///   community; an EU body has no national clients, so its own organisation only;
/// - GREEN: the community (every seat of the exercise), never the public;
/// - CLEAR: anyone.
pub fn share_allowed(
    from: &Party,
    to: &[Party],
    label: Tlp,
    forwarded: Option<&Received>,
) -> Result<(), Refusal> {
    if to.is_empty() {
        return Err(refuse("choose at least one recipient"));
    }
    if let Some(p) = to.iter().find(|p| p.id == from.id) {
        return Err(refuse(format!(
            "`{}` cannot share with itself: choose other seats",
            p.id
        )));
    }
    let Some(original) = forwarded else {
        return Ok(());
    };
    if label > original.tlp {
        return Err(refuse(format!(
            "the information is {}; only its source can relax the label, so forward it as {} or stricter",
            original.tlp, original.tlp
        )));
    }
    for p in to {
        let allowed = match original.tlp {
            Tlp::Red => original.recipients.iter().any(|r| r == p.id),
            Tlp::AmberStrict => p.organisation == from.organisation,
            Tlp::Amber => {
                p.organisation == from.organisation
                    || (from.country.is_some() && p.country == from.country)
            }
            Tlp::Green | Tlp::Clear => true,
        };
        if !allowed {
            return Err(refuse(match original.tlp {
                Tlp::Red => format!(
                    "TLP:RED information stays with the people it was given to, and `{}` was not among them",
                    p.id
                ),
                Tlp::AmberStrict => format!(
                    "TLP:AMBER+STRICT information stays within your organisation, and `{}` is outside it",
                    p.id
                ),
                _ => format!(
                    "TLP:AMBER information goes only to your organisation and its clients{}, and `{}` is neither; ask the source to relax the label",
                    from.country.map_or(String::new(), |c| format!(" in {c}")),
                    p.id
                ),
            }));
        }
    }
    Ok(())
}

fn refuse(reason: impl Into<String>) -> Refusal {
    Refusal {
        rule: RULE.to_owned(),
        reason: reason.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn party<'a>(id: &'a str, organisation: &'a str, country: Option<&'a str>) -> Party<'a> {
        Party {
            id,
            organisation,
            country,
        }
    }

    const DE_CSIRT: Party = Party {
        id: "de_csirt",
        organisation: "bsi",
        country: Some("DE"),
    };
    const DE_CMA: Party = Party {
        id: "de_cma",
        organisation: "bsi",
        country: Some("DE"),
    };
    const DE_GOV: Party = Party {
        id: "de_gov",
        organisation: "de_gov",
        country: Some("DE"),
    };
    const FR_CSIRT: Party = Party {
        id: "fr_csirt",
        organisation: "fr_csirt",
        country: Some("FR"),
    };
    const ENISA: Party = Party {
        id: "enisa",
        organisation: "enisa",
        country: None,
    };

    fn forwarded(tlp: Tlp, recipients: &[String]) -> Received<'_> {
        Received { tlp, recipients }
    }

    #[test]
    fn new_information_goes_anywhere_under_any_label() {
        for tlp in [
            Tlp::Red,
            Tlp::AmberStrict,
            Tlp::Amber,
            Tlp::Green,
            Tlp::Clear,
        ] {
            assert!(share_allowed(&DE_CSIRT, &[FR_CSIRT, ENISA], tlp, None).is_ok());
        }
    }

    #[test]
    fn nobody_and_oneself_are_not_recipients() {
        assert!(share_allowed(&DE_CSIRT, &[], Tlp::Green, None).is_err());
        let e = share_allowed(&DE_CSIRT, &[DE_CSIRT], Tlp::Green, None).unwrap_err();
        assert!(e.reason.contains("itself"));
    }

    #[test]
    fn red_never_leaves_its_recipients() {
        let recipients = vec!["de_csirt".to_owned(), "fr_csirt".to_owned()];
        let red = forwarded(Tlp::Red, &recipients);
        assert!(share_allowed(&DE_CSIRT, &[FR_CSIRT], Tlp::Red, Some(&red)).is_ok());
        // Not even to a colleague of the same organisation.
        let e = share_allowed(&DE_CSIRT, &[DE_CMA], Tlp::Red, Some(&red)).unwrap_err();
        assert!(e.reason.contains("TLP:RED") && e.reason.contains("de_cma"));
        assert!(share_allowed(&DE_CSIRT, &[FR_CSIRT, ENISA], Tlp::Red, Some(&red)).is_err());
    }

    #[test]
    fn amber_strict_stays_in_the_organisation() {
        let amber_strict = forwarded(Tlp::AmberStrict, &[]);
        assert!(share_allowed(&DE_CSIRT, &[DE_CMA], Tlp::AmberStrict, Some(&amber_strict)).is_ok());
        // Same country is not enough.
        let e =
            share_allowed(&DE_CSIRT, &[DE_GOV], Tlp::AmberStrict, Some(&amber_strict)).unwrap_err();
        assert!(e.reason.contains("AMBER+STRICT"));
    }

    #[test]
    fn amber_reaches_the_national_community_but_not_other_states() {
        let amber = forwarded(Tlp::Amber, &[]);
        assert!(share_allowed(&DE_CSIRT, &[DE_CMA, DE_GOV], Tlp::Amber, Some(&amber)).is_ok());
        let e = share_allowed(&DE_CSIRT, &[FR_CSIRT], Tlp::Amber, Some(&amber)).unwrap_err();
        assert!(e.reason.contains("in DE") && e.reason.contains("fr_csirt"));
        // An EU body has no national clients.
        let e = share_allowed(&ENISA, &[DE_CSIRT], Tlp::Amber, Some(&amber)).unwrap_err();
        assert!(e.reason.contains("de_csirt"));
        let enisa_colleague = party("enisa_ops", "enisa", None);
        assert!(share_allowed(&ENISA, &[enisa_colleague], Tlp::Amber, Some(&amber)).is_ok());
    }

    #[test]
    fn green_and_clear_go_to_the_whole_community() {
        for tlp in [Tlp::Green, Tlp::Clear] {
            let item = forwarded(tlp, &[]);
            assert!(share_allowed(&DE_CSIRT, &[FR_CSIRT, ENISA], tlp, Some(&item)).is_ok());
        }
    }

    #[test]
    fn a_forward_may_tighten_the_label_but_never_relax_it() {
        let amber = forwarded(Tlp::Amber, &[]);
        assert!(share_allowed(&DE_CSIRT, &[DE_CMA], Tlp::AmberStrict, Some(&amber)).is_ok());
        let e = share_allowed(&DE_CSIRT, &[DE_CMA], Tlp::Green, Some(&amber)).unwrap_err();
        assert!(e.reason.contains("only its source can relax"));
        // Tightening does not widen who may receive it: the original label still rules.
        let green = forwarded(Tlp::Green, &[]);
        assert!(share_allowed(&DE_CSIRT, &[FR_CSIRT], Tlp::Red, Some(&green)).is_ok());
    }
}
