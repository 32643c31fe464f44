//! `tabletop msel export|import`: every bundled scenario survives export → import with its injects'
//! times, senders, recipients, channels, TLP labels and texts; a sheet saved the way spreadsheet
//! programs save one imports; bad rows are reported at their row and column and nothing is written.

use crate::support::{tabletop, temp_dir};
use std::fmt::Write as _;
use std::path::Path;

use tabletop::domain::Channel;
use tabletop::msel::{self, Level};
use tabletop::scenario::{self, Scenario, Trigger, bundled, diagnostic::render};

fn checked(name: &str, text: &str) -> Scenario {
    let checked = scenario::check_str(text, &scenario::Origin::default());
    let errors: Vec<String> = checked
        .diagnostics
        .iter()
        .filter(|d| d.level == scenario::Level::Error)
        .map(|d| render(name, &checked.text, d))
        .collect();
    assert!(
        errors.is_empty(),
        "{name} must check:\n{}",
        errors.join("\n")
    );
    checked.scenario.expect("no errors")
}

/// Imports a sheet that must import, and checks the skeleton.
fn import(name: &str, bytes: &[u8]) -> (Scenario, msel::Imported) {
    let imported = msel::import(bytes, name);
    let errors: Vec<String> = imported
        .problems
        .iter()
        .filter(|p| p.level == Level::Error)
        .map(ToString::to_string)
        .collect();
    assert!(errors.is_empty(), "{name}:\n{}", errors.join("\n"));
    let skeleton = imported.skeleton.as_ref().expect("a skeleton");
    (
        checked(&format!("{name} skeleton"), &skeleton.ron),
        imported,
    )
}

fn actor_name<'a>(s: &'a Scenario, id: &str) -> &'a str {
    let i = s.actor_index(id).expect("a declared actor");
    &s.file.actors[i].name
}

#[test]
fn every_bundled_scenario_survives_export_and_import() {
    for b in bundled::all() {
        let original = checked(b.name, b.text);
        for delimiter in [b',', b';'] {
            let csv = msel::export(&original, delimiter);
            assert!(csv.starts_with(b"\xEF\xBB\xBF"), "UTF-8 with a BOM");
            let (back, imported) = import(b.name, &csv);
            assert_eq!(
                imported.warnings(),
                0,
                "{}: {:?}",
                b.name,
                imported.problems
            );
            assert_eq!(back.file.injects.len(), original.file.injects.len());
            for (i, (a, z)) in original
                .file
                .injects
                .iter()
                .zip(&back.file.injects)
                .enumerate()
            {
                let here = format!("{} inject {} ({})", b.name, i + 1, a.id);
                assert_eq!(z.id, a.id, "{here}: the id column keeps ids");
                match (&original.triggers[i], &back.triggers[i]) {
                    (Trigger::At(x), Trigger::At(y)) => assert_eq!(x, y, "{here}: time"),
                    (Trigger::Manual, Trigger::Manual) => {}
                    (Trigger::When { delay: x, .. }, Trigger::When { delay: y, .. }) => {
                        assert_eq!(x, y, "{here}: delay");
                        assert_eq!(
                            z.when
                                .as_deref()
                                .map(str::split_whitespace)
                                .map(Iterator::collect::<Vec<_>>),
                            a.when
                                .as_deref()
                                .map(str::split_whitespace)
                                .map(Iterator::collect::<Vec<_>>),
                            "{here}: condition"
                        );
                    }
                    // A condition on names a spreadsheet cannot define becomes manual, and keeps the
                    // condition in a TODO comment.
                    (Trigger::When { .. }, Trigger::Manual) => {
                        let ron = &imported.skeleton.as_ref().expect("skeleton").ron;
                        let condition = a.when.as_deref().expect("a condition");
                        let condition = condition.split_whitespace().collect::<Vec<_>>().join(" ");
                        assert!(
                            ron.contains(&format!("//     when: \"{condition}\",")),
                            "{here}: the condition is kept in a comment"
                        );
                    }
                    (x, y) => panic!("{here}: trigger {x:?} came back as {y:?}"),
                }
                assert_eq!(
                    actor_name(&back, &z.from),
                    actor_name(&original, &a.from),
                    "{here}: sender"
                );
                let names = |s: &Scenario, to: &[String]| -> Vec<String> {
                    to.iter().map(|t| actor_name(s, t).to_owned()).collect()
                };
                assert_eq!(
                    names(&back, &z.to),
                    names(&original, &a.to),
                    "{here}: recipients"
                );
                assert_eq!(z.channel, a.channel, "{here}: channel");
                assert_eq!(z.tlp, a.tlp, "{here}: TLP");
                assert_eq!(z.subject, a.subject, "{here}: subject");
                assert_eq!(z.body, a.body, "{here}: text");
                assert_eq!(z.expected, a.expected, "{here}: expected actions");
                assert_eq!(z.notes, a.notes, "{here}: notes");
                let titles = |s: &Scenario, objectives: &[String]| -> Vec<String> {
                    objectives
                        .iter()
                        .map(|o| {
                            s.file.objectives[s.objective_index(o).expect("declared")]
                                .title
                                .clone()
                        })
                        .collect()
                };
                assert_eq!(
                    titles(&back, &z.objectives),
                    titles(&original, &a.objectives),
                    "{here}: objectives"
                );
            }
            // Every recipient is a seat, and only the actors the sheet names are declared.
            for a in &back.file.actors {
                assert!(a.name.trim() == a.name && !a.name.is_empty());
            }
        }
    }
}

