//! Times: the exercise's time frame (`start`, `duration`), which every later time is checked against, and
//! the helpers that read a moment inside the exercise or a duration where a pass finds one.

use super::Checker;
use super::Seg::{self, F};
use crate::scenario::time::{self, Minutes, parse_duration, parse_moment, parse_start};

const DURATION_HINT: &str = "durations look like \"30m\", \"6h\", \"2d\" or \"1h30m\"";
const MOMENT_HINT: &str = "write \"T+01:30\" (hours:minutes since the start), a duration like \"90m\", or a date-time inside the exercise";

impl Checker<'_> {
    /// `start` and `duration`; later passes read them to place every time inside the exercise.
    pub(super) fn time_frame(&mut self) {
        let f = self.file;
        if self.parsed.present.contains("start") {
            match parse_start(&f.start) {
                Ok(start) => self.start = Some(start),
                Err(e) => self.error(
                    self.span(&[F("start")]),
                    format!("bad start: {e}"),
                    Some(
                        "write e.g. \"2026-03-10T08:00:00+01:00\" (date, T, time, UTC offset)"
                            .into(),
                    ),
                ),
            }
        }
        if self.parsed.present.contains("duration") {
            match parse_duration(&f.duration) {
                Ok(0) => self.error(
                    self.span(&[F("duration")]),
                    "the exercise lasts no time",
                    Some("e.g. `duration: \"48h\"`".into()),
                ),
                Ok(d) => self.duration = Some(d),
                Err(e) => self.error(
                    self.span(&[F("duration")]),
                    format!("bad duration: {e}"),
                    Some(DURATION_HINT.into()),
                ),
            }
        }
    }

    /// `council:`, the pace of the Council track: each step given must be a duration longer than zero;
    /// steps left out (or wrong, once reported) take the model's defaults.
    pub(super) fn council_times(&mut self) -> crate::doctrine::CouncilTimes {
        let mut times = crate::doctrine::DEFAULT_COUNCIL_TIMES;
        let Some(settings) = self.file.council.clone() else {
            return times;
        };
        for (field, text, slot) in [
            ("hwpci", settings.hwpci, &mut times.hwpci),
            ("psc", settings.psc, &mut times.psc),
            ("council", settings.council, &mut times.council),
        ] {
            let Some(text) = text else { continue };
            let path = [F("council"), F(field)];
            match parse_duration(&text) {
                Ok(0) => self.error(
                    self.span(&path),
                    format!("the {field} step of the Council track takes no time"),
                    Some("every step of the Council track takes some time, e.g. \"6h\"".into()),
                ),
                Ok(m) => *slot = m,
                Err(e) => self.error(
                    self.span(&path),
                    format!("bad duration: {e}"),
                    Some(DURATION_HINT.into()),
                ),
            }
        }
        times
    }

    /// A moment inside the exercise, or an error at `path`.
    pub(super) fn moment(&mut self, path: &[Seg], text: &str) -> Option<Minutes> {
        match parse_moment(text, self.start) {
            Ok(m) if m < 0 => {
                self.error(
                    self.span(path),
                    format!("`{text}` is before the exercise starts"),
                    Some("times count from T+00:00".into()),
                );
                None
            }
            Ok(m) => {
                let m = Minutes::try_from(m).unwrap_or(Minutes::MAX);
                if let Some(d) = self.duration
                    && m > d
                {
                    self.error(
                        self.span(path),
                        format!(
                            "`{text}` is after the exercise ends ({})",
                            time::format_offset(d)
                        ),
                        Some("move it earlier or lengthen `duration`".into()),
                    );
                    return None;
                }
                Some(m)
            }
            // The invalid start was reported once; don't repeat it at every date-time.
            Err(e) if e == time::NO_START => None,
            Err(e) => {
                self.error(
                    self.span(path),
                    format!("bad time: {e}"),
                    Some(MOMENT_HINT.into()),
                );
                None
            }
        }
    }

    pub(super) fn duration_at(&mut self, path: &[Seg], text: &str) -> Option<Minutes> {
        match parse_duration(text) {
            Ok(m) => Some(m),
            Err(e) => {
                self.error(
                    self.span(path),
                    format!("bad duration: {e}"),
                    Some(DURATION_HINT.into()),
                );
                None
            }
        }
    }
}
