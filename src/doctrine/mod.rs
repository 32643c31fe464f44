//! The EU crisis rules as plain functions: who may request what, under which preconditions, and what
//! follows automatically; and the clocks the engine keeps: NIS2 deadlines, the ISAA rhythm and who reads
//! it, how long answers to requests take. `docs/eu-mechanisms.md` lists every rule with its legal source
//! and the test that pins it; each rule names its own source.
//!
//! Decision rights come from actor *kinds* (a `Government`, a `Spoc`), never from seat names. The engine
//! asks [`check`] before it acts on any request; a refusal carries a reason a participant understands, and
//! the facilitator may override it (the override is logged).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::domain::{
    Action, ActorKind, Channel, Confidence, IpcrMode, MeasureCategory, Minutes, Origin, Regime,
    Sector, Severity, Tlp, Truth, Vote,
};

pub mod council;

pub use council::{
    CouncilFile, CouncilStage, CouncilTimes, DEFAULT_COUNCIL_TIMES, Procedure, Verdict,
};

/// NIS2 Art. 23(4)(a): early warning within 24 hours of becoming aware of a significant incident.
pub const EARLY_WARNING_MIN: Minutes = 24 * 60;
/// NIS2 Art. 23(4)(b): incident notification within 72 hours of awareness.
pub const NOTIFICATION_MIN: Minutes = 72 * 60;
/// NIS2 Art. 23(4)(d): final report within one month of the notification (modelled as 30 days).
pub const FINAL_REPORT_MIN: Minutes = 30 * 24 * 60;
/// DORA Art. 19(4) with its RTS (Del. Reg. (EU) 2025/301): the initial notification of a major ICT-related
/// incident within 4 hours of classifying it as major...
pub const DORA_INITIAL_AFTER_CLASSIFICATION_MIN: Minutes = 4 * 60;
/// ...and no later than 24 hours after becoming aware of it.
pub const DORA_INITIAL_AFTER_AWARENESS_MIN: Minutes = 24 * 60;
/// DORA's intermediate report within 72 hours. The RTS count from the initial notification; the model
/// counts from classification, when both clocks open (an exercise assumption).
pub const DORA_INTERMEDIATE_MIN: Minutes = 72 * 60;
/// CSA Art. 16 (secondary source): a Reserve request is answered within 48 hours.
pub const RESERVE_ANSWER_MAX_MIN: Minutes = 48 * 60;
/// How often ISAA situation reports are issued while IPCR is active, when the scenario sets no rhythm
/// (Impl. Dec. 2018/1993 Art. 8 leaves the rhythm to the Presidency's needs; twice a day is the common
/// practice we model). A scenario may set its own, or script the reports itself.
pub const ISAA_INTERVAL_MIN: Minutes = 12 * 60;
/// Who writes ISAA reports: the Commission and the EEAS together (Impl. Dec. 2018/1993 Art. 8). The
/// engine's reports are sent as both; the first of them the scenario has is the sender on record.
pub const ISAA_AUTHORS: [ActorKind; 2] = [ActorKind::Commission, ActorKind::Eeas];
/// ISAA reports are shared on the IPCR web platform, the restricted information hub of a crisis.
pub const ISAA_CHANNEL: Channel = Channel::IpcrPlatform;
/// The IPCR platform is restricted to the participating organisations: TLP:AMBER.
pub const ISAA_TLP: Tlp = Tlp::Amber;

/// When the answer to a request arrives, in minutes after it was granted; the engine draws a moment
/// inside the window from the exercise's generator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub earliest: Minutes,
    pub latest: Minutes,
}

/// ENISA answers a Reserve request within 48 hours (CSA Art. 16, secondary source); assessing it takes
/// time, so the model gives no answer before 12 hours. The answer is ENISA's assessment
/// ([`assess_reserve`]): the request is served in full, partly, deferred or refused.
pub const RESERVE_ANSWER: Window = Window {
    earliest: 12 * 60,
    latest: RESERVE_ANSWER_MAX_MIN,
};
/// A rapid reaction team is on site 6 to 24 hours after the request. Rapid reaction teams themselves are an
/// exercise assumption: Commission Rec. (EU) 2021/1086 planned EU Cybersecurity Rapid Reaction Teams for
/// the Joint Cyber Unit's third milestone (31.12.2022), which was never reached, and the Council only
/// agreed to "explore the potential" of the JCU. The recommendation sets no time either.
pub const RAPID_REACTION_ARRIVAL: Window = Window {
    earliest: 6 * 60,
    latest: 24 * 60,
};
/// How long each other government has to say how it gives aid and assistance after an Art. 42(7)
/// invocation. The Treaty sets no deadline; a day keeps the exercise moving.
pub const AID_AND_ASSISTANCE_ANSWER_MIN: Minutes = 24 * 60;
/// How long each Member State concerned has to answer ENISA's request to approve an incident review
/// before the engine takes its generated decision's default (approve). The Act sets no deadline: a day.
pub const REVIEW_APPROVAL_ANSWER_MIN: Minutes = 24 * 60;

/// Who is asking.
#[derive(Debug, Clone, Copy)]
pub struct Requester<'a> {
    pub id: &'a str,
    pub kind: ActorKind,
    pub country: Option<&'a str>,
}

/// What the rules need to know about the incident a request concerns.
#[derive(Debug, Clone, Copy)]
pub struct IncidentFacts<'a> {
    pub id: &'a str,
    pub severity: Severity,
    /// The worst severity it has reached (reviews look back at the whole incident).
    pub peak: Severity,
    /// Member States with an affected entity.
    pub countries: &'a BTreeSet<String>,
    /// Affected entity ids.
    pub entities: &'a BTreeSet<String>,
    pub truth: &'a Truth,
    /// Member States hit by the whole campaign: every incident with the same perpetrator.
    pub campaign: &'a BTreeSet<String>,
    /// Own mitigation measures are in place.
    pub mitigated: bool,
    pub detected: bool,
    /// Member States where the incident hits an essential entity of an internal-market sector
    /// ([`internal_market_sector`]): the second limb of the 2025 Blueprint's cyber-crisis test.
    pub essential_market: &'a BTreeSet<String>,
}

