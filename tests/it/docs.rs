//! The scenario-format reference stays true: every marked example of `docs/scenario-format.md` is
//! checked, alone or spliced into the doc's complete example.
//!
//! A fenced block preceded by `<!-- check: KIND -->` or `<!-- check: KIND expect: TEXT -->` is tested:
//!
//! | KIND | The block is | Checked as |
//! |---|---|---|
//! | `file` | a complete scenario | itself |
//! | `base` | a complete scenario | itself; the first `base` is where every fragment is spliced |
//! | `root` | top-level fields | the base with each field replaced (or added) |
//! | `objectives`, `actors`, `incidents`, `injects`, `decisions` | list elements | the base with each element replacing the one with the same `id`, or appended |
//! | `parts` | top-level fields | lists spliced element by element as above, other fields replaced |
//! | `variables` | a `{ ... }` map | the base with its `variables` replaced |
//! | `effects` | effects | the base plus a manual test inject with these `effects` |
//! | `conditions` | one condition per line (blank and `#` lines skipped, a trailing `  # ...` dropped) | the base plus a test inject `when` that condition, once per line |
//!
//! Without `expect:` the result must check with no error and no warning; with `expect: TEXT` it must have
//! an error or a warning, and TEXT must occur in the rendered diagnostics.
//!
//! Splicing goes through the checker's own structural index (`scenario::spans`), so it sees fields,
//! elements, strings and comments exactly as the checker does.
//!
//! The doc's table of channels lists every `Channel`, in `Channel::ALL`'s order, with its label.
//! The MSEL reference, `docs/msel.md`, stays true too (below the format's tests): its tables of columns
//! and accepted spellings are compared with the exporter's real header row and the importer's parsers,
//! and its worked examples are run with the built binary, their output and files compared with the doc.

use std::fmt::Write as _;
use std::ops::Range;
use std::path::{Path, PathBuf};

use tabletop::domain::Channel;
use tabletop::scenario::spans::{self, Node, NodeKind};
use tabletop::scenario::{self, Checked, Origin, diagnostic};

/// The reference, relative to the crate root.
const DOC: &str = "docs/scenario-format.md";

/// Attachments the examples name. The doc says they pass only where an `assets` folder holds them, so
/// the test checks them beside one (a shipped asset would be compiled into the program).
const ASSETS: [(&str, &str); 1] = [("blackfin-ransom-note.txt", "README_BLACKFIN.txt\n")];

/// The lists whose elements are spliced by `id`.
const SECTIONS: [&str; 5] = ["objectives", "actors", "incidents", "injects", "decisions"];

/// One marked example.
#[derive(Debug)]
struct Block {
    /// 1-based line of the `<!-- check: ... -->` marker in the doc.
    line: usize,
    kind: String,
    expect: Option<String>,
    /// The rest of the opening fence line: the language, and in `docs/msel.md` a file name.
    info: String,
    body: String,
}

/// Every `<!-- check: ... -->` marker with the fenced block after it. A marker that is malformed or not
/// followed by a fenced block is an error, so a typo cannot silently drop an example from the test.
fn blocks(doc: &str) -> Result<Vec<Block>, String> {
    let mut out = Vec::new();
    for (at, _) in doc.match_indices("<!--") {
        let line = doc[..at].matches('\n').count() + 1;
        let Some(marker) = doc[at + 4..].trim_start().strip_prefix("check:") else {
            continue;
        };
        let end = marker
            .find("-->")
            .ok_or_else(|| format!("line {line}: the `<!-- check:` marker is never closed"))?;
        let inner = marker[..end].trim();
        let kind_len = inner
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(inner.len());
        let (kind, rest) = inner.split_at(kind_len);
        let expect = match rest.trim() {
            "" => None,
            rest => match rest.strip_prefix("expect:").map(str::trim) {
                Some(text) if !text.is_empty() => Some(text.to_owned()),
                _ => {
                    return Err(format!(
                        "line {line}: write `<!-- check: KIND -->` or `<!-- check: KIND expect: TEXT -->`"
                    ));
                }
            },
        };
        let after = &marker[end + 3..];
        let fence = after.trim_start();
        let gap = &after[..after.len() - fence.len()];
        let Some(fenced) = fence.strip_prefix("```").filter(|_| gap.contains('\n')) else {
            return Err(format!(
                "line {line}: a `check` marker must be followed by a fenced block on the next lines"
            ));
        };
        let (info, body) = fenced
            .split_once('\n')
            .and_then(|(info, rest)| rest.find("\n```").map(|close| (info, &rest[..close])))
            .ok_or_else(|| format!("line {line}: the fenced block is never closed"))?;
        out.push(Block {
            line,
            kind: kind.to_owned(),
            expect,
            info: info.trim().to_owned(),
            body: body.to_owned(),
        });
    }
    Ok(out)
}

