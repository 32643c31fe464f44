//! References: an id used where an actor, inject, decision or other element is expected resolves to one
//! of that kind, or is reported with a suggestion (unless its target failed to parse and was reported).

use std::ops::Range;

use super::Checker;
use super::Seg;
use crate::scenario::checked::Kind;
use crate::scenario::suggest;

impl Checker<'_> {
    /// Reports an unknown reference unless the target failed to parse (already reported).
    fn unknown(&mut self, span: Range<usize>, kind: Kind, id: &str, what: &str) {
        if self.parsed.broken_ids.contains(id) {
            return;
        }
        let candidates: Vec<&str> = self
            .index
            .iter()
            .filter(|(_, (k, _))| *k == kind)
            .map(|(n, _)| n.as_str())
            .collect();
        let hint = match suggest(id, candidates.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None if candidates.is_empty() => format!("no {} is declared", kind.noun()),
            None => format!("known {}s: {}", kind.noun(), shorten(&candidates)),
        };
        self.error(span, format!("unknown {what} `{id}`"), Some(hint));
    }

    pub(super) fn resolve(
        &mut self,
        path: &[Seg],
        kind: Kind,
        id: &str,
        what: &str,
    ) -> Option<usize> {
        match self.index.get(id) {
            Some((k, i)) if *k == kind => Some(*i),
            Some((k, _)) => {
                let k = *k;
                self.error(
                    self.span(path),
                    format!("`{id}` is {}, not {}", k.a_noun(), kind.a_noun()),
                    None,
                );
                None
            }
            None => {
                self.unknown(self.span(path), kind, id, what);
                None
            }
        }
    }
}

fn shorten(names: &[&str]) -> String {
    if names.len() <= 8 {
        names.join(", ")
    } else {
        format!("{}, ... ({} in all)", names[..8].join(", "), names.len())
    }
}