/// The state of every mechanism, as the rules and conditions see it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "independent mechanism facts, each one a name in the condition language"
)]
pub struct Mechanisms {
    pub ipcr: IpcrMode,
    /// Which of the GSC, the Commission and the EEAS have agreed to open IPCR information sharing
    /// (it opens once all three have); cleared whenever the IPCR mode changes.
    #[serde(default)]
    pub ipcr_sharing_agreed: BTreeSet<ActorKind>,
    /// EU-CyCLONe is handling at least one incident (the condition language's `cyclone_active`).
    pub cyclone_active: bool,
    /// The incidents EU-CyCLONe has taken up (NIS2 Art. 16: potential or ongoing large-scale ones).
    #[serde(default)]
    pub cyclone_incidents: BTreeSet<String>,
    pub commission_full_participant: bool,
    /// At least one CSIRTs Network case is open (the condition language's `csirts_case_open`).
    pub csirts_case_open: bool,
    /// The incidents the CSIRTs Network has a case on, one case per incident (NIS2 Art. 15).
    #[serde(default)]
    pub csirts_cases: BTreeSet<String>,
    /// Countries whose governments invoked Art. 222.
    pub art222: BTreeSet<String>,
    /// Countries whose governments invoked Art. 42(7).
    pub art427: BTreeSet<String>,
    /// Art. 42(7): each other government's answer to each invocation, by invoking country, then by
    /// answering country (every government that owes aid and assistance is listed from the invocation
    /// on, as [`AidResponse::Awaited`] until it answers).
    #[serde(default)]
    pub art427_responses: BTreeMap<String, BTreeMap<String, AidResponse>>,
    /// Countries whose users (CSIRT or crisis authority; `EU` for CERT-EU) requested the Reserve, per
    /// incident: `(country, incident)`.
    pub reserve_requests: BTreeSet<(String, String)>,
    pub reserve_deployed: bool,
    pub rapid_reaction_requests: BTreeSet<(String, String)>,
    pub rapid_reaction_deployed: bool,
    /// Incidents for which an ENISA incident review was requested.
    pub review_requested: BTreeSet<String>,
    pub review_approved: BTreeSet<String>,
    /// The Member States concerned by each requested review (those hit when it was requested), whose
    /// approval it needs, each one's (CSA Art. 21).
    #[serde(default)]
    pub review_concerned: BTreeMap<String, BTreeSet<String>>,
    /// Approvals given: `(incident, country)`.
    #[serde(default)]
    pub review_approvals: BTreeSet<(String, String)>,
    /// Toolbox categories proposed and not (yet) turned down: before the Council or adopted.
    pub measures_proposed: BTreeSet<MeasureCategory>,
    /// The latest Toolbox file of each category before the Council, open or decided, with every
    /// government's position.
    pub council_files: BTreeMap<MeasureCategory, CouncilFile>,
    /// Some Toolbox measures are in effect: the Council adopted them (by consensus, or by unanimity for
    /// restrictive ones).
    pub measures_adopted: bool,
    /// CFSP restrictive measures (cyber sanctions) were adopted unanimously.
    pub sanctions_adopted: bool,
    /// Countries that attributed the activity.
    pub attributed: BTreeSet<String>,
    pub le_erp_active: bool,
    /// EU INTCEN's intelligence assessment of the activity behind each incident, by incident: the
    /// confidence only, never the hidden truth.
    #[serde(default)]
    pub intel_assessments: BTreeMap<String, Confidence>,
    /// Incidents on which Europol EC3 has asked the affected Member States to preserve evidence.
    #[serde(default)]
    pub evidence_preservation: BTreeSet<String>,
    /// Incidents whose criminal investigation Europol EC3 has de-conflicted with the CSIRTs Network.
    #[serde(default)]
    pub le_deconflicted: BTreeSet<String>,
    /// Technical reports the NIS Cooperation Group asked the CSIRTs Network for, by incident (empty for
    /// one on no particular incident).
    #[serde(default)]
    pub technical_reports: BTreeSet<String>,
    /// The Commission has convened the Joint Cyber Unit platform (an exercise assumption).
    #[serde(default)]
    pub jcu_convened: bool,
    /// EU-CyCLONe's assessments submitted to the political level, by incident: whether the 2025
    /// Blueprint's cyber-crisis test was met when it was submitted.
    #[serde(default)]
    pub cyclone_assessments: BTreeMap<String, bool>,
}

impl Mechanisms {
    /// The open Council file of a category, if any.
    #[must_use]
    pub fn open_file(&self, category: MeasureCategory) -> Option<&CouncilFile> {
        self.council_files.get(&category).filter(|f| f.is_open())
    }

    /// Whether restrictive measures are before the Council.
    #[must_use]
    pub fn restrictive_open(&self) -> bool {
        self.open_file(MeasureCategory::Restrictive).is_some()
    }
}

/// Everything a rule may look at.
#[derive(Debug, Clone, Copy)]
pub struct Situation<'a> {
    pub incident: Option<IncidentFacts<'a>>,
    pub mechanisms: &'a Mechanisms,
    /// Whether any incident meets the large-scale test.
    pub any_large_scale: bool,
}

/// Why a request was refused: the rule and a sentence a participant understands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{reason} ({rule})")]
pub struct Refusal {
    pub rule: String,
    pub reason: String,
}

fn refuse(rule: &str, reason: impl Into<String>) -> Refusal {
    Refusal {
        rule: rule.to_owned(),
        reason: reason.into(),
    }
}

/// NIS2 Art. 6(7): an incident is large-scale when it exceeds a Member State's capacity to respond or has
/// a significant impact on at least two Member States.
#[must_use]
pub fn is_large_scale(incident: &IncidentFacts) -> bool {
    let overwhelms = incident
        .truth
        .overwhelms
        .iter()
        .any(|c| incident.countries.contains(c));
    overwhelms || (incident.severity.is_significant() && is_cross_border(incident.countries))
}

/// The sectors whose essential entities count for the 2025 Blueprint's "internal market" limb. The model's
/// reading (unsure): NIS2 rests on Art. 114 TFEU, the internal market, so every NIS2 sector counts except
/// public administration, which provides no market service.
#[must_use]
pub fn internal_market_sector(sector: Sector) -> bool {
    sector != Sector::PublicAdministration
}

/// The 2025 Blueprint's cyber crisis (Council Rec. of 6.6.2025, pt. 2): a large-scale incident (NIS2 Art.
/// 6(7)) that affects the functioning of the internal market or poses serious risks in several Member
/// States. The model's reading of the second half: significant impact in at least three Member States, or
/// an essential entity of an internal-market sector hit in at least two.
#[must_use]
pub fn is_cyber_crisis(incident: &IncidentFacts) -> bool {
    let serious_in_several =
        incident.severity.is_significant() && incident.countries.len() >= CYBER_CRISIS_STATES;
    let internal_market = incident
        .essential_market
        .iter()
        .filter(|c| incident.countries.contains(*c))
        .count()
        >= 2;
    is_large_scale(incident) && (serious_in_several || internal_market)
}

/// How many Member States significantly hit make "serious risks in several Member States" in the model's
/// reading of the 2025 Blueprint (the Recommendation sets no number).
pub const CYBER_CRISIS_STATES: usize = 3;

/// NIS2 Art. 16(3) (EU-CyCLONe handles "potential or ongoing" large-scale incidents): an incident not yet
/// large-scale that is on its way to it. The model reads "potential" from what participants can see:
/// it has already reached a second Member State (at any severity), or it is significant and part of a
/// campaign (the same perpetrator) hitting several Member States. An exercise assumption: NIS2 sets no
/// test for "potential".
#[must_use]
pub fn is_potentially_large_scale(incident: &IncidentFacts) -> bool {
    is_cross_border(incident.countries)
        || (incident.severity.is_significant() && is_cross_border(incident.campaign))
}

/// The Member States concerned by a review that have not approved it yet (CSA Art. 21: the review needs
/// the approval of every one of them), in order.
#[must_use]
pub fn review_awaiting(
    concerned: &BTreeSet<String>,
    approvals: &BTreeSet<(String, String)>,
    incident: &str,
) -> Vec<String> {
    concerned
        .iter()
        .filter(|c| !approvals.contains(&(incident.to_owned(), (*c).clone())))
        .cloned()
        .collect()
}

/// Cross-border: at least two Member States are hit (the second half of the NIS2 Art. 6(7) test, and the
/// moment criteria anchored on the first cross-border impact start counting).
#[must_use]
pub fn is_cross_border(countries: &BTreeSet<String>) -> bool {
    countries.len() >= 2
}

/// NIS2 Art. 16(2): the Commission takes part in EU-CyCLONe as a full participant, not an observer, once
/// the crisis the network handles has a significant impact on services within NIS2's scope. True at the
/// moment it changes: EU-CyCLONe active, the Commission still an observer, NIS2 services significantly hit.
#[must_use]
pub fn commission_becomes_full_participant(
    mechanisms: &Mechanisms,
    nis2_services_significantly_affected: bool,
) -> bool {
    nis2_services_significantly_affected
        && mechanisms.cyclone_active
        && !mechanisms.commission_full_participant
}

