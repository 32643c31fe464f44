//! The report as GitHub-flavoured Markdown, for forges (GitHub, GitLab, Gitea/Forgejo) and plain-text
//! review. Charts become tables of the points where the values change. Text from the scenario, the
//! journal or the players is escaped so it can neither break a table nor inject markup.

use std::fmt::Write as _;

use crate::scenario::time::{Minutes, format_duration, format_offset};
use crate::sim::Rating;

use super::prose::{self, capitalised, particulars};
use super::{
    Basis, CriterionOutcome, Finding, Nis2Status, Observation, Report, SECTIONS, signed_duration,
};

/// Escapes text for Markdown: every character with a meaning in GFM gets a backslash, and line breaks
/// become spaces (inside a table they would end the row).
#[must_use]
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut last_space = false;
    for c in text.chars() {
        match c {
            '\r' | '\n' => {
                if !last_space {
                    out.push(' ');
                }
                last_space = true;
                continue;
            }
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '~' | '&' | '!' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
        last_space = c == ' ';
    }
    out
}

/// An id in a code span (ids are lowercase identifiers; anything else is escaped instead).
fn code(id: &str) -> String {
    if id.contains('`') || id.contains('|') {
        escape(id)
    } else {
        format!("`{id}`")
    }
}

fn when(report: &Report, at: Minutes) -> String {
    format!("{} · {}", format_offset(at), report.clock(at))
}

fn rating(r: Rating) -> &'static str {
    match r {
        Rating::P => "**P**",
        Rating::S => "**S**",
        Rating::M => "**M**",
        Rating::U => "**U**",
    }
}

/// A table's header row and its delimiter row.
fn table_head(columns: &[&str]) -> String {
    format!(
        "| {} |\n|{}\n",
        columns.join(" | "),
        "---|".repeat(columns.len())
    )
}

fn heading(m: &mut String, index: usize) {
    let _ = writeln!(m, "\n## {}. {}\n", index + 1, SECTIONS[index].1);
}

/// Renders the report as a Markdown document.
#[must_use]
pub fn render(report: &Report) -> String {
    let o = &report.overview;
    let mut m = String::with_capacity(32 * 1024);
    let _ = writeln!(
        m,
        "# {}\n\n**{}** · {} · {}\n",
        prose::title(&escape(&o.title)),
        o.tlp,
        prose::REPORT_KIND,
        prose::identification(
            &code(&o.scenario_id),
            &escape(&o.version),
            &escape(&report.period()),
            o.seed
        )
    );
    let _ = write!(m, "**{}:** ", prose::CONTENTS);
    let toc: Vec<String> = SECTIONS
        .iter()
        .enumerate()
        .map(|(i, (_, title))| format!("{}. [{title}](#{})", i + 1, slug(i + 1, title)))
        .collect();
    m.push_str(&toc.join(" · "));
    m.push('\n');
    overview(&mut m, report);
    objectives(&mut m, report);
    trends(&mut m, report);
    timeline(&mut m, report);
    decisions(&mut m, report);
    mechanisms(&mut m, report);
    nis2(&mut m, report);
    improvement_plan(&mut m, report);
    let _ = writeln!(
        m,
        "\n---\n\n**{}** · {}",
        o.tlp,
        prose::generated(
            &format!("`{}`", escape(&o.scenario_sha256)),
            o.seed,
            o.commands
        )
    );
    m
}

