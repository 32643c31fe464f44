//! The scenario's own descriptive fields: `id`, `title` and `language`, and the rule settings
//! (`reserve_capacity`). Its time frame (`start`,
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
