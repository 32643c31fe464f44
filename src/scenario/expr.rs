//! The condition language of `when:` triggers and objective criteria: a small, typed expression language
//! over time, variables, incident facts, mechanism states and decisions, e.g.
//! `ipcr >= information_sharing and countries(ransom_wave) >= 2 and not chose(dec_pay, opt_pay)`.
//!
//! Parsing and type checking happen when the scenario is checked, so the engine only evaluates conditions
//! that are known to be well typed; evaluation reads the exercise through the [`Facts`] trait.

use std::fmt;
use std::ops::Range;

use crate::domain::{IpcrMode, Severity};

use super::time::{Minutes, parse_duration};

/// Conditions nested deeper than this are refused rather than risking the stack.
const MAX_DEPTH: usize = 64;

/// The type of an expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    Bool,
    Int,
    Duration,
    Severity,
    IpcrMode,
}

impl fmt::Display for Ty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Bool => "true/false",
            Self::Int => "a number",
            Self::Duration => "a duration",
            Self::Severity => "a severity",
            Self::IpcrMode => "an IPCR mode",
        })
    }
}

/// A value a condition computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd)]
pub enum Val {
    Bool(bool),
    Int(i64),
    Duration(Minutes),
    Severity(Severity),
    Ipcr(IpcrMode),
}

/// Exercise-wide facts a condition can name without arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Fact {
    /// Elapsed simulated time.
    Time,
    Ipcr,
    LargeScale,
    CycloneActive,
    CommissionFullParticipant,
    CsirtsCaseOpen,
    Art222Invoked,
    Art427Invoked,
    ReserveRequested,
    ReserveDeployed,
    RapidReactionDeployed,
    IncidentReviewApproved,
    MeasuresProposed,
    MeasuresAdopted,
    SanctionsAdopted,
    Attributed,
    LeErpActive,
    CountriesAffected,
    Nis2Missed,
    MaxSeverity,
}

impl Fact {
    /// Every fact with its name in the language and its type (the reference lists these).
    pub const ALL: [(Fact, &'static str, Ty); 20] = [
        (Fact::Time, "time", Ty::Duration),
        (Fact::Ipcr, "ipcr", Ty::IpcrMode),
        (Fact::LargeScale, "large_scale", Ty::Bool),
        (Fact::CycloneActive, "cyclone_active", Ty::Bool),
        (
            Fact::CommissionFullParticipant,
            "commission_full_participant",
            Ty::Bool,
        ),
        (Fact::CsirtsCaseOpen, "csirts_case_open", Ty::Bool),
        (Fact::Art222Invoked, "art222_invoked", Ty::Bool),
        (Fact::Art427Invoked, "art427_invoked", Ty::Bool),
        (Fact::ReserveRequested, "reserve_requested", Ty::Bool),
        (Fact::ReserveDeployed, "reserve_deployed", Ty::Bool),
        (
            Fact::RapidReactionDeployed,
            "rapid_reaction_deployed",
            Ty::Bool,
        ),
        (
            Fact::IncidentReviewApproved,
            "incident_review_approved",
            Ty::Bool,
        ),
        (Fact::MeasuresProposed, "measures_proposed", Ty::Bool),
        (Fact::MeasuresAdopted, "measures_adopted", Ty::Bool),
        (Fact::SanctionsAdopted, "sanctions_adopted", Ty::Bool),
        (Fact::Attributed, "attributed", Ty::Bool),
        (Fact::LeErpActive, "le_erp_active", Ty::Bool),
        (Fact::CountriesAffected, "countries_affected", Ty::Int),
        (Fact::Nis2Missed, "nis2_missed", Ty::Int),
        (Fact::MaxSeverity, "max_severity", Ty::Severity),
    ];

    fn lookup(name: &str) -> Option<(Fact, Ty)> {
        Self::ALL
            .iter()
            .find(|(_, n, _)| *n == name)
            .map(|(f, _, t)| (*f, *t))
    }
}

/// Facts about one scenario object, named by its id: `severity(ransom_wave)`, `chose(dec, opt)`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Query {
    Severity(String),
    Countries(String),
    Entities(String),
    Detected(String),
    Contained(String),
    Recovered(String),
    Delivered(String),
    Decided(String),
    Chose(String, String),
}

/// What kind of scenario object a function argument names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgKind {
    Incident,
    Inject,
    Decision,
    /// An option of the decision named by the previous argument.
    Option,
}

impl fmt::Display for ArgKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Incident => "incident",
            Self::Inject => "inject",
            Self::Decision => "decision",
            Self::Option => "option",
        })
    }
}

