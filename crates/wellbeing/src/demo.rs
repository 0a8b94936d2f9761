//! A seeded demo organisation: four workers in two time zones (Europe/Paris and
//! Africa/Johannesburg, one on nights), one week of conversations with their commitments,
//! incidents and prompts. The week (23–29 March 2026) contains Europe's spring-forward change, so
//! the demo exercises the time-zone rules too.
//!
//! Deterministic: the same seed gives the same records, byte for byte, so tests can pin numbers
//! and `tact report weekly --demo` shows the same page everywhere.

use crate::exposure::{ExposureRules, IntenseKind, Interaction, PromptKind, prompts};
use crate::report::{
    CommitmentKind, CommitmentRecord, CommitmentStatus, IncidentKind, IncidentRecord,
    IncidentStatus, Member, PromptRecord, Records, Team, WeeklyReport, WorkerAction,
};
use crate::schedule::{OnCallRota, Schedule};
use crate::{Error, Result};
use jiff::civil::{Date, date};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp, ToSpan};
use std::collections::BTreeMap;

/// The seed of [`organisation`].
pub const SEED: u64 = 0x7AC7_2026_0323;

/// The demo's inputs: what the server would read from its store for one team and one week.
#[derive(Debug, Clone)]
pub struct Demo {
    /// The team, its members and their hours.
    pub team: Team,
    /// The Monday the week starts, in the team's time zone.
    pub week_start: Date,
    /// When the report is read: the Monday after, 08:00 in Paris.
    pub as_of: Timestamp,
    /// The default exposure rules.
    pub rules: ExposureRules,
    /// Who is on call outside hours.
    pub rota: OnCallRota,
    /// The records.
    pub records: Records,
}

impl Demo {
    /// The week's report.
    pub fn report(&self) -> Result<WeeklyReport> {
        WeeklyReport::build(
            &self.team,
            self.week_start,
            &self.records,
            &self.rules,
            self.as_of,
        )
    }
}

/// SplitMix64: small, fast, and the same on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn minutes(&mut self, from: i64, to: i64) -> SignedDuration {
        SignedDuration::from_mins(from + self.below((to - from + 1) as u64) as i64)
    }
}

/// How likely each kind is in one client message, in percent, for one worker's caseload.
struct Load {
    threat: u64,
    abuse: u64,
    urgent: u64,
    anger: u64,
    crossing: u64,
}

/// The demo organisation, from [`SEED`].
pub fn organisation() -> Demo {
    build(SEED).unwrap_or_else(|e| unreachable!("the demo's own data is valid: {e}"))
}

fn member(id: i64, name: &str, zone: &str, hours: &str, days_off: &[&str]) -> Result<Member> {
    Ok(Member {
        id,
        name: name.to_string(),
        time_zone: zone.to_string(),
        working_hours: Some(hours.to_string()),
        days_off: days_off
            .iter()
            .map(|d| d.parse())
            .collect::<Result<Vec<_>>>()?,
    })
}

/// The records being written, with the ids handed out so far.
struct Book {
    rng: Rng,
    records: Records,
    conversation: i64,
    commitment: i64,
    incident: i64,
    as_of: Timestamp,
}

