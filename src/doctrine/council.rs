//! The Council track of the Cyber Diplomacy Toolbox: who may propose measures, how a file moves from the
//! HWPCI through the PSC/COREPER to the Council, and how the Council decides: restrictive measures by
//! unanimity (Art. 31(1) TEU), every other Toolbox measure by consensus. Sources: the Treaty articles each
//! rule names, the Toolbox implementing guidelines and the cyber sanctions regime; `docs/eu-mechanisms.md`
//! lists each rule with the test that pins it.
//!
//! What the model leaves out, on purpose: amendments of a text (a file is adopted or not as proposed),
//! Council votes outside the exercise (the exercise's Council is the governments that take part), and
//! the qualified-majority vote on the Art. 215 regulation, which is taken together with the CFSP decision
//! here, as the Council usually does.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::domain::{ActorKind, MeasureCategory, Minutes, Vote};

/// The three steps a Toolbox file takes in Brussels (`docs/eu-mechanisms.md`, the Council track: the
/// HWPCI prepares, the PSC and COREPER consider, the Council decides). The rotating Presidency chairs
/// each of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum CouncilStage {
    /// The Horizontal Working Party on Cyber Issues examines the proposal and the evidence.
    Hwpci,
    /// The Political and Security Committee and COREPER consider it and put it to the Council.
    Psc,
    /// The Council decides (in a meeting or by written procedure).
    Council,
}

impl CouncilStage {
    /// The body's name as delegates say it.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Hwpci => "HWPCI",
            Self::Psc => "PSC/COREPER",
            Self::Council => "Council",
        }
    }

    /// The step after this one; the Council is the last.
    #[must_use]
    pub fn next(self) -> Option<Self> {
        match self {
            Self::Hwpci => Some(Self::Psc),
            Self::Psc => Some(Self::Council),
            Self::Council => None,
        }
    }
}

/// How long each step of the Council track takes in the exercise's simulated time. The Treaties set no
/// such times; real files take days to weeks, so a scenario compresses them (`council:` in the format).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CouncilTimes {
    pub hwpci: Minutes,
    pub psc: Minutes,
    pub council: Minutes,
}

impl CouncilTimes {
    /// The time a step takes.
    #[must_use]
    pub fn of(&self, stage: CouncilStage) -> Minutes {
        match stage {
            CouncilStage::Hwpci => self.hwpci,
            CouncilStage::Psc => self.psc,
            CouncilStage::Council => self.council,
        }
    }

    /// From the proposal to the Council's decision at the latest.
    #[must_use]
    pub fn total(&self) -> Minutes {
        self.hwpci + self.psc + self.council
    }
}

/// The model's default pace: half a day at the HWPCI, half a day at the PSC/COREPER, a day for the
/// Council. An assumption that keeps a multi-day exercise moving, not an EU rule.
pub const DEFAULT_COUNCIL_TIMES: CouncilTimes = CouncilTimes {
    hwpci: 12 * 60,
    psc: 12 * 60,
    council: 24 * 60,
};

/// How the Council decides on a category of Toolbox measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Procedure {
    /// CFSP restrictive measures: a Council decision by unanimity (Art. 31(1) TEU; Dec. (CFSP)
    /// 2019/797). Declared abstention does not prevent adoption (Art. 238(4) TFEU).
    Unanimity,
    /// Statements, démarches, conclusions, support: a Council or Member States' decision by consensus
    /// (`docs/eu-mechanisms.md`, the Council track). Any objection blocks.
    Consensus,
}

/// Restrictive measures are voted by unanimity; every other Toolbox measure needs consensus.
#[must_use]
pub fn procedure(category: MeasureCategory) -> Procedure {
    if category == MeasureCategory::Restrictive {
        Procedure::Unanimity
    } else {
        Procedure::Consensus
    }
}

