//! Exposure: how much difficult contact a worker has absorbed, and when to suggest a break, a
//! debrief or a supervisor's attention (P6, P14, P16, P22).
//!
//! Burn-out rarely comes from one hard conversation; it comes from many, close together, with no
//! pause and nobody to talk to. So tact counts *intense* interactions (a threat or abuse aimed at
//! the worker, an urgent disclosure, strong anger, a boundary crossing), weighs them by severity,
//! and turns the sums into prompts. The rules are data ([`ExposureRules`], loadable from TOML and
//! documented in `crates/wellbeing/EXPOSURE.md`) because every organisation judges its own load.
//!
//! Every threshold is inclusive (`>=`): "3 intense interactions within 60 minutes" fires on the
//! third one when the first and the third are at most 60 minutes apart.
//!
//! Nothing here reads a clock or stores anything: the server passes the interactions it has (one
//! per analysed *client* message, from the stored analysis JSON) and the current time, records the
//! [`Prompt`]s it gets back under their [`Prompt::key`] (so a prompt is raised once however often
//! the rules are evaluated) and whether the worker took them.

use crate::error::{Error, Result};
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// What makes an interaction intense for the worker. Each kind has a weight in [`Weights`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IntenseKind {
    /// A threat of violence or harm (`abuse.threat`), taken as aimed at the worker unless the
    /// analysis says it is not.
    ThreatToWorker,
    /// Insults, harassment or slurs aimed at the worker (`abuse.insult`, `abuse.harassment`,
    /// `abuse.slur`; `abuse.profanity` only when the analysis marks it as targeted).
    AbuseAtWorker,
    /// An asserted disclosure of urgent severity: self-harm, a threat to life.
    UrgentDisclosure,
    /// Anger at or above [`ExposureRules::anger_threshold`].
    HighAnger,
    /// A boundary crossing toward the worker (`crossing.*`, except contact after hours, which is
    /// about the clock rather than the client's behaviour and is handled by the schedule).
    BoundaryCrossing,
}

impl IntenseKind {
    /// Every kind, most severe first by default weight.
    pub const ALL: [IntenseKind; 5] = [
        IntenseKind::ThreatToWorker,
        IntenseKind::UrgentDisclosure,
        IntenseKind::AbuseAtWorker,
        IntenseKind::HighAnger,
        IntenseKind::BoundaryCrossing,
    ];

    /// The stable name used in JSON, TOML and prompt keys.
    pub fn as_str(self) -> &'static str {
        match self {
            IntenseKind::ThreatToWorker => "threat_to_worker",
            IntenseKind::AbuseAtWorker => "abuse_at_worker",
            IntenseKind::UrgentDisclosure => "urgent_disclosure",
            IntenseKind::HighAnger => "high_anger",
            IntenseKind::BoundaryCrossing => "boundary_crossing",
        }
    }

    /// `n` of this kind, in words: "3 threats", "1 urgent disclosure".
    pub fn counted(self, n: u32) -> String {
        let (one, many) = match self {
            IntenseKind::ThreatToWorker => ("threat", "threats"),
            IntenseKind::AbuseAtWorker => ("abusive contact", "abusive contacts"),
            IntenseKind::UrgentDisclosure => ("urgent disclosure", "urgent disclosures"),
            IntenseKind::HighAnger => ("strongly angry contact", "strongly angry contacts"),
            IntenseKind::BoundaryCrossing => ("boundary crossing", "boundary crossings"),
        };
        format!("{n} {}", if n == 1 { one } else { many })
    }

    /// A short phrase for people (reports, prompt reasons); never any client's words.
    pub fn label(self) -> &'static str {
        match self {
            IntenseKind::ThreatToWorker => "threat",
            IntenseKind::AbuseAtWorker => "abuse",
            IntenseKind::UrgentDisclosure => "urgent disclosure",
            IntenseKind::HighAnger => "strong anger",
            IntenseKind::BoundaryCrossing => "boundary crossing",
        }
    }
}

