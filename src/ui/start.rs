//! The start screen: bundled scenarios, scenarios in `./scenarios`, recent files and "Open file...".
//! A file with errors shows its diagnostics here (`file:line:col`, message, fix) instead of failing.
//! Exercises that never ended (their journal says so) can be resumed from here.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::Receiver;

use crate::journal;
use crate::scenario::diagnostic::{Located, locate};
use crate::scenario::time::format_duration;
use crate::scenario::{self, Level, Origin, Scenario, bundled};

use super::app::{FilePicker, Next, Settings};

/// One scenario the facilitator can pick.
struct Entry {
    label: String,
    /// The file it was read from (bundled scenarios have none), recorded so a resume notices edits.
    path: Option<PathBuf>,
    origin: &'static str,
    text: String,
    outcome: Result<Arc<Scenario>, Vec<Located>>,
    warnings: Vec<Located>,
}

impl Entry {
    fn check(label: String, origin: &'static str, text: String, dir: Option<&Path>) -> Entry {
        let checked = scenario::check_str(
            &text,
            &Origin {
                dir: dir.map(Path::to_path_buf),
            },
        );
        let located: Vec<Located> = checked
            .diagnostics
            .iter()
            .map(|d| locate(&label, &checked.text, d.clone()))
            .collect();
        let (errors, warnings): (Vec<Located>, Vec<Located>) = located
            .into_iter()
            .partition(|l| l.diagnostic.level == Level::Error);
        let outcome = checked.scenario.map(Arc::new).ok_or(errors);
        Entry {
            label,
            path: None,
            origin,
            text,
            outcome,
            warnings,
        }
    }

    fn from_path(path: &Path, origin: &'static str) -> Entry {
        let label = path.display().to_string();
        match std::fs::read(path) {
            Ok(bytes) => {
                let text = String::from_utf8_lossy(&bytes).into_owned();
                let mut entry = Entry::check(label.clone(), origin, text, path.parent());
                entry.path = Some(path.to_path_buf());
                if std::str::from_utf8(&bytes).is_err() {
                    let checked = scenario::check_bytes(&bytes, &Origin::default());
                    entry.outcome = Err(checked
                        .diagnostics
                        .into_iter()
                        .map(|d| locate(&label, &checked.text, d))
                        .collect());
                }
                entry
            }
            Err(e) => Entry {
                label: label.clone(),
                path: Some(path.to_path_buf()),
                origin,
                text: String::new(),
                outcome: Err(vec![locate(
                    &label,
                    "",
                    scenario::Diagnostic::file_error(format!("cannot read the file: {e}")),
                )]),
                warnings: Vec::new(),
            },
        }
    }
}

pub struct Start {
    entries: Vec<Entry>,
    selected: usize,
    picking: Option<Receiver<Option<PathBuf>>>,
    /// Exercises whose journal shows they never ended (a crash, a closed laptop).
    unfinished: Vec<(PathBuf, journal::Header)>,
    resume_problem: Option<String>,
    markdown: egui_commonmark::CommonMarkCache,
}

