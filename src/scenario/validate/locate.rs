//! Where a diagnostic points: the span of a path into the text (`injects[3].to[1]`), of a field's key,
//! or of a map entry's key, found through the structural index so it is exact even where `ron` gave none.

use std::ops::Range;

use super::Checker;
use super::Seg::{self, F, I};

impl Checker<'_> {
    /// The span of the deepest node along `path` that exists.
    pub(super) fn span(&self, path: &[Seg]) -> Range<usize> {
        let mut node = self.tree;
        let mut span = node
            .name_span()
            .unwrap_or(node.span.start..node.span.start + 1);
        for seg in path {
            let next = match seg {
                F(name) => node.field(name),
                I(i) => node.index(*i),
            };
            match next {
                Some(n) => {
                    node = n;
                    span = n.span.clone();
                }
                None => break,
            }
        }
        span
    }

    /// The span of a field's key (`to` in `to: [...]`), or the deepest node found.
    pub(super) fn key_span(&self, path: &[Seg], field: &str) -> Range<usize> {
        let mut node = self.tree;
        for seg in path {
            let next = match seg {
                F(name) => node.field(name),
                I(i) => node.index(*i),
            };
            match next {
                Some(n) => node = n,
                None => return self.span(path),
            }
        }
        node.entry(field)
            .and_then(|e| e.key.as_ref().map(|k| k.span.clone()))
            .unwrap_or_else(|| {
                node.name_span()
                    .unwrap_or(node.span.start..node.span.start + 1)
            })
    }

    pub(super) fn key_of_map_entry(&self, path: &[Seg]) -> Range<usize> {
        if let [F(section), I(i)] = path
            && let Some(key) = self
                .tree
                .field(section)
                .and_then(|n| n.entries().get(*i))
                .and_then(|e| e.key.as_ref())
        {
            return key.span.clone();
        }
        self.span(path)
    }
}