/// NIS2 Art. 14: the NIS Cooperation Group has no crisis-operations role; its one request is a technical
/// report from the CSIRTs Network.
fn no_crisis_operations(action: Action, who: &Requester) -> Result<(), Refusal> {
    if who.kind == ActorKind::NisCooperationGroup && action != Action::RequestTechnicalReport {
        return Err(refuse(
            "NIS2 Art. 14",
            refusal_sentence(
                who.kind,
                action,
                "the NIS Cooperation Group works on guidance and policy and has no crisis-operations role; it may ask the CSIRTs Network for a technical report",
            ),
        ));
    }
    Ok(())
}

/// Whether the actor's kind can ever make this request (the participant view offers only these).
pub fn entitled(action: Action, who: &Requester) -> Result<(), Refusal> {
    use ActorKind as K;
    no_crisis_operations(action, who)?;
    let (allowed, rule, sentence): (bool, &str, &str) = match action {
        Action::EarlyWarning | Action::IncidentNotification | Action::FinalReport => (
            who.kind.is_nis2_entity(),
            "NIS2 Art. 23(1)",
            "the affected essential or important entity notifies its CSIRT itself (a financial entity reports under DORA Art. 19); the CSIRT receives the reports and does not file them for the entity",
        ),
        Action::InformAffectedStates => (
            matches!(who.kind, K::Csirt | K::Spoc),
            "NIS2 Art. 23(6)",
            "the national CSIRT or single point of contact informs the other affected Member States and ENISA",
        ),
        Action::OpenCsirtsCase => (
            matches!(who.kind, K::Csirt | K::CertEu),
            "NIS2 Art. 15",
            "only a member of the CSIRTs Network (a national CSIRT or CERT-EU) can ask it to coordinate",
        ),
        Action::EscalateToCyclone => (
            matches!(who.kind, K::Csirt | K::Enisa | K::CrisisAuthority),
            "NIS2 Art. 15-16",
            "escalation to EU-CyCLONe comes from the CSIRTs Network (a CSIRT, ENISA as secretariat) or a cyber crisis authority",
        ),
        Action::Ipcr(IpcrMode::InformationSharing) => (
            who.kind == K::Presidency || IPCR_SHARING_PARTNERS.contains(&who.kind),
            "Council Rec. of 6.6.2025, recital 3; Impl. Dec. (EU) 2018/1993",
            "IPCR information sharing is opened by the Presidency, or by the Council General Secretariat, the Commission and the EEAS together, in consultation with the Presidency; Council bodies such as the HWPCI or the PSC do not open it",
        ),
        Action::Ipcr(_) => (
            who.kind == K::Presidency,
            "Council Impl. Dec. (EU) 2018/1993",
            "only the Council Presidency decides IPCR full activation and de-escalation",
        ),
        Action::InvokeArt222
        | Action::InvokeArt427
        | Action::Attribute
        | Action::VoteMeasures(_)
        | Action::Position(..) => (
            who.kind == K::Government,
            match action {
                Action::InvokeArt222 => "Art. 222 TFEU",
                Action::InvokeArt427 => "Art. 42(7) TEU",
                Action::Attribute => "Cyber Diplomacy Toolbox",
                Action::Position(..) => "consensus in the Council (Cyber Diplomacy Toolbox)",
                _ => "Art. 31(1) TEU",
            },
            match action {
                Action::InvokeArt222 => {
                    "only the political authorities of the affected Member State invoke the solidarity clause"
                }
                Action::InvokeArt427 => {
                    "only the government of the victim Member State invokes mutual assistance"
                }
                Action::Attribute => {
                    "attribution is a sovereign decision of a Member State's government"
                }
                _ => "Member States vote in the Council through their governments",
            },
        ),
        Action::RequestReserve => (
            reserve_user(who.kind),
            "Cyber Solidarity Act Art. 14(3)",
            "the Reserve's users are a Member State's CSIRT or cyber crisis management authority (CERT-EU for Union entities); the national single point of contact only transmits their requests to ENISA",
        ),
        Action::RequestRapidReaction => (
            matches!(who.kind, K::Spoc | K::Csirt | K::CrisisAuthority),
            "Commission Rec. (EU) 2021/1086 (exercise assumption)",
            "rapid reaction teams are an exercise assumption (the Joint Cyber Unit never fielded them); in this exercise the affected Member State's CSIRT, SPOC or crisis authority requests them",
        ),
        Action::RequestIncidentReview => (
            matches!(who.kind, K::Commission | K::CrisisAuthority),
            "Cyber Solidarity Act Art. 21",
            "an incident review is requested by the Commission or by EU-CyCLONe as a network (a crisis authority speaks for it only on an incident EU-CyCLONe is handling)",
        ),
        Action::ApproveIncidentReview => (
            matches!(who.kind, K::Government | K::CrisisAuthority),
            "Cyber Solidarity Act Art. 21",
            "each Member State concerned approves an incident review through its government or crisis authority",
        ),
        Action::ProposeMeasures(_) => (
            council::may_propose(who.kind),
            "Art. 30(1) TEU",
            "Toolbox measures are proposed to the Council by the High Representative / EEAS or by a Member State's government",
        ),
        Action::PostponeCouncilStep(_) => (
            who.kind == K::Presidency,
            "Council Rules of Procedure Art. 3(1)",
            "the Presidency draws up the agendas of the Council and of the preparatory bodies it chairs",
        ),
        Action::JoinListingProposal => (
            council::makes_joint_proposal(who.kind),
            "Art. 215(1) TFEU",
            "the regulation behind listings is proposed jointly by the High Representative / EEAS and the Commission",
        ),
        Action::ActivateLeErp => (
            who.kind == K::Europol,
            "EU LE Emergency Response Protocol",
            "Europol EC3 activates the law-enforcement emergency response protocol",
        ),
        Action::PreserveEvidence | Action::DeconflictWithCsirts => (
            who.kind == K::Europol,
            "EU LE Emergency Response Protocol",
            "Europol EC3 coordinates the law-enforcement response under the protocol",
        ),
        Action::AssessActivity(_) => (
            who.kind == K::IntCen,
            INTCEN_RULE,
            "intelligence assessments of the activity behind an incident come from EU INTCEN, the EEAS's intelligence centre",
        ),
        Action::RequestTechnicalReport => (
            who.kind == K::NisCooperationGroup,
            "NIS2 Art. 14(4)",
            "the NIS Cooperation Group asks the CSIRTs Network for technical reports",
        ),
        Action::ConveneJcu => (
            who.kind == K::Commission,
            JCU_RULE,
            "the Commission convenes the Joint Cyber Unit platform, an exercise assumption (the unit was never fully established)",
        ),
        Action::SubmitCycloneAssessment => (
            who.kind == K::CrisisAuthority,
            CYCLONE_ASSESSMENT_RULE,
            "EU-CyCLONe's assessment reaches the political level through a cyber crisis authority speaking for the network",
        ),
    };
    if allowed {
        Ok(())
    } else {
        Err(refuse(rule, refusal_sentence(who.kind, action, sentence)))
    }
}

/// What a request asks, as a verb phrase that follows "cannot": the reports' labels are nouns
/// ("NIS2 early warning"), every other action's label already starts with its verb.
#[must_use]
pub fn request_phrase(action: Action) -> String {
    match action {
        Action::EarlyWarning | Action::IncidentNotification | Action::FinalReport => {
            format!("file a {}", action.label())
        }
        other => other.label(),
    }
}

/// The sentence of an entitlement refusal: who cannot do what, and why.
#[must_use]
pub fn refusal_sentence(kind: ActorKind, action: Action, why: &str) -> String {
    format!("{} cannot {}: {why}", kind.label(), request_phrase(action))
}

/// Checks a request against the rights of the requester's kind and the rule's preconditions.
pub fn check(action: Action, who: &Requester, s: &Situation) -> Result<(), Refusal> {
    entitled(action, who)?;
    let c = Ctx {
        action,
        who,
        s,
        m: s.mechanisms,
        country: who.country.unwrap_or(""),
    };
    technical(&c)?;
    political(&c)?;
    support(&c)?;
    diplomacy(&c)?;
    link_ups(&c)
}

