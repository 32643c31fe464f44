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
    /// An exercise restored from its journal (`tabletop resume`).
    Resumed(Box<crate::session::Session>),
    /// Straight into the console on this scenario (its text and checked form), advanced to `at` minutes,
    /// hosting the seats on the LAN at `host` when given.
    Exercise {
        start: crate::session::Start,
        at: u32,
        host: Option<String>,
    },
}

impl Opening {
    fn apply(self, app: &mut TabletopApp, ctx: &egui::Context) {
        match self {
            Opening::Start => {}
            Opening::Exercise { start, at, host } => {
                app.open_exercise(start, at);
                if let (Some(addr), Some(console)) = (host, app.console_mut())
                    && let Err(problem) = console.start_hosting(&addr, ctx)
                {
                    eprintln!("warning: not hosting on the LAN: {problem}");
                }
            }
            Opening::Resumed(session) => app.open_resumed(*session),
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
            opening.apply(&mut app, &cc.egui_ctx);
            Ok(Box::new(app))
        }),
    )
    .map_err(|e| anyhow::anyhow!("the console could not start: {e}"))
}
