//! The report as one self-contained HTML file: inline CSS (screen and print), inline SVG charts, no
//! scripts, fonts or images from anywhere, so it opens and prints in an air-gapped exercise room. Every
//! piece of text from the scenario, the journal or the players is escaped.

use std::fmt::Write as _;

use html_escape::{encode_double_quoted_attribute as attr, encode_text};
use pulldown_cmark::{Event as Md, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::domain::{Severity, Tlp};
use crate::scenario::time::{Minutes, format_duration, format_offset};
use crate::sim::Rating;

use super::prose::{self, capitalised, particulars};
use super::svg::StepChart;
use super::{
    Basis, CriterionOutcome, Finding, Nis2Status, Report, Resolution, SECTIONS, rating_meaning,
    signed_duration,
};

/// Escapes text for an element's content.
fn esc(s: &str) -> std::borrow::Cow<'_, str> {
    encode_text(s)
}

/// Renders the report as a complete HTML document.
#[must_use]
pub fn render(report: &Report) -> String {
    let o = &report.overview;
    let mut h = String::with_capacity(64 * 1024);
    let tlp = o.tlp.to_string();
    let _ = write!(
        h,
        r#"<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title_bar}</title>
<style>
{CSS}@page {{ @bottom-left {{ content: "{tlp_css}"; }} }}
</style>
</head>
<body>
<div class="page">
<header class="cover">
<p class="tlp {tlp_class}">{tlp}</p>
<p class="kicker">{kind}</p>
<h1>{title}</h1>
<p class="meta">{identification}</p>
</header>
"#,
        lang = attr(if o.language.is_empty() {
            "en"
        } else {
            &o.language
        }),
        title_bar = prose::title(&esc(&o.title)),
        title = esc(&o.title),
        tlp_css = tlp.replace('"', ""),
        tlp_class = tlp_class(o.tlp),
        kind = prose::REPORT_KIND,
        identification = capitalised(&prose::identification(
            &format!("<code>{}</code>", esc(&o.scenario_id)),
            &esc(&o.version),
            &esc(&report.period()),
            o.seed
        )),
    );
    let _ = write!(
        h,
        "<nav class=\"toc\" aria-label=\"{contents}\">\n<h2>{contents}</h2>\n<ol>\n",
        contents = prose::CONTENTS
    );
    for (anchor, heading) in SECTIONS {
        let _ = writeln!(h, "<li><a href=\"#{anchor}\">{heading}</a></li>");
    }
    h.push_str("</ol>\n</nav>\n<main>\n");
    overview(&mut h, report);
    objectives(&mut h, report);
    trends(&mut h, report);
    timeline(&mut h, report);
    decisions(&mut h, report);
    mechanisms(&mut h, report);
    nis2(&mut h, report);
    improvement_plan(&mut h, report);
    let _ = write!(
        h,
        r#"</main>
<footer>
<p><span class="tlp {tlp_class}">{tlp}</span> {generated}</p>
</footer>
</div>
</body>
</html>
"#,
        tlp_class = tlp_class(o.tlp),
        generated = prose::generated(
            &format!("<code>{}</code>", esc(&o.scenario_sha256)),
            o.seed,
            o.commands
        ),
    );
    h
}

fn section_start(h: &mut String, index: usize) {
    let (anchor, heading) = SECTIONS[index];
    let _ = writeln!(
        h,
        "<section id=\"{anchor}\">\n<h2><span class=\"num\">{}</span> {heading}</h2>",
        index + 1
    );
}

/// A table with these column headings, up to its open body.
fn table_start(class: &str, columns: &[&str]) -> String {
    let class = if class.is_empty() {
        String::new()
    } else {
        format!(" class=\"{class}\"")
    };
    let mut table = format!("<table{class}>\n<thead><tr>");
    for c in columns {
        let _ = write!(table, "<th>{c}</th>");
    }
    table.push_str("</tr></thead>\n<tbody>\n");
    table
}

fn tlp_class(tlp: Tlp) -> &'static str {
    match tlp {
        Tlp::Red => "tlp-red",
        Tlp::AmberStrict | Tlp::Amber => "tlp-amber",
        Tlp::Green => "tlp-green",
        Tlp::Clear => "tlp-clear",
    }
}

/// A table cell with the offset and the simulated clock time under it.
fn time_cell(report: &Report, at: Minutes) -> String {
    format!(
        "<td class=\"time\"><span class=\"off\">{}</span><span class=\"clk\">{}</span></td>",
        format_offset(at),
        esc(&report.clock(at))
    )
}

