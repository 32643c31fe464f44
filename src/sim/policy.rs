//! Headless play: who decides when nobody sits at the table. A policy answers pending decisions; `play`
//! drives an engine to the end with it and returns every command it gave, ready for the journal.

use std::path::Path;

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Deserialize;

use crate::scenario::parse::ron_options;
use crate::scenario::time::{Minutes, parse_moment};

use super::Engine;
use super::commands::{Advance, Command};
use super::events::Event;
use super::view::{DecisionView, View};

/// A built-in way of answering decisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, clap::ValueEnum)]
pub enum Builtin {
    /// Nobody answers: every decision takes its default when its deadline runs out.
    Defaults,
    /// Always the first (most escalatory) option, at once.
    Escalate,
    /// A random option, at once (its own seeded generator, so runs stay reproducible).
    Random,
}

/// A decisions file: which option each decision gets, by whom and when; the rest falls back.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Script {
    #[serde(default = "Script::default_fallback")]
    pub fallback: Builtin,
    pub choices: Vec<Choice>,
}

impl Script {
    fn default_fallback() -> Builtin {
        Builtin::Defaults
    }

    /// Reads a decisions file (RON).
    pub fn load(path: &Path) -> anyhow::Result<Script> {
        let text = std::fs::read_to_string(path)?;
        ron_options()
            .from_str(&text)
            .map_err(|e| anyhow::anyhow!("{}:{e}", path.display()))
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    pub decision: String,
    pub option: String,
    /// The deciding seat; default: the first one the decision is offered to.
    #[serde(default)]
    pub seat: Option<String>,
    #[serde(default)]
    pub rationale: String,
    /// Not before this time (`"T+02:00"`); default: as soon as it is offered.
    #[serde(default)]
    pub at: Option<String>,
}

/// Answers decisions in headless play.
pub struct Policy {
    builtin: Builtin,
    script: Vec<(Choice, Option<Minutes>)>,
    rng: ChaCha8Rng,
}

impl Policy {
    #[must_use]
    pub fn builtin(builtin: Builtin, seed: u64) -> Policy {
        Policy {
            builtin,
            script: Vec::new(),
            // Its own stream, so a policy's choices never shift the simulation's random draws.
            rng: ChaCha8Rng::seed_from_u64(seed ^ 0x005E_ED0F_D3C1_5104),
        }
    }

    pub fn scripted(script: Script, seed: u64) -> anyhow::Result<Policy> {
        let mut policy = Policy::builtin(script.fallback, seed);
        for choice in script.choices {
            let at = match &choice.at {
                Some(t) => Some(
                    parse_moment(t, None)
                        .ok()
                        .and_then(|m| Minutes::try_from(m).ok())
                        .ok_or_else(|| {
                            anyhow::anyhow!(
                                "decision `{}`: bad time `{t}` (write T+HH:MM)",
                                choice.decision
                            )
                        })?,
                ),
                None => None,
            };
            policy.script.push((choice, at));
        }
        Ok(policy)
    }

    /// The command answering one pending decision now, if this policy answers it now.
    pub fn answer(&mut self, now: Minutes, decision: &DecisionView) -> Option<Command> {
        if let Some((choice, at)) = self.script.iter().find(|(c, _)| c.decision == decision.id) {
            if at.is_some_and(|t| now < t) {
                return None;
            }
            return Some(Command::Decide {
                seat: choice
                    .seat
                    .clone()
                    .or_else(|| decision.by.first().cloned())?,
                decision: decision.id.clone(),
                option: choice.option.clone(),
                rationale: if choice.rationale.is_empty() {
                    "(decisions file)".into()
                } else {
                    choice.rationale.clone()
                },
            });
        }
        let option = match self.builtin {
            Builtin::Defaults => return None,
            Builtin::Escalate => 0,
            Builtin::Random => self.rng.random_range(0..decision.options.len().max(1)),
        };
        Some(Command::Decide {
            seat: decision.by.first().cloned()?,
            decision: decision.id.clone(),
            option: decision.options.get(option)?.0.clone(),
            rationale: format!("(policy: {:?})", self.builtin).to_lowercase(),
        })
    }
}

/// One command and what it caused.
#[derive(Debug, Clone)]
pub struct Step {
    /// Simulated minute when the command was given.
    pub at: Minutes,
    pub command: Command,
    pub events: Vec<Event>,
    pub refused: Option<crate::doctrine::Refusal>,
}

/// Plays an engine to the end: answer what the policy answers, then move to the next moment.
pub fn play(engine: &mut Engine, policy: &mut Policy) -> Vec<Step> {
    let mut steps = Vec::new();
    let run = |engine: &mut Engine, command: Command, steps: &mut Vec<Step>| {
        let at = engine.now();
        let (events, refused) = match engine.apply(&command) {
            Ok(events) => (events, None),
            Err(refusal) => (Vec::new(), Some(refusal)),
        };
        steps.push(Step {
            at,
            command,
            events,
            refused,
        });
    };
    while !engine.ended() {
        let view: View = engine.view();
        let answers: Vec<Command> = view
            .pending_decisions()
            .filter_map(|d| policy.answer(view.now, d))
            .collect();
        for command in answers {
            run(engine, command, &mut steps);
        }
        run(engine, Command::Advance(Advance::NextEvent), &mut steps);
    }
    steps
}
