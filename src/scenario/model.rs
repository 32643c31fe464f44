//! The scenario file format, version 1: serde types that mirror what a planner writes in RON.
//!
//! Times, durations, ids and conditions stay strings here; `validate` parses and checks them so that every
//! problem of a file is reported at once, each at its own line and column. Field docs are the source of
//! `docs/scenario-format.md`: keep both in step.

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use crate::domain::{Action, ActorKind, Channel, IncidentKind, Severity, Tlp};
// Defined with the domain vocabulary so that the rules (`doctrine`) read it without depending on the
// file format; re-exported here because it is part of the format, as `incidents[..].truth`.
pub use crate::domain::Truth;

/// The format version this build reads and writes.
pub const FORMAT_VERSION: u32 = 1;

/// A whole scenario file. The root `Scenario( ... )` is read section by section (see `parse`), so this
/// type is assembled by hand rather than derived from the text in one go.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ScenarioFile {
    /// Format version, `format: 1`. Required and checked first.
    pub format: u32,
    /// Stable identifier of the scenario, e.g. `"hospital-ransomware-wave"`.
    pub id: String,
    pub title: String,
    /// The planner's own version of this scenario, e.g. `"1.2"`.
    pub version: String,
    pub authors: Vec<String>,
    /// Language of the scenario text (ISO 639-1 code such as `"en"`, `"el"`, `"bg"`).
    pub language: String,
    /// Classification of the exercise package itself.
    pub tlp: Tlp,
    /// Markdown read to everyone at the start.
    pub briefing: String,
    /// Scenario start as an RFC 3339 date-time, e.g. `"2026-03-10T08:00:00+01:00"`.
    pub start: String,
    /// How long the exercise runs in simulated time, e.g. `"48h"`.
    pub duration: String,
    /// Participating Member States, ISO 3166-1 alpha-2 (`"DE"`, `"FR"`; Greece is `"GR"`).
    pub member_states: Vec<String>,
    /// The Member State holding the Council Presidency.
    pub presidency: String,
    /// Provider teams the EU Cybersecurity Reserve can commit within 48 hours, shared by every request
    /// (`reserve_capacity: 1`); default 4, an exercise assumption. When requests compete, ENISA serves
    /// them in the Cyber Solidarity Act's priority order until the teams run out.
    pub reserve_capacity: Option<u32>,
    /// Where ISAA reports come from while IPCR is active: `Every("12h")` (the engine issues them at
    /// that rhythm, the default), `Scripted` (the scenario's own injects are the reports) or `Off`.
    pub isaa: Option<Isaa>,
    pub objectives: Vec<Objective>,
    pub actors: Vec<Actor>,
    /// Named values the scenario tracks, `{ "public_pressure": 0, "press_leak": false }`.
    pub variables: Vec<Variable>,
    pub incidents: Vec<Incident>,
    pub injects: Vec<Inject>,
    pub decisions: Vec<Decision>,
    /// How long each step of the Council track takes for Cyber Diplomacy Toolbox proposals. Optional;
    /// each step left out takes its default.
    pub council: Option<CouncilSettings>,
}

/// The pace of the Council track in simulated time: a Toolbox proposal is examined by the HWPCI, then
/// the PSC/COREPER, then decided by the Council, each chaired by the Presidency. Real files take days to
/// weeks; the Treaties set no times, so a scenario picks what fits its story. Durations like `"12h"`.
///
/// Governments give their positions from the proposal until the Council's deadline (the end of its
/// step); an objection blocks the file at any step, and silence or a scrutiny reservation still standing
/// at the Council's deadline means the measures are not adopted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CouncilSettings {
    /// The Horizontal Working Party on Cyber Issues examines the proposal and the evidence (default
    /// `"12h"`).
    #[serde(default)]
    pub hwpci: Option<String>,
    /// The PSC and COREPER consider it and put it to the Council (default `"12h"`).
    #[serde(default)]
    pub psc: Option<String>,
    /// The Council decides, in a meeting or by written procedure, by this time at the latest (default
    /// `"24h"`); it adopts earlier once every government has given a final position.
    #[serde(default)]
    pub council: Option<String>,
}

/// Who produces ISAA situation reports while IPCR is active (the rhythm is the Presidency's to set,
/// Impl. Dec. (EU) 2018/1993): the engine, or the scenario itself, never both.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Isaa {
    /// The engine issues a report, as the Commission and the EEAS, when information sharing opens and
    /// then at this rhythm: `Every("12h")`.
    Every(String),
    /// The scenario's injects are the ISAA reports; the engine issues none.
    Scripted,
    /// No ISAA reports.
    Off,
}

/// The ISAA rhythm when a scenario sets none: twice a day.
pub const ISAA_DEFAULT_EVERY: &str = "12h";

