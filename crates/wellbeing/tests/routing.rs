//! The routing scenarios of issue 7: a message after hours waits for the next shift (across
//! weekends, holidays and daylight-saving changes in Europe/Paris and America/New_York); an urgent
//! one reaches the worker on call at once, a colleague on duty otherwise, and is reported as
//! unstaffed when there is nobody, never queued.

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use serde::Deserialize;
use tact_wellbeing::schedule::{
    DayOff, OnCallRota, OnCallSlot, Routing, RoutingPolicy, WorkerSchedule, route,
};

#[derive(Deserialize)]
struct Fixture {
    worker: Vec<Worker>,
    on_call: Vec<OnCallSlot>,
}

#[derive(Deserialize)]
struct Worker {
    id: i64,
    time_zone: String,
    hours: Option<String>,
    #[serde(default)]
    days_off: Vec<DayOff>,
}

struct World {
    workers: Vec<WorkerSchedule>,
    rota: OnCallRota,
}

impl World {
    fn load() -> World {
        let fixture: Fixture = toml::from_str(include_str!("fixtures/schedules.toml")).unwrap();
        let workers = fixture
            .worker
            .iter()
            .map(|w| {
                WorkerSchedule::from_worker(
                    w.id,
                    &w.time_zone,
                    w.hours.as_deref(),
                    w.days_off.clone(),
                )
                .unwrap()
            })
            .collect();
        World {
            workers,
            rota: OnCallRota::new(fixture.on_call).unwrap(),
        }
    }

    fn worker(&self, id: i64) -> &WorkerSchedule {
        self.workers.iter().find(|w| w.worker == id).unwrap()
    }

    /// Routes a message for `id` with only that worker in the team and the fixture's rota.
    fn route_alone(&self, id: i64, at: Timestamp, urgent: bool) -> Routing {
        let me = self.worker(id);
        route(
            at,
            urgent,
            me,
            std::slice::from_ref(me),
            &self.rota,
            RoutingPolicy {
                after_hours_reply: true,
            },
        )
    }
}

/// A local wall-clock time in a zone, as a moment.
fn local(text: &str, zone: &str) -> Timestamp {
    let civil: DateTime = text.parse().unwrap();
    civil
        .to_zoned(TimeZone::get(zone).unwrap())
        .unwrap()
        .timestamp()
}

