//! Trends over the exercise: worst severity, affected Member States and open NIS2 obligations.

use egui_plot::{Legend, Line, Plot, PlotPoints};

use crate::sim::View;
use crate::sim::state::ObligationStatus;

/// Samples taken whenever the exercise changed: (hours since start, value).
#[derive(Default)]
pub struct Trends {
    severity: Vec<[f64; 2]>,
    countries: Vec<[f64; 2]>,
    open_obligations: Vec<[f64; 2]>,
}

impl Trends {
    /// Records the state at the view's time (one point per minute at most: the last one wins).
    #[expect(clippy::cast_precision_loss, reason = "counts of a few dozen, plotted")]
    pub fn sample(&mut self, view: &View) {
        let hours = f64::from(view.now) / 60.0;
        let worst = view
            .incidents
            .iter()
            .filter(|i| {
                matches!(
                    i.phase,
                    crate::sim::state::Phase::Active | crate::sim::state::Phase::Contained
                )
            })
            .map(|i| i.severity as usize as f64 + 1.0)
            .fold(0.0, f64::max);
        let countries = view.countries_affected().len() as f64;
        let open = view
            .obligations
            .iter()
            .filter(|o| o.status == ObligationStatus::Open)
            .count() as f64;
        for (series, value) in [
            (&mut self.severity, worst),
            (&mut self.countries, countries),
            (&mut self.open_obligations, open),
        ] {
            match series.last_mut() {
                Some(last) if (last[0] - hours).abs() < f64::EPSILON => last[1] = value,
                _ => series.push([hours, value]),
            }
        }
    }
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
            plot.line(Line::new(
                "Worst severity",
                PlotPoints::from(trends.severity.clone()),
            ));
            plot.line(Line::new(
                "Member States affected",
                PlotPoints::from(trends.countries.clone()),
            ));
            plot.line(Line::new(
                "Open NIS2 obligations",
                PlotPoints::from(trends.open_obligations.clone()),
            ));
        });
}
