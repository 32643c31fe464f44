//! The words of the report: section headings, labels and the sentences both renderers print, so the
//! HTML and the Markdown cannot say different things. Renderers add only markup.

use crate::domain::{BlueprintLevel, IpcrMode};
use crate::scenario::time::{Minutes, format_duration, format_offset};
use crate::sim::Rating;

use super::model::{Basis, Category, CriterionOutcome, Report, Resolution};

/// The report's sections in order, as (anchor, heading). Both renderers number and use these headings.
pub const SECTIONS: [(&str, &str); 8] = [
    ("overview", "Exercise overview"),
    ("objectives", "Analysis of objectives"),
    ("trends", "Severity and affected Member States over time"),
    ("timeline", "Timeline of key events"),
    ("decisions", "Decision log"),
    ("mechanisms", "Mechanism activation by Blueprint level"),
    ("nis2", "NIS2 reporting deadlines"),
    ("improvement-plan", "Improvement plan"),
];

/// The heading of a Blueprint level's part of the report.
#[must_use]
pub fn level_label(level: BlueprintLevel) -> &'static str {
    match level {
        BlueprintLevel::Technical => "Technical level",
        BlueprintLevel::Operational => "Operational level",
        BlueprintLevel::Political => "Strategic / political level",
    }
}

/// What a Blueprint level covers, in words.
#[must_use]
pub fn level_scope(level: BlueprintLevel) -> &'static str {
    match level {
        BlueprintLevel::Technical => "CSIRTs Network, cross-border information, Europol EC3",
        BlueprintLevel::Operational => {
            "EU-CyCLONe, EU Cybersecurity Reserve, rapid reaction teams, incident reviews"
        }
        BlueprintLevel::Political => {
            "IPCR, Art. 222 TFEU, Art. 42(7) TEU, Cyber Diplomacy Toolbox, attribution"
        }
    }
}

/// A signed span from the first cross-border impact: `+3h 30m`, `−20m`, `0m`.
#[must_use]
pub fn signed_duration(minutes: i64) -> String {
    let magnitude = Minutes::try_from(minutes.unsigned_abs()).unwrap_or(Minutes::MAX);
    match minutes.signum() {
        1 => format!("+{}", format_duration(magnitude)),
        -1 => format!("\u{2212}{}", format_duration(magnitude)),
        _ => "0m".into(),
    }
}

/// `1 deadline`, `3 deadlines`.
#[must_use]
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// The name of a HSEEP rating.
#[must_use]
pub fn rating_meaning(rating: Rating) -> &'static str {
    match rating {
        Rating::P => "performed without challenges",
        Rating::S => "performed with some challenges",
        Rating::M => "performed with major challenges",
        Rating::U => "unable to be performed",
    }
}

/// The first letter in upper case: for sentences that start with a value.
pub(super) fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_uppercase().chain(chars).collect::<String>()
    })
}

/// An IPCR mode in words.
pub(super) fn ipcr_label(mode: IpcrMode) -> &'static str {
    match mode {
        IpcrMode::Monitoring => "monitoring",
        IpcrMode::InformationSharing => "information sharing",
        IpcrMode::FullActivation => "full activation",
    }
}

impl Report {
    /// The simulated wall-clock time of a minute: `Tue 12 May 09:40`.
    #[must_use]
    pub fn clock(&self, at: Minutes) -> String {
        self.instant(at).format("%a %d %b %H:%M").to_string()
    }

    /// The simulated period: `Tue 12 May 2026, 09:00 to 11:00, UTC+02:00`.
    #[must_use]
    pub fn period(&self) -> String {
        let (start, end) = (self.overview.start, self.instant(self.overview.duration));
        let zone = start.format("%:z");
        if start.date_naive() == end.date_naive() {
            format!(
                "{}, {} to {}, UTC{zone}",
                start.format("%a %-d %b %Y"),
                start.format("%H:%M"),
                end.format("%H:%M")
            )
        } else {
            format!(
                "{} to {}, UTC{zone}",
                start.format("%a %-d %b %Y %H:%M"),
                end.format("%a %-d %b %Y %H:%M")
            )
        }
    }
}

impl Basis {
    /// A few words on where the finding comes from: "criterion met at T+00:40", "observation rated S at
    /// T+02:00".
    #[must_use]
    pub fn label(&self) -> String {
        match self {
            Basis::Criterion {
                outcome: CriterionOutcome::Met(t),
                ..
            } => format!("criterion met at {}", format_offset(*t)),
            Basis::Criterion {
                outcome: CriterionOutcome::Failed(t),
                ..
            } => format!("criterion window closed {}", format_offset(*t)),
            Basis::Criterion { .. } => "criterion still open".into(),
            Basis::Observation { at, rating } => {
                format!("observation rated {rating:?} at {}", format_offset(*at))
            }
        }
    }
}

impl Category {
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Category::Exercise => "Exercise",
            Category::Incident => "Incident",
            Category::Mechanism => "Mechanism",
            Category::Decision => "Decision",
            Category::Nis2 => "NIS2",
            Category::Criterion => "Criterion",
            Category::Facilitator => "Facilitator",
            Category::Rules => "Rules",
        }
    }
}

impl Resolution {
    #[must_use]
    pub fn label(&self) -> String {
        match self {
            Resolution::OnTime => "on time".into(),
            Resolution::Late => "late".into(),
            Resolution::ByFacilitator => "decided by the facilitator".into(),
            Resolution::Defaulted {
                nobody_seated: false,
            } => "defaulted (deadline passed)".into(),
            Resolution::Defaulted {
                nobody_seated: true,
            } => "defaulted (no seat plays it)".into(),
            Resolution::Withdrawn { reason } => format!("withdrawn: {reason}"),
            Resolution::Unanswered => "no answer".into(),
        }
    }
}
