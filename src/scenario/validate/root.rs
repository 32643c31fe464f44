//! The scenario's own descriptive fields: `id`, `title` and `language`. Its time frame (`start`,
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
        if !lang_ok {
            self.error(
                self.span(&[F("language")]),
                format!("`{}` is not a language code", f.language),
                Some("use an ISO 639-1 code such as \"en\", \"fr\", \"el\" or \"bg\"".into()),
            );
        }
    }
}
