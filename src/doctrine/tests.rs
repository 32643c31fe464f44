//! The EU rules, one test per rule and outcome, written to read like the rules reference
//! (`docs/eu-mechanisms.md`, whose rows name these tests).
//!
//! Every test asserts on the outcome and, for a refusal, that its `rule` and `reason` carry the key words a
//! participant needs; never on whole sentences.

use super::*;

use std::cmp::Ordering;

use crate::domain::Sector;

// ---------------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------------

/// Every actor kind (entities in one sector each).
const ALL_KINDS: [ActorKind; 17] = [
    ActorKind::Csirt,
    ActorKind::Spoc,
    ActorKind::CrisisAuthority,
    ActorKind::Government,
    ActorKind::Essential(Sector::Health),
    ActorKind::Important(Sector::Manufacturing),
    ActorKind::Enisa,
    ActorKind::CertEu,
    ActorKind::Commission,
    ActorKind::Eeas,
    ActorKind::Presidency,
    ActorKind::IntCen,
    ActorKind::Europol,
    ActorKind::Council,
    ActorKind::CouncilSecretariat,
    ActorKind::NisCooperationGroup,
    ActorKind::Other,
];

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

/// A hidden truth: criminal, no armed aggression, no terrorism, nobody overwhelmed.
fn truth() -> Truth {
    Truth {
        perpetrator: "NIGHTFALL ransomware affiliate".into(),
        origin: Origin::Criminal,
        ..Truth::default()
    }
}

/// A seat asking for something. Decision rights come from `kind`; `id` is just the seat.
fn seat(id: &'static str, kind: ActorKind, country: Option<&'static str>) -> Requester<'static> {
    Requester { id, kind, country }
}

fn government(country: &'static str) -> Requester<'static> {
    seat("gov", ActorKind::Government, Some(country))
}

fn spoc(country: &'static str) -> Requester<'static> {
    seat("spoc", ActorKind::Spoc, Some(country))
}

fn csirt(country: &'static str) -> Requester<'static> {
    seat("csirt", ActorKind::Csirt, Some(country))
}

fn crisis_authority(country: &'static str) -> Requester<'static> {
    seat(
        "crisis_authority",
        ActorKind::CrisisAuthority,
        Some(country),
    )
}

fn presidency() -> Requester<'static> {
    seat("presidency", ActorKind::Presidency, Some("PL"))
}

/// An EU body (no country of its own).
fn union_body(kind: ActorKind) -> Requester<'static> {
    seat("eu_body", kind, None)
}

/// The German hospital hit by the incident (an essential entity).
fn de_hospital() -> Requester<'static> {
    seat(
        "de_hospital",
        ActorKind::Essential(Sector::Health),
        Some("DE"),
    )
}

/// Everything a rule looks at, owned, so that tests can set one fact at a time.
#[expect(
    clippy::struct_excessive_bools,
    reason = "mirrors the flags of IncidentFacts and Situation one for one"
)]
struct World {
    id: &'static str,
    severity: Severity,
    countries: BTreeSet<String>,
    entities: BTreeSet<String>,
    truth: Truth,
    mitigated: bool,
    detected: bool,
    with_incident: bool,
    mechanisms: Mechanisms,
    any_large_scale: bool,
    /// Member States where an essential entity of an internal-market sector is hit.
    essential_market: BTreeSet<String>,
}

/// An incident of this severity hitting one entity in each of `countries` (ids like `de_hospital`).
fn incident(severity: Severity, countries: &[&str]) -> World {
    World {
        id: "ransom_wave",
        severity,
        countries: set(countries),
        entities: countries
            .iter()
            .map(|c| format!("{}_hospital", c.to_lowercase()))
            .collect(),
        truth: truth(),
        mitigated: true,
        detected: true,
        with_incident: true,
        mechanisms: Mechanisms::default(),
        any_large_scale: false,
        essential_market: BTreeSet::new(),
    }
}

/// A request that names no incident.
fn no_incident() -> World {
    World {
        with_incident: false,
        ..incident(Severity::Minor, &[])
    }
}

impl World {
    fn facts(&self) -> IncidentFacts<'_> {
        IncidentFacts {
            id: self.id,
            severity: self.severity,
            peak: self.severity,
            countries: &self.countries,
            entities: &self.entities,
            campaign: &self.countries,
            truth: &self.truth,
            mitigated: self.mitigated,
            detected: self.detected,
            essential_market: &self.essential_market,
        }
    }

    fn check(&self, action: Action, who: &Requester) -> Result<(), Refusal> {
        let situation = Situation {
            incident: self.with_incident.then(|| self.facts()),
            mechanisms: &self.mechanisms,
            any_large_scale: self.any_large_scale,
        };
        check(action, who, &situation)
    }

    fn large_scale(&self) -> bool {
        is_large_scale(&self.facts())
    }
}

/// Asserts a grant, showing the refusal otherwise.
#[track_caller]
fn granted(result: Result<(), Refusal>) {
    if let Err(refusal) = result {
        panic!("expected the request to be granted, refused: {refusal}");
    }
}

/// Asserts a refusal whose rule contains `rule` and whose reason contains every one of `words`
/// (case-insensitive), and returns it.
#[track_caller]
fn refused(result: Result<(), Refusal>, rule: &str, words: &[&str]) -> Refusal {
    let refusal = result.expect_err("expected the request to be refused");
    assert!(
        refusal.rule.to_lowercase().contains(&rule.to_lowercase()),
        "rule `{}` should name `{rule}`",
        refusal.rule
    );
    let reason = refusal.reason.to_lowercase();
    for word in words {
        assert!(
            reason.contains(&word.to_lowercase()),
            "reason `{}` should mention `{word}`",
            refusal.reason
        );
    }
    refusal
}

fn votes(pairs: &[(&str, Vote)]) -> BTreeMap<String, Vote> {
    pairs.iter().map(|(c, v)| ((*c).to_owned(), *v)).collect()
}

// ---------------------------------------------------------------------------------------------------------
// §0 Core definitions: large-scale incident (NIS2 Art. 6(7))
// ---------------------------------------------------------------------------------------------------------

#[test]
fn large_scale_means_capacity_exceeded_or_significant_impact_in_two_states() {
    let mut exceeded = incident(Severity::Significant, &["DE"]);
    exceeded.truth.overwhelms = vec!["DE".into()];
    assert!(exceeded.large_scale(), "capacity of one state exceeded");

    let two_states = incident(Severity::Significant, &["DE", "FR"]);
    assert!(two_states.large_scale(), "significant impact in two states");
}

#[test]
fn a_significant_incident_one_state_can_handle_is_not_large_scale() {
    assert!(!incident(Severity::Critical, &["DE"]).large_scale());
}

#[test]
fn two_states_with_less_than_significant_impact_is_not_large_scale() {
    assert!(!incident(Severity::Moderate, &["DE", "FR"]).large_scale());
    assert!(!incident(Severity::Minor, &["DE", "FR", "GR"]).large_scale());
}

#[test]
fn capacity_exceeded_makes_any_incident_large_scale() {
    let mut minor = incident(Severity::Minor, &["DE"]);
    minor.truth.overwhelms = vec!["DE".into()];
    assert!(minor.large_scale());
}

#[test]
fn capacity_exceeded_counts_only_in_an_affected_state() {
    let mut elsewhere = incident(Severity::Moderate, &["DE"]);
    elsewhere.truth.overwhelms = vec!["FR".into()];
    assert!(
        !elsewhere.large_scale(),
        "FR is overwhelmed, but not by this incident"
    );
}

#[test]
fn cross_border_means_a_second_member_state_is_hit() {
    assert!(!is_cross_border(&set(&[])));
    assert!(!is_cross_border(&set(&["DE"])));
    assert!(is_cross_border(&set(&["DE", "FR"])));
    assert!(is_cross_border(&set(&["DE", "FR", "PL"])));
}

// ---------------------------------------------------------------------------------------------------------
// §3 Timelines and §4.1 entity level: NIS2 Art. 23 reporting
// ---------------------------------------------------------------------------------------------------------

#[test]
fn nis2_reports_are_owed_once_the_entity_is_aware_of_a_significant_incident() {
    assert!(nis2_reporting_applies(true, Severity::Significant));
    assert!(nis2_reporting_applies(true, Severity::Critical));
    // Not yet aware: the clocks have not started, however bad it is.
    assert!(!nis2_reporting_applies(false, Severity::Critical));
    // Aware of an incident that is not significant: nothing to report under Art. 23.
    assert!(!nis2_reporting_applies(true, Severity::Moderate));
    assert!(!nis2_reporting_applies(true, Severity::Minor));
}

#[test]
fn banks_and_market_infrastructures_report_under_dora_not_nis2() {
    use crate::domain::Regime;
    for kind in [
        ActorKind::Essential(Sector::Banking),
        ActorKind::Important(Sector::Banking),
        ActorKind::Essential(Sector::FinancialMarketInfrastructure),
        ActorKind::Important(Sector::FinancialMarketInfrastructure),
    ] {
        assert_eq!(reporting_regime(kind), Regime::Dora, "{kind:?}");
    }
    for kind in [
        ActorKind::Essential(Sector::Health),
        ActorKind::Important(Sector::DigitalInfrastructure),
        ActorKind::Essential(Sector::Energy),
        ActorKind::Csirt,
    ] {
        assert_eq!(reporting_regime(kind), Regime::Nis2, "{kind:?}");
    }
    assert_eq!(
        Regime::Dora.report_label(Action::EarlyWarning),
        "DORA initial notification"
    );
    assert_eq!(
        Regime::Dora.report_label(Action::IncidentNotification),
        "DORA intermediate report"
    );
    assert_eq!(
        Regime::Nis2.report_label(Action::EarlyWarning),
        "NIS2 early warning"
    );
}

#[test]
fn dora_initial_notification_4h_after_classification_and_within_24h_of_awareness() {
    // Classified as major at once: 4 hours, and the intermediate report within 72 hours.
    assert_eq!(
        dora_deadlines(60, 60),
        [
            (Action::EarlyWarning, 60 + 4 * 60),
            (Action::IncidentNotification, 60 + 72 * 60)
        ]
    );
    // Classified 22 hours after awareness: the 24-hour cap comes first.
    assert_eq!(
        dora_deadlines(0, 22 * 60)[0],
        (Action::EarlyWarning, 24 * 60)
    );
    // Not NIS2's 24 hours: a bank aware at T+0 owes far sooner than a hospital.
    assert!(
        reporting_deadlines(crate::domain::Regime::Dora, 0, 0)[0].1
            < reporting_deadlines(crate::domain::Regime::Nis2, 0, 0)[0].1
    );
    assert_eq!(
        reporting_deadlines(crate::domain::Regime::Nis2, 0, 0),
        nis2_deadlines(0)
    );
}

#[test]
fn every_entitlement_refusal_reads_as_an_english_sentence() {
    // Whoever is refused whatever, the sentence is "<Kind> cannot <verb> ...: <why>".
    const VERBS: [&str; 29] = [
        "issue",
        "ask",
        "de-conflict",
        "convene",
        "submit",
        "file",
        "inform",
        "open",
        "escalate",
        "set",
        "invoke",
        "request",
        "approve",
        "propose",
        "support",
        "veto",
        "attribute",
        "abstain",
        "enter",
        "lift",
        "state",
        "join",
        "object",
        "give",
        "declare",
        "stand",
        "agree",
        "oppose",
        "postpone",
    ];
    let mut rendered = 0;
    for kind in ALL_KINDS {
        for action in Action::ALL {
            let who = seat("someone", kind, kind.is_national().then_some("DE"));
            let Err(refusal) = entitled(action, &who) else {
                continue;
            };
            rendered += 1;
            let text = refusal.reason;
            let (head, why) = text
                .split_once(": ")
                .unwrap_or_else(|| panic!("no reason after the colon: {text}"));
            let (subject, rest) = head
                .split_once(" cannot ")
                .unwrap_or_else(|| panic!("no `cannot`: {text}"));
            assert_eq!(subject, kind.label(), "{text}");
            let verb = rest.split(' ').next().unwrap_or_default();
            assert!(
                VERBS.contains(&verb) || (verb == "activate" && action == Action::ActivateLeErp),
                "`{verb}` does not start a verb phrase: {text}"
            );
            assert!(!text.contains("cannot NIS2"), "{text}");
            assert!(!text.contains("  "), "double space: {text}");
            assert!(!text.contains(" ,") && !text.contains(" :"), "{text}");
            assert!(!why.is_empty() && !why.ends_with('.'), "{text}");
        }
    }
    assert!(rendered > 100, "only {rendered} refusals rendered");
}

#[test]
fn nis2_early_warning_24h_notification_72h() {
    assert_eq!(EARLY_WARNING_MIN, 24 * 60);
    assert_eq!(NOTIFICATION_MIN, 72 * 60);
    let aware_at = 90;
    assert_eq!(
        nis2_deadlines(aware_at),
        [
            (Action::EarlyWarning, aware_at + 24 * 60),
            (Action::IncidentNotification, aware_at + 72 * 60),
        ]
    );
}

#[test]
fn nis2_clocks_run_from_awareness_not_from_the_start() {
    let [(_, early_at_0), (_, notify_at_0)] = nis2_deadlines(0);
    let [(_, early_later), (_, notify_later)] = nis2_deadlines(600);
    assert_eq!(early_later - early_at_0, 600);
    assert_eq!(notify_later - notify_at_0, 600);
}

#[test]
fn nis2_final_report_within_one_month() {
    assert_eq!(FINAL_REPORT_MIN, 30 * 24 * 60);
}