/// An HSEEP exercise objective.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Objective {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// HSEEP critical tasks that evaluators rate P/S/M/U.
    #[serde(default)]
    pub critical_tasks: Vec<String>,
    /// Criteria the engine checks automatically.
    #[serde(default)]
    pub criteria: Vec<Criterion>,
}

/// An automatically checked criterion: met when `met_when` becomes true, within `within` of `from`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    pub id: String,
    /// What evaluators read, e.g. "IPCR information sharing within 6h of the first cross-border impact".
    pub text: String,
    /// A condition (see the condition language).
    pub met_when: String,
    /// Time allowed after the anchor; without it the criterion may be met any time before the end.
    #[serde(default)]
    pub within: Option<String>,
    /// What starts the clock for `within`.
    #[serde(default)]
    pub from: Anchor,
}

/// The moment a criterion's `within` is counted from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Anchor {
    /// The start of the exercise.
    #[default]
    Start,
    /// The first time any incident affects a second Member State.
    FirstCrossBorderImpact,
    /// When the named incident is detected.
    Detected(String),
    /// When the named inject is delivered.
    Delivered(String),
}

/// A participant's role or a simulated actor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Actor {
    pub id: String,
    /// Display name, e.g. "CERT-Bund" or "Hôpital Saint-Louis".
    pub name: String,
    pub kind: ActorKind,
    /// Country for national actors (required for them, refused for EU bodies).
    #[serde(default)]
    pub country: Option<String>,
    /// `true` when a participant plays this actor; otherwise the simulation (or the facilitator) does.
    #[serde(default)]
    pub seat: bool,
    /// Role briefing shown to the participant in this seat.
    #[serde(default)]
    pub description: String,
    /// The organisation the actor belongs to, when several seats share one (e.g. a national CSIRT and
    /// the crisis centre of the same agency): TLP:AMBER+STRICT may travel between them. By default
    /// each actor is its own organisation.
    #[serde(default)]
    pub organisation: Option<String>,
}

/// A named scenario variable and its initial value (the value's type is the variable's type).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Variable {
    pub id: String,
    pub initial: Value,
}

/// A variable value: a whole number or a flag. Written plainly (`3`, `true`) in RON and JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value {
    Int(i64),
    Bool(bool),
}

impl Serialize for Value {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Int(n) => serializer.serialize_i64(*n),
            Value::Bool(b) => serializer.serialize_bool(*b),
        }
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ValueVisitor;
        impl Visitor<'_> for ValueVisitor {
            type Value = Value;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a whole number or true/false")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
                Ok(Value::Bool(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
                Ok(Value::Int(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
                i64::try_from(v)
                    .map(Value::Int)
                    .map_err(|_| E::custom("number too large"))
            }
        }
        deserializer.deserialize_any(ValueVisitor)
    }
}

/// Reads `{ "name": value, ... }` keeping file order and duplicate keys (the validator reports those).
pub(crate) fn variables_from_map<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<Variable>, D::Error> {
    struct MapVisitor;
    impl<'de> Visitor<'de> for MapVisitor {
        type Value = Vec<Variable>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(r#"a map of variable names to initial values, like { "pressure": 0 }"#)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some((id, initial)) = map.next_entry::<String, Value>()? {
                out.push(Variable { id, initial });
            }
            Ok(out)
        }
    }
    deserializer.deserialize_map(MapVisitor)
}

/// An incident: what happens, where, how it evolves, and the hidden truth behind it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Incident {
    pub id: String,
    pub title: String,
    pub kind: IncidentKind,
    #[serde(default)]
    pub description: String,
    /// Entity actors hit when the incident starts.
    pub entities: Vec<String>,
    /// Severity when it starts.
    pub severity: Severity,
    /// When it starts; default `"T+00:00"`.
    #[serde(default)]
    pub start: Option<String>,
    /// When the victims become aware of it (starts the NIS2 clocks); default: at `start`.
    #[serde(default)]
    pub detected: Option<String>,
    #[serde(default)]
    pub truth: Truth,
    #[serde(default)]
    pub dynamics: Dynamics,
}

/// How an incident evolves on its own, hour by hour, drawn from the exercise's seeded random generator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dynamics {
    /// Chance per hour (0 to 1) that it reaches each entity in `spread_to` not yet hit.
    #[serde(default)]
    pub spread_per_hour: f64,
    /// Entities it can spread to (in other Member States, too).
    #[serde(default)]
    pub spread_to: Vec<String>,
    /// Chance per hour (0 to 1) that severity rises one step.
    #[serde(default)]
    pub escalation_per_hour: f64,
    /// Severity never rises above this.
    #[serde(default = "Dynamics::default_max_severity")]
    pub max_severity: Severity,
    /// Factors applied to both chances once mitigation is in place (a decision's `Mitigate`).
    #[serde(default = "Factors::mitigated")]
    pub mitigated: Factors,
    /// Factors applied once outside support (Reserve, rapid reaction team) is deployed.
    #[serde(default = "Factors::supported")]
    pub supported: Factors,
}