/// Every function: name, argument kinds, result type (the reference lists these).
pub const FUNCTIONS: [(&str, &[ArgKind], Ty); 9] = [
    ("severity", &[ArgKind::Incident], Ty::Severity),
    ("countries", &[ArgKind::Incident], Ty::Int),
    ("entities", &[ArgKind::Incident], Ty::Int),
    ("detected", &[ArgKind::Incident], Ty::Bool),
    ("contained", &[ArgKind::Incident], Ty::Bool),
    ("recovered", &[ArgKind::Incident], Ty::Bool),
    ("delivered", &[ArgKind::Inject], Ty::Bool),
    ("decided", &[ArgKind::Decision], Ty::Bool),
    ("chose", &[ArgKind::Decision, ArgKind::Option], Ty::Bool),
];

/// Words a variable cannot be called, because the language already uses them.
#[must_use]
pub fn is_reserved(word: &str) -> bool {
    matches!(word, "and" | "or" | "not" | "true" | "false")
        || Fact::lookup(word).is_some()
        || FUNCTIONS.iter().any(|(name, _, _)| *name == word)
        || Severity::ALL.iter().any(|s| s.keyword() == word)
        || IpcrMode::ALL.iter().any(|m| m.keyword() == word)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArithOp {
    Add,
    Sub,
}

/// A parsed condition. Spans are byte ranges inside the condition text.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Range<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    Literal(Val),
    Variable(String),
    Fact(Fact),
    Query(Query),
    /// An identifier that is not a fact or literal: a variable, resolved by the type checker.
    Name(String),
    Call {
        name: String,
        args: Vec<(String, Range<usize>)>,
    },
    Not(Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Compare(CmpOp, Box<Expr>, Box<Expr>),
    Arith(ArithOp, Box<Expr>, Box<Expr>),
}

/// A problem in a condition, at a byte range of the condition text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExprError {
    pub span: Range<usize>,
    pub message: String,
    pub hint: Option<String>,
}

impl ExprError {
    fn new(span: Range<usize>, message: impl Into<String>) -> Self {
        Self {
            span,
            message: message.into(),
            hint: None,
        }
    }
    fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Int(i64),
    Duration(Minutes),
    LParen,
    RParen,
    Comma,
    Op(&'static str),
}

fn lex(text: &str) -> Result<Vec<(Tok, Range<usize>)>, ExprError> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let start = i;
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        // `T+01:30` is a duration literal too, as everywhere else in the format.
        if c == b'T'
            && bytes.get(i + 1) == Some(&b'+')
            && bytes.get(i + 2).is_some_and(u8::is_ascii_digit)
        {
            i += 2;
            while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b':') {
                i += 1;
            }
            let word = &text[start..i];
            let minutes = parse_duration(word).map_err(|e| {
                ExprError::new(start..i, format!("bad time: {e}"))
                    .hint("write `T+01:30` or `1h30m`")
            })?;
            out.push((Tok::Duration(minutes), start..i));
            continue;
        }
        if c.is_ascii_alphabetic() || c == b'_' {
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            out.push((Tok::Ident(text[start..i].to_owned()), start..i));
            continue;
        }
        if c.is_ascii_digit() {
            while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
                i += 1;
            }
            let word = &text[start..i];
            let tok = if word.bytes().all(|b| b.is_ascii_digit()) {
                Tok::Int(word.parse().map_err(|_| {
                    ExprError::new(start..i, format!("`{word}` is too large a number"))
                })?)
            } else {
                Tok::Duration(parse_duration(word).map_err(|e| {
                    ExprError::new(start..i, format!("bad duration: {e}"))
                        .hint("durations look like 30m, 6h, 2d or 1h30m")
                })?)
            };
            out.push((tok, start..i));
            continue;
        }
        let two = text.get(i..i + 2).unwrap_or("");
        let op: Option<(&'static str, usize)> = match two {
            "==" => Some(("==", 2)),
            "!=" => Some(("!=", 2)),
            "<=" => Some(("<=", 2)),
            ">=" => Some((">=", 2)),
            "&&" => Some(("and", 2)),
            "||" => Some(("or", 2)),
            _ => match c {
                b'<' => Some(("<", 1)),
                b'>' => Some((">", 1)),
                b'+' => Some(("+", 1)),
                b'-' => Some(("-", 1)),
                b'!' => Some(("not", 1)),
                _ => None,
            },
        };
        if let Some((op, len)) = op {
            i += len;
            out.push((Tok::Op(op), start..i));
            continue;
        }
        let tok = match c {
            b'(' => Tok::LParen,
            b')' => Tok::RParen,
            b',' => Tok::Comma,
            _ => {
                let ch = text[start..].chars().next().unwrap_or('?');
                let hint = match ch {
                    '=' => "compare with `==`",
                    '&' => "write `and` (or `&&`)",
                    '|' => "write `or` (or `||`)",
                    '"' | '\'' => "ids in conditions are written without quotes",
                    _ => "conditions use names, numbers, durations, and/or/not and comparisons",
                };
                return Err(ExprError::new(
                    start..start + ch.len_utf8(),
                    format!("unexpected `{ch}`"),
                )
                .hint(hint));
            }
        };
        i += 1;
        out.push((tok, start..i));
    }
    Ok(out)
}