/// How much each kind of intense interaction weighs. A weight of 0 turns the kind off: it neither
/// adds to exposure nor makes an interaction intense.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Weights {
    /// A threat aimed at the worker. Default 5: the heaviest, it is also a safety matter.
    pub threat_to_worker: u32,
    /// Abuse aimed at the worker. Default 3.
    pub abuse_at_worker: u32,
    /// An urgent disclosure (self-harm, threat to life). Default 4: holding someone's crisis is
    /// heavy even when the client is kind.
    pub urgent_disclosure: u32,
    /// Strong anger. Default 2.
    pub high_anger: u32,
    /// A boundary crossing. Default 1.
    pub boundary_crossing: u32,
}

impl Default for Weights {
    fn default() -> Weights {
        Weights {
            threat_to_worker: 5,
            abuse_at_worker: 3,
            urgent_disclosure: 4,
            high_anger: 2,
            boundary_crossing: 1,
        }
    }
}

impl Weights {
    /// The weight of one kind.
    pub fn of(&self, kind: IntenseKind) -> u32 {
        match kind {
            IntenseKind::ThreatToWorker => self.threat_to_worker,
            IntenseKind::AbuseAtWorker => self.abuse_at_worker,
            IntenseKind::UrgentDisclosure => self.urgent_disclosure,
            IntenseKind::HighAnger => self.high_anger,
            IntenseKind::BoundaryCrossing => self.boundary_crossing,
        }
    }
}

/// When to suggest a break: after `intense` intense interactions, the first and the last at most
/// `window_minutes` apart. After a break prompt the count starts again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BreakRule {
    /// How many intense interactions. Default 3.
    pub intense: u32,
    /// Within how many minutes. Default 60.
    pub window_minutes: u32,
}

impl Default for BreakRule {
    fn default() -> BreakRule {
        BreakRule {
            intense: 3,
            window_minutes: 60,
        }
    }
}

/// When to suggest a debrief with a supervisor: once per conversation, at the first urgent
/// disclosure or threat in it (P6: seek support; never carry it alone).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DebriefRule {
    /// After an urgent disclosure. Default true.
    pub on_urgent_disclosure: bool,
    /// After a threat aimed at the worker. Default true.
    pub on_threat: bool,
}

impl Default for DebriefRule {
    fn default() -> DebriefRule {
        DebriefRule {
            on_urgent_disclosure: true,
            on_threat: true,
        }
    }
}

/// When to tell a supervisor that a worker's load stays high: the rolling exposure over
/// `rolling_days` reaches `rolling_score`, or the exposure of single days reaches `daily_score`
/// on at least `high_days` of the last `of_days` days. Days are 24-hour periods counted back
/// from the moment of evaluation, so the rule reads the same in every time zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SupervisorRule {
    /// Length of the rolling window, in days. Default 7.
    pub rolling_days: u32,
    /// Rolling exposure that calls for a notice. Default 40: about eight threats, or thirteen
    /// abusive conversations, in a week.
    pub rolling_score: u32,
    /// Exposure that makes a single day a high day. Default 10.
    pub daily_score: u32,
    /// How many high days call for a notice. Default 5.
    pub high_days: u32,
    /// Out of how many recent days. Default 14.
    pub of_days: u32,
}

impl Default for SupervisorRule {
    fn default() -> SupervisorRule {
        SupervisorRule {
            rolling_days: 7,
            rolling_score: 40,
            daily_score: 10,
            high_days: 5,
            of_days: 14,
        }
    }
}