impl Dynamics {
    fn default_max_severity() -> Severity {
        Severity::Critical
    }
}

impl Default for Dynamics {
    fn default() -> Self {
        Self {
            spread_per_hour: 0.0,
            spread_to: Vec::new(),
            escalation_per_hour: 0.0,
            max_severity: Severity::Critical,
            mitigated: Factors::mitigated(),
            supported: Factors::supported(),
        }
    }
}

/// Multipliers (0 to 1) on the hourly spread and escalation chances.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Factors {
    pub spread: f64,
    pub escalation: f64,
}

impl Factors {
    fn mitigated() -> Self {
        Self {
            spread: 0.5,
            escalation: 0.5,
        }
    }
    fn supported() -> Self {
        Self {
            spread: 0.2,
            escalation: 0.2,
        }
    }
}

/// One row of the MSEL: a message that reaches seats at a time, on a condition, or when the facilitator
/// fires it. Exactly one of `at`, `when` and `manual` says when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inject {
    pub id: String,
    /// Delivery time, `"T+01:30"`, `"90m"` or an RFC 3339 date-time inside the exercise.
    #[serde(default)]
    pub at: Option<String>,
    /// Delivered when this condition becomes true (after `delay`).
    #[serde(default)]
    pub when: Option<String>,
    /// With `when`: how long after the condition becomes true; default `"0m"`.
    #[serde(default)]
    pub delay: Option<String>,
    /// Only the facilitator fires it (or an effect's `Fire`).
    #[serde(default)]
    pub manual: bool,
    /// The sending actor.
    pub from: String,
    /// Recipient seats.
    pub to: Vec<String>,
    pub channel: Channel,
    #[serde(default)]
    pub tlp: Tlp,
    pub subject: String,
    /// Markdown.
    #[serde(default)]
    pub body: String,
    /// Files under `assets/`.
    #[serde(default)]
    pub attachments: Vec<String>,
    /// Expected player actions (for evaluators; never shown to players).
    #[serde(default)]
    pub expected: Vec<String>,
    /// Objectives this inject exercises.
    #[serde(default)]
    pub objectives: Vec<String>,
    /// A decision offered to its deciders when this inject is delivered.
    #[serde(default)]
    pub decision: Option<String>,
    /// Applied when the inject is delivered.
    #[serde(default)]
    pub effects: Vec<Effect>,
    /// Controller notes for the facilitator (never shown to players).
    #[serde(default)]
    pub notes: String,
}

/// A choice put to one or more seats.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    pub id: String,
    pub prompt: String,
    /// Actors who may take it (any one of them decides). When none is a seat, the default applies.
    pub by: Vec<String>,
    /// Time allowed after it is offered, e.g. `"2h"`; the default option applies when it runs out.
    #[serde(default)]
    pub deadline: Option<String>,
    /// Option id taken on timeout, or at once when nobody plays a deciding seat.
    #[serde(default)]
    pub default: Option<String>,
    #[serde(default)]
    pub rationale_required: bool,
    pub options: Vec<DecisionOption>,
    /// Objectives this decision exercises.
    #[serde(default)]
    pub objectives: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionOption {
    pub id: String,
    pub label: String,
    /// What choosing it means, shown to the deciders.
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub effects: Vec<Effect>,
}

/// Something that changes the exercise when an inject is delivered or an option is chosen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Effect {
    /// `Set("press_leak", true)`
    Set(String, Value),
    /// `Add("public_pressure", 2)` (whole-number variables)
    Add(String, i64),
    /// Severity of an incident up one step.
    Escalate(String),
    /// Severity of an incident down one step.
    Deescalate(String),
    /// `SetSeverity("ransom_wave", Critical)`
    SetSeverity(String, Severity),
    /// `SpreadTo("ransom_wave", "fr_hospital")`
    SpreadTo(String, String),
    /// Mitigation is in place: the incident's `mitigated` factors apply.
    Mitigate(String),
    /// Spread and escalation stop.
    Contain(String),
    /// Services restored; the incident is over.
    Recover(String),
    /// Deliver an inject now.
    Fire(String),
    /// `FireAfter("press_wave_2", "30m")`
    FireAfter(String, String),
    /// The inject will not be delivered.
    Cancel(String),
    /// `Delay("isaa_report_1", "1h")`: push a pending inject back.
    Delay(String, String),
    /// Ask a mechanism to act, subject to the EU rules: `Request(by: "de_spoc", action: RequestReserve,
    /// incident: "ransom_wave")`.
    Request {
        by: String,
        action: Action,
        #[serde(default)]
        incident: Option<String>,
    },
    /// Record an evaluation event against an objective: `Evaluate("obj_ipcr", "Presidency hesitated")`.
    Evaluate(String, String),
}