struct Parser {
    toks: Vec<(Tok, Range<usize>)>,
    pos: usize,
    end: usize,
}

/// Parses a condition (syntax only; see [`check`] for names and types).
pub fn parse(text: &str) -> Result<Expr, ExprError> {
    let toks = lex(text)?;
    if toks.is_empty() {
        return Err(ExprError::new(0..0, "the condition is empty")
            .hint("write a condition such as `time >= 2h`"));
    }
    let mut parser = Parser {
        toks,
        pos: 0,
        end: text.len(),
    };
    let expr = parser.or(0)?;
    if let Some((tok, span)) = parser.toks.get(parser.pos) {
        let hint = if matches!(tok, Tok::Ident(_)) {
            "join conditions with `and` or `or`"
        } else {
            "remove it, or complete the expression before it"
        };
        return Err(
            ExprError::new(span.clone(), format!("unexpected {}", describe(tok))).hint(hint),
        );
    }
    Ok(expr)
}

fn describe(tok: &Tok) -> String {
    match tok {
        Tok::Ident(s) => format!("`{s}`"),
        Tok::Int(n) => format!("`{n}`"),
        Tok::Duration(_) => "duration".into(),
        Tok::LParen => "`(`".into(),
        Tok::RParen => "`)`".into(),
        Tok::Comma => "`,`".into(),
        Tok::Op(op) => format!("`{op}`"),
    }
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|(t, _)| t)
    }

    fn peek_op(&self, op: &str) -> bool {
        match self.peek() {
            Some(Tok::Op(o)) => *o == op,
            Some(Tok::Ident(word)) => (op == "and" || op == "or" || op == "not") && word == op,
            _ => false,
        }
    }

    fn here(&self) -> Range<usize> {
        self.toks
            .get(self.pos)
            .map_or(self.end..self.end, |(_, s)| s.clone())
    }

    fn deeper(&self, depth: usize) -> Result<usize, ExprError> {
        if depth >= MAX_DEPTH {
            Err(ExprError::new(self.here(), "condition nested too deeply"))
        } else {
            Ok(depth + 1)
        }
    }

    fn or(&mut self, depth: usize) -> Result<Expr, ExprError> {
        let depth = self.deeper(depth)?;
        let mut left = self.and(depth)?;
        while self.peek_op("or") {
            self.pos += 1;
            let right = self.and(depth)?;
            let span = left.span.start..right.span.end;
            left = Expr {
                kind: ExprKind::Or(Box::new(left), Box::new(right)),
                span,
            };
        }
        Ok(left)
    }

    fn and(&mut self, depth: usize) -> Result<Expr, ExprError> {
        let depth = self.deeper(depth)?;
        let mut left = self.not(depth)?;
        while self.peek_op("and") {
            self.pos += 1;
            let right = self.not(depth)?;
            let span = left.span.start..right.span.end;
            left = Expr {
                kind: ExprKind::And(Box::new(left), Box::new(right)),
                span,
            };
        }
        Ok(left)
    }

    fn not(&mut self, depth: usize) -> Result<Expr, ExprError> {
        let depth = self.deeper(depth)?;
        if self.peek_op("not") {
            let start = self.here().start;
            self.pos += 1;
            let inner = self.not(depth)?;
            let span = start..inner.span.end;
            return Ok(Expr {
                kind: ExprKind::Not(Box::new(inner)),
                span,
            });
        }
        self.comparison(depth)
    }

    fn comparison(&mut self, depth: usize) -> Result<Expr, ExprError> {
        let left = self.sum(depth)?;
        let Some(op) = self.cmp_op() else {
            return Ok(left);
        };
        self.pos += 1;
        let right = self.sum(depth)?;
        if let Some(span) = self.cmp_op().map(|_| self.here()) {
            return Err(ExprError::new(span, "comparisons cannot be chained")
                .hint("write `a < b and b < c`"));
        }
        let span = left.span.start..right.span.end;
        Ok(Expr {
            kind: ExprKind::Compare(op, Box::new(left), Box::new(right)),
            span,
        })
    }

    fn cmp_op(&self) -> Option<CmpOp> {
        match self.peek() {
            Some(Tok::Op("==")) => Some(CmpOp::Eq),
            Some(Tok::Op("!=")) => Some(CmpOp::Ne),
            Some(Tok::Op("<")) => Some(CmpOp::Lt),
            Some(Tok::Op("<=")) => Some(CmpOp::Le),
            Some(Tok::Op(">")) => Some(CmpOp::Gt),
            Some(Tok::Op(">=")) => Some(CmpOp::Ge),
            _ => None,
        }
    }

    fn sum(&mut self, depth: usize) -> Result<Expr, ExprError> {
        let mut left = self.primary(depth)?;
        loop {
            let op = match self.peek() {
                Some(Tok::Op("+")) => ArithOp::Add,
                Some(Tok::Op("-")) => ArithOp::Sub,
                _ => return Ok(left),
            };
            self.pos += 1;
            let right = self.primary(depth)?;
            let span = left.span.start..right.span.end;
            left = Expr {
                kind: ExprKind::Arith(op, Box::new(left), Box::new(right)),
                span,
            };
        }
    }

    fn primary(&mut self, depth: usize) -> Result<Expr, ExprError> {
        let depth = self.deeper(depth)?;
        let Some((tok, span)) = self.toks.get(self.pos).cloned() else {
            return Err(
                ExprError::new(self.end..self.end, "the condition ends too early")
                    .hint("complete the expression"),
            );
        };
        self.pos += 1;
        let kind = match tok {
            Tok::Int(n) => ExprKind::Literal(Val::Int(n)),
            Tok::Duration(m) => ExprKind::Literal(Val::Duration(m)),
            Tok::Op("-") => {
                if let Some(Tok::Int(n)) = self.peek().cloned() {
                    let end = self.here().end;
                    self.pos += 1;
                    return Ok(Expr {
                        kind: ExprKind::Literal(Val::Int(-n)),
                        span: span.start..end,
                    });
                }
                return Err(ExprError::new(span, "`-` must be followed by a number"));
            }
            Tok::LParen => {
                let inner = self.or(depth)?;
                if self.peek() != Some(&Tok::RParen) {
                    return Err(ExprError::new(self.here(), "expected `)`")
                        .hint("close the parenthesis opened earlier"));
                }
                let end = self.here().end;
                self.pos += 1;
                return Ok(Expr {
                    kind: inner.kind,
                    span: span.start..end,
                });
            }
            Tok::Ident(word) => {
                if self.peek() == Some(&Tok::LParen) {
                    return self.call(word, span);
                }
                ident_kind(&word)
            }
            other => {
                return Err(ExprError::new(
                    span,
                    format!("expected a value, found {}", describe(&other)),
                ));
            }
        };
        Ok(Expr { kind, span })
    }

    fn call(&mut self, name: String, name_span: Range<usize>) -> Result<Expr, ExprError> {
        self.pos += 1; // (
        let mut args = Vec::new();
        loop {
            match self.toks.get(self.pos).cloned() {
                Some((Tok::RParen, span)) if args.is_empty() => {
                    self.pos += 1;
                    return Ok(Expr {
                        kind: ExprKind::Call { name, args },
                        span: name_span.start..span.end,
                    });
                }
                Some((Tok::Ident(id), span)) => {
                    self.pos += 1;
                    args.push((id, span));
                }
                Some((tok, span)) => {
                    return Err(ExprError::new(
                        span,
                        format!("expected an id, found {}", describe(&tok)),
                    )
                    .hint(format!(
                        "`{name}(...)` takes ids of scenario objects, e.g. `{name}(my_id)`"
                    )));
                }
                None => {
                    return Err(ExprError::new(
                        self.end..self.end,
                        format!("`{name}(` is never closed"),
                    ));
                }
            }
            match self.toks.get(self.pos).cloned() {
                Some((Tok::Comma, _)) => self.pos += 1,
                Some((Tok::RParen, span)) => {
                    self.pos += 1;
                    return Ok(Expr {
                        kind: ExprKind::Call { name, args },
                        span: name_span.start..span.end,
                    });
                }
                _ => return Err(ExprError::new(self.here(), "expected `,` or `)`")),
            }
        }
    }
}