#[test]
fn nis2_final_report_runs_from_the_notification_even_a_late_one() {
    let day = 24 * 60;
    assert_eq!(final_report_due(3 * day), 33 * day);
    // Notified on day 5, after the 72 h deadline: the final report is still owed a month later.
    assert_eq!(final_report_due(5 * day), 35 * day);
}

#[test]
fn the_national_csirt_receives_its_entities_reports_but_files_none() {
    assert!(receives_national_reports(ActorKind::Csirt));
    for kind in ALL_KINDS.into_iter().filter(|k| *k != ActorKind::Csirt) {
        assert!(!receives_national_reports(kind), "{kind:?}");
    }
    // NIS2 Art. 23(1): the entity notifies its CSIRT; the CSIRT does not file the entity's report.
    let world = incident(Severity::Significant, &["DE"]);
    for report in [
        Action::EarlyWarning,
        Action::IncidentNotification,
        Action::FinalReport,
    ] {
        refused(
            world.check(report, &csirt("DE")),
            "NIS2 Art. 23(1)",
            &["entity notifies its CSIRT itself", "does not file"],
        );
    }
}

#[test]
fn reserve_answer_within_48h() {
    assert_eq!(RESERVE_ANSWER_MAX_MIN, 48 * 60);
    // Never an instant answer: ENISA assesses the request first (the model's 12 hours).
    assert_eq!(
        RESERVE_ANSWER,
        Window {
            earliest: 12 * 60,
            latest: 48 * 60
        }
    );
}

#[test]
fn isaa_reports_twice_a_day_while_ipcr_is_active() {
    assert_eq!(ISAA_INTERVAL_MIN, 12 * 60);
}

#[test]
fn the_affected_entity_reports_to_its_csirt() {
    let world = incident(Severity::Significant, &["DE"]);
    for action in [
        Action::EarlyWarning,
        Action::IncidentNotification,
        Action::FinalReport,
    ] {
        granted(world.check(action, &de_hospital()));
    }
    let important = seat(
        "de_hospital",
        ActorKind::Important(Sector::Health),
        Some("DE"),
    );
    granted(world.check(Action::EarlyWarning, &important));
}

#[test]
fn nis2_reports_come_only_from_an_affected_entity() {
    let world = incident(Severity::Significant, &["DE"]);
    let bystander = seat(
        "de_water_utility",
        ActorKind::Essential(Sector::DrinkingWater),
        Some("DE"),
    );
    for action in [
        Action::EarlyWarning,
        Action::IncidentNotification,
        Action::FinalReport,
    ] {
        refused(
            world.check(action, &bystander),
            "NIS2 Art. 23",
            &["de_water_utility", "not affected"],
        );
    }
}

#[test]
fn nis2_reports_are_not_made_by_governments_or_eu_bodies() {
    let world = incident(Severity::Significant, &["DE"]);
    for who in [government("DE"), spoc("DE"), union_body(ActorKind::Enisa)] {
        refused(
            world.check(Action::EarlyWarning, &who),
            "NIS2 Art. 23",
            &["cannot", "entity"],
        );
    }
}

#[test]
fn a_nis2_report_names_its_incident() {
    refused(
        no_incident().check(Action::EarlyWarning, &de_hospital()),
        "request",
        &["which incident"],
    );
}

// ---------------------------------------------------------------------------------------------------------
// §4.2 National -> cross-border: inform the other affected states (NIS2 Art. 23(6)), CSIRTs Network (Art. 15)
// ---------------------------------------------------------------------------------------------------------

#[test]
fn csirt_or_spoc_of_an_affected_state_informs_the_others_and_enisa() {
    let world = incident(Severity::Significant, &["DE", "FR"]);
    granted(world.check(Action::InformAffectedStates, &csirt("DE")));
    granted(world.check(Action::InformAffectedStates, &spoc("FR")));
}

#[test]
fn an_unaffected_state_does_not_inform_for_the_affected_ones() {
    let world = incident(Severity::Significant, &["DE", "FR"]);
    refused(
        world.check(Action::InformAffectedStates, &csirt("GR")),
        "subsidiarity",
        &["GR", "not affected"],
    );
}

#[test]
fn governments_and_eu_bodies_do_not_send_the_art_23_6_notice() {
    let world = incident(Severity::Significant, &["DE", "FR"]);
    for who in [
        government("DE"),
        crisis_authority("DE"),
        union_body(ActorKind::Commission),
    ] {
        refused(
            world.check(Action::InformAffectedStates, &who),
            "NIS2 Art. 23(6)",
            &["CSIRT", "single point of contact"],
        );
    }
}

#[test]
fn a_csirts_network_member_may_ask_it_to_coordinate() {
    let world = incident(Severity::Significant, &["DE", "FR"]);
    granted(world.check(Action::OpenCsirtsCase, &csirt("DE")));
    granted(world.check(Action::OpenCsirtsCase, &union_body(ActorKind::CertEu)));
}

#[test]
fn only_csirts_network_members_open_a_case() {
    let world = incident(Severity::Significant, &["DE", "FR"]);
    // ENISA is the Network's secretariat and the Commission an observer: neither is a member.
    for who in [
        union_body(ActorKind::Enisa),
        union_body(ActorKind::Commission),
        spoc("DE"),
        government("DE"),
    ] {
        refused(
            world.check(Action::OpenCsirtsCase, &who),
            "NIS2 Art. 15",
            &["CSIRTs Network"],
        );
    }
}

#[test]
fn the_csirts_network_opens_one_case_per_incident() {
    let mut world = incident(Severity::Significant, &["DE", "FR"]);
    world.mechanisms.csirts_case_open = true;
    world.mechanisms.csirts_cases = set(&["ransom_wave"]);
    refused(
        world.check(Action::OpenCsirtsCase, &csirt("FR")),
        "NIS2 Art. 15",
        &["already", "case open", "this incident"],
    );
    // A second incident gets a case of its own while the first one's is open.
    world.id = "wiper_wave";
    granted(world.check(Action::OpenCsirtsCase, &csirt("FR")));
}

#[test]
fn a_csirts_network_case_concerns_an_incident() {
    refused(
        no_incident().check(Action::OpenCsirtsCase, &csirt("DE")),
        "request",
        &["which incident"],
    );
}

// ---------------------------------------------------------------------------------------------------------
// §4.3 Technical -> operational: escalation to EU-CyCLONe (NIS2 Art. 6(7), 15-16)
// ---------------------------------------------------------------------------------------------------------

#[test]
fn escalation_to_cyclone_needs_the_large_scale_test() {
    let two_states = incident(Severity::Significant, &["DE", "FR"]);
    granted(two_states.check(Action::EscalateToCyclone, &csirt("DE")));

    let mut overwhelmed = incident(Severity::Moderate, &["DE"]);
    overwhelmed.truth.overwhelms = vec!["DE".into()];
    granted(overwhelmed.check(Action::EscalateToCyclone, &csirt("DE")));

    let national = incident(Severity::Critical, &["DE"]);
    refused(
        national.check(Action::EscalateToCyclone, &csirt("DE")),
        "NIS2 Art. 6(7)",
        &["large-scale", "capacity", "two member states"],
    );
}

#[test]
fn cyclone_takes_up_a_potential_large_scale_incident() {
    // Already in a second Member State, though not yet significant: potential (NIS2 Art. 16).
    let spreading = incident(Severity::Moderate, &["DE", "FR"]);
    assert!(!spreading.large_scale());
    assert!(is_potentially_large_scale(&spreading.facts()));
    granted(spreading.check(Action::EscalateToCyclone, &crisis_authority("DE")));
    // Significant in one state, and the same perpetrator is hitting another: potential.
    let campaign = incident(Severity::Significant, &["DE"]);
    let wider = set(&["DE", "PL"]);
    let facts = IncidentFacts {
        campaign: &wider,
        ..campaign.facts()
    };
    assert!(is_potentially_large_scale(&facts));
    // One state, nothing beyond it: neither ongoing nor potential.
    let national = incident(Severity::Critical, &["DE"]);
    assert!(!is_potentially_large_scale(&national.facts()));
    let moderate_national = incident(Severity::Moderate, &["DE"]);
    refused(
        moderate_national.check(Action::EscalateToCyclone, &crisis_authority("DE")),
        "NIS2 Art. 6(7), 16",
        &["potential or ongoing"],
    );
}

#[test]
fn escalation_to_cyclone_without_a_named_incident_looks_at_every_incident() {
    let mut world = no_incident();
    refused(
        world.check(Action::EscalateToCyclone, &csirt("DE")),
        "6(7)",
        &["large-scale"],
    );
    world.any_large_scale = true;
    granted(world.check(Action::EscalateToCyclone, &csirt("DE")));
}

#[test]
fn escalation_to_cyclone_comes_from_the_csirts_network_or_a_crisis_authority() {
    let world = incident(Severity::Significant, &["DE", "FR"]);
    for who in [
        csirt("DE"),
        union_body(ActorKind::Enisa),
        crisis_authority("FR"),
    ] {
        granted(world.check(Action::EscalateToCyclone, &who));
    }
    for who in [
        government("DE"),
        presidency(),
        union_body(ActorKind::Commission),
        spoc("DE"),
    ] {
        refused(
            world.check(Action::EscalateToCyclone, &who),
            "NIS2 Art. 15-16",
            &["EU-CyCLONe", "CSIRTs Network"],
        );
    }
}

#[test]
fn cyclone_takes_up_each_incident_once() {
    let mut world = incident(Severity::Significant, &["DE", "FR"]);
    world.mechanisms.cyclone_active = true;
    world.mechanisms.cyclone_incidents = set(&["ransom_wave"]);
    refused(
        world.check(Action::EscalateToCyclone, &csirt("DE")),
        "NIS2 Art. 16",
        &["already", "this incident"],
    );
    // Another large-scale incident may be taken up too.
    world.id = "wiper_wave";
    granted(world.check(Action::EscalateToCyclone, &csirt("DE")));
    // Without naming one, the crisis is already in hand.
    let mut unnamed = no_incident();
    unnamed.any_large_scale = true;
    unnamed.mechanisms.cyclone_active = true;
    refused(
        unnamed.check(Action::EscalateToCyclone, &csirt("DE")),
        "NIS2 Art. 16",
        &["already"],
    );
}

#[test]
fn the_commission_joins_cyclone_fully_once_nis2_services_are_significantly_hit() {
    let mut m = Mechanisms {
        cyclone_active: true,
        ..Mechanisms::default()
    };
    assert!(commission_becomes_full_participant(&m, true));
    // An observer while NIS2 services are not significantly affected.
    assert!(!commission_becomes_full_participant(&m, false));
    // Once a full participant, it stays one: the change happens once.
    m.commission_full_participant = true;
    assert!(!commission_becomes_full_participant(&m, true));
}

#[test]
fn the_commission_joins_only_an_active_cyclone() {
    let m = Mechanisms::default();
    assert!(!commission_becomes_full_participant(&m, true));
}

// ---------------------------------------------------------------------------------------------------------
// §4.4 Operational -> political: IPCR (Council Impl. Dec. (EU) 2018/1993)
// ---------------------------------------------------------------------------------------------------------

#[test]
fn isaa_reports_start_with_information_sharing_not_monitoring() {
    assert!(!isaa_runs(IpcrMode::Monitoring));
    assert!(isaa_runs(IpcrMode::InformationSharing));
    assert!(isaa_runs(IpcrMode::FullActivation));
}

#[test]
fn isaa_is_written_for_the_political_level() {
    for kind in [
        ActorKind::Presidency,
        ActorKind::Government,
        ActorKind::Commission,
        ActorKind::Eeas,
        ActorKind::Council,
        ActorKind::CouncilSecretariat,
        ActorKind::CrisisAuthority,
    ] {
        assert!(receives_isaa(kind), "{kind:?} reads ISAA");
    }
    // The technical level, the entities, the agencies and law enforcement have their own products.
    for kind in [
        ActorKind::Csirt,
        ActorKind::Spoc,
        ActorKind::Essential(Sector::Health),
        ActorKind::Important(Sector::Manufacturing),
        ActorKind::Enisa,
        ActorKind::CertEu,
        ActorKind::IntCen,
        ActorKind::Europol,
        ActorKind::Other,
    ] {
        assert!(!receives_isaa(kind), "{kind:?} does not receive ISAA");
    }
}

#[test]
fn isaa_comes_from_the_commission_and_the_eeas_on_the_restricted_ipcr_platform() {
    assert_eq!(ISAA_AUTHORS, [ActorKind::Commission, ActorKind::Eeas]);
    assert!(
        !ISAA_AUTHORS.contains(&ActorKind::Council),
        "not the Council's product"
    );
    assert_eq!(ISAA_CHANNEL, Channel::IpcrPlatform);
    assert_eq!(ISAA_TLP, Tlp::Amber);
}

#[test]
fn ipcr_modes_escalate_from_monitoring_to_information_sharing_to_full_activation() {
    assert_eq!(IpcrMode::default(), IpcrMode::Monitoring);
    assert!(IpcrMode::Monitoring < IpcrMode::InformationSharing);
    assert!(IpcrMode::InformationSharing < IpcrMode::FullActivation);
    assert_eq!(Mechanisms::default().ipcr, IpcrMode::Monitoring);
}

