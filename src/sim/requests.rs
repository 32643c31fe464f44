//! Mechanism requests: checked against the EU rules in `doctrine`, then granted with their automatic
//! consequences, or refused with the rule's reason (both recorded as events). The consequences pass's
//! request system lives here too, with the decisions rules generate (Art. 42(7) aid; the Council's
//! ballots are built in `council`).

use std::collections::BTreeSet;

use bevy_ecs::prelude::*;
use rand::RngExt;

use crate::doctrine::{
    self, AidResponse, Consequence, Contest, Refusal, Requester, Situation, Window,
};
use crate::domain::{Action, ActorKind, IpcrMode, Mechanism, Regime};
use crate::scenario::model::{DecisionOption, Effect};
use crate::scenario::time::Minutes;

use super::council;
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

/// Council files move up the track and are decided when the rules allow (see `council`).
pub(super) fn close_votes(world: &mut World) {
    council::advance_files(world);
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
    let essential_market = essential_market(&plan, incident.as_ref());
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
            essential_market: &essential_market,
        });
        let situation = Situation {
            incident: facts,
            mechanisms: &mechanisms,
            any_large_scale,
        };
        (
            doctrine::check(request.action, &who, &situation),
            doctrine::contests(request.action, &who, &situation),
            situation
                .incident
                .as_ref()
                .is_some_and(doctrine::is_cyber_crisis),
        )
    };
    let (verdict, contests, cyber_crisis) = verdict;
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
    grant(
        world,
        request,
        &who,
        incident.as_ref(),
        &Found {
            contests: &contests,
            cyber_crisis,
        },
    );
    Ok(())
}

/// The Member States where the incident hits an essential entity of an internal-market sector (the 2025
/// Blueprint's cyber-crisis test).
fn essential_market(
    plan: &crate::scenario::Scenario,
    incident: Option<&IncidentState>,
) -> BTreeSet<String> {
    let Some(inc) = incident else {
        return BTreeSet::new();
    };
    plan.file
        .actors
        .iter()
        .filter(|a| inc.entities.contains(&a.id))
        .filter(|a| {
            matches!(a.kind, ActorKind::Essential(sector) if doctrine::internal_market_sector(sector))
        })
        .filter_map(|a| a.country.clone())
        .collect()
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

/// What the rules found about a granted request besides the grant: its contests, and whether its
/// incident meets the 2025 Blueprint's cyber-crisis test.
struct Found<'a> {
    contests: &'a [Contest],
    cyber_crisis: bool,
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
    found: &Found,
) {
    let contests = found.contests;
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
                format!(
                    "invoked by {country}, through the ERCC to the Presidency and the President of the Commission"
                ),
                by,
                &format!(
                    "Art. 222 TFEU; Council Dec. 2014/415/EU Art. 4: {country} considers that the crisis clearly overwhelms its response capabilities; no EU body refuses an invocation"
                ),
            );
            record_contests(world, Mechanism::Art222, contests, STATE_JUDGEMENT);
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
                &format!(
                    "Art. 42(7) TEU: {country} judges that it is the victim of armed aggression on its territory; no EU institutional decision is needed and no EU body refuses an invocation"
                ),
            );
            record_contests(world, Mechanism::Art427, contests, STATE_JUDGEMENT);
            art427_arrangements(world, &country);
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
                if who.kind == ActorKind::Eeas {
                    "Art. 30(1) TEU: proposal of the High Representative"
                } else {
                    "Art. 30(1) TEU: proposal of a Member State"
                },
            );
            record_contests(world, Mechanism::Toolbox, contests, NO_PRECONDITION);
        }
        Action::VoteMeasures(vote) => {
            council::record_position(
                world,
                crate::domain::MeasureCategory::Restrictive,
                &country,
                by,
                vote,
            );
        }
        Action::Position(category, vote) => {
            council::record_position(world, category, &country, by, vote);
        }
        Action::JoinListingProposal => council::join_listing_proposal(world, who.kind, by),
        Action::PostponeCouncilStep(category) => council::postpone(world, category, by),
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
            record_contests(world, Mechanism::Attribution, contests, NO_PRECONDITION);
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
        Action::AssessActivity(_)
        | Action::PreserveEvidence
        | Action::DeconflictWithCsirts
        | Action::RequestTechnicalReport
        | Action::ConveneJcu
        | Action::SubmitCycloneAssessment => {
            link_up(world, request.action, who, incident, found.cyber_crisis);
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
            Consequence::OpenCouncilFile(_) => {
                if let Action::ProposeMeasures(category) = request.action {
                    council::open_file(world, category, by, who.kind);
                }
            }
            Consequence::AskForJointProposal => council::ask_for_joint_proposal(world),
        }
    }
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

