//! Mechanism requests: checked against the EU rules in `doctrine`, then granted with their automatic
//! consequences, or refused with the rule's reason (both recorded as events). The consequences pass's
//! request and vote systems live here too, with the decisions rules generate (Art. 42(7) aid, ballots).

use std::collections::BTreeSet;

use bevy_ecs::prelude::*;
use rand::RngExt;

use crate::doctrine::{self, Consequence, Refusal, Requester, Situation, Window};
use crate::domain::{Action, ActorKind, IpcrMode, MeasureCategory, Mechanism, Regime, Vote};
use crate::scenario::model::{DecisionOption, Effect};
use crate::scenario::time::Minutes;

use super::effects::apply_effects;
use super::events::EventKind;
use super::reporting;
use super::state::{
    Agenda, Clock, DecisionState, DecisionStatus, Filed, IncidentState, Log, Mech, Milestones,
    Obligation, ObligationStatus, PendingRequest, Plan, Queue, ReserveDesk, ReserveRequest,
    Scheduled, SimRng,
};

/// Consequences pass: queued requests go to the rules, and what they grant takes hold.
pub(super) fn apply_requests(world: &mut World) {
    loop {
        let pending = std::mem::take(&mut world.resource_mut::<Queue>().requests);
        if pending.is_empty() {
            return;
        }
        for request in pending {
            // Refusals are recorded as events by `handle`; a scripted request has nobody to tell.
            let _ = handle(world, &request);
        }
        // Requests can queue effects (decisions offered by rules resolve at once when nobody plays them).
        apply_effects(world);
    }
}

/// A restrictive-measures vote closes once a veto is cast or every government has voted or abstained.
pub(super) fn close_votes(world: &mut World) {
    close_vote_if_done(world, "rule");
}

/// Checks and carries out one request. Refusals are logged and returned.
pub fn handle(world: &mut World, request: &PendingRequest) -> Result<(), Refusal> {
    let now = world.resource::<Clock>().now;
    let plan = world.resource::<Plan>().0.clone();
    let Some(actor) = plan.actor_index(&request.by).map(|a| &plan.file.actors[a]) else {
        return Err(Refusal {
            rule: "exercise".into(),
            reason: format!("there is no actor `{}`", request.by),
        });
    };
    let who = Requester {
        id: &actor.id,
        kind: actor.kind,
        country: actor
            .country
            .as_deref()
            .or(if actor.kind == ActorKind::Presidency {
                Some(plan.file.presidency.as_str())
            } else {
                None
            }),
    };
    let incident = request.incident.as_ref().and_then(|id| {
        let mut q = world.query::<&IncidentState>();
        q.iter(world).find(|i| &i.id == id).cloned()
    });
    if let Some(inc) = incident
        .as_ref()
        .filter(|i| i.phase == super::state::Phase::NotStarted)
    {
        return Err(Refusal {
            rule: "exercise".into(),
            reason: format!("incident `{}` has not happened yet", inc.id),
        });
    }
    if request.incident.is_some() && incident.is_none() {
        return Err(Refusal {
            rule: "exercise".into(),
            reason: format!(
                "there is no incident `{}`",
                request.incident.as_deref().unwrap_or_default()
            ),
        });
    }
    let all: Vec<IncidentState> = world
        .query::<&IncidentState>()
        .iter(world)
        .cloned()
        .collect();
    let any_large_scale = all.iter().any(|i| i.large_scale);
    // The same perpetrator's incidents form one campaign (the LE ERP looks at its cross-border reach).
    let campaign: BTreeSet<String> = incident.as_ref().map_or_else(BTreeSet::new, |inc| {
        let perpetrator = &plan.file.incidents[inc.index].truth.perpetrator;
        all.iter()
            .filter(|other| other.phase != super::state::Phase::NotStarted)
            .filter(|other| {
                other.id == inc.id
                    || (!perpetrator.is_empty()
                        && plan.file.incidents[other.index].truth.perpetrator == *perpetrator)
            })
            .flat_map(|other| other.countries.iter().cloned())
            .collect()
    });
    let verdict = {
        let mechanisms = world.resource::<Mech>().0.clone();
        let facts = incident.as_ref().map(|inc| doctrine::IncidentFacts {
            id: &inc.id,
            severity: inc.severity,
            peak: inc.peak,
            countries: &inc.countries,
            entities: &inc.entities,
            campaign: &campaign,
            truth: &plan.file.incidents[inc.index].truth,
            mitigated: inc.mitigated,
            detected: inc.detected_at.is_some(),
        });
        let situation = Situation {
            incident: facts,
            mechanisms: &mechanisms,
            any_large_scale,
        };
        doctrine::check(request.action, &who, &situation)
    };
    if let (Err(refusal), None) = (&verdict, &request.overridden) {
        world.resource_mut::<Log>().push(
            now,
            EventKind::RequestRefused {
                by: request.by.clone(),
                action: request.action,
                incident: request.incident.clone(),
                refusal: refusal.clone(),
            },
        );
        return Err(refusal.clone());
    }
    world.resource_mut::<Log>().push(
        now,
        EventKind::RequestGranted {
            by: request.by.clone(),
            action: request.action,
            incident: request.incident.clone(),
            overridden: request.overridden.clone(),
        },
    );
    grant(world, request, &who, incident.as_ref());
    Ok(())
}