/// The rule EU INTCEN's assessments cite: its role in the EEAS (strategic intelligence for the HR, the
/// Council bodies and the Member States; no collection of its own; it does not attribute).
pub const INTCEN_RULE: &str = "EU INTCEN (EEAS strategic intelligence)";
/// The rule the Joint Cyber Unit platform cites.
pub const JCU_RULE: &str = "Commission Rec. (EU) 2021/1086 (exercise assumption)";
/// The rule EU-CyCLONe's assessment for the political level cites.
pub const CYCLONE_ASSESSMENT_RULE: &str = "NIS2 Art. 16; Council Rec. of 6.6.2025, pt. 2";

/// The link-ups of Council conclusions 6722/21, point 20: EU INTCEN's assessment, Europol EC3 beyond the
/// LE ERP's activation, the NIS Cooperation Group, the Joint Cyber Unit platform and EU-CyCLONe's
/// assessment for the political level.
fn link_ups(c: &Ctx) -> Result<(), Refusal> {
    let m = c.m;
    let needs_incident = || c.incident();
    match c.action {
        Action::AssessActivity(confidence) => {
            let inc = needs_incident()?;
            if m.intel_assessments.get(inc.id) == Some(&confidence) {
                return Err(refuse(
                    "EU INTCEN (EEAS strategic intelligence)",
                    format!(
                        "EU INTCEN's assessment of this incident is already on record as {}",
                        confidence.label()
                    ),
                ));
            }
        }
        Action::PreserveEvidence | Action::DeconflictWithCsirts => {
            if !m.le_erp_active {
                return Err(refuse(
                    "EU LE Emergency Response Protocol",
                    "the protocol is not active: Europol EC3 activates it first",
                ));
            }
            let inc = needs_incident()?;
            if matches!(inc.truth.origin, Origin::Accidental) {
                return Err(refuse(
                    "EU LE Emergency Response Protocol",
                    "the protocol covers malicious, suspected-criminal events, not accidents",
                ));
            }
            let (done, what) = if c.action == Action::PreserveEvidence {
                (
                    &m.evidence_preservation,
                    "the affected Member States have already been asked to preserve evidence on this incident",
                )
            } else {
                (
                    &m.le_deconflicted,
                    "the investigation of this incident is already de-conflicted with the CSIRTs Network",
                )
            };
            if done.contains(inc.id) {
                return Err(refuse("EU LE Emergency Response Protocol", what));
            }
        }
        Action::RequestTechnicalReport => {
            let subject = c.s.incident.map_or("", |inc| inc.id);
            if m.technical_reports.contains(subject) {
                return Err(refuse(
                    "NIS2 Art. 14(4)",
                    "the NIS Cooperation Group has already asked the CSIRTs Network for this technical report",
                ));
            }
        }
        Action::ConveneJcu if m.jcu_convened => {
            return Err(refuse(
                "Commission Rec. (EU) 2021/1086 (exercise assumption)",
                "the Joint Cyber Unit platform is already convened",
            ));
        }
        Action::SubmitCycloneAssessment => {
            let inc = needs_incident()?;
            if !m.cyclone_incidents.contains(inc.id) {
                return Err(refuse(
                    "NIS2 Art. 16",
                    "EU-CyCLONe is not handling this incident: the assessment is the network's, and one crisis authority does not submit it alone",
                ));
            }
        }
        _ => {}
    }
    Ok(())
}

/// One request under examination.
struct Ctx<'a> {
    action: Action,
    who: &'a Requester<'a>,
    s: &'a Situation<'a>,
    m: &'a Mechanisms,
    country: &'a str,
}

impl<'a> Ctx<'a> {
    /// Whether the requester's Member State is hit by the incident.
    fn affected(&self, inc: &IncidentFacts) -> bool {
        self.who.country.is_some_and(|c| inc.countries.contains(c))
    }

    /// The incident the request concerns; every request about an incident must name one.
    fn incident(&self) -> Result<IncidentFacts<'a>, Refusal> {
        self.s.incident.ok_or_else(|| {
            refuse(
                "request",
                format!(
                    "say which incident the request to {} concerns",
                    self.action.label()
                ),
            )
        })
    }
}

/// Reporting and the technical level: NIS2 reports, cross-border information, CSIRTs Network, EU-CyCLONe.
fn technical(c: &Ctx) -> Result<(), Refusal> {
    let m = c.m;
    let country = c.country;
    let who = c.who;
    let s = c.s;
    let affected = |inc: &IncidentFacts| c.affected(inc);
    let needs_incident = || c.incident();
    match c.action {
        Action::EarlyWarning | Action::IncidentNotification | Action::FinalReport => {
            let inc = needs_incident()?;
            if !inc.entities.contains(who.id) {
                return Err(refuse(
                    "NIS2 Art. 23",
                    format!("{} is not affected by this incident", who.id),
                ));
            }
        }
        Action::InformAffectedStates | Action::RequestRapidReaction => {
            let inc = needs_incident()?;
            if !affected(&inc) {
                return Err(refuse(
                    "subsidiarity",
                    format!(
                        "{country} is not affected by this incident; the affected Member State acts"
                    ),
                ));
            }
            if c.action == Action::RequestRapidReaction
                && !inc.severity.is_significant()
                && !is_large_scale(&inc)
            {
                return Err(refuse(
                    "Commission Rec. (EU) 2021/1086 (exercise assumption)",
                    "rapid reaction teams, an exercise assumption, support significant or large-scale incidents",
                ));
            }
        }
        Action::OpenCsirtsCase => {
            let inc = needs_incident()?;
            if m.csirts_cases.contains(inc.id) {
                return Err(refuse(
                    "NIS2 Art. 15",
                    "the CSIRTs Network already has a case open on this incident",
                ));
            }
        }
        Action::EscalateToCyclone => {
            if let Some(inc) = s.incident.as_ref() {
                if m.cyclone_incidents.contains(inc.id) {
                    return Err(refuse(
                        "NIS2 Art. 16",
                        "EU-CyCLONe is already handling this incident",
                    ));
                }
            } else if m.cyclone_active {
                return Err(refuse(
                    "NIS2 Art. 16",
                    "EU-CyCLONe is already handling the crisis; name another incident for it to take up",
                ));
            }
            let large = s.incident.as_ref().map_or(s.any_large_scale, |inc| {
                is_large_scale(inc) || is_potentially_large_scale(inc)
            });
            if !large {
                return Err(refuse(
                    "NIS2 Art. 6(7), 16",
                    "EU-CyCLONe takes up potential or ongoing large-scale incidents: the incident must exceed a Member State's capacity or significantly affect at least two Member States, or be on its way to it (already in a second Member State, or significant and part of a campaign hitting several)",
                ));
            }
        }
        _ => {}
    }
    Ok(())
}

