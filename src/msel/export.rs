//! Writing a checked scenario's injects as an MSEL: one CSV row per inject, in scenario order.

use crate::scenario::time::format_offset;
use crate::scenario::{Scenario, Trigger};

use super::values::{channel_name, compact_duration, tlp_name};
use super::{COLUMNS, Column};

/// The UTF-8 byte-order mark: without it Excel reads a CSV in the machine's legacy code page, and Greek
/// or Cyrillic text comes out as mojibake.
const BOM: &str = "\u{feff}";

/// The scenario's MSEL as CSV bytes: UTF-8 with a byte-order mark, the header row, then one row per
/// inject in scenario order, rows ending in CRLF, cells quoted where they hold the delimiter, a quote or
/// a line break. `delimiter` is `b','` (the standard) or `b';'` (what Excel expects where the decimal
/// separator is a comma, as in most of continental Europe), or `b'\t'`.
///
/// - *Scenario time*: `T+HH:MM` for a timed inject, `when: CONDITION (+DELAY)` for a conditional one
///   (the `(+DELAY)` only when there is one), `manual` for one the facilitator fires.
/// - *Delivery channel* and *TLP*: the names written in RON (`VideoCall`, `AmberStrict`).
/// - *From* and *To*: actors' display names; several recipients (and objectives) are joined with `; `.
/// - *Expected action*: one expected action per line of the cell.
/// - *Objective*: the objectives' titles.
/// - A cell that would start with `=`, `+`, `-` or `@` gets a leading `'`, so that a spreadsheet shows
///   it as text instead of running it as a formula; the import takes the `'` off again.
#[must_use]
pub fn export(scenario: &Scenario, delimiter: u8) -> Vec<u8> {
    let file = &scenario.file;
    let actor = |id: &str| {
        scenario
            .actor_index(id)
            .map_or(id, |i| file.actors[i].name.as_str())
            .to_owned()
    };
    let objective = |id: &str| {
        scenario
            .objective_index(id)
            .map_or(id, |i| file.objectives[i].title.as_str())
            .to_owned()
    };
    let mut writer = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .terminator(csv::Terminator::CRLF)
        .from_writer(BOM.as_bytes().to_vec());
    let mut write = |cells: Vec<String>| {
        writer
            .write_record(cells.iter().map(|c| guard(c).into_owned()))
            .expect("writing CSV to memory cannot fail");
    };
    write(COLUMNS.iter().map(|c| c.header().to_owned()).collect());
    for (i, (inject, trigger)) in file.injects.iter().zip(&scenario.triggers).enumerate() {
        let time = match trigger {
            Trigger::At(minutes) => format_offset(*minutes),
            Trigger::When { delay, .. } => {
                let condition = inject.when.as_deref().unwrap_or_default();
                let condition = condition.split_whitespace().collect::<Vec<_>>().join(" ");
                if *delay == 0 {
                    format!("when: {condition}")
                } else {
                    format!("when: {condition} (+{})", compact_duration(*delay))
                }
            }
            Trigger::Manual => "manual".to_owned(),
        };
        let row = COLUMNS.map(|column| match column {
            Column::Sequence => (i + 1).to_string(),
            Column::Time => time.clone(),
            Column::Channel => channel_name(inject.channel),
            Column::From => actor(&inject.from),
            Column::To => inject
                .to
                .iter()
                .map(|t| actor(t))
                .collect::<Vec<_>>()
                .join("; "),
            Column::Tlp => tlp_name(inject.tlp),
            Column::Subject => inject.subject.clone(),
            Column::Text => inject.body.clone(),
            Column::Expected => inject.expected.join("\n"),
            Column::Objective => inject
                .objectives
                .iter()
                .map(|o| objective(o))
                .collect::<Vec<_>>()
                .join("; "),
            Column::Notes => inject.notes.clone(),
            Column::Id => inject.id.clone(),
        });
        write(row.into());
    }
    writer
        .into_inner()
        .map_err(|e| e.to_string())
        .expect("flushing CSV to memory cannot fail")
}

/// Spreadsheets read a cell starting with one of these as a formula.
const FORMULA_STARTS: [char; 4] = ['=', '+', '-', '@'];

/// Whether a cell gets a leading `'` (a would-be formula, or a cell that itself starts with the `'` of
/// one), so that [`unguard`] gives back exactly the text the scenario holds.
fn needs_guard(cell: &str) -> bool {
    cell.starts_with(FORMULA_STARTS)
        || cell
            .strip_prefix('\'')
            .is_some_and(|rest| rest.starts_with(FORMULA_STARTS) || rest.starts_with('\''))
}

/// `'` before a cell a spreadsheet would take for a formula (CSV injection).
fn guard(cell: &str) -> std::borrow::Cow<'_, str> {
    if needs_guard(cell) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// Takes off the `'` that [`guard`] (or a planner) put before a would-be formula.
pub(super) fn unguard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_STARTS) || rest.starts_with('\'') => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guarded_cells_come_back_unchanged() {
        for cell in [
            "=1+1",
            "- a list",
            "+32 2 555",
            "@here",
            "'=x",
            "''x",
            "'quoted'",
            "plain",
            "",
            "'",
        ] {
            assert_eq!(unguard(&guard(cell)), cell, "{cell:?}");
        }
        assert_eq!(guard("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(guard("T+00:30"), "T+00:30");
    }
}
