//! What a session records: each turn's coaching and the branch it took, and the report at the
//! end — the end state and its debrief, criteria met over the session, the average score and what
//! to practise next. Everything (de)serialises so a server can store progress.

use crate::scenario::{EndState, Target};
use serde::{Deserialize, Serialize};
use tact_core::Lang;
use tact_core::coach::{CoachReport, Criterion, Stage, Verdict};

/// The coach's verdict on one criterion that applied to a reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CriterionFeedback {
    /// The criterion's name (`validation`).
    pub criterion: String,
    /// The practice it serves (`P8, P32`).
    pub practice: String,
    /// Whether the reply met it (otherwise it was missed).
    pub met: bool,
    /// The words that met it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
    /// For a miss: what to do, with an example in the scenario's language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
}

/// Something the reply should not have had.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlagFeedback {
    /// The flag's name (`money_offer`).
    pub flag: String,
    /// The practice it goes against.
    pub practice: String,
    /// The words that raised it.
    pub text: String,
    /// What to do instead.
    pub suggestion: String,
}

/// One reply of the trainee and what came of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Turn {
    /// The node answered.
    pub node: String,
    /// The client message answered.
    pub client: String,
    /// The trainee's reply.
    pub reply: String,
    /// Where the reply sat in the conversation.
    pub stage: Stage,
    /// The coach's score, 0–100.
    pub score: u8,
    /// The criteria that applied (met or missed).
    pub criteria: Vec<CriterionFeedback>,
    /// What the reply should not have had.
    pub flags: Vec<FlagFeedback>,
    /// Which branch of the node was taken (0-based).
    pub branch: usize,
    /// Why: the branch's condition in words, or `otherwise`.
    pub because: String,
    /// Where it led.
    pub to: Target,
    /// The practice behind this turn.
    pub debrief: String,
}

impl Turn {
    /// Builds the record of a reply from its coaching.
    pub(crate) fn from_coaching(
        coaching: &CoachReport,
    ) -> (u8, Vec<CriterionFeedback>, Vec<FlagFeedback>) {
        let criteria = coaching
            .criteria
            .iter()
            .filter(|c| c.verdict != Verdict::NotApplicable)
            .map(|c| CriterionFeedback {
                criterion: c.criterion.as_str().to_string(),
                practice: c.practice.to_string(),
                met: c.verdict == Verdict::Met,
                evidence: c.evidence.clone(),
                suggestion: c.suggestion.clone(),
            })
            .collect();
        let flags = coaching
            .flags
            .iter()
            .map(|f| FlagFeedback {
                flag: f.flag.as_str().to_string(),
                practice: f.practice.to_string(),
                text: f.text.clone(),
                suggestion: f.suggestion.to_string(),
            })
            .collect();
        (coaching.score, criteria, flags)
    }
}

/// How often a criterion was met over a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CriterionTally {
    /// The criterion's name.
    pub criterion: String,
    /// The practice it serves.
    pub practice: String,
    /// Replies that met it.
    pub met: usize,
    /// Replies where it applied (met or missed).
    pub applicable: usize,
}

/// Whether a thing to practise is a criterion missed or a flag raised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TipKind {
    /// A criterion the trainee missed.
    Criterion,
    /// A flag the trainee raised.
    Flag,
}

/// One thing to practise next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PractiseNext {
    /// Criterion missed or flag raised.
    pub kind: TipKind,
    /// Its name (`validation`, `money_offer`).
    pub name: String,
    /// The practice behind it.
    pub practice: String,
    /// How many replies missed it or raised it.
    pub times: usize,
    /// The coach's suggestion.
    pub suggestion: String,
}

/// The report of a session, complete or abandoned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The scenario's id.
    pub scenario: String,
    /// Its language.
    pub language: Lang,
    /// Its title.
    pub title: String,
    /// How it ended; `None` when the trainee stopped before an end.
    pub end: Option<EndState>,
    /// Every reply, in order.
    pub turns: Vec<Turn>,
    /// Per criterion that applied at least once: met over applicable, in the order of a reply.
    pub criteria: Vec<CriterionTally>,
    /// The mean of the turns' scores, rounded (0 when there were no turns).
    pub average_score: u8,
    /// The most-missed criteria and the flags raised, most frequent first (at most five).
    pub practise_next: Vec<PractiseNext>,
}

/// At most this many things to practise next.
const TIPS: usize = 5;

impl Report {
    /// Builds the report from the turns played.
    pub fn new(
        scenario: &crate::scenario::Scenario,
        turns: Vec<Turn>,
        end: Option<EndState>,
    ) -> Report {
        let mut criteria = Vec::new();
        let mut tips: Vec<(PractiseNext, usize)> = Vec::new();
        for (order, criterion) in Criterion::ALL.into_iter().enumerate() {
            let name = criterion.as_str();
            let results: Vec<&CriterionFeedback> = turns
                .iter()
                .flat_map(|t| t.criteria.iter())
                .filter(|c| c.criterion == name)
                .collect();
            if results.is_empty() {
                continue;
            }
            let met = results.iter().filter(|c| c.met).count();
            criteria.push(CriterionTally {
                criterion: name.to_string(),
                practice: criterion.practice().to_string(),
                met,
                applicable: results.len(),
            });
            let missed = results.len() - met;
            if missed > 0 {
                let suggestion = results
                    .iter()
                    .rev()
                    .find_map(|c| c.suggestion.clone())
                    .unwrap_or_default();
                tips.push((
                    PractiseNext {
                        kind: TipKind::Criterion,
                        name: name.to_string(),
                        practice: criterion.practice().to_string(),
                        times: missed,
                        suggestion,
                    },
                    100 + order,
                ));
            }
        }
        for turn in &turns {
            for flag in &turn.flags {
                match tips
                    .iter_mut()
                    .find(|(t, _)| t.kind == TipKind::Flag && t.name == flag.flag)
                {
                    Some((tip, _)) => tip.times += 1,
                    None => tips.push((
                        PractiseNext {
                            kind: TipKind::Flag,
                            name: flag.flag.clone(),
                            practice: flag.practice.clone(),
                            times: 1,
                            suggestion: flag.suggestion.clone(),
                        },
                        // A flag raised comes before a criterion missed as often.
                        tips.len(),
                    )),
                }
            }
        }
        tips.sort_by_key(|(t, order)| (std::cmp::Reverse(t.times), *order));
        let average_score = if turns.is_empty() {
            0
        } else {
            let total: u32 = turns.iter().map(|t| u32::from(t.score)).sum();
            (f64::from(total) / turns.len() as f64).round() as u8
        };
        Report {
            scenario: scenario.id.clone(),
            language: scenario.language,
            title: scenario.title.clone(),
            end,
            turns,
            criteria,
            average_score,
            practise_next: tips.into_iter().take(TIPS).map(|(t, _)| t).collect(),
        }
    }

    /// Whether the scenario reached an end state.
    pub fn completed(&self) -> bool {
        self.end.is_some()
    }
}
