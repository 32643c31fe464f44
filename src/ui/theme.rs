//! Colours and sizes for a room with a projector: large default text, a light and a dark theme, and a
//! severity scale that colour-blind viewers can read (viridis, ordered by lightness) and that always
//! comes with its label.

use egui::{Color32, FontFamily, FontId, TextStyle};
use serde::{Deserialize, Serialize};

use crate::domain::{Severity, Tlp};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum ThemeChoice {
    #[default]
    Dark,
    Light,
}

/// egui's fonts plus `DejaVu Sans` as the fallback for what they lack (arrows, symbols, rarer letters), so
/// scenario text in any EU language, Greek and Cyrillic included, never shows as empty boxes.
pub fn install_fonts(ctx: &egui::Context) {
    let Some(bytes) = crate::scenario::bundled::asset("fonts/DejaVuSans.ttf") else {
        return;
    };
    let mut fonts = egui::FontDefinitions::default();
    fonts.font_data.insert(
        "DejaVuSans".to_owned(),
        std::sync::Arc::new(egui::FontData::from_static(bytes)),
    );
    for family in [FontFamily::Proportional, FontFamily::Monospace] {
        let list = fonts.families.entry(family).or_default();
        // Right after the family's own text font, before the icon and emoji fonts.
        list.insert(1.min(list.len()), "DejaVuSans".to_owned());
    }
    ctx.set_fonts(fonts);
}

/// Applies the theme and projector-sized text to the context.
pub fn apply(ctx: &egui::Context, choice: ThemeChoice) {
    ctx.set_theme(match choice {
        ThemeChoice::Dark => egui::Theme::Dark,
        ThemeChoice::Light => egui::Theme::Light,
    });
    ctx.all_styles_mut(|style| {
        style.text_styles = [
            (
                TextStyle::Small,
                FontId::new(13.0, FontFamily::Proportional),
            ),
            (TextStyle::Body, FontId::new(16.0, FontFamily::Proportional)),
            (
                TextStyle::Button,
                FontId::new(16.0, FontFamily::Proportional),
            ),
            (
                TextStyle::Heading,
                FontId::new(22.0, FontFamily::Proportional),
            ),
            (
                TextStyle::Monospace,
                FontId::new(15.0, FontFamily::Monospace),
            ),
        ]
        .into();
        style.spacing.item_spacing = egui::vec2(8.0, 6.0);
    });
}

/// Severity fill: viridis steps, light (minor) to dark (critical), distinguishable without hue.
#[must_use]
pub fn severity_fill(severity: Severity) -> Color32 {
    match severity {
        Severity::Minor => Color32::from_rgb(0xFD, 0xE7, 0x25),
        Severity::Moderate => Color32::from_rgb(0x5E, 0xC9, 0x62),
        Severity::Significant => Color32::from_rgb(0x21, 0x91, 0x8C),
        Severity::Severe => Color32::from_rgb(0x3B, 0x52, 0x8B),
        Severity::Critical => Color32::from_rgb(0x44, 0x01, 0x54),
    }
}

/// Text that stays readable on [`severity_fill`].
#[must_use]
pub fn severity_text(severity: Severity) -> Color32 {
    if severity <= Severity::Moderate {
        Color32::BLACK
    } else {
        Color32::WHITE
    }
}

/// TLP 2.0 label colours (FIRST's own palette: text on black).
#[must_use]
pub fn tlp_colour(tlp: Tlp) -> Color32 {
    match tlp {
        Tlp::Red => Color32::from_rgb(0xFF, 0x2B, 0x2B),
        Tlp::AmberStrict | Tlp::Amber => Color32::from_rgb(0xFF, 0xC0, 0x00),
        Tlp::Green => Color32::from_rgb(0x33, 0xFF, 0x00),
        Tlp::Clear => Color32::WHITE,
    }
}

/// A TLP label as FIRST shows it: coloured text on black.
pub fn tlp_label_ui(ui: &mut egui::Ui, tlp: Tlp) -> egui::Response {
    egui::Frame::new()
        .fill(Color32::BLACK)
        .inner_margin(egui::Margin::symmetric(4, 1))
        .corner_radius(3.0)
        .show(ui, |ui| {
            ui.label(
                egui::RichText::new(tlp.to_string())
                    .color(tlp_colour(tlp))
                    .small()
                    .strong(),
            )
        })
        .inner
}

/// A severity chip: colour plus label, never colour alone.
pub fn severity_chip_ui(ui: &mut egui::Ui, severity: Severity) -> egui::Response {
    egui::Frame::new()
        .fill(severity_fill(severity))
        .inner_margin(egui::Margin::symmetric(5, 1))
        .corner_radius(3.0)
        .show(ui, |ui| {
            ui.label(
                egui::RichText::new(severity.to_string())
                    .color(severity_text(severity))
                    .small()
                    .strong(),
            )
        })
        .inner
}
