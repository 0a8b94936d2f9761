//! Exposure thresholds fire exactly at their boundaries: at the threshold, never one below it.

use jiff::{SignedDuration, Timestamp};
use tact_wellbeing::exposure::{
    ExposureRules, IntenseKind, Interaction, Prompt, PromptKind, prompts, rolling_exposure,
    shift_exposure,
};

const ABUSE: IntenseKind = IntenseKind::AbuseAtWorker;
const THREAT: IntenseKind = IntenseKind::ThreatToWorker;
const ANGER: IntenseKind = IntenseKind::HighAnger;

/// Monday 23 November 2026, 12:00 UTC.
fn noon() -> Timestamp {
    "2026-11-23T12:00:00Z".parse().unwrap()
}

fn minutes(n: i64) -> SignedDuration {
    SignedDuration::from_mins(n)
}

fn hours(n: i64) -> SignedDuration {
    SignedDuration::from_hours(n)
}

/// One message in its own conversation.
fn hit(conversation: i64, at: Timestamp, kinds: &[IntenseKind]) -> Interaction {
    Interaction {
        worker: 1,
        conversation,
        at,
        kinds: kinds.to_vec(),
    }
}

fn of_kind(prompts: &[Prompt], kind: PromptKind) -> Vec<Prompt> {
    prompts.iter().filter(|p| p.kind == kind).cloned().collect()
}

#[test]
fn a_break_at_three_intense_conversations_within_sixty_minutes() {
    let rules = ExposureRules::default();
    let t0 = noon();
    let log = [
        hit(1, t0, &[ANGER]),
        hit(2, t0 + minutes(30), &[ABUSE]),
        hit(3, t0 + minutes(60), &[ANGER]),
    ];
    let breaks = of_kind(&prompts(&rules, &log, t0 + hours(2)), PromptKind::Break);
    assert_eq!(
        breaks.len(),
        1,
        "exactly 60 minutes apart is within the window"
    );
    assert_eq!(breaks[0].at, t0 + minutes(60));
    assert_eq!(
        breaks[0].key,
        format!("break:1:{}", (t0 + minutes(60)).as_second())
    );
    assert!(
        breaks[0]
            .reason
            .starts_with("3 intense interactions within 60 minutes")
    );

    // One minute more, and the first falls out of the window.
    let late = [
        log[0].clone(),
        log[1].clone(),
        hit(3, t0 + minutes(61), &[ANGER]),
    ];
    assert!(of_kind(&prompts(&rules, &late, t0 + hours(2)), PromptKind::Break).is_empty());

    // One conversation fewer: no break.
    assert!(
        of_kind(
            &prompts(&rules, &log[..2], t0 + hours(2)),
            PromptKind::Break
        )
        .is_empty()
    );

    // Three messages in one conversation are one intense interaction.
    let same: Vec<Interaction> = (0..3).map(|n| hit(7, t0 + minutes(n), &[ABUSE])).collect();
    assert!(of_kind(&prompts(&rules, &same, t0 + hours(2)), PromptKind::Break).is_empty());

    // A message after `now` has not happened yet.
    assert!(of_kind(&prompts(&rules, &log, t0 + minutes(59)), PromptKind::Break).is_empty());
}

#[test]
fn the_count_starts_again_after_a_break() {
    let rules = ExposureRules::default();
    let log: Vec<Interaction> = (0..6)
        .map(|n| hit(n, noon() + minutes(n), &[ABUSE]))
        .collect();
    let breaks = of_kind(&prompts(&rules, &log, noon() + hours(1)), PromptKind::Break);
    let at: Vec<Timestamp> = breaks.iter().map(|b| b.at).collect();
    assert_eq!(at, vec![noon() + minutes(2), noon() + minutes(5)]);
}

#[test]
fn a_debrief_after_any_urgent_disclosure_or_threat() {
    let rules = ExposureRules::default();
    let log = [
        hit(1, noon(), &[IntenseKind::UrgentDisclosure]),
        hit(2, noon() + hours(1), &[THREAT, ABUSE]),
        hit(
            3,
            noon() + hours(2),
            &[ABUSE, ANGER, IntenseKind::BoundaryCrossing],
        ),
    ];
    let debriefs = of_kind(
        &prompts(&rules, &log, noon() + hours(3)),
        PromptKind::Debrief,
    );
    let keys: Vec<&str> = debriefs.iter().map(|p| p.key.as_str()).collect();
    assert_eq!(
        keys,
        vec![
            "debrief:1:1:urgent_disclosure",
            "debrief:1:2:threat_to_worker"
        ]
    );
    assert_eq!(debriefs[1].conversation, Some(2));
    let off = ExposureRules {
        debrief: tact_wellbeing::exposure::DebriefRule {
            on_urgent_disclosure: false,
            on_threat: true,
        },
        ..ExposureRules::default()
    };
    assert_eq!(
        of_kind(&prompts(&off, &log, noon() + hours(3)), PromptKind::Debrief).len(),
        1
    );
}

/// Threats on distinct days, two a day at most (10 a day: below five high days).
fn threats(count: i64, now: Timestamp) -> Vec<Interaction> {
    (0..count)
        .map(|n| hit(100 + n, now - hours(24 * (n / 2) + 1 + n % 2), &[THREAT]))
        .collect()
}

