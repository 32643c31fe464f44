//! Speed of a full headless run of each bundled scenario (engine + policy, no output): what a planner's
//! what-if sweep over many seeds costs per run.

use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use tabletop::scenario::{self, Origin, bundled};
use tabletop::session::Session;
use tabletop::session::policy::{self, Builtin, Policy};

fn headless_runs(c: &mut Criterion) {
    let mut group = c.benchmark_group("headless_run");
    for b in bundled::all() {
        let checked = scenario::check_str(b.text, &Origin::default());
        let scenario = Arc::new(checked.scenario.expect("bundled scenarios check"));
        for builtin in [Builtin::Escalate, Builtin::Defaults] {
            let name = format!("{}/{builtin:?}", b.name.trim_end_matches(".ron")).to_lowercase();
            group.bench_function(name, |bench| {
                bench.iter(|| {
                    let mut session = Session::unrecorded(scenario.clone(), 7);
                    let played = policy::play(&mut session, &mut Policy::builtin(builtin, 7));
                    black_box((played.is_ok(), session.events().len()))
                });
            });
        }
    }
    group.finish();
}

fn checking(c: &mut Criterion) {
    let b = bundled::get("hybrid-cable-energy").expect("bundled");
    c.bench_function("check/hybrid-cable-energy", |bench| {
        bench.iter(|| black_box(scenario::check_str(b.text, &Origin::default()).errors()));
    });
}

/// What serving the LAN costs the facilitator's machine: every seat's view of the hybrid scenario at its
/// end (26 seats, the longest inboxes), built and serialised as the host sends it.
fn seat_views(c: &mut Criterion) {
    let b = bundled::get("hybrid-cable-energy").expect("bundled");
    let scenario = Arc::new(
        scenario::check_str(b.text, &Origin::default())
            .scenario
            .expect("bundled scenarios check"),
    );
    let mut session = Session::unrecorded(scenario.clone(), 7);
    policy::play(&mut session, &mut Policy::builtin(Builtin::Escalate, 7)).expect("unrecorded");
    let mut engine = session.into_engine();
    let seats: Vec<String> = scenario.seats().map(|a| a.id.clone()).collect();
    c.bench_function("seat_views/hybrid-cable-energy_end_all_seats", |bench| {
        bench.iter(|| {
            let bytes: usize = seats
                .iter()
                .filter_map(|s| engine.seat_view(s))
                .map(|v| serde_json::to_string(&v).map_or(0, |j| j.len()))
                .sum();
            black_box(bytes)
        });
    });
}

criterion_group!(benches, headless_runs, checking, seat_views);
criterion_main!(benches);
