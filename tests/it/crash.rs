//! Never lose an exercise: a headless run killed with SIGKILL at random points resumes from its journal
//! with every acknowledged command, and ends with exactly the events of an uninterrupted run.

use crate::support::temp_dir;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use tabletop::journal::{self, Journal};

fn tabletop() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_tabletop"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

fn run_to_end(journal: &Path) {
    let out = tabletop()
        .args([
            "run",
            "hybrid-cable-energy",
            "--seed",
            "3",
            "--policy",
            "escalate",
            "--quiet",
            "--journal",
        ])
        .arg(journal)
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn events(path: &Path) -> Vec<String> {
    let journal = Journal::load(path).expect("journal reads");
    let engine = journal::replay(&journal).expect("checks").expect("replays");
    engine
        .events()
        .iter()
        .map(|e| serde_json::to_string(e).expect("json"))
        .collect()
}

#[test]
fn killed_runs_resume_without_losing_acknowledged_commands() {
    let dir = temp_dir("crash", "kill");
    let reference = dir.join("reference.jsonl");
    run_to_end(&reference);
    let expected_events = events(&reference);
    let expected = Journal::load(&reference).expect("reference");
    let total = expected.entries.len();
    assert!(
        total >= 50,
        "the reference run has only {total} commands: too few to kill it early, midway and late"
    );
    // Kill points spread over the run, inside it whatever its length: early, middle, late.
    let kill_points = [1, 7, total / 4, total / 2, total * 4 / 5];
    let mut interrupted = 0;
    for (round, kill_after) in kill_points.into_iter().enumerate() {
        let path = dir.join(format!("killed-{round}.jsonl"));
        let mut child = tabletop()
            .args([
                "run",
                "hybrid-cable-energy",
                "--seed",
                "3",
                "--policy",
                "escalate",
                "--quiet",
                "--ack",
                "--journal",
            ])
            .arg(&path)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        let stdout = child.stdout.take().expect("piped");
        let mut acknowledged = 0;
        for line in BufReader::new(stdout).lines() {
            let line = line.expect("utf-8");
            if let Some(n) = line.strip_prefix("ack ") {
                let n: usize = n.parse().expect("a number");
                assert_eq!(
                    n,
                    acknowledged + 1,
                    "round {round}: acknowledgements come one per command, in order"
                );
                acknowledged = n;
                if acknowledged >= kill_after {
                    break;
                }
            }
        }
        child.kill().expect("SIGKILL");
        let _ = child.wait();
        // The run has `total` commands and the kill point is inside it: ending (or going silent) before
        // it means `--ack` did not acknowledge, and the round would test nothing.
        assert!(
            acknowledged >= kill_after,
            "round {round}: only {acknowledged} of the run's {total} commands were acknowledged (`ack N` lines) before its output ended; the kill point was {kill_after}"
        );
        let (recovered, _) =
            Journal::load_after_crash(&path).expect("a killed journal still opens");
        assert!(
            recovered.entries.len() >= acknowledged,
            "round {round}: {} of {acknowledged} acknowledged commands kept",
            recovered.entries.len()
        );
        assert_eq!(
            recovered.entries[..acknowledged],
            expected.entries[..acknowledged],
            "round {round}: acknowledged commands changed"
        );
        if recovered.entries.len() < total {
            interrupted += 1;
        }
        let out = tabletop()
            .args(["resume", "--run", "--policy", "escalate", "--quiet"])
            .arg(&path)
            .output()
            .expect("resume");
        assert!(
            out.status.success(),
            "round {round}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            events(&path),
            expected_events,
            "round {round}: the resumed exercise differs from an uninterrupted one"
        );
    }
    // A kill that lands after the run has finished resumes nothing. The early kill points are far from
    // the end, so most rounds must really have cut the run short.
    assert!(
        interrupted >= 3,
        "only {interrupted} of {} rounds killed the run before its end: the test did not exercise resuming",
        kill_points.len()
    );
}

#[test]
fn a_torn_last_record_is_dropped_with_a_warning() {
    let dir = temp_dir("crash", "torn");
    let path = dir.join("journal.jsonl");
    run_to_end(&path);
    let full = Journal::load(&path).expect("reads");
    let mut bytes = std::fs::read(&path).expect("bytes");
    // Cut the last record in half, as a kill during the write would.
    let last_start = bytes[..bytes.len() - 1]
        .iter()
        .rposition(|b| *b == b'\n')
        .expect("several lines")
        + 1;
    bytes.truncate(last_start + (bytes.len() - last_start) / 2);
    std::fs::write(&path, &bytes).expect("write");
    let (journal, warning) = Journal::load_after_crash(&path).expect("opens");
    assert_eq!(journal.entries.len(), full.entries.len() - 1);
    assert!(warning.expect("a warning").contains("dropped"));
    let out = tabletop()
        .args(["resume", "--run", "--policy", "escalate", "--quiet"])
        .arg(&path)
        .output()
        .expect("resume");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("warning"),
        "the user is told"
    );
}

#[test]
fn a_changed_scenario_file_is_refused_unless_forced() {
    let dir = temp_dir("crash", "hash");
    let scenario = dir.join("tutorial.ron");
    let text = tabletop::scenario::bundled::get("tutorial")
        .expect("bundled")
        .text;
    std::fs::write(&scenario, text).expect("write scenario");
    let path = dir.join("journal.jsonl");
    let out = tabletop()
        .args(["run", "--seed", "1", "--quiet", "--journal"])
        .arg(&path)
        .arg(&scenario)
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::write(&scenario, text.replace("Tutorial:", "Tutorial (edited):")).expect("edit");
    let refused = tabletop()
        .args(["resume", "--run"])
        .arg(&path)
        .output()
        .expect("resume");
    assert_eq!(refused.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("has changed since this exercise started"),
        "{stderr}"
    );
    let forced = tabletop()
        .args(["resume", "--run", "--force", "--quiet"])
        .arg(&path)
        .output()
        .expect("resume");
    assert!(
        forced.status.success(),
        "{}",
        String::from_utf8_lossy(&forced.stderr)
    );
}
