//! Reading a planner's MSEL sheet (CSV as spreadsheet programs save it) into rows, reporting every
//! problem at its spreadsheet row and column, then handing the rows to [`skeleton`](super::skeleton).

use std::collections::BTreeMap;

use crate::domain::{Channel, Tlp};
use crate::scenario::MAX_FILE_BYTES;

use super::export::unguard;
use super::skeleton;
use super::values::{self, Timing};
use super::{Column, Level, Problem, SheetColumn};

/// A scenario skeleton made from a sheet: RON text that passes `tabletop check`, with `TODO` comments
/// where the planner has to fill in what a spreadsheet cannot say.
#[derive(Debug, Clone)]
pub struct Skeleton {
    pub ron: String,
    pub injects: usize,
    pub actors: usize,
    pub seats: usize,
    pub objectives: usize,
    /// `when:` injects whose condition names things the skeleton does not define (decisions, variables,
    /// incidents): made manual, the condition kept in a comment.
    pub conditions_made_manual: usize,
    /// How many `TODO` comments the planner has to work through.
    pub todos: usize,
}

/// The outcome of importing a sheet.
#[derive(Debug, Clone)]
pub struct Imported {
    /// Present when no problem is an error.
    pub skeleton: Option<Skeleton>,
    /// Errors and warnings, in sheet order.
    pub problems: Vec<Problem>,
}

impl Imported {
    #[must_use]
    pub fn errors(&self) -> usize {
        self.problems
            .iter()
            .filter(|p| p.level == Level::Error)
            .count()
    }

    #[must_use]
    pub fn warnings(&self) -> usize {
        self.problems
            .iter()
            .filter(|p| p.level == Level::Warning)
            .count()
    }
}

/// One inject row, read and checked.
#[derive(Debug, Clone)]
pub(super) struct InjectRow {
    /// Spreadsheet row number.
    pub row: usize,
    pub sequence: String,
    pub id: Option<String>,
    pub timing: Timing,
    pub channel: Channel,
    /// The sender's name (or id) as written.
    pub from: String,
    pub to: Vec<String>,
    pub tlp: Tlp,
    pub subject: String,
    /// The subject cell was empty: `subject` is the first line of the text.
    pub subject_from_text: bool,
    pub text: String,
    pub expected: Vec<String>,
    pub objectives: Vec<String>,
    pub notes: String,
}

/// What the sheet leaves to defaults, for the skeleton's comments.
#[derive(Debug, Clone, Default)]
pub(super) struct Defaults {
    /// No "From" column: every inject comes from "Exercise control".
    pub no_from: bool,
    /// No "Delivery channel" column: every inject is an `Email`.
    pub no_channel: bool,
}

/// The sender when the sheet has no "From" column.
pub(super) const EXERCISE_CONTROL: &str = "Exercise control";

/// How far down the header row may be (title rows above it are common).
const HEADER_SEARCH_ROWS: usize = 10;

/// Reads a sheet and, when no row is bad, makes the scenario skeleton. `source` is the file name, for
/// the skeleton's comments, title and id.
#[must_use]
pub fn import(bytes: &[u8], source: &str) -> Imported {
    let mut problems = Vec::new();
    let rows = read(bytes, &mut problems);
    let has_errors = problems.iter().any(|p| p.level == Level::Error);
    let skeleton = match rows {
        Some((rows, defaults)) if !has_errors => {
            skeleton::make(&rows, &defaults, source, &mut problems)
        }
        _ => None,
    };
    let skeleton = skeleton.filter(|_| !problems.iter().any(|p| p.level == Level::Error));
    Imported { skeleton, problems }
}