fn badge(class: &str, label: &str) -> String {
    format!("<span class=\"badge {class}\">{}</span>", esc(label))
}

fn rating_badge(rating: Rating) -> String {
    let (class, letter) = match rating {
        Rating::P => ("r-p", "P"),
        Rating::S => ("r-s", "S"),
        Rating::M => ("r-m", "M"),
        Rating::U => ("r-u", "U"),
    };
    format!(
        "<span class=\"badge {class}\" title=\"{}\">{letter}</span>",
        attr(rating_meaning(rating))
    )
}

fn overview(h: &mut String, report: &Report) {
    let o = &report.overview;
    let f = &o.figures;
    section_start(h, 0);
    h.push_str("<div class=\"figures\">\n");
    let mut card = |value: String, label: &str, class: &str| {
        let _ = writeln!(
            h,
            "<div class=\"figure {class}\"><span class=\"value\">{}</span><span class=\"label\">{}</span></div>",
            esc(&value),
            esc(label)
        );
    };
    let [criteria, decisions, nis2, worst, states, mechanisms] = prose::key_figures(f);
    let good_if = |ok: bool, otherwise: &'static str| if ok { "good" } else { otherwise };
    for ((label, value), class) in [
        (
            criteria,
            good_if(f.criteria_met == f.criteria_total, "warn"),
        ),
        (decisions, good_if(f.decisions_defaulted == 0, "warn")),
        (nis2, good_if(f.nis2_missed == 0, "bad")),
        (worst, ""),
        (states, ""),
        (mechanisms, ""),
    ] {
        card(value, label, class);
    }
    h.push_str("</div>\n");
    facts(h, report);
    scenario(h, report);
    participants(h, report);
    h.push_str("</section>\n");
}

/// The exercise's particulars: name, scenario, dates, states, classification, journal.
fn facts(h: &mut String, report: &Report) {
    let o = &report.overview;
    let _ = write!(
        h,
        "<h3>{}</h3>\n<table class=\"facts\">\n<tbody>\n",
        prose::EXERCISE
    );
    let mut fact = |name: &str, value: &str| {
        let _ = writeln!(h, "<tr><th scope=\"row\">{name}</th><td>{value}</td></tr>");
    };
    fact(particulars::NAME, &esc(&o.title));
    fact(
        particulars::SCENARIO,
        &prose::scenario_version(
            &format!("<code>{}</code>", esc(&o.scenario_id)),
            &esc(&o.version),
            (!o.authors.is_empty())
                .then(|| esc(&o.authors.join(", ")).into_owned())
                .as_deref(),
        ),
    );
    fact(
        particulars::DATES,
        &prose::dates(&esc(&report.period()), &esc(&format_duration(o.duration))),
    );
    if !o.ended {
        fact(
            particulars::STATUS,
            &prose::not_finished(
                |s| format!("<strong>{s}</strong>"),
                &format!("{} ({})", format_offset(o.end), esc(&report.clock(o.end))),
            ),
        );
    }
    fact(
        particulars::MEMBER_STATES,
        &esc(&o.member_states.join(", ")),
    );
    fact(particulars::PRESIDENCY, &esc(&o.presidency));
    fact(particulars::CLASSIFICATION, &esc(&o.tlp.to_string()));
    fact(
        particulars::JOURNAL,
        &prose::journal(
            o.seed,
            o.commands,
            o.events,
            &format!("<code class=\"hash\">{}</code>", esc(&o.scenario_sha256)),
        ),
    );
    h.push_str("</tbody>\n</table>\n");
}

/// The briefing, the incidents and the objectives.
fn scenario(h: &mut String, report: &Report) {
    let o = &report.overview;
    if !o.briefing.trim().is_empty() {
        let _ = write!(
            h,
            "<h3>{}</h3>\n<div class=\"briefing\">\n",
            prose::SCENARIO
        );
        h.push_str(&briefing_html(&o.briefing));
        h.push_str("</div>\n");
    }

    let _ = write!(
        h,
        "<h3>{}</h3>\n{}",
        prose::INCIDENTS,
        table_start("", &prose::INCIDENT_COLUMNS)
    );
    for i in &o.incidents {
        let _ = writeln!(
            h,
            "<tr><td><code>{}</code><br>{}</td><td>{}</td>{}{}<td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&i.id),
            esc(&i.title),
            esc(&i.kind),
            i.started
                .map_or_else(|| "<td>—</td>".to_owned(), |t| time_cell(report, t)),
            i.detected
                .map_or_else(|| "<td>—</td>".to_owned(), |t| time_cell(report, t)),
            i.peak.map_or_else(|| "—".to_owned(), severity_badge),
            esc(&i.countries.join(", ")),
            esc(i.outcome),
        );
    }
    h.push_str("</tbody>\n</table>\n");

    let _ = write!(
        h,
        "<h3>{}</h3>\n<ol class=\"objectives-list\">\n",
        prose::OBJECTIVES
    );
    for obj in &report.objectives {
        let _ = writeln!(
            h,
            "<li><a href=\"#obj-{}\">{}</a> <code>{}</code></li>",
            attr(&obj.id),
            esc(&obj.title),
            esc(&obj.id)
        );
    }
    h.push_str("</ol>\n");
}

