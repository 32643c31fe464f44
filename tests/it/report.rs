//! After-action reports: golden files for two bundled scenarios played with seed 7 and fixed decisions
//! (plus the facilitator's hot-wash observations), an HTML file that loads nothing from anywhere, every
//! section present in both formats, hostile text escaped, and the command line.
//!
//! `UPDATE_GOLDEN=1 cargo test --no-default-features report` rewrites the files in `tests/golden/`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command as Process;
use std::sync::Arc;

use tabletop::journal::Journal;
use tabletop::report::{self, CriterionOutcome, Report, Resolution, SECTIONS};
use tabletop::scenario::{self, Origin, Scenario, bundled};
use tabletop::session::Session;
use tabletop::session::policy::{self, Builtin, Choice, Policy, Script};
use tabletop::sim::{Command, Rating};

fn bundled_scenario(name: &str) -> (String, Arc<Scenario>) {
    let b = bundled::get(name).expect("bundled scenario");
    let checked = scenario::check_str(b.text, &Origin::default());
    (
        b.text.to_owned(),
        Arc::new(checked.scenario.expect("bundled scenarios check")),
    )
}

fn choice(decision: &str, option: &str, at: Option<&str>, rationale: &str) -> Choice {
    Choice {
        decision: decision.into(),
        option: option.into(),
        seat: None,
        rationale: rationale.into(),
        at: at.map(str::to_owned),
    }
}

type Observation<'a> = (&'a str, Option<&'a str>, Option<Rating>);

/// Plays a bundled scenario with seed 7 and a fixed decisions script, then records observations as a
/// facilitator does at the hot wash (after ENDEX), and names the players.
fn exercise(
    name: &str,
    script: Script,
    observations: &[Observation],
    players: &[(&str, &str)],
) -> Journal {
    let (text, s) = bundled_scenario(name);
    let mut policy = Policy::scripted(script, 7).expect("the script is valid");
    let mut session = Session::unrecorded(s.clone(), 7);
    policy::play(&mut session, &mut policy).expect("unrecorded");
    for (text, objective, rating) in observations {
        let command = Command::Observe {
            text: (*text).to_owned(),
            objective: objective.map(str::to_owned),
            rating: *rating,
        };
        session.submit(command).expect("an observation is accepted");
    }
    let mut journal = Journal::of_run(&text, &s, 7, session.entries());
    journal.header.players = players
        .iter()
        .map(|(seat, name)| ((*seat).to_owned(), (*name).to_owned()))
        .collect();
    journal
}

/// The tutorial: CERT.at warns its neighbour late (so one criterion fails), the SPOC lets the Reserve
/// question default, and the facilitator rates what happened.
fn tutorial() -> Journal {
    exercise(
        "tutorial",
        Script {
            fallback: Builtin::Defaults,
            choices: vec![choice(
                "dec_share",
                "opt_share_now",
                Some("T+01:09"),
                "Danubia confirmed the Slovak tunnel; sharing at TLP:AMBER so SK-CERT can act",
            )],
        },
        &[
            (
                "CERT.at gave the utility clear first guidance on evidence and manual operation within minutes.",
                Some("obj_report_share"),
                Some(Rating::P),
            ),
            (
                "The warning to SK-CERT came 29 minutes after Danubia's call, so the CSIRTs Network case opened after the one-hour target.",
                Some("obj_report_share"),
                Some(Rating::M),
            ),
            (
                "SK-CERT's call got the Slovak utility to cut the vendor tunnel before the attacker tried it.",
                Some("obj_protect_support"),
                Some(Rating::S),
            ),
            (
                "CERT.at did not answer the Reserve question before its deadline; the default applied with no rationale on record.",
                Some("obj_protect_support"),
                Some(Rating::U),
            ),
            (
                "Hot wash: the seats asked for a five-minute TLP refresher before the next exercise.",
                None,
                None,
            ),
        ],
        &[
            ("at_csirt", "Anna Gruber"),
            ("at_spoc", "Markus Leitner"),
            ("sk_csirt", "Zuzana Horváthová"),
            ("cz_csirt", "Jan Novák"),
        ],
    )
}