/// The structural index of `text`, or its structure error rendered.
fn index(name: &str, text: &str) -> Result<Node, String> {
    spans::index(text).map_err(|d| diagnostic::render(name, text, &d))
}

/// `text` with `range` replaced by `with`.
fn splice(text: &str, range: Range<usize>, with: &str) -> String {
    format!("{}{with}{}", &text[..range.start], &text[range.end..])
}

/// Adds an entry (a field or a list element, as written) at the end of a bracketed group.
fn append(text: &str, group: &Node, entry: &str) -> Result<String, String> {
    if !matches!(group.kind, NodeKind::Group { .. }) {
        return Err(format!(
            "expected a bracketed group, found `{}`",
            &text[group.span.clone()]
        ));
    }
    // Right after the last value, so an existing trailing comma (or comment) follows the new entry.
    if let Some(last) = group.entries().last() {
        let end = last.value.span.end;
        return Ok(splice(text, end..end, &format!(",\n{entry}")));
    }
    let close = group.span.end - 1;
    Ok(splice(text, close..close, &format!("\n{entry},\n")))
}

/// Replaces the top-level field `name` with `field` (written `name: value`), or adds it.
fn set_field(text: &str, name: &str, field: &str) -> Result<String, String> {
    let root = index("spliced scenario", text)?;
    match root.entry(name) {
        Some(entry) => {
            let start = entry
                .key
                .as_ref()
                .map_or(entry.value.span.start, |k| k.span.start);
            Ok(splice(text, start..entry.value.span.end, field))
        }
        None => append(text, &root, field),
    }
}

/// The `id` of a record, without its quotes.
fn id_of<'t>(text: &'t str, node: &Node) -> Option<&'t str> {
    node.field("id")
        .map(|id| text[id.span.clone()].trim_matches('"'))
}

/// The elements of a list as written: each with its text and its `id`.
fn elements<'t>(text: &'t str, list: &Node) -> Result<Vec<(&'t str, Option<&'t str>)>, String> {
    if !matches!(list.kind, NodeKind::Group { open: b'[', .. }) {
        return Err(format!(
            "expected a list `[...]`, found `{}`",
            &text[list.span.clone()]
        ));
    }
    Ok(list
        .entries()
        .iter()
        .map(|e| (&text[e.value.span.clone()], id_of(text, &e.value)))
        .collect())
}

/// Each element replaces the element of `section` with the same id, or is appended to the list.
fn splice_elements(
    text: &str,
    section: &str,
    new: &[(&str, Option<&str>)],
) -> Result<String, String> {
    let mut text = text.to_owned();
    if index("spliced scenario", &text)?.field(section).is_none() {
        text = set_field(&text, section, &format!("{section}: []"))?;
    }
    for (element, id) in new {
        let root = index("spliced scenario", &text)?;
        let list = root
            .field(section)
            .ok_or_else(|| format!("`{section}` is missing"))?;
        let same = list
            .entries()
            .iter()
            .find(|e| id.is_some() && id_of(&text, &e.value) == *id);
        text = match same {
            Some(old) => splice(&text, old.value.span.clone(), element),
            None => append(&text, list, element)?,
        };
    }
    Ok(text)
}

/// Indexes a fragment of the doc inside brackets: `(...)` for fields, `[...]` for list elements. Returns
/// the wrapped text (spans point into it) and its index.
fn fragment(body: &str, open: char, close: char) -> Result<(String, Node), String> {
    let wrapped = format!("{open}\n{body}\n{close}");
    let node = index("the example", &wrapped)?;
    Ok((wrapped, node))
}

/// The fields of a fragment as `(name, written text)`.
fn fields<'t>(text: &'t str, node: &'t Node) -> Result<Vec<(&'t str, &'t str)>, String> {
    node.entries()
        .iter()
        .map(|e| {
            let key = e.key.as_ref().ok_or_else(|| {
                format!(
                    "expected `name: value`, found `{}`",
                    &text[e.value.span.clone()]
                )
            })?;
            Ok((key.name.as_str(), &text[key.span.start..e.value.span.end]))
        })
        .collect()
}

