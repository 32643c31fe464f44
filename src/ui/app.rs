//! The application shell: which screen is showing (start, setup, console), what persists between runs
//! (recent files, theme), and the native file dialog behind a trait so tests never open one.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, channel};

use serde::{Deserialize, Serialize};

use crate::scenario::Scenario;

use super::console::Console;
use super::setup::Setup;
use super::start::Start;
use super::theme::{self, ThemeChoice};

/// Opens a scenario file chooser without blocking the UI: the answer arrives on the channel.
pub trait FilePicker {
    fn pick(&mut self) -> Receiver<Option<PathBuf>>;
}

/// The operating system's dialog (xdg portal or zenity on Linux), on its own thread.
pub struct NativePicker;

impl FilePicker for NativePicker {
    fn pick(&mut self) -> Receiver<Option<PathBuf>> {
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let picked = rfd::FileDialog::new()
                .add_filter("tabletop scenario", &["ron"])
                .set_title("Open a scenario")
                .pick_file();
            let _ = tx.send(picked);
        });
        rx
    }
}

/// For tests and headless use: no dialog; "Open file..." answers nothing.
pub struct NoPicker;

impl FilePicker for NoPicker {
    fn pick(&mut self) -> Receiver<Option<PathBuf>> {
        let (tx, rx) = channel();
        let _ = tx.send(None);
        rx
    }
}

/// What survives a restart.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub recent: Vec<PathBuf>,
    pub theme: ThemeChoice,
}

impl Settings {
    pub fn remember(&mut self, path: PathBuf) {
        self.recent.retain(|p| *p != path);
        self.recent.insert(0, path);
        self.recent.truncate(8);
    }
}

pub(super) enum Screen {
    Start(Start),
    Setup(Setup),
    Console(Box<Console>),
}

/// What a screen asks the shell to do next.
pub(super) enum Next {
    Stay,
    Setup {
        label: String,
        path: Option<PathBuf>,
        text: String,
        scenario: Arc<Scenario>,
    },
    Console(Box<Console>),
    Back,
}

pub struct TabletopApp {
    screen: Screen,
    /// Where exercise journals are written and looked for.
    exercises: PathBuf,
    settings: Settings,
    picker: Box<dyn FilePicker>,
    applied_theme: Option<ThemeChoice>,
}

impl TabletopApp {
    #[must_use]
    pub fn new(cc: &eframe::CreationContext<'_>, picker: Box<dyn FilePicker>) -> TabletopApp {
        let settings: Settings = cc
            .storage
            .and_then(|s| eframe::get_value(s, eframe::APP_KEY))
            .unwrap_or_default();
        theme::install_fonts(&cc.egui_ctx);
        let exercises = crate::journal::exercises_dir();
        TabletopApp {
            screen: Screen::Start(Start::new(&settings, &exercises)),
            exercises,
            settings,
            picker,
            applied_theme: None,
        }
    }

    /// Keeps exercise journals in `dir` instead of the user's data folder (tests, benchmarks, kiosks).
    #[must_use]
    pub fn with_exercises_dir(mut self, dir: PathBuf) -> TabletopApp {
        self.exercises = dir;
        self.screen = Screen::Start(Start::new(&self.settings, &self.exercises));
        self
    }

    /// Goes straight to the console on a scenario, advanced to minute `at` (for `tabletop console`).
    pub fn open_exercise(&mut self, start: crate::session::Start, at: u32) {
        let mut console = Console::new(start, super::console::Speed::X60, &self.exercises);
        if at > 0 {
            console.apply(crate::sim::Command::Advance(crate::sim::Advance::To(at)));
        }
        self.screen = Screen::Console(Box::new(console));
    }

    /// Goes straight to the console on an exercise restored from its journal.
    pub fn open_resumed(&mut self, session: crate::session::Session) {
        self.screen = Screen::Console(Box::new(Console::resumed(session, &[])));
    }

    /// The console, once an exercise runs (for tests and tooling).
    pub fn console_mut(&mut self) -> Option<&mut Console> {
        match &mut self.screen {
            Screen::Console(c) => Some(c),
            _ => None,
        }
    }

    fn menu_ui(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            ui.strong("tabletop");
            ui.separator();
            let label = match self.settings.theme {
                ThemeChoice::Dark => "☀ Light theme",
                ThemeChoice::Light => "🌙 Dark theme",
            };
            if ui.button(label).clicked() {
                self.settings.theme = match self.settings.theme {
                    ThemeChoice::Dark => ThemeChoice::Light,
                    ThemeChoice::Light => ThemeChoice::Dark,
                };
            }
        });
    }
}

impl eframe::App for TabletopApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        if self.applied_theme != Some(self.settings.theme) {
            theme::apply(ui.ctx(), self.settings.theme);
            self.applied_theme = Some(self.settings.theme);
        }
        egui::Panel::top("menu").show(ui, |ui| self.menu_ui(ui));
        let next = match &mut self.screen {
            Screen::Start(start) => start.ui(ui, &mut self.settings, self.picker.as_mut()),
            Screen::Setup(setup) => setup.ui(ui, &self.exercises),
            Screen::Console(console) => console.ui(ui),
        };
        match next {
            Next::Stay => {}
            Next::Setup {
                label,
                path,
                text,
                scenario,
            } => {
                self.screen = Screen::Setup(Setup::new(label, path, text, scenario));
            }
            Next::Console(console) => self.screen = Screen::Console(console),
            Next::Back => self.screen = Screen::Start(Start::new(&self.settings, &self.exercises)),
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, eframe::APP_KEY, &self.settings);
    }
}
