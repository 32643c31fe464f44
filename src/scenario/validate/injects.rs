//! Injects: sender, recipients (seats only), subject, attachments, objectives, the decision offered and
//! the effects; each inject's trigger is read in `triggers.rs`.

use std::collections::BTreeSet;

use super::Checker;
use super::Seg::{self, F, I};
use crate::scenario::checked::{Kind, Trigger};
use crate::scenario::{Origin, bundled};

impl Checker<'_> {
    pub(super) fn injects(&mut self) -> Vec<Option<Trigger>> {
        let f = self.file;
        let mut triggers = Vec::new();
        for (i, inj) in f.injects.iter().enumerate() {
            let at = self.parsed.origins.injects[i];
            let base = [F("injects"), I(at)];
            let trigger = self.trigger(at, inj);
            triggers.push(trigger);
            self.resolve(
                &[F("injects"), I(at), F("from")],
                Kind::Actor,
                &inj.from,
                "sender",
            );
            if inj.to.is_empty() {
                self.error(
                    self.key_span(&base, "to"),
                    "the inject has no recipient",
                    Some("list the seats it reaches in `to`".into()),
                );
            }
            let mut seen = BTreeSet::new();
            for (j, to) in inj.to.iter().enumerate() {
                let path = [F("injects"), I(at), F("to"), I(j)];
                if !seen.insert(to.as_str()) {
                    self.warning(self.span(&path), format!("`{to}` is listed twice"), None);
                }
                self.seat(&path, to, "recipient");
            }
            if inj.subject.trim().is_empty() {
                self.error(
                    self.span(&[F("injects"), I(at), F("subject")]),
                    "the subject is empty",
                    Some("recipients see it in their inbox".into()),
                );
            }
            for (j, a) in inj.attachments.iter().enumerate() {
                if !attachment_exists(self.origin, a) {
                    self.error(
                        self.span(&[F("injects"), I(at), F("attachments"), I(j)]),
                        format!("attachment `{a}` is not in `assets/`"),
                        Some("put the file in the `assets` folder next to `scenarios`, and name it relative to `assets`".into()),
                    );
                }
            }
            for (j, o) in inj.objectives.iter().enumerate() {
                self.resolve(
                    &[F("injects"), I(at), F("objectives"), I(j)],
                    Kind::Objective,
                    o,
                    "objective",
                );
            }
            if let Some(d) = &inj.decision {
                self.resolve(
                    &[F("injects"), I(at), F("decision")],
                    Kind::Decision,
                    d,
                    "decision",
                );
            }
            for (j, effect) in inj.effects.iter().enumerate() {
                self.effect(&[F("injects"), I(at), F("effects"), I(j)], effect);
            }
        }
        triggers
    }

    fn seat(&mut self, path: &[Seg], id: &str, what: &str) {
        if let Some(a) = self.resolve(path, Kind::Actor, id, what)
            && !self.file.actors[a].seat
        {
            self.error(
                self.span(path),
                format!("`{id}` is simulated, not a seat"),
                Some(format!(
                    "injects reach seats; add `seat: true` to actor `{id}`"
                )),
            );
        }
    }
}

fn attachment_exists(origin: &Origin, name: &str) -> bool {
    if name.contains("..") || name.starts_with('/') {
        return false;
    }
    if bundled::asset(name).is_some() {
        return true;
    }
    origin.dir.as_ref().is_some_and(|dir| {
        dir.join("assets").join(name).is_file()
            || dir.join("..").join("assets").join(name).is_file()
    })
}