#[test]
fn only_the_presidency_decides_ipcr_full_activation() {
    let world = no_incident();
    granted(world.check(Action::Ipcr(IpcrMode::FullActivation), &presidency()));
    for who in [
        union_body(ActorKind::Commission),
        union_body(ActorKind::Eeas),
        union_body(ActorKind::Council),
        government("DE"),
    ] {
        refused(
            world.check(Action::Ipcr(IpcrMode::FullActivation), &who),
            "2018/1993",
            &["only", "Presidency"],
        );
    }
}

#[test]
fn the_presidency_may_go_straight_to_full_activation_or_step_up_from_information_sharing() {
    let mut world = no_incident();
    granted(world.check(Action::Ipcr(IpcrMode::FullActivation), &presidency()));
    world.mechanisms.ipcr = IpcrMode::InformationSharing;
    granted(world.check(Action::Ipcr(IpcrMode::FullActivation), &presidency()));
}

#[test]
fn the_gsc_the_commission_and_the_eeas_may_each_agree_to_open_ipcr_information_sharing() {
    let world = no_incident();
    for who in [
        presidency(),
        union_body(ActorKind::CouncilSecretariat),
        union_body(ActorKind::Commission),
        union_body(ActorKind::Eeas),
    ] {
        granted(world.check(Action::Ipcr(IpcrMode::InformationSharing), &who));
    }
}

#[test]
fn council_bodies_such_as_the_hwpci_or_the_psc_do_not_open_ipcr() {
    refused(
        no_incident().check(
            Action::Ipcr(IpcrMode::InformationSharing),
            &union_body(ActorKind::Council),
        ),
        "Council Rec. of 6.6.2025",
        &["together", "HWPCI"],
    );
}

#[test]
fn information_sharing_opens_only_when_the_gsc_the_commission_and_the_eeas_all_agree() {
    use ActorKind as K;
    let mut agreed = BTreeSet::new();
    // No one of the three opens it alone...
    for kind in IPCR_SHARING_PARTNERS {
        assert!(!ipcr_sharing_opens(kind, &agreed), "{kind:?} alone");
    }
    agreed.insert(K::Commission);
    assert!(!ipcr_sharing_opens(K::Eeas, &agreed), "two of three");
    assert_eq!(
        ipcr_sharing_missing(&agreed),
        ["the Council General Secretariat (GSC)", "the EEAS"]
    );
    agreed.insert(K::Eeas);
    // ...the third one's agreement opens it.
    assert!(ipcr_sharing_opens(K::CouncilSecretariat, &agreed));
    // The Presidency may open it by itself at any time.
    assert!(ipcr_sharing_opens(K::Presidency, &BTreeSet::new()));
}

#[test]
fn a_partner_agrees_once_and_the_refusal_says_who_is_still_missing() {
    let mut world = no_incident();
    world.mechanisms.ipcr_sharing_agreed = [ActorKind::Commission].into();
    refused(
        world.check(
            Action::Ipcr(IpcrMode::InformationSharing),
            &union_body(ActorKind::Commission),
        ),
        "Council Rec. of 6.6.2025, recital 3",
        &["already agreed", "still missing", "GSC", "EEAS"],
    );
    granted(world.check(
        Action::Ipcr(IpcrMode::InformationSharing),
        &union_body(ActorKind::Eeas),
    ));
}

#[test]
fn an_affected_government_asks_the_presidency_rather_than_opening_ipcr() {
    let world = incident(Severity::Critical, &["DE", "FR"]);
    for who in [
        government("DE"),
        crisis_authority("DE"),
        union_body(ActorKind::Enisa),
    ] {
        refused(
            world.check(Action::Ipcr(IpcrMode::InformationSharing), &who),
            "2018/1993",
            &["Presidency", "information sharing"],
        );
    }
}

#[test]
fn only_the_presidency_scales_ipcr_down() {
    let mut world = no_incident();
    world.mechanisms.ipcr = IpcrMode::FullActivation;
    granted(world.check(Action::Ipcr(IpcrMode::Monitoring), &presidency()));
    granted(world.check(Action::Ipcr(IpcrMode::InformationSharing), &presidency()));

    refused(
        world.check(
            Action::Ipcr(IpcrMode::Monitoring),
            &union_body(ActorKind::Commission),
        ),
        "2018/1993",
        &["Presidency"],
    );
    // The Commission may open information sharing, but not bring a full activation back down to it.
    refused(
        world.check(
            Action::Ipcr(IpcrMode::InformationSharing),
            &union_body(ActorKind::Commission),
        ),
        "2018/1993",
        &["only the Presidency", "down"],
    );
}

#[test]
fn ipcr_is_not_set_to_the_mode_it_is_already_in() {
    let mut world = no_incident();
    world.mechanisms.ipcr = IpcrMode::InformationSharing;
    refused(
        world.check(Action::Ipcr(IpcrMode::InformationSharing), &presidency()),
        "2018/1993",
        &["already", "information sharing"],
    );
    world.mechanisms.ipcr = IpcrMode::FullActivation;
    refused(
        world.check(Action::Ipcr(IpcrMode::FullActivation), &presidency()),
        "2018/1993",
        &["already", "full activation"],
    );
    world.mechanisms.ipcr = IpcrMode::Monitoring;
    refused(
        world.check(Action::Ipcr(IpcrMode::Monitoring), &presidency()),
        "2018/1993",
        &["already", "monitoring"],
    );
}

// ---------------------------------------------------------------------------------------------------------
// §4.5 Solidarity path: Art. 222 TFEU (Council Dec. 2014/415/EU)
// ---------------------------------------------------------------------------------------------------------

/// A terrorist attack in DE that clearly overwhelms DE.
fn terrorist_attack_overwhelming_de() -> World {
    let mut world = incident(Severity::Significant, &["DE", "FR"]);
    world.truth.terrorist_attack = true;
    world.truth.overwhelms = vec!["DE".into()];
    world
}

/// The terrorist attack in DE, after DE has used its own means (mitigation) and asked for EU support
/// (the EU Cybersecurity Reserve).
fn terrorist_attack_after_national_and_eu_means() -> World {
    let mut world = terrorist_attack_overwhelming_de();
    world.mitigated = true;
    world
        .mechanisms
        .reserve_requests
        .insert(("DE".into(), "ransom_wave".into()));
    world
}

/// Asks the rules about a request as `check` does, and returns what `contests` records for it.
impl World {
    fn contests(&self, action: Action, who: &Requester) -> Vec<Contest> {
        let situation = Situation {
            incident: self.with_incident.then(|| self.facts()),
            mechanisms: &self.mechanisms,
            any_large_scale: self.any_large_scale,
        };
        contests(action, who, &situation)
    }
}

/// Asserts exactly one contest whose rule names `rule` and whose reason carries every one of `words`.
#[track_caller]
fn contested(found: &[Contest], rule: &str, words: &[&str]) {
    let hits: Vec<&Contest> = found
        .iter()
        .filter(|c| {
            c.rule.contains(rule)
                && words
                    .iter()
                    .all(|w| c.reason.to_lowercase().contains(&w.to_lowercase()))
        })
        .collect();
    assert_eq!(
        hits.len(),
        1,
        "expected one `{rule}` contest with {words:?}: {found:?}"
    );
    assert!(
        hits[0].reason.starts_with(CONTESTED) || hits[0].reason.starts_with(NO_ASSESSMENT),
        "{}",
        hits[0].reason
    );
}

#[test]
fn the_government_hit_by_a_terrorist_attack_that_overwhelms_it_invokes_art_222() {
    let world = terrorist_attack_after_national_and_eu_means();
    granted(world.check(Action::InvokeArt222, &government("DE")));
    assert_eq!(
        world.contests(Action::InvokeArt222, &government("DE")),
        [],
        "a terrorist attack that clearly overwhelms DE after national and EU means: nothing to contest"
    );
}

#[test]
fn art_222_invocation_puts_ipcr_into_full_activation() {
    assert_eq!(
        consequences(Action::InvokeArt222),
        vec![Consequence::IpcrFullActivation]
    );
}

#[test]
fn art_222_is_the_states_judgement_capacity_not_overwhelmed_is_contested_not_refused() {
    // Council Dec. 2014/415/EU Art. 4(1): the state invokes "if it considers" the crisis clearly
    // overwhelms it. No EU body refuses; the record says the facts do not bear it out.
    let mut world = terrorist_attack_after_national_and_eu_means();
    world.truth.overwhelms.clear();
    granted(world.check(Action::InvokeArt222, &government("DE")));
    contested(
        &world.contests(Action::InvokeArt222, &government("DE")),
        "Art. 222 TFEU",
        &["terrorist attack", "does not clearly overwhelm", "DE"],
    );
    // FR is hit too, but it is DE's capacity that is overwhelmed: FR's invocation stands, contested.
    let mut world = terrorist_attack_after_national_and_eu_means();
    world
        .mechanisms
        .reserve_requests
        .insert(("FR".into(), "ransom_wave".into()));
    granted(world.check(Action::InvokeArt222, &government("FR")));
    contested(
        &world.contests(Action::InvokeArt222, &government("FR")),
        "2014/415",
        &["overwhelm", "FR"],
    );
}

#[test]
fn art_222_neither_terrorist_attack_nor_disaster_is_contested_not_refused() {
    let mut world = incident(Severity::Significant, &["DE"]);
    world
        .mechanisms
        .reserve_requests
        .insert(("DE".into(), "ransom_wave".into()));
    granted(world.check(Action::InvokeArt222, &government("DE")));
    contested(
        &world.contests(Action::InvokeArt222, &government("DE")),
        "Art. 222 TFEU",
        &["neither a terrorist attack nor", "disaster"],
    );
}

#[test]
fn art_222_covers_a_man_made_disaster_that_clearly_overwhelms_the_state() {
    // Reference §2/§4.5: terrorist attack OR natural or man-made disaster, AND capacity clearly overwhelmed.
    // `Truth::terrorist_attack`: "a large man-made disaster is expressed by `overwhelms`". Severity is not a
    // precondition in the reference.
    let mut world = terrorist_attack_after_national_and_eu_means();
    world.truth.terrorist_attack = false;
    granted(world.check(Action::InvokeArt222, &government("DE")));
    assert_eq!(world.contests(Action::InvokeArt222, &government("DE")), []);
}

#[test]
fn art_222_before_national_and_eu_means_are_exploited_is_contested() {
    // Council Dec. 2014/415/EU Art. 4(1): "after having exploited the possibilities offered by existing
    // means and tools at national and Union level".
    let mut world = terrorist_attack_overwhelming_de();
    world.mitigated = false;
    granted(world.check(Action::InvokeArt222, &government("DE")));
    contested(
        &world.contests(Action::InvokeArt222, &government("DE")),
        "2014/415/EU Art. 4(1)",
        &[
            "not yet exploited",
            "national and Union level",
            "no own mitigation",
            "no EU support",
        ],
    );
    // Own mitigation alone still leaves the Union tools unused...
    world.mitigated = true;
    contested(
        &world.contests(Action::InvokeArt222, &government("DE")),
        "2014/415/EU Art. 4(1)",
        &["no EU support"],
    );
    // ...a rapid reaction team request is a Union tool as much as the Reserve.
    world
        .mechanisms
        .rapid_reaction_requests
        .insert(("DE".into(), "ransom_wave".into()));
    assert_eq!(world.contests(Action::InvokeArt222, &government("DE")), []);
    // Another state's request is not DE's own use of EU means.
    let mut world = terrorist_attack_overwhelming_de();
    world
        .mechanisms
        .reserve_requests
        .insert(("FR".into(), "ransom_wave".into()));
    contested(
        &world.contests(Action::InvokeArt222, &government("DE")),
        "Art. 222 TFEU",
        &["no EU support"],
    );
}

#[test]
fn art_222_is_invoked_by_the_state_hit_not_another_state() {
    let mut world = terrorist_attack_overwhelming_de();
    world.truth.overwhelms.push("GR".into());
    refused(
        world.check(Action::InvokeArt222, &government("GR")),
        "Art. 222 TFEU",
        &["GR", "not hit", "territory"],
    );
}

#[test]
fn art_222_is_invoked_by_political_authorities_not_agencies() {
    let world = terrorist_attack_overwhelming_de();
    for who in [
        csirt("DE"),
        crisis_authority("DE"),
        presidency(),
        union_body(ActorKind::Commission),
    ] {
        refused(
            world.check(Action::InvokeArt222, &who),
            "Art. 222 TFEU",
            &["cannot", "political authorities"],
        );
    }
}

#[test]
fn a_state_invokes_art_222_once() {
    let mut world = terrorist_attack_overwhelming_de();
    world.mechanisms.art222 = set(&["DE"]);
    refused(
        world.check(Action::InvokeArt222, &government("DE")),
        "Art. 222 TFEU",
        &["DE", "already"],
    );
}

#[test]
fn art_222_names_the_incident() {
    refused(
        no_incident().check(Action::InvokeArt222, &government("DE")),
        "request",
        &["which incident"],
    );
}

// ---------------------------------------------------------------------------------------------------------
// §4.8 Defence path: Art. 42(7) TEU
// ---------------------------------------------------------------------------------------------------------

/// A state-linked attack on DE whose effects amount to armed aggression.
fn armed_aggression_on_de() -> World {
    let mut world = incident(Severity::Critical, &["DE"]);
    world.truth.origin = Origin::StateLinked;
    world.truth.sponsor = Some("a hostile state".into());
    world.truth.armed_aggression = true;
    world
}

#[test]
fn art_42_7_against_armed_aggression_on_the_victims_territory_is_granted_uncontested() {
    let world = armed_aggression_on_de();
    granted(world.check(Action::InvokeArt427, &government("DE")));
    assert_eq!(world.contests(Action::InvokeArt427, &government("DE")), []);
}