/// The whole rule set. Defaults, as a TOML file (every setting may be left out):
///
/// ```toml
/// anger_threshold = 0.7          # anger intensity (0–1) that counts as strong
/// once_per_conversation = true   # each kind counts once per conversation in a window
///
/// [weights]
/// threat_to_worker = 5
/// urgent_disclosure = 4
/// abuse_at_worker = 3
/// high_anger = 2
/// boundary_crossing = 1
///
/// [break]                        # a break after 3 intense interactions within 60 minutes
/// intense = 3
/// window_minutes = 60
///
/// [debrief]                      # a debrief after any urgent disclosure or threat
/// on_urgent_disclosure = true
/// on_threat = true
///
/// [supervisor]                   # a notice when exposure stays high
/// rolling_days = 7
/// rolling_score = 40             # 7-day exposure >= 40, or
/// daily_score = 10               # a day's exposure >= 10
/// high_days = 5                  # on 5 or more
/// of_days = 14                   # of the last 14 days
/// ```
///
/// `once_per_conversation` keeps one long abusive conversation from counting as ten: within any
/// window (a shift, a day, the rolling week) a kind adds its weight once per conversation, and the
/// break rule counts distinct conversations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ExposureRules {
    /// Anger intensity (0 to 1) at or above which anger counts as intense. Default 0.7.
    pub anger_threshold: f32,
    /// Count each kind once per conversation within a window. Default true.
    pub once_per_conversation: bool,
    /// The weight of each kind.
    pub weights: Weights,
    /// When to suggest a break.
    #[serde(rename = "break")]
    pub pause: BreakRule,
    /// When to suggest a debrief.
    pub debrief: DebriefRule,
    /// When to notify a supervisor.
    pub supervisor: SupervisorRule,
}

impl Default for ExposureRules {
    fn default() -> ExposureRules {
        ExposureRules {
            anger_threshold: 0.7,
            once_per_conversation: true,
            weights: Weights::default(),
            pause: BreakRule::default(),
            debrief: DebriefRule::default(),
            supervisor: SupervisorRule::default(),
        }
    }
}

/// Longest window any rule may use, in days: the server keeps this much history at hand.
pub const MAX_DAYS: u32 = 60;

impl ExposureRules {
    /// Reads rules from TOML (missing settings take their defaults) and validates them. A
    /// misspelt or mistyped setting is an error with its line, not a silent default.
    pub fn from_toml(text: &str) -> Result<ExposureRules> {
        let rules: ExposureRules =
            toml::from_str(text).map_err(|e| Error::RulesToml(e.to_string()))?;
        rules.validate()?;
        Ok(rules)
    }

    /// Checks that every rule can fire and none fires on everything.
    pub fn validate(&self) -> Result<()> {
        let rule = |setting: &'static str, reason: String| Err(Error::Rule { setting, reason });
        if !(self.anger_threshold > 0.0 && self.anger_threshold <= 1.0) {
            return rule(
                "anger_threshold",
                format!(
                    "is {}: it must be above 0 and at most 1 (intensities run 0 to 1)",
                    self.anger_threshold
                ),
            );
        }
        for kind in IntenseKind::ALL {
            if self.weights.of(kind) > 100 {
                return rule(
                    "weights",
                    format!(
                        "{} is {}: weights run 0 (off) to 100",
                        kind.as_str(),
                        self.weights.of(kind)
                    ),
                );
            }
        }
        if self.pause.intense == 0 {
            return rule(
                "break.intense",
                "is 0: it must be at least 1, or every moment would call for a break".into(),
            );
        }
        if self.pause.window_minutes == 0 || self.pause.window_minutes > 24 * 60 {
            return rule(
                "break.window_minutes",
                format!(
                    "is {}: it must be 1 to 1440 (a day)",
                    self.pause.window_minutes
                ),
            );
        }
        let s = &self.supervisor;
        for (setting, days) in [
            ("supervisor.rolling_days", s.rolling_days),
            ("supervisor.of_days", s.of_days),
        ] {
            if days == 0 || days > MAX_DAYS {
                return rule(
                    setting,
                    format!("is {days}: it must be 1 to {MAX_DAYS} days"),
                );
            }
        }
        for (setting, score) in [
            ("supervisor.rolling_score", s.rolling_score),
            ("supervisor.daily_score", s.daily_score),
        ] {
            if score == 0 {
                return rule(
                    setting,
                    "is 0: it must be at least 1, or every worker would be reported".into(),
                );
            }
        }
        if s.high_days == 0 || s.high_days > s.of_days {
            return rule(
                "supervisor.high_days",
                format!(
                    "is {}: it must be 1 to supervisor.of_days ({})",
                    s.high_days, s.of_days
                ),
            );
        }
        Ok(())
    }

