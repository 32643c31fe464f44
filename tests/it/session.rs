//! The exercise session every front end shares: nothing is applied or acknowledged unless it is in the
//! journal (a disk that fails, a full disk), resume notices a changed scenario file, a rewind continues on
//! a new branch while the old one still replays, and exercises never share a folder.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tabletop::journal::{self, Journal, JournalSink, JournalWriter};
use tabletop::net::{Client, Host, JoinCode, Status};
use tabletop::scenario::{self, Origin, Scenario, bundled};
use tabletop::session::policy::{self, Builtin, Policy};
use tabletop::session::{Recording, ResumeError, Session, Start, SubmitError};
use tabletop::sim::seat::SeatAction;
use tabletop::sim::{Advance, Command, EventKind};

use crate::support::temp_dir;

fn tutorial() -> (String, Arc<Scenario>) {
    let b = bundled::get("tutorial").expect("bundled");
    let checked = scenario::check_str(b.text, &Origin::default());
    (
        b.text.to_owned(),
        Arc::new(checked.scenario.expect("the tutorial checks")),
    )
}

fn start(text: &str, scenario: &Arc<Scenario>, path: Option<PathBuf>) -> Start {
    Start {
        scenario: scenario.clone(),
        text: text.to_owned(),
        seed: 7,
        scenario_path: path,
        players: BTreeMap::new(),
    }
}

/// A disk that takes records into memory until it is told to fail, like a disk that fills up.
#[derive(Clone, Default)]
struct FlakyDisk {
    bytes: Arc<Mutex<Vec<u8>>>,
    failing: Arc<Mutex<bool>>,
}

impl FlakyDisk {
    fn fail(&self, failing: bool) {
        *self.failing.lock().expect("lock") = failing;
    }

    fn text(&self) -> String {
        String::from_utf8(self.bytes.lock().expect("lock").clone()).expect("utf-8")
    }
}

impl JournalSink for FlakyDisk {
    fn write_record(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        let mut stored = self.bytes.lock().expect("lock");
        if *self.failing.lock().expect("lock") {
            // Half the record lands before the disk gives up, as on a real full disk.
            stored.extend_from_slice(&bytes[..bytes.len() / 2]);
            return Err(std::io::Error::new(
                std::io::ErrorKind::StorageFull,
                "no space left on device",
            ));
        }
        stored.extend_from_slice(bytes);
        Ok(())
    }

    fn sync(&mut self) -> std::io::Result<()> {
        Ok(())
    }

    fn truncate(&mut self, len: u64) -> std::io::Result<()> {
        self.bytes
            .lock()
            .expect("lock")
            .truncate(usize::try_from(len).expect("small"));
        Ok(())
    }
}

/// A session recording into a `FlakyDisk` that already holds the journal's header.
fn on_flaky_disk() -> (Session, FlakyDisk) {
    let (text, s) = tutorial();
    let mut session = Session::start(start(&text, &s, None), &Recording::Off).expect("starts");
    let disk = FlakyDisk::default();
    let mut header = serde_json::to_vec(session.header()).expect("json");
    header.push(b'\n');
    disk.bytes.lock().expect("lock").extend_from_slice(&header);
    session.record_with(JournalWriter::with_sink(
        Box::new(disk.clone()),
        Path::new("flaky.jsonl"),
        &header,
    ));
    (session, disk)
}

#[test]
fn a_command_the_journal_cannot_hold_is_not_applied_and_the_caller_is_told() {
    let (mut session, disk) = on_flaky_disk();
    session
        .submit(Command::Advance(Advance::To(30)))
        .expect("recorded and applied");
    let (now, events, entries) = (
        session.now(),
        session.events().to_vec(),
        session.entries().len(),
    );
    let on_disk = disk.text();

    disk.fail(true);
    let outcome = session.submit(Command::Advance(Advance::End));
    let Err(SubmitError::Journal { source, .. }) = outcome else {
        panic!("a failed write must be an error, got {outcome:?}");
    };
    assert_eq!(source.kind(), std::io::ErrorKind::StorageFull);
    assert!(
        SubmitError::Journal {
            path: "flaky.jsonl".into(),
            source
        }
        .reason()
        .contains("not applied"),
        "the sentence says the command was not applied"
    );
    // Nothing moved: not the clock, not the event log, not the record; the half record was taken back.
    assert_eq!(session.now(), now);
    assert_eq!(session.events(), events.as_slice());
    assert_eq!(session.entries().len(), entries);
    assert!(!session.ended());
    assert_eq!(disk.text(), on_disk, "no half record left behind");

    // Once there is space again the exercise goes on, and the journal on "disk" replays exactly.
    disk.fail(false);
    session
        .submit(Command::Advance(Advance::End))
        .expect("recorded and applied");
    assert!(session.ended());
    let journal = Journal::read(disk.text().as_bytes()).expect("a whole journal");
    assert_eq!(journal.entries.len(), entries + 1);
    let replayed = journal::replay(&Journal {
        header: journal::Journal::header(
            bundled::get("tutorial").expect("bundled").text,
            &tutorial().1,
            7,
        ),
        entries: journal.entries,
    })
    .expect("checks")
    .expect("replays");
    assert_eq!(replayed.events(), session.events());
}