/// Records, for the facilitator and the report, why a granted invocation is contested on the facts.
/// It is not a refusal: the invocation stands and the other governments' responses carry the politics.
/// Why a contested treaty invocation stands.
const STATE_JUDGEMENT: &str = "the invoking state's judgement stands";
/// Why a listing proposal or an attribution without an intelligence assessment stands.
const NO_PRECONDITION: &str = "no law makes an intelligence assessment a precondition";

fn record_contests(world: &mut World, mechanism: Mechanism, contests: &[Contest], stands: &str) {
    for c in contests {
        mechanism_event(
            world,
            mechanism,
            c.reason.clone(),
            "rule",
            &format!("{}; recorded, not refused: {stands}", c.rule),
        );
    }
}

/// The link-ups of Council conclusions 6722/21, point 20, once granted: each records its mechanism fact
/// and says what it is.
fn link_up(
    world: &mut World,
    action: Action,
    who: &Requester,
    incident: Option<&IncidentState>,
    cyber_crisis: bool,
) {
    let by = who.id;
    let incident_id = incident.map(|i| i.id.clone()).unwrap_or_default();
    let countries = incident
        .map(|i| i.countries.iter().cloned().collect::<Vec<_>>().join(", "))
        .unwrap_or_default();
    match action {
        Action::AssessActivity(confidence) => {
            world
                .resource_mut::<Mech>()
                .0
                .intel_assessments
                .insert(incident_id.clone(), confidence);
            mechanism_event(
                world,
                Mechanism::IntelAssessment,
                format!(
                    "EU INTCEN assesses the activity behind {incident_id}: {} (an assessment, not an attribution)",
                    confidence.label()
                ),
                by,
                "EU INTCEN (EEAS strategic intelligence): its assessment informs attribution and the Toolbox; it does not attribute",
            );
        }
        Action::PreserveEvidence => {
            world
                .resource_mut::<Mech>()
                .0
                .evidence_preservation
                .insert(incident_id.clone());
            let plan = world.resource::<Plan>().0.clone();
            let asked: Vec<String> = plan
                .file
                .actors
                .iter()
                .filter(|a| matches!(a.kind, ActorKind::Csirt | ActorKind::CrisisAuthority))
                .filter(|a| {
                    a.country
                        .as_ref()
                        .is_some_and(|c| incident.is_some_and(|i| i.countries.contains(c)))
                })
                .map(|a| a.id.clone())
                .collect();
            let whom = if asked.is_empty() {
                format!("the CSIRTs and crisis authorities of {countries}")
            } else {
                asked.join(", ")
            };
            mechanism_event(
                world,
                Mechanism::LeErp,
                format!(
                    "investigation and analysis: Europol EC3 asks {whom} to preserve evidence on {incident_id}"
                ),
                by,
                "EU LE Emergency Response Protocol, investigation and analysis stage (which stage is the model's reading: unsure)",
            );
        }
        Action::DeconflictWithCsirts => {
            world
                .resource_mut::<Mech>()
                .0
                .le_deconflicted
                .insert(incident_id.clone());
            mechanism_event(
                world,
                Mechanism::LeErp,
                format!(
                    "emergency response coordination: the criminal investigation of {incident_id} and the CSIRTs Network's incident response are de-conflicted"
                ),
                by,
                "EU LE Emergency Response Protocol, emergency response coordination stage (which stage is the model's reading: unsure)",
            );
        }
        Action::RequestTechnicalReport => {
            world
                .resource_mut::<Mech>()
                .0
                .technical_reports
                .insert(incident_id.clone());
            let on = if incident_id.is_empty() {
                String::new()
            } else {
                format!(" on {incident_id}")
            };
            mechanism_event(
                world,
                Mechanism::CsirtsNetwork,
                format!("the NIS Cooperation Group requests a technical report{on}"),
                by,
                "NIS2 Art. 14(4): the Cooperation Group may ask the CSIRTs Network for technical reports; it has no crisis-operations role",
            );
        }
        Action::ConveneJcu => {
            world.resource_mut::<Mech>().0.jcu_convened = true;
            mechanism_event(
                world,
                Mechanism::RapidReaction,
                "platform convened: the civilian, law-enforcement, diplomatic and defence cyber communities join (an exercise assumption)".into(),
                by,
                "an exercise assumption: Commission Rec. (EU) 2021/1086 proposed the Joint Cyber Unit as a platform; it was never fully established",
            );
        }
        Action::SubmitCycloneAssessment => {
            world
                .resource_mut::<Mech>()
                .0
                .cyclone_assessments
                .insert(incident_id.clone(), cyber_crisis);
            let verdict = if cyber_crisis {
                "a cyber crisis (Blueprint 2025)"
            } else {
                "not a cyber crisis (Blueprint 2025 test not met)"
            };
            mechanism_event(
                world,
                Mechanism::Cyclone,
                format!(
                    "{by}, for EU-CyCLONe, submits its assessment of {incident_id} to the political level: {verdict}"
                ),
                by,
                "NIS2 Art. 16; Council Rec. of 6.6.2025, pt. 2: a large-scale incident that affects the internal market or poses serious risks in several Member States (the model's reading: significant impact in at least three Member States, or an essential entity of an internal-market sector hit in at least two)",
            );
        }
        _ => {}
    }
}