/// The hospital wave: mostly escalatory answers, but Aurelys' early warning waits (a missed NIS2
/// deadline), Belgium holds EU-CyCLONe back, Germany shares late and the Dutch sector decision defaults.
fn hospital() -> Journal {
    exercise(
        "hospital-ransomware",
        Script {
            fallback: Builtin::Escalate,
            choices: vec![
                choice(
                    "dec_aurelys_ew",
                    "opt_ew_wait",
                    None,
                    "Aurelys' lawyers asked for time; informal cooperation seemed enough",
                ),
                choice(
                    "dec_cyclone",
                    "opt_cyc_wait",
                    None,
                    "Belgium prefers to keep it technical until the forensics are in",
                ),
                choice(
                    "dec_de_share",
                    "opt_de_national",
                    Some("T+04:00"),
                    "Protect German hospitals first; share abroad once confirmed",
                ),
                choice("dec_nl_sector", "opt_nl_block", Some("T+47:00"), "Too late"),
            ],
        },
        &[
            (
                "Aurelys never filed its early warning; CERT-Belgium accepted informal cooperation instead.",
                Some("obj_nis2"),
                Some(Rating::U),
            ),
            (
                "ENISA escalated to EU-CyCLONe once Belgium held back; the network worked as a safety net.",
                Some("obj_cyclone"),
                Some(Rating::S),
            ),
            (
                "The Reserve request was complete and reached ENISA well inside the target.",
                Some("obj_support"),
                Some(Rating::P),
            ),
        ],
        &[],
    )
}

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

/// Compares with a golden file, or writes it when `UPDATE_GOLDEN=1`.
fn golden(name: &str, actual: &str) {
    let path = golden_dir().join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(golden_dir()).expect("tests/golden");
        std::fs::write(&path, actual).expect("write golden file");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "{} is missing: run `UPDATE_GOLDEN=1 cargo test --no-default-features report` to write it",
            path.display()
        )
    });
    assert!(
        expected == actual,
        "{} differs from the rendered report (if the change is intended, rerun with UPDATE_GOLDEN=1):\n{}",
        path.display(),
        diff(&expected, actual)
    );
}