/// A Toolbox file before the Council: one proposal of one category, from the proposal to the decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CouncilFile {
    /// The how-manieth proposal of this category (ballot ids carry it from the second on).
    pub round: u32,
    /// The actor who proposed it (the HR/EEAS or a government, Art. 30(1) TEU).
    pub proposed_by: String,
    pub opened_at: Minutes,
    /// Where it is now.
    pub stage: CouncilStage,
    /// When the current step ends (for the Council: its deadline).
    pub stage_ends: Minutes,
    /// Each Member State's position so far, by country.
    pub positions: BTreeMap<String, Vote>,
    /// Listings only: who has made the joint proposal for the Art. 215 regulation (the HR/EEAS and the
    /// Commission are both needed).
    pub joint_proposal: BTreeSet<ActorKind>,
    /// `None` while the file is open; then adopted or not.
    pub adopted: Option<bool>,
    /// How often the Presidency has postponed a step of this file.
    #[serde(default)]
    pub postponed: u32,
}

/// How often the Presidency may postpone one file: it sets the agendas, but a file is not kept off them
/// for good (exercise assumption; the Council's rules set no number).
pub const MAX_POSTPONEMENTS: u32 = 2;

impl CouncilFile {
    #[must_use]
    pub fn is_open(&self) -> bool {
        self.adopted.is_none()
    }

    /// Art. 215(1) TFEU: the regulation behind listings is adopted on a joint proposal of the High
    /// Representative and the Commission.
    #[must_use]
    pub fn joint_proposal_complete(&self) -> bool {
        self.joint_proposal.contains(&ActorKind::Eeas)
            && self.joint_proposal.contains(&ActorKind::Commission)
    }
}

/// Who may propose Toolbox measures: the High Representative / EEAS or a Member State (Art. 30(1) TEU,
/// `docs/eu-mechanisms.md`). The Commission only joins listings (Art. 215(1) TFEU).
#[must_use]
pub fn may_propose(kind: ActorKind) -> bool {
    matches!(kind, ActorKind::Eeas | ActorKind::Government)
}

/// Who takes part in the joint proposal for the listings regulation (Art. 215(1) TFEU).
#[must_use]
pub fn makes_joint_proposal(kind: ActorKind) -> bool {
    matches!(kind, ActorKind::Eeas | ActorKind::Commission)
}

/// Population of each Member State in thousands, for the one-third test of Art. 31(1) TEU. Rounded
/// figures of Eurostat's estimates for 1 January 2024, written down from memory and not checked against
/// the figures the Council publishes each year in its Rules of Procedure: good enough for a one-third
/// threshold in an exercise, not for a real vote count.
pub const POPULATION_THOUSANDS: [(&str, u32); 27] = [
    ("AT", 9_159),
    ("BE", 11_832),
    ("BG", 6_446),
    ("CY", 934),
    ("CZ", 10_901),
    ("DE", 83_445),
    ("DK", 5_961),
    ("EE", 1_375),
    ("ES", 48_620),
    ("FI", 5_604),
    ("FR", 68_402),
    ("GR", 10_398),
    ("HR", 3_862),
    ("HU", 9_585),
    ("IE", 5_271),
    ("IT", 58_990),
    ("LT", 2_886),
    ("LU", 672),
    ("LV", 1_872),
    ("MT", 564),
    ("NL", 17_942),
    ("PL", 36_621),
    ("PT", 10_640),
    ("RO", 19_064),
    ("SE", 10_551),
    ("SI", 2_124),
    ("SK", 5_425),
];

/// A Member State's population in thousands (0 for a code that is not a Member State).
#[must_use]
pub fn population(country: &str) -> u32 {
    POPULATION_THOUSANDS
        .iter()
        .find(|(c, _)| *c == country)
        .map_or(0, |(_, p)| *p)
}

