//! Speed of a full headless run of each bundled scenario (engine + policy, no output): what a planner's
//! what-if sweep over many seeds costs per run.

use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use tabletop::scenario::{self, Origin, bundled};
use tabletop::sim::Engine;
use tabletop::sim::policy::{self, Builtin, Policy};

fn headless_runs(c: &mut Criterion) {
    let mut group = c.benchmark_group("headless_run");
    for b in bundled::all() {
        let checked = scenario::check_str(b.text, &Origin::default());
        let scenario = Arc::new(checked.scenario.expect("bundled scenarios check"));
        for builtin in [Builtin::Escalate, Builtin::Defaults] {
            let name = format!("{}/{builtin:?}", b.name.trim_end_matches(".ron")).to_lowercase();
            group.bench_function(name, |bench| {
                bench.iter(|| {
                    let mut engine = Engine::new(scenario.clone(), 7);
                    let steps = policy::play(&mut engine, &mut Policy::builtin(builtin, 7));
                    black_box((steps.len(), engine.events().len()))
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

criterion_group!(benches, headless_runs, checking);
criterion_main!(benches);