impl Book {
    /// One conversation of `worker`: its client messages (time and what made each intense), the
    /// worker's replies, a promise in about a third of conversations (P20, P36), a follow-up after
    /// abuse or an urgent disclosure (P5), and one incident per kind, as the server raises them.
    fn conversation(&mut self, worker: i64, messages: Vec<(Timestamp, Vec<IntenseKind>)>) {
        self.conversation += 1;
        let conversation = self.conversation;
        let mut seen: Vec<IntenseKind> = Vec::new();
        let mut last = None;
        for (at, kinds) in messages {
            seen.extend(&kinds);
            self.records.interactions.push(Interaction {
                worker,
                conversation,
                at,
                kinds,
            });
            let reply = at + self.rng.minutes(1, 6);
            self.records
                .actions
                .push(WorkerAction { worker, at: reply });
            last = Some(reply);
        }
        let Some(at) = last else {
            return;
        };
        let as_of = self.as_of;
        if self.rng.chance(35) {
            let due = at + SignedDuration::from_hours(2 + self.rng.below(70) as i64);
            let (status, closed_at) = close(&mut self.rng, due, as_of, [85, 92, 95]);
            self.commit(
                worker,
                conversation,
                CommitmentKind::Promise,
                due,
                status,
                closed_at,
            );
        }
        let serious = seen.iter().any(|k| {
            matches!(
                k,
                IntenseKind::UrgentDisclosure
                    | IntenseKind::ThreatToWorker
                    | IntenseKind::AbuseAtWorker
            )
        });
        if serious {
            let due = at + SignedDuration::from_hours(24);
            let (status, closed_at) = close(&mut self.rng, due, as_of, [85, 93, 93]);
            self.commit(
                worker,
                conversation,
                CommitmentKind::FollowUp,
                due,
                status,
                closed_at,
            );
        }
        let mut raised: Vec<IncidentKind> = Vec::new();
        for kind in &seen {
            let (incident, severity) = match kind {
                IntenseKind::ThreatToWorker | IntenseKind::AbuseAtWorker => {
                    (IncidentKind::Abuse, "high")
                }
                IntenseKind::UrgentDisclosure => (IncidentKind::UrgentDisclosure, "urgent"),
                IntenseKind::BoundaryCrossing => (IncidentKind::BoundaryCrossing, "moderate"),
                IntenseKind::HighAnger => continue,
            };
            if raised.contains(&incident) {
                continue;
            }
            raised.push(incident);
            let roll = self.rng.below(100);
            let resolved = at + SignedDuration::from_hours(2 + self.rng.below(46) as i64);
            let (status, resolved_at) = if roll < 65 && resolved <= as_of {
                (IncidentStatus::Resolved, Some(resolved))
            } else if roll < 85 {
                (IncidentStatus::InProgress, None)
            } else {
                (IncidentStatus::Open, None)
            };
            self.records.incidents.push(IncidentRecord {
                id: self.incident,
                worker,
                conversation,
                kind: incident,
                severity: severity.to_string(),
                status,
                created_at: at,
                resolved_at,
            });
            self.incident += 1;
        }
    }

    fn commit(
        &mut self,
        worker: i64,
        conversation: i64,
        kind: CommitmentKind,
        due_at: Timestamp,
        status: CommitmentStatus,
        closed_at: Option<Timestamp>,
    ) {
        self.records.commitments.push(CommitmentRecord {
            id: self.commitment,
            worker,
            conversation,
            kind,
            due_at,
            status,
            closed_at,
        });
        self.commitment += 1;
    }
}