fn ident_kind(word: &str) -> ExprKind {
    if word == "true" || word == "false" {
        return ExprKind::Literal(Val::Bool(word == "true"));
    }
    if let Some(s) = Severity::ALL.iter().find(|s| s.keyword() == word) {
        return ExprKind::Literal(Val::Severity(*s));
    }
    if let Some(m) = IpcrMode::ALL.iter().find(|m| m.keyword() == word) {
        return ExprKind::Literal(Val::Ipcr(*m));
    }
    if let Some((fact, _)) = Fact::lookup(word) {
        return ExprKind::Fact(fact);
    }
    ExprKind::Name(word.to_owned())
}

/// What the type checker needs to know about the scenario.
pub trait Scope {
    /// The type of a declared variable.
    fn variable(&self, name: &str) -> Option<Ty>;
    /// Whether an object of this kind exists; for `Option`, `parent` is the decision.
    fn exists(&self, kind: ArgKind, id: &str, parent: Option<&str>) -> bool;
    /// Known names of this kind, for "did you mean" hints.
    fn names(&self, kind: ArgKind, parent: Option<&str>) -> Vec<String>;
    /// Declared variable names, for "did you mean" hints.
    fn variable_names(&self) -> Vec<String>;
    /// What an id names, if anything ("an incident"), to explain a wrong-kind argument.
    fn kind_of(&self, id: &str) -> Option<String>;
}

