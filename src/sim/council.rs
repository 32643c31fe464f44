//! The Council track in play: a Toolbox proposal becomes a file that the HWPCI, then the PSC/COREPER
//! examine and the Council decides, each step taking the scenario's time (`council:`); the Presidency
//! chairs the HWPCI and COREPER, the EEAS the PSC (`doctrine::council::chaired`). Governments give their positions through ballots (or the scenario's own decisions); the
//! rules in `doctrine::council` say when the file is blocked, adopted or not adopted, and why.

use std::collections::{BTreeMap, BTreeSet};

use bevy_ecs::prelude::*;

use crate::doctrine::council::{self, CouncilFile, CouncilStage, Procedure};
use crate::domain::{Action, ActorKind, MeasureCategory, Mechanism, Vote};
use crate::scenario::Scenario;
use crate::scenario::model::{DecisionOption, Effect};
use crate::scenario::time::{Minutes, format_offset};

use super::events::EventKind;
use super::requests::{generated_decision, offer_generated, option};
use super::state::{Clock, DecisionState, DecisionStatus, Log, Mech, Plan};

/// Who the `by` of the track's own events is: the procedure, not a seat.
const TRACK: &str = "rule";
/// The `reason` of the track's events: who does what on it (`docs/eu-mechanisms.md`, the Council track).
const TRACK_RULE: &str = "Council track: HWPCI, PSC/COREPER, Council";

/// `restrictive` for `Restrictive`.
fn word(category: MeasureCategory) -> String {
    format!("{category:?}").to_lowercase()
}

fn toolbox_event(world: &mut World, state: String, by: &str, reason: &str) {
    let now = world.resource::<Clock>().now;
    world.resource_mut::<Log>().push(
        now,
        EventKind::MechanismChanged {
            mechanism: Mechanism::Toolbox,
            state,
            by: by.to_owned(),
            reason: reason.to_owned(),
        },
    );
}

/// The Member States in the exercise's Council: the countries of the governments that take part.
fn members(plan: &Scenario) -> BTreeSet<String> {
    plan.file
        .actors
        .iter()
        .filter(|a| crate::doctrine::votes_in_council(a.kind))
        .filter_map(|a| a.country.clone())
        .collect()
}

/// A proposal opens a file at the HWPCI; every government is asked for its position.
pub(super) fn open_file(
    world: &mut World,
    category: MeasureCategory,
    proposed_by: &str,
    proposer: ActorKind,
) {
    let now = world.resource::<Clock>().now;
    let plan = world.resource::<Plan>().0.clone();
    let times = plan.council;
    let previous = world
        .resource::<Mech>()
        .0
        .council_files
        .get(&category)
        .map(|f| (f.round, f.is_open()));
    // A facilitator's override can put a new proposal over an open one: the old ballots go.
    if let Some((old_round, true)) = previous {
        withdraw_ballots(world, category, old_round);
    }
    let round = previous.map_or(1, |(r, _)| r + 1);
    let mut joint_proposal = BTreeSet::new();
    if proposer == ActorKind::Eeas {
        joint_proposal.insert(ActorKind::Eeas);
    }
    let file = CouncilFile {
        round,
        proposed_by: proposed_by.to_owned(),
        opened_at: now,
        stage: CouncilStage::Hwpci,
        stage_ends: now + times.hwpci,
        positions: BTreeMap::new(),
        joint_proposal,
        adopted: None,
        postponed: 0,
    };
    world
        .resource_mut::<Mech>()
        .0
        .council_files
        .insert(category, file);
    toolbox_event(
        world,
        format!(
            "{} measures: {} examines the proposal; PSC/COREPER by {}, Council decision by {}",
            word(category),
            council::chaired(CouncilStage::Hwpci, &plan.file.presidency),
            format_offset(now + times.hwpci),
            format_offset(now + times.total()),
        ),
        TRACK,
        TRACK_RULE,
    );
    let decides_at = now + times.total();
    let scripted = scripted_positions(&plan, category);
    for gov in plan
        .file
        .actors
        .iter()
        .filter(|a| crate::doctrine::votes_in_council(a.kind) && !scripted.contains(&a.id))
    {
        let country = gov.country.clone().unwrap_or_default();
        let id = ballot_id(category, &country, round);
        let prompt = ballot_prompt(category, &country, proposer);
        let mut decision = generated_decision(
            id,
            prompt,
            gov.id.clone(),
            ballot_options(category, &gov.id, true),
            ballot_options(category, &gov.id, true).len() - 1,
            decides_at - now,
        );
        decision.ballot = Some((category, round));
        offer_generated(world, decision);
    }
    // A veto scripted earlier than the proposal cannot exist; nothing else decides before the Council.
    advance_files(world);
}