fn mechanism_event(world: &mut World, mechanism: Mechanism, state: String, by: &str, reason: &str) {
    let now = world.resource::<Clock>().now;
    world.resource_mut::<Log>().push(
        now,
        EventKind::MechanismChanged {
            mechanism,
            state,
            by: by.into(),
            reason: reason.into(),
        },
    );
}

#[expect(
    clippy::too_many_lines,
    reason = "one arm per mechanism action, each short; splitting scatters the table"
)]
fn grant(
    world: &mut World,
    request: &PendingRequest,
    who: &Requester,
    incident: Option<&IncidentState>,
) {
    let now = world.resource::<Clock>().now;
    let by = request.by.as_str();
    let country = doctrine::request_country(who);
    let incident_id = request.incident.clone().unwrap_or_default();
    match request.action {
        Action::EarlyWarning | Action::IncidentNotification | Action::FinalReport => {
            file_report(world, request);
        }
        Action::InformAffectedStates => {
            mechanism_event(
                world,
                Mechanism::CrossBorderInformation,
                format!("{country} informs the affected Member States and ENISA"),
                by,
                "NIS2 Art. 23(6)",
            );
        }
        Action::OpenCsirtsCase => {
            {
                let mut mech = world.resource_mut::<Mech>();
                mech.0.csirts_case_open = true;
                mech.0.csirts_cases.insert(incident_id.clone());
            }
            mechanism_event(
                world,
                Mechanism::CsirtsNetwork,
                format!("case open on {incident_id}"),
                by,
                "at a member's request (NIS2 Art. 15)",
            );
        }
        Action::EscalateToCyclone => {
            // Named: that incident. Unnamed: every incident that is large-scale now.
            let taken_up: Vec<String> = match incident {
                Some(inc) => vec![inc.id.clone()],
                None => world
                    .query::<&IncidentState>()
                    .iter(world)
                    .filter(|i| i.large_scale)
                    .map(|i| i.id.clone())
                    .collect(),
            };
            let ongoing = incident.is_none_or(|i| i.large_scale);
            {
                let mut mech = world.resource_mut::<Mech>();
                mech.0.cyclone_active = true;
                mech.0.cyclone_incidents.extend(taken_up.iter().cloned());
            }
            let (state, reason) = if ongoing {
                (
                    if incident.is_some() {
                        format!("active: coordinating the large-scale incident {incident_id}")
                    } else {
                        "active: coordinating the large-scale incident".to_owned()
                    },
                    "large-scale test met (NIS2 Art. 6(7), 16)",
                )
            } else {
                (
                    format!("active: taking up {incident_id}, a potential large-scale incident"),
                    "potential large-scale incident (NIS2 Art. 16)",
                )
            };
            mechanism_event(world, Mechanism::Cyclone, state, by, reason);
        }
        Action::Ipcr(IpcrMode::InformationSharing) if who.kind != ActorKind::Presidency => {
            agree_to_information_sharing(world, who.kind, by);
        }
        Action::Ipcr(mode) => {
            let reason = match mode {
                IpcrMode::FullActivation | IpcrMode::InformationSharing => "Presidency decision",
                IpcrMode::Monitoring => "de-escalation by the Presidency",
            };
            set_ipcr(world, mode, by, reason);
        }
        Action::InvokeArt222 => {
            world
                .resource_mut::<Mech>()
                .0
                .art222
                .insert(country.clone());
            mechanism_event(
                world,
                Mechanism::Art222,
                format!("invoked by {country}"),
                by,
                "solidarity clause, via the ERCC to the Presidency and the Commission",
            );
        }
        Action::InvokeArt427 => {
            world
                .resource_mut::<Mech>()
                .0
                .art427
                .insert(country.clone());
            mechanism_event(
                world,
                Mechanism::Art427,
                format!("invoked by {country}"),
                by,
                "armed aggression on its territory; no EU institutional decision needed",
            );
        }
        Action::RequestReserve => {
            world
                .resource_mut::<Mech>()
                .0
                .reserve_requests
                .insert((country.clone(), incident_id.clone()));
            mechanism_event(
                world,
                Mechanism::Reserve,
                format!("requested by {by} ({country}) for {incident_id}"),
                by,
                "a Reserve user's request (CSA Art. 14(3), 15(1))",
            );
        }
        Action::RequestRapidReaction => {
            world
                .resource_mut::<Mech>()
                .0
                .rapid_reaction_requests
                .insert((country.clone(), incident_id.clone()));
            mechanism_event(
                world,
                Mechanism::RapidReaction,
                format!("rapid reaction team requested by {country} (an exercise assumption)"),
                by,
                "an exercise assumption: Commission Rec. (EU) 2021/1086 planned EU Cybersecurity Rapid Reaction Teams under the Joint Cyber Unit, which never reached that milestone",
            );
            let arrives = now + draw_within(world, doctrine::RAPID_REACTION_ARRIVAL);
            world.resource_mut::<Agenda>().schedule(
                arrives,
                Scheduled::RapidReactionArrives {
                    incident: incident_id.clone(),
                },
            );
        }
        Action::RequestIncidentReview => {
            let concerned = incident.map(|i| i.countries.clone()).unwrap_or_default();
            {
                let mut mech = world.resource_mut::<Mech>();
                mech.0.review_requested.insert(incident_id.clone());
                mech.0
                    .review_concerned
                    .insert(incident_id.clone(), concerned.clone());
            }
            let requester = if who.kind == ActorKind::CrisisAuthority {
                format!("{by}, for EU-CyCLONe")
            } else {
                by.to_owned()
            };
            mechanism_event(
                world,
                Mechanism::IncidentReview,
                format!(
                    "ENISA review of {incident_id} requested by {requester}; awaiting the approval of every Member State concerned ({})",
                    concerned.iter().cloned().collect::<Vec<_>>().join(", ")
                ),
                by,
                "CSA Art. 21",
            );
            review_approvals(world, &incident_id, &concerned);
        }
        Action::ApproveIncidentReview => {
            record_review_approval(world, &incident_id, &country, by, "");
        }
        Action::ProposeMeasures(category) => {
            world
                .resource_mut::<Mech>()
                .0
                .measures_proposed
                .insert(category);
            mechanism_event(
                world,
                Mechanism::Toolbox,
                format!("{category:?} measures proposed").to_lowercase(),
                by,
                "HR/EEAS proposal",
            );
        }
        Action::VoteMeasures(vote) => {
            world
                .resource_mut::<Mech>()
                .0
                .restrictive_votes
                .insert(country.clone(), vote);
            close_vote_if_done(world, by);
        }
        Action::Attribute => {
            world
                .resource_mut::<Mech>()
                .0
                .attributed
                .insert(country.clone());
            mechanism_event(
                world,
                Mechanism::Attribution,
                format!("{country} attributes the activity"),
                by,
                "sovereign national decision",
            );
        }
        Action::ActivateLeErp => {
            world.resource_mut::<Mech>().0.le_erp_active = true;
            mechanism_event(
                world,
                Mechanism::LeErp,
                "active: Europol EC3 coordinates the law-enforcement response".into(),
                by,
                "malicious, suspected-criminal cross-border attack",
            );
        }
    }
    for consequence in doctrine::consequences(request.action) {
        match consequence {
            Consequence::IpcrFullActivation => {
                set_ipcr(
                    world,
                    IpcrMode::FullActivation,
                    "rule",
                    "Art. 222 invocation: IPCR full activation follows automatically",
                );
            }
            Consequence::AidAndAssistanceDecisions => aid_and_assistance(world, &country),
            Consequence::TransmitToEnisa => transmit_to_enisa(world, who, &incident_id),
            Consequence::InformNetworks => {
                mechanism_event(
                    world,
                    Mechanism::NetworksInformed,
                    "informed of the request".into(),
                    "rule",
                    "the requesting Member State informs the networks (CSA Art. 15)",
                );
            }
            Consequence::ReserveAnswer(window) => {
                world
                    .resource_mut::<ReserveDesk>()
                    .pending
                    .push(ReserveRequest {
                        country: country.clone(),
                        incident: incident_id.clone(),
                        user: by.to_owned(),
                        at: now,
                        retry_at: None,
                    });
                let answer = now + draw_within(world, window);
                world.resource_mut::<Agenda>().schedule(
                    answer,
                    Scheduled::ReserveAnswer {
                        incident: incident_id.clone(),
                    },
                );
            }
            Consequence::OpenRestrictiveVote => open_restrictive_vote(world),
            Consequence::MeasuresAdopted => {
                world.resource_mut::<Mech>().0.measures_adopted = true;
            }
        }
    }
    let _ = incident;
}

