//! The scenario skeleton an imported MSEL becomes: ids for injects, actors and objectives, pretty RON
//! with `TODO` comments for what a spreadsheet cannot say, and a pass through the checker so that what
//! is written always passes `tabletop check`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::ops::Range;

use crate::domain::Tlp;
use crate::scenario::diagnostic::render;
use crate::scenario::time::{Minutes, format_offset};
use crate::scenario::{self, Level};

use super::Problem;
use super::import::{Defaults, InjectRow, Skeleton};
use super::values::{self, Timing, channel_name, compact_duration, tlp_name};

/// Placeholders the planner must replace; the file checks with them.
const START: &str = "2026-01-01T09:00:00+01:00";
const MEMBER_STATE: &str = "BE";

/// An actor the sheet names.
struct Actor {
    id: String,
    name: String,
    seat: bool,
    /// The sheet gave an id rather than a name.
    name_is_id: bool,
}

/// Everything the skeleton holds, with ids given.
struct Plan<'a> {
    source: &'a str,
    defaults: &'a Defaults,
    rows: &'a [InjectRow],
    inject_ids: Vec<String>,
    actors: Vec<Actor>,
    /// Lowercase name → index in `actors`.
    actor_by_name: BTreeMap<String, usize>,
    objectives: Vec<(String, String)>,
    /// Lowercase title → index in `objectives`.
    objective_by_title: BTreeMap<String, usize>,
}

/// Builds the skeleton; `None` (with the checker's complaint as a problem) only if the generated text
/// did not pass the checker, which would be a bug here.
pub(super) fn make(
    rows: &[InjectRow],
    defaults: &Defaults,
    source: &str,
    problems: &mut Vec<Problem>,
) -> Option<Skeleton> {
    let plan = Plan::new(rows, defaults, source);
    // `when:` conditions may name decisions, variables or incidents a sheet cannot define: such an inject
    // is made manual (its condition kept in a comment) until the skeleton checks.
    let mut manual = BTreeSet::new();
    loop {
        let (ron, blocks) = plan.render(&manual);
        let checked = scenario::check_str(&ron, &scenario::Origin::default());
        let errors: Vec<_> = checked
            .diagnostics
            .iter()
            .filter(|d| d.level == Level::Error)
            .collect();
        if errors.is_empty() {
            let seats = plan.actors.iter().filter(|a| a.seat).count();
            return Some(Skeleton {
                todos: ron.matches("TODO").count(),
                ron,
                injects: rows.len(),
                actors: plan.actors.len(),
                seats,
                objectives: plan.objectives.len(),
                conditions_made_manual: manual.len(),
            });
        }
        let mut progress = false;
        for d in &errors {
            let at = d.span.as_ref().map_or(usize::MAX, |s| s.start);
            if let Some(i) = blocks.iter().position(|b| b.contains(&at))
                && matches!(rows[i].timing, Timing::When { .. })
            {
                progress |= manual.insert(i);
            }
        }
        if !progress {
            let shown: Vec<String> = errors
                .iter()
                .map(|d| render("skeleton", &checked.text, d))
                .collect();
            problems.push(Problem::error(
                None,
                None,
                format!(
                    "internal error: the generated skeleton does not pass the checker (please report this):\n{}",
                    shown.join("\n")
                ),
            ));
            return None;
        }
    }
}

