//! The scenario's own descriptive fields: `id`, `title` and `language`, and the rule settings
//! (`reserve_capacity`, `isaa`). Its time frame (`start`,
//! `duration`) is checked in `times.rs`, its Member States and Presidency in `countries.rs`.

use super::Checker;
use super::Seg::F;

impl Checker<'_> {
    pub(super) fn root(&mut self) {
        let f = self.file;
        if self.parsed.present.contains("id") && f.id.trim().is_empty() {
            self.error(
                self.span(&[F("id")]),
                "the scenario id is empty",
                Some("e.g. `id: \"hospital-ransomware\"`".into()),
            );
        }
        if self.parsed.present.contains("title") && f.title.trim().is_empty() {
            self.error(self.span(&[F("title")]), "the title is empty", None);
        }
        let lang_ok = {
            let (primary, region) = f.language.split_once('-').unwrap_or((&f.language, ""));
            primary.len() == 2
                && primary.bytes().all(|b| b.is_ascii_lowercase())
                && (region.is_empty()
                    || (region.len() == 2 && region.bytes().all(|b| b.is_ascii_uppercase())))
        };
        if let Some(crate::scenario::model::Isaa::Every(every)) = &f.isaa {
            match crate::scenario::time::parse_duration(every) {
                Ok(0) => self.error(
                    self.span(&[F("isaa")]),
                    "ISAA reports need a rhythm longer than zero",
                    Some("e.g. `isaa: Every(\"12h\")`, or `isaa: Off`".into()),
                ),
                Ok(_) => {}
                Err(e) => self.error(
                    self.span(&[F("isaa")]),
                    e,
                    Some("durations look like \"30m\", \"6h\", \"2d\" or \"1h30m\"".into()),
                ),
            }
        }
        if f.reserve_capacity == Some(0) {
            self.error(
                self.span(&[F("reserve_capacity")]),
                "the Reserve needs at least one team",
                Some(
                    "write `reserve_capacity: 1` or more, or leave it out for the default of 4"
                        .into(),
                ),
            );
        }
        if !lang_ok {
            self.error(
                self.span(&[F("language")]),
                format!("`{}` is not a language code", f.language),
                Some("use an ISO 639-1 code such as \"en\", \"fr\", \"el\" or \"bg\"".into()),
            );
        }
    }
}