/// A user's Reserve request reaches ENISA through its Member State's single point of contact (CSA
/// Art. 15(3)): the SPOC transmits it, which the log shows under the SPOC's name. CERT-EU sends its own.
fn transmit_to_enisa(world: &mut World, who: &Requester, incident: &str) {
    if !doctrine::reserve_transmitted_by_spoc(who.kind) {
        mechanism_event(
            world,
            Mechanism::Reserve,
            format!("{} sends its request for {incident} to ENISA", who.id),
            who.id,
            "CERT-EU requests for Union entities (CSA Art. 14(3))",
        );
        return;
    }
    let plan = world.resource::<Plan>().0.clone();
    let spoc = plan
        .file
        .actors
        .iter()
        .find(|a| a.kind == ActorKind::Spoc && a.country.as_deref() == who.country);
    let (state, by) = match spoc {
        Some(spoc) => (
            format!(
                "{} transmits the request of {} for {incident} to ENISA",
                spoc.id, who.id
            ),
            spoc.id.clone(),
        ),
        None => (
            format!(
                "the single point of contact of {} transmits the request of {} for {incident} to ENISA",
                who.country.unwrap_or_default(),
                who.id
            ),
            "rule".to_owned(),
        ),
    };
    mechanism_event(
        world,
        Mechanism::Reserve,
        state,
        &by,
        "the national single point of contact transmits users' requests (CSA Art. 15(3))",
    );
}