/// Art. 31(1) TEU, second subparagraph: the Member States qualifying their abstention by a formal
/// declaration block the decision when they are at least one third of the Member States and comprise at
/// least one third of the population. The exercise's Council is the governments that take part, so both
/// thirds are counted among them (the Treaty counts them in the whole Union).
#[must_use]
pub fn declarations_reach_one_third(
    declaring: &BTreeSet<String>,
    members: &BTreeSet<String>,
) -> bool {
    if declaring.is_empty() || members.is_empty() {
        return false;
    }
    let states = 3 * declaring.len() >= members.len();
    let people =
        |set: &BTreeSet<String>| -> u64 { set.iter().map(|c| u64::from(population(c))).sum() };
    let population_third = 3 * people(declaring) >= people(members);
    states && population_third
}

/// How the Council's decision on a file went, as a sentence for the national delegates that names the
/// rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The Council adopts the measures.
    Adopted(String),
    /// A vote against (an objection, in a consensus) blocks the file, at whatever step it is.
    Blocked(String),
    /// The Council decides without adopting them (silence, a reservation, the one-third limit, no joint
    /// proposal, nobody in favour).
    NotAdopted(String),
}

impl Verdict {
    #[must_use]
    pub fn adopted(&self) -> bool {
        matches!(self, Self::Adopted(_))
    }

    #[must_use]
    pub fn text(&self) -> &str {
        match self {
            Self::Adopted(t) | Self::Blocked(t) | Self::NotAdopted(t) => t,
        }
    }
}

fn names(set: &BTreeSet<String>) -> String {
    set.iter().cloned().collect::<Vec<_>>().join(", ")
}

fn holding(
    positions: &BTreeMap<String, Vote>,
    members: &BTreeSet<String>,
    vote: Vote,
) -> BTreeSet<String> {
    members
        .iter()
        .filter(|c| positions.get(*c) == Some(&vote))
        .cloned()
        .collect()
}

/// The Council's decision on a file, or `None` while it cannot decide yet.
///
/// - A vote against (an objection, in a consensus) blocks at once, at whatever step the file is.
/// - Otherwise nothing is decided before the file reaches the Council (`at_council`).
/// - At the Council, it is adopted as soon as every member has given a final position, at least one is in
///   favour (the model's reading: the Treaty does not say what a Council of abstainers does), the formal
///   declarations stay under the one-third limit (unanimity only) and, for listings, the joint proposal
///   for the regulation is complete (`joint_proposal`).
/// - At the Council's deadline (`deadline_reached`) whatever is still missing makes it fail, and the text
///   says what: a government that never answered (silence is not consent), a scrutiny reservation not
///   lifted, the missing joint proposal.
#[must_use]
pub fn decide(
    procedure: Procedure,
    positions: &BTreeMap<String, Vote>,
    members: &BTreeSet<String>,
    joint_proposal: bool,
    at_council: bool,
    deadline_reached: bool,
) -> Option<Verdict> {
    let against = holding(positions, members, Vote::Veto);
    if !against.is_empty() {
        return Some(Verdict::Blocked(match procedure {
            Procedure::Unanimity => format!(
                "blocked by the vote against of {} (unanimity, Art. 31(1) TEU)",
                names(&against)
            ),
            Procedure::Consensus => format!(
                "blocked by the objection of {} (no consensus in the Council)",
                names(&against)
            ),
        }));
    }
    if !at_council {
        return None;
    }
    let not_adopted = match procedure {
        Procedure::Unanimity => "the Council does not adopt them (Art. 31(1) TEU)",
        Procedure::Consensus => "the Council does not adopt them (no consensus)",
    };
    let silent: BTreeSet<String> = members
        .iter()
        .filter(|c| !positions.contains_key(*c))
        .cloned()
        .collect();
    let reserved = holding(positions, members, Vote::Reservation);
    let declaring = holding(positions, members, Vote::AbstainWithDeclaration);
    let in_favour = holding(positions, members, Vote::Support);
    let abstaining: BTreeSet<String> = holding(positions, members, Vote::Abstain)
        .union(&declaring)
        .cloned()
        .collect();
    if procedure == Procedure::Unanimity && declarations_reach_one_third(&declaring, members) {
        return Some(Verdict::NotAdopted(format!(
            "{not_adopted}: the Member States abstaining with a formal declaration ({}) are at least one third of the Member States taking part and represent at least one third of their population",
            names(&declaring)
        )));
    }
    let settled = silent.is_empty() && reserved.is_empty();
    if settled && in_favour.is_empty() {
        return Some(Verdict::NotAdopted(format!(
            "{not_adopted}: no Member State is in favour ({} abstained)",
            names(&abstaining)
        )));
    }
    if settled && joint_proposal {
        let mut parts = vec![match procedure {
            Procedure::Unanimity => format!(
                "the Council adopts them unanimously (Art. 31(1) TEU): {} in favour",
                in_favour.len()
            ),
            Procedure::Consensus => format!(
                "the Council adopts them by consensus: {} in favour",
                in_favour.len()
            ),
        }];
        if !abstaining.is_empty() {
            parts.push(format!("{} abstained", names(&abstaining)));
        }
        if !declaring.is_empty() {
            parts.push(format!(
                "{} made a formal declaration and need not apply them",
                names(&declaring)
            ));
        }
        let text = parts.join("; ");
        return Some(Verdict::Adopted(text));
    }
    if !deadline_reached {
        return None;
    }
    let mut why = Vec::new();
    if !silent.is_empty() {
        why.push(format!(
            "no reply from {} ({})",
            names(&silent),
            match procedure {
                Procedure::Unanimity => "silence is not consent",
                Procedure::Consensus => "silence is not agreement",
            }
        ));
    }
    if !reserved.is_empty() {
        why.push(format!(
            "the scrutiny reservation of {} was not lifted",
            names(&reserved)
        ));
    }
    if !joint_proposal {
        why.push(
            "Art. 215(1) TFEU: the regulation needs a joint proposal of the High Representative and the Commission, and it was not made"
                .to_owned(),
        );
    }
    Some(Verdict::NotAdopted(format!(
        "{not_adopted}: {}",
        why.join("; ")
    )))
}

