//! A structural index of a RON text: where every field, list element and map entry sits.
//!
//! `ron` reports positions only for the error that stops it; a valid file comes back without any. The
//! validator needs the line and column of *every* reference it checks, and the loader needs the extent of
//! each section and list element to deserialize them one by one (so one typo does not hide the next). This
//! module only finds structure (brackets, keys, commas, atoms); `ron` still does all the real parsing.
//!
//! Architecture invariant: it never panics and never recurses deeper than [`MAX_DEPTH`], whatever the input.

use std::ops::Range;

use super::diagnostic::Diagnostic;

/// Deeper nesting than this is refused (ron's own default recursion limit is 128).
pub const MAX_DEPTH: usize = 128;

/// A value in the text: an atom (string, number, identifier) or a bracketed group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// From the first byte of the value (its name, for `Name(...)`) to the byte after its end.
    pub span: Range<usize>,
    pub kind: NodeKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NodeKind {
    Atom,
    Group {
        /// `Request` in `Request(by: ...)`.
        name: Option<Range<usize>>,
        open: u8,
        entries: Vec<Entry>,
    },
}

/// One element of a group: `key: value` or a bare value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub key: Option<Key>,
    pub value: Node,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    /// The key as written, without quotes for string keys.
    pub name: String,
    pub span: Range<usize>,
}

impl Node {
    /// The entries of a group (none for atoms).
    #[must_use]
    pub fn entries(&self) -> &[Entry] {
        match &self.kind {
            NodeKind::Group { entries, .. } => entries,
            NodeKind::Atom => &[],
        }
    }

    /// The entry keyed `name` (struct field or map key).
    #[must_use]
    pub fn entry(&self, name: &str) -> Option<&Entry> {
        self.entries()
            .iter()
            .find(|e| e.key.as_ref().is_some_and(|k| k.name == name))
    }

    /// The value of field `name`.
    #[must_use]
    pub fn field(&self, name: &str) -> Option<&Node> {
        self.entry(name).map(|e| &e.value)
    }

    /// The value of the `index`-th entry (list element, tuple field, map value).
    #[must_use]
    pub fn index(&self, index: usize) -> Option<&Node> {
        self.entries().get(index).map(|e| &e.value)
    }

    /// The span of the group's name (`Scenario` in `Scenario(...)`), if any.
    #[must_use]
    pub fn name_span(&self) -> Option<Range<usize>> {
        match &self.kind {
            NodeKind::Group { name, .. } => name.clone(),
            NodeKind::Atom => None,
        }
    }
}

/// Scans `text` into its structure. Fails on unbalanced brackets, unterminated strings or comments, and
/// nesting deeper than [`MAX_DEPTH`]; the caller then lets `ron` describe the syntax error.
pub fn index(text: &str) -> Result<Node, Diagnostic> {
    let mut scanner = Scanner {
        src: text.as_bytes(),
        pos: 0,
    };
    scanner.skip_trivia()?;
    scanner.skip_attributes()?;
    let root = scanner.value(0)?;
    scanner.skip_trivia()?;
    if scanner.pos < scanner.src.len() {
        return Err(Diagnostic::error(
            scanner.pos..scanner.pos + 1,
            "unexpected text after the end of the scenario",
        )
        .with_hint(
            "the whole file is one `Scenario( ... )`; remove what follows its closing parenthesis",
        ));
    }
    Ok(root)
}

struct Scanner<'a> {
    src: &'a [u8],
    pos: usize,
}

#[derive(Clone, Copy)]
enum Token {
    Open(u8),
    Close(u8),
    Comma,
    Colon,
    Atom { ident: bool },
}