/// Art. 42(7) practical arrangements, which the Treaty leaves open and Council conclusions 6722/21
/// point 26 asks exercises to test: who raises it and where, the HR's role, the follow-up; and NATO as
/// context for a state that is a member (second subparagraph), never a condition.
fn art427_arrangements(world: &mut World, victim: &str) {
    let plan = world.resource::<Plan>().0.clone();
    let presidency = plan.file.presidency.clone();
    mechanism_event(
        world,
        Mechanism::Art427,
        format!(
            "{victim} raises its invocation with the other Member States, usually at the Council; the Presidency ({presidency}) puts it on the agenda; the HR/EEAS facilitates and tracks the offers of aid and assistance, which are given mainly bilaterally; the PSC follows up"
        ),
        "rule",
        "Art. 42(7) TEU practical arrangements (Council conclusions 6722/21, point 26)",
    );
    let nato = if doctrine::is_nato_member(victim) {
        format!(
            "NATO context: for {victim}, a NATO member, NATO remains the foundation of its collective defence; asking NATO (Art. 4 consultations, Art. 5) is {victim}'s own, separate national decision, on which the North Atlantic Council decides case by case"
        )
    } else {
        format!(
            "NATO context: {victim} is not a NATO member; Art. 42(7) commitments stay consistent with those of the Member States that are"
        )
    };
    mechanism_event(
        world,
        Mechanism::Art427,
        nato,
        "rule",
        "Art. 42(7) TEU, second subparagraph; for information, never a condition",
    );
}

/// The id of the decision in which `country`'s government answers `victim`'s Art. 42(7) invocation
/// (stable: journals, decision files and scenario notes name it).
fn aid_decision_id(victim: &str, country: &str) -> String {
    format!(
        "art427_aid_{}_{}",
        victim.to_lowercase(),
        country.to_lowercase()
    )
}

/// The words of one answer as an option of the aid decision.
fn aid_option(response: AidResponse, country: &str) -> DecisionOption {
    let (label, description) = match response {
        AidResponse::AllMeans => (
            "Bilateral aid and assistance by all the means in our power",
            "Offer specific help bilaterally, military means included (e.g. maritime surveillance, cyber-defence teams, intelligence), and say so at the Council."
                .to_owned(),
        ),
        AidResponse::NonMilitary => (
            "Bilateral non-military aid and assistance",
            if doctrine::has_specific_defence_policy(country) {
                format!(
                    "The clause does not prejudice {country}'s specific security and defence policy: offer civilian help bilaterally (CSIRT and ICS experts, intelligence sharing, civil protection, diplomatic support)."
                )
            } else {
                "Offer civilian help bilaterally (CSIRT and ICS experts, intelligence sharing, civil protection, diplomatic support), no military means."
                    .to_owned()
            },
        ),
        AidResponse::SupportWithoutOffer => (
            "Support the invocation, no specific offer yet",
            "Express solidarity at the Council; offers follow once the invoking state's needs are known."
                .to_owned(),
        ),
        AidResponse::NotSupported => (
            "Do not support the invocation",
            "Question that the effects amount to armed aggression. The obligation of aid and assistance binds every Member State: this is a political stance the others will note."
                .to_owned(),
        ),
        AidResponse::NoPosition | AidResponse::Awaited => (
            "Take no position yet",
            "Say nothing for now (for instance while national procedures run); taken if no answer comes by the deadline."
                .to_owned(),
        ),
    };
    option(response.option_id(), label, &description, vec![])
}