/// A step with who chairs it: the rotating Presidency chairs the HWPCI and COREPER, a representative of the
/// High Representative chairs the PSC (Council Decision 2009/908/EU), and the Foreign Affairs Council is
/// chaired by the High Representative (Art. 18(3) TEU), though any Council configuration, chaired by the
/// Presidency, may adopt a file as an "A" item.
#[must_use]
pub fn chaired(stage: CouncilStage, presidency: &str) -> String {
    match stage {
        CouncilStage::Hwpci => format!("the HWPCI (chaired by the {presidency} Presidency)"),
        CouncilStage::Psc => format!(
            "the PSC (chaired by the EEAS) and COREPER (chaired by the {presidency} Presidency)"
        ),
        CouncilStage::Council => {
            "the Council (the Foreign Affairs Council chaired by the High Representative, or any configuration as an A item)".to_owned()
        }
    }
}

/// What a preparatory body reports when a file leaves it (`stage` is the body it leaves): who is still
/// silent and whose scrutiny reservations stay open. A reservation does not stop a file moving up; it
/// stops its adoption.
#[must_use]
pub fn stage_report(
    stage: CouncilStage,
    positions: &BTreeMap<String, Vote>,
    members: &BTreeSet<String>,
    presidency: &str,
) -> String {
    let next = stage.next().map_or("the Council", CouncilStage::label);
    let mut parts = vec![format!(
        "{} has examined the file and puts it to the {next}",
        chaired(stage, presidency)
    )];
    let reserved = holding(positions, members, Vote::Reservation);
    if !reserved.is_empty() {
        parts.push(format!(
            "scrutiny reservation of {} still open",
            names(&reserved)
        ));
    }
    let silent: BTreeSet<String> = members
        .iter()
        .filter(|c| !positions.contains_key(*c))
        .cloned()
        .collect();
    if !silent.is_empty() {
        parts.push(format!("no position yet from {}", names(&silent)));
    }
    parts.join("; ")
}