/// A whole number of minutes inside the window, on half-hour steps, from the simulation's generator.
fn draw_within(world: &mut World, window: Window) -> Minutes {
    let steps = (window.latest.saturating_sub(window.earliest)) / 30;
    let k: u32 = world.resource_mut::<SimRng>().0.random_range(0..=steps);
    window.earliest + k * 30
}

/// An entity files one of its reports (NIS2 Art. 23(1), or DORA Art. 19): it reports for itself only.
fn file_report(world: &mut World, request: &PendingRequest) {
    let now = world.resource::<Clock>().now;
    let plan = world.resource::<Plan>().0.clone();
    let incident = request.incident.clone().unwrap_or_default();
    let regime = plan.actor_index(&request.by).map_or(Regime::Nis2, |a| {
        doctrine::reporting_regime(plan.file.actors[a].kind)
    });
    let covered: Vec<String> = vec![request.by.clone()];
    for entity in &covered {
        world
            .resource_mut::<Filed>()
            .0
            .insert((entity.clone(), incident.clone(), request.action));
    }
    let mut met = Vec::new();
    let mut query = world.query::<&mut Obligation>();
    let mut open: Vec<Mut<Obligation>> = query
        .iter_mut(world)
        .filter(|o| {
            o.report == request.action
                && o.incident == incident
                && o.status == ObligationStatus::Open
                && covered.contains(&o.entity)
        })
        .collect();
    open.sort_by(|a, b| a.entity.cmp(&b.entity));
    for mut o in open {
        o.status = ObligationStatus::Met(now);
        met.push(o.entity.clone());
    }
    for entity in &met {
        world.resource_mut::<Log>().push(
            now,
            EventKind::ObligationMet {
                entity: entity.clone(),
                incident: incident.clone(),
                report: request.action,
                regime,
            },
        );
    }
    if request.action == Action::IncidentNotification {
        let obligations: Vec<(String, Action)> = world
            .query::<&Obligation>()
            .iter(world)
            .filter(|o| o.incident == incident)
            .map(|o| (o.entity.clone(), o.report))
            .collect();
        let due = doctrine::final_report_due(now);
        for entity in covered {
            let notified = obligations.contains(&(entity.clone(), Action::IncidentNotification));
            let has_final = obligations.contains(&(entity.clone(), Action::FinalReport));
            if !notified || has_final {
                continue;
            }
            world.resource_mut::<Log>().push(
                now,
                EventKind::ObligationDue {
                    entity: entity.clone(),
                    incident: incident.clone(),
                    report: Action::FinalReport,
                    due,
                    regime,
                },
            );
            world.spawn(Obligation {
                entity,
                incident: incident.clone(),
                report: Action::FinalReport,
                due,
                status: ObligationStatus::Open,
                regime,
            });
        }
    }
}

