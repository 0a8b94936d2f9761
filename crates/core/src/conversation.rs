//! A whole conversation in one call: every client turn analysed with the escalation so far,
//! every worker turn coached against the client turn it answers, the criteria the worker met
//! across the conversation, the promises still open, and for timed transcripts (calls
//! transcribed elsewhere) who talked how much, where the worker interrupted or talked over the
//! client (P7, P26) and where the line went silent.

use crate::coach::{CoachOptions, CoachReport, Criterion, Stage, Verdict};
use crate::commitment::Commitment;
use crate::engine::{AnalyseOptions, Analysis, Engine};
use crate::error::Result;
use crate::lang::Lang;
use crate::signals::{Trend, escalation};
use crate::transcript::{Role, Turn};
use jiff::SignedDuration;
use jiff::civil::DateTime;
use serde::Serialize;

/// What the caller knows about the conversation besides its turns.
#[derive(Debug, Clone, Default)]
pub struct ConversationOptions {
    /// The conversation's language, when known.
    pub language: Option<Lang>,
    /// When the conversation (second 0 of a recording) started, in the worker's time zone:
    /// promises resolve against the moment of the turn that makes them.
    pub started: Option<DateTime>,
    /// Gaps longer than this many seconds are reported as silences (default 5).
    pub silence_seconds: Option<f64>,
}

/// One turn with what tact read in it.
#[derive(Debug, Clone, Serialize)]
pub struct TurnReport {
    /// Position in the conversation, from 0.
    pub index: usize,
    /// The speaker as the source names them.
    pub speaker: String,
    /// Client or worker.
    pub role: Role,
    /// Start in seconds, for timed transcripts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<f64>,
    /// End in seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<f64>,
    /// The analysis of a client turn.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub analysis: Option<Analysis>,
    /// The escalation of the client's turns up to this one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub escalation: Option<Trend>,
    /// The coaching of a worker turn.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coach: Option<CoachReport>,
}

/// A moment the worker started speaking while the client was still talking.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Interruption {
    /// The worker's turn.
    pub worker_turn: usize,
    /// The client's turn that was cut into.
    pub client_turn: usize,
    /// When the worker started, in seconds.
    pub at: f64,
    /// How long both spoke at once, in seconds.
    pub overlap: f64,
}

/// A gap in the conversation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Silence {
    /// The turn after which it fell.
    pub after_turn: usize,
    /// When it began, in seconds.
    pub at: f64,
    /// How long, in seconds.
    pub seconds: f64,
}

/// Talk, interruptions and silences of a timed conversation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Timing {
    /// Seconds the worker spoke.
    pub worker_seconds: f64,
    /// Seconds the client spoke.
    pub client_seconds: f64,
    /// The worker's share of the talk, 0–1.
    pub worker_share: f64,
    /// Where the worker cut into the client (back-channels such as "mm-hmm" excluded, P25).
    pub interruptions: Vec<Interruption>,
    /// Seconds the worker spoke over the client in all (back-channels excluded).
    pub overtalk_seconds: f64,
    /// Worker turns that were back-channels while the client spoke ("mm-hmm", "I see").
    pub backchannels: usize,
    /// Gaps longer than the threshold.
    pub silences: Vec<Silence>,
}

/// The whole conversation.
#[derive(Debug, Clone, Serialize)]
pub struct ConversationReport {
    /// Every turn.
    pub turns: Vec<TurnReport>,
    /// Where the client's temperature is heading at the end.
    pub escalation: Trend,
    /// The criteria the worker met in at least one turn.
    pub criteria_met: Vec<Criterion>,
    /// The criteria that applied in some turn and were never met.
    pub criteria_missed: Vec<Criterion>,
    /// The worker's promises with a time frame, in order.
    pub commitments: Vec<Commitment>,
    /// Talk shares, interruptions and silences, when the turns are timed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timing: Option<Timing>,
}

/// An overlap shorter than this at the end of the client's turn is turn-taking, not an
/// interruption (people start a little before the other has quite finished).
const TURN_TAKING_SECONDS: f64 = 0.3;
/// A worker turn this short, of a few words, said while the client speaks is a back-channel.
const BACKCHANNEL_SECONDS: f64 = 1.5;
const BACKCHANNEL_WORDS: usize = 3;

