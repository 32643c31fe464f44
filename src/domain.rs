//! The EU crisis vocabulary shared by the scenario format, the rules (`doctrine`) and the engine:
//! actor kinds, NIS2 sectors, severities, TLP labels, delivery channels, the mechanisms by Blueprint level
//! and the actions that request them, simulated minutes and an incident's hidden truth.
//!
//! These enums are written by planners in RON (`kind: Csirt`, `tlp: AmberStrict`), so variant names are
//! part of the file format: renaming one is a format change.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Whole minutes. Simulated time is always an integer number of minutes since the scenario start.
pub type Minutes = u32;

/// What an actor is. Decision rights come from this kind, never from the seat's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ActorKind {
    /// National CSIRT (NIS2 Art. 10).
    Csirt,
    /// National single point of contact (NIS2 Art. 8): cross-border liaison, Reserve requests.
    Spoc,
    /// National cyber crisis management authority, the Member State's EU-CyCLONe member (NIS2 Art. 9).
    CrisisAuthority,
    /// A Member State government: attribution, Art. 222 TFEU, Art. 42(7) TEU.
    Government,
    /// An essential entity (NIS2 Annex I) in the given sector.
    Essential(Sector),
    /// An important entity (NIS2 Annex I or II) in the given sector.
    Important(Sector),
    /// ENISA: secretariat of the CSIRTs Network and EU-CyCLONe, Reserve contracting authority, incident reviews.
    Enisa,
    /// CERT-EU, the cybersecurity service for Union entities.
    CertEu,
    /// The European Commission and its ERCC.
    Commission,
    /// The High Representative and the European External Action Service.
    Eeas,
    /// The rotating Council Presidency, which controls IPCR.
    Presidency,
    /// EU INTCEN (strategic intelligence; it does not attribute).
    IntCen,
    /// Europol's European Cybercrime Centre (EC3).
    Europol,
    /// Council bodies: HWPCI, PSC, COREPER and the Council itself.
    Council,
    /// The General Secretariat of the Council (GSC), which runs the IPCR arrangements with the
    /// Presidency: with the Commission and the EEAS it may open IPCR information sharing.
    CouncilSecretariat,
    /// The NIS Cooperation Group (NIS2 Art. 14): the Member States, the Commission and ENISA on guidance
    /// and policy. It may ask the CSIRTs Network for a technical report and has no crisis-operations role.
    NisCooperationGroup,
    /// Anyone else who sends injects (press, vendors, a hospital's IT provider): holds no EU decision rights.
    Other,
}

impl ActorKind {
    /// Kinds that belong to a Member State and so must name a participating country.
    #[must_use]
    pub fn is_national(self) -> bool {
        matches!(
            self,
            Self::Csirt
                | Self::Spoc
                | Self::CrisisAuthority
                | Self::Government
                | Self::Essential(_)
                | Self::Important(_)
                | Self::Presidency
        )
    }

    /// EU institutions, bodies and agencies, which have no country of their own.
    #[must_use]
    pub fn is_union_body(self) -> bool {
        matches!(
            self,
            Self::Enisa
                | Self::CertEu
                | Self::Commission
                | Self::Eeas
                | Self::IntCen
                | Self::Europol
                | Self::Council
                | Self::CouncilSecretariat
                | Self::NisCooperationGroup
        )
    }

    /// Essential or important entities under NIS2, which carry the Art. 23 reporting clocks.
    #[must_use]
    pub fn is_nis2_entity(self) -> bool {
        matches!(self, Self::Essential(_) | Self::Important(_))
    }

    /// A plain-English label for lists and reports.
    #[must_use]
    pub fn label(self) -> String {
        match self {
            Self::Csirt => "National CSIRT".into(),
            Self::Spoc => "Single point of contact".into(),
            Self::CrisisAuthority => "Cyber crisis authority (EU-CyCLONe)".into(),
            Self::Government => "Government".into(),
            Self::Essential(sector) => format!("Essential entity ({})", sector.label()),
            Self::Important(sector) => format!("Important entity ({})", sector.label()),
            Self::Enisa => "ENISA".into(),
            Self::CertEu => "CERT-EU".into(),
            Self::Commission => "European Commission / ERCC".into(),
            Self::Eeas => "HR / EEAS".into(),
            Self::Presidency => "Council Presidency".into(),
            Self::IntCen => "EU INTCEN".into(),
            Self::Europol => "Europol EC3".into(),
            Self::Council => "Council (HWPCI / PSC / COREPER)".into(),
            Self::CouncilSecretariat => "General Secretariat of the Council (GSC)".into(),
            Self::NisCooperationGroup => "NIS Cooperation Group".into(),
            Self::Other => "Other".into(),
        }
    }
}