    /// The weight of one interaction: the sum of its kinds' weights, each kind once.
    pub fn weight(&self, interaction: &Interaction) -> u32 {
        interaction
            .distinct_kinds()
            .map(|k| self.weights.of(k))
            .sum()
    }

    /// Whether an interaction counts as intense: at least one kind with a weight above 0.
    pub fn is_intense(&self, interaction: &Interaction) -> bool {
        interaction.kinds.iter().any(|&k| self.weights.of(k) > 0)
    }
}

/// One analysed client message, as far as the worker's load is concerned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Interaction {
    /// The worker whose conversation it is (`conversations.worker_id`).
    pub worker: i64,
    /// The conversation (`messages.conversation_id`).
    pub conversation: i64,
    /// When the message was sent (`messages.sent_at`).
    pub at: Timestamp,
    /// What made it intense; empty when nothing did.
    #[serde(default)]
    pub kinds: Vec<IntenseKind>,
}

impl Interaction {
    /// Reads a stored analysis (`messages.analysis`) of a client message, in either shape tact
    /// writes: the summary the server keeps (`signals` with `category`, `severity`, `modality`,
    /// `subject`; `emotions` with `emotion` and `intensity`) or a full `tact_core::Analysis`
    /// serialised to JSON (which also says whether abuse is `targeted`).
    ///
    /// Robust by design: a missing, mistyped or unknown field makes nothing intense, so an old or
    /// partial record lowers exposure rather than failing the whole report. Only findings said as
    /// fact about the speaker or someone close count (`modality` = `asserted`, `subject` not
    /// `other`): "my friend says she wants to die" is not an urgent disclosure.
    pub fn from_analysis(
        worker: i64,
        conversation: i64,
        at: Timestamp,
        analysis: &serde_json::Value,
        rules: &ExposureRules,
    ) -> Interaction {
        let mut kinds = BTreeSet::new();
        let signals = analysis.get("signals").and_then(|s| s.as_array());
        for signal in signals.into_iter().flatten() {
            let text = |field: &str| signal.get(field).and_then(|v| v.as_str());
            let Some(category) = text("category") else {
                continue;
            };
            let asserted = text("modality") == Some("asserted") && text("subject") != Some("other");
            if !asserted {
                continue;
            }
            let targeted = signal.get("targeted").and_then(|v| v.as_bool());
            let kind = match category {
                "abuse.threat" if targeted != Some(false) => Some(IntenseKind::ThreatToWorker),
                "abuse.insult" | "abuse.harassment" | "abuse.slur" if targeted != Some(false) => {
                    Some(IntenseKind::AbuseAtWorker)
                }
                "abuse.profanity" if targeted == Some(true) => Some(IntenseKind::AbuseAtWorker),
                "crossing.after_hours" => None,
                c if c.starts_with("crossing.") => Some(IntenseKind::BoundaryCrossing),
                c if c.starts_with("disclosure.") && text("severity") == Some("urgent") => {
                    Some(IntenseKind::UrgentDisclosure)
                }
                _ => None,
            };
            kinds.extend(kind);
        }
        let emotions = analysis.get("emotions").and_then(|e| e.as_array());
        let angry = emotions.into_iter().flatten().any(|e| {
            e.get("emotion").and_then(|v| v.as_str()) == Some("anger")
                && e.get("intensity")
                    .and_then(|v| v.as_f64())
                    .is_some_and(|i| i >= f64::from(rules.anger_threshold))
        });
        if angry {
            kinds.insert(IntenseKind::HighAnger);
        }
        Interaction {
            worker,
            conversation,
            at,
            kinds: kinds.into_iter().collect(),
        }
    }

    /// Reads an analysis straight from the engine (the command line, tests): the same rules as
    /// [`Interaction::from_analysis`], through the same JSON, so the two can never disagree.
    pub fn from_core(
        worker: i64,
        conversation: i64,
        at: Timestamp,
        analysis: &tact_core::Analysis,
        rules: &ExposureRules,
    ) -> Interaction {
        let value = serde_json::to_value(analysis).unwrap_or_default();
        Interaction::from_analysis(worker, conversation, at, &value, rules)
    }