/// The base plus a test inject with `extra` fields (its trigger and effects), sent by the first actor
/// to the first seat.
fn with_test_inject(base: &str, extra: &str) -> Result<String, String> {
    let root = index("the base", base)?;
    let actors = root
        .field("actors")
        .ok_or("the base has no `actors`")?
        .entries();
    let sender = actors
        .first()
        .and_then(|a| id_of(base, &a.value))
        .ok_or("the base has no actor")?;
    let seat = actors
        .iter()
        .find(|a| {
            a.value
                .field("seat")
                .is_some_and(|s| &base[s.span.clone()] == "true")
        })
        .and_then(|a| id_of(base, &a.value))
        .ok_or("the base has no seat")?;
    let inject = format!(
        "(id: \"zz_doc_test\", {extra}, from: \"{sender}\", to: [\"{seat}\"], channel: Email, subject: \"doc test\")"
    );
    splice_elements(base, "injects", &[(&inject, Some("zz_doc_test"))])
}

/// The scenario texts one block stands for (one per line for `conditions`).
fn variants(block: &Block, base: Option<&str>) -> Result<Vec<String>, String> {
    let body = block.body.as_str();
    if matches!(block.kind.as_str(), "file" | "base") {
        return Ok(vec![body.to_owned()]);
    }
    let base = base.ok_or("fragments need a `<!-- check: base -->` example to be spliced into")?;
    Ok(match block.kind.as_str() {
        "root" => {
            let (text, node) = fragment(body, '(', ')')?;
            let mut s = base.to_owned();
            for (name, field) in fields(&text, &node)? {
                s = set_field(&s, name, field)?;
            }
            vec![s]
        }
        section if SECTIONS.contains(&section) => {
            let (text, node) = fragment(body, '[', ']')?;
            vec![splice_elements(base, section, &elements(&text, &node)?)?]
        }
        "parts" => {
            let (text, node) = fragment(body, '(', ')')?;
            let mut s = base.to_owned();
            for (entry, (name, field)) in node.entries().iter().zip(fields(&text, &node)?) {
                s = if SECTIONS.contains(&name) {
                    splice_elements(&s, name, &elements(&text, &entry.value)?)?
                } else {
                    set_field(&s, name, field)?
                };
            }
            vec![s]
        }
        "variables" => {
            let map = body.trim().trim_end_matches(',');
            vec![set_field(base, "variables", &format!("variables: {map}"))?]
        }
        "effects" => vec![with_test_inject(
            base,
            &format!("manual: true, effects: [\n{body}\n]"),
        )?],
        "conditions" => body
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|l| {
                // A trailing comment: `ipcr >= significant   # wrong: ...`.
                let condition = l
                    .find(" #")
                    .or_else(|| l.find("\t#"))
                    .map_or(l, |i| l[..i].trim_end());
                with_test_inject(base, &format!("when: \"{condition}\""))
            })
            .collect::<Result<_, _>>()?,
        other => return Err(format!("unknown kind `{other}`")),
    })
}

/// What is wrong with the checker's verdict on one variant, if anything.
fn verdict(expect: Option<&str>, checked: &Checked, rendered: &str) -> Option<String> {
    let (errors, warnings) = (checked.errors(), checked.warnings());
    match expect {
        None if errors + warnings > 0 => Some(format!(
            "expected no error and no warning, got {errors} error(s) and {warnings} warning(s)"
        )),
        Some(_) if errors + warnings == 0 => {
            Some("expected the checker to fail or warn, but it passed".into())
        }
        Some(text) if !rendered.contains(text) => {
            Some(format!("expected the diagnostics to contain `{text}`"))
        }
        _ => None,
    }
}