/// NIS2 sectors (Annex I: sectors of high criticality; Annex II: other critical sectors).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Sector {
    Energy,
    Transport,
    Banking,
    FinancialMarketInfrastructure,
    Health,
    DrinkingWater,
    WasteWater,
    DigitalInfrastructure,
    /// ICT service management (business-to-business), e.g. managed service providers.
    IctServiceManagement,
    PublicAdministration,
    Space,
    PostalCourier,
    WasteManagement,
    Chemicals,
    Food,
    Manufacturing,
    DigitalProviders,
    Research,
}

impl Sector {
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Energy => "energy",
            Self::Transport => "transport",
            Self::Banking => "banking",
            Self::FinancialMarketInfrastructure => "financial market infrastructure",
            Self::Health => "health",
            Self::DrinkingWater => "drinking water",
            Self::WasteWater => "waste water",
            Self::DigitalInfrastructure => "digital infrastructure",
            Self::IctServiceManagement => "ICT service management",
            Self::PublicAdministration => "public administration",
            Self::Space => "space",
            Self::PostalCourier => "postal and courier services",
            Self::WasteManagement => "waste management",
            Self::Chemicals => "chemicals",
            Self::Food => "food",
            Self::Manufacturing => "manufacturing",
            Self::DigitalProviders => "digital providers",
            Self::Research => "research",
        }
    }
}

/// Incident severity, ordered. `Significant` is the NIS2 Art. 23(3) threshold that starts the reporting
/// clocks. (The "0-4 scale" some sites attribute to the 2025 Blueprint is unverified, so we use our own.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Severity {
    Minor,
    Moderate,
    Significant,
    Severe,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 5] = [
        Self::Minor,
        Self::Moderate,
        Self::Significant,
        Self::Severe,
        Self::Critical,
    ];

    /// The condition-language name (`severity(x) >= significant`).
    #[must_use]
    pub fn keyword(self) -> &'static str {
        match self {
            Self::Minor => "minor",
            Self::Moderate => "moderate",
            Self::Significant => "significant",
            Self::Severe => "severe",
            Self::Critical => "critical",
        }
    }

    /// One step up, saturating at `Critical`.
    #[must_use]
    pub fn raised(self) -> Self {
        Self::ALL
            .get(self as usize + 1)
            .copied()
            .unwrap_or(Self::Critical)
    }

    /// One step down, saturating at `Minor`.
    #[must_use]
    pub fn lowered(self) -> Self {
        (self as usize)
            .checked_sub(1)
            .and_then(|i| Self::ALL.get(i).copied())
            .unwrap_or(Self::Minor)
    }

    /// Whether NIS2 would call an incident of this severity significant (Art. 23(3)).
    #[must_use]
    pub fn is_significant(self) -> bool {
        self >= Self::Significant
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self {
            Self::Minor => "Minor",
            Self::Moderate => "Moderate",
            Self::Significant => "Significant",
            Self::Severe => "Severe",
            Self::Critical => "Critical",
        };
        f.write_str(label)
    }
}

/// Traffic Light Protocol 2.0 labels, ordered from most to least restrictive.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
pub enum Tlp {
    Red,
    AmberStrict,
    Amber,
    #[default]
    Green,
    Clear,
}

impl Tlp {
    /// Every label, from the most to the least restrictive: for pickers.
    pub const ALL: [Tlp; 5] = [
        Tlp::Red,
        Tlp::AmberStrict,
        Tlp::Amber,
        Tlp::Green,
        Tlp::Clear,
    ];
}

impl fmt::Display for Tlp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self {
            Self::Red => "TLP:RED",
            Self::AmberStrict => "TLP:AMBER+STRICT",
            Self::Amber => "TLP:AMBER",
            Self::Green => "TLP:GREEN",
            Self::Clear => "TLP:CLEAR",
        };
        f.write_str(label)
    }
}

/// How an inject reaches its recipients.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Channel {
    Email,
    Phone,
    VideoCall,
    Meeting,
    News,
    SocialMedia,
    IntelligenceBrief,
    /// The IPCR web platform (restricted crisis page).
    IpcrPlatform,
    /// The CSIRTs Network's channels.
    CsirtsNetwork,
    /// EU-CyCLONe's channels.
    CycloneNetwork,
    /// An NIS2 incident-reporting portal or ticket.
    ReportingPortal,
}

impl Channel {
    /// Every channel, in the order the scenario format lists them: for pickers, spreadsheets and docs.
    pub const ALL: [Channel; 11] = [
        Self::Email,
        Self::Phone,
        Self::VideoCall,
        Self::Meeting,
        Self::News,
        Self::SocialMedia,
        Self::IntelligenceBrief,
        Self::IpcrPlatform,
        Self::CsirtsNetwork,
        Self::CycloneNetwork,
        Self::ReportingPortal,
    ];

    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Email => "Email",
            Self::Phone => "Phone",
            Self::VideoCall => "Video call",
            Self::Meeting => "Meeting",
            Self::News => "News",
            Self::SocialMedia => "Social media",
            Self::IntelligenceBrief => "Intelligence brief",
            Self::IpcrPlatform => "IPCR platform",
            Self::CsirtsNetwork => "CSIRTs Network",
            Self::CycloneNetwork => "EU-CyCLONe",
            Self::ReportingPortal => "Reporting portal",
        }
    }
}