/// `restrictive_vote_ee` for the first vote on listings, `restrictive_vote_ee_2` for the second;
/// `consensus_stabilising_ee` for a consensus file.
fn ballot_id(category: MeasureCategory, country: &str, round: u32) -> String {
    let base = if category == MeasureCategory::Restrictive {
        format!("restrictive_vote_{}", country.to_lowercase())
    } else {
        format!("consensus_{}_{}", word(category), country.to_lowercase())
    };
    if round == 1 {
        base
    } else {
        format!("{base}_{round}")
    }
}

fn ballot_prompt(category: MeasureCategory, country: &str, proposer: ActorKind) -> String {
    let from = if proposer == ActorKind::Eeas {
        "The HR/EEAS proposes"
    } else {
        "A Member State proposes"
    };
    if category == MeasureCategory::Restrictive {
        format!(
            "{from} CFSP restrictive measures (cyber sanctions). {country}'s vote in the Council? Unanimity (Art. 31(1) TEU): silence is not consent, abstention must be declared."
        )
    } else {
        format!(
            "{from} {} Toolbox measures. {country}'s position? The Council decides by consensus: any objection blocks, and silence is not agreement.",
            word(category)
        )
    }
}

/// The options of a ballot, the last one ("no reply") being its default: a government that does not
/// answer has given no position. `first` is false for the ballot that follows a reservation, whose
/// "no reply" keeps the reservation.
fn ballot_options(category: MeasureCategory, gov: &str, first: bool) -> Vec<DecisionOption> {
    let request = |vote: Vote| {
        let action = if category == MeasureCategory::Restrictive {
            Action::VoteMeasures(vote)
        } else {
            Action::Position(category, vote)
        };
        vec![Effect::Request {
            by: gov.to_owned(),
            action,
            incident: None,
        }]
    };
    let mut options = Vec::new();
    if category == MeasureCategory::Restrictive {
        options.push(option(
            "support",
            "Vote in favour",
            "",
            request(Vote::Support),
        ));
        options.push(option(
            "abstain",
            "Abstain (constructive abstention)",
            "A declared abstention does not prevent adoption (Art. 31(1) TEU, Art. 238(4) TFEU).",
            request(Vote::Abstain),
        ));
        options.push(option(
            "abstain_declaration",
            "Abstain with a formal declaration",
            "Your state need not apply the decision but accepts that it commits the Union. If those declaring are a third of the Member States with a third of the population, it is not adopted (Art. 31(1) TEU).",
            request(Vote::AbstainWithDeclaration),
        ));
    } else {
        options.push(option("support", "Agree", "", request(Vote::Support)));
        options.push(option(
            "abstain",
            "Stand aside (no objection)",
            "You do not join but do not block the consensus.",
            request(Vote::Abstain),
        ));
    }
    if first {
        options.push(option(
            "reservation",
            "Enter a scrutiny reservation",
            "No position yet: the Council cannot adopt until you lift it by giving your position.",
            request(Vote::Reservation),
        ));
    }
    let against = if category == MeasureCategory::Restrictive {
        (
            "veto",
            "Vote against",
            "One vote against blocks CFSP restrictive measures.",
        )
    } else {
        ("veto", "Object", "One objection blocks the consensus.")
    };
    options.push(option(against.0, against.1, against.2, request(Vote::Veto)));
    let (label, description) = if first {
        (
            "No instruction (no reply)",
            "Silence is not consent: without a reply when the Council decides, the measures are not adopted.",
        )
    } else {
        (
            "Keep the reservation",
            "The Council cannot adopt while the reservation stands.",
        )
    };
    options.push(option("no_reply", label, description, vec![]));
    options
}

