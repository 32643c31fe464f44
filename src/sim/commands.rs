//! Commands: the only way anything changes an exercise. The console, the command line, network seats
//! and journal replay all submit these to `Engine::apply`; the journal stores them.

use serde::{Deserialize, Serialize};

use crate::domain::{Action, Channel, Tlp};
use crate::scenario::time::Minutes;

use super::events::Rating;

/// How far to move the clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Advance {
    /// By this many minutes.
    By(Minutes),
    /// To this minute since the start.
    To(Minutes),
    /// To the next moment anything can happen.
    NextEvent,
    /// To the end of the exercise.
    End,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum Command {
    Advance(Advance),
    /// A seat takes a decision offered to it.
    Decide {
        seat: String,
        decision: String,
        option: String,
        rationale: String,
    },
    /// An actor asks a mechanism to act; the EU rules decide.
    Request {
        by: String,
        action: Action,
        incident: Option<String>,
    },
    /// A seat shares information with other seats: its own, or (`forward`) an item it received, named
    /// by the index of its event in the stream. TLP 2.0 decides who may receive it.
    Share {
        from: String,
        to: Vec<String>,
        tlp: Tlp,
        subject: String,
        body: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        forward: Option<usize>,
    },
    /// Facilitator: deliver a pending inject now.
    Fire {
        inject: String,
    },
    /// Facilitator: push a scheduled inject back.
    Delay {
        inject: String,
        minutes: Minutes,
    },
    /// Facilitator: drop a pending inject.
    Skip {
        inject: String,
    },
    /// Facilitator: an improvised inject.
    AdHoc {
        from: String,
        to: Vec<String>,
        channel: Channel,
        tlp: Tlp,
        subject: String,
        body: String,
    },
    /// Facilitator: decide for a seat nobody plays.
    DecideFor {
        decision: String,
        option: String,
        rationale: String,
    },
    /// Facilitator: grant a request the rules refuse, with the reason on record.
    Override {
        by: String,
        action: Action,
        incident: Option<String>,
        reason: String,
    },
    /// Facilitator or evaluator: an observation, optionally rated and tied to an objective.
    Observe {
        text: String,
        objective: Option<String>,
        rating: Option<Rating>,
    },
    Pause,
    Resume,
}