#[test]
fn a_full_disk_stops_play_without_showing_anything() {
    // /dev/full fails every write with "no space left on device".
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        return; // not Linux
    };
    let (text, s) = tutorial();
    let mut session = Session::start(start(&text, &s, None), &Recording::Off).expect("starts");
    session.record_with(JournalWriter::with_sink(
        Box::new(full),
        Path::new("/dev/full"),
        b"",
    ));
    let events = session.events().len();
    let played = policy::play(&mut session, &mut Policy::builtin(Builtin::Escalate, 7));
    assert!(
        matches!(played, Err(SubmitError::Journal { .. })),
        "{played:?}"
    );
    assert_eq!(session.now(), 0, "the clock did not move");
    assert_eq!(session.events().len(), events, "no event was shown");
    assert!(session.entries().is_empty());
}

#[test]
fn the_lan_host_acknowledges_nothing_it_could_not_record() {
    let (mut session, disk) = on_flaky_disk();
    session
        .submit(Command::Advance(Advance::To(15)))
        .expect("recorded");
    let code = JoinCode::generate().expect("a code");
    let mut host =
        Host::bind("127.0.0.1:0", vec![("at_csirt".into(), code.clone())]).expect("binds");
    let mut client =
        Client::connect(&host.local_addr().to_string(), &code.to_string()).expect("connects");
    let deadline = Instant::now() + Duration::from_mins(1);
    while client.latest_view().is_none() {
        assert!(Instant::now() < deadline, "never joined");
        host.pump(&mut session);
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(matches!(client.status(), Status::Connected { .. }));
    let entries = session.entries().len();

    disk.fail(true);
    let id = client.send(SeatAction::Share {
        to: vec!["at_spoc".into()],
        tlp: tabletop::domain::Tlp::Green,
        subject: "IoCs".into(),
        body: "hashes".into(),
        forward: None,
    });
    let result = loop {
        assert!(Instant::now() < deadline, "no answer");
        host.pump(&mut session);
        if let Some(r) = client.results().into_iter().find(|r| r.id == id) {
            break r;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let why = result
        .outcome
        .expect_err("an unrecorded action must not be acknowledged");
    assert!(why.contains("not applied"), "{why}");
    assert_eq!(session.entries().len(), entries);
    assert!(
        !session
            .events()
            .iter()
            .any(|e| matches!(e.kind, EventKind::InformationShared { .. })),
        "the share did not happen"
    );
}

#[test]
fn resume_notices_that_the_scenario_file_changed() {
    let (text, s) = tutorial();
    let dir = temp_dir("session", "changed");
    let scenario_file = dir.join("tutorial.ron");
    std::fs::write(&scenario_file, &text).expect("write");
    let mut session = Session::start(
        start(&text, &s, Some(scenario_file.clone())),
        &Recording::NewFolderIn(dir.join("exercises")),
    )
    .expect("starts");
    session
        .submit(Command::Advance(Advance::To(60)))
        .expect("applied");
    let journal_path = session.journal_path().expect("recorded").to_path_buf();
    drop(session);

    let (resumed, warnings) = Session::resume(&journal_path, false).expect("unchanged file");
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(resumed.now(), 60);
    drop(resumed);

    std::fs::write(&scenario_file, text.replace("Tutorial", "Changed")).expect("edit");
    match Session::resume(&journal_path, false) {
        Err(ResumeError::ScenarioChanged(why)) => {
            assert!(
                why.contains("has changed since this exercise started"),
                "{why}"
            );
        }
        other => panic!(
            "a changed scenario file must be refused, got {:?}",
            other.err()
        ),
    }
    let (forced, warnings) = Session::resume(&journal_path, true).expect("forced");
    assert_eq!(forced.now(), 60, "played on with the journal's own copy");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
}

/// The tutorial's first decision: (id, the seat it is offered to, two different options).
fn first_decision(session: &mut Session) -> (String, String, String, String) {
    while session.view().pending_decisions().next().is_none() {
        session
            .submit(Command::Advance(Advance::NextEvent))
            .expect("the clock moves");
    }
    let view = session.view();
    let d = view.pending_decisions().next().expect("pending");
    (
        d.id.clone(),
        d.by[0].clone(),
        d.options[0].0.clone(),
        d.options[1].0.clone(),
    )
}

#[test]
fn rewind_continues_on_a_new_branch_and_the_old_branch_still_replays() {
    let (text, s) = tutorial();
    let dir = temp_dir("session", "rewind");
    let mut session =
        Session::start(start(&text, &s, None), &Recording::NewFolderIn(dir)).expect("starts");
    let (decision, seat, first, second) = first_decision(&mut session);
    let before_decision = session.entries().len();
    session
        .submit(Command::Decide {
            seat: seat.clone(),
            decision: decision.clone(),
            option: first.clone(),
            rationale: "entered for the wrong seat".into(),
        })
        .expect("decided");
    session
        .submit(Command::Advance(Advance::End))
        .expect("to the end");
    let old_timeline: Vec<String> = session
        .events()
        .iter()
        .map(tabletop::sim::Event::line)
        .collect();
    let path = session.journal_path().expect("recorded").to_path_buf();

    session.rewind(before_decision).expect("rewinds");
    assert!(!session.ended());
    assert_eq!(session.entries().len(), before_decision);
    session
        .submit(Command::Decide {
            seat,
            decision: decision.clone(),
            option: second.clone(),
            rationale: "the room's real choice".into(),
        })
        .expect("decided");
    session
        .submit(Command::Advance(Advance::End))
        .expect("to the end");
    let new_timeline: Vec<String> = session
        .events()
        .iter()
        .map(tabletop::sim::Event::line)
        .collect();
    assert_ne!(
        new_timeline, old_timeline,
        "a different decision, a different exercise"
    );

    // The new journal replays to the new timeline and names the branch it left.
    let journal = Journal::load(&path).expect("reads");
    let branch = journal.header.branched_from.clone().expect("a branch");
    assert_eq!(branch.kept, before_decision);
    let replayed = journal::replay(&journal).expect("checks").expect("replays");
    assert_eq!(replayed.events(), session.events());
    // The old branch is kept for the record, and still replays to the old timeline.
    let old = Journal::load(&path.with_file_name(&branch.journal)).expect("archived");
    let old_replayed = journal::replay(&old).expect("checks").expect("replays");
    let old_lines: Vec<String> = old_replayed
        .events()
        .iter()
        .map(tabletop::sim::Event::line)
        .collect();
    assert_eq!(old_lines, old_timeline);
    assert!(old.entries.iter().any(|e| matches!(&e.command,
            Command::Decide { option, .. } if *option == first)));
}

#[test]
fn two_exercises_started_in_the_same_second_get_their_own_folders() {
    let (text, s) = tutorial();
    let dir = temp_dir("session", "same-second");
    let a = Session::start(start(&text, &s, None), &Recording::NewFolderIn(dir.clone()))
        .expect("first");
    let b = Session::start(start(&text, &s, None), &Recording::NewFolderIn(dir)).expect("second");
    let (a, b) = (
        a.journal_path().expect("recorded"),
        b.journal_path().expect("recorded"),
    );
    assert_ne!(a.parent(), b.parent());
    assert!(a.exists() && b.exists());
}

#[cfg(unix)]
#[test]
fn only_the_facilitator_can_read_a_journal() {
    use std::os::unix::fs::PermissionsExt;
    let (text, s) = tutorial();
    let dir = temp_dir("session", "private");
    let session =
        Session::start(start(&text, &s, None), &Recording::NewFolderIn(dir)).expect("starts");
    let mode = std::fs::metadata(session.journal_path().expect("recorded"))
        .expect("exists")
        .permissions()
        .mode();
    assert_eq!(
        mode & 0o077,
        0,
        "journal mode {mode:o}: it holds the hidden truth"
    );
}

#[test]
fn a_journal_played_under_the_old_rules_is_refused_with_a_clear_message() {
    let (text, s) = tutorial();
    let dir = temp_dir("session", "old-rules");
    let path = dir.join("journal.jsonl");
    let mut session =
        Session::start(start(&text, &s, None), &Recording::File(path.clone())).expect("starts");
    policy::play(&mut session, &mut Policy::builtin(Builtin::Escalate, 7)).expect("plays");
    // The same record, stamped as written by the version that played the uncorrected EU rules.
    let mut journal = Journal::load(&path).expect("reads");
    journal.header.journal = 1;
    let old = dir.join("old.jsonl");
    let mut bytes = Vec::new();
    journal.write(&mut bytes).expect("to memory");
    std::fs::write(&old, bytes).expect("write");
    let old = old.to_string_lossy().into_owned();
    for args in [
        vec!["replay", old.as_str()],
        vec!["report", old.as_str(), "--output", "-"],
        vec!["resume", old.as_str(), "--run"],
    ] {
        let out = crate::support::tabletop(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?} must refuse: {stderr}");
        assert!(
            stderr.contains("journal format 1") && stderr.contains("EU rules were corrected"),
            "{args:?}: {stderr}"
        );
    }
    // The current journal still replays.
    let out = crate::support::tabletop(&["replay", path.to_str().expect("utf-8")]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A recorded tutorial run: the journal's path.
fn recorded_run(name: &str) -> PathBuf {
    let (text, s) = tutorial();
    let dir = temp_dir("session", name);
    let path = dir.join("journal.jsonl");
    let mut session =
        Session::start(start(&text, &s, None), &Recording::File(path.clone())).expect("starts");
    policy::play(&mut session, &mut Policy::builtin(Builtin::Escalate, 7)).expect("plays");
    path
}

#[test]
fn an_edit_to_a_record_is_caught_even_when_made_consistently() {
    let (text, s) = tutorial();
    let dir = temp_dir("session", "chain");
    let path = dir.join("journal.jsonl");
    let mut session =
        Session::start(start(&text, &s, None), &Recording::File(path.clone())).expect("starts");
    let (decision, seat, option, _) = first_decision(&mut session);
    session
        .submit(Command::Decide {
            seat,
            decision,
            option,
            rationale: "we escalate to the CSIRTs Network".into(),
        })
        .expect("decided");
    session
        .submit(Command::Advance(Advance::End))
        .expect("to the end");
    drop(session);
    let out = crate::support::tabletop(&["replay", path.to_str().expect("utf-8")]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Rewrite the rationale in the command AND in its event: replaying the edited command gives the
    // edited event, so only the records' links can tell.
    let text = std::fs::read_to_string(&path).expect("reads");
    let line = text
        .lines()
        .position(|l| l.contains("we escalate to the CSIRTs Network"))
        .expect("the decision's record");
    let edited = text.replace("we escalate to the CSIRTs Network", "we wait and see");
    std::fs::write(&path, edited).expect("write");
    let out = crate::support::tabletop(&["replay", path.to_str().expect("utf-8")]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success(),
        "an edited journal must not replay: {stderr}"
    );
    assert!(
        stderr.contains(&format!("line {}", line + 2))
            && stderr.contains("does not follow the one before it"),
        "names the record after the edited one: {stderr}"
    );
}

#[test]
fn replay_and_report_accept_a_torn_last_record_and_check_the_scenario_hash() {
    let path = recorded_run("torn");
    let mut text = std::fs::read_to_string(&path).expect("reads");
    text.push_str(r#"{"prev":"00","at":12,"comm"#);
    std::fs::write(&path, &text).expect("write");
    let p = path.to_str().expect("utf-8");
    for args in [vec!["replay", p], vec!["report", p, "--output", "-"]] {
        let out = crate::support::tabletop(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{args:?}: {stderr}");
        assert!(
            stderr.contains("incomplete and is dropped"),
            "{args:?}: {stderr}"
        );
    }
    // A journal whose scenario text no longer matches its hash is refused by both (written whole again,
    // so the records' links are intact and only the hash can tell).
    let (mut journal, _) = Journal::load_after_crash(&path).expect("reads");
    journal.header.scenario_text = journal
        .header
        .scenario_text
        .replacen("Tutorial", "Tutorjal", 1);
    let mut bytes = Vec::new();
    journal.write(&mut bytes).expect("to memory");
    std::fs::write(&path, bytes).expect("write");
    for args in [vec!["replay", p], vec!["report", p, "--output", "-"]] {
        let out = crate::support::tabletop(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?}: {stderr}");
        assert!(
            stderr.contains("does not match its hash"),
            "{args:?}: {stderr}"
        );
    }
}