/// Resolves names and checks types. Returns the resolved expression (names replaced by variables and
/// queries) or every problem found.
pub fn check(expr: &Expr, scope: &dyn Scope) -> Result<Expr, Vec<ExprError>> {
    let mut errors = Vec::new();
    let resolved = resolve(expr, scope, &mut errors);
    if errors.is_empty() {
        match resolved.as_ref().map(|(e, ty)| (e, *ty)) {
            Some((e, Ty::Bool)) => return Ok(e.clone()),
            Some((e, ty)) => errors.push(
                ExprError::new(
                    e.span.clone(),
                    format!("a condition must be true/false, but this is {ty}"),
                )
                .hint("compare it, e.g. `countries_affected >= 2`"),
            ),
            None => {}
        }
    }
    Err(errors)
}

fn resolve(expr: &Expr, scope: &dyn Scope, errors: &mut Vec<ExprError>) -> Option<(Expr, Ty)> {
    let span = expr.span.clone();
    let (kind, ty) = match &expr.kind {
        ExprKind::Literal(v) => (ExprKind::Literal(*v), literal_ty(*v)),
        ExprKind::Fact(f) => {
            let ty = Fact::ALL
                .iter()
                .find(|(g, _, _)| g == f)
                .map_or(Ty::Bool, |(_, _, t)| *t);
            (ExprKind::Fact(*f), ty)
        }
        ExprKind::Variable(name) | ExprKind::Name(name) => {
            if let Some(ty) = scope.variable(name) {
                (ExprKind::Variable(name.clone()), ty)
            } else {
                let mut err = ExprError::new(span, format!("unknown name `{name}`"));
                let known = known_names(scope);
                err.hint = Some(match super::suggest(name, known.iter().map(String::as_str)) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None if FUNCTIONS.iter().any(|(f, _, _)| f == name) => {
                        format!("`{name}` needs an argument, e.g. `{name}(some_id)`")
                    }
                    None => "declare it under `variables`, or use a built-in name (see the format reference)".into(),
                });
                errors.push(err);
                return None;
            }
        }
        ExprKind::Query(q) => (ExprKind::Query(q.clone()), query_ty(q)),
        ExprKind::Call { name, args } => return resolve_call(name, args, span, scope, errors),
        ExprKind::Not(inner) => {
            let inner = expect(inner, Ty::Bool, "`not`", scope, errors)?;
            (ExprKind::Not(Box::new(inner)), Ty::Bool)
        }
        ExprKind::And(a, b) | ExprKind::Or(a, b) => {
            let word = if matches!(expr.kind, ExprKind::And(..)) {
                "`and`"
            } else {
                "`or`"
            };
            let a = expect(a, Ty::Bool, word, scope, errors);
            let b = expect(b, Ty::Bool, word, scope, errors);
            let (a, b) = (Box::new(a?), Box::new(b?));
            let kind = if matches!(expr.kind, ExprKind::And(..)) {
                ExprKind::And(a, b)
            } else {
                ExprKind::Or(a, b)
            };
            (kind, Ty::Bool)
        }
        ExprKind::Compare(op, a, b) => {
            let left = resolve(a, scope, errors);
            let right = resolve(b, scope, errors);
            let ((a, ta), (b, tb)) = (left?, right?);
            if ta != tb {
                let hint = match (ta, tb) {
                    (Ty::Duration, Ty::Int) | (Ty::Int, Ty::Duration) => {
                        "write durations with a unit: `6h`, `30m`"
                    }
                    (Ty::Severity, _) | (_, Ty::Severity) => {
                        "severities are minor, moderate, significant, severe, critical"
                    }
                    (Ty::IpcrMode, _) | (_, Ty::IpcrMode) => {
                        "IPCR modes are monitoring, information_sharing, full_activation"
                    }
                    _ => "both sides of a comparison must have the same type",
                };
                errors.push(
                    ExprError::new(span, format!("cannot compare {ta} with {tb}")).hint(hint),
                );
                return None;
            }
            if ta == Ty::Bool && !matches!(op, CmpOp::Eq | CmpOp::Ne) {
                errors.push(
                    ExprError::new(span, "true/false values have no order")
                        .hint("use `==`, `!=`, or the value itself"),
                );
                return None;
            }
            (ExprKind::Compare(*op, Box::new(a), Box::new(b)), Ty::Bool)
        }
        ExprKind::Arith(op, a, b) => {
            let left = resolve(a, scope, errors);
            let right = resolve(b, scope, errors);
            let ((a, ta), (b, tb)) = (left?, right?);
            if ta != tb || !matches!(ta, Ty::Int | Ty::Duration) {
                errors.push(
                    ExprError::new(span, format!("cannot add or subtract {ta} and {tb}"))
                        .hint("`+` and `-` work on two numbers or two durations"),
                );
                return None;
            }
            (ExprKind::Arith(*op, Box::new(a), Box::new(b)), ta)
        }
    };
    Some((Expr { kind, span }, ty))
}

