//! The report's two charts (worst severity and affected Member States over time) as inline SVG, written
//! by hand: two step lines need no charting library, and the output is plain text that needs no network
//! and diffs cleanly in golden files.

use std::fmt::Write as _;

use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};

use crate::scenario::time::{Minutes, format_offset};

const WIDTH: f64 = 760.0;
const HEIGHT: f64 = 230.0;
const LEFT: f64 = 92.0;
const RIGHT: f64 = 36.0;
const TOP: f64 = 22.0;
const BOTTOM: f64 = 34.0;

/// One step chart: a value that holds until the next point.
pub struct StepChart<'a> {
    /// Unique within the page, for `aria-labelledby`.
    pub id: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub colour: &'a str,
    /// Y axis labels at whole values `0..=y_max` (every one, or every `y_step`-th).
    pub y_labels: Vec<(u32, String)>,
    pub y_max: u32,
    /// (minute, value, tooltip) at each change.
    pub points: Vec<(Minutes, u32, String)>,
    pub end: Minutes,
    /// A dashed vertical line with a label, e.g. the first cross-border impact.
    pub marker: Option<(Minutes, &'a str)>,
}

impl StepChart<'_> {
    fn x(&self, at: Minutes) -> f64 {
        let end = f64::from(self.end.max(1));
        LEFT + f64::from(at.min(self.end)) / end * (WIDTH - LEFT - RIGHT)
    }

    fn y(&self, value: u32) -> f64 {
        let max = f64::from(self.y_max.max(1));
        TOP + (HEIGHT - TOP - BOTTOM) * (1.0 - f64::from(value.min(self.y_max)) / max)
    }

    /// The chart as an `<svg>` element for an HTML page.
    #[must_use]
    pub fn render(&self) -> String {
        let mut s = String::new();
        let id = attr(self.id);
        let _ = writeln!(
            s,
            r#"<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="{id}-t {id}-d" preserveAspectRatio="xMidYMid meet">"#
        );
        let _ = writeln!(s, r#"<title id="{id}-t">{}</title>"#, text(self.title));
        let _ = writeln!(s, r#"<desc id="{id}-d">{}</desc>"#, text(self.description));
        self.axes(&mut s);
        self.line(&mut s);
        if let Some((at, label)) = self.marker {
            let x = self.x(at);
            let _ = writeln!(
                s,
                r##"<line x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{:.1}" stroke="#6b7280" stroke-width="1" stroke-dasharray="4 3"/>"##,
                TOP - 6.0,
                HEIGHT - BOTTOM
            );
            // Keep the label inside the plot: right of the line, or left of it near the right edge.
            let (anchor, dx) = if x > WIDTH - 200.0 {
                ("end", -4.0)
            } else {
                ("start", 4.0)
            };
            let _ = writeln!(
                s,
                r##"<text x="{:.1}" y="{:.1}" text-anchor="{anchor}" class="marker" fill="#4b5563">{}</text>"##,
                x + dx,
                TOP - 8.0,
                text(label)
            );
        }
        s.push_str("</svg>\n");
        s
    }

    fn axes(&self, s: &mut String) {
        let (x0, x1) = (LEFT, WIDTH - RIGHT);
        let bottom = HEIGHT - BOTTOM;
        for (value, label) in &self.y_labels {
            let y = self.y(*value);
            let _ = writeln!(
                s,
                r##"<line x1="{x0:.1}" y1="{y:.1}" x2="{x1:.1}" y2="{y:.1}" stroke="#e5e7eb" stroke-width="1"/>"##
            );
            let _ = writeln!(
                s,
                r##"<text x="{:.1}" y="{:.1}" text-anchor="end" fill="#374151">{}</text>"##,
                x0 - 8.0,
                y + 4.0,
                text(label)
            );
        }
        let step = tick_step(self.end);
        let mut t = 0;
        while t <= self.end {
            let x = self.x(t);
            let _ = writeln!(
                s,
                r##"<line x1="{x:.1}" y1="{bottom:.1}" x2="{x:.1}" y2="{:.1}" stroke="#9ca3af" stroke-width="1"/>"##,
                bottom + 4.0
            );
            let _ = writeln!(
                s,
                r##"<text x="{x:.1}" y="{:.1}" text-anchor="middle" fill="#374151">{}</text>"##,
                bottom + 18.0,
                format_offset(t)
            );
            t += step;
        }
        let _ = writeln!(
            s,
            r##"<line x1="{x0:.1}" y1="{bottom:.1}" x2="{x1:.1}" y2="{bottom:.1}" stroke="#6b7280" stroke-width="1"/>"##
        );
    }

    fn line(&self, s: &mut String) {
        // Only the points where this series changes (the report's points follow both series).
        let mut changes: Vec<&(Minutes, u32, String)> = Vec::new();
        for p in &self.points {
            if changes.last().is_none_or(|last| last.1 != p.1) {
                changes.push(p);
            }
        }
        let Some((first, rest)) = changes.split_first() else {
            return;
        };
        let mut d = format!("M{:.1} {:.1}", self.x(first.0), self.y(first.1));
        for (at, value, _) in rest {
            let _ = write!(d, " H{:.1} V{:.1}", self.x(*at), self.y(*value));
        }
        let _ = write!(d, " H{:.1}", self.x(self.end));
        let _ = writeln!(
            s,
            r#"<path d="{d}" fill="none" stroke="{}" stroke-width="2.5" stroke-linejoin="round"/>"#,
            attr(self.colour)
        );
        for (at, value, tip) in changes {
            let _ = writeln!(
                s,
                r##"<circle cx="{:.1}" cy="{:.1}" r="3.5" fill="{}" stroke="#ffffff" stroke-width="1"><title>{}</title></circle>"##,
                self.x(*at),
                self.y(*value),
                attr(self.colour),
                text(tip)
            );
        }
    }
}

/// A tick spacing that gives at most eight ticks along the exercise.
fn tick_step(end: Minutes) -> Minutes {
    [15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080]
        .into_iter()
        .find(|step| end / step <= 8)
        .unwrap_or(end.max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_stay_few_for_short_and_long_exercises() {
        assert_eq!(tick_step(120), 15);
        assert_eq!(tick_step(48 * 60), 360);
        assert_eq!(tick_step(70 * 60), 720);
    }

    #[test]
    fn labels_and_tooltips_are_escaped() {
        let chart = StepChart {
            id: "c",
            title: "<b>",
            description: "a & b",
            colour: "#000",
            y_labels: vec![(0, "<none>".into())],
            y_max: 1,
            points: vec![(0, 0, "<script>".into())],
            end: 60,
            marker: Some((30, "x<y")),
        };
        let svg = chart.render();
        assert!(!svg.contains("<script>") && !svg.contains("<b>") && !svg.contains("<none>"));
        assert!(svg.contains("&lt;script&gt;") && svg.contains("a &amp; b"));
    }
}