#[test]
fn art_42_7_is_the_victims_judgement_below_armed_aggression_it_is_contested_not_refused() {
    // Reference §4 rule 8: no EU body refuses an invocation; the other states respond as they see fit.
    let mut below_threshold = armed_aggression_on_de();
    below_threshold.truth.armed_aggression = false;
    granted(below_threshold.check(Action::InvokeArt427, &government("DE")));
    contested(
        &below_threshold.contests(Action::InvokeArt427, &government("DE")),
        "Art. 42(7) TEU",
        &["do not amount to armed aggression", "DE's territory"],
    );
}

#[test]
fn art_42_7_after_a_terrorist_attack_is_granted_as_france_invoked_it_in_2015() {
    // France, 17.11.2015, after the attacks of 13.11 by a non-state group; every Member State supported it.
    let mut paris = incident(Severity::Critical, &["FR"]);
    paris.truth.origin = Origin::Unknown;
    paris.truth.terrorist_attack = true;
    granted(paris.check(Action::InvokeArt427, &government("FR")));
    contested(
        &paris.contests(Action::InvokeArt427, &government("FR")),
        "Art. 42(7) TEU",
        &["terrorist attack", "non-state", "13 November 2015"],
    );
    // A planner who judges the attack to be armed aggression records nothing to contest.
    paris.truth.armed_aggression = true;
    assert_eq!(paris.contests(Action::InvokeArt427, &government("FR")), []);
}

#[test]
fn only_the_treaty_clauses_are_ever_contested() {
    let mut world = incident(Severity::Minor, &["DE"]);
    world.mitigated = false;
    // An assessment on record: listings and attribution are not contested either.
    world
        .mechanisms
        .intel_assessments
        .insert("ransom_wave".into(), Confidence::Likely);
    for action in Action::ALL
        .into_iter()
        .filter(|a| !matches!(a, Action::InvokeArt222 | Action::InvokeArt427))
    {
        assert_eq!(world.contests(action, &government("DE")), [], "{action:?}");
    }
}

#[test]
fn art_42_7_is_invoked_by_the_victim_not_another_state() {
    let world = armed_aggression_on_de();
    refused(
        world.check(Action::InvokeArt427, &government("FR")),
        "Art. 42(7) TEU",
        &["FR", "not the victim"],
    );
}

#[test]
fn art_42_7_is_invoked_by_the_victims_government() {
    let world = armed_aggression_on_de();
    for who in [
        crisis_authority("DE"),
        presidency(),
        union_body(ActorKind::Eeas),
        union_body(ActorKind::Council),
    ] {
        refused(
            world.check(Action::InvokeArt427, &who),
            "Art. 42(7) TEU",
            &["cannot", "government"],
        );
    }
}

#[test]
fn a_state_invokes_art_42_7_once() {
    let mut world = armed_aggression_on_de();
    world.mechanisms.art427 = set(&["DE"]);
    refused(
        world.check(Action::InvokeArt427, &government("DE")),
        "Art. 42(7) TEU",
        &["already"],
    );
}

#[test]
fn art_42_7_names_the_incident() {
    refused(
        no_incident().check(Action::InvokeArt427, &government("DE")),
        "request",
        &["which incident"],
    );
}

#[test]
fn art_42_7_leaves_aid_and_assistance_to_every_other_states_government() {
    assert_eq!(
        consequences(Action::InvokeArt427),
        vec![Consequence::AidAndAssistanceDecisions]
    );
    assert!(!consequences(Action::InvokeArt427).contains(&Consequence::IpcrFullActivation));
}

#[test]
fn art_42_7_aid_is_owed_by_every_other_member_states_government() {
    assert!(owes_aid_and_assistance(
        ActorKind::Government,
        Some("FR"),
        "EE"
    ));
    // Not by the victim itself...
    assert!(!owes_aid_and_assistance(
        ActorKind::Government,
        Some("EE"),
        "EE"
    ));
    // ...and not by anyone but a government.
    for kind in ALL_KINDS
        .into_iter()
        .filter(|k| *k != ActorKind::Government)
    {
        assert!(!owes_aid_and_assistance(kind, Some("FR"), "EE"));
    }
    // Each government answers within the model's day.
    assert_eq!(AID_AND_ASSISTANCE_ANSWER_MIN, 24 * 60);
}

#[test]
fn art_42_7_respects_the_specific_defence_policy_of_austria_ireland_malta_and_cyprus() {
    // Art. 42(7) first subparagraph: it "shall not prejudice the specific character of the security and
    // defence policy of certain Member States". Their governments are offered non-military aid only.
    for neutral in ["AT", "CY", "IE", "MT"] {
        assert!(has_specific_defence_policy(neutral), "{neutral}");
        let options = aid_options(neutral);
        assert!(
            !options.contains(&AidResponse::AllMeans),
            "{neutral}: {options:?}"
        );
        assert!(options.contains(&AidResponse::NonMilitary), "{neutral}");
    }
    // Allies are offered every means, military included; Finland and Sweden joined NATO.
    for ally in ["FR", "DE", "EE", "FI", "SE"] {
        assert!(!has_specific_defence_policy(ally), "{ally}");
        assert_eq!(
            aid_options(ally).first(),
            Some(&AidResponse::AllMeans),
            "{ally}"
        );
    }
}

#[test]
fn art_42_7_answers_range_from_offers_to_no_support_and_silence_defaults_to_no_position() {
    for country in ["IE", "FR"] {
        let options = aid_options(country);
        for answer in [
            AidResponse::NonMilitary,
            AidResponse::SupportWithoutOffer,
            AidResponse::NotSupported,
        ] {
            assert!(options.contains(&answer), "{country}: {answer:?}");
        }
        // A government that says nothing by the deadline has taken no position: the engine invents no
        // support and no offer on its behalf.
        assert_eq!(options.last(), Some(&AidResponse::NoPosition), "{country}");
        assert!(!options.contains(&AidResponse::Awaited), "{country}");
        for answer in options {
            assert_eq!(
                AidResponse::from_option_id(answer.option_id()),
                Some(answer)
            );
            assert!(!answer.label().is_empty());
        }
    }
    // The option ids journals and decision files have always used stay the same.
    assert_eq!(AidResponse::AllMeans.option_id(), "assist_all_means");
    assert_eq!(AidResponse::NonMilitary.option_id(), "assist_civilian");
    assert_eq!(AidResponse::from_option_id("awaited"), None);
}

#[test]
fn nato_is_context_for_its_members_never_a_condition_of_art_42_7() {
    // Art. 42(7) second subparagraph: for its members NATO remains the foundation of collective defence.
    for ally in ["FR", "DE", "EE", "LT", "PL", "FI", "SE"] {
        assert!(is_nato_member(ally), "{ally}");
    }
    for outside in SPECIFIC_DEFENCE_POLICY {
        assert!(!is_nato_member(outside), "{outside}");
    }
    // Every EU Member State is either in NATO or has its specific policy respected, never both.
    assert_eq!(NATO_MEMBERS.len() + SPECIFIC_DEFENCE_POLICY.len(), 27);
    // A non-NATO victim invokes Art. 42(7) like any other state.
    let mut world = incident(Severity::Critical, &["IE"]);
    world.truth.armed_aggression = true;
    granted(world.check(Action::InvokeArt427, &government("IE")));
}

// ---------------------------------------------------------------------------------------------------------
// §4.6 Support path: EU Cybersecurity Reserve (Cyber Solidarity Act Arts 14-16)
// ---------------------------------------------------------------------------------------------------------

#[test]
fn the_reserve_is_requested_by_its_users_a_csirt_or_a_crisis_authority() {
    let world = incident(Severity::Significant, &["DE"]);
    granted(world.check(Action::RequestReserve, &csirt("DE")));
    granted(world.check(Action::RequestReserve, &crisis_authority("DE")));
    assert!(reserve_user(ActorKind::Csirt) && reserve_user(ActorKind::CrisisAuthority));
}

#[test]
fn the_spoc_transmits_reserve_requests_but_is_not_a_user() {
    let world = incident(Severity::Significant, &["DE"]);
    for who in [
        spoc("DE"),
        government("DE"),
        de_hospital(),
        union_body(ActorKind::Enisa),
        union_body(ActorKind::Commission),
    ] {
        refused(
            world.check(Action::RequestReserve, &who),
            "Cyber Solidarity Act Art. 14(3)",
            &[
                "cannot request",
                "CSIRT",
                "crisis management authority",
                "transmits",
            ],
        );
    }
    // A national user's request reaches ENISA through its SPOC; CERT-EU's does not.
    assert!(reserve_transmitted_by_spoc(ActorKind::Csirt));
    assert!(reserve_transmitted_by_spoc(ActorKind::CrisisAuthority));
    assert!(!reserve_transmitted_by_spoc(ActorKind::CertEu));
    assert_eq!(
        consequences(Action::RequestReserve).first(),
        Some(&Consequence::TransmitToEnisa)
    );
}

#[test]
fn cert_eu_requests_the_reserve_for_union_entities() {
    let world = incident(Severity::Significant, &["DE"]);
    let cert_eu = union_body(ActorKind::CertEu);
    granted(world.check(Action::RequestReserve, &cert_eu));
    assert_eq!(request_country(&cert_eu), "EU");
    assert_eq!(request_country(&csirt("DE")), "DE");
}

#[test]
fn reserve_is_requested_by_a_user_of_an_affected_state() {
    let world = incident(Severity::Significant, &["DE"]);
    refused(
        world.check(Action::RequestReserve, &csirt("FR")),
        "Cyber Solidarity Act Art. 14(3)",
        &["FR", "not affected"],
    );
    granted(world.check(Action::RequestReserve, &csirt("DE")));
}

#[test]
fn reserve_needs_own_mitigation_first_art_15_2() {
    let mut world = incident(Severity::Significant, &["DE"]);
    world.mitigated = false;
    let refusal = refused(
        world.check(Action::RequestReserve, &csirt("DE")),
        "Cyber Solidarity Act Art. 15(2)",
        &["own mitigation"],
    );
    assert!(!refusal.rule.contains("Art. 14"), "{refusal:?}");
    world.mitigated = true;
    granted(world.check(Action::RequestReserve, &csirt("DE")));
}

#[test]
fn reserve_needs_a_significant_or_large_scale_incident() {
    let moderate = incident(Severity::Moderate, &["DE"]);
    refused(
        moderate.check(Action::RequestReserve, &csirt("DE")),
        "Cyber Solidarity Act Art. 14(1)",
        &["significant or large-scale"],
    );

    let mut large_scale = incident(Severity::Moderate, &["DE"]);
    large_scale.truth.overwhelms = vec!["DE".into()];
    granted(large_scale.check(Action::RequestReserve, &csirt("DE")));

    granted(incident(Severity::Significant, &["DE"]).check(Action::RequestReserve, &csirt("DE")));
}

#[test]
fn a_reserve_request_is_made_once_per_state_and_incident() {
    let mut world = incident(Severity::Significant, &["DE", "FR"]);
    world.mechanisms.reserve_requests = [("DE".to_owned(), "ransom_wave".to_owned())].into();
    for who in [csirt("DE"), crisis_authority("DE")] {
        refused(
            world.check(Action::RequestReserve, &who),
            "Cyber Solidarity Act Art. 15",
            &["already"],
        );
    }
    granted(world.check(Action::RequestReserve, &csirt("FR")));
    world.id = "wiper_wave";
    granted(world.check(Action::RequestReserve, &csirt("DE")));
}

#[test]
fn a_reserve_request_names_the_incident() {
    refused(
        no_incident().check(Action::RequestReserve, &csirt("DE")),
        "request",
        &["which incident"],
    );
}

#[test]
fn reserve_request_is_transmitted_informs_the_networks_and_is_answered_within_48h() {
    assert_eq!(
        consequences(Action::RequestReserve),
        vec![
            Consequence::TransmitToEnisa,
            Consequence::InformNetworks,
            Consequence::ReserveAnswer(RESERVE_ANSWER)
        ]
    );
}

/// A request before ENISA: a significant incident at one essential entity, mitigated, still going on.
fn claim(country: &str, requested_at: Minutes) -> ReserveClaim {
    ReserveClaim {
        country: country.into(),
        incident: "ransom_wave".into(),
        requested_at,
        severity: Severity::Significant,
        essential: true,
        entities: 1,
        cross_border: false,
        mitigated: true,
        still_needed: true,
    }
}

#[test]
fn enisa_serves_a_request_in_full_while_the_reserve_has_capacity() {
    let answers = assess_reserve(&[claim("DE", 0)], RESERVE_CAPACITY_DEFAULT);
    assert_eq!(answers.len(), 1);
    assert_eq!(answers[0].outcome, ReserveOutcome::Served { teams: 1 });
    assert_eq!((answers[0].rank, answers[0].of), (1, 1));
}