fn expect(
    expr: &Expr,
    want: Ty,
    context: &str,
    scope: &dyn Scope,
    errors: &mut Vec<ExprError>,
) -> Option<Expr> {
    let (e, ty) = resolve(expr, scope, errors)?;
    if ty == want {
        Some(e)
    } else {
        errors.push(
            ExprError::new(
                e.span.clone(),
                format!("{context} needs {want}, but this is {ty}"),
            )
            .hint("compare it first, e.g. `severity(x) >= significant`"),
        );
        None
    }
}

fn known_names(scope: &dyn Scope) -> Vec<String> {
    let mut names: Vec<String> = Fact::ALL.iter().map(|(_, n, _)| (*n).to_owned()).collect();
    names.extend(
        ["and", "or", "not", "true", "false"]
            .iter()
            .map(|s| (*s).to_owned()),
    );
    names.extend(Severity::ALL.iter().map(|s| s.keyword().to_owned()));
    names.extend(IpcrMode::ALL.iter().map(|m| m.keyword().to_owned()));
    names.extend(scope.variable_names());
    names
}

fn resolve_call(
    name: &str,
    args: &[(String, Range<usize>)],
    span: Range<usize>,
    scope: &dyn Scope,
    errors: &mut Vec<ExprError>,
) -> Option<(Expr, Ty)> {
    let Some((_, kinds, ty)) = FUNCTIONS.iter().find(|(n, _, _)| *n == name) else {
        let names = FUNCTIONS.iter().map(|(n, _, _)| *n);
        let mut err = ExprError::new(span, format!("unknown function `{name}`"));
        err.hint = Some(match super::suggest(name, names) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!(
                "functions are {}",
                FUNCTIONS
                    .iter()
                    .map(|(n, _, _)| *n)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        });
        errors.push(err);
        return None;
    };
    if args.len() != kinds.len() {
        let wanted: Vec<String> = kinds.iter().map(ToString::to_string).collect();
        errors.push(
            ExprError::new(
                span,
                format!(
                    "`{name}` takes {} argument(s), found {}",
                    kinds.len(),
                    args.len()
                ),
            )
            .hint(format!("write `{name}({})`", wanted.join(", "))),
        );
        return None;
    }
    let mut ok = true;
    for (i, ((id, arg_span), kind)) in args.iter().zip(kinds.iter()).enumerate() {
        let parent = if *kind == ArgKind::Option {
            args.get(i.wrapping_sub(1)).map(|(p, _)| p.as_str())
        } else {
            None
        };
        if !scope.exists(*kind, id, parent) {
            ok = false;
            let mut err = ExprError::new(arg_span.clone(), format!("unknown {kind} `{id}`"));
            if let Some(other) = scope.kind_of(id) {
                err.message = format!(
                    "`{id}` is {other}, not {} {kind}",
                    if *kind == ArgKind::Incident
                        || *kind == ArgKind::Inject
                        || *kind == ArgKind::Option
                    {
                        "an"
                    } else {
                        "a"
                    }
                );
            } else if let Some(s) =
                super::suggest(id, scope.names(*kind, parent).iter().map(String::as_str))
            {
                err.hint = Some(format!("did you mean `{s}`?"));
            } else if *kind == ArgKind::Option {
                err.hint = Some(format!(
                    "`{id}` is not an option of decision `{}`",
                    parent.unwrap_or("?")
                ));
            }
            errors.push(err);
        }
    }
    if !ok {
        return None;
    }
    let arg = |i: usize| args.get(i).map(|(a, _)| a.clone()).unwrap_or_default();
    let query = match name {
        "severity" => Query::Severity(arg(0)),
        "countries" => Query::Countries(arg(0)),
        "entities" => Query::Entities(arg(0)),
        "detected" => Query::Detected(arg(0)),
        "contained" => Query::Contained(arg(0)),
        "recovered" => Query::Recovered(arg(0)),
        "delivered" => Query::Delivered(arg(0)),
        "decided" => Query::Decided(arg(0)),
        _ => Query::Chose(arg(0), arg(1)),
    };
    Some((
        Expr {
            kind: ExprKind::Query(query),
            span,
        },
        *ty,
    ))
}