/// A government's position is recorded; after a reservation given on a ballot, a new ballot lets it lift
/// the reservation. The file may be decided at once (an objection, or the last position at the Council).
pub(super) fn record_position(
    world: &mut World,
    category: MeasureCategory,
    country: &str,
    gov: &str,
    vote: Vote,
) {
    let now = world.resource::<Clock>().now;
    let plan = world.resource::<Plan>().0.clone();
    let Some((round, decides_at)) = ({
        let mut mech = world.resource_mut::<Mech>();
        mech.0
            .council_files
            .get_mut(&category)
            .filter(|f| f.is_open())
            .map(|f| {
                f.positions.insert(country.to_owned(), vote);
                (f.round, f.opened_at + plan.council.total())
            })
    }) else {
        return;
    };
    if vote == Vote::Reservation && !scripted_positions(&plan, category).contains(gov) {
        let mut decision = generated_decision(
            format!("{}_lift", ballot_id(category, country, round)),
            format!(
                "{country} holds a scrutiny reservation on the {} measures. Lift it by giving {country}'s position?",
                word(category)
            ),
            gov.to_owned(),
            ballot_options(category, gov, false),
            ballot_options(category, gov, false).len() - 1,
            decides_at.saturating_sub(now),
        );
        decision.ballot = Some((category, round));
        offer_generated(world, decision);
    }
    advance_files(world);
}

/// The HR/EEAS or the Commission joins the proposal for the listings regulation (Art. 215(1) TFEU).
pub(super) fn join_listing_proposal(world: &mut World, kind: ActorKind, by: &str) {
    let complete = {
        let mut mech = world.resource_mut::<Mech>();
        let Some(file) = mech
            .0
            .council_files
            .get_mut(&MeasureCategory::Restrictive)
            .filter(|f| f.is_open())
        else {
            return;
        };
        file.joint_proposal.insert(kind);
        file.joint_proposal_complete()
    };
    let state = if complete {
        format!(
            "restrictive measures: the {} joins; the joint proposal of the High Representative and the Commission for the listings regulation is complete",
            kind.label()
        )
    } else {
        format!(
            "restrictive measures: the {} joins the proposal for the listings regulation; the joint proposal is not complete yet",
            kind.label()
        )
    };
    toolbox_event(world, state, by, "Art. 215(1) TFEU");
    advance_files(world);
}