    fn distinct_kinds(&self) -> impl Iterator<Item = IntenseKind> + '_ {
        self.kinds
            .iter()
            .copied()
            .collect::<BTreeSet<_>>()
            .into_iter()
    }
}

/// A worker's exposure over a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exposure {
    /// The worker.
    pub worker: i64,
    /// Start of the period (included).
    pub from: Timestamp,
    /// End of the period (excluded).
    pub until: Timestamp,
    /// The weighted sum.
    pub score: u32,
    /// Intense interactions: conversations with at least one (or messages, when
    /// `once_per_conversation` is off).
    pub intense: u32,
    /// How many times each kind counted.
    pub by_kind: BTreeMap<IntenseKind, u32>,
}

/// Exposure of `worker` between `from` (included) and `until` (excluded), for example over a
/// shift from [`crate::schedule::Schedule::current_shift`].
pub fn shift_exposure(
    rules: &ExposureRules,
    interactions: &[Interaction],
    worker: i64,
    from: Timestamp,
    until: Timestamp,
) -> Exposure {
    let mut exposure = Exposure {
        worker,
        from,
        until,
        score: 0,
        intense: 0,
        by_kind: BTreeMap::new(),
    };
    let mut counted: BTreeSet<(i64, IntenseKind)> = BTreeSet::new();
    let mut intense_conversations: BTreeSet<i64> = BTreeSet::new();
    let mut ordered: Vec<&Interaction> = interactions
        .iter()
        .filter(|i| i.worker == worker && i.at >= from && i.at < until)
        .collect();
    ordered.sort_by_key(|i| (i.at, i.conversation));
    for interaction in ordered {
        if !rules.is_intense(interaction) {
            continue;
        }
        if !rules.once_per_conversation || intense_conversations.insert(interaction.conversation) {
            exposure.intense += 1;
        }
        for kind in interaction.distinct_kinds() {
            let weight = rules.weights.of(kind);
            if weight == 0
                || (rules.once_per_conversation
                    && !counted.insert((interaction.conversation, kind)))
            {
                continue;
            }
            exposure.score += weight;
            *exposure.by_kind.entry(kind).or_default() += 1;
        }
    }
    exposure
}

/// Exposure of `worker` over the `days` 24-hour periods up to and including `now`.
pub fn rolling_exposure(
    rules: &ExposureRules,
    interactions: &[Interaction],
    worker: i64,
    now: Timestamp,
    days: u32,
) -> Exposure {
    let (from, until) = days_back(now, days, 0);
    shift_exposure(rules, interactions, worker, from, until)
}

/// The window of `days` days ending `skip` days before `now`: `(now - skip - days, now - skip]`,
/// as a half-open range shifted by a nanosecond so that `now` itself is included.
fn days_back(now: Timestamp, days: u32, skip: u32) -> (Timestamp, Timestamp) {
    let day = SignedDuration::from_hours(24);
    let end = now
        .checked_sub(day * skip as i32)
        .unwrap_or(Timestamp::MIN)
        .checked_add(SignedDuration::from_nanos(1))
        .unwrap_or(Timestamp::MAX);
    let start = end.checked_sub(day * days as i32).unwrap_or(Timestamp::MIN);
    (start, end)
}

/// What a prompt suggests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PromptKind {
    /// Step away for a few minutes (P14).
    Break,
    /// Talk it through with a supervisor (P6).
    Debrief,
    /// Tell the supervisor that this worker's load stays high (P16, P22).
    SupervisorNotice,
}

impl PromptKind {
    /// The stable name used in JSON and keys.
    pub fn as_str(self) -> &'static str {
        match self {
            PromptKind::Break => "break",
            PromptKind::Debrief => "debrief",
            PromptKind::SupervisorNotice => "supervisor_notice",
        }
    }
}