/// Art. 42(7): every other Member State's government decides how it gives aid and assistance.
fn aid_and_assistance(world: &mut World, victim: &str) {
    let plan = world.resource::<Plan>().0.clone();
    for gov in plan
        .file
        .actors
        .iter()
        .filter(|a| doctrine::owes_aid_and_assistance(a.kind, a.country.as_deref(), victim))
    {
        let country = gov.country.clone().unwrap_or_default();
        let options = vec![
            option(
                "assist_all_means",
                "Aid and assistance by all the means in our power",
                "Offer cyber-defence experts, intelligence sharing and political support, bilaterally.",
                vec![],
            ),
            option(
                "assist_civilian",
                "Civilian and political support only",
                "Respecting our specific security and defence policy (neutrality); offer CSIRT experts and diplomatic support.",
                vec![],
            ),
        ];
        let decision = generated_decision(
            format!(
                "art427_aid_{}_{}",
                victim.to_lowercase(),
                country.to_lowercase()
            ),
            format!(
                "{victim} has invoked Art. 42(7) TEU. How does {country} give aid and assistance?"
            ),
            gov.id.clone(),
            options,
            0,
            doctrine::AID_AND_ASSISTANCE_ANSWER_MIN,
        );
        offer_generated(world, decision);
    }
}