#[test]
fn competing_requests_are_ranked_by_the_acts_criteria_in_order() {
    // Severity first: a critical incident outranks an earlier significant one.
    let mut critical = claim("FR", 60);
    critical.severity = Severity::Critical;
    assert_eq!(reserve_priority(&critical, &claim("DE", 0)), Ordering::Less);
    // Then essential entities first.
    let mut important_only = claim("DE", 0);
    important_only.essential = false;
    assert_eq!(
        reserve_priority(&claim("FR", 60), &important_only),
        Ordering::Less
    );
    // Then impact: more hit entities.
    let mut wider = claim("FR", 60);
    wider.entities = 3;
    assert_eq!(reserve_priority(&wider, &claim("DE", 0)), Ordering::Less);
    // Then cross-border spill-over.
    let mut spilling = claim("FR", 60);
    spilling.cross_border = true;
    assert_eq!(reserve_priority(&spilling, &claim("DE", 0)), Ordering::Less);
    // Then the user's own efforts.
    let mut idle = claim("DE", 0);
    idle.mitigated = false;
    assert_eq!(reserve_priority(&claim("FR", 60), &idle), Ordering::Less);
    // All else equal, the earlier request goes first: never a coin toss.
    assert_eq!(
        reserve_priority(&claim("FR", 0), &claim("DE", 60)),
        Ordering::Less
    );
    assert_eq!(
        reserve_priority(&claim("DE", 0), &claim("FR", 0)),
        Ordering::Less
    );
}

#[test]
fn when_capacity_runs_short_the_higher_priority_request_is_served_and_the_other_deferred() {
    let mut critical = claim("FR", 60);
    critical.severity = Severity::Critical;
    let answers = assess_reserve(&[claim("DE", 0), critical], 1);
    assert_eq!(
        answers[0].claim, 1,
        "the critical French incident ranks first"
    );
    assert_eq!(answers[0].outcome, ReserveOutcome::Served { teams: 1 });
    assert_eq!(answers[1].claim, 0);
    assert_eq!((answers[1].rank, answers[1].of), (2, 2));
    assert_eq!(answers[1].outcome, ReserveOutcome::Deferred);
}

#[test]
fn a_request_for_more_teams_than_are_left_is_partly_served() {
    let mut wide = claim("DE", 0);
    wide.entities = 3;
    let answers = assess_reserve(&[wide], 2);
    assert_eq!(
        answers[0].outcome,
        ReserveOutcome::PartlyServed { teams: 2, asked: 3 }
    );
    // Enough teams: in full.
    let mut wide = claim("DE", 0);
    wide.entities = 3;
    assert_eq!(
        assess_reserve(&[wide], 3)[0].outcome,
        ReserveOutcome::Served { teams: 3 }
    );
}

#[test]
fn enisa_refuses_a_request_whose_incident_no_longer_calls_for_support() {
    let mut over = claim("DE", 0);
    over.still_needed = false;
    let answers = assess_reserve(&[over, claim("FR", 0)], 1);
    let refused_one = answers.iter().find(|a| a.claim == 0).expect("answered");
    assert!(
        matches!(&refused_one.outcome, ReserveOutcome::Refused { reason } if reason.contains("no longer")),
        "{refused_one:?}"
    );
    // The refused request takes no team from the one that still needs it.
    let other = answers.iter().find(|a| a.claim == 1).expect("answered");
    assert_eq!(other.outcome, ReserveOutcome::Served { teams: 1 });
}

#[test]
fn committed_teams_count_against_capacity_for_48_hours() {
    assert_eq!(RESERVE_CAPACITY_WINDOW_MIN, 48 * 60);
    let committed = [(0, 1), (10 * 60, 2)];
    assert_eq!(reserve_free_teams(4, &committed, 12 * 60), 1);
    assert_eq!(
        reserve_free_teams(4, &committed, 48 * 60),
        2,
        "the first team is free again"
    );
    assert_eq!(
        reserve_free_teams(2, &committed, 12 * 60),
        0,
        "never below zero"
    );
    assert_eq!(reserve_next_free(&committed, 12 * 60), Some(48 * 60));
    assert_eq!(reserve_next_free(&[], 0), None);
}

// ---------------------------------------------------------------------------------------------------------
// Rapid reaction teams (Commission Rec. (EU) 2021/1086)
// ---------------------------------------------------------------------------------------------------------

#[test]
fn the_affected_state_requests_a_rapid_reaction_team() {
    let world = incident(Severity::Significant, &["DE"]);
    for who in [spoc("DE"), csirt("DE"), crisis_authority("DE")] {
        granted(world.check(Action::RequestRapidReaction, &who));
    }
    refused(
        world.check(Action::RequestRapidReaction, &csirt("FR")),
        "subsidiarity",
        &["FR", "not affected"],
    );
}

#[test]
fn rapid_reaction_teams_support_significant_or_large_scale_incidents() {
    let moderate = incident(Severity::Moderate, &["DE"]);
    refused(
        moderate.check(Action::RequestRapidReaction, &spoc("DE")),
        "2021/1086",
        &["significant or large-scale"],
    );
    let mut overwhelmed = incident(Severity::Moderate, &["DE"]);
    overwhelmed.truth.overwhelms = vec!["DE".into()];
    granted(overwhelmed.check(Action::RequestRapidReaction, &spoc("DE")));
}

#[test]
fn rapid_reaction_is_not_requested_by_a_government_or_an_eu_body() {
    let world = incident(Severity::Significant, &["DE"]);
    for who in [
        government("DE"),
        union_body(ActorKind::Enisa),
        union_body(ActorKind::CertEu),
    ] {
        refused(
            world.check(Action::RequestRapidReaction, &who),
            "2021/1086",
            &["cannot", "rapid reaction", "an exercise assumption"],
        );
    }
}

#[test]
fn rapid_reaction_teams_are_named_an_exercise_assumption() {
    // The JCU never fielded them: every rule text about them says so, granted or refused.
    let moderate = incident(Severity::Moderate, &["DE"]);
    let refusal = refused(
        moderate.check(Action::RequestRapidReaction, &csirt("DE")),
        "exercise assumption",
        &["an exercise assumption"],
    );
    assert!(refusal.rule.contains("2021/1086"), "{refusal:?}");
    granted(
        incident(Severity::Significant, &["DE"]).check(Action::RequestRapidReaction, &csirt("DE")),
    );
}

#[test]
fn a_rapid_reaction_team_arrives_within_a_day() {
    assert_eq!(
        RAPID_REACTION_ARRIVAL,
        Window {
            earliest: 6 * 60,
            latest: 24 * 60
        }
    );
}

#[test]
fn rapid_reaction_request_informs_the_networks() {
    assert_eq!(
        consequences(Action::RequestRapidReaction),
        vec![Consequence::InformNetworks]
    );
}

// ---------------------------------------------------------------------------------------------------------
// §4.10 After the crisis: ENISA incident review (Cyber Solidarity Act Art. 21)
// ---------------------------------------------------------------------------------------------------------

#[test]
fn commission_or_cyclone_requests_an_incident_review() {
    let mut world = incident(Severity::Significant, &["DE"]);
    world.mechanisms.cyclone_active = true;
    world.mechanisms.cyclone_incidents = set(&["ransom_wave"]);
    granted(world.check(
        Action::RequestIncidentReview,
        &union_body(ActorKind::Commission),
    ));
    // A crisis authority speaks for EU-CyCLONe on an incident the network is handling.
    granted(world.check(Action::RequestIncidentReview, &crisis_authority("FR")));
    // ENISA carries the review out; it does not request it.
    for who in [union_body(ActorKind::Enisa), government("DE"), csirt("DE")] {
        refused(
            world.check(Action::RequestIncidentReview, &who),
            "Art. 21",
            &["cannot", "Commission", "EU-CyCLONe"],
        );
    }
}

#[test]
fn one_crisis_authority_does_not_request_a_review_without_eu_cyclone() {
    let mut world = incident(Severity::Significant, &["DE"]);
    refused(
        world.check(Action::RequestIncidentReview, &crisis_authority("DE")),
        "Cyber Solidarity Act Art. 21",
        &["as a network", "not handling this incident"],
    );
    // EU-CyCLONe handling another incident does not make this one its business.
    world.mechanisms.cyclone_active = true;
    world.mechanisms.cyclone_incidents = set(&["wiper_wave"]);
    refused(
        world.check(Action::RequestIncidentReview, &crisis_authority("DE")),
        "Cyber Solidarity Act Art. 21",
        &["as a network"],
    );
    // The Commission needs no network behind it.
    granted(world.check(
        Action::RequestIncidentReview,
        &union_body(ActorKind::Commission),
    ));
}

#[test]
fn incident_review_covers_significant_or_large_scale_incidents() {
    let minor = incident(Severity::Minor, &["DE"]);
    refused(
        minor.check(
            Action::RequestIncidentReview,
            &union_body(ActorKind::Commission),
        ),
        "Art. 21",
        &["significant or large-scale"],
    );
    let mut overwhelmed = incident(Severity::Minor, &["DE"]);
    overwhelmed.truth.overwhelms = vec!["DE".into()];
    granted(overwhelmed.check(
        Action::RequestIncidentReview,
        &union_body(ActorKind::Commission),
    ));
}

#[test]
fn an_incident_review_is_requested_once() {
    let mut world = incident(Severity::Significant, &["DE"]);
    world.mechanisms.review_requested = set(&["ransom_wave"]);
    refused(
        world.check(
            Action::RequestIncidentReview,
            &union_body(ActorKind::Commission),
        ),
        "Art. 21",
        &["already"],
    );
}

#[test]
fn incident_review_needs_approval_of_the_state_concerned() {
    let mut world = incident(Severity::Significant, &["DE"]);
    // Nothing to approve before a review is requested.
    refused(
        world.check(Action::ApproveIncidentReview, &government("DE")),
        "Art. 21",
        &["no incident review", "requested"],
    );

    world.mechanisms.review_requested = set(&["ransom_wave"]);
    granted(world.check(Action::ApproveIncidentReview, &government("DE")));
    granted(world.check(Action::ApproveIncidentReview, &crisis_authority("DE")));
    // An unaffected state's approval does not count.
    refused(
        world.check(Action::ApproveIncidentReview, &government("FR")),
        "Art. 21",
        &["states concerned", "FR", "not affected"],
    );
}

#[test]
fn incident_review_needs_the_approval_of_every_member_state_concerned() {
    let concerned = set(&["BE", "NL"]);
    let mut approvals = BTreeSet::new();
    assert_eq!(
        review_awaiting(&concerned, &approvals, "ransom_wave"),
        ["BE", "NL"]
    );
    approvals.insert(("ransom_wave".to_owned(), "BE".to_owned()));
    assert_eq!(
        review_awaiting(&concerned, &approvals, "ransom_wave"),
        ["NL"],
        "one state's approval is not enough"
    );
    approvals.insert(("ransom_wave".to_owned(), "NL".to_owned()));
    assert!(review_awaiting(&concerned, &approvals, "ransom_wave").is_empty());
    // An approval for another incident does not count.
    assert_eq!(
        review_awaiting(&concerned, &approvals, "wiper_wave").len(),
        2
    );
}

#[test]
fn a_member_state_approves_a_review_once() {
    let mut world = incident(Severity::Significant, &["DE", "FR"]);
    world.mechanisms.review_requested = set(&["ransom_wave"]);
    world.mechanisms.review_approvals = [("ransom_wave".to_owned(), "DE".to_owned())].into();
    refused(
        world.check(Action::ApproveIncidentReview, &crisis_authority("DE")),
        "Art. 21",
        &["DE", "already approved"],
    );
    granted(world.check(Action::ApproveIncidentReview, &government("FR")));
}

#[test]
fn incident_review_is_approved_by_the_state_not_by_eu_bodies() {
    let mut world = incident(Severity::Significant, &["DE"]);
    world.mechanisms.review_requested = set(&["ransom_wave"]);
    for who in [
        union_body(ActorKind::Commission),
        union_body(ActorKind::Enisa),
        csirt("DE"),
    ] {
        refused(
            world.check(Action::ApproveIncidentReview, &who),
            "Art. 21",
            &["cannot", "member state concerned"],
        );
    }
}

#[test]
fn incident_review_approval_names_the_incident() {
    refused(
        no_incident().check(Action::ApproveIncidentReview, &government("DE")),
        "request",
        &["which incident"],
    );
}

// ---------------------------------------------------------------------------------------------------------
// §4.7 Diplomatic path: Cyber Diplomacy Toolbox, attribution, CFSP unanimity
// ---------------------------------------------------------------------------------------------------------

/// An open Toolbox file of this category, at this step, with these positions.
fn file_before_the_council(
    world: &mut World,
    category: MeasureCategory,
    stage: CouncilStage,
    positions: &[(&str, Vote)],
) {
    world.mechanisms.measures_proposed.insert(category);
    world.mechanisms.council_files.insert(
        category,
        CouncilFile {
            round: 1,
            proposed_by: "eeas".into(),
            opened_at: 0,
            stage,
            stage_ends: 12 * 60,
            positions: votes(positions),
            joint_proposal: [ActorKind::Eeas].into(),
            adopted: None,
            postponed: 0,
        },
    );
}

fn listings_before_the_council(world: &mut World, positions: &[(&str, Vote)]) {
    file_before_the_council(
        world,
        MeasureCategory::Restrictive,
        CouncilStage::Hwpci,
        positions,
    );
}

/// The Council decides on listings at its deadline, with the joint proposal made.
fn council_decides(positions: &[(&str, Vote)], members: &[&str]) -> Verdict {
    council::decide(
        Procedure::Unanimity,
        &votes(positions),
        &set(members),
        true,
        true,
        true,
    )
    .expect("at its deadline the Council decides")
}

#[track_caller]
fn not_adopted(verdict: Option<Verdict>, words: &[&str]) {
    match verdict {
        Some(Verdict::NotAdopted(text) | Verdict::Blocked(text)) => {
            for word in words {
                assert!(text.contains(word), "`{text}` should say `{word}`");
            }
        }
        other => panic!("expected not adopted, got {other:?}"),
    }
}