/// The seats, who they stand for and who played them.
fn participants(h: &mut String, report: &Report) {
    let o = &report.overview;
    let named = o.seats.iter().any(|s| s.player.is_some());
    let _ = writeln!(h, "<h3>{}</h3>", prose::PARTICIPANTS);
    let mut columns = prose::SEAT_COLUMNS.to_vec();
    if named {
        columns.push(prose::PLAYED_BY);
    } else {
        let _ = writeln!(h, "<p class=\"muted\">{}</p>", prose::NOBODY_NAMED);
    }
    h.push_str(&table_start("", &columns));
    for s in &o.seats {
        let player = if named {
            format!(
                "<td>{}</td>",
                s.player.as_deref().map_or_else(
                    || "<span class=\"muted\">—</span>".to_owned(),
                    |p| esc(p).into_owned()
                )
            )
        } else {
            String::new()
        };
        let _ = writeln!(
            h,
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td>{player}</tr>",
            esc(&s.id),
            esc(&s.organisation),
            esc(&s.role),
            esc(s.country.as_deref().unwrap_or("EU")),
        );
    }
    h.push_str("</tbody>\n</table>\n");
}

fn severity_badge(severity: Severity) -> String {
    let class = match severity {
        Severity::Minor => "sev-1",
        Severity::Moderate => "sev-2",
        Severity::Significant => "sev-3",
        Severity::Severe => "sev-4",
        Severity::Critical => "sev-5",
    };
    badge(class, &severity.to_string())
}

/// The planner's Markdown briefing as HTML: raw HTML in it is shown as text, images become their alt
/// text and links show their address, so nothing is fetched and the page prints legibly.
fn briefing_html(markdown: &str) -> String {
    let parser = Parser::new_ext(
        markdown,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    );
    let demote = |level: HeadingLevel| match level {
        HeadingLevel::H1 => HeadingLevel::H4,
        HeadingLevel::H2 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    };
    let mut link: Vec<String> = Vec::new();
    let events = parser.flat_map(|event| -> Vec<Md<'_>> {
        match event {
            Md::Html(raw) | Md::InlineHtml(raw) => vec![Md::Text(raw)],
            Md::Start(Tag::Image { .. }) | Md::End(TagEnd::Image) => Vec::new(),
            Md::Start(Tag::Link { dest_url, .. }) => {
                link.push(dest_url.into_string());
                Vec::new()
            }
            Md::End(TagEnd::Link) => link
                .pop()
                .filter(|url| !url.is_empty() && !url.starts_with('#'))
                .map(|url| vec![Md::Text(format!(" ({url})").into())])
                .unwrap_or_default(),
            Md::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => vec![Md::Start(Tag::Heading {
                level: demote(level),
                id,
                classes,
                attrs,
            })],
            Md::End(TagEnd::Heading(level)) => vec![Md::End(TagEnd::Heading(demote(level)))],
            other => vec![other],
        }
    });
    let mut out = String::new();
    pulldown_cmark::html::push_html(&mut out, events);
    out
}

