//! Reads a scenario's RON text into [`ScenarioFile`], section by section and list element by list element,
//! so that a typo in one inject does not hide the problems of the next one.
//!
//! `spans::index` finds the extent of every section and element; `ron` deserializes each slice. Positions
//! in ron's errors are relative to the slice and are moved back to the whole file here.

use std::collections::BTreeSet;
use std::ops::Range;

use ron::extensions::Extensions;
use serde::de::DeserializeOwned;

use super::diagnostic::{Diagnostic, LineCol, offset_of};
use super::model::{FORMAT_VERSION, ScenarioFile, variables_from_map};
use super::spans::{self, Node, NodeKind};
use super::suggest;

/// Where each parsed list element came from: `injects[i]` of the file is element `injects[i]` of the text.
#[derive(Debug, Clone, Default)]
pub struct Origins {
    pub objectives: Vec<usize>,
    pub actors: Vec<usize>,
    pub incidents: Vec<usize>,
    pub injects: Vec<usize>,
    pub decisions: Vec<usize>,
}

/// The result of reading: whatever could be read, its structure, and the problems found.
pub struct Parsed {
    pub file: ScenarioFile,
    pub tree: Node,
    pub origins: Origins,
    /// Ids of elements that failed to parse: references to them are not reported again as unknown.
    pub broken_ids: BTreeSet<String>,
    /// Sections present in the text (required ones missing were reported).
    pub present: BTreeSet<&'static str>,
}

/// Every top-level field, in the order the reference documents them.
pub const SECTIONS: [&str; 21] = [
    "format",
    "id",
    "title",
    "version",
    "authors",
    "language",
    "tlp",
    "briefing",
    "start",
    "duration",
    "member_states",
    "presidency",
    "reserve_capacity",
    "isaa",
    "objectives",
    "actors",
    "variables",
    "incidents",
    "injects",
    "decisions",
    "council",
];

const REQUIRED: [(&str, &str); 9] = [
    ("format", "format: 1,"),
    ("id", "id: \"my-exercise\","),
    ("title", "title: \"...\","),
    ("start", "start: \"2026-03-10T08:00:00+01:00\","),
    ("duration", "duration: \"48h\","),
    ("member_states", "member_states: [\"DE\", \"FR\"],"),
    ("presidency", "presidency: \"DE\","),
    ("actors", "actors: [ ... ],"),
    ("injects", "injects: [ ... ],"),
];

/// The ron options every scenario is read with: optional values and newtypes are written plainly.
#[must_use]
pub fn ron_options() -> ron::Options {
    ron::Options::default().with_default_extension(
        Extensions::IMPLICIT_SOME
            | Extensions::UNWRAP_NEWTYPES
            | Extensions::UNWRAP_VARIANT_NEWTYPES,
    )
}

/// Reads the text. Returns `None` when not even the structure could be read (the diagnostics say why).
pub fn parse(text: &str, diagnostics: &mut Vec<Diagnostic>) -> Option<Parsed> {
    if text.trim().is_empty() {
        diagnostics.push(Diagnostic::error(0..0, "the file is empty").with_hint(
            "a scenario is one `Scenario( format: 1, ... )`; see docs/scenario-format.md",
        ));
        return None;
    }
    let tree = match spans::index(text) {
        Ok(tree) => tree,
        Err(structural) => {
            // The structural scan explains bracket, string and comment errors better than ron,
            // which only sees the first token it cannot use.
            diagnostics.push(structural);
            return None;
        }
    };
    let root_ok = match (&tree.kind, tree.name_span()) {
        (NodeKind::Group { open: b'(', .. }, None) => true,
        (NodeKind::Group { open: b'(', .. }, Some(name)) if &text[name.clone()] == "Scenario" => {
            true
        }
        _ => false,
    };
    if !root_ok {
        let span = tree.span.start..tree.span.start + 1;
        diagnostics.push(
            Diagnostic::error(span, "a scenario file is one `Scenario( ... )`").with_hint(
                "start the file with `Scenario(` and end it with `)`; see docs/scenario-format.md",
            ),
        );
        return None;
    }
    let mut parsed = Parsed {
        file: ScenarioFile {
            version: "1".into(),
            language: "en".into(),
            ..ScenarioFile::default()
        },
        tree: tree.clone(),
        origins: Origins::default(),
        broken_ids: BTreeSet::new(),
        present: BTreeSet::new(),
    };
    let mut misspelt = BTreeSet::new();
    for entry in tree.entries() {
        let Some(key) = &entry.key else {
            diagnostics.push(
                Diagnostic::error(entry.value.span.clone(), "expected `name: value`")
                    .with_hint("every top-level entry is a named field, such as `title: \"...\"`"),
            );
            continue;
        };
        let Some(section) = SECTIONS.iter().find(|s| **s == key.name) else {
            let mut d =
                Diagnostic::error(key.span.clone(), format!("unknown field `{}`", key.name));
            d.hint = Some(match suggest(&key.name, SECTIONS.iter().copied()) {
                Some(s) => {
                    misspelt.insert(s);
                    format!("did you mean `{s}`?")
                }
                None => format!("top-level fields are: {}", SECTIONS.join(", ")),
            });
            diagnostics.push(d);
            continue;
        };
        if !parsed.present.insert(section) {
            diagnostics.push(
                Diagnostic::error(key.span.clone(), format!("`{section}` is given twice"))
                    .with_hint("keep one of them"),
            );
            continue;
        }
        read_section(text, section, &entry.value, &mut parsed, diagnostics);
    }
    let root_span = tree
        .name_span()
        .unwrap_or(tree.span.start..tree.span.start + 1);
    // A misspelt field already reported as unknown is not reported again as missing.
    let missing: Vec<(&str, &str)> = REQUIRED
        .into_iter()
        .filter(|(section, _)| !parsed.present.contains(section) && !misspelt.contains(section))
        .collect();
    if !missing.is_empty() {
        let names: Vec<String> = missing.iter().map(|(s, _)| format!("`{s}`")).collect();
        let examples: Vec<&str> = missing.iter().map(|(_, e)| *e).collect();
        let noun = if missing.len() == 1 {
            "field"
        } else {
            "fields"
        };
        diagnostics.push(
            Diagnostic::error(
                root_span,
                format!("missing required {noun} {}", names.join(", ")),
            )
            .with_hint(format!("add {}", examples.join(" "))),
        );
    }
    Some(parsed)
}