#[track_caller]
fn adopted(verdict: Option<Verdict>, words: &[&str]) {
    match verdict {
        Some(Verdict::Adopted(text)) => {
            for word in words {
                assert!(text.contains(word), "`{text}` should say `{word}`");
            }
        }
        other => panic!("expected adopted, got {other:?}"),
    }
}

#[test]
fn the_high_representative_proposes_toolbox_measures_of_every_category() {
    let world = incident(Severity::Significant, &["DE"]);
    for category in [
        MeasureCategory::Preventive,
        MeasureCategory::Cooperative,
        MeasureCategory::Stabilising,
        MeasureCategory::Restrictive,
        MeasureCategory::Support,
    ] {
        granted(world.check(
            Action::ProposeMeasures(category),
            &union_body(ActorKind::Eeas),
        ));
    }
}

#[test]
fn a_member_state_may_propose_toolbox_measures_too() {
    // Art. 30(1) TEU: any Member State, or the High Representative, may submit proposals to the Council.
    let world = incident(Severity::Significant, &["DE"]);
    granted(world.check(
        Action::ProposeMeasures(MeasureCategory::Stabilising),
        &government("EE"),
    ));
    granted(world.check(
        Action::ProposeMeasures(MeasureCategory::Restrictive),
        &government("EE"),
    ));
}

#[test]
fn only_the_high_representative_or_a_member_state_proposes_toolbox_measures() {
    let world = incident(Severity::Significant, &["DE"]);
    for who in [
        union_body(ActorKind::Council),
        union_body(ActorKind::Commission),
        union_body(ActorKind::IntCen),
        crisis_authority("DE"),
        presidency(),
    ] {
        refused(
            world.check(Action::ProposeMeasures(MeasureCategory::Restrictive), &who),
            "Art. 30(1) TEU",
            &["cannot", "High Representative", "Member State"],
        );
    }
}

#[test]
fn the_toolbox_responds_to_malicious_activity_not_accidents() {
    let mut world = incident(Severity::Critical, &["DE", "FR"]);
    world.truth.origin = Origin::Accidental;
    refused(
        world.check(
            Action::ProposeMeasures(MeasureCategory::Cooperative),
            &union_body(ActorKind::Eeas),
        ),
        "Toolbox",
        &["malicious"],
    );
}

#[test]
fn toolbox_measures_need_no_attribution() {
    // Suspicion is enough: an unknown origin, or no particular incident, does not stop a proposal.
    let mut world = incident(Severity::Significant, &["DE"]);
    world.truth.origin = Origin::Unknown;
    granted(world.check(
        Action::ProposeMeasures(MeasureCategory::Stabilising),
        &union_body(ActorKind::Eeas),
    ));
    granted(no_incident().check(
        Action::ProposeMeasures(MeasureCategory::Preventive),
        &union_body(ActorKind::Eeas),
    ));
}

#[test]
fn a_toolbox_category_is_not_proposed_twice_while_before_the_council() {
    let mut world = no_incident();
    file_before_the_council(
        &mut world,
        MeasureCategory::Cooperative,
        CouncilStage::Psc,
        &[],
    );
    refused(
        world.check(
            Action::ProposeMeasures(MeasureCategory::Cooperative),
            &union_body(ActorKind::Eeas),
        ),
        "Toolbox",
        &["already proposed", "before the Council"],
    );
    granted(world.check(
        Action::ProposeMeasures(MeasureCategory::Support),
        &union_body(ActorKind::Eeas),
    ));
}

#[test]
fn restrictive_measures_may_be_proposed_again_after_they_fell_but_not_while_open_or_adopted() {
    let eeas = union_body(ActorKind::Eeas);
    let restrictive = Action::ProposeMeasures(MeasureCategory::Restrictive);
    let mut world = no_incident();
    listings_before_the_council(&mut world, &[]);
    refused(
        world.check(restrictive, &eeas),
        "Toolbox",
        &["already proposed"],
    );
    // Not adopted: the file is closed, a new proposal may follow.
    if let Some(f) = world
        .mechanisms
        .council_files
        .get_mut(&MeasureCategory::Restrictive)
    {
        f.adopted = Some(false);
    }
    granted(world.check(restrictive, &eeas));
    if let Some(f) = world
        .mechanisms
        .council_files
        .get_mut(&MeasureCategory::Restrictive)
    {
        f.adopted = Some(true);
    }
    refused(
        world.check(restrictive, &eeas),
        "Toolbox",
        &["already proposed", "adopted"],
    );
}

#[test]
fn every_toolbox_proposal_goes_to_the_council_restrictive_ones_by_unanimity_others_by_consensus() {
    assert_eq!(
        consequences(Action::ProposeMeasures(MeasureCategory::Restrictive)),
        vec![
            Consequence::OpenCouncilFile(Procedure::Unanimity),
            Consequence::AskForJointProposal
        ]
    );
    for category in [
        MeasureCategory::Preventive,
        MeasureCategory::Cooperative,
        MeasureCategory::Stabilising,
        MeasureCategory::Support,
    ] {
        // Nothing takes effect on the proposal alone: statements and démarches need consensus.
        assert_eq!(
            consequences(Action::ProposeMeasures(category)),
            vec![Consequence::OpenCouncilFile(Procedure::Consensus)]
        );
        assert_eq!(council::procedure(category), Procedure::Consensus);
    }
    assert_eq!(
        council::procedure(MeasureCategory::Restrictive),
        Procedure::Unanimity
    );
}

#[test]
fn the_member_states_vote_in_the_council_through_their_governments() {
    assert!(votes_in_council(ActorKind::Government));
    for kind in ALL_KINDS
        .into_iter()
        .filter(|k| *k != ActorKind::Government)
    {
        assert!(!votes_in_council(kind), "{kind:?} has no vote");
    }
}

#[test]
fn governments_vote_on_restrictive_measures_before_the_council() {
    let mut world = no_incident();
    listings_before_the_council(&mut world, &[]);
    for vote in Vote::ALL {
        granted(world.check(Action::VoteMeasures(vote), &government("DE")));
    }
}

#[test]
fn no_vote_without_restrictive_measures_on_the_table() {
    let world = no_incident();
    for vote in Vote::ALL {
        refused(
            world.check(Action::VoteMeasures(vote), &government("DE")),
            "Art. 31(1) TEU",
            &["no restrictive measures", "vote"],
        );
    }
}

#[test]
fn a_government_gives_one_final_position() {
    let mut world = no_incident();
    listings_before_the_council(&mut world, &[("DE", Vote::Support), ("FR", Vote::Abstain)]);
    refused(
        world.check(Action::VoteMeasures(Vote::Veto), &government("DE")),
        "Art. 31(1) TEU",
        &["DE", "already given its position"],
    );
    refused(
        world.check(Action::VoteMeasures(Vote::Support), &government("FR")),
        "Art. 31(1) TEU",
        &["FR", "already given its position"],
    );
    granted(world.check(Action::VoteMeasures(Vote::Support), &government("PL")));
}

#[test]
fn a_scrutiny_reservation_is_lifted_by_giving_a_position_and_is_not_entered_twice() {
    let mut world = no_incident();
    listings_before_the_council(&mut world, &[("DE", Vote::Reservation)]);
    for vote in [
        Vote::Support,
        Vote::Abstain,
        Vote::AbstainWithDeclaration,
        Vote::Veto,
    ] {
        granted(world.check(Action::VoteMeasures(vote), &government("DE")));
    }
    refused(
        world.check(Action::VoteMeasures(Vote::Reservation), &government("DE")),
        "Art. 31(1) TEU",
        &["already holds a scrutiny reservation", "lift"],
    );
}

#[test]
fn member_states_vote_in_the_council_through_their_governments() {
    let mut world = no_incident();
    listings_before_the_council(&mut world, &[]);
    for who in [
        presidency(),
        union_body(ActorKind::Council),
        union_body(ActorKind::Eeas),
        crisis_authority("DE"),
    ] {
        refused(
            world.check(Action::VoteMeasures(Vote::Support), &who),
            "Art. 31(1) TEU",
            &["cannot", "governments"],
        );
        refused(
            world.check(
                Action::Position(MeasureCategory::Stabilising, Vote::Support),
                &who,
            ),
            "consensus",
            &["cannot", "governments"],
        );
    }
}

#[test]
fn restrictive_measures_need_unanimity_one_vote_against_blocks_at_any_step() {
    let members = set(&["DE", "FR", "HU"]);
    let one_against = votes(&[("DE", Vote::Support), ("HU", Vote::Veto)]);
    // Already at the HWPCI, before everybody has spoken.
    not_adopted(
        council::decide(
            Procedure::Unanimity,
            &one_against,
            &members,
            true,
            false,
            false,
        ),
        &["Art. 31(1) TEU", "blocked", "HU"],
    );
    adopted(
        Some(council_decides(
            &[
                ("DE", Vote::Support),
                ("FR", Vote::Support),
                ("HU", Vote::Support),
            ],
            &["DE", "FR", "HU"],
        )),
        &["Art. 31(1) TEU", "unanimously", "3 in favour"],
    );
}

#[test]
fn the_preparatory_bodies_do_not_adopt_measures() {
    // Everybody in favour, but the file is still at the HWPCI or the PSC/COREPER: only the Council adopts.
    let all_in_favour = votes(&[("DE", Vote::Support), ("FR", Vote::Support)]);
    assert_eq!(
        council::decide(
            Procedure::Unanimity,
            &all_in_favour,
            &set(&["DE", "FR"]),
            true,
            false,
            false
        ),
        None
    );
    adopted(
        council::decide(
            Procedure::Unanimity,
            &all_in_favour,
            &set(&["DE", "FR"]),
            true,
            true,
            false,
        ),
        &["adopts them unanimously"],
    );
}

#[test]
fn silence_is_not_consent_a_government_that_never_answers_prevents_unanimity() {
    let members = &["DE", "FR", "HU", "PL"];
    let one_in_favour = [("DE", Vote::Support)];
    // Before the deadline the Council waits for the others.
    assert_eq!(
        council::decide(
            Procedure::Unanimity,
            &votes(&one_in_favour),
            &set(members),
            true,
            true,
            false
        ),
        None
    );
    let verdict = council_decides(&one_in_favour, members);
    assert!(!verdict.adopted());
    assert!(
        verdict.text().contains("no reply from FR, HU, PL"),
        "{}",
        verdict.text()
    );
    assert!(verdict.text().contains("silence is not consent"));
}

#[test]
fn declared_abstention_does_not_block_unanimity() {
    // Art. 31(1) TEU first subparagraph and Art. 238(4) TFEU: GR abstains, and says so.
    adopted(
        Some(council_decides(
            &[
                ("DE", Vote::Support),
                ("FR", Vote::Support),
                ("GR", Vote::Abstain),
            ],
            &["DE", "FR", "GR"],
        )),
        &["adopts them unanimously", "2 in favour", "GR abstained"],
    );
}

#[test]
fn nothing_is_adopted_when_nobody_is_in_favour() {
    not_adopted(
        Some(council_decides(
            &[("DE", Vote::Abstain), ("FR", Vote::Abstain)],
            &["DE", "FR"],
        )),
        &["no Member State is in favour"],
    );
}

#[test]
fn a_scrutiny_reservation_blocks_adoption_until_it_is_lifted() {
    let members = &["DE", "EE", "FI"];
    let reserved = [
        ("DE", Vote::Reservation),
        ("EE", Vote::Support),
        ("FI", Vote::Support),
    ];
    // The Council does not adopt while it stands…
    assert_eq!(
        council::decide(
            Procedure::Unanimity,
            &votes(&reserved),
            &set(members),
            true,
            true,
            false
        ),
        None
    );
    // …and at the deadline the measures fall, for that reason.
    not_adopted(
        Some(council_decides(&reserved, members)),
        &["scrutiny reservation of DE was not lifted"],
    );
    // Lifted (Germany now votes in favour): adopted.
    adopted(
        Some(council_decides(
            &[
                ("DE", Vote::Support),
                ("EE", Vote::Support),
                ("FI", Vote::Support),
            ],
            members,
        )),
        &["adopts them unanimously"],
    );
}

#[test]
fn formal_declarations_of_a_third_of_the_states_and_population_stop_the_decision() {
    // Art. 31(1) TEU second subparagraph. Of DE, FR, PL: one state is a third of the states, and DE alone
    // has more than a third of their population.
    not_adopted(
        Some(council_decides(
            &[
                ("DE", Vote::AbstainWithDeclaration),
                ("FR", Vote::Support),
                ("PL", Vote::Support),
            ],
            &["DE", "FR", "PL"],
        )),
        &["Art. 31(1) TEU", "formal declaration", "DE", "one third"],
    );
}

#[test]
fn formal_declarations_under_a_third_of_the_population_do_not_stop_the_decision() {
    // EE and LV are two of five states (more than a third) but far less than a third of the population.
    let members = &["DE", "FR", "PL", "EE", "LV"];
    let declaring = set(&["EE", "LV"]);
    assert!(!council::declarations_reach_one_third(
        &declaring,
        &set(members)
    ));
    adopted(
        Some(council_decides(
            &[
                ("DE", Vote::Support),
                ("FR", Vote::Support),
                ("PL", Vote::Support),
                ("EE", Vote::AbstainWithDeclaration),
                ("LV", Vote::AbstainWithDeclaration),
            ],
            members,
        )),
        &[
            "adopts them unanimously",
            "formal declaration",
            "need not apply",
        ],
    );
    // And one state of five is not a third of the states, however populous.
    assert!(!council::declarations_reach_one_third(
        &set(&["DE"]),
        &set(members)
    ));
}