fn objectives(h: &mut String, report: &Report) {
    section_start(h, 1);
    let _ = writeln!(
        h,
        "<p class=\"lead\">{}</p>",
        prose::objectives_lead(|s| format!("<strong>{s}</strong>"))
    );
    for (n, obj) in report.objectives.iter().enumerate() {
        let _ = writeln!(
            h,
            "<article class=\"objective\" id=\"obj-{}\">\n<h3>{}.{} {} <code>{}</code></h3>",
            attr(&obj.id),
            2,
            n + 1,
            esc(&obj.title),
            esc(&obj.id)
        );
        if !obj.description.is_empty() {
            let _ = writeln!(h, "<p>{}</p>", esc(&obj.description));
        }
        let _ = write!(
            h,
            "<p class=\"ratings\"><span class=\"label\">{}</span> ",
            prose::FACILITATOR_RATINGS
        );
        let counts = obj.rating_counts();
        if counts.iter().all(|(_, n)| *n == 0) {
            let _ = write!(h, "<span class=\"muted\">{}</span>", prose::NO_RATINGS);
        } else {
            for (rating, count) in counts.iter().filter(|(_, n)| *n > 0) {
                let _ = write!(h, "{} ×{count} ", rating_badge(*rating));
            }
        }
        h.push_str("</p>\n");
        if !obj.critical_tasks.is_empty() {
            let _ = write!(
                h,
                "<h4>{}</h4>\n<ol class=\"tasks\">\n",
                prose::CRITICAL_TASKS
            );
            for t in &obj.critical_tasks {
                let _ = writeln!(h, "<li>{}</li>", esc(t));
            }
            h.push_str("</ol>\n");
        }
        let _ = writeln!(h, "<h4>{}</h4>", prose::AUTOMATIC_CRITERIA);
        if obj.criteria.is_empty() {
            let _ = writeln!(h, "<p class=\"muted\">{}</p>", prose::NO_CRITERIA);
        } else {
            h.push_str(&table_start("", &prose::CRITERION_COLUMNS));
            for c in &obj.criteria {
                let result = match c.outcome {
                    CriterionOutcome::Met(t) => {
                        format!("{} {}", badge("ok", prose::MET), format_offset(t))
                    }
                    CriterionOutcome::Failed(t) => format!(
                        "{} {}",
                        badge("bad", prose::NOT_MET),
                        prose::window_closed(t)
                    ),
                    CriterionOutcome::Open => badge("open", prose::OPEN),
                };
                let _ = writeln!(
                    h,
                    "<tr><td>{}<br><code>{}</code></td><td>{}</td><td class=\"nowrap\">{result}</td></tr>",
                    esc(&c.text),
                    esc(&c.id),
                    esc(&c.window)
                );
            }
            h.push_str("</tbody>\n</table>\n");
        }
        observations_html(h, report, &obj.observations);
        if !obj.evaluations.is_empty() {
            let _ = write!(h, "<h4>{}</h4>\n<ul class=\"notes\">\n", prose::NOTES);
            for note in &obj.evaluations {
                let _ = writeln!(
                    h,
                    "<li><span class=\"off\">{}</span> {}</li>",
                    format_offset(note.at),
                    esc(&note.text)
                );
            }
            h.push_str("</ul>\n");
        }
        findings_html(h, &obj.strengths, &obj.improvements);
        h.push_str("</article>\n");
    }
    let g = &report.general;
    if !g.observations.is_empty() {
        let _ = write!(
            h,
            "<article class=\"objective\" id=\"obj-general\">\n<h3>{}</h3>\n<p>{}</p>\n",
            prose::GENERAL_OBSERVATIONS,
            prose::GENERAL_LEAD
        );
        observations_html(h, report, &g.observations);
        findings_html(h, &g.strengths, &g.improvements);
        h.push_str("</article>\n");
    }
    h.push_str("</section>\n");
}

fn observations_html(h: &mut String, report: &Report, observations: &[super::Observation]) {
    let _ = writeln!(h, "<h4>{}</h4>", prose::OBSERVATIONS);
    if observations.is_empty() {
        let _ = writeln!(h, "<p class=\"muted\">{}</p>", prose::NONE_RECORDED);
        return;
    }
    h.push_str(&table_start("", &prose::OBSERVATION_COLUMNS));
    for ob in observations {
        let _ = writeln!(
            h,
            "<tr>{}<td>{}</td><td class=\"prose\">{}</td></tr>",
            time_cell(report, ob.at),
            ob.rating
                .map_or_else(|| "<span class=\"muted\">—</span>".to_owned(), rating_badge),
            esc(&ob.text)
        );
    }
    h.push_str("</tbody>\n</table>\n");
}