/// CSA Art. 21: ENISA asks every Member State concerned for its approval. A state whose approval the
/// scenario scripts (some decision's option approves for one of its actors) decides through that
/// decision; the others get a generated one, for their government (or else their crisis authority),
/// approving by default. A state with neither in the exercise is taken to approve.
fn review_approvals(world: &mut World, incident: &str, concerned: &BTreeSet<String>) {
    let plan = world.resource::<Plan>().0.clone();
    let country_of = |id: &str| {
        plan.actor_index(id)
            .and_then(|a| plan.file.actors[a].country.clone())
    };
    let scripted: BTreeSet<String> = plan
        .file
        .decisions
        .iter()
        .flat_map(|d| d.options.iter())
        .flat_map(|o| o.effects.iter())
        .filter_map(|e| match e {
            Effect::Request {
                by,
                action: Action::ApproveIncidentReview,
                incident: Some(i),
            } if i == incident => country_of(by),
            _ => None,
        })
        .collect();
    for country in concerned.iter().filter(|c| !scripted.contains(*c)) {
        let approver = [ActorKind::Government, ActorKind::CrisisAuthority]
            .into_iter()
            .find_map(|kind| {
                plan.file
                    .actors
                    .iter()
                    .find(|a| a.kind == kind && a.country.as_deref() == Some(country.as_str()))
            });
        let Some(approver) = approver else {
            record_review_approval(
                world,
                incident,
                country,
                "rule",
                " (no authority of this state takes part in the exercise: its approval is taken as given)",
            );
            continue;
        };
        let approve = Effect::Request {
            by: approver.id.clone(),
            action: Action::ApproveIncidentReview,
            incident: Some(incident.to_owned()),
        };
        let options = vec![
            option(
                "approve",
                "Approve the review",
                "ENISA reviews the incident with the CSIRTs Network's support, consulting the affected entities through the CSIRTs.",
                vec![approve],
            ),
            option(
                "not_now",
                "Not now",
                "Withhold approval for now (for example while a criminal investigation runs); without it there is no review.",
                vec![],
            ),
        ];
        let decision = generated_decision(
            format!(
                "review_approval_{}_{}",
                incident.to_lowercase(),
                country.to_lowercase()
            ),
            format!(
                "ENISA asks {country}, as a Member State concerned, to approve its review of {incident} (CSA Art. 21). Does {country} approve?"
            ),
            approver.id.clone(),
            options,
            0,
            doctrine::REVIEW_APPROVAL_ANSWER_MIN,
        );
        offer_generated(world, decision);
    }
}

/// One Member State concerned approves a review; once every one has, ENISA carries it out.
fn record_review_approval(world: &mut World, incident: &str, country: &str, by: &str, note: &str) {
    let awaiting = {
        let mut mech = world.resource_mut::<Mech>();
        mech.0
            .review_approvals
            .insert((incident.to_owned(), country.to_owned()));
        let concerned = mech
            .0
            .review_concerned
            .get(incident)
            .cloned()
            .unwrap_or_default();
        let awaiting = doctrine::review_awaiting(&concerned, &mech.0.review_approvals, incident);
        if awaiting.is_empty() {
            mech.0.review_approved.insert(incident.to_owned());
        }
        awaiting
    };
    let state = if awaiting.is_empty() {
        format!(
            "approved by {country}{note}, the last Member State concerned; ENISA carries it out"
        )
    } else {
        format!(
            "approved by {country}{note}; still awaiting {}",
            awaiting.join(", ")
        )
    };
    mechanism_event(world, Mechanism::IncidentReview, state, by, "CSA Art. 21");
}

/// Restrictive measures: each government votes; unanimity of those who vote, abstention does not block.
fn open_restrictive_vote(world: &mut World) {
    let plan = world.resource::<Plan>().0.clone();
    {
        let mut mech = world.resource_mut::<Mech>();
        mech.0.restrictive_open = true;
        mech.0.restrictive_votes.clear();
        mech.0.vote_round += 1;
    }
    let round = world.resource::<Mech>().0.vote_round;
    let scripted = scripted_voters(&plan);
    for gov in plan
        .file
        .actors
        .iter()
        .filter(|a| doctrine::votes_in_council(a.kind) && !scripted.contains(&a.id))
    {
        let country = gov.country.clone().unwrap_or_default();
        let vote = |v: Vote| Effect::Request {
            by: gov.id.clone(),
            action: Action::VoteMeasures(v),
            incident: None,
        };
        let options = vec![
            option(
                "support",
                "Support the restrictive measures",
                "",
                vec![vote(Vote::Support)],
            ),
            option(
                "veto",
                "Veto",
                "One veto blocks CFSP restrictive measures.",
                vec![vote(Vote::Veto)],
            ),
            option(
                "abstain",
                "Abstain",
                "Abstention does not block unanimity.",
                vec![],
            ),
        ];
        // Each proposal is a new vote: round 1 is `restrictive_vote_ee`, round 2 `restrictive_vote_ee_2`.
        let id = if round == 1 {
            format!("restrictive_vote_{}", country.to_lowercase())
        } else {
            format!("restrictive_vote_{}_{round}", country.to_lowercase())
        };
        let mut decision = generated_decision(
            id,
            format!(
                "The HR/EEAS proposes CFSP restrictive measures (cyber sanctions). {country}'s position in the Council?"
            ),
            gov.id.clone(),
            options,
            2,
            doctrine::RESTRICTIVE_VOTE_ANSWER_MIN,
        );
        decision.ballot_round = Some(round);
        offer_generated(world, decision);
    }
    close_vote_if_done(world, "rule");
}