#[test]
fn the_population_table_covers_the_twenty_seven_member_states() {
    assert_eq!(council::POPULATION_THOUSANDS.len(), 27);
    let total: u32 = council::POPULATION_THOUSANDS.iter().map(|(_, p)| p).sum();
    // About 449 million people on 1 January 2024.
    assert!((440_000..460_000).contains(&total), "{total}");
    assert_eq!(council::population("XX"), 0);
}

#[test]
fn listings_need_the_joint_proposal_of_the_high_representative_and_the_commission() {
    // Art. 215(1) TFEU: without it the Council cannot adopt the regulation, even with every vote in favour.
    let members = set(&["DE", "FR"]);
    let all_in_favour = votes(&[("DE", Vote::Support), ("FR", Vote::Support)]);
    assert_eq!(
        council::decide(
            Procedure::Unanimity,
            &all_in_favour,
            &members,
            false,
            true,
            false
        ),
        None,
        "the Council waits for the joint proposal"
    );
    not_adopted(
        council::decide(
            Procedure::Unanimity,
            &all_in_favour,
            &members,
            false,
            true,
            true,
        ),
        &["Art. 215(1) TFEU", "joint proposal", "Commission"],
    );
    let mut file = CouncilFile {
        round: 1,
        proposed_by: "eeas".into(),
        opened_at: 0,
        stage: CouncilStage::Council,
        stage_ends: 0,
        positions: BTreeMap::new(),
        joint_proposal: [ActorKind::Eeas].into(),
        adopted: None,
        postponed: 0,
    };
    assert!(!file.joint_proposal_complete());
    file.joint_proposal.insert(ActorKind::Commission);
    assert!(file.joint_proposal_complete());
}

#[test]
fn the_commission_and_the_high_representative_join_the_listings_proposal() {
    let mut world = no_incident();
    listings_before_the_council(&mut world, &[]);
    granted(world.check(
        Action::JoinListingProposal,
        &union_body(ActorKind::Commission),
    ));
    // The HR proposed: it has made its part already.
    refused(
        world.check(Action::JoinListingProposal, &union_body(ActorKind::Eeas)),
        "Art. 215(1) TFEU",
        &["already joined"],
    );
    for who in [
        government("DE"),
        union_body(ActorKind::Council),
        presidency(),
    ] {
        refused(
            world.check(Action::JoinListingProposal, &who),
            "Art. 215(1) TFEU",
            &["cannot", "jointly"],
        );
    }
}

#[test]
fn there_is_no_listings_proposal_to_join_before_one_is_made() {
    refused(
        no_incident().check(
            Action::JoinListingProposal,
            &union_body(ActorKind::Commission),
        ),
        "Art. 215(1) TFEU",
        &["no listings", "no proposal"],
    );
}

#[test]
fn non_restrictive_measures_need_consensus_any_objection_blocks() {
    let members = set(&["DE", "FR", "PL"]);
    not_adopted(
        council::decide(
            Procedure::Consensus,
            &votes(&[("PL", Vote::Veto)]),
            &members,
            true,
            false,
            false,
        ),
        &["consensus", "blocked", "objection", "PL"],
    );
    adopted(
        council::decide(
            Procedure::Consensus,
            &votes(&[
                ("DE", Vote::Support),
                ("FR", Vote::Support),
                ("PL", Vote::Abstain),
            ]),
            &members,
            true,
            true,
            false,
        ),
        &["adopts them by consensus", "PL abstained"],
    );
}

#[test]
fn a_consensus_is_not_reached_by_silence() {
    not_adopted(
        council::decide(
            Procedure::Consensus,
            &votes(&[("DE", Vote::Support)]),
            &set(&["DE", "FR", "PL"]),
            true,
            true,
            true,
        ),
        &["does not adopt them (no consensus)", "no reply from FR, PL"],
    );
}

#[test]
fn governments_state_positions_on_non_restrictive_measures_before_the_council() {
    let mut world = no_incident();
    file_before_the_council(
        &mut world,
        MeasureCategory::Stabilising,
        CouncilStage::Hwpci,
        &[],
    );
    for vote in [Vote::Support, Vote::Abstain, Vote::Reservation, Vote::Veto] {
        granted(world.check(
            Action::Position(MeasureCategory::Stabilising, vote),
            &government("DE"),
        ));
    }
    // Nothing else is before the Council.
    refused(
        world.check(
            Action::Position(MeasureCategory::Support, Vote::Support),
            &government("DE"),
        ),
        "consensus",
        &["no support measures", "before the Council"],
    );
}

#[test]
fn restrictive_measures_are_voted_not_agreed_and_declarations_belong_to_unanimity_votes() {
    let mut world = no_incident();
    listings_before_the_council(&mut world, &[]);
    file_before_the_council(
        &mut world,
        MeasureCategory::Stabilising,
        CouncilStage::Hwpci,
        &[],
    );
    refused(
        world.check(
            Action::Position(MeasureCategory::Restrictive, Vote::Support),
            &government("DE"),
        ),
        "Art. 31(1) TEU",
        &["unanimity"],
    );
    refused(
        world.check(
            Action::Position(MeasureCategory::Stabilising, Vote::AbstainWithDeclaration),
            &government("DE"),
        ),
        "Art. 31(1) TEU",
        &["formal declaration", "unanimity"],
    );
}

#[test]
fn each_step_of_the_council_track_reports_reservations_and_silence_and_names_the_chair() {
    let report = council::stage_report(
        CouncilStage::Hwpci,
        &votes(&[("DE", Vote::Reservation), ("FR", Vote::Support)]),
        &set(&["DE", "FR", "PL"]),
        "IE",
    );
    for words in [
        "HWPCI",
        "IE Presidency",
        "PSC/COREPER",
        "scrutiny reservation of DE",
        "no position yet from PL",
    ] {
        assert!(report.contains(words), "`{report}` should say `{words}`");
    }
    let clean = council::stage_report(
        CouncilStage::Psc,
        &votes(&[("DE", Vote::Support)]),
        &set(&["DE"]),
        "IE",
    );
    assert!(clean.contains("puts it to the Council"), "{clean}");
    assert!(!clean.contains("reservation") && !clean.contains("no position"));
    assert_eq!(CouncilStage::Council.next(), None);
    assert_eq!(DEFAULT_COUNCIL_TIMES.total(), 48 * 60);
}

#[test]
fn attribution_is_a_national_decision_of_a_government() {
    let world = incident(Severity::Significant, &["DE"]);
    granted(world.check(Action::Attribute, &government("DE")));
    // A state need not be hit to attribute, nor wait for anyone else.
    granted(world.check(Action::Attribute, &government("EE")));
    // INTCEN feeds attribution but does not attribute; neither do the EEAS, the Council or the technical level.
    for who in [
        union_body(ActorKind::IntCen),
        union_body(ActorKind::Eeas),
        union_body(ActorKind::Council),
        csirt("DE"),
        presidency(),
    ] {
        refused(
            world.check(Action::Attribute, &who),
            "Cyber Diplomacy Toolbox",
            &["cannot", "sovereign", "government"],
        );
    }
}

#[test]
fn a_government_attributes_once_others_remain_free_to() {
    let mut world = no_incident();
    world.mechanisms.attributed = set(&["DE"]);
    refused(
        world.check(Action::Attribute, &government("DE")),
        "Toolbox",
        &["DE", "already attributed"],
    );
    granted(world.check(Action::Attribute, &government("FR")));
}

// ---------------------------------------------------------------------------------------------------------
// §4.9 Criminal path: EU Law Enforcement Emergency Response Protocol
// ---------------------------------------------------------------------------------------------------------

#[test]
fn europol_ec3_activates_the_le_erp_for_a_suspected_criminal_attack() {
    let world = incident(Severity::Critical, &["DE", "FR"]);
    granted(world.check(Action::ActivateLeErp, &union_body(ActorKind::Europol)));
}

#[test]
fn le_erp_not_for_accidents() {
    let mut world = incident(Severity::Critical, &["DE", "FR"]);
    world.truth.origin = Origin::Accidental;
    refused(
        world.check(Action::ActivateLeErp, &union_body(ActorKind::Europol)),
        "LE Emergency Response Protocol",
        &["malicious", "not accidents"],
    );
}

#[test]
fn only_europol_ec3_activates_the_le_erp() {
    let world = incident(Severity::Critical, &["DE", "FR"]);
    for who in [
        csirt("DE"),
        government("DE"),
        union_body(ActorKind::Commission),
        union_body(ActorKind::IntCen),
    ] {
        refused(
            world.check(Action::ActivateLeErp, &who),
            "Emergency Response Protocol",
            &["cannot", "Europol"],
        );
    }
}

#[test]
fn the_le_erp_is_activated_once() {
    let mut world = incident(Severity::Critical, &["DE", "FR"]);
    world.mechanisms.le_erp_active = true;
    refused(
        world.check(Action::ActivateLeErp, &union_body(ActorKind::Europol)),
        "Emergency Response Protocol",
        &["already active"],
    );
}

#[test]
fn le_erp_needs_a_major_cross_border_attack() {
    // Reference §2 LE ERP: "Major cross-border attack of malicious, suspected-criminal nature".
    let national = incident(Severity::Critical, &["DE"]);
    refused(
        national.check(Action::ActivateLeErp, &union_body(ActorKind::Europol)),
        "Emergency Response Protocol",
        &["cross-border"],
    );
}

// ---------------------------------------------------------------------------------------------------------
// Council conclusions 6722/21, point 20: the link-ups (EU INTCEN, Europol EC3, the NIS Cooperation Group,
// the Joint Cyber Unit) and the 2025 Blueprint's cyber-crisis test
// ---------------------------------------------------------------------------------------------------------

/// Europol EC3's LE ERP is active on a cross-border criminal incident.
fn le_erp_active() -> World {
    let mut world = incident(Severity::Critical, &["DE", "FR"]);
    world.mechanisms.le_erp_active = true;
    world
}

#[test]
fn eu_intcen_assesses_the_activity_with_a_stated_confidence() {
    let mut world = incident(Severity::Significant, &["DE"]);
    let intcen = union_body(ActorKind::IntCen);
    for confidence in Confidence::ALL {
        granted(world.check(Action::AssessActivity(confidence), &intcen));
    }
    world
        .mechanisms
        .intel_assessments
        .insert("ransom_wave".into(), Confidence::Likely);
    refused(
        world.check(Action::AssessActivity(Confidence::Likely), &intcen),
        "EU INTCEN",
        &["already on record", "likely"],
    );
    // A revised confidence is a new assessment.
    granted(world.check(Action::AssessActivity(Confidence::AlmostCertain), &intcen));
    refused(
        no_incident().check(Action::AssessActivity(Confidence::Likely), &intcen),
        "request",
        &["which incident"],
    );
}

#[test]
fn only_eu_intcen_issues_intelligence_assessments() {
    let world = incident(Severity::Significant, &["DE"]);
    for who in [
        government("DE"),
        csirt("DE"),
        union_body(ActorKind::Eeas),
        union_body(ActorKind::Europol),
    ] {
        refused(
            world.check(Action::AssessActivity(Confidence::HighlyLikely), &who),
            INTCEN_RULE,
            &["cannot", "EU INTCEN"],
        );
    }
}

#[test]
fn eu_intcen_assesses_but_does_not_attribute() {
    let world = incident(Severity::Significant, &["DE"]);
    refused(
        world.check(Action::Attribute, &union_body(ActorKind::IntCen)),
        "Cyber Diplomacy Toolbox",
        &["EU INTCEN cannot attribute", "government"],
    );
}

#[test]
fn listings_and_attribution_without_an_intelligence_assessment_are_contested_not_refused() {
    let mut world = incident(Severity::Significant, &["DE"]);
    let listings = Action::ProposeMeasures(MeasureCategory::Restrictive);
    let eeas = union_body(ActorKind::Eeas);
    granted(world.check(listings, &eeas));
    contested(
        &world.contests(listings, &eeas),
        "Cyber Diplomacy Toolbox",
        &[NO_ASSESSMENT, "listings", "no law makes it a precondition"],
    );
    granted(world.check(Action::Attribute, &government("DE")));
    contested(
        &world.contests(Action::Attribute, &government("DE")),
        "Cyber Diplomacy Toolbox",
        &[NO_ASSESSMENT, "attribution"],
    );
    // Other Toolbox measures do not lean on it.
    assert_eq!(
        world.contests(Action::ProposeMeasures(MeasureCategory::Cooperative), &eeas),
        []
    );
    // With EU INTCEN's assessment on record, neither is contested.
    world
        .mechanisms
        .intel_assessments
        .insert("ransom_wave".into(), Confidence::HighlyLikely);
    assert_eq!(world.contests(listings, &eeas), []);
    assert_eq!(world.contests(Action::Attribute, &government("DE")), []);
}

#[test]
fn europol_ec3_asks_for_evidence_and_deconflicts_with_the_csirts_network_under_the_le_erp() {
    let world = le_erp_active();
    let ec3 = union_body(ActorKind::Europol);
    granted(world.check(Action::PreserveEvidence, &ec3));
    granted(world.check(Action::DeconflictWithCsirts, &ec3));
}

#[test]
fn evidence_and_deconfliction_need_an_active_le_erp_and_not_an_accident() {
    let ec3 = union_body(ActorKind::Europol);
    let inactive = incident(Severity::Critical, &["DE", "FR"]);
    let mut accident = le_erp_active();
    accident.truth.origin = Origin::Accidental;
    for action in [Action::PreserveEvidence, Action::DeconflictWithCsirts] {
        refused(
            inactive.check(action, &ec3),
            "EU LE Emergency Response Protocol",
            &["the protocol is not active"],
        );
        refused(
            accident.check(action, &ec3),
            "EU LE Emergency Response Protocol",
            &["not accidents"],
        );
    }
}

