//! Semantic checks of a parsed scenario, producing the checked [`Scenario`] the engine plays. Each pass
//! lives in its own file; this driver runs them in order over one [`Checker`], which holds the id index
//! and the exercise's time frame that later passes read, and collects every diagnostic.

mod actors;
mod conditions;
mod countries;
mod decisions;
mod effects;
mod ids;
mod incidents;
mod injects;
mod locate;
mod objectives;
mod references;
mod root;
mod times;
mod triggers;

use std::collections::BTreeMap;
use std::ops::Range;

use chrono::{DateTime, FixedOffset};

use super::Origin;
use super::checked::{Kind, Scenario};
use super::diagnostic::Diagnostic;
use super::model::ScenarioFile;
use super::parse::Parsed;
use super::spans::Node;
use super::time::Minutes;

/// A step of a path into the text.
#[derive(Clone, Copy)]
enum Seg<'a> {
    F(&'a str),
    I(usize),
}

/// What the passes share: the text and its structure to place diagnostics, the parsed file, and what
/// earlier passes establish for later ones.
struct Checker<'a> {
    text: &'a str,
    tree: &'a Node,
    file: &'a ScenarioFile,
    parsed: &'a Parsed,
    origin: &'a Origin,
    diags: &'a mut Vec<Diagnostic>,
    /// Every id with its kind and position, filled by `ids`; references resolve against it.
    index: BTreeMap<String, (Kind, usize)>,
    /// The exercise's time frame, set by `time_frame` when valid; every moment is checked against it.
    start: Option<DateTime<FixedOffset>>,
    duration: Option<Minutes>,
}

pub(super) fn validate(
    text: &str,
    parsed: &Parsed,
    origin: &Origin,
    diags: &mut Vec<Diagnostic>,
) -> Option<Scenario> {
    let mut c = Checker {
        text,
        tree: &parsed.tree,
        file: &parsed.file,
        parsed,
        origin,
        diags,
        index: BTreeMap::new(),
        start: None,
        duration: None,
    };
    // The time frame and the id index come first: later passes place times and resolve names with them.
    c.root();
    c.time_frame();
    let council = c.council_times();
    c.countries();
    c.ids();
    c.actors();
    let incidents = c.incidents();
    let triggers = c.injects();
    let decisions = c.decisions();
    let criteria = c.objectives();
    c.cycles(&triggers);
    // With elements that failed to parse, "never delivered" would only echo those errors.
    if parsed.broken_ids.is_empty() {
        c.reachability(&triggers, &decisions);
    }
    let (start, duration, index) = (c.start?, c.duration?, c.index);
    Some(Scenario {
        file: parsed.file.clone(),
        start,
        duration,
        triggers: triggers.into_iter().collect::<Option<Vec<_>>>()?,
        incidents: incidents.into_iter().collect::<Option<Vec<_>>>()?,
        decisions,
        criteria,
        council,
        index,
    })
}

impl Checker<'_> {
    fn error(&mut self, span: Range<usize>, message: impl Into<String>, hint: Option<String>) {
        let mut d = Diagnostic::error(span, message);
        d.hint = hint;
        self.diags.push(d);
    }

    fn warning(&mut self, span: Range<usize>, message: impl Into<String>, hint: Option<String>) {
        let mut d = Diagnostic::warning(span, message);
        d.hint = hint;
        self.diags.push(d);
    }
}