#[test]
fn the_export_is_one_row_per_inject_with_the_hseep_columns() {
    let b = bundled::get("tutorial").expect("bundled");
    let s = checked(b.name, b.text);
    let csv = msel::export(&s, b',');
    let text = std::str::from_utf8(&csv).expect("UTF-8");
    let text = text.strip_prefix('\u{feff}').expect("BOM");
    assert!(text.starts_with(
        "Sequence,Scenario time,Delivery channel,From,To,TLP,Subject,Inject text,Expected action,Objective,Notes,id\r\n"
    ));
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a record")).collect();
    assert_eq!(rows.len(), s.file.injects.len());
    for (i, (row, inject)) in rows.iter().zip(&s.file.injects).enumerate() {
        assert_eq!(row.len(), 12);
        assert_eq!(&row[0], (i + 1).to_string());
        assert_eq!(&row[11], inject.id);
        match &s.triggers[i] {
            Trigger::At(m) => assert_eq!(&row[1], scenario::time::format_offset(*m)),
            Trigger::When { .. } => assert!(row[1].starts_with("when: "), "{}", &row[1]),
            Trigger::Manual => assert_eq!(&row[1], "manual"),
        }
    }
    // The tutorial's first inject: timed, one recipient, multi-line Markdown text.
    assert_eq!(&rows[0][1], "T+00:10");
    assert_eq!(&rows[0][2], "Phone");
    assert_eq!(&rows[0][5], "Amber");
    assert!(rows[0][7].contains('\n'));
    // A conditional inject with its delay.
    assert_eq!(&rows[1][1], "when: delivered(inj_utility_call) (+20m)");
}

/// A sheet as Excel (continental locale) saves "CSV UTF-8": BOM, `;`, CRLF between rows, LF inside
/// quoted multi-line cells, its own column order and header spellings, Greek text.
const EXCEL_SHEET: &str = concat!(
    "\u{feff}#;Time;Method;From;Intended player;TLP;Subject;Description;Expected player action;Objective / capability addressed;Controller notes;Status\r\n",
    "1;T+00:15;E-mail;Εθνική Αρχή Κυβερνοασφάλειας;CERT-GR;TLP:AMBER+STRICT;Επίθεση ransomware στο νοσοκομείο;\"**Τηλεφώνημα από τον διευθυντή πληροφορικής.**\n\nΤα συστήματα είναι κρυπτογραφημένα; τι κάνουμε;\";\"Ανοίγει υπόθεση\nΕνημερώνει την ENISA\";Έγκαιρη ενημέρωση;Μόνο για το CERT-GR;draft\r\n",
    "2;01:30;phone;\"Hospital \"\"Agios Nikolaos\"\"\";\"CERT-GR; ENISA\";amber;;\"Second call: the backups are encrypted too.\nWe need help.\";;\"Έγκαιρη ενημέρωση; Cross-border cooperation\";;\r\n",
    ";;;;;;;;;;;\r\n",
    "3;1h30;Social media;Press;ENISA;clear;Leak on social media;'- a list item, not a formula;;;;\r\n",
    "4;manual;Video call;Exercise control;CERT-GR;Green;ENDEX;;;;;\r\n",
    "5;when: delivered(inj_1) (+45m);Meeting;Exercise control;\"CERT-GR; ENISA\";Amber Strict;Hot wash;;;;;\r\n",
);