fn findings_html(h: &mut String, strengths: &[Finding], improvements: &[Finding]) {
    h.push_str("<div class=\"findings\">\n");
    for (title, class, list) in [
        (prose::STRENGTHS, "strengths", strengths),
        (prose::IMPROVEMENTS, "improvements", improvements),
    ] {
        let _ = writeln!(h, "<div class=\"{class}\">\n<h4>{title}</h4>");
        if list.is_empty() {
            let _ = writeln!(h, "<p class=\"muted\">{}</p>", prose::NONE_IDENTIFIED);
        } else {
            h.push_str("<ul>\n");
            for f in list {
                let rating = match f.basis {
                    Basis::Observation { rating, .. } => format!("{} ", rating_badge(rating)),
                    Basis::Criterion { .. } => String::new(),
                };
                let _ = writeln!(
                    h,
                    "<li>{rating}{} <span class=\"basis\">({})</span></li>",
                    esc(&f.text),
                    esc(&f.basis.label())
                );
            }
            h.push_str("</ul>\n");
        }
        h.push_str("</div>\n");
    }
    h.push_str("</div>\n");
}

fn trends(h: &mut String, report: &Report) {
    section_start(h, 2);
    let end = report.overview.end;
    let marker = report
        .first_cross_border
        .map(|t| (t, "first cross-border impact"));
    let severity_points = report
        .trend
        .iter()
        .map(|p| {
            let value = p.worst.map_or(0, |s| s as u32 + 1);
            let label = p
                .worst
                .map_or_else(|| "no active incident".to_owned(), |s| s.to_string());
            (
                p.at,
                value,
                format!("{} ({}): {label}", format_offset(p.at), report.clock(p.at)),
            )
        })
        .collect();
    let mut y_labels = vec![(0, prose::NONE.to_owned())];
    y_labels.extend(Severity::ALL.iter().map(|s| (*s as u32 + 1, s.to_string())));
    let severity = StepChart {
        id: "chart-severity",
        title: "Worst severity of any active incident",
        description: "Step chart of the worst severity of any started, not yet recovered incident, from the start to the end of the exercise.",
        colour: "#b3261e",
        y_labels,
        y_max: 5,
        points: severity_points,
        end,
        marker,
    };
    let most = report
        .trend
        .iter()
        .map(|p| p.countries)
        .max()
        .unwrap_or(0)
        .max(2);
    let most = u32::try_from(most).unwrap_or(u32::MAX);
    let step = most.div_ceil(6).max(1);
    let countries = StepChart {
        id: "chart-countries",
        title: prose::MEMBER_STATES_AFFECTED,
        description: "Step chart of how many Member States have an affected entity, from the start to the end of the exercise.",
        colour: "#1f5fa8",
        y_labels: (0..=most)
            .filter(|v| v % step == 0)
            .map(|v| (v, v.to_string()))
            .collect(),
        y_max: most,
        points: report
            .trend
            .iter()
            .map(|p| {
                let n = u32::try_from(p.countries).unwrap_or(u32::MAX);
                (
                    p.at,
                    n,
                    format!("{} ({}): {n}", format_offset(p.at), report.clock(p.at)),
                )
            })
            .collect(),
        end,
        marker,
    };
    let marker_note = report.first_cross_border.map_or_else(
        || "No incident reached a second Member State.".to_owned(),
        |t| {
            format!(
                "The dashed line marks the first cross-border impact ({}).",
                format_offset(t)
            )
        },
    );
    for (chart, caption) in [
        (
            &severity,
            "Worst severity of any active (started, not recovered) incident.",
        ),
        (
            &countries,
            "Member States with at least one affected entity.",
        ),
    ] {
        let _ = writeln!(
            h,
            "<figure>\n{}<figcaption>{} Time since the start (T+HH:MM). {}</figcaption>\n</figure>",
            chart.render(),
            esc(caption),
            esc(&marker_note)
        );
    }
    h.push_str("</section>\n");
}

fn timeline(h: &mut String, report: &Report) {
    section_start(h, 3);
    let _ = writeln!(h, "<p class=\"lead\">{}</p>", prose::TIMELINE_LEAD);
    h.push_str(&table_start("timeline", &prose::TIMELINE_COLUMNS));
    for e in &report.timeline {
        let _ = writeln!(
            h,
            "<tr class=\"cat-{}\">{}<td><span class=\"cat\">{}</span></td><td>{}</td></tr>",
            e.category.key(),
            time_cell(report, e.at),
            e.category.label(),
            esc(&e.text)
        );
    }
    h.push_str("</tbody>\n</table>\n</section>\n");
}

