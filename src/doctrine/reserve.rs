//! How ENISA assesses requests to the EU Cybersecurity Reserve (Cyber Solidarity Act, Reg. (EU) 2025/38,
//! Arts 14-16): every admissible request is weighed, alone or against the others before ENISA at the
//! same moment, and is served in full, partly served, deferred behind requests of higher priority, or
//! refused. The ranking is rule-based (no randomness): the Act's priority criteria in their order, then
//! the order of arrival.

use std::cmp::Ordering;

use crate::domain::{Minutes, Severity};

/// How many provider teams the Reserve can commit inside one [`RESERVE_CAPACITY_WINDOW_MIN`], when a
/// scenario sets nothing (`reserve_capacity`). The real capacity depends on ENISA's contracts and is not
/// public: an exercise assumption, large enough that a one-incident exercise never meets the limit.
pub const RESERVE_CAPACITY_DEFAULT: u32 = 4;

/// A committed team counts against the capacity for this long after it is deployed: the 48 hours in which
/// ENISA answers a request (CSA Art. 16, secondary source), so capacity is "teams per answer window".
pub const RESERVE_CAPACITY_WINDOW_MIN: Minutes = 48 * 60;

/// One request before ENISA, with the facts the Act's priority criteria look at (CSA Art. 16; the criteria
/// list is the proposal's; `docs/eu-mechanisms.md`, the Reserve).
#[derive(Debug, Clone, PartialEq, Eq)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "one flag per priority criterion of the Act, each read on its own"
)]
pub struct ReserveClaim {
    /// The requesting Member State (`EU` for CERT-EU on behalf of Union entities).
    pub country: String,
    pub incident: String,
    /// When the user made the request (earlier requests win ties).
    pub requested_at: Minutes,
    /// The incident's severity now (criterion 1: severity).
    pub severity: Severity,
    /// An essential entity of the requesting state is hit (criterion 2: essential entities first).
    pub essential: bool,
    /// Entities of the requesting state the incident hits (criterion 3: impact); also the teams the
    /// request asks for, one per entity, at least one.
    pub entities: u32,
    /// The incident has spilled over into another Member State (criterion 4: cross-border spill-over).
    pub cross_border: bool,
    /// The user's own mitigation is in place (criterion 5: the user's own efforts).
    pub mitigated: bool,
    /// The incident still calls for support: it has not recovered (the Reserve also supports recovery,
    /// Art. 14(1), so a contained incident still counts) and is still significant or large-scale. A
    /// request whose incident no longer does is refused at assessment.
    pub still_needed: bool,
}

impl ReserveClaim {
    /// Teams the request asks for: one per hit entity of the requesting state, at least one.
    #[must_use]
    pub fn teams_needed(&self) -> u32 {
        self.entities.max(1)
    }
}

/// What ENISA decides on one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReserveOutcome {
    /// Every team the request asks for is committed.
    Served { teams: u32 },
    /// Capacity left for only some of the teams: these are committed, the rest is not.
    PartlyServed { teams: u32, asked: u32 },
    /// Every team is committed to requests of higher priority: the request waits for capacity and is
    /// assessed again when some frees up.
    Deferred,
    /// The request no longer meets the Reserve's purpose when ENISA assesses it.
    Refused { reason: String },
}

/// ENISA's answer to one request: its place in the ranking (1 = first) among the requests assessed
/// together, and the outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReserveAnswer {
    /// Index of the claim in the slice given to [`assess_reserve`].
    pub claim: usize,
    pub rank: usize,
    pub of: usize,
    pub outcome: ReserveOutcome,
}

/// The Act's priority order between two requests (CSA Art. 16, proposal's criteria): the more severe
/// incident first; then the one hitting an essential entity; then the greater impact (more hit entities);
/// then the one with cross-border spill-over; then the user that has made its own efforts. Ties go to the
/// earlier request, then by country and incident, so the order never depends on anything but the facts.
#[must_use]
pub fn reserve_priority(a: &ReserveClaim, b: &ReserveClaim) -> Ordering {
    b.severity
        .cmp(&a.severity)
        .then(b.essential.cmp(&a.essential))
        .then(b.entities.cmp(&a.entities))
        .then(b.cross_border.cmp(&a.cross_border))
        .then(b.mitigated.cmp(&a.mitigated))
        .then(a.requested_at.cmp(&b.requested_at))
        .then_with(|| a.country.cmp(&b.country))
        .then_with(|| a.incident.cmp(&b.incident))
}

/// ENISA assesses the requests before it together (CSA Art. 16): requests whose incident no longer calls
/// for support are refused; the others are ranked by [`reserve_priority`] and served in that order while
/// `free_teams` last: in full, partly when fewer teams are left than asked for, and deferred once none is
/// left. Answers come back in ranking order.
#[must_use]
pub fn assess_reserve(claims: &[ReserveClaim], free_teams: u32) -> Vec<ReserveAnswer> {
    let mut order: Vec<usize> = (0..claims.len()).collect();
    order.sort_by(|&a, &b| reserve_priority(&claims[a], &claims[b]));
    let mut free = free_teams;
    let of = claims.len();
    order
        .into_iter()
        .enumerate()
        .map(|(place, i)| {
            let claim = &claims[i];
            let outcome = if !claim.still_needed {
                ReserveOutcome::Refused {
                    reason: "the incident no longer calls for Reserve support: it has recovered or is no longer significant".into(),
                }
            } else if free >= claim.teams_needed() {
                free -= claim.teams_needed();
                ReserveOutcome::Served {
                    teams: claim.teams_needed(),
                }
            } else if free > 0 {
                let teams = free;
                free = 0;
                ReserveOutcome::PartlyServed {
                    teams,
                    asked: claim.teams_needed(),
                }
            } else {
                ReserveOutcome::Deferred
            };
            ReserveAnswer {
                claim: i,
                rank: place + 1,
                of,
                outcome,
            }
        })
        .collect()
}

/// Teams still free at `now`, given the capacity and the teams committed so far with the moment each
/// was committed: a commitment counts for [`RESERVE_CAPACITY_WINDOW_MIN`].
#[must_use]
pub fn reserve_free_teams(capacity: u32, committed: &[(Minutes, u32)], now: Minutes) -> u32 {
    let busy: u32 = committed
        .iter()
        .filter(|(at, _)| now < at + RESERVE_CAPACITY_WINDOW_MIN)
        .map(|(_, teams)| teams)
        .sum();
    capacity.saturating_sub(busy)
}

/// When the next committed team frees up after `now`, if any is committed: a deferred request is assessed
/// again then.
#[must_use]
pub fn reserve_next_free(committed: &[(Minutes, u32)], now: Minutes) -> Option<Minutes> {
    committed
        .iter()
        .map(|(at, _)| at + RESERVE_CAPACITY_WINDOW_MIN)
        .filter(|t| *t > now)
        .min()
}