fn read_section(
    text: &str,
    section: &'static str,
    value: &Node,
    parsed: &mut Parsed,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let file = &mut parsed.file;
    let span = value.span.clone();
    macro_rules! scalar {
        ($field:expr) => {
            if let Some(v) = read(text, span, diagnostics) {
                $field = v;
            }
        };
    }
    match section {
        "format" => {
            if let Some(version) = read::<u32>(text, span.clone(), diagnostics) {
                file.format = version;
                if version != FORMAT_VERSION {
                    diagnostics.push(
                        Diagnostic::error(
                            span,
                            format!("format {version} is not one this program reads"),
                        )
                        .with_hint(format!("this build reads `format: {FORMAT_VERSION}`")),
                    );
                }
            }
        }
        "id" => scalar!(file.id),
        "title" => scalar!(file.title),
        "version" => scalar!(file.version),
        "authors" => scalar!(file.authors),
        "language" => scalar!(file.language),
        "tlp" => scalar!(file.tlp),
        "briefing" => scalar!(file.briefing),
        "start" => scalar!(file.start),
        "duration" => scalar!(file.duration),
        "member_states" => scalar!(file.member_states),
        "presidency" => scalar!(file.presidency),
        "council" => scalar!(file.council),
        "isaa" => {
            if let Some(v) = read(text, span.clone(), diagnostics) {
                file.isaa = Some(v);
            }
        }
        "reserve_capacity" => {
            if let Some(v) = read::<u32>(text, span, diagnostics) {
                file.reserve_capacity = Some(v);
            }
        }
        "variables" => {
            let slice = &text[span.clone()];
            let result = ron_options().from_str_seed(slice, VariablesSeed);
            match result {
                Ok(vars) => file.variables = vars,
                Err(e) => diagnostics.push(from_ron_error(text, span.start, &e)),
            }
        }
        "objectives" => {
            parsed.origins.objectives = read_list(
                text,
                value,
                &mut file.objectives,
                &mut parsed.broken_ids,
                diagnostics,
            );
        }
        "actors" => {
            parsed.origins.actors = read_list(
                text,
                value,
                &mut file.actors,
                &mut parsed.broken_ids,
                diagnostics,
            );
        }
        "incidents" => {
            parsed.origins.incidents = read_list(
                text,
                value,
                &mut file.incidents,
                &mut parsed.broken_ids,
                diagnostics,
            );
        }
        "injects" => {
            parsed.origins.injects = read_list(
                text,
                value,
                &mut file.injects,
                &mut parsed.broken_ids,
                diagnostics,
            );
        }
        "decisions" => {
            parsed.origins.decisions = read_list(
                text,
                value,
                &mut file.decisions,
                &mut parsed.broken_ids,
                diagnostics,
            );
        }
        _ => {}
    }
}

/// `variables` is a map read into an ordered list; a seed lets ron drive our visitor.
struct VariablesSeed;

impl<'de> serde::de::DeserializeSeed<'de> for VariablesSeed {
    type Value = Vec<super::model::Variable>;
    fn deserialize<D: serde::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        variables_from_map(deserializer)
    }
}