#[test]
fn every_marked_example_of_the_format_reference_checks_as_stated() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join(DOC)).expect("the format reference is readable");
    let blocks = blocks(&doc).unwrap_or_else(|e| panic!("{DOC}: {e}"));
    let base = blocks
        .iter()
        .find(|b| b.kind == "base")
        .map(|b| b.body.as_str());
    // Failing texts are written here, so `tabletop check` on them finds the same attachments.
    let out_dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("docs");
    std::fs::create_dir_all(out_dir.join("assets")).expect("the target tmp dir is writable");
    for (name, contents) in ASSETS {
        std::fs::write(out_dir.join("assets").join(name), contents).expect("writable");
    }
    let origin = Origin {
        dir: Some(out_dir.clone()),
    };
    let mut report = String::new();
    let mut tested = 0;
    for block in &blocks {
        let what = format!(
            "{DOC}:{}: `{}` example{}",
            block.line,
            block.kind,
            block
                .expect
                .as_ref()
                .map_or(String::new(), |e| format!(" (expect: {e})"))
        );
        let texts = match variants(block, base) {
            Ok(texts) => texts,
            Err(e) => {
                let _ = writeln!(report, "{what}: cannot be spliced:\n{e}\n");
                continue;
            }
        };
        for (n, text) in texts.iter().enumerate() {
            tested += 1;
            let checked = scenario::check_str(text, &origin);
            let name = if texts.len() == 1 {
                format!("line-{}.ron", block.line)
            } else {
                format!("line-{}-{}.ron", block.line, n + 1)
            };
            let path = out_dir.join(&name);
            let rendered: String = checked
                .diagnostics
                .iter()
                .map(|d| diagnostic::render(&path.display().to_string(), &checked.text, d))
                .collect();
            if let Some(problem) = verdict(block.expect.as_deref(), &checked, &rendered) {
                std::fs::write(&path, text).expect("the target tmp dir is writable");
                let _ = writeln!(
                    report,
                    "{what}: {problem}\n(the spliced scenario is {})\n{rendered}",
                    path.display()
                );
            }
        }
    }
    assert!(report.is_empty(), "\n{report}");
    assert!(
        tested >= 15,
        "only {tested} examples were tested: are the `<!-- check: ... -->` markers still in {DOC}?"
    );
}

const BASE: &str = r#"Scenario(
    format: 1, // the version
    actors: [
        (id: "a", name: "A", kind: Other),
        (id: "s", name: "S", kind: Other, seat: true), // a comment, with a comma
    ],
    injects: [],
)"#;

#[test]
fn splicing_replaces_by_id_appends_and_adds_missing_fields() {
    let replaced =
        splice_elements(BASE, "actors", &[("(id: \"a\", x: 1)", Some("a"))]).expect("splices");
    assert!(
        replaced.contains("(id: \"a\", x: 1),\n        (id: \"s\""),
        "{replaced}"
    );

    let appended = with_test_inject(BASE, "manual: true").expect("splices");
    let root = spans::index(&appended).expect("still well formed");
    let injects = root.field("injects").expect("injects");
    assert_eq!(
        id_of(&appended, injects.index(0).expect("one inject")),
        Some("zz_doc_test")
    );
    assert!(appended.contains("from: \"a\", to: [\"s\"]"), "{appended}");

    let added = splice_elements(BASE, "decisions", &[("(id: \"d\")", Some("d"))]).expect("splices");
    let root = spans::index(&added).expect("still well formed");
    assert_eq!(root.field("decisions").expect("added").entries().len(), 1);

    let set = set_field(BASE, "format", "format: 2").expect("splices");
    assert!(set.contains("format: 2, // the version"), "{set}");
}

#[test]
fn markers_are_read_strictly() {
    let doc =
        "a\n<!-- check: injects expect: some text -->\n```ron\n(id: \"x\"),\n```\n<!-- other -->\n";
    let found = blocks(doc).expect("well formed");
    assert_eq!(found.len(), 1);
    assert_eq!((found[0].line, found[0].kind.as_str()), (2, "injects"));
    assert_eq!(found[0].expect.as_deref(), Some("some text"));
    assert_eq!(found[0].body, "(id: \"x\"),");
    assert_eq!(found[0].info, "ron");
    let named =
        blocks("<!-- check: msel_sheet -->\n```csv  a.csv \nx\n```\n").expect("well formed");
    assert_eq!(named[0].info, "csv  a.csv");
    assert!(blocks("<!-- check: file -->\nno fence\n").is_err());
    assert!(blocks("<!-- check: file expcet: x -->\n```\nx\n```\n").is_err());
}

#[test]
fn the_channel_table_lists_every_channel_with_its_label() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join(DOC)).expect("the format reference is readable");
    let (_, after) = doc
        .split_once("### Channels\n")
        .expect("a ### Channels heading");
    let rows: Vec<(String, String)> = after
        .lines()
        .skip_while(|l| l.trim().is_empty())
        .take_while(|l| l.starts_with('|'))
        .skip(2)
        .map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            (cells[1].trim_matches('`').to_owned(), cells[2].to_owned())
        })
        .collect();
    let expected: Vec<(String, String)> = Channel::ALL
        .iter()
        .map(|c| (format!("{c:?}"), c.label().to_owned()))
        .collect();
    assert_eq!(rows, expected);
}