impl Scanner<'_> {
    /// 1-based line of a byte offset, for messages that point back to an opening bracket.
    #[expect(clippy::naive_bytecount, reason = "runs once, on the error path")]
    fn line_of(&self, offset: usize) -> usize {
        self.src[..offset.min(self.src.len())]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1
    }

    fn peek(&self) -> Option<u8> {
        self.src.get(self.pos).copied()
    }

    fn at(&self, offset: usize) -> Option<u8> {
        self.src.get(self.pos + offset).copied()
    }

    fn skip_trivia(&mut self) -> Result<(), Diagnostic> {
        loop {
            match (self.peek(), self.at(1)) {
                (Some(c), _) if c.is_ascii_whitespace() => self.pos += 1,
                (Some(b'/'), Some(b'/')) => {
                    while let Some(c) = self.peek() {
                        if c == b'\n' {
                            break;
                        }
                        self.pos += 1;
                    }
                }
                (Some(b'/'), Some(b'*')) => self.block_comment()?,
                _ => return Ok(()),
            }
        }
    }

    /// RON block comments nest.
    fn block_comment(&mut self) -> Result<(), Diagnostic> {
        let start = self.pos;
        let mut depth = 0usize;
        while let Some(c) = self.peek() {
            match (c, self.at(1)) {
                (b'/', Some(b'*')) => {
                    depth += 1;
                    self.pos += 2;
                }
                (b'*', Some(b'/')) => {
                    depth -= 1;
                    self.pos += 2;
                    if depth == 0 {
                        return Ok(());
                    }
                }
                _ => self.pos += 1,
            }
        }
        Err(
            Diagnostic::error(start..start + 2, "unterminated block comment")
                .with_hint("close the comment with `*/`"),
        )
    }

    /// `#![enable(...)]` lines before the value.
    fn skip_attributes(&mut self) -> Result<(), Diagnostic> {
        while self.peek() == Some(b'#') {
            let start = self.pos;
            while let Some(c) = self.peek() {
                self.pos += 1;
                if c == b']' {
                    break;
                }
            }
            if self.src.get(self.pos - 1) != Some(&b']') {
                return Err(Diagnostic::error(
                    start..start + 1,
                    "unterminated attribute",
                ));
            }
            self.skip_trivia()?;
        }
        Ok(())
    }

    /// Reads one token after trivia, returning it with its span.
    fn token(&mut self) -> Result<Option<(Token, Range<usize>)>, Diagnostic> {
        self.skip_trivia()?;
        let start = self.pos;
        let Some(c) = self.peek() else {
            return Ok(None);
        };
        let token = match c {
            b'(' | b'[' | b'{' => {
                self.pos += 1;
                Token::Open(c)
            }
            b')' | b']' | b'}' => {
                self.pos += 1;
                Token::Close(c)
            }
            b',' => {
                self.pos += 1;
                Token::Comma
            }
            b':' => {
                self.pos += 1;
                Token::Colon
            }
            b'"' => {
                self.quoted(b'"')?;
                Token::Atom { ident: false }
            }
            b'\'' => {
                self.quoted(b'\'')?;
                Token::Atom { ident: false }
            }
            b'r' | b'b' if self.raw_string_ahead() => {
                self.raw_string()?;
                Token::Atom { ident: false }
            }
            b'b' if self.at(1) == Some(b'"') => {
                self.pos += 1;
                self.quoted(b'"')?;
                Token::Atom { ident: false }
            }
            _ => {
                let ident = c.is_ascii_alphabetic() || c == b'_';
                while let Some(c) = self.peek() {
                    if c.is_ascii_whitespace() || b"()[]{},:\"'".contains(&c) || c == b'/' {
                        break;
                    }
                    self.pos += 1;
                }
                if self.pos == start {
                    // A lone byte no value can start with; take it so the caller can report it.
                    self.pos += 1;
                }
                Token::Atom { ident }
            }
        };
        Ok(Some((token, start..self.pos)))
    }

    fn quoted(&mut self, quote: u8) -> Result<(), Diagnostic> {
        let start = self.pos;
        self.pos += 1;
        while let Some(c) = self.peek() {
            self.pos += 1;
            if c == b'\\' {
                self.pos += 1;
            } else if c == quote {
                return Ok(());
            }
        }
        self.pos = self.src.len();
        Err(
            Diagnostic::error(start..start + 1, "this string never ends")
                .with_hint("add the closing quote; inside a string write \\\" for a quote"),
        )
    }

    fn raw_string_ahead(&self) -> bool {
        let mut i = self.pos;
        if self.src.get(i) == Some(&b'b') {
            i += 1;
        }
        if self.src.get(i) != Some(&b'r') {
            return false;
        }
        i += 1;
        while self.src.get(i) == Some(&b'#') {
            i += 1;
        }
        self.src.get(i) == Some(&b'"')
    }

    fn raw_string(&mut self) -> Result<(), Diagnostic> {
        let start = self.pos;
        if self.peek() == Some(b'b') {
            self.pos += 1;
        }
        self.pos += 1; // r
        let mut hashes = 0;
        while self.peek() == Some(b'#') {
            hashes += 1;
            self.pos += 1;
        }
        self.pos += 1; // opening quote
        while let Some(c) = self.peek() {
            self.pos += 1;
            if c == b'"'
                && self.src.len() >= self.pos + hashes
                && self.src[self.pos..self.pos + hashes]
                    .iter()
                    .all(|&h| h == b'#')
            {
                self.pos += hashes;
                return Ok(());
            }
        }
        self.pos = self.src.len();
        Err(
            Diagnostic::error(start..start + 2, "this raw string never ends")
                .with_hint(format!("close it with \"{}", "#".repeat(hashes))),
        )
    }

    fn value(&mut self, depth: usize) -> Result<Node, Diagnostic> {
        let Some((token, span)) = self.token()? else {
            let message = if depth == 0 {
                "the file is empty (only comments)"
            } else {
                "expected a value, found the end of the file"
            };
            let at = if depth == 0 { 0 } else { self.src.len() };
            return Err(Diagnostic::error(at..at, message).with_hint(
                "a scenario is one `Scenario( format: 1, ... )`; see docs/scenario-format.md",
            ));
        };
        self.value_from(token, span, depth)
    }

    fn value_from(
        &mut self,
        token: Token,
        span: Range<usize>,
        depth: usize,
    ) -> Result<Node, Diagnostic> {
        match token {
            Token::Open(open) => self.group(None, open, span.start, depth),
            Token::Atom { ident: true } => {
                // `Name(` makes a named group; anything else leaves the identifier an atom.
                let save = self.pos;
                self.skip_trivia()?;
                if self.peek() == Some(b'(') {
                    self.pos += 1;
                    self.group(Some(span.clone()), b'(', span.start, depth)
                } else {
                    self.pos = save;
                    Ok(Node {
                        span,
                        kind: NodeKind::Atom,
                    })
                }
            }
            Token::Atom { ident: false } => Ok(Node {
                span,
                kind: NodeKind::Atom,
            }),
            Token::Close(c) => Err(Diagnostic::error(
                span,
                format!("unexpected `{}`", char::from(c)),
            )
            .with_hint("this closes a bracket that was never opened; remove it")),
            Token::Comma => Err(Diagnostic::error(
                span,
                "unexpected `,`: a value is missing",
            )),
            Token::Colon => Err(Diagnostic::error(
                span,
                "unexpected `:`: a field name is missing",
            )),
        }
    }

    fn group(
        &mut self,
        name: Option<Range<usize>>,
        open: u8,
        start: usize,
        depth: usize,
    ) -> Result<Node, Diagnostic> {
        if depth >= MAX_DEPTH {
            return Err(Diagnostic::error(
                start..start + 1,
                format!("brackets nested deeper than {MAX_DEPTH} levels"),
            )
            .with_hint("a scenario never needs this much nesting; check for runaway brackets"));
        }
        let close = match open {
            b'(' => b')',
            b'[' => b']',
            _ => b'}',
        };
        let open_at = self.pos - 1;
        let mut entries = Vec::new();
        loop {
            let Some((token, span)) = self.token()? else {
                return Err(Diagnostic::error(
                    open_at..open_at + 1,
                    format!("`{}` is never closed", char::from(open)),
                )
                .with_hint(format!("add the matching `{}`", char::from(close))));
            };
            if let Token::Close(c) = token {
                if c == close {
                    return Ok(Node {
                        span: start..self.pos,
                        kind: NodeKind::Group {
                            name,
                            open,
                            entries,
                        },
                    });
                }
                return Err(Diagnostic::error(
                    span,
                    format!(
                        "expected `{}` to close the `{}` on line {}, found `{}`",
                        char::from(close),
                        char::from(open),
                        self.line_of(open_at),
                        char::from(c)
                    ),
                )
                .with_hint(format!("add the missing `{}`", char::from(close))));
            }
            let value_start = span.start;
            let first = self.value_from(token, span, depth + 1)?;
            let entry = match self.token()? {
                Some((Token::Colon, _)) => {
                    let key = Key {
                        name: key_name(&self.src[first.span.clone()]),
                        span: first.span.clone(),
                    };
                    let value = self.value(depth + 1)?;
                    let entry = Entry {
                        key: Some(key),
                        value,
                    };
                    match self.token()? {
                        Some((Token::Comma, _)) | None => {}
                        Some((Token::Close(_), span)) => self.pos = span.start,
                        Some((_, span)) => return Err(missing_comma(span)),
                    }
                    entry
                }
                Some((Token::Comma, _)) | None => Entry {
                    key: None,
                    value: first,
                },
                Some((Token::Close(_), span)) => {
                    self.pos = span.start;
                    Entry {
                        key: None,
                        value: first,
                    }
                }
                Some((_, span)) => return Err(missing_comma(span)),
            };
            // `(a: 1, (b: 2))`: a bare value among named fields is almost always a `)` missing before it.
            if entry.key.is_none() && entries.last().is_some_and(|e: &Entry| e.key.is_some()) {
                return Err(Diagnostic::error(
                    value_start..value_start + 1,
                    format!(
                        "expected a field name, found a value: is a `{}` missing before it?",
                        char::from(close)
                    ),
                )
                .with_hint(format!(
                    "the `{}` on line {} may not be closed",
                    char::from(open),
                    self.line_of(open_at)
                )));
            }
            entries.push(entry);
        }
    }
}

