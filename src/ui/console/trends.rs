//! Trends over the exercise: worst severity, affected Member States and open NIS2 obligations, drawn as
//! steps from the event stream (see `sim::trend`), so jumping ahead or resuming loses no part of a curve.

use egui_plot::{Legend, Line, Plot, PlotPoints};

use crate::scenario::Scenario;
use crate::sim::Event;
use crate::sim::trend::{TrendPoint, trend};

/// The plotted series, recomputed only when the event stream grew or the clock moved.
#[derive(Default)]
pub struct Trends {
    /// (events seen, clock) the series were computed for.
    computed_for: Option<(usize, u32)>,
    severity: Vec<[f64; 2]>,
    countries: Vec<[f64; 2]>,
    open_obligations: Vec<[f64; 2]>,
}

impl Trends {
    /// Brings the series up to date with `events` at minute `now`.
    pub fn update(&mut self, scenario: &Scenario, events: &[Event], now: u32) {
        if self.computed_for == Some((events.len(), now)) {
            return;
        }
        self.computed_for = Some((events.len(), now));
        let points = trend(scenario, events, now);
        self.severity = steps(&points, |p| {
            p.worst.map_or(0.0, |s| f64::from(s as u8) + 1.0)
        });
        self.countries = steps(&points, |p| count(p.countries));
        self.open_obligations = steps(&points, |p| count(p.open_obligations));
    }
}

#[expect(clippy::cast_precision_loss, reason = "counts of a few dozen, plotted")]
fn count(n: usize) -> f64 {
    n as f64
}

/// A staircase: each value holds until the next change (hours on x). Only changes make corners: repeated
/// points would be zero-length segments, which the line tessellator turns into spikes.
fn steps(points: &[TrendPoint], value: impl Fn(&TrendPoint) -> f64) -> Vec<[f64; 2]> {
    let mut out: Vec<[f64; 2]> = Vec::with_capacity(points.len() * 2);
    for (i, p) in points.iter().enumerate() {
        let x = f64::from(p.at) / 60.0;
        let y = value(p);
        match out.last() {
            None => out.push([x, y]),
            Some(&[_, previous]) if (previous - y).abs() > f64::EPSILON => {
                out.push([x, previous]);
                out.push([x, y]);
            }
            Some(&[last_x, _]) if i + 1 == points.len() && x > last_x => out.push([x, y]),
            Some(_) => {}
        }
    }
    out.dedup();
    out
}

pub fn trends_ui(ui: &mut egui::Ui, trends: &Trends) {
    ui.heading("Trends");
    ui.label(
        egui::RichText::new("Severity: 1 minor … 5 critical; hours since the start")
            .small()
            .weak(),
    );
    Plot::new("trends_plot")
        .legend(Legend::default())
        .height(ui.available_height().max(120.0))
        .allow_scroll(false)
        .show(ui, |plot| {
            for (name, series) in [
                ("Worst severity", &trends.severity),
                ("Member States affected", &trends.countries),
                ("Open NIS2 obligations", &trends.open_obligations),
            ] {
                // No bands: egui_plot merges same-x points into a filled band, which turns the
                // staircase's vertical steps into solid blocks.
                plot.line(
                    Line::new(name, PlotPoints::from(series.clone()))
                        .allow_band(false)
                        .width(2.0),
                );
            }
        });
}