impl Start {
    pub fn new(settings: &Settings, exercises: &Path) -> Start {
        let mut bundled = bundled::all();
        // A first-time facilitator starts with the tutorial.
        bundled.sort_by_key(|b| (b.name != "tutorial.ron", b.name));
        let mut entries: Vec<Entry> = bundled
            .into_iter()
            .map(|b| Entry::check(b.name.to_owned(), "bundled", b.text.to_owned(), None))
            .collect();
        // Files in ./scenarios that are not simply the bundled copies.
        if let Ok(dir) = std::fs::read_dir("scenarios") {
            let mut paths: Vec<PathBuf> = dir
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "ron"))
                .collect();
            paths.sort();
            for path in paths {
                let same_as_bundled = std::fs::read_to_string(&path)
                    .is_ok_and(|text| bundled::all().iter().any(|b| b.text == text));
                if !same_as_bundled {
                    entries.push(Entry::from_path(&path, "./scenarios"));
                }
            }
        }
        for path in &settings.recent {
            if path.exists() && !entries.iter().any(|e| Path::new(&e.label) == path) {
                entries.push(Entry::from_path(path, "recent"));
            }
        }
        Start {
            entries,
            selected: 0,
            picking: None,
            unfinished: journal::unfinished_exercises(exercises),
            resume_problem: None,
            markdown: egui_commonmark::CommonMarkCache::default(),
        }
    }

    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        settings: &mut Settings,
        picker: &mut dyn FilePicker,
    ) -> Next {
        if let Some(rx) = &self.picking {
            match rx.try_recv() {
                Ok(Some(path)) => {
                    settings.remember(path.clone());
                    self.entries.push(Entry::from_path(&path, "opened"));
                    self.selected = self.entries.len() - 1;
                    self.picking = None;
                }
                Ok(None) | Err(std::sync::mpsc::TryRecvError::Disconnected) => self.picking = None,
                Err(std::sync::mpsc::TryRecvError::Empty) => ui.ctx().request_repaint(),
            }
        }
        let mut next = Next::Stay;
        egui::Panel::left("scenario_list")
            .default_size(380.0)
            .show(ui, |ui| {
                ui.heading("Scenarios");
                ui.add_space(4.0);
                egui::ScrollArea::vertical().show(ui, |ui| {
                    for (i, entry) in self.entries.iter().enumerate() {
                        let title = match &entry.outcome {
                            Ok(s) => s.file.title.clone(),
                            Err(_) => format!("⚠ {} (has errors)", entry.label),
                        };
                        let response = ui.selectable_label(self.selected == i, title);
                        if response.clicked() {
                            self.selected = i;
                        }
                        ui.label(
                            egui::RichText::new(format!("{} · {}", entry.origin, entry.label))
                                .small()
                                .weak(),
                        );
                        ui.add_space(4.0);
                    }
                });
                ui.separator();
                if ui
                    .add_enabled(self.picking.is_none(), egui::Button::new("Open file..."))
                    .clicked()
                {
                    self.picking = Some(picker.pick());
                }
                self.unfinished_ui(ui, &mut next);
            });
        egui::CentralPanel::default().show(ui, |ui| {
            let Some(entry) = self.entries.get(self.selected) else {
                ui.label("No scenario found.");
                return;
            };
            match &entry.outcome {
                Ok(s) => {
                    ui.heading(&s.file.title);
                    ui.label(format!(
                        "{} · {} · {} seats · {} injects · {} decisions · {}",
                        format_duration(s.duration),
                        s.start.format("%Y-%m-%d %H:%M %:z"),
                        s.seats().count(),
                        s.file.injects.len(),
                        s.file.decisions.len(),
                        s.file.member_states.join(" "),
                    ));
                    ui.add_space(8.0);
                    if ui
                        .button(egui::RichText::new("Set up this exercise ➡").strong())
                        .clicked()
                    {
                        next = Next::Setup {
                            label: entry.label.clone(),
                            path: entry.path.clone(),
                            text: entry.text.clone(),
                            scenario: s.clone(),
                        };
                    }
                    ui.add_space(8.0);
                    diagnostics_ui(ui, &entry.warnings);
                    egui::ScrollArea::vertical().show(ui, |ui| {
                        ui.strong("Briefing");
                        egui_commonmark::CommonMarkViewer::new().show(
                            ui,
                            &mut self.markdown,
                            s.file.briefing.trim(),
                        );
                        ui.add_space(8.0);
                        ui.strong("Seats");
                        for seat in s.seats() {
                            ui.label(format!("{} — {}", seat.name, seat.kind.label()));
                        }
                    });
                }
                Err(errors) => {
                    ui.heading(format!("{} cannot be played yet", entry.label));
                    ui.label(format!(
                        "{} problem(s). Fix them in your editor and open the file again.",
                        errors.len()
                    ));
                    egui::ScrollArea::vertical().show(ui, |ui| diagnostics_ui(ui, errors));
                }
            }
        });
        next
    }
}

impl Start {
    fn unfinished_ui(&mut self, ui: &mut egui::Ui, next: &mut Next) {
        if self.unfinished.is_empty() {
            return;
        }
        ui.separator();
        ui.heading("Unfinished exercises");
        for (path, header) in &self.unfinished {
            ui.horizontal(|ui| {
                if ui.button("Resume").clicked() {
                    match resume(path) {
                        Ok(console) => *next = Next::Console(console),
                        Err(problem) => self.resume_problem = Some(problem),
                    }
                }
                let folder = path
                    .parent()
                    .and_then(|p| p.file_name())
                    .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
                // Folders are named `YYYYMMDD-HHMMSS-scenario-seedN` (UTC): show when it began.
                let started = chrono::NaiveDateTime::parse_from_str(
                    folder.get(..15).unwrap_or_default(),
                    "%Y%m%d-%H%M%S",
                )
                .map_or_else(
                    |_| String::new(),
                    |t| format!(" · started {}", t.format("%d %b %H:%M UTC")),
                );
                ui.label(format!(
                    "{} · seed {}{started}",
                    header.scenario_id, header.seed
                ))
                .on_hover_text(path.display().to_string());
            });
        }
        if let Some(problem) = &self.resume_problem {
            ui.colored_label(ui.visuals().error_fg_color, problem);
        }
    }
}

/// Restores an exercise from its journal, as `tabletop resume` does.
fn resume(path: &Path) -> Result<Box<super::console::Console>, String> {
    match crate::session::Session::resume(path, false) {
        Ok((session, warnings)) => Ok(Box::new(super::console::Console::resumed(
            session, &warnings,
        ))),
        Err(e @ crate::session::ResumeError::ScenarioChanged(_)) => {
            Err(format!("{e}; resume it from the command line with --force"))
        }
        Err(e) => Err(e.to_string()),
    }
}

/// Diagnostics as the command line shows them: location, message, fix.
fn diagnostics_ui(ui: &mut egui::Ui, diagnostics: &[Located]) {
    for d in diagnostics {
        let colour = match d.diagnostic.level {
            Level::Error => ui.visuals().error_fg_color,
            Level::Warning => ui.visuals().warn_fg_color,
        };
        ui.label(egui::RichText::new(d.headline()).color(colour).monospace());
        if let Some(hint) = &d.diagnostic.hint {
            ui.label(
                egui::RichText::new(format!("    help: {hint}"))
                    .monospace()
                    .weak(),
            );
        }
    }
}