fn decisions(h: &mut String, report: &Report) {
    section_start(h, 4);
    if report.decisions.is_empty() {
        let _ = writeln!(
            h,
            "<p class=\"muted\">{}</p>\n</section>",
            prose::NO_DECISIONS
        );
        return;
    }
    h.push_str(&table_start("decisions", &prose::DECISION_COLUMNS));
    for d in &report.decisions {
        let class = match &d.resolution {
            Resolution::OnTime => "ok",
            Resolution::ByFacilitator | Resolution::Withdrawn { .. } => "open",
            Resolution::Late | Resolution::Defaulted { .. } | Resolution::Unanswered => "bad",
        };
        let offered = prose::offered(d.offered_at, d.deadline);
        let _ = writeln!(
            h,
            "<tr>{}<td><code>{}</code><br>{}</td><td>{}{}</td><td>{}</td><td class=\"prose\">{}</td><td>{}<br><span class=\"basis\">{}</span></td></tr>",
            d.at.map_or_else(|| "<td>—</td>".to_owned(), |t| time_cell(report, t)),
            esc(&d.id),
            esc(&d.prompt),
            esc(&d.seat),
            d.player.as_deref().map_or_else(String::new, |p| format!(
                "<br><span class=\"basis\">{}</span>",
                prose::played_by(&esc(p))
            )),
            d.option
                .as_deref()
                .map_or_else(|| "—".to_owned(), |o| esc(o).into_owned()),
            if d.rationale.is_empty() {
                "<span class=\"muted\">—</span>".to_owned()
            } else {
                esc(&d.rationale).into_owned()
            },
            badge(class, &d.resolution.label()),
            offered
        );
    }
    h.push_str("</tbody>\n</table>\n</section>\n");
}

fn mechanisms(h: &mut String, report: &Report) {
    section_start(h, 5);
    let _ = writeln!(
        h,
        "<p class=\"lead\">{}</p>",
        report.first_cross_border.map_or_else(
            || prose::NO_CROSS_BORDER.to_owned(),
            |t| prose::first_cross_border(&format!(
                "<strong>{}</strong> ({})",
                format_offset(t),
                esc(&report.clock(t))
            ))
        )
    );
    for level in &report.mechanisms {
        let _ = writeln!(
            h,
            "<h3>{}</h3>\n<p class=\"scope\">{}</p>",
            prose::level_label(level.level),
            esc(prose::level_scope(level.level))
        );
        if level.changes.is_empty() {
            let _ = writeln!(h, "<p class=\"muted\">{}</p>", prose::NOTHING_ACTIVATED);
        } else {
            h.push_str(&table_start("mechanisms", &prose::MECHANISM_COLUMNS));
            for c in &level.changes {
                let _ = writeln!(
                    h,
                    "<tr{}>{}<td>{}{}</td><td class=\"nowrap\">{}</td><td>{}</td><td>{}</td></tr>",
                    if c.first { " class=\"first\"" } else { "" },
                    time_cell(report, c.at),
                    esc(c.mechanism.name()),
                    if c.first {
                        format!(" {}", badge("ok", prose::ACTIVATED))
                    } else {
                        String::new()
                    },
                    c.since_cross_border
                        .map_or_else(|| "—".to_owned(), signed_duration),
                    esc(&c.state),
                    esc(&c.by)
                );
            }
            h.push_str("</tbody>\n</table>\n");
        }
        if !level.not_activated.is_empty() {
            let _ = writeln!(
                h,
                "<p class=\"not-activated\">{}</p>",
                esc(&prose::not_activated(&level.not_activated))
            );
        }
    }
    h.push_str("</section>\n");
}

fn nis2(h: &mut String, report: &Report) {
    section_start(h, 6);
    let f = &report.overview.figures;
    if report.nis2.is_empty() {
        let _ = writeln!(h, "<p class=\"muted\">{}</p>\n</section>", prose::NO_NIS2);
        return;
    }
    let _ = writeln!(
        h,
        "<p class=\"lead\">{}</p>",
        prose::nis2_lead(report.nis2.len(), f)
    );
    h.push_str(&table_start("", &prose::NIS2_COLUMNS));
    for n in &report.nis2 {
        let result = match n.status {
            Nis2Status::Met(t) => format!("{} {}", badge("ok", prose::MET), prose::filed(t)),
            Nis2Status::Missed(_) => badge("bad", prose::MISSED),
            Nis2Status::Open => badge("open", prose::NOT_YET_DUE),
        };
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td><code>{}</code></td><td>{}</td>{}<td class=\"nowrap\">{result}</td></tr>",
            esc(&n.entity),
            esc(n.country.as_deref().unwrap_or("—")),
            esc(&n.incident),
            esc(&n.report),
            time_cell(report, n.due),
        );
    }
    h.push_str("</tbody>\n</table>\n</section>\n");
}