/// The anchor GitHub and GitLab give a heading `N. Title`.
fn slug(n: usize, title: &str) -> String {
    let text = format!("{n}. {title}").to_lowercase();
    text.chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

fn overview(m: &mut String, report: &Report) {
    let o = &report.overview;
    heading(m, 0);
    let figures = prose::key_figures(&o.figures);
    let labels: Vec<String> = figures.iter().map(|(l, _)| capitalised(l)).collect();
    let values: Vec<&str> = figures.iter().map(|(_, v)| v.as_str()).collect();
    m.push_str(&table_head(
        &labels.iter().map(String::as_str).collect::<Vec<_>>(),
    ));
    let _ = writeln!(m, "| {} |\n", values.join(" | "));
    let _ = write!(m, "### {}\n\n| | |\n|---|---|\n", prose::EXERCISE);
    let mut fact = |name: &str, value: &str| {
        let _ = writeln!(m, "| {name} | {value} |");
    };
    fact(particulars::NAME, &escape(&o.title));
    fact(
        particulars::SCENARIO,
        &prose::scenario_version(
            &code(&o.scenario_id),
            &escape(&o.version),
            (!o.authors.is_empty())
                .then(|| escape(&o.authors.join(", ")))
                .as_deref(),
        ),
    );
    fact(
        particulars::DATES,
        &prose::dates(&escape(&report.period()), &format_duration(o.duration)),
    );
    if !o.ended {
        fact(
            particulars::STATUS,
            &prose::not_finished(|s| format!("**{s}**"), &escape(&when(report, o.end))),
        );
    }
    fact(
        particulars::MEMBER_STATES,
        &escape(&o.member_states.join(", ")),
    );
    fact(particulars::PRESIDENCY, &escape(&o.presidency));
    fact(particulars::CLASSIFICATION, &o.tlp.to_string());
    fact(
        particulars::JOURNAL,
        &prose::journal(
            o.seed,
            o.commands,
            o.events,
            &format!("`{}`", escape(&o.scenario_sha256)),
        ),
    );

    if !o.briefing.trim().is_empty() {
        let _ = write!(m, "\n### {}\n\n", prose::SCENARIO);
        // The briefing is the planner's own Markdown: quoted as written.
        for line in o.briefing.trim().lines() {
            if line.trim().is_empty() {
                m.push_str(">\n");
            } else {
                let _ = writeln!(m, "> {line}");
            }
        }
    }

    let _ = write!(
        m,
        "\n### {}\n\n{}",
        prose::INCIDENTS,
        table_head(&prose::INCIDENT_COLUMNS)
    );
    for i in &o.incidents {
        let _ = writeln!(
            m,
            "| {} {} | {} | {} | {} | {} | {} | {} |",
            code(&i.id),
            escape(&i.title),
            escape(&i.kind),
            i.started
                .map_or_else(|| "—".to_owned(), |t| when(report, t)),
            i.detected
                .map_or_else(|| "—".to_owned(), |t| when(report, t)),
            i.peak.map_or_else(|| "—".to_owned(), |s| s.to_string()),
            escape(&i.countries.join(", ")),
            i.outcome
        );
    }

    let _ = write!(m, "\n### {}\n\n", prose::OBJECTIVES);
    for (n, obj) in report.objectives.iter().enumerate() {
        let _ = writeln!(m, "{}. {} ({})", n + 1, escape(&obj.title), code(&obj.id));
    }

    let named = o.seats.iter().any(|s| s.player.is_some());
    let _ = write!(m, "\n### {}\n\n", prose::PARTICIPANTS);
    let mut columns = prose::SEAT_COLUMNS.to_vec();
    if named {
        columns.push(prose::PLAYED_BY);
    } else {
        let _ = write!(m, "{}\n\n", prose::NOBODY_NAMED);
    }
    m.push_str(&table_head(&columns));
    for s in &o.seats {
        let player = if named {
            format!(
                " {} |",
                s.player.as_deref().map_or_else(|| "—".to_owned(), escape)
            )
        } else {
            String::new()
        };
        let _ = writeln!(
            m,
            "| {} | {} | {} | {} |{player}",
            code(&s.id),
            escape(&s.organisation),
            escape(&s.role),
            escape(s.country.as_deref().unwrap_or("EU")),
        );
    }
}

fn objectives(m: &mut String, report: &Report) {
    heading(m, 1);
    let _ = writeln!(m, "{}", prose::objectives_lead(|s| format!("**{s}**")));
    for (n, obj) in report.objectives.iter().enumerate() {
        let _ = writeln!(
            m,
            "\n### 2.{} {} ({})\n",
            n + 1,
            escape(&obj.title),
            code(&obj.id)
        );
        if !obj.description.is_empty() {
            let _ = writeln!(m, "{}\n", escape(&obj.description));
        }
        let counts: Vec<String> = obj
            .rating_counts()
            .iter()
            .filter(|(_, n)| *n > 0)
            .map(|(r, n)| format!("{} ×{n}", rating(*r)))
            .collect();
        let _ = writeln!(
            m,
            "**{}** {}\n",
            prose::FACILITATOR_RATINGS,
            if counts.is_empty() {
                prose::NO_RATINGS.to_owned()
            } else {
                counts.join(", ")
            }
        );
        if !obj.critical_tasks.is_empty() {
            let _ = write!(m, "#### {}\n\n", prose::CRITICAL_TASKS);
            for (i, t) in obj.critical_tasks.iter().enumerate() {
                let _ = writeln!(m, "{}. {}", i + 1, escape(t));
            }
            m.push('\n');
        }
        let _ = write!(m, "#### {}\n\n", prose::AUTOMATIC_CRITERIA);
        if obj.criteria.is_empty() {
            let _ = writeln!(m, "{}", prose::NO_CRITERIA);
        } else {
            m.push_str(&table_head(&prose::CRITERION_COLUMNS));
            for c in &obj.criteria {
                let result = match c.outcome {
                    CriterionOutcome::Met(t) => format!("✅ {} {}", prose::MET, format_offset(t)),
                    CriterionOutcome::Failed(t) => {
                        format!("❌ **{}** ({})", prose::NOT_MET, prose::window_closed(t))
                    }
                    CriterionOutcome::Open => prose::OPEN.to_owned(),
                };
                let _ = writeln!(
                    m,
                    "| {} ({}) | {} | {result} |",
                    escape(&c.text),
                    code(&c.id),
                    escape(&c.window)
                );
            }
        }
        observations_md(m, report, &obj.observations);
        if !obj.evaluations.is_empty() {
            let _ = write!(m, "\n#### {}\n\n", prose::NOTES);
            for note in &obj.evaluations {
                let _ = writeln!(m, "- {} {}", format_offset(note.at), escape(&note.text));
            }
        }
        findings_md(m, &obj.strengths, &obj.improvements);
    }
    let g = &report.general;
    if !g.observations.is_empty() {
        let _ = writeln!(
            m,
            "\n### {}\n\n{}",
            prose::GENERAL_OBSERVATIONS,
            prose::GENERAL_LEAD
        );
        observations_md(m, report, &g.observations);
        findings_md(m, &g.strengths, &g.improvements);
    }
}

fn observations_md(m: &mut String, report: &Report, observations: &[Observation]) {
    let _ = write!(m, "\n#### {}\n\n", prose::OBSERVATIONS);
    if observations.is_empty() {
        let _ = writeln!(m, "{}", prose::NONE_RECORDED);
        return;
    }
    m.push_str(&table_head(&prose::OBSERVATION_COLUMNS));
    for o in observations {
        let _ = writeln!(
            m,
            "| {} | {} | {} |",
            when(report, o.at),
            o.rating.map_or("—", rating),
            escape(&o.text)
        );
    }
}

fn findings_md(m: &mut String, strengths: &[Finding], improvements: &[Finding]) {
    for (title, list) in [
        (prose::STRENGTHS, strengths),
        (prose::IMPROVEMENTS, improvements),
    ] {
        let _ = writeln!(m, "\n#### {title}\n");
        if list.is_empty() {
            let _ = writeln!(m, "{}", prose::NONE_IDENTIFIED);
            continue;
        }
        for f in list {
            let prefix = match f.basis {
                Basis::Observation { rating: r, .. } => format!("{} ", rating(r)),
                Basis::Criterion { .. } => String::new(),
            };
            let _ = writeln!(
                m,
                "- {prefix}{} *({})*",
                escape(&f.text),
                escape(&f.basis.label())
            );
        }
    }
}

fn trends(m: &mut String, report: &Report) {
    heading(m, 2);
    let _ = writeln!(
        m,
        "The values change at these moments (the HTML report draws them as charts). First cross-border impact: {}.\n",
        report
            .first_cross_border
            .map_or_else(|| prose::NONE.to_owned(), |t| when(report, t))
    );
    m.push_str(&table_head(&[
        "Time",
        "Worst severity of an active incident",
        prose::MEMBER_STATES_AFFECTED,
    ]));
    for p in &report.trend {
        let _ = writeln!(
            m,
            "| {} | {} | {} |",
            when(report, p.at),
            p.worst
                .map_or_else(|| prose::NONE.to_owned(), |s| s.to_string()),
            p.countries
        );
    }
}

fn timeline(m: &mut String, report: &Report) {
    heading(m, 3);
    let _ = write!(
        m,
        "{}\n\n{}",
        prose::TIMELINE_LEAD,
        table_head(&prose::TIMELINE_COLUMNS)
    );
    for e in &report.timeline {
        let _ = writeln!(
            m,
            "| {} | {} | {} |",
            when(report, e.at),
            e.category.label(),
            escape(&e.text)
        );
    }
}

fn decisions(m: &mut String, report: &Report) {
    heading(m, 4);
    if report.decisions.is_empty() {
        let _ = writeln!(m, "{}", prose::NO_DECISIONS);
        return;
    }
    m.push_str(&table_head(&prose::DECISION_COLUMNS));
    for d in &report.decisions {
        let _ = writeln!(
            m,
            "| {} | {} {} | {}{} | {} | {} | {}; {} |",
            d.at.map_or_else(|| "—".to_owned(), |t| when(report, t)),
            code(&d.id),
            escape(&d.prompt),
            escape(&d.seat),
            d.player.as_deref().map_or_else(String::new, |p| format!(
                ", {}",
                prose::played_by(&escape(p))
            )),
            d.option.as_deref().map_or_else(|| "—".to_owned(), escape),
            if d.rationale.is_empty() {
                "—".to_owned()
            } else {
                escape(&d.rationale)
            },
            escape(&d.resolution.label()),
            prose::offered(d.offered_at, d.deadline)
        );
    }
}

fn mechanisms(m: &mut String, report: &Report) {
    heading(m, 5);
    let _ = writeln!(
        m,
        "{}",
        report.first_cross_border.map_or_else(
            || prose::NO_CROSS_BORDER.to_owned(),
            |t| prose::first_cross_border(&format!("**{}**", when(report, t)))
        )
    );
    for level in &report.mechanisms {
        let _ = writeln!(
            m,
            "\n### {}\n\n*{}*\n",
            prose::level_label(level.level),
            escape(prose::level_scope(level.level))
        );
        if level.changes.is_empty() {
            let _ = writeln!(m, "{}", prose::NOTHING_ACTIVATED);
        } else {
            m.push_str(&table_head(&prose::MECHANISM_COLUMNS));
            for c in &level.changes {
                let _ = writeln!(
                    m,
                    "| {} | {}{} | {} | {} | {} |",
                    when(report, c.at),
                    escape(c.mechanism.name()),
                    if c.first {
                        format!(" (**{}**)", prose::ACTIVATED)
                    } else {
                        String::new()
                    },
                    c.since_cross_border
                        .map_or_else(|| "—".to_owned(), signed_duration),
                    escape(&c.state),
                    escape(&c.by)
                );
            }
        }
        if !level.not_activated.is_empty() {
            let _ = writeln!(
                m,
                "\n{}",
                escape(&prose::not_activated(&level.not_activated))
            );
        }
    }
}

fn nis2(m: &mut String, report: &Report) {
    heading(m, 6);
    if report.nis2.is_empty() {
        let _ = writeln!(m, "{}", prose::NO_NIS2);
        return;
    }
    let _ = writeln!(
        m,
        "{}\n",
        prose::nis2_lead(report.nis2.len(), &report.overview.figures)
    );
    m.push_str(&table_head(&prose::NIS2_COLUMNS));
    for n in &report.nis2 {
        let result = match n.status {
            Nis2Status::Met(t) => format!("✅ {}, {}", prose::MET, prose::filed(t)),
            Nis2Status::Missed(_) => format!("❌ **{}**", prose::MISSED),
            Nis2Status::Open => prose::NOT_YET_DUE.to_owned(),
        };
        let _ = writeln!(
            m,
            "| {} | {} | {} | {} | {} | {result} |",
            escape(&n.entity),
            escape(n.country.as_deref().unwrap_or("—")),
            code(&n.incident),
            escape(&n.report),
            when(report, n.due)
        );
    }
}

fn improvement_plan(m: &mut String, report: &Report) {
    heading(m, 7);
    if report.improvement_plan.is_empty() {
        let _ = writeln!(m, "{}", prose::NO_IMPROVEMENT);
        return;
    }
    let _ = write!(
        m,
        "{}\n\n{}",
        prose::PLAN_LEAD,
        table_head(&prose::PLAN_COLUMNS)
    );
    for item in &report.improvement_plan {
        let _ = writeln!(
            m,
            "| {} | {} *({})* |  | {} |  |  |",
            escape(item.objective.as_deref().unwrap_or(prose::GENERAL)),
            escape(&item.issue),
            escape(&item.basis),
            escape(&item.responsible.join("; "))
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_neutralises_markup_and_table_breaks() {
        assert_eq!(escape("a|b"), "a\\|b");
        assert_eq!(escape("<script>x</script>"), "\\<script\\>x\\</script\\>");
        assert_eq!(escape("line one\nline two"), "line one line two");
        assert_eq!(
            escape("*bold* _it_ [l](u)"),
            "\\*bold\\* \\_it\\_ \\[l\\](u)"
        );
    }

    #[test]
    fn slugs_follow_the_forges() {
        assert_eq!(slug(1, "Exercise overview"), "1-exercise-overview");
        assert_eq!(
            slug(3, "Severity and affected Member States over time"),
            "3-severity-and-affected-member-states-over-time"
        );
    }
}