#[test]
fn only_europol_ec3_asks_for_evidence_or_deconflicts_each_once_per_incident() {
    let mut world = le_erp_active();
    for action in [Action::PreserveEvidence, Action::DeconflictWithCsirts] {
        for who in [
            csirt("DE"),
            crisis_authority("DE"),
            union_body(ActorKind::IntCen),
        ] {
            refused(
                world.check(action, &who),
                "EU LE Emergency Response Protocol",
                &["cannot", "Europol EC3"],
            );
        }
    }
    world
        .mechanisms
        .evidence_preservation
        .insert("ransom_wave".into());
    world
        .mechanisms
        .le_deconflicted
        .insert("ransom_wave".into());
    let ec3 = union_body(ActorKind::Europol);
    refused(
        world.check(Action::PreserveEvidence, &ec3),
        "EU LE Emergency Response Protocol",
        &["already been asked"],
    );
    refused(
        world.check(Action::DeconflictWithCsirts, &ec3),
        "EU LE Emergency Response Protocol",
        &["already de-conflicted"],
    );
}

#[test]
fn the_nis_cooperation_group_requests_technical_reports_from_the_csirts_network() {
    let mut world = incident(Severity::Significant, &["DE", "FR"]);
    let group = union_body(ActorKind::NisCooperationGroup);
    granted(world.check(Action::RequestTechnicalReport, &group));
    granted(no_incident().check(Action::RequestTechnicalReport, &group));
    world
        .mechanisms
        .technical_reports
        .insert("ransom_wave".into());
    refused(
        world.check(Action::RequestTechnicalReport, &group),
        "NIS2 Art. 14(4)",
        &["already"],
    );
    for who in [union_body(ActorKind::Enisa), government("DE")] {
        refused(
            incident(Severity::Significant, &["DE"]).check(Action::RequestTechnicalReport, &who),
            "NIS2 Art. 14(4)",
            &["cannot", "NIS Cooperation Group"],
        );
    }
}

#[test]
fn the_nis_cooperation_group_has_no_crisis_operations_role() {
    let mut world = incident(Severity::Critical, &["DE", "FR"]);
    world.mechanisms.le_erp_active = true;
    world.mechanisms.cyclone_active = true;
    world
        .mechanisms
        .cyclone_incidents
        .insert("ransom_wave".into());
    let group = union_body(ActorKind::NisCooperationGroup);
    for action in Action::ALL
        .into_iter()
        .filter(|a| *a != Action::RequestTechnicalReport)
    {
        refused(
            world.check(action, &group),
            "NIS2 Art. 14",
            &["NIS Cooperation Group cannot", "no crisis-operations role"],
        );
    }
}

#[test]
fn the_commission_convenes_the_joint_cyber_unit_platform_an_exercise_assumption() {
    let mut world = no_incident();
    let commission = union_body(ActorKind::Commission);
    granted(world.check(Action::ConveneJcu, &commission));
    for who in [
        union_body(ActorKind::Eeas),
        government("DE"),
        union_body(ActorKind::Enisa),
    ] {
        refused(
            world.check(Action::ConveneJcu, &who),
            "exercise assumption",
            &["cannot", "never fully established"],
        );
    }
    world.mechanisms.jcu_convened = true;
    refused(
        world.check(Action::ConveneJcu, &commission),
        "Commission Rec. (EU) 2021/1086",
        &["already convened"],
    );
}

#[test]
fn a_cyber_crisis_is_large_scale_with_serious_risk_in_several_states_or_the_internal_market() {
    // Significant impact in three Member States.
    assert!(is_cyber_crisis(
        &incident(Severity::Significant, &["DE", "FR", "NL"]).facts()
    ));
    // Large-scale in two, with an essential entity of an internal-market sector hit in both.
    let mut market = incident(Severity::Significant, &["DE", "FR"]);
    market.essential_market = set(&["DE", "FR"]);
    assert!(is_cyber_crisis(&market.facts()));
    // Overwhelming one state, essential market entities in two.
    let mut overwhelmed = incident(Severity::Moderate, &["DE", "FR"]);
    overwhelmed.truth.overwhelms = vec!["DE".into()];
    overwhelmed.essential_market = set(&["DE", "FR"]);
    assert!(is_cyber_crisis(&overwhelmed.facts()));
    assert!(internal_market_sector(Sector::Energy) && internal_market_sector(Sector::Health));
}

#[test]
fn a_large_scale_incident_short_of_the_blueprint_test_is_no_cyber_crisis() {
    // Large-scale in two states, no essential entity of an internal-market sector in both.
    let mut two = incident(Severity::Critical, &["DE", "FR"]);
    two.essential_market = set(&["DE"]);
    assert!(two.large_scale() && !is_cyber_crisis(&two.facts()));
    // Not large-scale at all: three states, moderate impact.
    let mut moderate = incident(Severity::Moderate, &["DE", "FR", "NL"]);
    moderate.essential_market = set(&["DE", "FR"]);
    assert!(!is_cyber_crisis(&moderate.facts()));
    // One overwhelmed state: large-scale, but no risk in several Member States.
    let mut one = incident(Severity::Critical, &["DE"]);
    one.truth.overwhelms = vec!["DE".into()];
    one.essential_market = set(&["DE"]);
    assert!(one.large_scale() && !is_cyber_crisis(&one.facts()));
    // Public administration provides no market service (the model's reading).
    assert!(!internal_market_sector(Sector::PublicAdministration));
}

#[test]
fn eu_cyclone_submits_its_assessment_to_the_political_level_on_an_incident_it_handles() {
    let mut world = incident(Severity::Critical, &["DE", "FR"]);
    refused(
        world.check(Action::SubmitCycloneAssessment, &crisis_authority("DE")),
        "NIS2 Art. 16",
        &["not handling this incident"],
    );
    world.mechanisms.cyclone_active = true;
    world
        .mechanisms
        .cyclone_incidents
        .insert("ransom_wave".into());
    granted(world.check(Action::SubmitCycloneAssessment, &crisis_authority("DE")));
    for who in [
        csirt("DE"),
        government("DE"),
        union_body(ActorKind::Enisa),
        union_body(ActorKind::Commission),
    ] {
        refused(
            world.check(Action::SubmitCycloneAssessment, &who),
            "Council Rec. of 6.6.2025, pt. 2",
            &["cannot", "crisis authority"],
        );
    }
}

// ---------------------------------------------------------------------------------------------------------
// Across the rules: decision rights by kind, refusals a participant understands, consequences
// ---------------------------------------------------------------------------------------------------------

#[test]
fn decision_rights_follow_the_actor_kind_not_the_id() {
    let world = no_incident();
    let full = Action::Ipcr(IpcrMode::FullActivation);
    // A seat named like the Presidency but of another kind has none of its rights...
    let impostor = seat("presidency", ActorKind::Commission, None);
    refused(world.check(full, &impostor), "2018/1993", &["Presidency"]);
    // ...and any seat of kind Presidency has them, whatever it is called.
    let renamed = seat(
        "pl_prime_ministers_office",
        ActorKind::Presidency,
        Some("PL"),
    );
    granted(world.check(full, &renamed));

    let armed = armed_aggression_on_de();
    granted(armed.check(
        Action::InvokeArt427,
        &seat("bundeskanzleramt", ActorKind::Government, Some("DE")),
    ));
    refused(
        armed.check(
            Action::InvokeArt427,
            &seat("gov", ActorKind::CrisisAuthority, Some("DE")),
        ),
        "42(7)",
        &["government"],
    );
}

#[test]
fn others_hold_no_eu_decision_rights() {
    let press = seat("press", ActorKind::Other, None);
    for action in Action::ALL {
        let refusal = entitled(action, &press).expect_err("Other is entitled to nothing");
        assert!(!refusal.rule.is_empty(), "{action:?} refusal names no rule");
        assert!(
            refusal.reason.contains("cannot"),
            "{action:?}: {}",
            refusal.reason
        );
        assert!(
            refusal.reason.contains(&action.label()),
            "{action:?} refusal should name the request: {}",
            refusal.reason
        );
    }
}

#[test]
fn every_request_has_some_actor_kind_entitled_to_make_it() {
    for action in Action::ALL {
        let entitled_kinds: Vec<ActorKind> = ALL_KINDS
            .into_iter()
            .filter(|kind| entitled(action, &seat("seat", *kind, Some("DE"))).is_ok())
            .collect();
        assert!(!entitled_kinds.is_empty(), "nobody may {}", action.label());
        assert!(
            !entitled_kinds.contains(&ActorKind::Other),
            "Other may {}",
            action.label()
        );
    }
}

#[test]
fn entitlement_is_checked_before_the_preconditions() {
    // Nothing about the situation is right, but the first thing a non-entitled seat hears is that it
    // cannot make the request at all.
    let world = no_incident();
    refused(
        world.check(Action::InvokeArt222, &csirt("DE")),
        "Art. 222 TFEU",
        &["cannot"],
    );
}

#[test]
fn a_refusal_names_the_rule_and_reads_as_a_sentence() {
    let refusal = refused(
        armed_aggression_on_de().check(Action::InvokeArt427, &government("FR")),
        "42(7)",
        &["victim"],
    );
    let shown = refusal.to_string();
    assert!(shown.starts_with(&refusal.reason), "{shown}");
    assert!(shown.ends_with(&format!("({})", refusal.rule)), "{shown}");
}

#[test]
fn a_refusal_for_lack_of_right_names_who_asked_and_what() {
    let refusal = refused(
        no_incident().check(
            Action::Ipcr(IpcrMode::FullActivation),
            &union_body(ActorKind::Commission),
        ),
        "2018/1993",
        &[],
    );
    assert!(
        refusal.reason.contains(&ActorKind::Commission.label()),
        "{}",
        refusal.reason
    );
    assert!(
        refusal.reason.contains("set IPCR to full activation"),
        "{}",
        refusal.reason
    );
}

#[test]
fn a_request_without_its_incident_asks_which_incident() {
    let world = no_incident();
    let refusal = refused(
        world.check(Action::RequestRapidReaction, &spoc("DE")),
        "request",
        &["which incident"],
    );
    assert!(
        refusal
            .reason
            .contains(&Action::RequestRapidReaction.label()),
        "{}",
        refusal.reason
    );
}

#[test]
fn reports_coordination_and_politics_follow_nothing_automatically() {
    for action in [
        Action::EarlyWarning,
        Action::IncidentNotification,
        Action::FinalReport,
        Action::InformAffectedStates,
        Action::OpenCsirtsCase,
        Action::EscalateToCyclone,
        Action::Ipcr(IpcrMode::InformationSharing),
        Action::Ipcr(IpcrMode::FullActivation),
        Action::Ipcr(IpcrMode::Monitoring),
        Action::RequestIncidentReview,
        Action::ApproveIncidentReview,
        Action::VoteMeasures(Vote::Support),
        Action::VoteMeasures(Vote::Veto),
        Action::VoteMeasures(Vote::Reservation),
        Action::Position(MeasureCategory::Stabilising, Vote::Support),
        Action::JoinListingProposal,
        Action::Attribute,
        Action::ActivateLeErp,
        Action::AssessActivity(Confidence::HighlyLikely),
        Action::PreserveEvidence,
        Action::DeconflictWithCsirts,
        Action::RequestTechnicalReport,
        Action::ConveneJcu,
        Action::SubmitCycloneAssessment,
    ] {
        assert!(
            consequences(action).is_empty(),
            "{action:?} has no automatic consequence"
        );
    }
}

#[test]
fn the_presidency_chairs_the_hwpci_and_coreper_the_eeas_the_psc_and_the_hr_the_foreign_affairs_council()
 {
    use council::{CouncilStage, chaired};
    assert_eq!(
        chaired(CouncilStage::Hwpci, "IE"),
        "the HWPCI (chaired by the IE Presidency)"
    );
    let psc = chaired(CouncilStage::Psc, "IE");
    assert!(psc.contains("PSC (chaired by the EEAS)"), "{psc}");
    assert!(
        psc.contains("COREPER (chaired by the IE Presidency)"),
        "{psc}"
    );
    let council = chaired(CouncilStage::Council, "IE");
    assert!(
        council.contains("chaired by the High Representative") && !council.contains("IE"),
        "{council}"
    );
}

#[test]
fn the_presidency_sets_the_agenda_and_may_postpone_a_file_twice_but_not_bury_it() {
    let mut world = no_incident();
    let postpone = Action::PostponeCouncilStep(MeasureCategory::Restrictive);
    refused(
        world.check(postpone, &presidency()),
        "Council Rules of Procedure Art. 3(1)",
        &["nothing to postpone"],
    );
    listings_before_the_council(&mut world, &[]);
    granted(world.check(postpone, &presidency()));
    for who in [
        government("DE"),
        union_body(ActorKind::Eeas),
        union_body(ActorKind::Council),
    ] {
        refused(
            world.check(postpone, &who),
            "Council Rules of Procedure Art. 3(1)",
            &["cannot", "agendas"],
        );
    }
    if let Some(file) = world
        .mechanisms
        .council_files
        .get_mut(&MeasureCategory::Restrictive)
    {
        file.postponed = council::MAX_POSTPONEMENTS;
    }
    refused(
        world.check(postpone, &presidency()),
        "Council Rules of Procedure Art. 3(1)",
        &["postponed 2 times already", "exercise assumption"],
    );
}