fn literal_ty(v: Val) -> Ty {
    match v {
        Val::Bool(_) => Ty::Bool,
        Val::Int(_) => Ty::Int,
        Val::Duration(_) => Ty::Duration,
        Val::Severity(_) => Ty::Severity,
        Val::Ipcr(_) => Ty::IpcrMode,
    }
}

fn query_ty(q: &Query) -> Ty {
    match q {
        Query::Severity(_) => Ty::Severity,
        Query::Countries(_) | Query::Entities(_) => Ty::Int,
        _ => Ty::Bool,
    }
}

/// The live exercise, as a condition sees it.
pub trait Facts {
    fn fact(&self, fact: Fact) -> Val;
    fn variable(&self, name: &str) -> Val;
    fn query(&self, query: &Query) -> Val;
}

impl Expr {
    /// Evaluates a checked condition. Mismatched types cannot occur after [`check`]; if they did, the
    /// result is `false` rather than a panic.
    #[must_use]
    pub fn eval(&self, facts: &dyn Facts) -> Val {
        match &self.kind {
            ExprKind::Literal(v) => *v,
            ExprKind::Fact(f) => facts.fact(*f),
            ExprKind::Variable(name) | ExprKind::Name(name) => facts.variable(name),
            ExprKind::Query(q) => facts.query(q),
            ExprKind::Call { .. } => Val::Bool(false),
            ExprKind::Not(e) => Val::Bool(!e.truthy(facts)),
            ExprKind::And(a, b) => Val::Bool(a.truthy(facts) && b.truthy(facts)),
            ExprKind::Or(a, b) => Val::Bool(a.truthy(facts) || b.truthy(facts)),
            ExprKind::Compare(op, a, b) => {
                let (a, b) = (a.eval(facts), b.eval(facts));
                let ordering = a.partial_cmp(&b);
                Val::Bool(match (op, ordering) {
                    (_, None) => false,
                    (CmpOp::Eq, Some(o)) => o.is_eq(),
                    (CmpOp::Ne, Some(o)) => o.is_ne(),
                    (CmpOp::Lt, Some(o)) => o.is_lt(),
                    (CmpOp::Le, Some(o)) => o.is_le(),
                    (CmpOp::Gt, Some(o)) => o.is_gt(),
                    (CmpOp::Ge, Some(o)) => o.is_ge(),
                })
            }
            ExprKind::Arith(op, a, b) => match (a.eval(facts), b.eval(facts), op) {
                (Val::Int(x), Val::Int(y), ArithOp::Add) => Val::Int(x.saturating_add(y)),
                (Val::Int(x), Val::Int(y), ArithOp::Sub) => Val::Int(x.saturating_sub(y)),
                (Val::Duration(x), Val::Duration(y), ArithOp::Add) => {
                    Val::Duration(x.saturating_add(y))
                }
                (Val::Duration(x), Val::Duration(y), ArithOp::Sub) => {
                    Val::Duration(x.saturating_sub(y))
                }
                _ => Val::Bool(false),
            },
        }
    }

    /// Evaluates to a boolean (`false` for anything that is not `true`).
    #[must_use]
    pub fn truthy(&self, facts: &dyn Facts) -> bool {
        self.eval(facts) == Val::Bool(true)
    }