/// The political level: IPCR modes, the solidarity clause and mutual assistance.
fn political(c: &Ctx) -> Result<(), Refusal> {
    let m = c.m;
    let country = c.country;
    let who = c.who;
    let affected = |inc: &IncidentFacts| c.affected(inc);
    let needs_incident = || c.incident();
    match c.action {
        Action::Ipcr(mode) => {
            if m.ipcr == mode {
                return Err(refuse(
                    "Council Impl. Dec. (EU) 2018/1993",
                    format!(
                        "IPCR is already in {} mode",
                        mode.keyword().replace('_', " ")
                    ),
                ));
            }
            if mode < m.ipcr && who.kind != ActorKind::Presidency {
                return Err(refuse(
                    "Council Impl. Dec. (EU) 2018/1993",
                    "only the Presidency scales IPCR down",
                ));
            }
            if m.ipcr_sharing_agreed.contains(&who.kind) {
                return Err(refuse(
                    "Council Rec. of 6.6.2025, recital 3",
                    format!(
                        "{} has already agreed to open IPCR information sharing; still missing: {}",
                        ipcr_partner_name(who.kind),
                        ipcr_sharing_missing(&m.ipcr_sharing_agreed).join(" and ")
                    ),
                ));
            }
        }
        // Both treaty clauses are sovereign judgements of the state hit: no EU body refuses an
        // invocation (`docs/eu-mechanisms.md`, Art. 222 and Art. 42(7)). The rules refuse only what no
        // judgement can change: the wrong seat (`entitled`), a state that is not hit, a second
        // invocation. Whether the facts bear the invocation out is recorded by `contests`, not refused.
        Action::InvokeArt222 => {
            let inc = needs_incident()?;
            if !affected(&inc) {
                return Err(refuse(
                    "Art. 222 TFEU",
                    format!(
                        "{country} is not hit by this incident: the solidarity clause is invoked by the Member State on whose territory the terrorist attack or disaster occurs; {country} may assist when that state asks"
                    ),
                ));
            }
            if m.art222.contains(country) {
                return Err(refuse(
                    "Art. 222 TFEU",
                    format!(
                        "{country} has already invoked the solidarity clause; the invocation stands until it is withdrawn"
                    ),
                ));
            }
        }
        Action::InvokeArt427 => {
            let inc = needs_incident()?;
            if !affected(&inc) {
                return Err(refuse(
                    "Art. 42(7) TEU",
                    format!(
                        "{country} is not the victim: only the Member State attacked on its own territory invokes mutual assistance; {country} gives aid and assistance when another state invokes it"
                    ),
                ));
            }
            if m.art427.contains(country) {
                return Err(refuse(
                    "Art. 42(7) TEU",
                    format!(
                        "{country} has already invoked mutual assistance; the other governments' responses are being collected"
                    ),
                ));
            }
        }
        _ => {}
    }
    Ok(())
}

/// Support and review: the EU Cybersecurity Reserve and ENISA incident reviews.
fn support(c: &Ctx) -> Result<(), Refusal> {
    let m = c.m;
    let country = c.country;
    let who = c.who;
    let affected = |inc: &IncidentFacts| c.affected(inc);
    let needs_incident = || c.incident();
    match c.action {
        Action::RequestReserve => {
            let inc = needs_incident()?;
            // National users ask for their own Member State; CERT-EU for the Union entities it serves.
            if who.kind != ActorKind::CertEu && !affected(&inc) {
                return Err(refuse(
                    "Cyber Solidarity Act Art. 14(3)",
                    format!(
                        "{country} is not affected by this incident; a Member State's users ask for support on their own incidents"
                    ),
                ));
            }
            if !inc.severity.is_significant() && !is_large_scale(&inc) {
                return Err(refuse(
                    "Cyber Solidarity Act Art. 14(1)",
                    "the Reserve supports significant or large-scale incidents only",
                ));
            }
            if !inc.mitigated {
                return Err(refuse(
                    "Cyber Solidarity Act Art. 15(2)",
                    "the Reserve complements national effort: take your own mitigation measures first",
                ));
            }
            if m.reserve_requests
                .contains(&(request_country(who), inc.id.to_owned()))
            {
                return Err(refuse(
                    "Cyber Solidarity Act Art. 15",
                    "this request has already been made",
                ));
            }
        }
        Action::RequestIncidentReview => {
            let inc = needs_incident()?;
            // EU-CyCLONe asks as a network: a member crisis authority speaks for it only on an
            // incident the network has taken up, never on its own.
            if who.kind == ActorKind::CrisisAuthority && !m.cyclone_incidents.contains(inc.id) {
                return Err(refuse(
                    "Cyber Solidarity Act Art. 21",
                    "EU-CyCLONe requests a review as a network, and it is not handling this incident: one crisis authority does not request it alone",
                ));
            }
            if m.review_requested.contains(inc.id) {
                return Err(refuse(
                    "Cyber Solidarity Act Art. 21",
                    "an incident review has already been requested",
                ));
            }
            if !inc.peak.is_significant() && !is_large_scale(&inc) {
                return Err(refuse(
                    "Cyber Solidarity Act Art. 21",
                    "incident reviews cover significant or large-scale incidents",
                ));
            }
        }
        Action::ApproveIncidentReview => {
            let inc = needs_incident()?;
            if !m.review_requested.contains(inc.id) {
                return Err(refuse(
                    "Cyber Solidarity Act Art. 21",
                    "no incident review has been requested for this incident",
                ));
            }
            if !affected(&inc) {
                return Err(refuse(
                    "Cyber Solidarity Act Art. 21",
                    format!(
                        "only the Member States concerned approve the review; {country} is not affected"
                    ),
                ));
            }
            if m.review_approvals
                .contains(&(inc.id.to_owned(), country.to_owned()))
            {
                return Err(refuse(
                    "Cyber Solidarity Act Art. 21",
                    format!("{country} has already approved the review"),
                ));
            }
        }
        _ => {}
    }
    Ok(())
}

/// Diplomacy and law enforcement: Toolbox proposals and votes, attribution, the LE ERP.
fn diplomacy(c: &Ctx) -> Result<(), Refusal> {
    let m = c.m;
    let country = c.country;
    let s = c.s;
    let needs_incident = || c.incident();
    match c.action {
        Action::ProposeMeasures(category) => {
            if let Some(inc) = s.incident
                && matches!(inc.truth.origin, Origin::Accidental)
            {
                return Err(refuse(
                    "Cyber Diplomacy Toolbox",
                    "the Toolbox responds to malicious cyber activity; this incident was not malicious",
                ));
            }
            if m.open_file(category).is_some() {
                return Err(refuse(
                    "Cyber Diplomacy Toolbox",
                    format!(
                        "{} measures are already proposed and before the Council",
                        category_word(category)
                    ),
                ));
            }
            if m.council_files.get(&category).and_then(|f| f.adopted) == Some(true) {
                return Err(refuse(
                    "Cyber Diplomacy Toolbox",
                    format!(
                        "{} measures are already proposed and adopted",
                        category_word(category)
                    ),
                ));
            }
        }
        Action::VoteMeasures(vote) => {
            let Some(file) = m.open_file(MeasureCategory::Restrictive) else {
                return Err(refuse(
                    "Art. 31(1) TEU",
                    "no restrictive measures are before the Council for a vote",
                ));
            };
            position_allowed(file, country, vote, "Art. 31(1) TEU")?;
        }
        Action::Position(category, vote) => {
            if council::procedure(category) == Procedure::Unanimity {
                return Err(refuse(
                    "Art. 31(1) TEU",
                    "restrictive measures are not agreed by consensus: the Council votes on them by unanimity (vote on restrictive measures instead)",
                ));
            }
            if vote == Vote::AbstainWithDeclaration {
                return Err(refuse(
                    "Art. 31(1) TEU",
                    "a formal declaration qualifies an abstention in a unanimity vote on a CFSP decision; in a consensus on non-restrictive measures, stand aside (no objection) or object",
                ));
            }
            let Some(file) = m.open_file(category) else {
                return Err(refuse(
                    "consensus in the Council",
                    format!(
                        "no {} measures are before the Council",
                        category_word(category)
                    ),
                ));
            };
            position_allowed(file, country, vote, "consensus in the Council")?;
        }
        Action::PostponeCouncilStep(category) => postponable(m, category)?,
        Action::JoinListingProposal => {
            let Some(file) = m.open_file(MeasureCategory::Restrictive) else {
                return Err(refuse(
                    "Art. 215(1) TFEU",
                    "no listings are before the Council: there is no proposal to join",
                ));
            };
            if file.joint_proposal.contains(&c.who.kind) {
                return Err(refuse(
                    "Art. 215(1) TFEU",
                    format!(
                        "the {} has already joined the proposal for the listings regulation",
                        c.who.kind.label()
                    ),
                ));
            }
        }
        Action::Attribute if m.attributed.contains(country) => {
            return Err(refuse(
                "Cyber Diplomacy Toolbox",
                format!("{country} has already attributed the activity"),
            ));
        }
        Action::ActivateLeErp => {
            if m.le_erp_active {
                return Err(refuse(
                    "EU LE Emergency Response Protocol",
                    "the protocol is already active",
                ));
            }
            let inc = needs_incident()?;
            if matches!(inc.truth.origin, Origin::Accidental) {
                return Err(refuse(
                    "EU LE Emergency Response Protocol",
                    "the protocol covers malicious, suspected-criminal events, not accidents",
                ));
            }
            if !is_cross_border(inc.campaign) {
                return Err(refuse(
                    "EU LE Emergency Response Protocol",
                    "the protocol is for major cross-border attacks; national law enforcement handles an attack on one Member State",
                ));
            }
        }
        _ => {}
    }
    Ok(())
}