/// Ends the vote once a veto is cast or every government has voted or abstained.
pub fn close_vote_if_done(world: &mut World, by: &str) {
    if !world.resource::<Mech>().0.restrictive_open {
        return;
    }
    let ballots = world.resource::<Mech>().0.restrictive_votes.clone();
    let round = world.resource::<Mech>().0.vote_round;
    let plan = world.resource::<Plan>().0.clone();
    let scripted = scripted_voters(&plan);
    let decisions: Vec<DecisionState> = world
        .query::<&DecisionState>()
        .iter(world)
        .cloned()
        .collect();
    // A government is still to vote while its generated ballot is open, or while the scenario's own
    // vote decision for it has not been resolved.
    let open_votes = plan
        .file
        .actors
        .iter()
        .filter(|a| doctrine::votes_in_council(a.kind))
        .filter(|gov| !ballots.contains_key(gov.country.as_deref().unwrap_or_default()))
        .filter(|gov| {
            decisions.iter().any(|d| {
                let generated_ballot = d.ballot_round == Some(round) && d.by.contains(&gov.id);
                let unresolved = matches!(
                    d.status,
                    DecisionStatus::Pending { .. } | DecisionStatus::NotOffered
                );
                let scripted_ballot = !d.generated && casts_vote(&d.options, &gov.id);
                (generated_ballot && unresolved)
                    || (scripted_ballot && unresolved && scripted.contains(&gov.id))
            })
        })
        .count();
    let Some(adopted) = doctrine::restrictive_vote_result(&ballots, open_votes) else {
        return;
    };
    {
        let mut mech = world.resource_mut::<Mech>();
        mech.0.restrictive_open = false;
        if adopted {
            mech.0.measures_adopted = true;
            mech.0.sanctions_adopted = true;
        } else {
            mech.0
                .measures_proposed
                .remove(&MeasureCategory::Restrictive);
        }
    }
    withdraw_ballots(world, round);
    let vetoes: Vec<&String> = ballots
        .iter()
        .filter(|(_, v)| **v == Vote::Veto)
        .map(|(c, _)| c)
        .collect();
    let state = if adopted {
        format!(
            "restrictive measures adopted unanimously ({} in favour)",
            ballots.len()
        )
    } else if vetoes.is_empty() {
        "restrictive measures not adopted: no government supported them".into()
    } else {
        format!(
            "restrictive measures blocked by the veto of {}",
            vetoes
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    mechanism_event(
        world,
        Mechanism::Toolbox,
        state,
        by,
        "CFSP unanimity in the Council (Art. 31 TEU)",
    );
}

/// Once a vote is closed, the ballots nobody cast are withdrawn (answering them would change nothing).
fn withdraw_ballots(world: &mut World, round: u32) {
    let now = world.resource::<Clock>().now;
    let mut withdrawn = Vec::new();
    let mut query = world.query::<&mut DecisionState>();
    for mut d in query.iter_mut(world) {
        if d.ballot_round == Some(round)
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
                reason: "the vote is closed".into(),
            },
        );
    }
}