#[test]
fn a_sheet_saved_by_excel_imports() {
    let (s, imported) = import("msel.csv", EXCEL_SHEET.as_bytes());
    let problems: Vec<String> = imported.problems.iter().map(ToString::to_string).collect();
    // The unknown column is reported, not silently dropped.
    assert!(
        problems.contains(&"row 1, column L (Status): not an MSEL column, so its values (row 2 first) are not imported; rename the header if it is one (see docs/msel.md)".to_owned()),
        "{problems:#?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("row 3, column G (Subject): empty")),
        "{problems:#?}"
    );
    let injects = &s.file.injects;
    assert_eq!(injects.len(), 5, "the empty row is skipped, no other");
    let first = &injects[0];
    assert_eq!(s.triggers[0], Trigger::At(15));
    assert_eq!(first.channel, Channel::Email);
    assert_eq!(first.tlp, tabletop::domain::Tlp::AmberStrict);
    assert_eq!(first.subject, "Επίθεση ransomware στο νοσοκομείο");
    assert_eq!(
        first.body,
        "**Τηλεφώνημα από τον διευθυντή πληροφορικής.**\n\nΤα συστήματα είναι κρυπτογραφημένα; τι κάνουμε;"
    );
    assert_eq!(first.expected, ["Ανοίγει υπόθεση", "Ενημερώνει την ENISA"]);
    assert_eq!(first.notes, "Μόνο για το CERT-GR");
    assert_eq!(actor_name(&s, &first.from), "Εθνική Αρχή Κυβερνοασφάλειας");
    assert_eq!(first.from, "ethniki_archi_kyvernoasfaleias");
    assert_eq!(first.id, "inj_1", "ids from the sequence column");

    let second = &injects[1];
    assert_eq!(s.triggers[1], Trigger::At(90), "HH:MM is an offset");
    assert_eq!(actor_name(&s, &second.from), "Hospital \"Agios Nikolaos\"");
    let to: Vec<&str> = second.to.iter().map(|t| actor_name(&s, t)).collect();
    assert_eq!(to, ["CERT-GR", "ENISA"]);
    assert_eq!(
        second.subject,
        "Second call: the backups are encrypted too."
    );
    assert_eq!(second.objectives.len(), 2);

    let third = &injects[2];
    assert_eq!(s.triggers[2], Trigger::At(90), "1h30");
    assert_eq!(third.channel, Channel::SocialMedia);
    assert_eq!(
        third.body, "- a list item, not a formula",
        "the formula guard is taken off"
    );
    assert_eq!(s.triggers[3], Trigger::Manual);
    assert!(matches!(s.triggers[4], Trigger::When { delay: 45, .. }));

    // Every recipient is a seat; senders that receive nothing are simulated.
    for a in &s.file.actors {
        let receives = injects.iter().any(|i| i.to.contains(&a.id));
        assert_eq!(a.seat, receives, "{}", a.name);
    }
    let ron = &imported.skeleton.as_ref().expect("skeleton").ron;
    assert!(ron.contains("kind: Other, seat: true), // TODO: set the kind"));
    assert!(ron.contains("member_states: [\"BE\"]"));
    assert!(s.duration >= 90 + 60, "covers the last inject and an hour");
}

#[test]
fn a_sheet_saved_by_libreoffice_with_commas_imports() {
    let sheet = "Sequence,Scenario time,Delivery channel,From,To,TLP,Subject,Inject text,Expected action,Objective,Notes\n\
        1,T+00:10,Email,Exercise control,\"Ministry of Health, Welfare and Sport (VWS)\",Green,Start,\"Line one\nLine two\",,,\n\
        2,T+00:20,Phone,Exercise control,\"Ministry of Health, Welfare and Sport (VWS)\",TLP:RED,Second,,,,\n";
    let (s, _) = import("lo.csv", sheet.as_bytes());
    assert_eq!(s.file.injects.len(), 2);
    assert_eq!(s.file.injects[0].body, "Line one\nLine two");
    assert_eq!(
        actor_name(&s, &s.file.injects[0].to[0]),
        "Ministry of Health, Welfare and Sport (VWS)",
        "a comma inside a name does not split it"
    );
    assert_eq!(s.file.injects[1].tlp, tabletop::domain::Tlp::Red);
}

