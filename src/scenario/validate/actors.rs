//! Actors: each one's country fits its kind and the participating Member States, one Presidency at most,
//! and a scenario has seats to play; `entity` checks that an incident hits an essential or important
//! entity.

use super::Checker;
use super::Seg::{self, F, I};
use super::countries::country_problem;
use crate::domain::ActorKind;
use crate::scenario::checked::Kind;

impl Checker<'_> {
    pub(super) fn actors(&mut self) {
        let f = self.file;
        let mut presidency_actors = 0;
        for (i, a) in f.actors.iter().enumerate() {
            let at = self.parsed.origins.actors[i];
            let path = [F("actors"), I(at)];
            match (&a.country, a.kind) {
                (Some(code), kind) => {
                    let span = self.span(&[F("actors"), I(at), F("country")]);
                    if kind.is_union_body() {
                        self.error(
                            span,
                            format!("{} is an EU body and has no country", kind.label()),
                            Some("remove `country`".into()),
                        );
                    } else if let Some(hint) = country_problem(code) {
                        self.error(
                            span,
                            format!("`{code}` is not an EU Member State code"),
                            Some(hint),
                        );
                    } else if !f.member_states.contains(code) {
                        self.error(
                            span,
                            format!("`{code}` is not a participating Member State"),
                            Some(format!(
                                "add \"{code}\" to `member_states`, or pick one of: {}",
                                f.member_states.join(", ")
                            )),
                        );
                    } else if kind == ActorKind::Presidency && *code != f.presidency {
                        self.error(
                            span,
                            format!("the Presidency is held by `{}`, not `{code}`", f.presidency),
                            Some(format!(
                                "write `country: \"{}\"` or leave it out",
                                f.presidency
                            )),
                        );
                    }
                }
                (None, kind) if kind.is_national() && kind != ActorKind::Presidency => {
                    self.error(
                        self.key_span(&path, "kind"),
                        format!("a {} needs a `country`", kind.label()),
                        Some(format!(
                            "add e.g. `country: \"{}\"`",
                            f.member_states.first().map_or("DE", String::as_str)
                        )),
                    );
                }
                _ => {}
            }
            if a.kind == ActorKind::Presidency {
                presidency_actors += 1;
                if presidency_actors == 2 {
                    self.error(
                        self.span(&[F("actors"), I(at), F("kind")]),
                        "more than one Presidency actor",
                        Some("one Member State holds the Presidency".into()),
                    );
                }
            }
            if a.name.trim().is_empty() {
                self.error(
                    self.span(&[F("actors"), I(at), F("name")]),
                    "the actor's name is empty",
                    None,
                );
            }
        }
        if self.parsed.present.contains("actors")
            && f.actors.is_empty()
            && self.parsed.broken_ids.is_empty()
        {
            self.warning(
                self.span(&[F("actors")]),
                "the scenario has no actors",
                Some("declare the seats participants play and the entities incidents hit".into()),
            );
        }
        if self.parsed.present.contains("injects")
            && f.injects.is_empty()
            && self.parsed.broken_ids.is_empty()
        {
            self.warning(
                self.span(&[F("injects")]),
                "the scenario has no injects, so nothing reaches the seats",
                Some("the MSEL is the list of injects; add at least one".into()),
            );
        }
        if !f.actors.is_empty()
            && !f.actors.iter().any(|a| a.seat)
            && self.parsed.broken_ids.is_empty()
        {
            self.warning(
                self.key_span(&[], "actors"),
                "no actor is a seat, so nobody plays this exercise",
                Some("mark the roles participants play with `seat: true`".into()),
            );
        }
    }

    pub(super) fn entity(&mut self, path: &[Seg], id: &str) {
        if let Some(i) = self.resolve(path, Kind::Actor, id, "entity") {
            let kind = self.file.actors[i].kind;
            if !kind.is_nis2_entity() {
                self.error(
                    self.span(path),
                    format!("`{id}` is a {}, not an essential or important entity", kind.label()),
                    Some("incidents hit entities: actors of kind Essential(Sector) or Important(Sector)".into()),
                );
            }
        }
    }
}