/// What kind of incident this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum IncidentKind {
    Ransomware,
    Ddos,
    Wiper,
    /// Intrusion or espionage.
    Intrusion,
    SupplyChain,
    /// Physical sabotage with cyber effects (a cut subsea cable, a damaged substation).
    PhysicalSabotage,
    DataBreach,
    Other,
}

/// Who is behind an incident (hidden truth: participants never see it).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
pub enum Origin {
    #[default]
    Unknown,
    Criminal,
    StateLinked,
    Hacktivist,
    Insider,
    Accidental,
}

// Planners write this as `incidents[..].truth`: its field docs are part of the format reference
// (`docs/scenario-format.md`), so keep both in step.
/// What really happened. Participants never see this; rules that depend on facts (armed aggression,
/// capacity overwhelmed) read it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Truth {
    /// Who did it, e.g. "SANDSTORM (GRU-linked)".
    #[serde(default)]
    pub perpetrator: String,
    #[serde(default)]
    pub origin: Origin,
    /// The state behind a state-linked actor, free text.
    #[serde(default)]
    pub sponsor: Option<String>,
    /// The effects amount to armed aggression on the victims' territory (Art. 42(7) TEU). The invoking
    /// state judges this itself: when false, an invocation is granted and recorded as contested.
    #[serde(default)]
    pub armed_aggression: bool,
    /// It is a terrorist attack (Art. 222 TFEU); a large man-made disaster is expressed by `overwhelms`.
    /// An Art. 42(7) invocation without armed aggression names the attack as such when contested.
    #[serde(default)]
    pub terrorist_attack: bool,
    /// Member States whose national response capacity it clearly overwhelms (an Art. 222 invocation by
    /// another state is recorded as contested; NIS2 Art. 6(7) large-scale test).
    #[serde(default)]
    pub overwhelms: Vec<String>,
}

/// IPCR modes (Council Implementing Decision (EU) 2018/1993), ordered by escalation.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
pub enum IpcrMode {
    /// No activation: existing reports are shared on a monitoring page.
    #[default]
    Monitoring,
    /// Integrated picture; ISAA reports start.
    InformationSharing,
    /// Presidency-led roundtables prepare response proposals for COREPER and the Council.
    FullActivation,
}

impl IpcrMode {
    pub const ALL: [IpcrMode; 3] = [
        Self::Monitoring,
        Self::InformationSharing,
        Self::FullActivation,
    ];

    #[must_use]
    pub fn keyword(self) -> &'static str {
        match self {
            Self::Monitoring => "monitoring",
            Self::InformationSharing => "information_sharing",
            Self::FullActivation => "full_activation",
        }
    }
}

/// The three levels of the EU Blueprint for large-scale cyber incidents and crises (Council
/// Recommendation (EU) 2017/1584): where each mechanism works.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BlueprintLevel {
    /// Incident handling between CSIRTs: the CSIRTs Network, cross-border information, Europol EC3.
    Technical,
    /// Crisis management between authorities: EU-CyCLONe, the Reserve, rapid reaction, incident reviews.
    Operational,
    /// Strategic and political: IPCR, the treaty clauses, the Cyber Diplomacy Toolbox, attribution, EU
    /// INTCEN assessments.
    Political,
}

impl BlueprintLevel {
    pub const ALL: [BlueprintLevel; 3] = [Self::Technical, Self::Operational, Self::Political];
}