fn utc(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn deferred_until(routing: Routing) -> Timestamp {
    match routing {
        Routing::Defer {
            until,
            after_hours_reply: true,
            ..
        } => until,
        other => panic!("expected a deferral with the after-hours reply, got {other:?}"),
    }
}

#[test]
fn a_message_at_22_30_waits_for_the_next_morning() {
    let world = World::load();
    let at = local("2026-11-23T22:30", "Europe/Paris");
    assert_eq!(
        deferred_until(world.route_alone(1, at, false)),
        local("2026-11-24T09:00", "Europe/Paris")
    );
    assert_eq!(
        deferred_until(world.route_alone(1, at, false)),
        utc("2026-11-24T08:00:00Z")
    );
}

#[test]
fn a_message_during_hours_is_notified_now() {
    let world = World::load();
    let at = local("2026-11-23T16:59", "Europe/Paris");
    assert_eq!(
        world.route_alone(1, at, false),
        Routing::NotifyNow { worker: 1 }
    );
    assert_eq!(
        world.route_alone(1, at, true),
        Routing::NotifyNow { worker: 1 }
    );
}

#[test]
fn a_friday_night_message_waits_for_monday() {
    let world = World::load();
    let at = local("2026-11-27T22:30", "Europe/Paris");
    assert_eq!(
        deferred_until(world.route_alone(1, at, false)),
        local("2026-11-30T09:00", "Europe/Paris")
    );
}

#[test]
fn a_holiday_is_skipped() {
    let world = World::load();
    // Christmas 2026 is a Friday and a day off: Thursday night's message waits until Monday.
    let at = local("2026-12-24T22:30", "Europe/Paris");
    assert_eq!(
        deferred_until(world.route_alone(1, at, false)),
        local("2026-12-28T09:00", "Europe/Paris")
    );
}

#[test]
fn the_after_hours_reply_follows_the_policy() {
    let world = World::load();
    let me = world.worker(1);
    let at = local("2026-11-23T22:30", "Europe/Paris");
    let routing = route(at, false, me, &[], &world.rota, RoutingPolicy::default());
    assert_eq!(
        routing,
        Routing::Defer {
            worker: 1,
            until: local("2026-11-24T09:00", "Europe/Paris"),
            after_hours_reply: false,
        }
    );
}

#[test]
fn the_night_before_spring_forward_in_paris() {
    let world = World::load();
    // Saturday 28 March 2026, 22:30 CET (UTC+1); the clocks go to 03:00 at 02:00 on Sunday.
    let at = local("2026-03-28T22:30", "Europe/Paris");
    assert_eq!(at, utc("2026-03-28T21:30:00Z"));
    // Monday-to-Friday: Monday 09:00 CEST, which is 07:00 UTC, not 08:00.
    assert_eq!(
        deferred_until(world.route_alone(1, at, false)),
        utc("2026-03-30T07:00:00Z")
    );
    // Every day: Sunday 09:00 CEST, nine and a half hours later, not ten and a half.
    assert_eq!(
        deferred_until(world.route_alone(3, at, false)),
        utc("2026-03-29T07:00:00Z")
    );
}

#[test]
fn the_night_before_fall_back_in_paris() {
    let world = World::load();
    // Saturday 24 October 2026, 22:30 CEST (UTC+2); at 03:00 on Sunday the clocks go back to 02:00.
    let at = local("2026-10-24T22:30", "Europe/Paris");
    assert_eq!(at, utc("2026-10-24T20:30:00Z"));
    assert_eq!(
        deferred_until(world.route_alone(3, at, false)),
        utc("2026-10-25T08:00:00Z")
    );
    assert_eq!(
        deferred_until(world.route_alone(1, at, false)),
        utc("2026-10-26T08:00:00Z")
    );
}

#[test]
fn the_night_before_spring_forward_in_new_york() {
    let world = World::load();
    // Saturday 7 March 2026, 22:30 EST (UTC-5); clocks go forward on Sunday at 02:00.
    let at = local("2026-03-07T22:30", "America/New_York");
    assert_eq!(at, utc("2026-03-08T03:30:00Z"));
    assert_eq!(
        deferred_until(world.route_alone(4, at, false)),
        utc("2026-03-08T13:00:00Z")
    );
    assert_eq!(
        deferred_until(world.route_alone(2, at, false)),
        utc("2026-03-09T13:00:00Z")
    );
}

#[test]
fn the_night_before_fall_back_in_new_york() {
    let world = World::load();
    // Saturday 31 October 2026, 22:30 EDT (UTC-4); clocks go back on Sunday at 02:00.
    let at = local("2026-10-31T22:30", "America/New_York");
    assert_eq!(at, utc("2026-11-01T02:30:00Z"));
    assert_eq!(
        deferred_until(world.route_alone(4, at, false)),
        utc("2026-11-01T14:00:00Z")
    );
    assert_eq!(
        deferred_until(world.route_alone(2, at, false)),
        utc("2026-11-02T14:00:00Z")
    );
}

#[test]
fn a_night_shift_across_spring_forward_is_an_hour_short() {
    let world = World::load();
    let nights = &world.worker(5).schedule;
    let (start, end) = nights
        .current_shift(local("2026-03-29T03:30", "Europe/Paris"))
        .unwrap();
    assert_eq!(start, utc("2026-03-28T21:00:00Z"));
    assert_eq!(end, utc("2026-03-29T04:00:00Z"));
    assert!(nights.on_duty(utc("2026-03-29T03:59:59Z")));
    assert!(!nights.on_duty(end));
}

#[test]
fn a_shift_starting_in_the_gap_starts_after_it() {
    let world = World::load();
    // 02:30 does not exist in Paris on 29 March 2026: the shift starts at 03:30 CEST.
    let at = local("2026-03-28T22:30", "Europe/Paris");
    assert_eq!(
        deferred_until(world.route_alone(6, at, false)),
        utc("2026-03-29T01:30:00Z")
    );
}

#[test]
fn an_urgent_message_at_22_30_reaches_the_worker_on_call_at_once() {
    let world = World::load();
    let at = local("2026-11-23T22:30", "Europe/Paris");
    assert_eq!(
        world.route_alone(1, at, true),
        Routing::OnCall { worker: 9 }
    );
}

#[test]
fn an_urgent_message_with_nobody_on_call_is_unstaffed() {
    let world = World::load();
    // Tuesday 22:30: the rota covers only Monday night.
    let at = local("2026-11-24T22:30", "Europe/Paris");
    let routing = world.route_alone(1, at, true);
    assert_eq!(routing, Routing::Unstaffed { assigned: 1 });
    let json = serde_json::to_value(routing).unwrap();
    assert_eq!(json["route"], "unstaffed");
}

#[test]
fn an_urgent_message_goes_to_a_colleague_on_duty_when_nobody_is_on_call() {
    let world = World::load();
    // Tuesday 22:30 in Paris is 16:30 in New York, where worker 2 is at work.
    let at = local("2026-11-24T22:30", "Europe/Paris");
    let team = [world.worker(1).clone(), world.worker(2).clone()];
    let routing = route(
        at,
        true,
        world.worker(1),
        &team,
        &world.rota,
        RoutingPolicy::default(),
    );
    assert_eq!(routing, Routing::Colleague { worker: 2 });
    // The same message, not urgent, stays with its own worker.
    let routing = route(
        at,
        false,
        world.worker(1),
        &team,
        &world.rota,
        RoutingPolicy::default(),
    );
    assert!(matches!(routing, Routing::Defer { worker: 1, .. }));
}

#[test]
fn a_worker_away_for_months_needs_another_owner() {
    let away = WorkerSchedule::from_worker(
        8,
        "Europe/Paris",
        Some("mon-fri 09:00-17:00"),
        vec!["2026-11-01..2027-02-28".parse().unwrap()],
    )
    .unwrap();
    let routing = route(
        local("2026-11-23T10:00", "Europe/Paris"),
        false,
        &away,
        &[],
        &OnCallRota::default(),
        RoutingPolicy::default(),
    );
    assert_eq!(
        routing,
        Routing::Reassign {
            worker: 8,
            after_hours_reply: false
        }
    );
}