/// Listings: those of the HR/EEAS and the Commission who have not made the joint proposal for the
/// regulation are asked to, by the end of the HWPCI's examination (which covers the draft regulation).
pub(super) fn ask_for_joint_proposal(world: &mut World) {
    let now = world.resource::<Clock>().now;
    let plan = world.resource::<Plan>().0.clone();
    let Some((round, joined, hwpci_ends)) = world
        .resource::<Mech>()
        .0
        .open_file(MeasureCategory::Restrictive)
        .map(|f| {
            (
                f.round,
                f.joint_proposal.clone(),
                f.opened_at + plan.council.hwpci,
            )
        })
    else {
        return;
    };
    for kind in [ActorKind::Eeas, ActorKind::Commission] {
        if joined.contains(&kind) {
            continue;
        }
        // One decision per institution: its seat if it has one, otherwise its first actor.
        let actors: Vec<_> = plan.file.actors.iter().filter(|a| a.kind == kind).collect();
        let Some(actor) = actors.iter().find(|a| a.seat).or_else(|| actors.first()) else {
            toolbox_event(
                world,
                format!(
                    "restrictive measures: no {} takes part in the exercise to make the joint proposal the listings regulation needs",
                    kind.label()
                ),
                TRACK,
                "Art. 215(1) TFEU",
            );
            continue;
        };
        let join = vec![Effect::Request {
            by: actor.id.clone(),
            action: Action::JoinListingProposal,
            incident: None,
        }];
        let options = vec![
            option(
                "join",
                "Join the proposal for the listings regulation",
                "The Council adopts the asset freeze and the other measures of Regulation (EU) 2019/796 on a joint proposal of the High Representative and the Commission (Art. 215(1) TFEU). The services usually prepare it together.",
                join,
            ),
            option(
                "not_yet",
                "Not yet",
                "Without the joint proposal the Council cannot adopt the listings.",
                vec![],
            ),
        ];
        let id = if round == 1 {
            format!("listing_joint_proposal_{}", actor.id)
        } else {
            format!("listing_joint_proposal_{}_{round}", actor.id)
        };
        let mut decision = generated_decision(
            id,
            format!(
                "Listings under the cyber sanctions regime are before the Council. Does the {} join the joint proposal for the regulation (Art. 215(1) TFEU)?",
                kind.label()
            ),
            actor.id.clone(),
            options,
            0,
            hwpci_ends.saturating_sub(now),
        );
        decision.ballot = Some((MeasureCategory::Restrictive, round));
        offer_generated(world, decision);
    }
}

/// Consequences pass: each open file moves up when its step's time is over, and is decided when the
/// rules allow (an objection at any step; at the Council, every position given, or its deadline).
pub(super) fn advance_files(world: &mut World) {
    let now = world.resource::<Clock>().now;
    let plan = world.resource::<Plan>().0.clone();
    let members = members(&plan);
    let categories: Vec<MeasureCategory> = world
        .resource::<Mech>()
        .0
        .council_files
        .iter()
        .filter(|(_, f)| f.is_open())
        .map(|(c, _)| *c)
        .collect();
    for category in categories {
        while let Some(file) = world.resource::<Mech>().0.open_file(category).cloned() {
            let procedure = council::procedure(category);
            let joint = procedure == Procedure::Consensus || file.joint_proposal_complete();
            let at_council = file.stage == CouncilStage::Council;
            let deadline = at_council && file.stage_ends <= now;
            if let Some(verdict) = council::decide(
                procedure,
                &file.positions,
                &members,
                joint,
                at_council,
                deadline,
            ) {
                close(world, category, &file, &verdict);
                break;
            }
            if file.stage_ends > now {
                break;
            }
            let Some(next) = file.stage.next() else {
                break;
            };
            let report =
                council::stage_report(file.stage, &file.positions, &members, &plan.file.presidency);
            let ends = file.stage_ends + plan.council.of(next);
            if let Some(f) = world
                .resource_mut::<Mech>()
                .0
                .council_files
                .get_mut(&category)
            {
                f.stage = next;
                f.stage_ends = ends;
            }
            let tail = if next == CouncilStage::Council {
                format!("; the Council decides by {}", format_offset(ends))
            } else {
                String::new()
            };
            toolbox_event(
                world,
                format!("{} measures: {report}{tail}", word(category)),
                TRACK,
                TRACK_RULE,
            );
        }
    }
}