/// A mechanism whose state the engine changes, each at one Blueprint level.
///
/// Journals carry these as the display names they had when they were strings (`"EU-CyCLONe"`), so each
/// variant is serialised under [`Mechanism::name`]: renaming a variant changes no journal, renaming a
/// `serde(rename)` does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Mechanism {
    /// A CSIRTs Network case (NIS2 Art. 15).
    #[serde(rename = "CSIRTs Network")]
    CsirtsNetwork,
    /// The affected Member States and ENISA are informed (NIS2 Art. 23(6)).
    #[serde(rename = "Cross-border information")]
    CrossBorderInformation,
    /// Europol EC3's Law Enforcement Emergency Response Protocol.
    #[serde(rename = "EU LE ERP")]
    LeErp,
    /// EU-CyCLONe coordinating a large-scale incident (NIS2 Art. 16).
    #[serde(rename = "EU-CyCLONe")]
    Cyclone,
    /// The EU Cybersecurity Reserve (CSA Art. 14-15).
    #[serde(rename = "EU Cybersecurity Reserve")]
    Reserve,
    /// The CSIRTs Network and EU-CyCLONe told of a Reserve request (CSA Art. 15): a step of that
    /// request, so it is shown and reported under [`Mechanism::Reserve`].
    #[serde(rename = "CSIRTs Network / EU-CyCLONe")]
    NetworksInformed,
    /// A Joint Cyber Unit rapid reaction team (Commission Rec. (EU) 2021/1086): an exercise assumption,
    /// the JCU never reached the milestone that would have fielded them.
    #[serde(rename = "Joint Cyber Unit")]
    RapidReaction,
    /// An ENISA incident review (CSA Art. 21).
    #[serde(rename = "Incident review")]
    IncidentReview,
    /// The Council's IPCR. Its changes travel as `IpcrModeChanged` events, which carry the modes; this
    /// variant names it wherever mechanisms are listed.
    #[serde(rename = "IPCR")]
    Ipcr,
    /// The solidarity clause.
    #[serde(rename = "Art. 222 TFEU")]
    Art222,
    /// The mutual assistance clause.
    #[serde(rename = "Art. 42(7) TEU")]
    Art427,
    /// The Cyber Diplomacy Toolbox, restrictive measures included.
    #[serde(rename = "Cyber Diplomacy Toolbox")]
    Toolbox,
    /// A Member State's attribution of the activity.
    #[serde(rename = "Attribution")]
    Attribution,
    /// EU INTCEN's intelligence assessment of the activity behind an incident, with its confidence.
    #[serde(rename = "EU INTCEN assessment")]
    IntelAssessment,
}

impl Mechanism {
    /// Every mechanism, by Blueprint level and in the order boards and reports list them.
    pub const ALL: [Mechanism; 14] = [
        Self::CsirtsNetwork,
        Self::CrossBorderInformation,
        Self::LeErp,
        Self::Cyclone,
        Self::Reserve,
        Self::NetworksInformed,
        Self::RapidReaction,
        Self::IncidentReview,
        Self::Ipcr,
        Self::Art222,
        Self::Art427,
        Self::Toolbox,
        Self::Attribution,
        Self::IntelAssessment,
    ];

    /// The display name, which is also the serialised one.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::CsirtsNetwork => "CSIRTs Network",
            Self::CrossBorderInformation => "Cross-border information",
            Self::LeErp => "EU LE ERP",
            Self::Cyclone => "EU-CyCLONe",
            Self::Reserve => "EU Cybersecurity Reserve",
            Self::NetworksInformed => "CSIRTs Network / EU-CyCLONe",
            Self::RapidReaction => "Joint Cyber Unit",
            Self::IncidentReview => "Incident review",
            Self::Ipcr => "IPCR",
            Self::Art222 => "Art. 222 TFEU",
            Self::Art427 => "Art. 42(7) TEU",
            Self::Toolbox => "Cyber Diplomacy Toolbox",
            Self::Attribution => "Attribution",
            Self::IntelAssessment => "EU INTCEN assessment",
        }
    }

    /// The Blueprint level the mechanism works at.
    #[must_use]
    pub fn level(self) -> BlueprintLevel {
        match self {
            Self::CsirtsNetwork | Self::CrossBorderInformation | Self::LeErp => {
                BlueprintLevel::Technical
            }
            Self::Cyclone
            | Self::Reserve
            | Self::NetworksInformed
            | Self::RapidReaction
            | Self::IncidentReview => BlueprintLevel::Operational,
            Self::Ipcr
            | Self::Art222
            | Self::Art427
            | Self::Toolbox
            | Self::Attribution
            | Self::IntelAssessment => BlueprintLevel::Political,
        }
    }

    /// The mechanism a change of this one is shown and reported under: itself, except that informing the
    /// networks is a step of the Reserve request that caused it.
    #[must_use]
    pub fn part_of(self) -> Mechanism {
        match self {
            Self::NetworksInformed => Self::Reserve,
            other => other,
        }
    }
}

impl fmt::Display for Mechanism {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Help that arrives on an incident some hours after a granted request.
///
/// Serialised under the words journals have always carried, like [`Mechanism`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Support {
    /// Providers the EU Cybersecurity Reserve sends.
    #[serde(rename = "EU Cybersecurity Reserve (ENISA-contracted providers)")]
    Reserve,
    /// A Joint Cyber Unit rapid reaction team.
    #[serde(rename = "rapid reaction team")]
    RapidReactionTeam,
}

impl Support {
    pub const ALL: [Support; 2] = [Self::Reserve, Self::RapidReactionTeam];

    /// The words for it, which are also the serialised ones.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Reserve => "EU Cybersecurity Reserve (ENISA-contracted providers)",
            Self::RapidReactionTeam => "rapid reaction team",
        }
    }

    /// The mechanism whose request brought it.
    #[must_use]
    pub fn mechanism(self) -> Mechanism {
        match self {
            Self::Reserve => Mechanism::Reserve,
            Self::RapidReactionTeam => Mechanism::RapidReaction,
        }
    }
}