fn read<T: DeserializeOwned>(
    text: &str,
    span: Range<usize>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<T> {
    match ron_options().from_str::<T>(&text[span.clone()]) {
        Ok(v) => Some(v),
        Err(e) => {
            diagnostics.push(from_ron_error(text, span.start, &e));
            None
        }
    }
}

/// Reads each element of a list on its own; returns the text index of each element that was read.
fn read_list<T: DeserializeOwned>(
    text: &str,
    list: &Node,
    out: &mut Vec<T>,
    broken_ids: &mut BTreeSet<String>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<usize> {
    if !matches!(list.kind, NodeKind::Group { open: b'[', .. }) {
        diagnostics.push(
            Diagnostic::error(list.span.clone(), "expected a list `[ ... ]`")
                .with_hint("write the entries inside square brackets, separated by commas"),
        );
        return Vec::new();
    }
    let mut origins = Vec::new();
    for (i, entry) in list.entries().iter().enumerate() {
        if let Some(v) = read::<T>(text, entry.value.span.clone(), diagnostics) {
            out.push(v);
            origins.push(i);
        } else if let Some(id) = entry.value.field("id") {
            broken_ids.insert(text[id.span.clone()].trim_matches('"').to_owned());
        }
    }
    origins
}

/// Turns ron's error into ours, at the right place in the whole file, in plain English.
#[must_use]
pub fn from_ron_error(text: &str, base: usize, error: &ron::error::SpannedError) -> Diagnostic {
    let slice = &text[base.min(text.len())..];
    let start = base
        + offset_of(
            slice,
            LineCol {
                line: error.span.start.line,
                col: error.span.start.col,
            },
        );
    let end = (base
        + offset_of(
            slice,
            LineCol {
                line: error.span.end.line,
                col: error.span.end.col,
            },
        ))
    .max(start);
    let span = start..end.max(start + 1).min(text.len().max(start));
    let (message, hint) = explain(&error.code);
    let mut d = Diagnostic::error(span, message);
    d.hint = hint;
    d
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_lowercase().chain(chars).collect())
}

fn explain(code: &ron::Error) -> (String, Option<String>) {
    use ron::Error as E;
    let place = |outer: &Option<String>| {
        outer
            .as_ref()
            .map_or(String::new(), |o| format!(" in `{o}`"))
    };
    match code {
        E::NoSuchStructField {
            expected,
            found,
            outer,
        } => (
            format!("unknown field `{found}`{}", place(outer)),
            Some(match suggest(found, expected.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("fields here are: {}", expected.join(", ")),
            }),
        ),
        E::MissingStructField { field, outer } => (
            format!("missing required field `{field}`{}", place(outer)),
            Some(format!("add `{field}: ...` here")),
        ),
        E::DuplicateStructField { field, outer } => (
            format!("field `{field}` is given twice{}", place(outer)),
            Some("keep one of them".into()),
        ),
        E::NoSuchEnumVariant {
            expected,
            found,
            outer,
        } => (
            format!("unknown value `{found}`{}", place(outer)),
            Some(match suggest(found, expected.iter().copied()) {
                Some(s) => format!("did you mean `{s}`? (allowed: {})", expected.join(", ")),
                None => format!("allowed values: {}", expected.join(", ")),
            }),
        ),
        E::ExpectedString => (
            "expected a text in double quotes".into(),
            Some("write it as \"...\" (or r#\"...\"# for long Markdown)".into()),
        ),
        E::ExpectedComma => (
            "expected `,`".into(),
            Some("separate entries with commas".into()),
        ),
        E::ExpectedArray => ("expected a list `[ ... ]`".into(), None),
        E::ExceededRecursionLimit => (
            "nesting is too deep".into(),
            Some("a scenario never needs this much nesting; check for runaway brackets".into()),
        ),
        E::ExpectedInteger => ("expected a whole number".into(), None),
        E::ExpectedBoolean => ("expected `true` or `false`".into(), None),
        E::ExpectedFloat => (
            "expected a number".into(),
            Some("write it like 0.25".into()),
        ),
        E::ExpectedStructLike | E::ExpectedNamedStructLike(_) => (
            "expected `( ... )`".into(),
            Some("this value is a group of named fields in parentheses".into()),
        ),
        E::InvalidValueForType { expected, found } => {
            (format!("expected {expected}, found {found}"), None)
        }
        E::SuggestRawIdentifier(name) | E::InvalidIdentifier(name) => (
            format!("`{name}` is not a valid name here"),
            Some("names are letters and digits only: TLP labels are Red, AmberStrict, Amber, Green, Clear".into()),
        ),
        E::Message(m) => (lower_first(m), None),
        other => (lower_first(&other.to_string()), None),
    }
}