/// The differing stretch of two texts, by lines, with a little context.
fn diff(expected: &str, actual: &str) -> String {
    let (e, a): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    let prefix = e.iter().zip(&a).take_while(|(x, y)| x == y).count();
    let suffix = e[prefix..]
        .iter()
        .rev()
        .zip(a[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let context = prefix.saturating_sub(3);
    let mut out = format!("first difference at line {}\n", prefix + 1);
    for line in &e[context..prefix] {
        let _ = writeln!(out, "    {line}");
    }
    let shown = 40;
    let removed = &e[prefix..e.len() - suffix];
    let added = &a[prefix..a.len() - suffix];
    for line in removed.iter().take(shown) {
        let _ = writeln!(out, "  - {line}");
    }
    if removed.len() > shown {
        let _ = writeln!(out, "  - … {} more lines", removed.len() - shown);
    }
    for line in added.iter().take(shown) {
        let _ = writeln!(out, "  + {line}");
    }
    if added.len() > shown {
        let _ = writeln!(out, "  + … {} more lines", added.len() - shown);
    }
    out
}

fn report_of(journal: &Journal) -> Report {
    Report::from_journal(journal).expect("the journal replays")
}

#[test]
fn tutorial_report_matches_its_golden_files() {
    let report = report_of(&tutorial());
    golden("tutorial.md", &report::markdown::render(&report));
    golden("tutorial.html", &report::html::render(&report));
}

#[test]
fn hospital_report_matches_its_golden_files() {
    let report = report_of(&hospital());
    golden("hospital-ransomware.md", &report::markdown::render(&report));
    golden("hospital-ransomware.html", &report::html::render(&report));
}

#[test]
fn the_fixed_decisions_give_the_intended_mix_of_outcomes() {
    let t = report_of(&tutorial());
    let report_share = &t.objectives[0];
    assert!(
        matches!(
            report_share.criteria[0].outcome,
            CriterionOutcome::Failed(_)
        ),
        "the case opens after the one-hour window"
    );
    assert!(matches!(
        report_share.criteria[1].outcome,
        CriterionOutcome::Met(_)
    ));
    let resolutions: Vec<&Resolution> = t.decisions.iter().map(|d| &d.resolution).collect();
    assert_eq!(
        resolutions,
        [
            &Resolution::OnTime,
            &Resolution::Defaulted {
                nobody_seated: false
            }
        ]
    );
    assert_eq!(t.decisions[0].player.as_deref(), Some("Anna Gruber"));

    let h = report_of(&hospital());
    assert_eq!(h.overview.figures.nis2_missed, 1, "Aurelys' early warning");
    assert!(h.overview.figures.decisions_defaulted >= 1);
    assert!(h.overview.figures.criteria_failed >= 1);
    assert!(h.overview.seats.iter().all(|s| s.player.is_none()));
}

#[test]
fn ratings_and_criteria_become_strengths_areas_and_plan_rows() {
    let t = report_of(&tutorial());
    let report_share = &t.objectives[0];
    assert!(
        report_share
            .strengths
            .iter()
            .any(|f| f.text.starts_with("CERT.at gave the utility")),
        "a P rating is a strength"
    );
    assert!(
        report_share
            .improvements
            .iter()
            .any(|f| f.text.starts_with("The warning to SK-CERT")),
        "an M rating is an area for improvement"
    );
    assert!(
        report_share
            .improvements
            .iter()
            .any(|f| f.text.starts_with("Not met: A CSIRTs Network case is open")),
        "a failed criterion is an area for improvement"
    );
    let protect = &t.objectives[1];
    assert!(
        protect
            .strengths
            .iter()
            .any(|f| f.text.starts_with("SK-CERT's call"))
    );
    assert!(
        protect
            .improvements
            .iter()
            .any(|f| f.text.starts_with("CERT.at did not"))
    );
    assert_eq!(t.general.observations.len(), 1, "the unrated hot-wash note");
    assert!(t.general.strengths.is_empty() && t.general.improvements.is_empty());

    // One plan row per area for improvement; the failed criterion names the seat that decides it.
    let areas: usize = t.objectives.iter().map(|o| o.improvements.len()).sum();
    assert_eq!(t.improvement_plan.len(), areas);
    let case = t
        .improvement_plan
        .iter()
        .find(|i| {
            i.issue
                .starts_with("Not met: A CSIRTs Network case is open")
        })
        .expect("plan row for the failed criterion");
    assert_eq!(case.responsible, ["CERT.at"]);
}

#[test]
fn the_html_loads_nothing_from_the_network() {
    for journal in [tutorial(), hospital()] {
        let html = report::html::render(&report_of(&journal));
        for needle in [
            "http://", "https://", "<script", "<link", "<img", "<iframe", "@import", "url(",
        ] {
            assert!(
                !html.to_lowercase().contains(needle),
                "{}: the report contains `{needle}`",
                journal.header.scenario_id
            );
        }
        assert!(html.contains("<style>") && html.contains("<svg class=\"chart\""));
        assert!(html.contains("@media print"), "print styles are inline");
    }
}

#[test]
fn the_html_elements_are_balanced() {
    for journal in [tutorial(), hospital()] {
        let html = report::html::render(&report_of(&journal));
        for tag in [
            "main", "section", "article", "div", "table", "thead", "tbody", "tr", "td", "ul", "ol",
            "li", "figure", "svg", "p", "h2", "h3", "h4",
        ] {
            let opened = html.matches(&format!("<{tag}>")).count()
                + html.matches(&format!("<{tag} ")).count();
            let closed = html.matches(&format!("</{tag}>")).count();
            assert_eq!(
                opened, closed,
                "{}: <{tag}> opened {opened} times, closed {closed}",
                journal.header.scenario_id
            );
        }
    }
}

/// Cell separators in a Markdown table row: `|` not escaped with a backslash.
fn cells(row: &str) -> usize {
    let mut count = 0;
    let mut escaped = false;
    for c in row.chars() {
        match c {
            '\\' if !escaped => escaped = true,
            '|' if !escaped => count += 1,
            _ => escaped = false,
        }
        if c != '\\' {
            escaped = false;
        }
    }
    count
}

/// Every row of every Markdown table has as many cells as the table's header.
fn assert_tables(md: &str, what: &str) {
    let mut header: Option<usize> = None;
    for (n, line) in md.lines().enumerate() {
        if !line.starts_with('|') {
            header = None;
            continue;
        }
        let here = cells(line);
        match header {
            None => header = Some(here),
            Some(expected) => assert_eq!(here, expected, "{what} line {}: `{line}`", n + 1),
        }
    }
}

#[test]
fn every_markdown_table_row_has_its_header_s_cells() {
    for journal in [tutorial(), hospital()] {
        let md = report::markdown::render(&report_of(&journal));
        assert_tables(&md, &journal.header.scenario_id);
    }
}

#[test]
fn every_section_heading_is_present_in_both_formats() {
    let report = report_of(&tutorial());
    let html = report::html::render(&report);
    let md = report::markdown::render(&report);
    for (i, (anchor, heading)) in SECTIONS.iter().enumerate() {
        let n = i + 1;
        assert!(
            html.contains(&format!(
                "<section id=\"{anchor}\">\n<h2><span class=\"num\">{n}</span> {heading}</h2>"
            )),
            "HTML lacks section {n} {heading}"
        );
        assert!(
            html.contains(&format!("<a href=\"#{anchor}\">{heading}</a>")),
            "HTML contents lack {heading}"
        );
        assert!(
            md.contains(&format!("\n## {n}. {heading}\n")),
            "Markdown lacks section {n} {heading}"
        );
    }
    for sub in [
        "Participants",
        "Incidents",
        "Objectives",
        "Strengths",
        "Areas for improvement",
        "Automatic criteria",
        "Observations",
        "Technical level",
        "Operational level",
        "Strategic / political level",
    ] {
        assert!(html.contains(&format!(">{sub}</h")), "HTML lacks {sub}");
        assert!(md.contains(&format!(" {sub}\n")), "Markdown lacks {sub}");
    }
}

#[test]
fn hostile_text_is_escaped_in_both_formats() {
    let hostile = "<script>alert('x')</script> & <img src=x onerror=alert(1)> | **bold**";
    let journal = exercise(
        "tutorial",
        Script {
            fallback: Builtin::Escalate,
            choices: vec![choice(
                "dec_share",
                "opt_share_now",
                None,
                "</td><script>rationale</script>",
            )],
        },
        &[
            (hostile, Some("obj_report_share"), Some(Rating::M)),
            (hostile, None, Some(Rating::U)),
        ],
        &[("at_csirt", "<b>Eve</b>")],
    );
    let report = report_of(&journal);
    let html = report::html::render(&report);
    assert!(!html.contains("<script"), "a script tag got through");
    assert!(!html.contains("<img"), "an img tag got through");
    assert!(!html.contains("<b>Eve"), "the player's name is markup");
    assert!(html.contains("&lt;script&gt;alert('x')&lt;/script&gt; &amp; &lt;img src=x"));
    assert!(html.contains("&lt;/td&gt;&lt;script&gt;rationale"));
    assert!(html.contains("&lt;b&gt;Eve&lt;/b&gt;"));

    let md = report::markdown::render(&report);
    assert_tables(&md, "hostile");
    for tag in ["<script", "<img", "<b>", "</td"] {
        assert!(
            md.match_indices(tag).all(|(i, _)| md[..i].ends_with('\\')),
            "an unescaped `{tag}` in the Markdown"
        );
    }
    assert!(md.contains("\\<script\\>alert('x')\\</script\\> \\& \\<img src=x onerror=alert(1)\\> \\| \\*\\*bold\\*\\*"));
    // The M and U ratings made two plan rows, the general one with no objective.
    assert_eq!(report.improvement_plan.len(), 2);
    assert!(
        report
            .improvement_plan
            .iter()
            .any(|i| i.objective.is_none())
    );
}

#[test]
fn the_trend_ends_where_the_exercise_ends() {
    for name in [
        "tutorial",
        "hospital-ransomware",
        "hybrid-cable-energy",
        "msp-supply-chain",
        "election-interference",
    ] {
        for builtin in [Builtin::Defaults, Builtin::Escalate] {
            let (text, s) = bundled_scenario(name);
            let mut session = Session::unrecorded(s.clone(), 7);
            policy::play(&mut session, &mut Policy::builtin(builtin, 7)).expect("unrecorded");
            let view = session.view();
            let report = report_of(&Journal::of_run(&text, &s, 7, session.entries()));
            let last = report.trend.last().expect("a trend");
            assert_eq!(last.at, view.now, "{name} {builtin:?}");
            assert_eq!(
                last.countries,
                view.countries_affected().len(),
                "{name} {builtin:?}: the folded count agrees with the view"
            );
            assert_eq!(
                report.overview.figures.criteria_met + report.overview.figures.criteria_failed,
                s.criteria.len(),
                "{name} {builtin:?}: every criterion is decided at the end"
            );
            assert!(
                report.trend.windows(2).all(|w| w[0].at < w[1].at),
                "{name} {builtin:?}: one point per moment"
            );
        }
    }
}

#[test]
fn an_unfinished_exercise_is_reported_as_far_as_it_went() {
    let mut journal = tutorial();
    // Stop just after the first decision is offered, as if the console had crashed there.
    let offered = journal
        .entries
        .iter()
        .position(|e| {
            e.events
                .iter()
                .any(|ev| ev.line().contains("decision dec_share pending"))
        })
        .expect("dec_share is offered");
    journal.entries.truncate(offered + 1);
    let report = report_of(&journal);
    assert!(!report.overview.ended);
    assert_eq!(report.overview.end, 40);
    assert!(
        report
            .objectives
            .iter()
            .flat_map(|o| &o.criteria)
            .all(|c| c.outcome == CriterionOutcome::Open)
    );
    assert_eq!(report.decisions[0].resolution, Resolution::Unanswered);
    assert!(
        report.improvement_plan.is_empty(),
        "open criteria are not findings"
    );
    assert!(report::html::render(&report).contains("<strong>Not finished</strong>"));
    assert!(report::markdown::render(&report).contains("**Not finished**"));
}

#[test]
fn a_journal_that_does_not_replay_gives_no_report() {
    let mut journal = tutorial();
    let entry = journal
        .entries
        .iter_mut()
        .find(|e| !e.events.is_empty())
        .expect("an entry with events");
    entry.events[0].at += 1;
    let error = Report::from_journal(&journal).expect_err("a tampered journal");
    assert!(error.to_string().contains("does not replay"), "{error}");
}

fn temp_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tabletop-report-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[test]
fn the_report_command_writes_both_formats() {
    let dir = temp_dir();
    let journal = dir.join("tutorial.jsonl");
    tutorial()
        .write(std::fs::File::create(&journal).expect("journal file"))
        .expect("write journal");
    let run = |args: &[&str]| {
        Process::new(env!("CARGO_BIN_EXE_tabletop"))
            .args(args)
            .output()
            .expect("the binary runs")
    };
    let html_path = dir.join("aar.html");
    let out = run(&[
        "report",
        journal.to_str().unwrap(),
        "--format",
        "html",
        "-o",
        html_path.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = std::fs::read_to_string(&html_path).expect("HTML written");
    assert_eq!(html, report::html::render(&report_of(&tutorial())));

    // The format follows the file name when not given.
    let md_path = dir.join("aar.md");
    let out = run(&[
        "report",
        journal.to_str().unwrap(),
        "-o",
        md_path.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let md = std::fs::read_to_string(&md_path).expect("Markdown written");
    assert!(md.starts_with("# After-action report: "));

    // To standard output, and a readable error for a journal that is not one.
    let out = run(&["report", journal.to_str().unwrap(), "--format", "md"]);
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout), md);
    let bogus = dir.join("bogus.jsonl");
    std::fs::write(&bogus, "not json\n").expect("write");
    let out = run(&["report", bogus.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("line 1"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
