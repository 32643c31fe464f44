//! The facilitator console driven through egui_kittest, without a GPU.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use tabletop::ui::{NoPicker, TabletopApp};

fn harness() -> Harness<'static, TabletopApp> {
    Harness::builder()
        .with_size(egui::vec2(1440.0, 900.0))
        .with_step_dt(0.25)
        .build_eframe(|cc| TabletopApp::new(cc, Box::new(NoPicker)))
}

#[test]
fn explore() {
    let mut h = harness();
    h.run();
    println!("{:#?}", h.root());
    h.get_by_label("Set up this exercise →").click();
    h.run();
    println!("{:#?}", h.root());
}