#[test]
fn bad_rows_are_reported_by_row_and_column() {
    let sheet = concat!(
        "Sequence,Scenario time,Delivery channel,From,To,TLP,Subject\n",
        "1,T+00:10,Email,Exercise control,CERT-Bund,Green,Fine\n",
        "2,soon,Email,Exercise control,CERT-Bund,Green,Bad time\n",
        "3,T+00:30,Email,Exercise control,,Green,No recipient\n",
        "4,T+00:40,Email,Exercise control,CERT-Bund,Orange,Bad TLP\n",
        "\n",
        "6,T+01:00,Carrier pigeon,Exercise control,CERT-Bund,Green,Bad channel\n",
        "7,90,Email,,CERT-Bund,Green,\n",
    );
    let imported = msel::import(sheet.as_bytes(), "msel.csv");
    assert!(imported.skeleton.is_none(), "nothing when a row is bad");
    let problems: Vec<String> = imported.problems.iter().map(ToString::to_string).collect();
    let expect = [
        "row 3, column B (Scenario time): \"soon\" is not a scenario time",
        "row 4, column E (To): no recipient",
        "row 5, column F (TLP): \"Orange\" is not a TLP label",
        "row 7, column C (Delivery channel): \"Carrier pigeon\" is not a channel; use one of Email, Phone,",
        "row 8, column B (Scenario time): \"90\" has no unit",
        "row 8, column D (From): no sender",
        "row 8, column G (Subject): no subject and no inject text",
    ];
    for e in expect {
        assert!(
            problems.iter().any(|p| p.starts_with(e)),
            "missing `{e}` in:\n{}",
            problems.join("\n")
        );
    }
    assert_eq!(imported.errors(), expect.len(), "{problems:#?}");
}

// ----- the command line ---------------------------------------------------------------------------

fn s(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

#[test]
fn cli_export_then_import_then_check() {
    let dir = temp_dir("msel", "roundtrip");
    let csv = dir.join("msel.csv");
    let ron = dir.join("scenario.ron");
    let out = tabletop(&["msel", "export", "hospital-ransomware", "-o", s(&csv)]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with(&format!("wrote {}: ", csv.display())),
        "{stdout}"
    );

    let out = tabletop(&["msel", "import", s(&csv), "-o", s(&ron)]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("TODO"), "{stdout}");

    let out = tabletop(&["check", s(&ron)]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains(": 0 errors"), "{stderr}");

    // Nothing is overwritten by accident.
    let before = std::fs::read(&ron).expect("written");
    let out = tabletop(&["msel", "import", s(&csv), "-o", s(&ron)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--force"));
    assert_eq!(std::fs::read(&ron).expect("still there"), before);
    let out = tabletop(&["msel", "import", s(&csv), "-o", s(&ron), "--force"]);
    assert!(out.status.success());
}

#[test]
fn cli_import_with_a_bad_row_exits_1_and_writes_nothing() {
    let dir = temp_dir("msel", "bad");
    let csv = dir.join("msel.csv");
    let ron = dir.join("scenario.ron");
    let mut sheet = String::from("Sequence;Scenario time;Delivery channel;From;To;TLP;Subject\r\n");
    for n in 1..=5 {
        let _ = write!(
            sheet,
            "{n};T+00:{n}0;Email;Exercise control;CERT-Bund;Green;Inject {n}\r\n"
        );
    }
    sheet.push_str("6;T+01:00;Carrier pigeon;Exercise control;CERT-Bund;Green;Inject 6\r\n");
    std::fs::write(&csv, format!("\u{feff}{sheet}")).expect("write");
    let out = tabletop(&["msel", "import", s(&csv), "-o", s(&ron)]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let channels: Vec<String> = Channel::ALL.iter().map(|c| format!("{c:?}")).collect();
    let line = format!(
        "{}: row 7, column C (Delivery channel): \"Carrier pigeon\" is not a channel; use one of {}",
        csv.display(),
        channels.join(", ")
    );
    assert!(stderr.lines().any(|l| l.starts_with(&line)), "{stderr}");
    assert!(
        stderr.contains("1 error, 0 warnings; nothing written"),
        "{stderr}"
    );
    assert!(!ron.exists(), "nothing is written");
    assert_eq!(
        std::fs::read_dir(&dir).expect("dir").count(),
        1,
        "not even a temporary file"
    );
}
