//! The weekly report adds up to its input records, follows the team's time zone at the week's
//! edges (also across daylight-saving changes), and renders a page a supervisor can read in a
//! minute.

use jiff::Timestamp;
use jiff::civil::date;
use tact_wellbeing::demo;
use tact_wellbeing::exposure::{ExposureRules, PromptKind, shift_exposure};
use tact_wellbeing::report::{
    CommitmentCounts, CommitmentKind, CommitmentStatus, IncidentStatus, Member, Records, Team,
    WeeklyReport, week_bounds,
};

fn team(members: &[(i64, &str, &str)]) -> Team {
    Team {
        name: "Test team".to_string(),
        time_zone: "Europe/Paris".to_string(),
        members: members
            .iter()
            .map(|&(id, name, zone)| Member {
                id,
                name: name.to_string(),
                time_zone: zone.to_string(),
                working_hours: Some("mon-fri 09:00-17:00".to_string()),
                days_off: vec![],
            })
            .collect(),
    }
}

fn fixture() -> Records {
    toml::from_str(include_str!("fixtures/week_records.toml")).unwrap()
}

fn as_of() -> Timestamp {
    "2026-03-30T08:00:00+02:00".parse().unwrap()
}

#[test]
fn the_week_follows_the_teams_zone_across_spring_forward() {
    let team = team(&[
        (1, "Amélie", "Europe/Paris"),
        (2, "Thabo", "Africa/Johannesburg"),
    ]);
    let report = WeeklyReport::build(
        &team,
        date(2026, 3, 23),
        &fixture(),
        &ExposureRules::default(),
        as_of(),
    )
    .unwrap();
    assert_eq!(report.from.to_string(), "2026-03-22T23:00:00Z");
    assert_eq!(report.until.to_string(), "2026-03-29T22:00:00Z");
    let amelie = &report.workers[0];
    // Sunday 23:30 in; next Monday 00:30 and the previous Sunday 23:30 out.
    assert_eq!(
        amelie.promises,
        CommitmentCounts {
            due: 1,
            kept: 1,
            ..CommitmentCounts::default()
        }
    );
    // Monday 00:00 exactly is in.
    assert_eq!((amelie.follow_ups.due, amelie.follow_ups.late), (1, 1));
    let thabo = &report.workers[1];
    assert_eq!((thabo.follow_ups.open, thabo.follow_ups.overdue), (1, 1));
    assert_eq!((thabo.incidents.reported, thabo.incidents.resolved), (1, 1));
    assert_eq!(
        thabo.exposure.score, 5,
        "the abuse on Monday 00:30 is next week's"
    );
    assert_eq!(thabo.exposure.debriefs.suggested, 1);
    assert_eq!(thabo.exposure.debriefs.taken, 0);
    // A Sunday evening in Paris for a Monday-to-Friday worker.
    assert_eq!(amelie.out_of_hours.outside, 1);
    // Another team's worker is not counted.
    assert_eq!(report.totals.promises.due, 1);
    assert!(
        report
            .challenges
            .iter()
            .any(|c| c.contains("not held yet: Thabo (1)")),
        "{:?}",
        report.challenges
    );
}

#[test]
fn the_week_follows_the_teams_zone_across_fall_back() {
    // Clocks go back on Sunday 25 October 2026: the week is 169 hours long.
    let (from, until) = week_bounds("Europe/Paris", date(2026, 10, 19)).unwrap();
    assert_eq!(from.duration_until(until).as_hours(), 169);
    let sunday: Timestamp = "2026-10-25T23:30:00+01:00".parse().unwrap();
    let monday: Timestamp = "2026-10-26T00:30:00+01:00".parse().unwrap();
    assert!(from <= sunday && sunday < until);
    assert!(monday >= until);
    // The same week in Johannesburg (no daylight saving) is 168 hours.
    let (from, until) = week_bounds("Africa/Johannesburg", date(2026, 10, 19)).unwrap();
    assert_eq!(from.duration_until(until).as_hours(), 168);
}