fn missing_comma(span: Range<usize>) -> Diagnostic {
    Diagnostic::error(span, "expected `,` between two entries")
        .with_hint("separate fields and list elements with commas")
}

fn key_name(raw: &[u8]) -> String {
    let text = String::from_utf8_lossy(raw);
    let trimmed = text
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .unwrap_or(&text);
    trimmed.strip_prefix("r#").unwrap_or(trimmed).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_fields_elements_and_map_keys() {
        let text = r##"Scenario(
            id: "x", // comment with ( and "
            to: ["a", "b"],
            vars: { "p": 0 },
            effects: [Request(by: "gov", action: Ipcr(FullActivation))],
            body: r#"raw ) ] text"#,
        )"##;
        let root = index(text).expect("valid structure");
        let to = root.field("to").expect("to");
        assert_eq!(&text[to.index(1).expect("b").span.clone()], "\"b\"");
        let vars = root.field("vars").expect("vars");
        assert_eq!(vars.entries()[0].key.as_ref().expect("key").name, "p");
        let request = root
            .field("effects")
            .and_then(|e| e.index(0))
            .expect("request");
        assert_eq!(&text[request.name_span().expect("name")], "Request");
        assert_eq!(
            &text[request.field("by").expect("by").span.clone()],
            "\"gov\""
        );
        assert!(root.field("body").is_some());
    }

    #[test]
    fn structural_errors_are_diagnostics() {
        for bad in [
            "",
            "(",
            "(a: [1, 2)",
            "(a: \"x)",
            "(a: 1) trailing",
            "/* never",
            "(a: 1 b: 2)",
        ] {
            assert!(index(bad).is_err(), "{bad:?} should fail");
        }
    }

    #[test]
    fn deep_nesting_is_refused_without_overflowing_the_stack() {
        let text = "[".repeat(100_000);
        let err = index(&text).expect_err("too deep");
        assert!(err.message.contains("nested deeper"), "{}", err.message);
    }
}