fn improvement_plan(h: &mut String, report: &Report) {
    section_start(h, 7);
    if report.improvement_plan.is_empty() {
        let _ = writeln!(
            h,
            "<p class=\"muted\">{}</p>\n</section>",
            prose::NO_IMPROVEMENT
        );
        return;
    }
    let _ = writeln!(h, "<p class=\"lead\">{}</p>", prose::PLAN_LEAD);
    h.push_str(&table_start("plan", &prose::PLAN_COLUMNS));
    for item in &report.improvement_plan {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}<br><span class=\"basis\">{}</span></td><td class=\"fill\"></td><td>{}</td><td class=\"fill\"></td><td class=\"fill\"></td></tr>",
            esc(item.objective.as_deref().unwrap_or(prose::GENERAL)),
            esc(&item.issue),
            esc(&item.basis),
            esc(&item.responsible.join("; "))
        );
    }
    h.push_str("</tbody>\n</table>\n</section>\n");
}

/// Screen and print styles. System fonts only: nothing is fetched.
const CSS: &str = r#":root {
  --ink: #1f2933; --muted: #6b7280; --line: #d8dde6; --head: #14213d; --accent: #003399;
  --paper: #ffffff; --band: #f3f5f9; --ok: #1b7f3b; --bad: #b3261e; --warn: #b45309;
}
* { box-sizing: border-box; }
html { background: #e9ecf1; }
body { margin: 0; color: var(--ink); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", Arial, sans-serif; }
.page { max-width: 70rem; margin: 1.5rem auto; background: var(--paper); padding: 2.5rem 3rem 2rem; box-shadow: 0 1px 4px rgba(0,0,0,.12); }
h1, h2, h3, h4 { color: var(--head); line-height: 1.25; }
h1 { font-size: 2rem; margin: .2rem 0 .4rem; }
h2 { font-size: 1.45rem; margin: 2.4rem 0 .8rem; padding-bottom: .3rem; border-bottom: 3px solid var(--accent); }
h2 .num { display: inline-block; min-width: 1.6em; color: var(--accent); }
h3 { font-size: 1.15rem; margin: 1.6rem 0 .5rem; }
h4 { font-size: 1rem; margin: 1.1rem 0 .4rem; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace; font-size: .86em; background: var(--band); padding: .05em .3em; border-radius: 3px; }
code.hash { word-break: break-all; }
.cover { border-bottom: 1px solid var(--line); padding-bottom: 1rem; }
.kicker { text-transform: uppercase; letter-spacing: .08em; font-size: .8rem; color: var(--accent); font-weight: 600; margin: 0; }
.meta { color: var(--muted); margin: 0; }
.tlp { display: inline-block; background: #000; font-weight: 700; font-size: .8rem; padding: .15rem .5rem; border-radius: 3px; letter-spacing: .03em; margin: 0 0 .8rem; }
.tlp-red { color: #ff2b2b; } .tlp-amber { color: #ffc000; } .tlp-green { color: #33ff00; } .tlp-clear { color: #ffffff; }
footer .tlp { margin: 0 .4rem 0 0; }
.toc { background: var(--band); padding: .6rem 1.2rem .8rem; margin: 1.2rem 0; border-radius: 4px; }
.toc h2 { font-size: 1rem; border: 0; margin: .2rem 0; padding: 0; }
.toc ol { margin: 0; padding-left: 1.4rem; columns: 2; }
a { color: var(--accent); }
.lead { color: #374151; }
.muted { color: var(--muted); }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 1rem; font-size: .88rem; }
th, td { border: 1px solid var(--line); padding: .35rem .5rem; text-align: left; vertical-align: top; }
thead th { background: #e8ecf4; color: var(--head); font-weight: 600; }
tbody tr:nth-child(even) td { background: #fafbfc; }
table.facts th { width: 12rem; background: var(--band); font-weight: 600; }
td.time { white-space: nowrap; }
.off { font-variant-numeric: tabular-nums; font-weight: 600; }
td.time .clk { display: block; color: var(--muted); font-size: .8em; }
.nowrap { white-space: nowrap; }
.prose { white-space: pre-wrap; }
.basis { color: var(--muted); font-size: .85em; }
.badge { display: inline-block; padding: .05rem .45rem; border-radius: 999px; font-size: .78rem; font-weight: 600; line-height: 1.5; white-space: nowrap; }
.badge.ok { background: #dcf2e3; color: var(--ok); } .badge.bad { background: #fbe1df; color: var(--bad); } .badge.open { background: #eceff3; color: #4b5563; }
.badge.r-p { background: #1b7f3b; color: #fff; } .badge.r-s { background: #d4b106; color: #1f2933; }
.badge.r-m { background: #e07000; color: #fff; } .badge.r-u { background: #b3261e; color: #fff; }
.badge.sev-1 { background: #eceff3; color: #374151; } .badge.sev-2 { background: #fff4cc; color: #7a5a00; }
.badge.sev-3 { background: #ffe2c2; color: #8a3c00; } .badge.sev-4 { background: #fbd0cc; color: #8f1d14; } .badge.sev-5 { background: #8f1d14; color: #fff; }
.figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(10rem, 1fr)); gap: .6rem; margin: 1rem 0 1.4rem; }
.figure { border: 1px solid var(--line); border-left: 4px solid var(--accent); border-radius: 4px; padding: .5rem .7rem; }
.figure.good { border-left-color: var(--ok); } .figure.warn { border-left-color: var(--warn); } .figure.bad { border-left-color: var(--bad); }
.figure .value { display: block; font-size: 1.1rem; font-weight: 700; color: var(--head); }
.figure .label { display: block; font-size: .8rem; color: var(--muted); }
.briefing { border-left: 3px solid var(--line); padding: .1rem 0 .1rem 1rem; color: #374151; }
.briefing table { width: auto; }
.objective { border-top: 1px solid var(--line); margin-top: 1.6rem; }
.objective h3 code { font-size: .7em; font-weight: 400; }
.ratings .label { font-weight: 600; margin-right: .3rem; }
.findings { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; }
.findings > div { border-radius: 4px; padding: .2rem .9rem .4rem; }
.findings .strengths { background: #eef8f1; } .findings .improvements { background: #fdf1ef; }
.findings ul { padding-left: 1.1rem; margin: .3rem 0; }
.findings li { margin: .25rem 0; }
figure { margin: .6rem 0 1.4rem; }
figcaption { color: var(--muted); font-size: .85rem; }
svg.chart { width: 100%; height: auto; display: block; border: 1px solid var(--line); border-radius: 4px; background: #fff; }
svg.chart text { font-size: 11px; font-family: inherit; }
.cat { font-size: .78rem; font-weight: 600; text-transform: uppercase; letter-spacing: .03em; color: var(--muted); }
tr.cat-mechanism .cat { color: var(--accent); } tr.cat-incident .cat { color: var(--bad); } tr.cat-decision .cat { color: #6d28d9; }
tr.cat-criterion .cat { color: var(--ok); } tr.cat-nis2 .cat, tr.cat-rules .cat { color: var(--warn); }
tr.first td { font-weight: 500; }
.scope { color: var(--muted); margin-top: -.3rem; font-size: .9rem; }
.not-activated { color: var(--muted); font-size: .9rem; }
table.plan td.fill { min-width: 7rem; background: #fff; }
table.decisions th:nth-child(2) { width: 30%; } table.decisions th:nth-child(5) { width: 20%; }
table.plan th:nth-child(1) { width: 17%; } table.plan th:nth-child(2) { width: 31%; } table.plan th:nth-child(3) { width: 20%; }
table.plan th:nth-child(4) { width: 14%; } table.plan th:nth-child(5), table.plan th:nth-child(6) { width: 9%; }
table.plan td.fill::after { content: ""; display: block; min-height: 2.2rem; }
footer { margin-top: 2.5rem; border-top: 1px solid var(--line); padding-top: .6rem; color: var(--muted); font-size: .82rem; }
@media screen and (max-width: 48rem) {
  .page { padding: 1.2rem; margin: 0; }
  .findings { grid-template-columns: 1fr; }
  .toc ol { columns: 1; }
}
@page { size: A4; margin: 16mm 13mm 18mm; @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 8pt system-ui, "Liberation Sans", Arial, sans-serif; color: #6b7280; } }
@page { @bottom-left { font: bold 8pt system-ui, "Liberation Sans", Arial, sans-serif; } }
@media print {
  html, body { background: #fff; }
  body { font-size: 9.5pt; }
  .page { max-width: none; margin: 0; padding: 0; box-shadow: none; }
  main > section + section > h2 { break-before: page; margin-top: 0; }
  h2, h3, h4 { break-after: avoid; }
  table { font-size: 8.5pt; }
  thead { display: table-header-group; }
  tr, figure, .figure, .findings > div, li { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
  .tlp, .badge, .figures, .findings > div, thead th, svg.chart { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  tbody tr:nth-child(even) td { background: #fff; }
}
"#;