/// Council Rules of Procedure Art. 3(1): the Presidency may put off an open file, a bounded number of times.
fn postponable(m: &Mechanisms, category: MeasureCategory) -> Result<(), Refusal> {
    let Some(file) = m.open_file(category) else {
        return Err(refuse(
            "Council Rules of Procedure Art. 3(1)",
            format!(
                "no {} measures are before the Council: there is nothing to postpone",
                category_word(category)
            ),
        ));
    };
    if file.postponed >= council::MAX_POSTPONEMENTS {
        return Err(refuse(
            "Council Rules of Procedure Art. 3(1)",
            format!(
                "the {} measures file has been postponed {} times already: it goes on (exercise assumption: a file is not kept off the agenda for good)",
                category_word(category),
                council::MAX_POSTPONEMENTS
            ),
        ));
    }
    Ok(())
}

/// `restrictive` for `Restrictive`: how delegates say a category.
fn category_word(category: MeasureCategory) -> String {
    format!("{category:?}").to_lowercase()
}

/// A government gives one final position on a file; a scrutiny reservation is lifted by giving any
/// other position, and is not entered twice.
fn position_allowed(
    file: &CouncilFile,
    country: &str,
    vote: Vote,
    rule: &str,
) -> Result<(), Refusal> {
    match file.positions.get(country) {
        Some(Vote::Reservation) if vote == Vote::Reservation => Err(refuse(
            rule,
            format!(
                "{country} already holds a scrutiny reservation; lift it by giving its position"
            ),
        )),
        Some(Vote::Reservation) | None => Ok(()),
        Some(_) => Err(refuse(
            rule,
            format!("{country} has already given its position on this file"),
        )),
    }
}

/// Whether a request of this kind must say which incident it concerns.
#[must_use]
pub fn needs_incident(action: Action) -> bool {
    !matches!(
        action,
        Action::Ipcr(_)
            | Action::EscalateToCyclone
            | Action::ProposeMeasures(_)
            | Action::VoteMeasures(_)
            | Action::Position(..)
            | Action::JoinListingProposal
            | Action::PostponeCouncilStep(_)
            | Action::Attribute
            | Action::RequestTechnicalReport
            | Action::ConveneJcu
    )
}

/// The Reserve's users (CSA Art. 14(3)): a Member State's cyber crisis management authorities and CSIRTs,
/// and CERT-EU for Union entities. The single point of contact is not a user: it transmits the users'
/// requests to ENISA (Art. 15(3)), which [`reserve_transmitted_by_spoc`] says.
#[must_use]
pub fn reserve_user(kind: ActorKind) -> bool {
    matches!(
        kind,
        ActorKind::Csirt | ActorKind::CrisisAuthority | ActorKind::CertEu
    )
}

/// Whether a user's Reserve request reaches ENISA through its Member State's single point of contact
/// (CSA Art. 15(3)): every national user's does; CERT-EU, acting for Union entities, has none.
#[must_use]
pub fn reserve_transmitted_by_spoc(kind: ActorKind) -> bool {
    kind.is_national()
}

/// The three who open IPCR information sharing together, in consultation with the Presidency (Council
/// Recommendation of 6.6.2025, recital 3; Impl. Dec. (EU) 2018/1993): the Council General Secretariat,
/// the Commission and the EEAS. None of them opens it alone; the Presidency may open it by itself.
pub const IPCR_SHARING_PARTNERS: [ActorKind; 3] = [
    ActorKind::CouncilSecretariat,
    ActorKind::Commission,
    ActorKind::Eeas,
];

/// How a partner in opening IPCR information sharing is named in messages.
#[must_use]
pub fn ipcr_partner_name(kind: ActorKind) -> &'static str {
    match kind {
        ActorKind::CouncilSecretariat => "the Council General Secretariat (GSC)",
        ActorKind::Commission => "the Commission",
        ActorKind::Eeas => "the EEAS",
        _ => "the Presidency",
    }
}

/// The partners still to agree before IPCR information sharing opens, by name, in a fixed order.
#[must_use]
pub fn ipcr_sharing_missing(agreed: &BTreeSet<ActorKind>) -> Vec<&'static str> {
    IPCR_SHARING_PARTNERS
        .iter()
        .filter(|k| !agreed.contains(k))
        .map(|k| ipcr_partner_name(*k))
        .collect()
}

/// Whether an agreement by `kind` (with those already given) opens IPCR information sharing: the
/// Presidency's request does at once; the GSC's, the Commission's or the EEAS's once all three agree.
#[must_use]
pub fn ipcr_sharing_opens(kind: ActorKind, agreed: &BTreeSet<ActorKind>) -> bool {
    kind == ActorKind::Presidency
        || IPCR_SHARING_PARTNERS
            .iter()
            .all(|k| *k == kind || agreed.contains(k))
}

/// The country a Reserve request is booked under (`EU` for CERT-EU on behalf of Union entities).
#[must_use]
pub fn request_country(who: &Requester) -> String {
    who.country.unwrap_or("EU").to_owned()
}

/// What follows automatically from a granted request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Consequence {
    /// Art. 222 invocation puts IPCR into full activation without prior consultation.
    IpcrFullActivation,
    /// Art. 42(7): every other Member State's government decides how it gives aid and assistance.
    AidAndAssistanceDecisions,
    /// A user's Reserve request goes to ENISA through its Member State's single point of contact (CSA
    /// Art. 15(3)); CERT-EU sends its own ([`reserve_transmitted_by_spoc`]).
    TransmitToEnisa,
    /// Reserve and rapid-reaction requests are shared with the CSIRTs Network and EU-CyCLONe.
    InformNetworks,
    /// ENISA assesses a Reserve request inside this window, with any other requests before it, and serves,
    /// partly serves, defers or refuses it ([`assess_reserve`]).
    ReserveAnswer(Window),
    /// A Toolbox proposal opens a file on the Council track (HWPCI, PSC/COREPER, Council), where the
    /// governments give their positions: unanimity for restrictive measures, consensus for the others.
    OpenCouncilFile(Procedure),
    /// Listings also need the joint proposal of the HR and the Commission for the Art. 215 regulation:
    /// those of them who have not made it are asked to join.
    AskForJointProposal,
}

/// The automatic consequences of a granted request, in the order they apply.
#[must_use]
pub fn consequences(action: Action) -> Vec<Consequence> {
    match action {
        Action::InvokeArt222 => vec![Consequence::IpcrFullActivation],
        Action::InvokeArt427 => vec![Consequence::AidAndAssistanceDecisions],
        Action::RequestReserve => vec![
            Consequence::TransmitToEnisa,
            Consequence::InformNetworks,
            Consequence::ReserveAnswer(RESERVE_ANSWER),
        ],
        Action::RequestRapidReaction => vec![Consequence::InformNetworks],
        Action::ProposeMeasures(MeasureCategory::Restrictive) => vec![
            Consequence::OpenCouncilFile(Procedure::Unanimity),
            Consequence::AskForJointProposal,
        ],
        Action::ProposeMeasures(_) => vec![Consequence::OpenCouncilFile(Procedure::Consensus)],
        _ => Vec::new(),
    }
}