/// Governments whose restrictive-measures votes the scenario's decisions script (no generated ballot
/// then). A vote cast by an inject's effect is a one-off ballot, not a seat's decision, so it does not count.
fn scripted_voters(plan: &crate::scenario::Scenario) -> BTreeSet<String> {
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
            } => Some(by.clone()),
            _ => None,
        })
        .collect()
}

/// Whether some option casts `gov`'s vote.
fn casts_vote(options: &[DecisionOption], gov: &str) -> bool {
    options.iter().flat_map(|o| o.effects.iter()).any(
        |e| matches!(e, Effect::Request { by, action: Action::VoteMeasures(_), .. } if by == gov),
    )
}

fn option(id: &str, label: &str, description: &str, effects: Vec<Effect>) -> DecisionOption {
    DecisionOption {
        id: id.into(),
        label: label.into(),
        description: description.into(),
        effects,
    }
}

fn offer_generated(world: &mut World, decision: DecisionState) {
    let id = decision.id.clone();
    let exists = world
        .query::<&DecisionState>()
        .iter(world)
        .any(|d| d.id == id);
    if !exists {
        world.spawn(decision);
        world.resource_mut::<Queue>().offers.push(id);
    }
}

/// A generated decision (by a rule, not the scenario) for one deciding actor.
#[must_use]
fn generated_decision(
    id: String,
    prompt: String,
    by: String,
    options: Vec<DecisionOption>,
    default: usize,
    deadline_after: Minutes,
) -> DecisionState {
    DecisionState {
        id,
        prompt,
        by: vec![by],
        options,
        default: Some(default),
        deadline_after: Some(deadline_after),
        deadline: None,
        rationale_required: false,
        status: DecisionStatus::NotOffered,
        generated: true,
        ballot_round: None,
    }
}

/// The GSC, the Commission or the EEAS agrees to open IPCR information sharing; it opens once all three
/// have (Council Rec. of 6.6.2025, recital 3), and until then the log says who is still missing.
fn agree_to_information_sharing(world: &mut World, kind: ActorKind, by: &str) {
    let agreed = world.resource::<Mech>().0.ipcr_sharing_agreed.clone();
    if doctrine::ipcr_sharing_opens(kind, &agreed) {
        set_ipcr(
            world,
            IpcrMode::InformationSharing,
            by,
            "opened by the GSC, the Commission and the EEAS together, in consultation with the Presidency",
        );
        return;
    }
    world
        .resource_mut::<Mech>()
        .0
        .ipcr_sharing_agreed
        .insert(kind);
    let agreed = world.resource::<Mech>().0.ipcr_sharing_agreed.clone();
    mechanism_event(
        world,
        Mechanism::Ipcr,
        format!(
            "{} agrees to open information sharing; still missing: {}",
            doctrine::ipcr_partner_name(kind),
            doctrine::ipcr_sharing_missing(&agreed).join(" and ")
        ),
        by,
        "the GSC, the Commission and the EEAS open it together, in consultation with the Presidency (Council Rec. of 6.6.2025, recital 3)",
    );
}

/// Moves IPCR to another mode; the ISAA rhythm follows.
fn set_ipcr(world: &mut World, to: IpcrMode, by: &str, reason: &str) {
    let now = world.resource::<Clock>().now;
    let from = world.resource::<Mech>().0.ipcr;
    if from == to {
        return;
    }
    world.resource_mut::<Mech>().0.ipcr = to;
    // Agreements to open information sharing were for the mode IPCR was in; a new mode starts afresh.
    world.resource_mut::<Mech>().0.ipcr_sharing_agreed.clear();
    world.resource_mut::<Log>().push(
        now,
        EventKind::IpcrModeChanged {
            from,
            to,
            by: by.to_owned(),
            reason: reason.to_owned(),
        },
    );
    let engine_reports = reporting::isaa_every(&world.resource::<Plan>().0).is_some();
    reporting::follow_ipcr(
        &mut world.resource_mut::<Milestones>(),
        to,
        now,
        engine_reports,
    );
}