// ----- docs/msel.md ---------------------------------------------------------------------------------

/// The MSEL reference, relative to the crate root.
const MSEL_DOC: &str = "docs/msel.md";

fn msel_doc() -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(root.join(MSEL_DOC)).expect("the MSEL reference is readable")
}

/// The body rows of the Markdown table right after `<!-- table: NAME -->` (its header row and separator
/// left out), each as its trimmed cells.
fn table(doc: &str, name: &str) -> Vec<Vec<String>> {
    let marker = format!("<!-- table: {name} -->");
    let at = doc
        .find(&marker)
        .unwrap_or_else(|| panic!("{MSEL_DOC}: `{marker}` is missing"));
    let rows: Vec<Vec<String>> = doc[at + marker.len()..]
        .lines()
        .skip_while(|l| l.trim().is_empty())
        .take_while(|l| l.starts_with('|'))
        .map(|l| {
            l.trim()
                .trim_matches('|')
                .split('|')
                .map(|c| c.trim().to_owned())
                .collect()
        })
        .collect();
    assert!(
        rows.len() > 2,
        "{MSEL_DOC}: `{marker}` is not followed by a table with rows"
    );
    rows[2..].to_vec()
}

/// The code spans of a Markdown cell (`` `a` `` and ``` `` b `c` `` ```), as written inside the ticks.
fn codes(cell: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = cell;
    while let Some(start) = rest.find('`') {
        let ticks = rest[start..].bytes().take_while(|b| *b == b'`').count();
        let fence = &rest[start..start + ticks];
        let body = &rest[start + ticks..];
        let Some(end) = body.find(fence) else {
            break;
        };
        let mut code = &body[..end];
        if code.len() > 2 && code.starts_with(' ') && code.ends_with(' ') {
            code = &code[1..code.len() - 1];
        }
        out.push(code.to_owned());
        rest = &body[end + ticks..];
    }
    out
}

/// The first code span of a cell, which names the row's thing.
fn first_code(cell: &str, what: &str) -> String {
    codes(cell)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("{MSEL_DOC}: the {what} cell `{cell}` has no `code`"))
}

fn checked_bundled(name: &str) -> tabletop::scenario::Scenario {
    let b = scenario::bundled::get(name).expect("bundled");
    scenario::check_str(b.text, &Origin::default())
        .scenario
        .expect("a bundled scenario checks")
}

#[test]
fn the_msel_reference_lists_the_columns_the_export_writes_in_order() {
    let doc = msel_doc();
    // The export's real header row, as a spreadsheet reads it.
    let csv = tabletop::msel::export(&checked_bundled("tutorial"), b',');
    let text = String::from_utf8(csv).expect("UTF-8");
    let header_row = text
        .strip_prefix('\u{feff}')
        .and_then(|t| t.split("\r\n").next())
        .expect("a BOM and a header row");
    let exported: Vec<&str> = header_row.split(',').collect();
    let rows = table(&doc, "columns");
    let documented: Vec<String> = rows.iter().map(|r| first_code(&r[1], "Header")).collect();
    assert_eq!(
        documented, exported,
        "{MSEL_DOC}: the `columns` table must list the export's header row, in order"
    );
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(
            row[0],
            tabletop::msel::column_letter(i),
            "{MSEL_DOC}: the `columns` table's letter for {}",
            documented[i]
        );
    }
}