/// The Presidency postpones the step a file is in (it draws up the agendas): that step ends later by its
/// own length, the later steps follow, and the governments' ballots stay open until the new deadline.
pub(super) fn postpone(world: &mut World, category: MeasureCategory, by: &str) {
    let plan = world.resource::<Plan>().0.clone();
    let Some(file) = world.resource::<Mech>().0.open_file(category).cloned() else {
        return;
    };
    let extra = plan.council.of(file.stage);
    let stage_ends = file.stage_ends + extra;
    let mut remaining = 0;
    let mut next = file.stage.next();
    while let Some(stage) = next {
        remaining += plan.council.of(stage);
        next = stage.next();
    }
    if let Some(f) = world
        .resource_mut::<Mech>()
        .0
        .council_files
        .get_mut(&category)
    {
        f.stage_ends = stage_ends;
        f.postponed += 1;
    }
    let round = file.round;
    let mut q = world.query::<&mut DecisionState>();
    for mut d in q.iter_mut(world) {
        if d.ballot == Some((category, round))
            && matches!(d.status, DecisionStatus::Pending { .. })
            && let Some(deadline) = d.deadline
        {
            d.deadline = Some(deadline + extra);
        }
    }
    toolbox_event(
        world,
        format!(
            "{} measures: the {} Presidency postpones the examination in {}: it now ends at {}, and the Council decides by {}",
            word(category),
            plan.file.presidency,
            council::chaired(file.stage, &plan.file.presidency),
            format_offset(stage_ends),
            format_offset(stage_ends + remaining)
        ),
        by,
        "Council Rules of Procedure Art. 3(1): the Presidency draws up the agendas",
    );
}

/// The file is decided: the mechanisms take note, the ballots nobody answered are withdrawn.
fn close(
    world: &mut World,
    category: MeasureCategory,
    file: &CouncilFile,
    verdict: &council::Verdict,
) {
    let adopted = verdict.adopted();
    {
        let mut mech = world.resource_mut::<Mech>();
        if let Some(f) = mech.0.council_files.get_mut(&category) {
            f.adopted = Some(adopted);
        }
        if adopted {
            mech.0.measures_adopted = true;
            if category == MeasureCategory::Restrictive {
                mech.0.sanctions_adopted = true;
            }
        } else {
            // Turned down: the category may be proposed again.
            mech.0.measures_proposed.remove(&category);
        }
    }
    let state = match verdict {
        council::Verdict::Blocked(why) => {
            format!(
                "{} measures: at the {}, {why}",
                word(category),
                file.stage.label()
            )
        }
        _ => format!("{} measures: {}", word(category), verdict.text()),
    };
    toolbox_event(world, state, TRACK, TRACK_RULE);
    withdraw_ballots(world, category, file.round);
}

/// Once a file is decided, the ballots nobody answered are withdrawn (answering would change nothing).
fn withdraw_ballots(world: &mut World, category: MeasureCategory, round: u32) {
    let now = world.resource::<Clock>().now;
    let mut withdrawn = Vec::new();
    let mut query = world.query::<&mut DecisionState>();
    for mut d in query.iter_mut(world) {
        if d.ballot == Some((category, round))
            && matches!(
                d.status,
                DecisionStatus::Pending { .. } | DecisionStatus::NotOffered
            )
        {
            d.status = DecisionStatus::Withdrawn { at: now };
            withdrawn.push(d.id.clone());
        }
    }
    withdrawn.sort();
    for decision in withdrawn {
        world.resource_mut::<Log>().push(
            now,
            EventKind::DecisionWithdrawn {
                decision,
                reason: "the Council has decided".into(),
            },
        );
    }
}

/// When the next step of an open file ends: the clock wakes there.
#[must_use]
pub fn wake_times(mechanisms: &crate::doctrine::Mechanisms) -> Vec<Minutes> {
    mechanisms
        .council_files
        .values()
        .filter(|f| f.is_open())
        .map(|f| f.stage_ends)
        .collect()
}

/// Governments whose positions on this category the scenario's decisions script (no generated ballot
/// then). A position given by an inject's effect is a one-off, not a seat's decision, so it does not count.
fn scripted_positions(plan: &Scenario, category: MeasureCategory) -> BTreeSet<String> {
    plan.file
        .decisions
        .iter()
        .flat_map(|d| d.options.iter())
        .flat_map(|o| o.effects.iter())
        .filter_map(|e| match e {
            Effect::Request {
                by,
                action: Action::VoteMeasures(_),
                ..
            } if category == MeasureCategory::Restrictive => Some(by.clone()),
            Effect::Request {
                by,
                action: Action::Position(c, _),
                ..
            } if *c == category => Some(by.clone()),
            _ => None,
        })
        .collect()
}