fn build(seed: u64) -> Result<Demo> {
    let rng = Rng(seed);
    let team = Team {
        name: "Helpdesk Paris–Johannesburg".to_string(),
        time_zone: "Europe/Paris".to_string(),
        members: vec![
            member(1, "Amélie", "Europe/Paris", "mon-fri 09:00-17:00", &[])?,
            member(
                2,
                "Thabo",
                "Africa/Johannesburg",
                "mon-fri 08:00-16:00",
                &[],
            )?,
            member(
                3,
                "Claire",
                "Europe/Paris",
                "tue-sat 10:00-18:00",
                &["2026-03-26"],
            )?,
            member(
                4,
                "Sipho",
                "Africa/Johannesburg",
                "mon-thu 22:00-06:00",
                &[],
            )?,
        ],
    };
    // Thabo's caseload is the hard one this week; Sipho's nights bring more crises.
    let loads = [
        Load {
            threat: 0,
            abuse: 3,
            urgent: 1,
            anger: 6,
            crossing: 3,
        },
        Load {
            threat: 4,
            abuse: 12,
            urgent: 2,
            anger: 15,
            crossing: 6,
        },
        Load {
            threat: 0,
            abuse: 2,
            urgent: 1,
            anger: 5,
            crossing: 3,
        },
        Load {
            threat: 0,
            abuse: 2,
            urgent: 6,
            anger: 4,
            crossing: 2,
        },
    ];
    let week_start = date(2026, 3, 23);
    let paris =
        TimeZone::get("Europe/Paris").map_err(|_| Error::TimeZone("Europe/Paris".into()))?;
    let at_paris = |d: Date, h: i8, m: i8| -> Result<Timestamp> {
        d.at(h, m, 0, 0)
            .to_zoned(paris.clone())
            .map(|z| z.timestamp())
            .map_err(|e| Error::Week {
                date: d,
                zone: "Europe/Paris".into(),
                reason: e.to_string(),
            })
    };
    let as_of = at_paris(date(2026, 3, 30), 8, 0)?;
    let rules = ExposureRules::default();
    let schedules = team.schedules()?;
    let mut book = Book {
        rng,
        records: Records::default(),
        conversation: 1000,
        commitment: 1,
        incident: 1,
        as_of,
    };

    // A seeded background: five to eight conversations a shift, one to three client messages
    // each, intense by each worker's caseload.
    for ((member, schedule), load) in team.members.iter().zip(&schedules).zip(&loads) {
        for offset in 0..7 {
            let day = week_start.checked_add(offset.days()).unwrap_or(week_start);
            let Some((start, end)) = schedule.schedule.shift_on(day) else {
                continue;
            };
            let shift_minutes = start.duration_until(end).as_mins().max(60);
            for _ in 0..5 + book.rng.below(4) {
                let mut at = start + book.rng.minutes(0, shift_minutes - 40);
                let mut messages = Vec::new();
                for _ in 0..1 + book.rng.below(3) {
                    let mut kinds = Vec::new();
                    for (percent, kind) in [
                        (load.threat, IntenseKind::ThreatToWorker),
                        (load.abuse, IntenseKind::AbuseAtWorker),
                        (load.urgent, IntenseKind::UrgentDisclosure),
                        (load.anger, IntenseKind::HighAnger),
                        (load.crossing, IntenseKind::BoundaryCrossing),
                    ] {
                        if book.rng.chance(percent) {
                            kinds.push(kind);
                        }
                    }
                    messages.push((at, kinds));
                    at += book.rng.minutes(3, 12);
                }
                book.conversation(member.id, messages);
            }
        }
    }

    // The week's story on top: Thabo's hard Wednesday afternoon and Thursday morning
    // (Johannesburg time), enough for breaks, debriefs and a supervisor notice.
    let joburg = TimeZone::get("Africa/Johannesburg")
        .map_err(|_| Error::TimeZone("Africa/Johannesburg".into()))?;
    use IntenseKind::{AbuseAtWorker as Abuse, HighAnger as Anger, ThreatToWorker as Threat};
    for (day, h, m, kinds) in [
        (25, 13, 5, vec![Threat, Anger]),
        (25, 13, 20, vec![Abuse]),
        (25, 13, 45, vec![Abuse, Anger]),
        (25, 15, 10, vec![Anger]),
        (26, 9, 10, vec![Threat]),
        (26, 9, 30, vec![Abuse, Anger]),
        (26, 9, 55, vec![Abuse]),
        (26, 11, 0, vec![Anger, IntenseKind::BoundaryCrossing]),
    ] {
        let at = date(2026, 3, day)
            .at(h, m, 0, 0)
            .to_zoned(joburg.clone())
            .map(|z| z.timestamp())
            .map_err(|e| Error::TimeZone(e.to_string()))?;
        book.conversation(2, vec![(at, kinds)]);
    }
    let Book {
        mut rng,
        mut records,
        incident: incident_id,
        commitment: commitment_id,
        ..
    } = book;

    // Work after hours: replies on two evenings, a Saturday morning, a Sunday.
    for (worker, day, h, m) in [
        (1, date(2026, 3, 24), 21, 10),
        (1, date(2026, 3, 24), 21, 25),
        (1, date(2026, 3, 25), 20, 40),
        (2, date(2026, 3, 28), 9, 0),
        (3, date(2026, 3, 29), 11, 15),
    ] {
        records.actions.push(WorkerAction {
            worker,
            at: at_paris(day, h, m)?,
        });
    }

    // Records just outside the week, which the report must leave out.
    records.commitments.push(CommitmentRecord {
        id: commitment_id,
        worker: 1,
        conversation: 999,
        kind: CommitmentKind::Promise,
        due_at: at_paris(date(2026, 3, 30), 0, 30)?,
        status: CommitmentStatus::Open,
        closed_at: None,
    });
    records.incidents.push(IncidentRecord {
        id: incident_id,
        worker: 2,
        conversation: 998,
        kind: IncidentKind::Abuse,
        severity: "high".to_string(),
        status: IncidentStatus::Resolved,
        created_at: at_paris(date(2026, 3, 22), 23, 30)?,
        resolved_at: Some(at_paris(date(2026, 3, 23), 10, 0)?),
    });

    // Prompts as the server raises them: the rules evaluated at the end of every day, each
    // prompt kept once by its key.
    let mut raised: BTreeMap<String, PromptRecord> = BTreeMap::new();
    for offset in 1..=7 {
        let night = week_start.checked_add(offset.days()).unwrap_or(week_start);
        let now = at_paris(night, 0, 0)? - SignedDuration::from_secs(1);
        for prompt in prompts(&rules, &records.interactions, now) {
            let taken_percent = match prompt.kind {
                PromptKind::Break => 70,
                PromptKind::Debrief => 60,
                PromptKind::SupervisorNotice => 100,
            };
            let taken = rng.chance(taken_percent);
            raised.entry(prompt.key.clone()).or_insert(PromptRecord {
                key: prompt.key,
                worker: prompt.worker,
                kind: prompt.kind,
                at: prompt.at,
                taken,
            });
        }
    }
    records.prompts = raised.into_values().collect();
    records.prompts.sort_by_key(|p| (p.at, p.worker));

    let johannesburg_nights =
        Schedule::new("Africa/Johannesburg", Some("fri-sun 22:00-06:00"), vec![])?;
    let paris_evenings = Schedule::new("Europe/Paris", Some("mon-thu 17:00-22:00"), vec![])?;
    let last = week_start.checked_add(6.days()).unwrap_or(week_start);
    let mut slots = OnCallRota::weekly(4, &johannesburg_nights, week_start, last);
    slots.extend(OnCallRota::weekly(1, &paris_evenings, week_start, last));
    let rota = OnCallRota::new(slots)?;

    Ok(Demo {
        team,
        week_start,
        as_of,
        rules,
        rota,
        records,
    })
}

/// How a commitment due at `due` stands at `as_of`: not yet due stays open; otherwise kept,
/// late, broken or still open (overdue) by the cumulative percentages `[kept, late, broken]`.
fn close(
    rng: &mut Rng,
    due: Timestamp,
    as_of: Timestamp,
    [kept, late, broken]: [u64; 3],
) -> (CommitmentStatus, Option<Timestamp>) {
    if due > as_of {
        return (CommitmentStatus::Open, None);
    }
    let roll = rng.below(100);
    if roll < kept {
        (CommitmentStatus::Kept, Some(due - rng.minutes(5, 600)))
    } else if roll < late {
        (
            CommitmentStatus::Late,
            Some((due + rng.minutes(30, 1440)).min(as_of)),
        )
    } else if roll < broken {
        (
            CommitmentStatus::Broken,
            Some((due + SignedDuration::from_hours(24)).min(as_of)),
        )
    } else {
        (CommitmentStatus::Open, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_is_the_same_every_time() {
        let a = organisation();
        let b = organisation();
        assert_eq!(a.records, b.records);
        assert_eq!(a.team.members.len(), 4);
        assert!(a.records.interactions.len() > 100);
    }
}
