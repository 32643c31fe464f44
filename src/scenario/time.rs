//! Simulated time as planners write it: durations (`"6h"`, `"1h30m"`, `"2d"`), exercise offsets
//! (`"T+01:30"`) and RFC 3339 date-times, all reduced to whole minutes.

use chrono::{DateTime, FixedOffset};

// Defined with the domain vocabulary so that the rules (`doctrine`) use it without depending on the
// file format; re-exported here, where durations and offsets are read into it.
pub use crate::domain::Minutes;

/// Parses a duration: `"45m"`, `"6h"`, `"2d"`, `"1h30m"`, `"1h 30m"` (also `"T+01:30"`).
pub fn parse_duration(text: &str) -> Result<Minutes, String> {
    let trimmed = text.trim();
    if let Some(rest) = trimmed.strip_prefix("T+") {
        return parse_clock(rest);
    }
    if trimmed.is_empty() {
        return Err("empty duration".into());
    }
    if trimmed.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!("`{trimmed}` has no unit"));
    }
    let duration = humantime::parse_duration(trimmed).map_err(|e| match e {
        humantime::DurationError::UnknownUnit { unit, .. } => {
            format!("`{trimmed}` has an unknown unit `{unit}` (use m, h or d)")
        }
        _ => format!("`{trimmed}` is not a duration"),
    })?;
    let seconds = duration.as_secs();
    if seconds % 60 != 0 || duration.subsec_nanos() != 0 {
        return Err(format!("`{trimmed}` is not a whole number of minutes"));
    }
    Minutes::try_from(seconds / 60).map_err(|_| format!("`{trimmed}` is too long"))
}

/// `HH:MM` after `T+`; hours may exceed 24 (`T+36:00`).
fn parse_clock(text: &str) -> Result<Minutes, String> {
    let (hours, minutes) = text
        .split_once(':')
        .ok_or_else(|| format!("`T+{text}` should be `T+HH:MM`"))?;
    let hours: Minutes = hours
        .parse()
        .map_err(|_| format!("`{hours}` in `T+{text}` is not a number of hours"))?;
    let minutes: Minutes =
        minutes.parse().ok().filter(|m| *m < 60).ok_or_else(|| {
            format!("`{minutes}` in `T+{text}` is not a number of minutes (00-59)")
        })?;
    hours
        .checked_mul(60)
        .and_then(|h| h.checked_add(minutes))
        .ok_or_else(|| format!("`T+{text}` is too far"))
}

/// Parses the scenario start.
pub fn parse_start(text: &str) -> Result<DateTime<FixedOffset>, String> {
    DateTime::parse_from_rfc3339(text.trim())
        .map_err(|e| format!("`{text}` is not an RFC 3339 date-time ({e})"))
}

/// The error for a date-time when the scenario start itself is invalid (already reported there).
pub const NO_START: &str = "the scenario start is not valid, so a date-time cannot be placed";

/// A moment inside the exercise: an offset (`"T+01:30"`, `"90m"`) or an RFC 3339 date-time, which is
/// taken relative to `start`. Returns minutes since the start (negative if before it).
pub fn parse_moment(text: &str, start: Option<DateTime<FixedOffset>>) -> Result<i64, String> {
    let trimmed = text.trim();
    if trimmed.len() >= 10 && trimmed.as_bytes().get(4) == Some(&b'-') {
        let at = parse_start(trimmed)?;
        let start =
            start.ok_or("the scenario start is not valid, so a date-time cannot be placed")?;
        let delta = at.signed_duration_since(start);
        if delta.num_seconds() % 60 != 0 {
            return Err(format!("`{trimmed}` is not on a whole minute"));
        }
        return Ok(delta.num_minutes());
    }
    parse_duration(trimmed).map(i64::from)
}

/// `T+HH:MM`, how times are shown everywhere.
#[must_use]
pub fn format_offset(minutes: Minutes) -> String {
    format!("T+{:02}:{:02}", minutes / 60, minutes % 60)
}

/// A compact duration: `"2d 3h"`, `"45m"`, `"1h 30m"`.
#[must_use]
pub fn format_duration(minutes: Minutes) -> String {
    let (days, hours, mins) = (minutes / 1440, minutes / 60 % 24, minutes % 60);
    let parts: Vec<String> = [(days, "d"), (hours, "h"), (mins, "m")]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, unit)| format!("{n}{unit}"))
        .collect();
    if parts.is_empty() {
        "0m".into()
    } else {
        parts.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_in_planner_notation() {
        assert_eq!(parse_duration("45m"), Ok(45));
        assert_eq!(parse_duration("6h"), Ok(360));
        assert_eq!(parse_duration("2d"), Ok(2880));
        assert_eq!(parse_duration("1h30m"), Ok(90));
        assert_eq!(parse_duration("1h 30m"), Ok(90));
        assert_eq!(parse_duration("T+36:15"), Ok(36 * 60 + 15));
        assert!(parse_duration("90").is_err(), "a bare number has no unit");
        assert!(parse_duration("30s").is_err(), "not whole minutes");
        assert!(parse_duration("T+1:75").is_err());
        assert!(parse_duration("soon").is_err());
    }

    #[test]
    fn moments_may_be_date_times_inside_the_exercise() {
        let start = parse_start("2026-03-10T08:00:00+01:00").ok();
        assert_eq!(parse_moment("2026-03-10T09:30:00+01:00", start), Ok(90));
        assert_eq!(parse_moment("2026-03-10T07:00:00Z", start), Ok(0));
        assert_eq!(parse_moment("T+00:10", start), Ok(10));
    }

    #[test]
    fn formatting() {
        assert_eq!(format_offset(36 * 60 + 5), "T+36:05");
        assert_eq!(format_duration(1440 + 90), "1d 1h 30m");
        assert_eq!(format_duration(0), "0m");
    }
}