/// Art. 42(7): every other Member State's government decides how it gives aid and assistance; each is
/// listed as awaited until it answers.
fn aid_and_assistance(world: &mut World, victim: &str) {
    let plan = world.resource::<Plan>().0.clone();
    for gov in plan
        .file
        .actors
        .iter()
        .filter(|a| doctrine::owes_aid_and_assistance(a.kind, a.country.as_deref(), victim))
    {
        let country = gov.country.clone().unwrap_or_default();
        world
            .resource_mut::<Mech>()
            .0
            .art427_responses
            .entry(victim.to_owned())
            .or_default()
            .entry(country.clone())
            .or_insert(AidResponse::Awaited);
        let answers = doctrine::aid_options(&country);
        let default = answers.len().saturating_sub(1);
        let options = answers.iter().map(|r| aid_option(*r, &country)).collect();
        let neutrality = if doctrine::has_specific_defence_policy(&country) {
            format!(
                " The clause respects {country}'s specific security and defence policy: its aid is non-military."
            )
        } else {
            String::new()
        };
        let decision = generated_decision(
            aid_decision_id(victim, &country),
            format!(
                "{victim} has invoked Art. 42(7) TEU (mutual assistance). How does {country} give aid and assistance?{neutrality}"
            ),
            gov.id.clone(),
            options,
            default,
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

/// Consequences pass: each government's answer to an Art. 42(7) invocation is recorded, per state, as
/// soon as its aid decision is taken or defaults, with an event the facilitator and the report read.
pub(super) fn record_aid_responses(world: &mut World) {
    let awaited: Vec<(String, String)> = world
        .resource::<Mech>()
        .0
        .art427_responses
        .iter()
        .flat_map(|(victim, answers)| {
            answers
                .iter()
                .filter(|(_, r)| **r == AidResponse::Awaited)
                .map(|(country, _)| (victim.clone(), country.clone()))
        })
        .collect();
    if awaited.is_empty() {
        return;
    }
    let decisions: Vec<DecisionState> = world
        .query::<&DecisionState>()
        .iter(world)
        .filter(|d| d.generated)
        .cloned()
        .collect();
    for (victim, country) in awaited {
        let id = aid_decision_id(&victim, &country);
        let Some(d) = decisions.iter().find(|d| d.id == id) else {
            continue;
        };
        let (option, by) = match &d.status {
            DecisionStatus::Taken { option, by, .. } => (*option, by.clone()),
            DecisionStatus::Defaulted { option, .. } => {
                (*option, d.by.first().cloned().unwrap_or_default())
            }
            _ => continue,
        };
        let Some(response) = d
            .options
            .get(option)
            .and_then(|o| AidResponse::from_option_id(&o.id))
        else {
            continue;
        };
        if let Some(answer) = world
            .resource_mut::<Mech>()
            .0
            .art427_responses
            .get_mut(&victim)
            .and_then(|answers| answers.get_mut(&country))
        {
            *answer = response;
        }
        let basis = if doctrine::has_specific_defence_policy(&country) {
            "Art. 42(7) TEU: aid and assistance by all the means in its power, mainly bilateral, without prejudice to its specific security and defence policy"
        } else {
            "Art. 42(7) TEU: aid and assistance by all the means in its power, mainly bilateral"
        };
        mechanism_event(
            world,
            Mechanism::Art427,
            format!("{country} to {victim}: {}", response.label()),
            &by,
            basis,
        );
    }
}

pub(super) fn option(
    id: &str,
    label: &str,
    description: &str,
    effects: Vec<Effect>,
) -> DecisionOption {
    DecisionOption {
        id: id.into(),
        label: label.into(),
        description: description.into(),
        effects,
    }
}

pub(super) fn offer_generated(world: &mut World, decision: DecisionState) {
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
pub(super) fn generated_decision(
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
        ballot: None,
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