/// The sheet's inject rows, or `None` when it cannot be read at all.
fn read(bytes: &[u8], problems: &mut Vec<Problem>) -> Option<(Vec<InjectRow>, Defaults)> {
    if bytes.len() > MAX_FILE_BYTES {
        problems.push(Problem::error(
            None,
            None,
            format!(
                "the file is {} MB; an MSEL is limited to {} MB",
                bytes.len() / (1024 * 1024),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        ));
        return None;
    }
    let text = match decode(bytes) {
        Ok(text) => text,
        Err(message) => {
            problems.push(Problem::error(None, None, message));
            return None;
        }
    };
    // One line-break convention inside and between cells: LF. (A lone CR is an old Mac row end.)
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let (delimiter, text) = sniff(&text);
    let records = records(text, delimiter, problems)?;
    let Some(header_at) = header(&records) else {
        problems.push(Problem::error(
            None,
            None,
            format!(
                "found no MSEL header row in the first {HEADER_SEARCH_ROWS} rows; the sheet needs a row naming its columns, with at least {}, {} and {} (see docs/msel.md)",
                Column::Time.header(),
                Column::To.header(),
                Column::Text.header()
            ),
        ));
        return None;
    };
    for record in &records[..header_at] {
        if !record.blank() {
            problems.push(Problem::warning(
                Some(record.row),
                None,
                format!(
                    "above the header row (row {}): not read as an inject",
                    records[header_at].row
                ),
            ));
        }
    }
    let sheet = Sheet::new(&records[header_at], problems)?;
    let mut rows = Vec::new();
    let mut ids: BTreeMap<String, usize> = BTreeMap::new();
    let mut unread_columns = BTreeMap::new();
    for record in &records[header_at + 1..] {
        if record.blank() {
            continue;
        }
        for (index, cell) in record.cells.iter().enumerate() {
            if sheet.columns.get(index).is_none_or(Option::is_none) && !cell.trim().is_empty() {
                unread_columns.entry(index).or_insert(record.row);
            }
        }
        if let Some(row) = sheet.row(record, &mut ids, problems) {
            rows.push(row);
        }
    }
    comma_separated_recipients(&rows, &sheet, problems);
    for (index, first_row) in unread_columns {
        let column = sheet.sheet_column(index);
        let message = if column.header.trim().is_empty() {
            format!("has values (row {first_row} first) but no header; they are not imported")
        } else {
            format!(
                "not an MSEL column, so its values (row {first_row} first) are not imported; rename the header if it is one (see docs/msel.md)"
            )
        };
        problems.push(Problem::warning(
            Some(sheet.header_row),
            Some(column),
            message,
        ));
    }
    if rows.is_empty() && !problems.iter().any(|p| p.level == Level::Error) {
        problems.push(Problem::error(
            Some(sheet.header_row),
            None,
            "the sheet has a header row but no inject below it",
        ));
    }
    Some((rows, sheet.defaults))
}

/// Text from the file's bytes: UTF-8 (with or without a byte-order mark) or UTF-16 with one (Excel's
/// "Unicode text").
fn decode(bytes: &[u8]) -> Result<String, String> {
    let utf16 = |big_endian: bool, body: &[u8]| {
        let units: Vec<u16> = body
            .chunks(2)
            .map(|pair| {
                let pair = [pair[0], pair.get(1).copied().unwrap_or(0)];
                if big_endian {
                    u16::from_be_bytes(pair)
                } else {
                    u16::from_le_bytes(pair)
                }
            })
            .collect();
        String::from_utf16(&units)
            .map_err(|_| "the file starts like UTF-16 text but is not".to_owned())
    };
    if let Some(body) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return std::str::from_utf8(body)
            .map(str::to_owned)
            .map_err(|e| not_utf8(body, &e));
    }
    if let Some(body) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(false, body);
    }
    if let Some(body) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(true, body);
    }
    std::str::from_utf8(bytes)
        .map(str::to_owned)
        .map_err(|e| not_utf8(bytes, &e))
}

fn not_utf8(bytes: &[u8], e: &std::str::Utf8Error) -> String {
    let valid = e.valid_up_to();
    let line = bytes[..valid].split(|b| *b == b'\n').count();
    if bytes.iter().take(512).filter(|b| **b == 0).count() > 0 {
        return "this is not a CSV text file (binary data; an .xlsx or .ods workbook must first be saved as CSV)".into();
    }
    format!(
        "the file is not UTF-8 text (first bad byte on line {line}); save it as \"CSV UTF-8\" in Excel, or with the character set \"Unicode (UTF-8)\" in LibreOffice"
    )
}