impl Engine {
    /// Analyses a conversation whose turns carry their roles (see
    /// [`crate::transcript::assign_roles`]); a turn without a role is taken as the client's.
    pub fn conversation(
        &self,
        turns: &[Turn],
        options: &ConversationOptions,
    ) -> Result<ConversationReport> {
        let mut reports = Vec::with_capacity(turns.len());
        let mut heats: Vec<f32> = Vec::new();
        let mut last_client: Option<Analysis> = None;
        // Back-channels ("mm-hmm" while the client talks) are listening, not replies: they are
        // not coached.
        let worker_turns: Vec<usize> = turns
            .iter()
            .enumerate()
            .filter(|(_, t)| t.role == Some(Role::Worker) && !is_backchannel(t))
            .map(|(i, _)| i)
            .collect();
        let mut met: Vec<Criterion> = Vec::new();
        let mut applied: Vec<Criterion> = Vec::new();
        let mut commitments = Vec::new();
        for (index, turn) in turns.iter().enumerate() {
            let role = turn.role.unwrap_or(Role::Client);
            let mut report = TurnReport {
                index,
                speaker: turn.speaker.clone(),
                role,
                start: turn.start,
                end: turn.end,
                analysis: None,
                escalation: None,
                coach: None,
            };
            match role {
                Role::Client => {
                    let analysis = self.analyse(
                        &turn.text,
                        &AnalyseOptions {
                            language: options.language,
                            ..Default::default()
                        },
                    )?;
                    heats.push(analysis.heat);
                    report.escalation = Some(escalation(&heats));
                    last_client = Some(analysis.clone());
                    report.analysis = Some(analysis);
                }
                Role::Worker if !worker_turns.contains(&index) => {}
                Role::Worker => {
                    let stage = if worker_turns.first() == Some(&index) {
                        Stage::First
                    } else if worker_turns.last() == Some(&index) && worker_turns.len() > 1 {
                        Stage::Closing
                    } else {
                        Stage::Middle
                    };
                    let reference = options.started.map(|started| {
                        let offset = turn.start.unwrap_or(0.0);
                        started
                            .checked_add(SignedDuration::from_secs_f64(offset.clamp(0.0, 1e7)))
                            .unwrap_or(started)
                    });
                    let coach = self.coach(
                        &turn.text,
                        &CoachOptions {
                            language: options
                                .language
                                .or_else(|| last_client.as_ref().and_then(|a| a.language.lang)),
                            client: last_client.as_ref(),
                            stage: Some(stage),
                            reference,
                        },
                    )?;
                    for c in &coach.criteria {
                        match c.verdict {
                            Verdict::Met if !met.contains(&c.criterion) => met.push(c.criterion),
                            Verdict::Missed if !applied.contains(&c.criterion) => {
                                applied.push(c.criterion)
                            }
                            _ => {}
                        }
                    }
                    commitments.extend(coach.commitments.iter().cloned());
                    report.coach = Some(coach);
                }
            }
            reports.push(report);
        }
        let criteria_missed = Criterion::ALL
            .into_iter()
            .filter(|c| applied.contains(c) && !met.contains(c))
            .collect();
        let criteria_met = Criterion::ALL
            .into_iter()
            .filter(|c| met.contains(c))
            .collect();
        Ok(ConversationReport {
            escalation: escalation(&heats),
            turns: reports,
            criteria_met,
            criteria_missed,
            commitments,
            timing: timing(turns, options.silence_seconds.unwrap_or(5.0)),
        })
    }
}

/// Whether a worker turn is a back-channel: a few words, briefly, while the client talks.
fn is_backchannel(turn: &Turn) -> bool {
    let (Some(start), Some(end)) = (turn.start, turn.end) else {
        return false;
    };
    end - start <= BACKCHANNEL_SECONDS && turn.text.split_whitespace().count() <= BACKCHANNEL_WORDS
}