/// Who takes part in the Council's decisions on Toolbox measures: the Member States, through their
/// governments (the exercise's Council is the governments that take part).
#[must_use]
pub fn votes_in_council(kind: ActorKind) -> bool {
    kind == ActorKind::Government
}

/// Something about a granted request that the facts do not bear out, recorded for the facilitator and
/// the report: the treaty clauses are the invoking state's judgement, so a doubtful invocation stands and
/// the other governments' responses carry the politics (`docs/eu-mechanisms.md`, Art. 42(7)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contest {
    pub rule: String,
    pub reason: String,
}

/// How every contest's reason begins, so that readers of the event stream (the run summary) find them.
pub const CONTESTED: &str = "invocation contested";
/// How the contest of a listing proposal or an attribution made without an intelligence assessment
/// begins (the run summary looks for it too).
pub const NO_ASSESSMENT: &str = "contested: no intelligence assessment on record";

fn contest(rule: &str, reason: impl Into<String>) -> Contest {
    Contest {
        rule: rule.to_owned(),
        reason: reason.into(),
    }
}

/// Why a granted invocation is contested on the facts (empty when it is not, and for every other
/// request). Reads the incident's hidden truth, so what it returns is for the facilitator and the
/// report, never for the seats.
///
/// - Art. 42(7) TEU: the effects do not amount to armed aggression on the invoking state's territory
///   (`truth.armed_aggression`). France invoked it on 17.11.2015 for the terrorist attacks of 13.11 by a
///   non-state group and every Member State supported it, so a terrorist attack is named as such.
/// - Art. 222 TFEU with Council Dec. 2014/415/EU Art. 4(1): the crisis is a terrorist attack or a natural
///   or man-made disaster (`truth.terrorist_attack`; a disaster is one that clearly overwhelms the state,
///   `truth.overwhelms`); it clearly overwhelms the state's response capabilities; and the state invokes
///   only "after having exploited the possibilities offered by existing means and tools at national and
///   Union level": its own mitigation is in place and it has asked for EU support (the EU Cybersecurity
///   Reserve or a rapid reaction team, the Union tools this model has).
///
/// And, reading only what is on record: a restrictive-measures proposal or an attribution made while no EU
/// INTCEN assessment of any incident is on record. Listings and attribution lean on intelligence, but no
/// law makes an assessment a precondition, so they are granted and recorded as contested.
#[must_use]
pub fn contests(action: Action, who: &Requester, s: &Situation) -> Vec<Contest> {
    if matches!(
        action,
        Action::ProposeMeasures(MeasureCategory::Restrictive) | Action::Attribute
    ) && s.mechanisms.intel_assessments.is_empty()
    {
        let what = if action == Action::Attribute {
            "attribution"
        } else {
            "the listings"
        };
        return vec![contest(
            "Cyber Diplomacy Toolbox",
            format!(
                "{NO_ASSESSMENT}: {what} would normally lean on EU INTCEN's assessment of the activity, though no law makes it a precondition"
            ),
        )];
    }
    let (Some(inc), Some(country)) = (s.incident, who.country) else {
        return Vec::new();
    };
    let m = s.mechanisms;
    let mut found = Vec::new();
    match action {
        Action::InvokeArt427 if !inc.truth.armed_aggression => {
            let reason = if inc.truth.terrorist_attack {
                format!(
                    "{CONTESTED}: on the facts the terrorist attack does not amount to armed aggression on {country}'s territory; governments may question whether an attack by a non-state group is armed aggression (when France invoked the clause after the attacks of 13 November 2015, every Member State supported it)"
                )
            } else {
                format!(
                    "{CONTESTED}: on the facts the effects do not amount to armed aggression on {country}'s territory; expect governments to question it before they say how they give aid and assistance"
                )
            };
            found.push(contest("Art. 42(7) TEU", reason));
        }
        Action::InvokeArt222 => {
            let overwhelmed = inc.truth.overwhelms.iter().any(|c| c == country);
            if !overwhelmed {
                let reason = if inc.truth.terrorist_attack {
                    format!(
                        "{CONTESTED}: the terrorist attack does not clearly overwhelm {country}'s response capabilities"
                    )
                } else {
                    format!(
                        "{CONTESTED}: the crisis is neither a terrorist attack nor a natural or man-made disaster that clearly overwhelms {country}'s response capabilities"
                    )
                };
                found.push(contest(
                    "Art. 222 TFEU; Council Dec. 2014/415/EU Art. 4(1)",
                    reason,
                ));
            }
            let eu_support = m.reserve_requests.iter().any(|(c, _)| c == country)
                || m.rapid_reaction_requests.iter().any(|(c, _)| c == country);
            let mut unused = Vec::new();
            if !inc.mitigated {
                unused.push("no own mitigation measures are in place");
            }
            if !eu_support {
                unused.push(
                    "no EU support (the EU Cybersecurity Reserve, a rapid reaction team) has been requested",
                );
            }
            if !unused.is_empty() {
                found.push(contest(
                    "Art. 222 TFEU; Council Dec. 2014/415/EU Art. 4(1)",
                    format!(
                        "{CONTESTED}: {country} has not yet exploited the existing means and tools at national and Union level ({})",
                        unused.join("; ")
                    ),
                ));
            }
        }
        _ => {}
    }
    found
}

/// Each other government's answer to `victim`'s Art. 42(7) invocation, in a few words per state
/// (`DE all means, IE non-military aid`): for the console board and the participant view.
#[must_use]
pub fn aid_answers_line(m: &Mechanisms, victim: &str) -> String {
    m.art427_responses
        .get(victim)
        .map(|answers| {
            answers
                .iter()
                .map(|(country, answer)| format!("{country} {}", answer.short()))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}

/// Member States whose "specific character of the security and defence policy" Art. 42(7) TEU does not
/// prejudice (first subparagraph, second sentence): the EU members outside NATO, Austria, Ireland and
/// Malta (neutral) and Cyprus (non-aligned). Finland and Sweden left this group when they joined NATO
/// (2023, 2024). Their governments answer an invocation with non-military aid and assistance.
pub const SPECIFIC_DEFENCE_POLICY: [&str; 4] = ["AT", "CY", "IE", "MT"];

/// The EU Member States in NATO (all but those in [`SPECIFIC_DEFENCE_POLICY`]), by ISO code.
pub const NATO_MEMBERS: [&str; 23] = [
    "BE", "BG", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IT", "LT", "LU", "LV",
    "NL", "PL", "PT", "RO", "SE", "SI", "SK",
];

/// Whether Art. 42(7) respects this state's specific security and defence policy (non-military aid).
#[must_use]
pub fn has_specific_defence_policy(country: &str) -> bool {
    SPECIFIC_DEFENCE_POLICY.contains(&country)
}

/// Art. 42(7) TEU second subparagraph: for the Member States in NATO, NATO "remains the foundation of
/// their collective defence and the forum for its implementation". A request to NATO is a separate
/// national decision, never a condition of the EU clause.
#[must_use]
pub fn is_nato_member(country: &str) -> bool {
    NATO_MEMBERS.contains(&country)
}

/// A government's answer to another state's Art. 42(7) invocation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum AidResponse {
    /// Asked, not answered yet.
    Awaited,
    /// A bilateral offer of aid and assistance by all the means in its power, military ones included.
    AllMeans,
    /// A bilateral offer of civilian, non-military aid (experts, intelligence, civil protection, diplomacy).
    NonMilitary,
    /// Support for the invocation without a specific offer (yet).
    SupportWithoutOffer,
    /// The government does not support the invocation (it questions the armed aggression).
    NotSupported,
    /// The government took no position by its deadline (for instance pending national procedures).
    NoPosition,
}

impl AidResponse {
    /// The id of the option of the generated aid decision that gives this answer (stable: journals and
    /// decision files name it).
    #[must_use]
    pub fn option_id(self) -> &'static str {
        match self {
            Self::Awaited => "awaited",
            Self::AllMeans => "assist_all_means",
            Self::NonMilitary => "assist_civilian",
            Self::SupportWithoutOffer => "support_without_offer",
            Self::NotSupported => "do_not_support",
            Self::NoPosition => "no_position",
        }
    }

    /// The answer an option id gives, for the options of [`aid_options`].
    #[must_use]
    pub fn from_option_id(id: &str) -> Option<Self> {
        [
            Self::AllMeans,
            Self::NonMilitary,
            Self::SupportWithoutOffer,
            Self::NotSupported,
            Self::NoPosition,
        ]
        .into_iter()
        .find(|r| r.option_id() == id)
    }

    /// A few words for boards and compact lists.
    #[must_use]
    pub fn short(self) -> &'static str {
        match self {
            Self::Awaited => "awaited",
            Self::AllMeans => "all means",
            Self::NonMilitary => "non-military aid",
            Self::SupportWithoutOffer => "support, no offer yet",
            Self::NotSupported => "no support",
            Self::NoPosition => "no position",
        }
    }

    /// How the facilitator, the seats and the summary read it.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Awaited => "no response yet",
            Self::AllMeans => {
                "bilateral offer of aid and assistance by all means, military included"
            }
            Self::NonMilitary => "bilateral offer of non-military aid and assistance",
            Self::SupportWithoutOffer => "supports the invocation, no specific offer yet",
            Self::NotSupported => "does not support the invocation",
            Self::NoPosition => "no position taken",
        }
    }
}

