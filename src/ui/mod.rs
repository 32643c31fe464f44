//! Everything that imports egui or eframe: the facilitator console and its screens. The UI only reads
//! engine views and submits `Command`s; it holds no exercise logic of its own.

mod app;
mod console;
pub mod join;
pub mod participant;
mod setup;
mod start;
pub mod theme;

pub use app::{FilePicker, NoPicker, TabletopApp};

/// Where the console window opens: the start screen, or straight into an exercise.
pub enum Opening {
    Start,
    /// Straight into the console on this scenario (its text and checked form), advanced to `at` minutes.
    /// An exercise restored from its journal (`tabletop resume`).
    Resumed {
        engine: Box<crate::sim::Engine>,
        journal: Box<crate::journal::Journal>,
        writer: crate::journal::JournalWriter,
    },
    Exercise {
        text: String,
        scenario: std::sync::Arc<crate::scenario::Scenario>,
        seed: u64,
        at: u32,
    },
}

impl Opening {
    fn apply(self, app: &mut TabletopApp) {
        match self {
            Opening::Start => {}
            Opening::Exercise {
                text,
                scenario,
                seed,
                at,
            } => app.open_exercise(text, scenario, seed, at),
            Opening::Resumed {
                engine,
                journal,
                writer,
            } => app.open_resumed(*engine, &journal, writer),
        }
    }
}

/// Opens the console window; returns when it closes.
pub fn run(opening: Opening) -> anyhow::Result<()> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_inner_size([1440.0, 900.0])
            .with_min_inner_size([1024.0, 640.0])
            .with_title("tabletop — EU cyber crisis exercise"),
        ..Default::default()
    };
    eframe::run_native(
        "tabletop",
        options,
        Box::new(|cc| {
            let mut app = TabletopApp::new(cc, Box::new(app::NativePicker));
            opening.apply(&mut app);
            Ok(Box::new(app))
        }),
    )
    .map_err(|e| anyhow::anyhow!("the console could not start: {e}"))
}