impl<'a> Plan<'a> {
    fn new(rows: &'a [InjectRow], defaults: &'a Defaults, source: &'a str) -> Self {
        let mut taken: BTreeSet<String> = rows.iter().filter_map(|r| r.id.clone()).collect();
        let mut unique = |base: String| {
            let mut id = base.clone();
            let mut n = 2;
            while taken.contains(&id) {
                id = format!("{base}_{n}");
                n += 1;
            }
            taken.insert(id.clone());
            id
        };
        let inject_ids: Vec<String> = rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                if let Some(id) = &r.id {
                    return id.clone();
                }
                let seq = values::slug(&r.sequence, 24, "");
                if seq.is_empty() {
                    unique(format!("inj_{:02}", i + 1))
                } else {
                    unique(format!("inj_{seq}"))
                }
            })
            .collect();
        // Seats first (every recipient), then the senders who receive nothing, each in sheet order.
        let mut actors: Vec<Actor> = Vec::new();
        let mut actor_by_name = BTreeMap::new();
        let seats = rows.iter().flat_map(|r| r.to.iter().map(|n| (n, true)));
        let senders = rows.iter().map(|r| (&r.from, false));
        for (name, seat) in seats.chain(senders) {
            let key = name.to_lowercase();
            if actor_by_name.contains_key(&key) {
                continue;
            }
            let name_is_id = values::is_id(name);
            let base = if name_is_id {
                name.clone()
            } else {
                Some(values::slug(name, 32, "actor_"))
                    .filter(|s| !s.is_empty())
                    .unwrap_or_else(|| "actor".into())
            };
            actor_by_name.insert(key, actors.len());
            actors.push(Actor {
                id: unique(base),
                name: name.clone(),
                seat,
                name_is_id,
            });
        }
        let mut objectives = Vec::new();
        let mut objective_by_title = BTreeMap::new();
        for title in rows.iter().flat_map(|r| &r.objectives) {
            let key = title.to_lowercase();
            if objective_by_title.contains_key(&key) {
                continue;
            }
            let base = if values::is_id(title) {
                title.clone()
            } else {
                let slug = values::slug(title, 28, "");
                if slug.is_empty() {
                    "obj".into()
                } else {
                    format!("obj_{slug}")
                }
            };
            objective_by_title.insert(key, objectives.len());
            objectives.push((unique(base), title.clone()));
        }
        Self {
            source,
            defaults,
            rows,
            inject_ids,
            actors,
            actor_by_name,
            objectives,
            objective_by_title,
        }
    }

    fn actor_id<'s>(&'s self, name: &'s str) -> &'s str {
        self.actor_by_name
            .get(&name.to_lowercase())
            .map_or(name, |i| self.actors[*i].id.as_str())
    }

    fn objective_id<'s>(&'s self, title: &'s str) -> &'s str {
        self.objective_by_title
            .get(&title.to_lowercase())
            .map_or(title, |i| self.objectives[*i].0.as_str())
    }

    /// The RON text, and each inject's byte range in it. Injects in `manual` are written as manual
    /// whatever their sheet time said.
    fn render(&self, manual: &BTreeSet<usize>) -> (String, Vec<Range<usize>>) {
        let mut out = String::new();
        self.preamble(&mut out);
        self.objectives(&mut out);
        self.actors(&mut out);
        out.push_str("\n    injects: [\n");
        let mut blocks = Vec::new();
        for (i, row) in self.rows.iter().enumerate() {
            let start = out.len();
            self.inject(&mut out, i, row, manual.contains(&i));
            blocks.push(start..out.len());
        }
        out.push_str("    ],\n");
        out.push_str(concat!(
            "\n",
            "    // TODO: what happens and what the seats decide, which no MSEL column holds: the `incidents`\n",
            "    // that start, spread and escalate (section 9 of docs/scenario-format.md), the `decisions` an inject\n",
            "    // offers with `decision: \"dec_...\"` (section 11), their `effects` (section 12) and `variables`\n",
            "    // (section 8). Then run `tabletop run` on this file to see how the exercise plays.\n",
            ")\n",
        ));
        (out, blocks)
    }

    fn preamble(&self, out: &mut String) {
        let seats = self.actors.iter().filter(|a| a.seat).count();
        let stem = std::path::Path::new(self.source)
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("msel");
        let id: String = {
            let slug = values::slug(stem, 48, "msel_").replace('_', "-");
            if slug.is_empty() {
                "imported-msel".into()
            } else {
                slug
            }
        };
        let last = self
            .rows
            .iter()
            .filter_map(|r| match r.timing {
                Timing::At(m) => Some(m),
                _ => None,
            })
            .max();
        let duration: Minutes = last.unwrap_or(0).saturating_add(60);
        let tlp = self.rows.iter().map(|r| r.tlp).min().unwrap_or(Tlp::Green);
        let _ = writeln!(
            out,
            "// Scenario skeleton made by `tabletop msel import` from {}: {} inject{}, {} actor{} ({} seat{}), {} objective{}.",
            one_line(self.source),
            self.rows.len(),
            plural(self.rows.len()),
            self.actors.len(),
            plural(self.actors.len()),
            seats,
            plural(seats),
            self.objectives.len(),
            plural(self.objectives.len()),
        );
        out.push_str(concat!(
            "//\n",
            "// A spreadsheet MSEL says when each inject goes out, who sends it to whom, how, under which TLP label\n",
            "// and what it says. It cannot say what kind of organisation each actor is, which Member States take\n",
            "// part, what happens (incidents) or what the seats decide (decisions). Work through every TODO below,\n",
            "// then run `tabletop check` on this file: it reports what is still missing, with line and column.\n",
            "// The format's reference is docs/scenario-format.md.\n",
        ));
        if self.defaults.no_from {
            out.push_str("//\n// TODO: the sheet had no From column, so every inject comes from \"Exercise control\"; name the real\n// senders (simulated actors) in `from`.\n");
        }
        if self.defaults.no_channel {
            out.push_str("//\n// TODO: the sheet had no Delivery channel column, so every inject is an `Email`; set each `channel`.\n");
        }
        out.push_str("Scenario(\n    format: 1,\n");
        let _ = writeln!(out, "    id: {},", ron_string(&id));
        out.push_str("    // TODO: the exercise's title.\n");
        let _ = writeln!(
            out,
            "    title: {},",
            ron_string(&format!("{} (imported MSEL)", one_line(stem)))
        );
        out.push_str("    version: \"0.1\",\n");
        out.push_str("    language: \"en\", // TODO: the language of the texts (ISO 639-1: \"el\", \"bg\", \"fr\"...)\n");
        let _ = writeln!(
            out,
            "    tlp: {}, // the most restrictive label among the injects: the package's own classification",
            tlp_name(tlp)
        );
        out.push_str(
            "    // TODO: when T+00:00 is, as a date-time with its UTC offset. A placeholder:\n",
        );
        let _ = writeln!(out, "    start: {},", ron_string(START));
        match last {
            Some(m) => {
                let _ = writeln!(
                    out,
                    "    // The last timed inject is at {}, and play ends an hour later. Lengthen it to the planned end.",
                    format_offset(m)
                );
            }
            None => {
                out.push_str("    // TODO: how long play lasts (the sheet has no timed inject).\n");
            }
        }
        let _ = writeln!(
            out,
            "    duration: {},",
            ron_string(&compact_duration(duration))
        );
        out.push_str(concat!(
            "    // TODO: the participating Member States (ISO codes; Greece is \"GR\") and the one holding the\n",
            "    // Council Presidency, which must be among them. Placeholders, so that the file checks:\n",
        ));
        let _ = writeln!(out, "    member_states: [{}],", ron_string(MEMBER_STATE));
        let _ = writeln!(out, "    presidency: {},", ron_string(MEMBER_STATE));
    }

    fn objectives(&self, out: &mut String) {
        if self.objectives.is_empty() {
            return;
        }
        out.push_str(
            "\n    // The objectives the sheet's Objective column names.\n    objectives: [\n",
        );
        for (id, title) in &self.objectives {
            out.push_str("        (\n");
            let _ = writeln!(out, "            id: {},", ron_string(id));
            let _ = writeln!(out, "            title: {},", ron_string(title));
            out.push_str(concat!(
                "            // TODO: describe the objective, list the critical tasks evaluators rate P/S/M/U, and add\n",
                "            // `criteria` for what the program can check by itself (section 6 of the format).\n",
                "            description: \"\",\n",
                "            critical_tasks: [],\n",
            ));
            out.push_str("        ),\n");
        }
        out.push_str("    ],\n");
    }

    fn actors(&self, out: &mut String) {
        out.push_str(concat!(
            "\n",
            "    // Everyone the sheet names. Seats (`seat: true`) are the roles people play: every recipient is\n",
            "    // one. The others are simulated senders.\n",
            "    // TODO: set each actor's kind. National kinds need a `country` among `member_states`: Csirt, Spoc,\n",
            "    // CrisisAuthority, Government, Presidency, and Essential(Sector) or Important(Sector) for the\n",
            "    // entities incidents hit. EU bodies have none: Enisa, CertEu, Commission, Eeas, IntCen, Europol,\n",
            "    // Council, CouncilSecretariat. `Other` (press, vendors, exercise control) holds no decision\n",
            "    // rights. Give seats a\n",
            "    // `description`: the role briefing their player reads.\n",
            "    actors: [\n",
        ));
        for a in &self.actors {
            let _ = write!(
                out,
                "        (id: {}, name: {}, kind: Other",
                ron_string(&a.id),
                ron_string(&a.name)
            );
            if a.seat {
                out.push_str(", seat: true");
            }
            out.push_str("), // TODO: set the kind");
            if a.name_is_id {
                out.push_str(" and the display name");
            }
            out.push('\n');
        }
        out.push_str("    ],\n");
    }

    fn inject(&self, out: &mut String, i: usize, row: &InjectRow, manual: bool) {
        let field = "            ";
        if row.sequence.is_empty() {
            let _ = writeln!(out, "        // Sheet row {}", row.row);
        } else {
            let _ = writeln!(
                out,
                "        // Sheet row {}, sequence {}",
                row.row,
                one_line(&row.sequence)
            );
        }
        out.push_str("        (\n");
        let _ = writeln!(out, "{field}id: {},", ron_string(&self.inject_ids[i]));
        match &row.timing {
            Timing::At(m) => {
                let _ = writeln!(out, "{field}at: {},", ron_string(&format_offset(*m)));
            }
            Timing::Manual => {
                let _ = writeln!(out, "{field}manual: true,");
            }
            Timing::When { condition, delay } if manual => {
                let _ = writeln!(
                    out,
                    "{field}// TODO: the sheet's time is a condition on something this skeleton does not define yet"
                );
                let _ = writeln!(
                    out,
                    "{field}// (a decision, variable or incident). Define it, then replace `manual: true` with:"
                );
                let _ = writeln!(out, "{field}//     when: {},", ron_string(condition));
                if let Some(d) = delay {
                    let _ = writeln!(
                        out,
                        "{field}//     delay: {},",
                        ron_string(&compact_duration(*d))
                    );
                }
                let _ = writeln!(out, "{field}manual: true,");
            }
            Timing::When { condition, delay } => {
                let _ = writeln!(out, "{field}when: {},", ron_string(condition));
                if let Some(d) = delay {
                    let _ = writeln!(out, "{field}delay: {},", ron_string(&compact_duration(*d)));
                }
            }
        }
        let _ = writeln!(
            out,
            "{field}from: {},",
            ron_string(self.actor_id(&row.from))
        );
        let to: Vec<String> = row
            .to
            .iter()
            .map(|t| ron_string(self.actor_id(t)))
            .collect();
        let _ = writeln!(out, "{field}to: [{}],", to.join(", "));
        let _ = writeln!(out, "{field}channel: {},", channel_name(row.channel));
        let _ = writeln!(out, "{field}tlp: {},", tlp_name(row.tlp));
        let _ = write!(out, "{field}subject: {},", ron_string(&row.subject));
        if row.subject_from_text {
            out.push_str(" // TODO: the first line of the text; write a short subject");
        }
        out.push('\n');
        if !row.text.is_empty() {
            let _ = writeln!(out, "{field}body: {},", ron_string(&row.text));
        }
        list(
            out,
            "expected",
            &row.expected
                .iter()
                .map(|e| ron_string(e))
                .collect::<Vec<_>>(),
        );
        let objectives: Vec<String> = row
            .objectives
            .iter()
            .map(|o| ron_string(self.objective_id(o)))
            .collect();
        list(out, "objectives", &objectives);
        if !row.notes.is_empty() {
            let _ = writeln!(out, "{field}notes: {},", ron_string(&row.notes));
        }
        out.push_str("        ),\n");
    }
}