/// The answers open to `country`'s government after another state invokes Art. 42(7) TEU, in the order
/// they are offered; the last is the default when the deadline passes. A state whose specific security
/// and defence policy the clause respects is not offered military means.
#[must_use]
pub fn aid_options(country: &str) -> Vec<AidResponse> {
    let mut options = Vec::new();
    if !has_specific_defence_policy(country) {
        options.push(AidResponse::AllMeans);
    }
    options.extend([
        AidResponse::NonMilitary,
        AidResponse::SupportWithoutOffer,
        AidResponse::NotSupported,
        AidResponse::NoPosition,
    ]);
    options
}

/// Art. 42(7) TEU: after an invocation every *other* Member State owes aid and assistance, and its
/// government decides how it gives it.
#[must_use]
pub fn owes_aid_and_assistance(kind: ActorKind, country: Option<&str>, victim: &str) -> bool {
    kind == ActorKind::Government && country != Some(victim)
}

/// NIS2 Art. 23(1), (3): an entity owes the Art. 23 reports for a significant incident, from the moment
/// it becomes aware of it.
#[must_use]
pub fn nis2_reporting_applies(aware: bool, severity: Severity) -> bool {
    aware && severity.is_significant()
}

/// The NIS2 Art. 23 clocks that start when an entity becomes aware of a significant incident.
#[must_use]
pub fn nis2_deadlines(aware_at: Minutes) -> [(Action, Minutes); 2] {
    [
        (Action::EarlyWarning, aware_at + EARLY_WARNING_MIN),
        (Action::IncidentNotification, aware_at + NOTIFICATION_MIN),
    ]
}

/// Which reporting law an entity follows. Financial entities under DORA, here the banking and financial
/// market infrastructure sectors, report major ICT-related incidents under DORA Art. 19 instead of NIS2
/// Art. 23 (NIS2 Art. 4: a sector-specific act with at least equivalent reporting duties prevails; DORA
/// Art. 1(2)). Everyone else follows NIS2.
#[must_use]
pub fn reporting_regime(kind: ActorKind) -> Regime {
    match kind {
        ActorKind::Essential(sector) | ActorKind::Important(sector)
            if matches!(
                sector,
                Sector::Banking | Sector::FinancialMarketInfrastructure
            ) =>
        {
            Regime::Dora
        }
        _ => Regime::Nis2,
    }
}

/// DORA Art. 19(4) clocks for a major ICT-related incident the entity became aware of at `aware_at` and
/// classified as major at `classified_at` (in the model: when it is both detected and significant). The
/// initial notification is due 4 hours after classification but no later than 24 hours after awareness;
/// if classification itself comes so late that the 24 hours leave less than nothing, the 4 hours apply
/// (an exercise assumption: the RTS do not say). The intermediate report is due 72 hours after
/// classification (see [`DORA_INTERMEDIATE_MIN`]); the final report follows the intermediate one like
/// NIS2's, a month later ([`final_report_due`]). Filed with `EarlyWarning` and `IncidentNotification`.
#[must_use]
pub fn dora_deadlines(aware_at: Minutes, classified_at: Minutes) -> [(Action, Minutes); 2] {
    let four_hours = classified_at + DORA_INITIAL_AFTER_CLASSIFICATION_MIN;
    let cap = aware_at + DORA_INITIAL_AFTER_AWARENESS_MIN;
    let initial = if cap > classified_at {
        four_hours.min(cap)
    } else {
        four_hours
    };
    [
        (Action::EarlyWarning, initial),
        (
            Action::IncidentNotification,
            classified_at + DORA_INTERMEDIATE_MIN,
        ),
    ]
}

/// The reporting clocks of an entity under its law: NIS2's from awareness, DORA's from awareness and
/// classification.
#[must_use]
pub fn reporting_deadlines(
    regime: Regime,
    aware_at: Minutes,
    classified_at: Minutes,
) -> [(Action, Minutes); 2] {
    match regime {
        Regime::Nis2 => nis2_deadlines(classified_at.max(aware_at)),
        Regime::Dora => dora_deadlines(aware_at, classified_at),
    }
}

/// NIS2 Art. 23(4)(d): the final report is due a month after the incident notification, whenever that
/// came: a late notification is a compliance failure, not the end of the duty.
#[must_use]
pub fn final_report_due(notified_at: Minutes) -> Minutes {
    notified_at + FINAL_REPORT_MIN
}

/// Who receives the incident reports of its Member State's entities, and so sees their deadlines: the
/// national CSIRT (NIS2 Art. 23(1)). It receives them; it never files them: every entity reports for itself.
#[must_use]
pub fn receives_national_reports(kind: ActorKind) -> bool {
    kind == ActorKind::Csirt
}

/// ISAA reports run while IPCR is in information-sharing mode or fully activated, not under monitoring
/// (Impl. Dec. 2018/1993; IPCR arrangements).
#[must_use]
pub fn isaa_runs(mode: IpcrMode) -> bool {
    mode >= IpcrMode::InformationSharing
}

/// ISAA reports are written for the political level: the Presidency, the governments, the Commission,
/// the EEAS, the Council and the national crisis authorities.
#[must_use]
pub fn receives_isaa(kind: ActorKind) -> bool {
    matches!(
        kind,
        ActorKind::Presidency
            | ActorKind::Government
            | ActorKind::Commission
            | ActorKind::Eeas
            | ActorKind::Council
            | ActorKind::CouncilSecretariat
            | ActorKind::CrisisAuthority
    )
}

pub mod reserve;
pub mod tlp;

pub use reserve::{
    RESERVE_CAPACITY_DEFAULT, RESERVE_CAPACITY_WINDOW_MIN, ReserveAnswer, ReserveClaim,
    ReserveOutcome, assess_reserve, reserve_free_teams, reserve_next_free, reserve_priority,
};

#[cfg(test)]
mod tests;
