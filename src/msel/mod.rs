//! HSEEP MSEL spreadsheets: a scenario's injects exported as a Master Scenario Events List (CSV), and a
//! planner's spreadsheet MSEL imported as a scenario skeleton that `tabletop check` accepts.
//!
//! The columns are the HSEEP ones ([`COLUMNS`]): sequence, scenario time, delivery channel, from, to,
//! TLP, subject, inject text, expected action, objective, notes, and a trailing `id` so that a re-import
//! keeps the inject ids. `docs/msel.md` is the planner's reference; keep it in step with this module.
//!
//! - [`export`] writes one row per inject in scenario order, UTF-8 with a byte-order mark (so Excel reads
//!   Greek and Cyrillic correctly), CRLF row ends, multi-line cells quoted.
//! - [`import`] reads what spreadsheet programs save (any column order, common header spellings, `,`
//!   `;` or tab, BOM, UTF-16, quoted multi-line cells) and either returns a complete scenario skeleton
//!   or every problem, each with its spreadsheet row and column. It never drops a row: a row that cannot
//!   be read is an error, and one error means no skeleton.

mod export;
mod import;
mod skeleton;
pub mod values;

use std::fmt;

pub use crate::scenario::Level;
pub use export::export;
pub use import::{Imported, Skeleton, import};

/// One MSEL column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Column {
    Sequence,
    Time,
    Channel,
    From,
    To,
    Tlp,
    Subject,
    Text,
    Expected,
    Objective,
    Notes,
    Id,
}

/// The columns in the order the export writes them.
pub const COLUMNS: [Column; 12] = [
    Column::Sequence,
    Column::Time,
    Column::Channel,
    Column::From,
    Column::To,
    Column::Tlp,
    Column::Subject,
    Column::Text,
    Column::Expected,
    Column::Objective,
    Column::Notes,
    Column::Id,
];

impl Column {
    /// The header the export writes.
    #[must_use]
    pub fn header(self) -> &'static str {
        match self {
            Self::Sequence => "Sequence",
            Self::Time => "Scenario time",
            Self::Channel => "Delivery channel",
            Self::From => "From",
            Self::To => "To",
            Self::Tlp => "TLP",
            Self::Subject => "Subject",
            Self::Text => "Inject text",
            Self::Expected => "Expected action",
            Self::Objective => "Objective",
            Self::Notes => "Notes",
            Self::Id => "id",
        }
    }

    /// Other headers the import understands, compared by [`values::key`] (lowercase letters, digits and
    /// `#` only), so `Delivery Method`, `delivery_method` and `DELIVERY-METHOD:` are all one header.
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Self::Sequence => &[
                "sequence",
                "#",
                "seq",
                "seq#",
                "seqno",
                "sequenceno",
                "sequencenumber",
                "sequence#",
                "no",
                "nr",
                "number",
                "inject#",
                "injectno",
                "injectnumber",
                "event#",
                "eventno",
                "eventnumber",
                "msel#",
                "mselno",
                "item",
            ],
            Self::Time => &[
                "scenariotime",
                "time",
                "exercisetime",
                "injecttime",
                "deliverytime",
                "timing",
                "simulationtime",
                "simtime",
                "scenariotimet",
                "timet",
                "offset",
            ],
            Self::Channel => &[
                "deliverychannel",
                "channel",
                "method",
                "deliverymethod",
                "mode",
                "deliverymode",
                "modeofdelivery",
                "means",
                "medium",
            ],
            Self::From => &[
                "from",
                "sender",
                "source",
                "originator",
                "simulatedsender",
                "fromsender",
            ],
            Self::To => &[
                "to",
                "intendedplayer",
                "intendedplayers",
                "recipient",
                "recipients",
                "player",
                "players",
                "playerrecipient",
                "playerrecipients",
                "addressee",
                "addressees",
                "tointendedplayer",
                "tointendedplayers",
            ],
            Self::Tlp => &["tlp", "tlplabel", "trafficlightprotocol", "classification"],
            Self::Subject => &["subject", "title", "injecttitle", "headline", "eventtitle"],
            Self::Text => &[
                "injecttext",
                "text",
                "description",
                "injectdescription",
                "eventdescription",
                "body",
                "message",
                "content",
                "inject",
                "details",
                "injectcontent",
            ],
            Self::Expected => &[
                "expectedaction",
                "expectedactions",
                "expectedplayeraction",
                "expectedplayeractions",
                "expectedresponse",
                "expectedplayerresponse",
                "expectedoutcome",
                "expectedoutcomes",
            ],
            Self::Objective => &[
                "objective",
                "objectives",
                "capability",
                "capabilities",
                "corecapability",
                "objectivecapability",
                "objectivecapabilityaddressed",
                "objectiveaddressed",
                "capabilityaddressed",
                "objectivesaddressed",
                "objectivesandcapabilities",
            ],
            Self::Notes => &[
                "notes",
                "note",
                "controllernotes",
                "controllernote",
                "facilitatornotes",
                "remarks",
                "comments",
                "controllerremarks",
            ],
            Self::Id => &["id", "injectid"],
        }
    }

    /// The column a header names, if any.
    #[must_use]
    pub fn from_header(header: &str) -> Option<Self> {
        let key = values::key(header);
        COLUMNS
            .into_iter()
            .find(|c| c.aliases().contains(&key.as_str()))
    }
}