impl fmt::Display for Support {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// How sure an intelligence assessment is, in the words of a probability yardstick (which scale EU
/// INTCEN uses is unsure; these three are the upper steps of the common ones). Serde names are part of
/// the file format and the journal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Confidence {
    Likely,
    HighlyLikely,
    AlmostCertain,
}

impl Confidence {
    pub const ALL: [Confidence; 3] = [Self::Likely, Self::HighlyLikely, Self::AlmostCertain];

    /// The words for it.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Likely => "likely",
            Self::HighlyLikely => "highly likely",
            Self::AlmostCertain => "almost certain",
        }
    }
}

/// Categories of Cyber Diplomacy Toolbox measures (2017 implementing guidelines).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum MeasureCategory {
    Preventive,
    Cooperative,
    Stabilising,
    /// CFSP restrictive measures (sanctions): need unanimity in the Council.
    Restrictive,
    /// EU support to Member States' lawful responses.
    Support,
}

/// A Member State's position on a Toolbox file before the Council: a vote on restrictive measures
/// (unanimity, Art. 31(1) TEU) or its word in a consensus on other measures.
///
/// Only a position given is counted: a government that says nothing has neither supported nor abstained
/// (silence is not consent). Serde names are part of the file format and the journal: never rename them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Vote {
    /// In favour (in a consensus: agrees).
    Support,
    /// Against: one vote against blocks unanimity; in a consensus, an objection blocks it.
    Veto,
    /// Constructive abstention, declared (Art. 31(1) TEU, first subparagraph): it does not prevent
    /// adoption (Art. 238(4) TFEU). In a consensus: the delegation stands aside and does not object.
    Abstain,
    /// Abstention qualified by a formal declaration (Art. 31(1) TEU, second subparagraph): the state need
    /// not apply the decision but accepts that it commits the Union. If those declaring are at least a
    /// third of the Member States with at least a third of the population, the decision is not adopted.
    AbstainWithDeclaration,
    /// A scrutiny reservation: no position yet, and adoption waits until it is lifted. It is lifted by
    /// giving any other position.
    Reservation,
}

impl Vote {
    /// Every position, in the order ballots offer them.
    pub const ALL: [Vote; 5] = [
        Self::Support,
        Self::Abstain,
        Self::AbstainWithDeclaration,
        Self::Reservation,
        Self::Veto,
    ];

    /// Whether this is a final position (everything but a scrutiny reservation).
    #[must_use]
    pub fn is_final(self) -> bool {
        self != Self::Reservation
    }
}

/// Which incident-reporting law an entity's clocks follow: NIS2 Art. 23, or, for financial entities,
/// DORA (Reg. (EU) 2022/2554) Art. 19, which NIS2 Art. 4 leaves in place as the sector-specific act.
/// Journals carry it on obligation events only when it is not NIS2, so older journals read unchanged.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
pub enum Regime {
    #[default]
    Nis2,
    Dora,
}

impl Regime {
    /// For `skip_serializing_if`: NIS2 is the default and is not written.
    #[must_use]
    pub fn is_nis2(&self) -> bool {
        *self == Self::Nis2
    }

    /// The name of a report under this law. Entities file DORA's reports with the same three actions:
    /// `EarlyWarning` is DORA's initial notification, `IncidentNotification` its intermediate report,
    /// `FinalReport` its final report.
    #[must_use]
    pub fn report_label(self, report: Action) -> String {
        match (self, report) {
            (Self::Dora, Action::EarlyWarning) => "DORA initial notification".into(),
            (Self::Dora, Action::IncidentNotification) => "DORA intermediate report".into(),
            (Self::Dora, Action::FinalReport) => "DORA final report".into(),
            _ => report.label(),
        }
    }
}