#[test]
fn the_msel_reference_spellings_are_the_ones_the_import_understands() {
    use tabletop::msel::values::{self, Timing};
    use tabletop::msel::{COLUMNS, Column};
    let doc = msel_doc();
    let mut report = String::new();

    // Headers: each spelling names the column of its row, and every column has a row.
    let mut columns = Vec::new();
    for row in table(&doc, "headers") {
        let header = first_code(&row[0], "Column");
        let Some(column) = Column::from_header(&header) else {
            let _ = writeln!(report, "headers: `{header}` is not a column");
            continue;
        };
        columns.push(column);
        for spelling in codes(&row[1]) {
            if Column::from_header(&spelling) != Some(column) {
                let _ = writeln!(
                    report,
                    "headers: `{spelling}` is read as {:?}, not {header}",
                    Column::from_header(&spelling).map(Column::header)
                );
            }
        }
    }
    if columns != COLUMNS {
        let _ = writeln!(report, "headers: the rows are not the columns, in order");
    }

    // Channels: the name the export writes, the label, and every other word.
    let mut channels = Vec::new();
    for row in table(&doc, "channels") {
        let name = first_code(&row[0], "Channel");
        let Some(channel) = Channel::ALL
            .into_iter()
            .find(|c| values::channel_name(*c) == name)
        else {
            let _ = writeln!(report, "channels: `{name}` is not a channel");
            continue;
        };
        channels.push(channel);
        if first_code(&row[1], "Label") != channel.label() {
            let _ = writeln!(
                report,
                "channels: the label of {name} is {}",
                channel.label()
            );
        }
        for word in [name.clone(), channel.label().to_owned()]
            .into_iter()
            .chain(codes(&row[2]))
        {
            if values::channel(&word) != Ok(channel) {
                let _ = writeln!(report, "channels: `{word}` is not read as {name}");
            }
        }
    }
    if channels != Channel::ALL {
        let _ = writeln!(report, "channels: the rows are not every channel, in order");
    }

    // TLP labels.
    let mut labels = Vec::new();
    for row in table(&doc, "tlp") {
        let name = first_code(&row[0], "Label");
        labels.push(name.clone());
        for spelling in std::iter::once(name.clone()).chain(codes(&row[1])) {
            let read = values::tlp(&spelling).map(values::tlp_name);
            if read.as_deref() != Ok(name.as_str()) {
                let _ = writeln!(report, "tlp: `{spelling}` is read as {read:?}, not {name}");
            }
        }
    }
    let all: Vec<String> = tabletop::domain::Tlp::ALL
        .into_iter()
        .map(values::tlp_name)
        .collect();
    if labels != all {
        let _ = writeln!(report, "tlp: the rows are not {all:?}");
    }

    // Times: each accepted spelling means what the row says, written as the export writes it.
    let export_spelling = |timing: Timing| match timing {
        Timing::At(m) => scenario::time::format_offset(m),
        Timing::Manual => "manual".to_owned(),
        Timing::When {
            condition,
            delay: None,
        } => format!("when: {condition}"),
        Timing::When {
            condition,
            delay: Some(d),
        } => format!("when: {condition} (+{})", values::compact_duration(d)),
    };
    let rows = table(&doc, "times");
    for row in &rows {
        let meaning = first_code(&row[1], "Read as");
        for cell in codes(&row[0]) {
            match values::timing(&cell) {
                Ok(t) if export_spelling(t.clone()) == meaning => {}
                read => {
                    let _ = writeln!(report, "times: `{cell}` is read as {read:?}, not {meaning}");
                }
            }
        }
    }
    // And each refused one is refused with the message the row quotes.
    for row in table(&doc, "refused_times") {
        let quoted = first_code(&row[1], "message");
        let quoted = quoted.trim_end_matches("...").trim();
        for cell in codes(&row[0]) {
            match values::timing(&cell) {
                Err(message) if message.contains(quoted) => {}
                read => {
                    let _ = writeln!(
                        report,
                        "refused times: `{cell}` gives {read:?}, not an error containing `{quoted}`"
                    );
                }
            }
        }
    }
    assert!(report.is_empty(), "{MSEL_DOC}:\n{report}");
    assert!(rows.len() >= 10, "{MSEL_DOC}: the `times` table lost rows");
}