/// The delimiter (`sep=X` on the first line as Excel writes it, else the most frequent of `,` `;` and
/// tab outside quotes in the first rows) and the text to parse.
fn sniff(text: &str) -> (u8, &str) {
    if let Some(rest) = text
        .strip_prefix("sep=")
        .or_else(|| text.strip_prefix("SEP="))
        && let Some(d) = rest.bytes().next()
        && rest[1..].starts_with('\n')
    {
        return (d, &rest[2..]);
    }
    let mut counts = [0usize; 3];
    let candidates = [b',', b';', b'\t'];
    let mut in_quotes = false;
    let mut lines = 0;
    for b in text.bytes() {
        match b {
            b'"' => in_quotes = !in_quotes,
            b'\n' if !in_quotes => {
                lines += 1;
                if lines >= 20 {
                    break;
                }
            }
            _ if !in_quotes => {
                if let Some(i) = candidates.iter().position(|c| *c == b) {
                    counts[i] += 1;
                }
            }
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|i| (counts[*i], 3 - i)).unwrap_or(0);
    (candidates[best], text)
}

/// One CSV record at its spreadsheet row.
struct Record {
    row: usize,
    cells: Vec<String>,
}

impl Record {
    fn blank(&self) -> bool {
        self.cells.iter().all(|c| c.trim().is_empty())
    }
}

/// Every record with its spreadsheet row. The reader skips empty lines; the byte where a record's
/// search began shows how many it skipped, so rows stay numbered as the spreadsheet numbers them (a
/// multi-line cell is one row).
fn records(text: &str, delimiter: u8, problems: &mut Vec<Problem>) -> Option<Vec<Record>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut out: Vec<Record> = Vec::new();
    let mut previous_row = 0;
    for result in reader.records() {
        let record = match result {
            Ok(r) => r,
            Err(e) => {
                problems.push(Problem::error(
                    Some(previous_row + 1),
                    None,
                    format!("cannot read this row as CSV: {e}"),
                ));
                return None;
            }
        };
        let start = record
            .position()
            .map_or(0, |p| usize::try_from(p.byte()).unwrap_or(usize::MAX));
        let skipped = text
            .get(start..)
            .map_or(0, |rest| rest.bytes().take_while(|b| *b == b'\n').count());
        let row = previous_row + 1 + skipped;
        previous_row = row;
        out.push(Record {
            row,
            cells: record.iter().map(clean).collect(),
        });
    }
    Some(out)
}