#[test]
fn a_supervisor_notice_at_a_rolling_exposure_of_forty() {
    let rules = ExposureRules::default();
    let now = noon();
    let forty = threats(8, now);
    assert_eq!(rolling_exposure(&rules, &forty, 1, now, 7).score, 40);
    let notices = of_kind(&prompts(&rules, &forty, now), PromptKind::SupervisorNotice);
    assert_eq!(notices.len(), 1);
    assert_eq!(notices[0].key, "supervisor:1:2026-W48");
    assert!(notices[0].reason.contains("is 40"), "{}", notices[0].reason);

    // 39: seven threats and two bouts of anger.
    let mut below = threats(7, now);
    below.push(hit(200, now - hours(100), &[ANGER]));
    below.push(hit(201, now - hours(120), &[ANGER]));
    assert_eq!(rolling_exposure(&rules, &below, 1, now, 7).score, 39);
    assert!(of_kind(&prompts(&rules, &below, now), PromptKind::SupervisorNotice).is_empty());
}

#[test]
fn the_rolling_window_includes_now_and_excludes_seven_days_ago() {
    let rules = ExposureRules::default();
    let now = noon();
    let week = hours(24 * 7);
    let log = [
        hit(1, now - week, &[THREAT]),
        hit(2, now - week + SignedDuration::from_secs(1), &[ABUSE]),
        hit(3, now, &[ANGER]),
        hit(4, now + SignedDuration::from_secs(1), &[THREAT]),
    ];
    let e = rolling_exposure(&rules, &log, 1, now, 7);
    assert_eq!((e.score, e.intense), (5, 2));
}

#[test]
fn a_supervisor_notice_at_five_high_days_of_fourteen() {
    let rules = ExposureRules::default();
    let now = noon();
    // Exactly 10 on five days, three of them in the last week (rolling exposure 30 < 40).
    let day = |back: i64, conversation: i64| {
        hit(conversation, now - hours(24 * back + 2), &[THREAT, THREAT])
    };
    let high = |days: &[i64]| -> Vec<Interaction> {
        days.iter()
            .enumerate()
            .flat_map(|(n, &back)| {
                let c = 10 * n as i64;
                [
                    day(back, c),
                    hit(c + 1, now - hours(24 * back + 3), &[THREAT]),
                ]
            })
            .collect()
    };
    let five = high(&[0, 3, 6, 9, 12]);
    assert_eq!(rolling_exposure(&rules, &five, 1, now, 7).score, 30);
    let notices = of_kind(&prompts(&rules, &five, now), PromptKind::SupervisorNotice);
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert!(notices[0].reason.contains("on 5 of the last 14 days"));

    // The fifth day falls just outside the fourteen: four high days, no notice.
    let four = high(&[0, 3, 6, 9, 14]);
    assert!(of_kind(&prompts(&rules, &four, now), PromptKind::SupervisorNotice).is_empty());

    // A day at 9 is not a high day.
    let mut nine = high(&[0, 3, 6, 9]);
    nine.push(hit(90, now - hours(24 * 12 + 2), &[THREAT]));
    nine.push(hit(91, now - hours(24 * 12 + 3), &[ABUSE]));
    nine.push(hit(
        92,
        now - hours(24 * 12 + 4),
        &[IntenseKind::BoundaryCrossing],
    ));
    assert_eq!(
        shift_exposure(&rules, &nine, 1, now - hours(24 * 13), now - hours(24 * 12)).score,
        9
    );
    assert!(of_kind(&prompts(&rules, &nine, now), PromptKind::SupervisorNotice).is_empty());
}

#[test]
fn prompt_keys_are_stable_across_evaluations() {
    let rules = ExposureRules::default();
    let now = noon();
    let log = threats(8, now);
    let first = prompts(&rules, &log, now);
    let later = prompts(&rules, &log, now + hours(5));
    let keys = |p: &[Prompt]| p.iter().map(|p| p.key.clone()).collect::<Vec<_>>();
    assert_eq!(keys(&first), keys(&later));
    // Next ISO week, a new notice if the load is still high.
    let next_week: Vec<Interaction> = threats(8, now + hours(24 * 7));
    let notice = of_kind(
        &prompts(&rules, &next_week, now + hours(24 * 7)),
        PromptKind::SupervisorNotice,
    );
    assert_eq!(notice[0].key, "supervisor:1:2026-W49");
}

#[test]
fn an_organisations_own_rules_from_a_file() {
    let rules = ExposureRules::from_toml(include_str!("fixtures/exposure_rules.toml")).unwrap();
    assert_eq!(rules.pause.intense, 2);
    assert_eq!(
        rules.weights.threat_to_worker, 5,
        "unset weights keep their default"
    );
    let t0 = noon();
    let log = [
        hit(1, t0, &[IntenseKind::BoundaryCrossing]),
        hit(2, t0 + minutes(10), &[ABUSE]),
        hit(3, t0 + minutes(40), &[ABUSE]),
    ];
    // The crossing weighs nothing, so only the two abusive conversations, 30 minutes apart, count.
    let breaks = of_kind(&prompts(&rules, &log, t0 + hours(1)), PromptKind::Break);
    assert_eq!(breaks.len(), 1);
    assert_eq!(breaks[0].at, t0 + minutes(40));
    assert_eq!(shift_exposure(&rules, &log, 1, t0, t0 + hours(1)).score, 6);
    // Anger at 0.75 is below this organisation's threshold.
    let analysis = serde_json::json!({"emotions": [{"emotion": "anger", "intensity": 0.75}]});
    assert!(
        Interaction::from_analysis(1, 1, t0, &analysis, &rules)
            .kinds
            .is_empty()
    );
}