/// Runs one `$ tabletop ...` line of a doc transcript in `dir`; its output lines, standard output's then
/// standard error's.
fn run_in(dir: &Path, command: &str) -> Vec<String> {
    let args = command
        .strip_prefix("tabletop ")
        .unwrap_or_else(|| panic!("{MSEL_DOC}: `$ {command}` does not run tabletop"));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tabletop"))
        .args(args.split_whitespace())
        .current_dir(dir)
        .output()
        .expect("the binary runs");
    [out.stdout, out.stderr]
        .iter()
        .flat_map(|bytes| {
            String::from_utf8_lossy(bytes)
                .lines()
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// A file as the doc shows it: without the byte-order mark, with LF line ends.
fn shown(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    text.trim_start_matches('\u{feff}').replace("\r\n", "\n")
}

/// Where `lines` occur as consecutive whole lines of `file`, from line `from` on.
fn find_lines(file: &[&str], lines: &[&str], from: usize) -> Option<usize> {
    (from..=file.len().saturating_sub(lines.len()))
        .find(|&i| file[i..].starts_with(lines))
        .map(|i| i + lines.len())
}

/// The worked examples of `docs/msel.md`, run in a scratch folder in the doc's order:
///
/// | KIND | The block (its info string names the file) | Checked as |
/// |---|---|---|
/// | `msel_scenario` | a scenario file | it checks with no error and no warning; it is written to the folder |
/// | `msel_sheet` | a CSV sheet | written to the folder |
/// | `msel_cli` | `$ tabletop ...` lines, each followed by its output | each command is run in the folder; its output lines are the ones shown (in any order between standard output and standard error) |
/// | `msel_file` | a whole file a command wrote | the file is exactly this (byte-order mark left out, CRLF as LF) |
/// | `msel_excerpt` | lines of a file a command wrote, runs separated by `...` lines | each run occurs in the file as whole lines, in this order |
#[test]
fn every_msel_example_runs_as_shown() {
    let doc = msel_doc();
    let blocks = blocks(&doc).unwrap_or_else(|e| panic!("{MSEL_DOC}: {e}"));
    let dir = crate::support::temp_dir("docs", "msel");
    let mut report = String::new();
    let mut commands = 0;
    for block in &blocks {
        let here = format!("{MSEL_DOC}:{}: `{}`", block.line, block.kind);
        let file = || {
            let name = block.info.split_whitespace().nth(1).unwrap_or_else(|| {
                panic!(
                    "{here}: name the file after the language: ```{} NAME",
                    block.info
                )
            });
            dir.join(name)
        };
        match block.kind.as_str() {
            "msel_scenario" => {
                let checked = scenario::check_str(&block.body, &Origin::default());
                if checked.errors() + checked.warnings() > 0 {
                    let _ = writeln!(report, "{here}: the scenario does not check cleanly");
                }
                std::fs::write(file(), &block.body).expect("writable");
            }
            "msel_sheet" => std::fs::write(file(), format!("{}\n", block.body)).expect("writable"),
            "msel_cli" => {
                let mut expected: Vec<(String, Vec<String>)> = Vec::new();
                for line in block.body.lines() {
                    match (line.strip_prefix("$ "), expected.last_mut()) {
                        (Some(command), _) => expected.push((command.to_owned(), Vec::new())),
                        (None, Some((_, output))) => output.push(line.to_owned()),
                        (None, None) => panic!("{here}: a transcript starts with `$ tabletop ...`"),
                    }
                }
                for (command, mut output) in expected {
                    commands += 1;
                    let mut actual = run_in(&dir, &command);
                    let shown_order = output.join("\n");
                    let actual_order = actual.join("\n");
                    output.sort();
                    actual.sort();
                    if output != actual {
                        let _ = writeln!(
                            report,
                            "{here}: `{command}` printed\n{actual_order}\n--- but the doc shows\n{shown_order}\n"
                        );
                    }
                }
            }
            "msel_file" | "msel_excerpt" => {
                let path = file();
                let Ok(bytes) = std::fs::read(&path) else {
                    let _ = writeln!(report, "{here}: no {} was written", path.display());
                    continue;
                };
                let text = shown(&bytes);
                let lines: Vec<&str> = text.lines().collect();
                if block.kind == "msel_file" {
                    if text.trim_end() != block.body.trim_end() {
                        let _ = writeln!(report, "{here}: {} is\n{text}", path.display());
                    }
                    continue;
                }
                let mut from = 0;
                let body: Vec<&str> = block.body.lines().collect();
                for run in body.split(|l| l.trim() == "...").filter(|r| !r.is_empty()) {
                    match find_lines(&lines, run, from) {
                        Some(end) => from = end,
                        None => {
                            let _ = writeln!(
                                report,
                                "{here}: {} has no lines (after line {from})\n{}\n",
                                path.display(),
                                run.join("\n")
                            );
                        }
                    }
                }
            }
            other => {
                let _ = writeln!(report, "{here}: unknown kind `{other}`");
            }
        }
    }
    assert!(report.is_empty(), "\n{report}");
    assert!(
        commands >= 6,
        "only {commands} commands were run: are the `<!-- check: msel_cli -->` markers still in {MSEL_DOC}?"
    );
}