#[test]
fn the_demo_report_adds_up_to_its_records() {
    let demo = demo::organisation();
    let report = demo.report().unwrap();
    let (from, until) = (report.from, report.until);
    let in_week = |at: Timestamp| from <= at && at < until;
    let team: Vec<i64> = demo.team.members.iter().map(|m| m.id).collect();
    let ours = |worker: i64| team.contains(&worker);
    let r = &demo.records;

    // Every commitment due in the week is counted exactly once, in one status.
    for kind in [CommitmentKind::Promise, CommitmentKind::FollowUp] {
        let due: Vec<_> = r
            .commitments
            .iter()
            .filter(|c| c.kind == kind && ours(c.worker) && in_week(c.due_at))
            .collect();
        let totals = match kind {
            CommitmentKind::Promise => report.totals.promises,
            CommitmentKind::FollowUp => report.totals.follow_ups,
        };
        let with = |s: CommitmentStatus| due.iter().filter(|c| c.status == s).count() as u32;
        assert_eq!(totals.due, due.len() as u32);
        assert_eq!(totals.kept, with(CommitmentStatus::Kept));
        assert_eq!(totals.late, with(CommitmentStatus::Late));
        assert_eq!(totals.broken, with(CommitmentStatus::Broken));
        assert_eq!(totals.open, with(CommitmentStatus::Open));
        assert_eq!(
            totals.due,
            totals.kept + totals.late + totals.broken + totals.open
        );
        assert!(totals.due > 0, "the demo has {kind:?}s");
    }

    let incidents: Vec<_> = r
        .incidents
        .iter()
        .filter(|i| ours(i.worker) && in_week(i.created_at))
        .collect();
    let t = &report.totals.incidents;
    assert_eq!(t.reported, incidents.len() as u32);
    assert_eq!(
        t.resolved,
        incidents
            .iter()
            .filter(|i| i.status == IncidentStatus::Resolved)
            .count() as u32
    );
    assert_eq!(t.reported, t.open + t.in_progress + t.resolved);
    assert_eq!(t.by_kind.values().sum::<u32>(), t.reported);
    assert!(
        r.incidents.len() as u32 > t.reported,
        "the demo has an incident outside the week"
    );

    let prompts: Vec<_> = r
        .prompts
        .iter()
        .filter(|p| ours(p.worker) && in_week(p.at))
        .collect();
    let e = &report.totals.exposure;
    assert_eq!(
        e.breaks.suggested + e.debriefs.suggested + e.notices.suggested,
        prompts.len() as u32
    );
    assert_eq!(
        e.breaks.taken + e.debriefs.taken + e.notices.taken,
        prompts.iter().filter(|p| p.taken).count() as u32
    );
    assert!(e.breaks.suggested > 0 && e.debriefs.suggested > 0);

    // Worker rows add up to the team row, and match exposure computed independently.
    let mut sum = CommitmentCounts::default();
    let mut score = 0;
    for w in &report.workers {
        sum.due += w.promises.due;
        sum.kept += w.promises.kept;
        sum.overdue += w.promises.overdue;
        score += w.exposure.score;
        assert_eq!(
            w.exposure.score,
            shift_exposure(&demo.rules, &r.interactions, w.worker, from, until).score
        );
    }
    assert_eq!(
        (sum.due, sum.kept, sum.overdue),
        (
            report.totals.promises.due,
            report.totals.promises.kept,
            report.totals.promises.overdue
        )
    );
    assert_eq!(score, e.score);
    let outside: u32 = report.workers.iter().map(|w| w.out_of_hours.outside).sum();
    assert_eq!(outside, report.totals.out_of_hours_actions);
}

#[test]
fn the_demo_shows_what_a_supervisor_needs() {
    let demo = demo::organisation();
    let report = demo.report().unwrap();
    assert_eq!(report.workers.len(), 4);
    assert!(!report.successes.is_empty() && report.successes.len() <= 6);
    assert!(!report.challenges.is_empty() && report.challenges.len() <= 6);
    let thabo = &report.workers[1];
    assert!(
        thabo.exposure.notices.suggested > 0,
        "the demo's heaviest load reaches a supervisor notice: {:?}",
        thabo.exposure
    );
    assert!(report.workers[0].out_of_hours.distinct_days() >= 2);
    assert!(
        demo.records
            .prompts
            .iter()
            .any(|p| p.kind == PromptKind::SupervisorNotice)
    );
    // The demo's rota covers someone on weekend nights.
    assert!(!demo.rota.slots.is_empty());
}

#[test]
fn the_demo_report_renders_as_an_accessible_page() {
    let report = demo::organisation().report().unwrap();
    let html = report.to_html();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<html lang=\"en\">"));
    assert!(html.contains("<th scope=\"col\">") && html.contains("<th scope=\"row\">"));
    assert!(!html.contains("<script") && !html.contains("http://") && !html.contains("https://"));
    assert!(!html.contains("<link") && !html.contains("@import") && !html.contains("url("));
    let key = html.find("Key numbers").unwrap();
    assert!(key < html.find("What went well").unwrap());
    assert!(html.find("What went well").unwrap() < html.find("<table>").unwrap());
    assert_eq!(html.matches("<tr><th scope=\"row\">").count(), 5);

    let json = report.to_json();
    assert_eq!(json["workers"].as_array().unwrap().len(), 4);
    assert_eq!(json["week_start"], "2026-03-23");
    let back: WeeklyReport = serde_json::from_value(json).unwrap();
    assert_eq!(back, report);

    // Written next to the build output for a look; never committed.
    let target = std::env::var("CARGO_TARGET_DIR")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../../target").to_string());
    let dir = std::path::Path::new(&target).join("wellbeing");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("demo-weekly-report.html"), &html).unwrap();
    std::fs::write(
        dir.join("demo-weekly-report.json"),
        serde_json::to_string_pretty(&report.to_json()).unwrap(),
    )
    .unwrap();
}

#[test]
fn names_and_text_are_escaped() {
    let mut team = team(&[(1, "<b>Jo & \"Sam\"</b>", "Europe/Paris")]);
    team.name = "Team <script>alert(1)</script>".to_string();
    let report = WeeklyReport::build(
        &team,
        date(2026, 3, 23),
        &Records::default(),
        &ExposureRules::default(),
        as_of(),
    )
    .unwrap();
    let html = report.to_html();
    assert!(!html.contains("<script>"));
    assert!(html.contains("&lt;script&gt;"));
    assert!(html.contains("&lt;b&gt;Jo &amp; &quot;Sam&quot;&lt;/b&gt;"));
}

#[test]
fn a_week_must_start_on_monday() {
    let team = team(&[]);
    let e = WeeklyReport::build(
        &team,
        date(2026, 3, 25),
        &Records::default(),
        &ExposureRules::default(),
        as_of(),
    )
    .unwrap_err();
    assert!(e.to_string().contains("week starting 2026-03-25"), "{e}");
}