/// A cell as the import reads it: without the `'` that keeps a spreadsheet from running it as a
/// formula, without control characters (a vertical tab, which some spreadsheets write for a line
/// break inside a cell, becomes one).
fn clean(cell: &str) -> String {
    unguard(cell)
        .chars()
        .filter_map(|c| match c {
            '\u{b}' => Some('\n'),
            '\n' | '\t' => Some(c),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

/// The first record among the first rows that names at least three MSEL columns (or, failing that,
/// the first that names any).
fn header(records: &[Record]) -> Option<usize> {
    let window = records.iter().take(HEADER_SEARCH_ROWS).enumerate();
    let named = |r: &Record| {
        r.cells
            .iter()
            .filter(|c| Column::from_header(c).is_some())
            .count()
    };
    window
        .clone()
        .find(|(_, r)| named(r) >= 3)
        .or_else(|| window.clone().find(|(_, r)| named(r) >= 1))
        .map(|(i, _)| i)
}

/// The header row, read: which column of the sheet is which MSEL column.
struct Sheet {
    header_row: usize,
    headers: Vec<String>,
    columns: Vec<Option<Column>>,
    by_column: BTreeMap<Column, usize>,
    defaults: Defaults,
}

impl Sheet {
    fn new(record: &Record, problems: &mut Vec<Problem>) -> Option<Self> {
        let mut sheet = Self {
            header_row: record.row,
            headers: record.cells.clone(),
            columns: Vec::new(),
            by_column: BTreeMap::new(),
            defaults: Defaults::default(),
        };
        let mut ok = true;
        for (index, header) in record.cells.iter().enumerate() {
            let column = Column::from_header(header);
            if let Some(c) = column {
                if let Some(first) = sheet.by_column.get(&c) {
                    problems.push(Problem::error(
                        Some(record.row),
                        Some(sheet.sheet_column(index)),
                        format!(
                            "a second {} column (column {} is one already); rename or delete one of them",
                            c.header(),
                            super::column_letter(*first)
                        ),
                    ));
                    ok = false;
                } else {
                    sheet.by_column.insert(c, index);
                }
            }
            sheet.columns.push(column);
        }
        let also = |c: Column| {
            let others: Vec<&str> = c.aliases().iter().skip(1).take(3).copied().collect();
            format!("\"{}\" (or {})", c.header(), others.join(", "))
        };
        for required in [Column::Time, Column::To] {
            if !sheet.by_column.contains_key(&required) {
                problems.push(Problem::error(
                    Some(record.row),
                    None,
                    format!(
                        "no {} column; every inject needs one: name a column {}",
                        required.header(),
                        also(required)
                    ),
                ));
                ok = false;
            }
        }
        if !sheet.by_column.contains_key(&Column::Subject)
            && !sheet.by_column.contains_key(&Column::Text)
        {
            problems.push(Problem::error(
                Some(record.row),
                None,
                format!(
                    "no {} or {} column: what does each inject say? Name a column {} or {}",
                    Column::Subject.header(),
                    Column::Text.header(),
                    also(Column::Subject),
                    also(Column::Text)
                ),
            ));
            ok = false;
        }
        if !sheet.by_column.contains_key(&Column::From) {
            sheet.defaults.no_from = true;
            problems.push(Problem::warning(
                Some(record.row),
                None,
                format!(
                    "no From column: every inject is sent by \"{EXERCISE_CONTROL}\"; add a From column (or edit the skeleton) to name the simulated senders"
                ),
            ));
        }
        if !sheet.by_column.contains_key(&Column::Channel) {
            sheet.defaults.no_channel = true;
            problems.push(Problem::warning(
                Some(record.row),
                None,
                "no Delivery channel column: every inject is an Email; add the column (or edit the skeleton) to say how each one arrives",
            ));
        }
        if !sheet.by_column.contains_key(&Column::Subject) {
            problems.push(Problem::warning(
                Some(record.row),
                None,
                "no Subject column: each inject's subject is the first line of its text",
            ));
        }
        ok.then_some(sheet)
    }

    fn sheet_column(&self, index: usize) -> SheetColumn {
        SheetColumn {
            index,
            header: self.headers.get(index).cloned().unwrap_or_default(),
        }
    }

    /// The cell of an MSEL column in a record: `None` when the sheet has no such column, `""` when the
    /// record is shorter than the header.
    fn cell<'r>(&self, record: &'r Record, column: Column) -> Option<&'r str> {
        let index = *self.by_column.get(&column)?;
        Some(record.cells.get(index).map_or("", String::as_str))
    }

    fn at(&self, column: Column) -> Option<SheetColumn> {
        self.by_column.get(&column).map(|i| self.sheet_column(*i))
    }

    /// Reads one inject row; `None` (with its problems reported) when a cell is bad.
    fn row(
        &self,
        record: &Record,
        ids: &mut BTreeMap<String, usize>,
        problems: &mut Vec<Problem>,
    ) -> Option<InjectRow> {
        let before = problems.len();
        let mut bad = |column: Column, message: String| {
            problems.push(Problem::error(Some(record.row), self.at(column), message));
        };
        let text = |column: Column| self.cell(record, column).unwrap_or_default();

        let timing = values::timing(text(Column::Time))
            .map_err(|e| bad(Column::Time, e))
            .ok();
        let channel = match self.cell(record, Column::Channel) {
            None => Some(Channel::Email),
            Some(cell) => values::channel(cell)
                .map_err(|e| bad(Column::Channel, e))
                .ok(),
        };
        let tlp = values::tlp(text(Column::Tlp))
            .map_err(|e| bad(Column::Tlp, e))
            .ok();
        let from = match self.cell(record, Column::From) {
            None => EXERCISE_CONTROL.to_owned(),
            Some(cell) => {
                let names = names(cell);
                match names.len() {
                    1 => names[0].clone(),
                    0 => {
                        bad(
                            Column::From,
                            "no sender; name who the inject comes from (a simulated actor such as \"Exercise control\", or a seat)".into(),
                        );
                        String::new()
                    }
                    n => {
                        bad(
                            Column::From,
                            format!(
                                "an inject has one sender, and \"{}\" names {n}",
                                one_line(cell)
                            ),
                        );
                        String::new()
                    }
                }
            }
        };
        let to = names(text(Column::To));
        if to.is_empty() {
            bad(
                Column::To,
                "no recipient; name the seats (the roles people play) it reaches, separated by `;`"
                    .into(),
            );
        }
        let body = text(Column::Text).to_owned();
        let mut subject = one_line(text(Column::Subject));
        let mut subject_from_text = false;
        if subject.is_empty() {
            match first_line(&body) {
                Some(line) => {
                    subject = line;
                    subject_from_text = true;
                    if self.by_column.contains_key(&Column::Subject) {
                        problems.push(Problem::warning(
                            Some(record.row),
                            self.at(Column::Subject),
                            "empty: the first line of the inject text is the subject",
                        ));
                    }
                }
                None => problems.push(Problem::error(
                    Some(record.row),
                    self.at(Column::Subject).or_else(|| self.at(Column::Text)),
                    "no subject and no inject text: what does the inject say?",
                )),
            }
        }
        let id = match self.cell(record, Column::Id).map(str::trim) {
            None | Some("") => None,
            Some(id) if !values::is_id(id) => {
                problems.push(Problem::error(
                    Some(record.row),
                    self.at(Column::Id),
                    format!(
                        "\"{id}\" is not an id: a lowercase letter, then lowercase letters, digits and _ (e.g. inj_01); or leave the cell empty and one is made"
                    ),
                ));
                None
            }
            Some(id) => {
                if let Some(first) = ids.get(id) {
                    problems.push(Problem::error(
                        Some(record.row),
                        self.at(Column::Id),
                        format!("id \"{id}\" is already the id of row {first}; ids must be unique, or left empty"),
                    ));
                } else {
                    ids.insert(id.to_owned(), record.row);
                }
                Some(id.to_owned())
            }
        };
        if problems[before..].iter().any(|p| p.level == Level::Error) {
            return None;
        }
        Some(InjectRow {
            row: record.row,
            sequence: one_line(text(Column::Sequence)),
            id,
            timing: timing?,
            channel: channel?,
            from,
            to,
            tlp: tlp?,
            subject,
            subject_from_text,
            text: body,
            expected: text(Column::Expected)
                .lines()
                .map(|l| l.trim().trim_start_matches(['•', '-', '*', '–']).trim())
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect(),
            objectives: list(text(Column::Objective)),
            notes: text(Column::Notes).trim().to_owned(),
        })
    }
}

/// Names can hold commas ("Ministry of Health, Welfare and Sport"), so recipients are separated by `;`
/// only. A recipient whose comma-separated parts are all names the sheet uses on their own was
/// probably meant as several: say so.
fn comma_separated_recipients(rows: &[InjectRow], sheet: &Sheet, problems: &mut Vec<Problem>) {
    let known: std::collections::BTreeSet<String> = rows
        .iter()
        .flat_map(|r| r.to.iter().chain(std::iter::once(&r.from)))
        .map(|n| n.to_lowercase())
        .collect();
    for row in rows {
        for name in &row.to {
            let parts: Vec<String> = name.split(',').map(|p| p.trim().to_lowercase()).collect();
            if parts.len() > 1 && parts.iter().all(|p| known.contains(p)) {
                problems.push(Problem::warning(
                    Some(row.row),
                    sheet.at(Column::To),
                    format!(
                        "\"{name}\" is read as one recipient; if it is {} of them, separate them with `;`",
                        parts.len()
                    ),
                ));
            }
        }
    }
}

/// Whitespace (line breaks included) collapsed to single spaces.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Items separated by `;` or line breaks, each on one line, empty ones dropped.
fn list(cell: &str) -> Vec<String> {
    cell.split([';', '\n'])
        .map(one_line)
        .filter(|s| !s.is_empty())
        .collect()
}

/// Names separated by `;` or line breaks, without repeats (compared ignoring case).
fn names(cell: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for name in list(cell) {
        if !out.iter().any(|n| n.to_lowercase() == name.to_lowercase()) {
            out.push(name);
        }
    }
    out
}

/// A subject made from an inject text: its first non-empty line without Markdown marks, at most about
/// 100 characters, cut at a word.
fn first_line(text: &str) -> Option<String> {
    const MAX: usize = 100;
    let line = text
        .lines()
        .map(|l| one_line(&l.replace("**", "").replace("__", "")))
        .map(|l| l.trim_start_matches(['#', '>', '-', '*', ' ']).to_owned())
        .find(|l| !l.is_empty())?;
    if line.chars().count() <= MAX {
        return Some(line);
    }
    let mut cut = String::new();
    for word in line.split(' ') {
        if cut.chars().count() + word.chars().count() + 1 > MAX {
            break;
        }
        if !cut.is_empty() {
            cut.push(' ');
        }
        cut.push_str(word);
    }
    if cut.is_empty() {
        cut = line.chars().take(MAX).collect();
    }
    cut.push('…');
    Some(cut)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(csv: &str) -> (Option<Vec<InjectRow>>, Vec<String>) {
        let mut problems = Vec::new();
        let rows = read(csv.as_bytes(), &mut problems).map(|(r, _)| r);
        (rows, problems.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn delimiters_are_sniffed() {
        assert_eq!(sniff("a;b;c\n1;2;3\n").0, b';');
        assert_eq!(sniff("a,b,c\n").0, b',');
        assert_eq!(sniff("a\tb\tc\n").0, b'\t');
        assert_eq!(
            sniff("\"x;y;z\",b,c\n").0,
            b',',
            "quoted delimiters do not count"
        );
        assert_eq!(sniff("sep=;\na;b\n"), (b';', "a;b\n"));
    }

    #[test]
    fn rows_are_numbered_as_the_spreadsheet_numbers_them() {
        let csv = "Time;To;Subject\n\n\"T+00:10\";\"A\";\"two\nlines\"\n;;\nT+00:20;B;bad\u{7}\nT+00:30;;x\n";
        let (rows, problems) = rows(csv);
        assert!(rows.is_none() || problems.iter().any(|p| p.starts_with("row 6")));
        assert_eq!(
            problems
                .iter()
                .filter(|p| p.starts_with("row 6, column B (To): no recipient"))
                .count(),
            1,
            "{problems:?}"
        );
    }

    #[test]
    fn title_rows_above_the_header_are_reported() {
        let csv = "Exercise BLUE WAVE MSEL,,\nTime,To,Subject\nT+00:10,CERT-Bund,Hello\n";
        let (rows, problems) = rows(csv);
        assert_eq!(rows.map(|r| r.len()), Some(1));
        assert!(
            problems
                .iter()
                .any(|p| p == "row 1: above the header row (row 2): not read as an inject"),
            "{problems:?}"
        );
    }

    #[test]
    fn subjects_from_text() {
        assert_eq!(
            first_line("\n**Call from the IT director.** Our systems are down").as_deref(),
            Some("Call from the IT director. Our systems are down")
        );
        let long = "word ".repeat(40);
        let cut = first_line(&long).expect("a line");
        assert!(cut.ends_with('…') && cut.chars().count() <= 101, "{cut}");
    }

    #[test]
    fn utf16_and_bom() {
        let text = "Time,To,Subject\nT+00:10,Κέντρο,Γεια\n";
        let mut bytes = vec![0xFF, 0xFE];
        for u in text.encode_utf16() {
            bytes.extend(u.to_le_bytes());
        }
        assert_eq!(decode(&bytes).as_deref(), Ok(text));
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend(text.as_bytes());
        assert_eq!(decode(&bom).as_deref(), Ok(text));
        assert!(
            decode(b"Time,To\n\xE9t\xE9,x\n")
                .unwrap_err()
                .contains("not UTF-8")
        );
    }
}