/// A suggestion raised by the rules. The server records it (with whether it was taken) under its
/// key and shows it to the worker, or for a [`PromptKind::SupervisorNotice`] to their supervisor.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Prompt {
    /// What it suggests.
    pub kind: PromptKind,
    /// For whom.
    pub worker: i64,
    /// The moment the rule fired: the interaction that completed it, or the evaluation time for a
    /// supervisor notice.
    pub at: Timestamp,
    /// The conversation behind a debrief.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conversation: Option<i64>,
    /// Why, in the rule's terms (counts and kinds, never a client's words).
    pub reason: String,
    /// A stable identity: the same situation gives the same key however often the rules are
    /// evaluated, so the server raises each prompt once (a unique column). Breaks:
    /// `break:<worker>:<unix seconds of the interaction that fired it>`; debriefs:
    /// `debrief:<worker>:<conversation>:<kind>`; supervisor notices, at most one per worker and
    /// ISO week (UTC): `supervisor:<worker>:<year>-W<week>`.
    pub key: String,
}

/// Every prompt the rules raise from `interactions` up to `now` (later interactions are ignored),
/// for every worker in them, ordered by worker, time and key.
///
/// Pass at least the last `supervisor.of_days` days (and, for breaks, history back to a quiet
/// window): keys are stable as long as the history given starts before the activity that fired
/// them.
pub fn prompts(rules: &ExposureRules, interactions: &[Interaction], now: Timestamp) -> Vec<Prompt> {
    let workers: BTreeSet<i64> = interactions.iter().map(|i| i.worker).collect();
    let mut out = Vec::new();
    for worker in workers {
        let mut mine: Vec<&Interaction> = interactions
            .iter()
            .filter(|i| i.worker == worker && i.at <= now)
            .collect();
        mine.sort_by_key(|i| (i.at, i.conversation));
        break_prompts(rules, worker, &mine, &mut out);
        debrief_prompts(rules, worker, &mine, &mut out);
        out.extend(supervisor_notice(rules, interactions, worker, now));
    }
    out.sort_by(|a, b| (a.worker, a.at, &a.key).cmp(&(b.worker, b.at, &b.key)));
    out
}

fn break_prompts(rules: &ExposureRules, worker: i64, mine: &[&Interaction], out: &mut Vec<Prompt>) {
    let window = SignedDuration::from_mins(i64::from(rules.pause.window_minutes));
    let intense: Vec<&Interaction> = mine
        .iter()
        .copied()
        .filter(|i| rules.is_intense(i))
        .collect();
    // Interactions before `fresh` were already counted toward an earlier break.
    let mut fresh = 0;
    for (n, current) in intense.iter().enumerate() {
        let earliest = current.at.checked_sub(window).unwrap_or(Timestamp::MIN);
        let in_window = intense[fresh..=n].iter().filter(|i| i.at >= earliest);
        let (count, kinds): (u32, BTreeSet<IntenseKind>) = if rules.once_per_conversation {
            let conversations: BTreeSet<i64> = in_window.clone().map(|i| i.conversation).collect();
            (
                conversations.len() as u32,
                in_window.flat_map(|i| i.kinds.iter().copied()).collect(),
            )
        } else {
            (
                in_window.clone().count() as u32,
                in_window.flat_map(|i| i.kinds.iter().copied()).collect(),
            )
        };
        if count >= rules.pause.intense {
            let kinds: Vec<&str> = kinds
                .into_iter()
                .filter(|&k| rules.weights.of(k) > 0)
                .map(IntenseKind::label)
                .collect();
            out.push(Prompt {
                kind: PromptKind::Break,
                worker,
                at: current.at,
                conversation: None,
                reason: format!(
                    "{count} intense interactions within {} minutes ({})",
                    rules.pause.window_minutes,
                    kinds.join(", ")
                ),
                key: format!("break:{worker}:{}", current.at.as_second()),
            });
            fresh = n + 1;
        }
    }
}