/// A request to an EU or national mechanism. Whether the requesting actor may make it, and whether its
/// preconditions hold, is decided by the rules in `doctrine`, never by the scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Action {
    /// NIS2 Art. 23(4)(a) early warning (within 24 h of awareness).
    EarlyWarning,
    /// NIS2 Art. 23(4)(b) incident notification (within 72 h).
    IncidentNotification,
    /// NIS2 Art. 23(4)(d) final report (within one month of the notification).
    FinalReport,
    /// A CSIRT or SPOC informs the other affected Member States and ENISA (NIS2 Art. 23(6)).
    InformAffectedStates,
    /// Open a CSIRTs Network case at a member's request (NIS2 Art. 15).
    OpenCsirtsCase,
    /// Escalate from the CSIRTs Network to EU-CyCLONe (large-scale test, NIS2 Art. 6(7)).
    EscalateToCyclone,
    /// Set the IPCR mode (Presidency; information sharing also by the GSC, the Commission and the EEAS
    /// together).
    Ipcr(IpcrMode),
    /// Invoke the solidarity clause, Art. 222 TFEU.
    InvokeArt222,
    /// Invoke the mutual assistance clause, Art. 42(7) TEU.
    InvokeArt427,
    /// Request the EU Cybersecurity Reserve (through the SPOC).
    RequestReserve,
    /// Request a Joint Cyber Unit rapid reaction team (an exercise assumption: they never existed).
    RequestRapidReaction,
    /// Request an ENISA incident review (Commission or EU-CyCLONe).
    RequestIncidentReview,
    /// The affected Member State approves an incident review.
    ApproveIncidentReview,
    /// Propose Cyber Diplomacy Toolbox measures of a category (HR/EEAS).
    ProposeMeasures(MeasureCategory),
    /// A Member State votes on proposed restrictive measures (unanimity, Art. 31(1) TEU).
    VoteMeasures(Vote),
    /// A Member State states its position on proposed non-restrictive Toolbox measures of a category
    /// (Council consensus: any objection blocks).
    Position(MeasureCategory, Vote),
    /// The HR/EEAS or the Commission joins the joint proposal the Council needs to adopt the regulation
    /// behind listings (Art. 215(1) TFEU).
    JoinListingProposal,
    /// The Presidency postpones the examination of a file in the preparatory body it chairs (it draws up
    /// the agendas): the current step, and so the Council's decision, move back by the step's length.
    PostponeCouncilStep(MeasureCategory),
    /// A Member State attributes the activity (a sovereign national decision).
    Attribute,
    /// Europol EC3 opens the Law Enforcement Emergency Response Protocol.
    ActivateLeErp,
    /// EU INTCEN issues an intelligence assessment of the activity behind an incident, with its
    /// confidence. It informs attribution and the Toolbox; it is not an attribution.
    AssessActivity(Confidence),
    /// Europol EC3, under an active LE ERP, asks the affected Member States' CSIRTs and crisis
    /// authorities to preserve evidence on an incident.
    PreserveEvidence,
    /// Europol EC3, under an active LE ERP, de-conflicts the criminal investigation of an incident with
    /// the CSIRTs Network's incident response.
    DeconflictWithCsirts,
    /// The NIS Cooperation Group asks the CSIRTs Network for a technical report (NIS2 Art. 14(4)).
    RequestTechnicalReport,
    /// The Commission convenes the Joint Cyber Unit platform (Commission Rec. (EU) 2021/1086; an
    /// exercise assumption: the unit was never fully established).
    ConveneJcu,
    /// EU-CyCLONe (a crisis authority speaking for it) submits its assessment of an incident to the
    /// political level; the engine records whether the 2025 Blueprint's cyber-crisis test is met.
    SubmitCycloneAssessment,
}

impl Action {
    /// Every request there is, each Toolbox category and vote included: for entitlement lists and tests.
    /// Positions that can never be granted are left out (a consensus position on restrictive measures,
    /// which are voted on, or a formal declaration outside a unanimity vote).
    pub const ALL: [Action; 57] = [
        Action::EarlyWarning,
        Action::IncidentNotification,
        Action::FinalReport,
        Action::InformAffectedStates,
        Action::OpenCsirtsCase,
        Action::EscalateToCyclone,
        Action::Ipcr(IpcrMode::Monitoring),
        Action::Ipcr(IpcrMode::InformationSharing),
        Action::Ipcr(IpcrMode::FullActivation),
        Action::InvokeArt222,
        Action::InvokeArt427,
        Action::RequestReserve,
        Action::RequestRapidReaction,
        Action::RequestIncidentReview,
        Action::ApproveIncidentReview,
        Action::ProposeMeasures(MeasureCategory::Preventive),
        Action::ProposeMeasures(MeasureCategory::Cooperative),
        Action::ProposeMeasures(MeasureCategory::Stabilising),
        Action::ProposeMeasures(MeasureCategory::Restrictive),
        Action::ProposeMeasures(MeasureCategory::Support),
        Action::VoteMeasures(Vote::Support),
        Action::VoteMeasures(Vote::Veto),
        Action::VoteMeasures(Vote::Abstain),
        Action::VoteMeasures(Vote::AbstainWithDeclaration),
        Action::VoteMeasures(Vote::Reservation),
        Action::Position(MeasureCategory::Preventive, Vote::Support),
        Action::Position(MeasureCategory::Preventive, Vote::Abstain),
        Action::Position(MeasureCategory::Preventive, Vote::Reservation),
        Action::Position(MeasureCategory::Preventive, Vote::Veto),
        Action::Position(MeasureCategory::Cooperative, Vote::Support),
        Action::Position(MeasureCategory::Cooperative, Vote::Abstain),
        Action::Position(MeasureCategory::Cooperative, Vote::Reservation),
        Action::Position(MeasureCategory::Cooperative, Vote::Veto),
        Action::Position(MeasureCategory::Stabilising, Vote::Support),
        Action::Position(MeasureCategory::Stabilising, Vote::Abstain),
        Action::Position(MeasureCategory::Stabilising, Vote::Reservation),
        Action::Position(MeasureCategory::Stabilising, Vote::Veto),
        Action::Position(MeasureCategory::Support, Vote::Support),
        Action::Position(MeasureCategory::Support, Vote::Abstain),
        Action::Position(MeasureCategory::Support, Vote::Reservation),
        Action::Position(MeasureCategory::Support, Vote::Veto),
        Action::JoinListingProposal,
        Action::PostponeCouncilStep(MeasureCategory::Preventive),
        Action::PostponeCouncilStep(MeasureCategory::Cooperative),
        Action::PostponeCouncilStep(MeasureCategory::Stabilising),
        Action::PostponeCouncilStep(MeasureCategory::Restrictive),
        Action::PostponeCouncilStep(MeasureCategory::Support),
        Action::Attribute,
        Action::ActivateLeErp,
        Action::AssessActivity(Confidence::Likely),
        Action::AssessActivity(Confidence::HighlyLikely),
        Action::AssessActivity(Confidence::AlmostCertain),
        Action::PreserveEvidence,
        Action::DeconflictWithCsirts,
        Action::RequestTechnicalReport,
        Action::ConveneJcu,
        Action::SubmitCycloneAssessment,
    ];