/// Talk shares, interruptions, over-talk and silences; `None` unless every turn is timed.
pub fn timing(turns: &[Turn], silence_seconds: f64) -> Option<Timing> {
    if turns.is_empty() || turns.iter().any(|t| t.start.is_none() || t.end.is_none()) {
        return None;
    }
    let span = |t: &Turn| {
        (
            t.start.unwrap_or(0.0),
            t.end.unwrap_or(0.0).max(t.start.unwrap_or(0.0)),
        )
    };
    let role = |t: &Turn| t.role.unwrap_or(Role::Client);
    let mut worker_seconds = 0.0;
    let mut client_seconds = 0.0;
    for t in turns {
        let (s, e) = span(t);
        match role(t) {
            Role::Worker => worker_seconds += e - s,
            Role::Client => client_seconds += e - s,
        }
    }
    let mut interruptions = Vec::new();
    let mut overtalk = 0.0;
    let mut backchannels = 0;
    for (w, worker) in turns
        .iter()
        .enumerate()
        .filter(|(_, t)| role(t) == Role::Worker)
    {
        let (ws, we) = span(worker);
        // The client turn in progress when the worker started.
        let cut = turns.iter().enumerate().find(|(_, c)| {
            let (cs, ce) = span(c);
            role(c) == Role::Client && cs < ws && ws < ce - TURN_TAKING_SECONDS
        });
        let Some((c, client)) = cut else {
            continue;
        };
        if is_backchannel(worker) {
            backchannels += 1;
            continue;
        }
        let (_, ce) = span(client);
        let overlap = we.min(ce) - ws;
        overtalk += overlap;
        interruptions.push(Interruption {
            worker_turn: w,
            client_turn: c,
            at: ws,
            overlap: (overlap * 1000.0).round() / 1000.0,
        });
    }
    // Silences: stretches where nobody speaks, between the end of everything said so far and
    // the next start.
    let mut order: Vec<usize> = (0..turns.len()).collect();
    order.sort_by(|&a, &b| span(&turns[a]).0.total_cmp(&span(&turns[b]).0));
    let mut silences = Vec::new();
    let mut reach = span(&turns[order[0]]).1;
    let mut reach_turn = order[0];
    for &i in &order[1..] {
        let (s, e) = span(&turns[i]);
        if s - reach > silence_seconds {
            silences.push(Silence {
                after_turn: reach_turn,
                at: reach,
                seconds: ((s - reach) * 1000.0).round() / 1000.0,
            });
        }
        if e > reach {
            reach = e;
            reach_turn = i;
        }
    }
    let total = worker_seconds + client_seconds;
    Some(Timing {
        worker_seconds,
        client_seconds,
        worker_share: if total > 0.0 {
            worker_seconds / total
        } else {
            0.0
        },
        interruptions,
        overtalk_seconds: (overtalk * 1000.0).round() / 1000.0,
        backchannels,
        silences,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn turn(role: Role, text: &str, start: f64, end: f64) -> Turn {
        Turn {
            speaker: format!("{role:?}"),
            role: Some(role),
            text: text.into(),
            start: Some(start),
            end: Some(end),
        }
    }

    #[test]
    fn interruptions_backchannels_and_edges() {
        let turns = vec![
            turn(Role::Worker, "Good morning, how can I help?", 0.0, 2.0),
            turn(
                Role::Client,
                "My card was blocked and I need to pay rent today",
                2.5,
                8.0,
            ),
            // "mm-hmm" while the client talks: a back-channel, not an interruption.
            turn(Role::Worker, "mm-hmm", 4.0, 4.4),
            // Starts 0.2 s before the client finishes: turn-taking at the edge.
            turn(
                Role::Worker,
                "I see, let me check that for you right away.",
                7.8,
                10.0,
            ),
            turn(
                Role::Client,
                "It is the third time this month and nobody ever",
                10.5,
                15.0,
            ),
            // Cuts in 2 s before the client is done: an interruption.
            turn(
                Role::Worker,
                "Yes but as I said the system is down",
                13.0,
                16.0,
            ),
            turn(Role::Client, "Fine.", 24.0, 24.5),
        ];
        let t = timing(&turns, 5.0).unwrap();
        assert_eq!(t.backchannels, 1);
        assert_eq!(t.interruptions.len(), 1, "{:?}", t.interruptions);
        assert_eq!(t.interruptions[0].worker_turn, 5);
        assert_eq!(t.interruptions[0].overlap, 2.0);
        assert_eq!(t.overtalk_seconds, 2.0);
        assert_eq!(t.silences.len(), 1);
        assert_eq!(t.silences[0].seconds, 8.0);
        assert!(t.worker_share > 0.4 && t.worker_share < 0.6);
    }

    #[test]
    fn untimed_turns_have_no_timing() {
        let mut turns = vec![turn(Role::Client, "hello", 0.0, 1.0)];
        turns[0].end = None;
        assert!(timing(&turns, 5.0).is_none());
    }
}