/// A column of the planner's sheet: its position and the header as they wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetColumn {
    /// 0-based.
    pub index: usize,
    pub header: String,
}

impl SheetColumn {
    /// The spreadsheet letter: `A`, `B`, ... `Z`, `AA`, `AB`...
    #[must_use]
    pub fn letter(&self) -> String {
        column_letter(self.index)
    }
}

/// `0` → `A`, `25` → `Z`, `26` → `AA`.
#[must_use]
pub fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(b'A' + u8::try_from(rem).unwrap_or(0));
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// One problem of an imported sheet, at a spreadsheet row (the header row is row 1 when it is the
/// first) and column where it has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub level: Level,
    /// 1-based, as the spreadsheet numbers rows.
    pub row: Option<usize>,
    pub column: Option<SheetColumn>,
    pub message: String,
}

impl Problem {
    fn error(row: Option<usize>, column: Option<SheetColumn>, message: impl Into<String>) -> Self {
        Self {
            level: Level::Error,
            row,
            column,
            message: message.into(),
        }
    }

    fn warning(
        row: Option<usize>,
        column: Option<SheetColumn>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            level: Level::Warning,
            ..Self::error(row, column, message)
        }
    }
}

/// `row 7, column C (Delivery channel): "Carrier pigeon" is not a channel; ...`
impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.row, &self.column) {
            (Some(row), Some(col)) if col.header.trim().is_empty() => {
                write!(f, "row {row}, column {}: ", col.letter())?;
            }
            (Some(row), Some(col)) => {
                write!(
                    f,
                    "row {row}, column {} ({}): ",
                    col.letter(),
                    col.header.trim()
                )?;
            }
            (Some(row), None) => write!(f, "row {row}: ")?,
            (None, Some(col)) => write!(f, "column {} ({}): ", col.letter(), col.header.trim())?,
            (None, None) => {}
        }
        f.write_str(&self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(2), "C");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }

    #[test]
    fn headers_in_planners_spellings() {
        for (header, column) in [
            ("Sequence", Column::Sequence),
            ("#", Column::Sequence),
            ("Scenario time", Column::Time),
            ("TIME", Column::Time),
            ("Delivery channel", Column::Channel),
            ("Delivery Method", Column::Channel),
            ("Method", Column::Channel),
            ("To", Column::To),
            ("Intended player", Column::To),
            ("Inject text", Column::Text),
            ("Description", Column::Text),
            ("Expected player action", Column::Expected),
            ("Objective / capability addressed", Column::Objective),
            ("Controller notes", Column::Notes),
            ("id", Column::Id),
        ] {
            assert_eq!(Column::from_header(header), Some(column), "{header}");
        }
        assert_eq!(Column::from_header("Status"), None);
        for c in COLUMNS {
            assert_eq!(
                Column::from_header(c.header()),
                Some(c),
                "the export's own header"
            );
        }
    }

    #[test]
    fn problems_read_like_the_spreadsheet() {
        let p = Problem::error(
            Some(7),
            Some(SheetColumn {
                index: 2,
                header: "Delivery channel".into(),
            }),
            "\"Carrier pigeon\" is not a channel",
        );
        assert_eq!(
            p.to_string(),
            "row 7, column C (Delivery channel): \"Carrier pigeon\" is not a channel"
        );
    }
}