/// `name: [a, b],` on one line when short, one item a line otherwise; nothing when empty.
fn list(out: &mut String, name: &str, items: &[String]) {
    let field = "            ";
    if items.is_empty() {
        return;
    }
    let one = items.join(", ");
    if items.len() == 1 || (one.len() < 80 && !one.contains('\n')) {
        let _ = writeln!(out, "{field}{name}: [{one}],");
    } else {
        let _ = writeln!(out, "{field}{name}: [");
        for item in items {
            let _ = writeln!(out, "{field}    {item},");
        }
        let _ = writeln!(out, "{field}],");
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// A RON string literal: `"text"` when that needs no escape, else a raw string `r#"..."#` with as many
/// `#` as it takes, which keeps quotes and line breaks exactly as they are.
#[must_use]
pub(super) fn ron_string(text: &str) -> String {
    if !text.contains(['"', '\\']) && !text.chars().any(char::is_control) {
        return format!("\"{text}\"");
    }
    let hashes = text
        .match_indices('"')
        .map(|(i, _)| text[i + 1..].bytes().take_while(|b| *b == b'#').count() + 1)
        .max()
        .unwrap_or(1);
    let h = "#".repeat(hashes);
    format!("r{h}\"{text}\"{h}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ron_strings_keep_every_character() {
        for text in [
            "plain",
            "Κέντρο Επιχειρήσεων",
            "say \"now\"",
            "back\\slash",
            "two\nlines",
            "tab\there",
            "ends with \"#",
            "a \"## b",
        ] {
            let literal = ron_string(text);
            let back: String = ron::from_str(&literal).expect("valid RON");
            assert_eq!(back, text, "{literal}");
        }
        assert_eq!(ron_string("plain"), "\"plain\"");
        assert_eq!(ron_string("a \"## b"), "r###\"a \"## b\"###");
    }
}