    /// Calls `visit` on this expression and every sub-expression.
    pub fn walk(&self, visit: &mut dyn FnMut(&Expr)) {
        visit(self);
        match &self.kind {
            ExprKind::Not(e) => e.walk(visit),
            ExprKind::And(a, b)
            | ExprKind::Or(a, b)
            | ExprKind::Compare(_, a, b)
            | ExprKind::Arith(_, a, b) => {
                a.walk(visit);
                b.walk(visit);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct TestScope;
    impl Scope for TestScope {
        fn variable(&self, name: &str) -> Option<Ty> {
            match name {
                "pressure" => Some(Ty::Int),
                "leaked" => Some(Ty::Bool),
                _ => None,
            }
        }
        fn exists(&self, kind: ArgKind, id: &str, parent: Option<&str>) -> bool {
            match kind {
                ArgKind::Incident => id == "ransom",
                ArgKind::Inject => id == "alert",
                ArgKind::Decision => id == "pay",
                ArgKind::Option => parent == Some("pay") && (id == "yes" || id == "no"),
            }
        }
        fn names(&self, kind: ArgKind, parent: Option<&str>) -> Vec<String> {
            match (kind, parent) {
                (ArgKind::Incident, _) => vec!["ransom".into()],
                _ => vec![],
            }
        }
        fn variable_names(&self) -> Vec<String> {
            vec!["pressure".into(), "leaked".into()]
        }
        fn kind_of(&self, id: &str) -> Option<String> {
            (id == "ransom").then(|| "an incident".into())
        }
    }

    struct TestFacts;
    impl Facts for TestFacts {
        fn fact(&self, fact: Fact) -> Val {
            match fact {
                Fact::Time => Val::Duration(400),
                Fact::Ipcr => Val::Ipcr(IpcrMode::InformationSharing),
                Fact::CountriesAffected => Val::Int(2),
                _ => Val::Bool(false),
            }
        }
        fn variable(&self, name: &str) -> Val {
            if name == "pressure" {
                Val::Int(3)
            } else {
                Val::Bool(true)
            }
        }
        fn query(&self, query: &Query) -> Val {
            match query {
                Query::Severity(_) => Val::Severity(Severity::Severe),
                Query::Chose(_, opt) => Val::Bool(opt == "no"),
                _ => Val::Bool(true),
            }
        }
    }

    fn checked(text: &str) -> Result<Expr, Vec<ExprError>> {
        parse(text)
            .map_err(|e| vec![e])
            .and_then(|e| check(&e, &TestScope))
    }

    fn eval(text: &str) -> bool {
        checked(text).expect("valid condition").truthy(&TestFacts)
    }

    #[test]
    fn evaluates_against_the_exercise() {
        assert!(eval(
            "ipcr >= information_sharing and countries_affected >= 2"
        ));
        assert!(!eval("ipcr == full_activation"));
        assert!(eval("time >= 6h and time < 1d"));
        assert!(eval("severity(ransom) > significant && !chose(pay, yes)"));
        assert!(eval("pressure + 1 == 4 or leaked"));
        assert!(eval("not (pressure - 5 >= 0)"));
        assert!(eval("pressure > -1"));
    }

    #[test]
    fn type_errors_are_reported_with_a_hint() {
        let errs = checked("ipcr >= significant").expect_err("mismatch");
        assert!(
            errs[0]
                .message
                .contains("cannot compare an IPCR mode with a severity"),
            "{errs:?}"
        );
        let errs = checked("time > 3").expect_err("mismatch");
        assert!(errs[0].hint.as_deref().unwrap_or("").contains("unit"));
        let errs = checked("pressure").expect_err("not bool");
        assert!(errs[0].message.contains("must be true/false"));
        let errs = checked("leaked > true").expect_err("no order");
        assert!(errs[0].message.contains("no order"));
    }

    #[test]
    fn unknown_names_and_ids_all_reported_with_suggestions() {
        let errs = checked("presure > 1 and severity(ransome) > minor and chose(pay, maybe)")
            .expect_err("unknown");
        assert_eq!(errs.len(), 3, "{errs:?}");
        assert_eq!(errs[0].hint.as_deref(), Some("did you mean `pressure`?"));
        assert_eq!(errs[0].span, 0..7);
        assert_eq!(errs[1].hint.as_deref(), Some("did you mean `ransom`?"));
        assert!(errs[2].message.contains("unknown option `maybe`"));
    }

    #[test]
    fn syntax_errors_point_at_the_problem() {
        let err = parse("time >= 6h and").expect_err("ends early");
        assert!(err.message.contains("ends too early"));
        let err = parse("a = b").expect_err("single equals");
        assert_eq!(err.hint.as_deref(), Some("compare with `==`"));
        assert_eq!(err.span, 2..3);
        assert!(parse("a < b < c").is_err());
        assert!(parse("severity(\"x\")").is_err());
        assert!(parse("").is_err());
        assert!(parse("1x").is_err(), "bad duration unit");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = format!("{}true{}", "(".repeat(10_000), ")".repeat(10_000));
        assert!(parse(&text).is_err());
        let text = "not ".repeat(10_000) + "true";
        assert!(parse(&text).is_err());
    }
}