    /// A plain-English label for lists, logs and reports.
    #[must_use]
    pub fn label(self) -> String {
        match self {
            Self::EarlyWarning => "NIS2 early warning".into(),
            Self::IncidentNotification => "NIS2 incident notification".into(),
            Self::FinalReport => "NIS2 final report".into(),
            Self::InformAffectedStates => "inform affected Member States and ENISA".into(),
            Self::OpenCsirtsCase => "open a CSIRTs Network case".into(),
            Self::EscalateToCyclone => "escalate to EU-CyCLONe".into(),
            Self::Ipcr(mode) => format!("set IPCR to {}", mode.keyword().replace('_', " ")),
            Self::InvokeArt222 => "invoke Art. 222 TFEU (solidarity clause)".into(),
            Self::InvokeArt427 => "invoke Art. 42(7) TEU (mutual assistance)".into(),
            Self::RequestReserve => "request the EU Cybersecurity Reserve".into(),
            Self::RequestRapidReaction => "request a rapid reaction team".into(),
            Self::RequestIncidentReview => "request an ENISA incident review".into(),
            Self::ApproveIncidentReview => "approve the incident review".into(),
            Self::ProposeMeasures(category) => {
                format!("propose {category:?} Toolbox measures").to_lowercase()
            }
            Self::VoteMeasures(Vote::Support) => "support restrictive measures".into(),
            Self::VoteMeasures(Vote::Veto) => "veto restrictive measures".into(),
            Self::VoteMeasures(Vote::Abstain) => {
                "abstain on restrictive measures (constructive abstention)".into()
            }
            Self::VoteMeasures(Vote::AbstainWithDeclaration) => {
                "abstain on restrictive measures with a formal declaration".into()
            }
            Self::VoteMeasures(Vote::Reservation) => {
                "enter a scrutiny reservation on restrictive measures".into()
            }
            Self::Position(category, vote) => {
                let what = format!("{category:?} Toolbox measures").to_lowercase();
                match vote {
                    Vote::Support => format!("agree to {what}"),
                    Vote::Veto => format!("object to {what}"),
                    Vote::Abstain => format!("stand aside on {what} (no objection)"),
                    Vote::AbstainWithDeclaration => {
                        format!("abstain on {what} with a formal declaration")
                    }
                    Vote::Reservation => format!("enter a scrutiny reservation on {what}"),
                }
            }
            Self::JoinListingProposal => {
                "join the joint proposal for the listings regulation (Art. 215 TFEU)".into()
            }
            Self::PostponeCouncilStep(category) => format!(
                "postpone the examination of the {} measures file",
                format!("{category:?}").to_lowercase()
            ),
            Self::Attribute => "attribute the activity".into(),
            Self::ActivateLeErp => "activate the EU LE Emergency Response Protocol".into(),
            Self::AssessActivity(confidence) => format!(
                "issue an intelligence assessment of the activity ({})",
                confidence.label()
            ),
            Self::PreserveEvidence => {
                "ask the affected Member States to preserve evidence (EU LE ERP)".into()
            }
            Self::DeconflictWithCsirts => {
                "de-conflict the criminal investigation with the CSIRTs Network".into()
            }
            Self::RequestTechnicalReport => {
                "request a technical report from the CSIRTs Network".into()
            }
            Self::ConveneJcu => "convene the Joint Cyber Unit platform".into(),
            Self::SubmitCycloneAssessment => {
                "submit EU-CyCLONe's assessment to the political level".into()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severity_steps_saturate_at_both_ends() {
        assert_eq!(Severity::Critical.raised(), Severity::Critical);
        assert_eq!(Severity::Minor.lowered(), Severity::Minor);
        assert_eq!(Severity::Moderate.raised(), Severity::Significant);
        assert!(Severity::Significant.is_significant());
        assert!(!Severity::Moderate.is_significant());
    }

    #[test]
    fn tlp_labels_follow_tlp_2_0() {
        assert_eq!(Tlp::AmberStrict.to_string(), "TLP:AMBER+STRICT");
        assert_eq!(Tlp::Clear.to_string(), "TLP:CLEAR");
        assert!(
            Tlp::Red < Tlp::Clear,
            "ordered from most to least restrictive"
        );
    }

    /// Where each channel sits in `Channel::ALL`; the exhaustive match makes a new channel fail to compile
    /// here until it is listed.
    fn channel_position(c: Channel) -> usize {
        match c {
            Channel::Email => 0,
            Channel::Phone => 1,
            Channel::VideoCall => 2,
            Channel::Meeting => 3,
            Channel::News => 4,
            Channel::SocialMedia => 5,
            Channel::IntelligenceBrief => 6,
            Channel::IpcrPlatform => 7,
            Channel::CsirtsNetwork => 8,
            Channel::CycloneNetwork => 9,
            Channel::ReportingPortal => 10,
        }
    }

    #[test]
    fn every_channel_is_listed_once_in_all() {
        for (i, c) in Channel::ALL.into_iter().enumerate() {
            assert_eq!(channel_position(c), i, "{c:?}");
        }
    }

    /// Where each mechanism sits in `Mechanism::ALL`, as for channels.
    fn mechanism_position(m: Mechanism) -> usize {
        match m {
            Mechanism::CsirtsNetwork => 0,
            Mechanism::CrossBorderInformation => 1,
            Mechanism::LeErp => 2,
            Mechanism::Cyclone => 3,
            Mechanism::Reserve => 4,
            Mechanism::NetworksInformed => 5,
            Mechanism::RapidReaction => 6,
            Mechanism::IncidentReview => 7,
            Mechanism::Ipcr => 8,
            Mechanism::Art222 => 9,
            Mechanism::Art427 => 10,
            Mechanism::Toolbox => 11,
            Mechanism::Attribution => 12,
            Mechanism::IntelAssessment => 13,
        }
    }

    #[test]
    fn every_mechanism_is_listed_once_in_all() {
        for (i, m) in Mechanism::ALL.into_iter().enumerate() {
            assert_eq!(mechanism_position(m), i, "{m:?}");
        }
    }

    #[test]
    fn mechanisms_serialise_under_the_names_journals_have_always_carried() {
        let names = [
            "CSIRTs Network",
            "Cross-border information",
            "EU LE ERP",
            "EU-CyCLONe",
            "EU Cybersecurity Reserve",
            "CSIRTs Network / EU-CyCLONe",
            "Joint Cyber Unit",
            "Incident review",
            "IPCR",
            "Art. 222 TFEU",
            "Art. 42(7) TEU",
            "Cyber Diplomacy Toolbox",
            "Attribution",
            "EU INTCEN assessment",
        ];
        for (m, name) in Mechanism::ALL.into_iter().zip(names) {
            assert_eq!(m.name(), name);
            assert_eq!(m.to_string(), name);
            let json = serde_json::to_string(&m).expect("serialises");
            assert_eq!(
                json,
                serde_json::to_string(name).expect("a string serialises")
            );
            let back: Mechanism = serde_json::from_str(&json).expect("deserialises");
            assert_eq!(back, m);
        }
        for (s, words) in Support::ALL.into_iter().zip([
            "EU Cybersecurity Reserve (ENISA-contracted providers)",
            "rapid reaction team",
        ]) {
            let json = serde_json::to_string(&s).expect("serialises");
            assert_eq!(json, format!("\"{words}\""));
            assert_eq!(
                serde_json::from_str::<Support>(&json).expect("deserialises"),
                s
            );
        }
    }

    #[test]
    fn every_mechanism_has_a_level_and_reports_under_one_that_stands_alone() {
        for m in Mechanism::ALL {
            let whole = m.part_of();
            assert_eq!(whole.part_of(), whole, "{m:?} is part of a part");
            assert_eq!(m.level(), whole.level(), "{m:?} sits at its whole's level");
        }
        for level in BlueprintLevel::ALL {
            assert!(Mechanism::ALL.iter().any(|m| m.level() == level));
        }
        for s in Support::ALL {
            assert_eq!(s.mechanism().part_of(), s.mechanism());
        }
    }
}
