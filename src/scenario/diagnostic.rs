//! Diagnostics for scenario files: what is wrong, where (byte span → line:col), and how to fix it,
//! rendered in the familiar compiler shape `path:line:col: error: message` plus the source line.
//!
//! We render the text ourselves because the first line is a contract (editors and CI parse it) that the
//! snippet crates (codespan-reporting, annotate-snippets) do not produce: they put the location second.

use std::fmt::Write as _;
use std::ops::Range;

use unicode_width::UnicodeWidthStr;

/// How bad a problem is: errors make `tabletop check` fail, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Error,
    Warning,
}

impl Level {
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warning => "warning",
        }
    }
}

/// One problem in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub level: Level,
    pub message: String,
    /// Byte range in the source; `None` for problems of the whole file (it cannot be read).
    pub span: Option<Range<usize>>,
    /// A plain-English fix, shown as `= help: ...`.
    pub hint: Option<String>,
}

impl Diagnostic {
    #[must_use]
    pub fn error(span: Range<usize>, message: impl Into<String>) -> Self {
        Self {
            level: Level::Error,
            message: message.into(),
            span: Some(span),
            hint: None,
        }
    }

    #[must_use]
    pub fn warning(span: Range<usize>, message: impl Into<String>) -> Self {
        Self {
            level: Level::Warning,
            ..Self::error(span, message)
        }
    }

    /// A problem with the whole file rather than a place in it.
    #[must_use]
    pub fn file_error(message: impl Into<String>) -> Self {
        Self {
            level: Level::Error,
            message: message.into(),
            span: None,
            hint: None,
        }
    }

    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

/// A 1-based line and column (columns count characters, as editors do).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: usize,
    pub col: usize,
}

/// Line and column of a byte offset (clamped to the text and to a character boundary).
#[must_use]
pub fn line_col(text: &str, offset: usize) -> LineCol {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    LineCol {
        line: before.matches('\n').count() + 1,
        col: before[line_start..].chars().count() + 1,
    }
}

/// Byte offset of a 1-based line and column (as ron reports them); clamped to the text.
#[must_use]
pub fn offset_of(text: &str, at: LineCol) -> usize {
    let mut line_start = 0;
    for _ in 1..at.line {
        match text[line_start..].find('\n') {
            Some(i) => line_start += i + 1,
            None => return text.len(),
        }
    }
    let line_end = text[line_start..]
        .find('\n')
        .map_or(text.len(), |i| line_start + i);
    text[line_start..line_end]
        .char_indices()
        .nth(at.col.saturating_sub(1))
        .map_or(line_end, |(i, _)| line_start + i)
}

/// A diagnostic with its position resolved, ready to print or to show in the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub path: String,
    pub at: Option<LineCol>,
    pub diagnostic: Diagnostic,
}

impl Located {
    /// The first line: `path:line:col: error: message`.
    #[must_use]
    pub fn headline(&self) -> String {
        let level = self.diagnostic.level.label();
        match self.at {
            Some(at) => format!(
                "{}:{}:{}: {level}: {}",
                self.path, at.line, at.col, self.diagnostic.message
            ),
            None => format!("{}: {level}: {}", self.path, self.diagnostic.message),
        }
    }
}

/// Resolves a diagnostic's span against its source.
#[must_use]
pub fn locate(path: &str, text: &str, diagnostic: Diagnostic) -> Located {
    Located {
        path: path.to_owned(),
        at: diagnostic.span.as_ref().map(|s| line_col(text, s.start)),
        diagnostic,
    }
}

/// Renders a diagnostic the way compilers do: the headline, the source line with a caret underline,
/// and the hint.
#[must_use]
pub fn render(path: &str, text: &str, diagnostic: &Diagnostic) -> String {
    let located = locate(path, text, diagnostic.clone());
    let mut out = located.headline();
    out.push('\n');
    if let (Some(span), Some(at)) = (&diagnostic.span, located.at) {
        let start = span.start.min(text.len());
        let line_start = text[..floor_boundary(text, start)]
            .rfind('\n')
            .map_or(0, |i| i + 1);
        let line_end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |i| line_start + i);
        let line = text[line_start..line_end].trim_end_matches('\r');
        let number = at.line.to_string();
        let gutter = " ".repeat(number.len());
        let shown = printable(line);
        let lead = printable(&line[..(floor_boundary(text, start) - line_start).min(line.len())]);
        let end = span.end.clamp(start, line_start + line.len());
        let marked = printable(&text[floor_boundary(text, start)..floor_boundary(text, end)]);
        let carets = "^".repeat(marked.width().max(1));
        let _ = writeln!(out, "{gutter} |");
        let _ = writeln!(out, "{number} | {shown}");
        let _ = writeln!(out, "{gutter} | {}{carets}", " ".repeat(lead.width()));
        if let Some(hint) = &diagnostic.hint {
            let _ = writeln!(out, "{gutter} = help: {hint}");
        }
    } else if let Some(hint) = &diagnostic.hint {
        let _ = writeln!(out, "  = help: {hint}");
    }
    out
}

fn floor_boundary(text: &str, mut offset: usize) -> usize {
    offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Tabs become spaces and control characters become `?`, so carets line up under what is shown.
fn printable(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\t' => ' ',
            c if c.is_control() => '?',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let text = "a\nΑθήνα: x";
        let offset = text.find('x').expect("x is in the text");
        assert_eq!(line_col(text, offset), LineCol { line: 2, col: 8 });
        assert_eq!(offset_of(text, LineCol { line: 2, col: 8 }), offset);
    }

    #[test]
    fn render_underlines_the_span_under_wide_text() {
        let text = "id: \"Αθήνα\", to: [\"nobody\"]\n";
        let start = text.find("\"nobody\"").expect("present");
        let d =
            Diagnostic::error(start..start + 8, "unknown seat `nobody`").with_hint("declare it");
        let shown = render("s.ron", text, &d);
        assert!(
            shown.starts_with("s.ron:1:19: error: unknown seat `nobody`\n"),
            "{shown}"
        );
        let lines: Vec<&str> = shown.lines().collect();
        let caret_col = lines[3].find('^').expect("carets");
        let source_col = lines[2].find("\"nobody\"").expect("source");
        assert_eq!(lines[2][..source_col].chars().count(), caret_col);
        assert!(shown.contains("= help: declare it"));
    }
}
