//! The timeline of key events: which events deserve a line in the report, in words.

use crate::scenario::time::format_offset;
use crate::sim::{Event, EventKind};

use super::build::Ctx;
use super::model::{Category, TimelineEntry};
use super::prose::{capitalised, ipcr_label};

/// The key events in order, each with its category and sentence.
pub(super) fn timeline(ctx: &Ctx, events: &[Event]) -> Vec<TimelineEntry> {
    events
        .iter()
        .filter_map(|e| {
            key_event(ctx, e).map(|(category, text)| TimelineEntry {
                at: e.at,
                category,
                text,
            })
        })
        .collect()
}

/// The events worth a line in the timeline of key events, in words.
#[expect(clippy::too_many_lines, reason = "one short arm per kind of key event")]
fn key_event(ctx: &Ctx, event: &Event) -> Option<(Category, String)> {
    use Category as C;
    Some(match &event.kind {
        EventKind::ExerciseStarted { .. } => (C::Exercise, "Exercise starts (STARTEX)".into()),
        EventKind::ExerciseEnded => (C::Exercise, "Exercise ends (ENDEX)".into()),
        EventKind::Paused => (C::Facilitator, "Exercise paused".into()),
        EventKind::Resumed => (C::Facilitator, "Exercise resumed".into()),
        EventKind::IncidentStarted {
            incident,
            entities,
            severity,
        } => (
            C::Incident,
            format!(
                "Incident {incident} starts at {} ({severity})",
                ctx.who_list(entities)
            ),
        ),
        EventKind::IncidentDetected { incident } => (
            C::Incident,
            format!("Incident {incident} detected by the affected entities"),
        ),
        EventKind::IncidentSpread {
            incident,
            entity,
            country,
        } => (
            C::Incident,
            format!(
                "Incident {incident} spreads to {} ({country})",
                ctx.who(entity)
            ),
        ),
        EventKind::SeverityChanged { incident, from, to } => (
            C::Incident,
            format!("Incident {incident}: severity {from} \u{2192} {to}"),
        ),
        EventKind::IncidentMitigated { incident } => (
            C::Incident,
            format!("Incident {incident}: own mitigation measures in place"),
        ),
        EventKind::IncidentContained { incident } => {
            (C::Incident, format!("Incident {incident} contained"))
        }
        EventKind::IncidentRecovered { incident } => (
            C::Incident,
            format!("Incident {incident}: services restored"),
        ),
        EventKind::LargeScaleReached {
            incident,
            countries,
        } => (
            C::Incident,
            format!(
                "Incident {incident} is large-scale (NIS2 Art. 6(7)): {}",
                countries.join(", ")
            ),
        ),
        EventKind::SupportDeployed { incident, support } => (
            C::Mechanism,
            format!(
                "{} deployed on incident {incident}",
                capitalised(support.label())
            ),
        ),
        EventKind::MechanismChanged {
            mechanism,
            state,
            by,
            ..
        } => (
            C::Mechanism,
            format!("{mechanism}: {state} ({})", ctx.who(by)),
        ),
        EventKind::IpcrModeChanged { from, to, by, .. } => (
            C::Mechanism,
            format!(
                "IPCR: {} \u{2192} {} ({})",
                ipcr_label(*from),
                ipcr_label(*to),
                ctx.who(by)
            ),
        ),
        EventKind::DecisionTaken {
            decision,
            option,
            by,
            by_facilitator,
            ..
        } => (
            C::Decision,
            format!(
                "{}{} decides {decision}: {}",
                ctx.who(by),
                if *by_facilitator {
                    " (entered by the facilitator)"
                } else {
                    ""
                },
                ctx.option_label(decision, option)
            ),
        ),
        EventKind::DecisionDefaulted { decision, option } => (
            C::Decision,
            format!(
                "Decision {decision} defaults to: {}",
                ctx.option_label(decision, option)
            ),
        ),
        EventKind::DecisionWithdrawn { decision, reason } => (
            C::Decision,
            format!("Decision {decision} withdrawn: {reason}"),
        ),
        EventKind::RequestRefused {
            by,
            action,
            refusal,
            ..
        } => (
            C::Rules,
            format!(
                "Refused: {} asked to {} \u{2014} {} ({})",
                ctx.who(by),
                action.label(),
                refusal.reason,
                refusal.rule
            ),
        ),
        EventKind::ShareRefused {
            from,
            tlp,
            subject,
            reason,
            ..
        } => (
            C::Rules,
            format!(
                "Refused: {} tried to pass on \u{201c}{subject}\u{201d} ({tlp}) \u{2014} {reason}",
                ctx.who(from)
            ),
        ),
        EventKind::RequestGranted {
            by,
            action,
            overridden: Some(reason),
            ..
        } => (
            C::Facilitator,
            format!(
                "Facilitator overrides the rules: {} may {} \u{2014} {reason}",
                ctx.who(by),
                action.label()
            ),
        ),
        EventKind::ObligationMissed {
            entity,
            incident,
            report,
            regime,
        } => (
            C::Nis2,
            format!(
                "{} missed the {} deadline ({incident})",
                ctx.who(entity),
                regime.report_label(*report)
            ),
        ),
        EventKind::CriterionMet {
            objective,
            criterion,
        } => (
            C::Criterion,
            format!("Met: {}", ctx.criterion_text(objective, criterion)),
        ),
        EventKind::CriterionFailed {
            objective,
            criterion,
        } => (
            C::Criterion,
            format!("Not met: {}", ctx.criterion_text(objective, criterion)),
        ),
        EventKind::InjectDelivered {
            inject,
            subject,
            by_facilitator: true,
            ..
        } => (
            C::Facilitator,
            format!("Facilitator sends inject {inject}: {subject}"),
        ),
        EventKind::InjectSkipped { inject } => {
            (C::Facilitator, format!("Facilitator skips inject {inject}"))
        }
        EventKind::InjectDelayed { inject, until } => (
            C::Facilitator,
            format!("Inject {inject} delayed to {}", format_offset(*until)),
        ),
        _ => return None,
    })
}