fn debrief_prompts(
    rules: &ExposureRules,
    worker: i64,
    mine: &[&Interaction],
    out: &mut Vec<Prompt>,
) {
    let mut seen: BTreeSet<String> = BTreeSet::new();
    for interaction in mine {
        for kind in interaction.distinct_kinds() {
            let wanted = match kind {
                IntenseKind::UrgentDisclosure => rules.debrief.on_urgent_disclosure,
                IntenseKind::ThreatToWorker => rules.debrief.on_threat,
                _ => false,
            };
            let key = format!(
                "debrief:{worker}:{}:{}",
                interaction.conversation,
                kind.as_str()
            );
            if wanted && seen.insert(key.clone()) {
                out.push(Prompt {
                    kind: PromptKind::Debrief,
                    worker,
                    at: interaction.at,
                    conversation: Some(interaction.conversation),
                    reason: match kind {
                        IntenseKind::ThreatToWorker => "a threat aimed at the worker".to_string(),
                        _ => "an urgent disclosure (self-harm or a threat to life)".to_string(),
                    },
                    key,
                });
            }
        }
    }
}

fn supervisor_notice(
    rules: &ExposureRules,
    interactions: &[Interaction],
    worker: i64,
    now: Timestamp,
) -> Option<Prompt> {
    let s = &rules.supervisor;
    let rolling = rolling_exposure(rules, interactions, worker, now, s.rolling_days);
    let high_days = (0..s.of_days)
        .filter(|&skip| {
            let (from, until) = days_back(now, 1, skip);
            shift_exposure(rules, interactions, worker, from, until).score >= s.daily_score
        })
        .count() as u32;
    let reason = if rolling.score >= s.rolling_score {
        format!(
            "exposure over the last {} days is {} (notice from {})",
            s.rolling_days, rolling.score, s.rolling_score
        )
    } else if high_days >= s.high_days {
        format!(
            "exposure reached {} or more on {high_days} of the last {} days (notice from {})",
            s.daily_score, s.of_days, s.high_days
        )
    } else {
        return None;
    };
    let week = now.to_zoned(jiff::tz::TimeZone::UTC).date().iso_week_date();
    Some(Prompt {
        kind: PromptKind::SupervisorNotice,
        worker,
        at: now,
        conversation: None,
        reason,
        key: format!("supervisor:{worker}:{}-W{:02}", week.year(), week.week()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn at(minute: i64) -> Timestamp {
        Timestamp::from_second(1_790_000_000 + minute * 60).unwrap()
    }

    fn hit(conversation: i64, minute: i64, kinds: &[IntenseKind]) -> Interaction {
        Interaction {
            worker: 1,
            conversation,
            at: at(minute),
            kinds: kinds.to_vec(),
        }
    }

    #[test]
    fn the_defaults_are_valid_and_round_trip_through_toml() {
        let rules = ExposureRules::default();
        rules.validate().unwrap();
        let text = toml::to_string(&rules).unwrap();
        assert_eq!(ExposureRules::from_toml(&text).unwrap(), rules);
        assert_eq!(ExposureRules::from_toml("").unwrap(), rules);
    }

    #[test]
    fn bad_rules_say_which_setting() {
        for (text, setting) in [
            ("anger_threshold = 1.5", "anger_threshold"),
            ("[break]\nintense = 0", "break.intense"),
            ("[break]\nwindow_minutes = 0", "break.window_minutes"),
            ("[supervisor]\nhigh_days = 15", "supervisor.high_days"),
            ("[supervisor]\nrolling_days = 90", "supervisor.rolling_days"),
            ("[weights]\nthreat_to_worker = 1000", "weights"),
        ] {
            let error = ExposureRules::from_toml(text).unwrap_err().to_string();
            assert!(error.contains(setting), "{text}: {error}");
        }
        let error = ExposureRules::from_toml("[brake]\nintense = 2")
            .unwrap_err()
            .to_string();
        assert!(error.contains("brake"), "{error}");
    }

    #[test]
    fn stored_summaries_and_full_analyses_read_alike() {
        let rules = ExposureRules::default();
        let stored = json!({
            "urgent": true,
            "heat": 0.9,
            "signals": [
                {"category": "abuse.threat", "severity": "high", "modality": "asserted", "rule": "en.threat.1"},
                {"category": "disclosure.self_harm", "severity": "urgent", "modality": "asserted", "subject": "speaker"},
                {"category": "disclosure.self_harm", "severity": "urgent", "modality": "reported", "subject": "other"},
                {"category": "crossing.after_hours", "modality": "asserted"},
                {"category": "crossing.money_request", "modality": "asserted"},
                {"category": "abuse.profanity", "modality": "asserted"}
            ],
            "emotions": [{"emotion": "anger", "intensity": 0.7}]
        });
        let i = Interaction::from_analysis(1, 2, at(0), &stored, &rules);
        assert_eq!(
            i.kinds,
            vec![
                IntenseKind::ThreatToWorker,
                IntenseKind::UrgentDisclosure,
                IntenseKind::HighAnger,
                IntenseKind::BoundaryCrossing
            ]
        );
        let full = json!({
            "signals": [
                {"category": "abuse.insult", "modality": "asserted", "targeted": false},
                {"category": "abuse.profanity", "modality": "asserted", "targeted": true},
                {"category": "disclosure.self_harm", "severity": "urgent", "modality": "negated"}
            ],
            "emotions": [{"emotion": "anger", "intensity": 0.69}]
        });
        let i = Interaction::from_analysis(1, 2, at(0), &full, &rules);
        assert_eq!(i.kinds, vec![IntenseKind::AbuseAtWorker]);
    }

    #[test]
    fn missing_or_odd_fields_are_not_intense() {
        let rules = ExposureRules::default();
        for value in [
            json!(null),
            json!({}),
            json!({"signals": "none"}),
            json!({"signals": [{"severity": "urgent"}, 3, {"category": 7}]}),
            json!({"signals": [{"category": "abuse.threat"}]}),
            json!({"emotions": [{"emotion": "anger"}, {"emotion": "anger", "intensity": "high"}]}),
        ] {
            let i = Interaction::from_analysis(1, 2, at(0), &value, &rules);
            assert!(i.kinds.is_empty(), "{value}");
        }
    }

    #[test]
    fn one_conversation_counts_each_kind_once() {
        let rules = ExposureRules::default();
        let abuse = [IntenseKind::AbuseAtWorker];
        let log = [hit(1, 0, &abuse), hit(1, 5, &abuse), hit(2, 10, &abuse)];
        let e = shift_exposure(&rules, &log, 1, at(0), at(60));
        assert_eq!((e.score, e.intense), (6, 2));
        let every = ExposureRules {
            once_per_conversation: false,
            ..ExposureRules::default()
        };
        let e = shift_exposure(&every, &log, 1, at(0), at(60));
        assert_eq!((e.score, e.intense), (9, 3));
        // The end of a shift is excluded, its start included.
        let e = shift_exposure(&rules, &log, 1, at(5), at(10));
        assert_eq!((e.score, e.intense), (3, 1));
    }

    #[test]
    fn a_zero_weight_turns_a_kind_off() {
        let mut rules = ExposureRules::default();
        rules.weights.boundary_crossing = 0;
        let log = [hit(1, 0, &[IntenseKind::BoundaryCrossing])];
        assert!(!rules.is_intense(&log[0]));
        assert_eq!(shift_exposure(&rules, &log, 1, at(0), at(1)).intense, 0);
    }

    #[test]
    fn debriefs_come_once_per_conversation_and_kind() {
        let rules = ExposureRules::default();
        let threat = [IntenseKind::ThreatToWorker];
        let log = [hit(7, 0, &threat), hit(7, 3, &threat), hit(8, 4, &threat)];
        let debriefs: Vec<Prompt> = prompts(&rules, &log, at(10))
            .into_iter()
            .filter(|p| p.kind == PromptKind::Debrief)
            .collect();
        assert_eq!(debriefs.len(), 2);
        assert_eq!(debriefs[0].key, "debrief:1:7:threat_to_worker");
        assert_eq!(debriefs[0].at, at(0));
        assert_eq!(debriefs[0].reason, "a threat aimed at the worker");
    }
}
