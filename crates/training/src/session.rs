//! Playing a scenario: the client's opening, then for each reply the coach's reading of it
//! against the client's current message, the first branch whose condition holds, and the next
//! client message or the end.

use crate::error::{Error, Result};
use crate::report::{Report, Turn};
use crate::scenario::{EndState, Node, Scenario, Target};
use jiff::civil::DateTime;
use serde::{Deserialize, Serialize};
use tact_core::coach::{CoachOptions, Stage};
use tact_core::{AnalyseOptions, Engine};

/// Where a session stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Waiting for the trainee's reply to this node.
    AtNode(String),
    /// Finished at this end state.
    Ended(String),
}

/// One trainee playing one scenario. It owns a copy of the scenario and (de)serialises, so a
/// server can keep a session between requests.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Session {
    scenario: Scenario,
    state: State,
    turns: Vec<Turn>,
}

impl Session {
    /// Starts the scenario at its start node.
    pub fn new(scenario: Scenario) -> Session {
        let state = State::AtNode(scenario.start.clone());
        Session {
            scenario,
            state,
            turns: Vec::new(),
        }
    }

    /// The scenario played.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// The client's first message.
    pub fn opening(&self) -> &str {
        self.scenario.opening()
    }

    /// Where the session stands.
    pub fn state(&self) -> &State {
        &self.state
    }

    /// The node waiting for a reply, or `None` once the scenario has ended.
    pub fn current(&self) -> Option<&Node> {
        match &self.state {
            State::AtNode(id) => self.scenario.node(id),
            State::Ended(_) => None,
        }
    }

    /// The end state reached, if any.
    pub fn end(&self) -> Option<&EndState> {
        match &self.state {
            State::Ended(id) => self.scenario.end(id),
            State::AtNode(_) => None,
        }
    }

    /// Whether the scenario has reached an end state.
    pub fn is_over(&self) -> bool {
        matches!(self.state, State::Ended(_))
    }

    /// The turns played so far.
    pub fn turns(&self) -> &[Turn] {
        &self.turns
    }

    /// The stage of the reply to `node`: what the node says, else first for the first reply and
    /// middle afterwards.
    fn stage_for(&self, node: &Node) -> Stage {
        node.stage.unwrap_or(if self.turns.is_empty() {
            Stage::First
        } else {
            Stage::Middle
        })
    }

    /// Coaches the trainee's reply to the current client message, takes the first branch whose
    /// condition holds, records the turn and moves on. `reference` is when the reply is written
    /// (the worker's local time); the coach resolves time frames ("by Friday") against it, and
    /// without it only an honest fallback counts as a time frame.
    pub fn reply(
        &mut self,
        engine: &Engine,
        text: &str,
        reference: Option<DateTime>,
    ) -> Result<&Turn> {
        let node = match &self.state {
            State::AtNode(id) => self
                .scenario
                .node(id)
                .ok_or_else(|| Error::Ended(self.scenario.id.clone()))?,
            State::Ended(_) => return Err(Error::Ended(self.scenario.id.clone())),
        };
        let language = Some(self.scenario.language);
        let client = engine.analyse(
            &node.client,
            &AnalyseOptions {
                language,
                ..Default::default()
            },
        )?;
        let stage = self.stage_for(node);
        let coaching = engine.coach(
            text,
            &CoachOptions {
                language,
                client: Some(&client),
                stage: Some(stage),
                reference,
            },
        )?;
        // The validator guarantees a final `otherwise`; a scenario built by hand without one
        // ends the session at its last branch.
        let (index, branch) = node
            .branches
            .iter()
            .enumerate()
            .find(|(_, b)| b.when.as_ref().is_none_or(|c| c.holds(&coaching, text)))
            .or_else(|| node.branches.iter().enumerate().next_back())
            .ok_or_else(|| Error::Ended(self.scenario.id.clone()))?;
        let (score, criteria, flags) = Turn::from_coaching(&coaching);
        let turn = Turn {
            node: node.id.clone(),
            client: node.client.clone(),
            reply: text.to_string(),
            stage,
            score,
            criteria,
            flags,
            branch: index,
            because: branch
                .when
                .as_ref()
                .map_or_else(|| "otherwise".to_string(), |c| c.describe()),
            to: branch.to.clone(),
            debrief: node.debrief.clone(),
        };
        self.state = match &branch.to {
            Target::Node(next) => State::AtNode(next.clone()),
            Target::End(end) => State::Ended(end.clone()),
        };
        self.turns.push(turn);
        self.turns
            .last()
            .ok_or_else(|| Error::Ended(self.scenario.id.clone()))
    }

    /// The report so far: complete once the scenario has ended, without an end state if the
    /// trainee stopped early.
    pub fn report(&self) -> Report {
        Report::new(&self.scenario, self.turns.clone(), self.end().cloned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::TipKind;
    use std::sync::LazyLock;
    use tact_core::resources::Source;

    static ENGINE: LazyLock<Engine> = LazyLock::new(|| {
        let sources: Vec<Source> = tact_resources::files()
            .map(|(p, t)| Source::new(p, t))
            .collect();
        Engine::from_sources(&sources).expect("built-in resources load")
    });

    const SCENARIO: &str = r#"
id = "branches"
language = "en"
title = "Branch order"

[client]
who = "A client"
wants = "Money"
mood = "Worried"

[[node]]
id = "ask"
client = "I'm really worried. Could you lend me ten pounds?"
debrief = "P18: never your own money."

  [[node.branch]]
  flagged = ["money_offer"]
  end = "lent"

  [[node.branch]]
  boundary = "held"
  says = ["food bank"]
  next = "close"

  [[node.branch]]
  otherwise = true
  next = "ask"

[[node]]
id = "close"
client = "Thanks, I'll go there."
debrief = "P38: thank at the close."
stage = "closing"

  [[node.branch]]
  met = ["thanks_closing"]
  end = "good"

  [[node.branch]]
  otherwise = true
  end = "abrupt"

[[end]]
id = "good"
outcome = "good"
debrief = "Held and referred."

[[end]]
id = "abrupt"
outcome = "mixed"
debrief = "Referred, closed abruptly."

[[end]]
id = "lent"
outcome = "poor"
debrief = "Lent money."
"#;

    fn session() -> Session {
        Session::new(crate::parse_scenario("branches.toml", SCENARIO).expect("valid"))
    }

    #[test]
    fn the_first_branch_that_holds_is_taken_and_recorded() {
        let mut s = session();
        assert_eq!(
            s.opening(),
            "I'm really worried. Could you lend me ten pounds?"
        );
        // Both the money offer and the food bank are there: the first branch wins.
        let turn = s
            .reply(
                &ENGINE,
                "I can lend you ten pounds, or try the food bank.",
                None,
            )
            .expect("reply");
        assert_eq!(turn.branch, 0);
        assert_eq!(turn.to, Target::End("lent".into()));
        assert!(turn.flags.iter().any(|f| f.flag == "money_offer"));
        assert_eq!(turn.debrief, "P18: never your own money.");
        assert!(s.is_over());
        assert!(matches!(
            s.reply(&ENGINE, "Anything else?", None),
            Err(Error::Ended(_))
        ));
        let report = s.report();
        assert_eq!(report.end.map(|e| e.id), Some("lent".to_string()));
        assert_eq!(report.practise_next[0].kind, TipKind::Flag);
        assert_eq!(report.practise_next[0].name, "money_offer");
    }

    #[test]
    fn otherwise_can_loop_back_and_stages_follow_the_conversation() {
        let mut s = session();
        let turn = s.reply(&ENGINE, "Hmm.", None).expect("reply");
        assert_eq!((turn.branch, turn.stage), (2, Stage::First));
        assert_eq!(turn.because, "otherwise");
        assert_eq!(s.current().map(|n| n.id.as_str()), Some("ask"));
        let turn = s
            .reply(
                &ENGINE,
                "I understand. The food bank on Church Street is open today.",
                None,
            )
            .expect("reply");
        assert_eq!((turn.branch, turn.stage), (1, Stage::Middle));
        let turn = s
            .reply(
                &ENGINE,
                "I'm glad. Is there anything else? Thank you for coming in.",
                None,
            )
            .expect("reply");
        assert_eq!(turn.stage, Stage::Closing);
        assert_eq!(turn.to, Target::End("good".into()));
        let report = s.report();
        assert_eq!(report.turns.len(), 3);
        let closing = report
            .criteria
            .iter()
            .find(|c| c.criterion == "thanks_closing")
            .expect("thanks_closing applied");
        assert_eq!((closing.met, closing.applicable), (1, 1));
        let mean = report.turns.iter().map(|t| f64::from(t.score)).sum::<f64>() / 3.0;
        assert_eq!(report.average_score, mean.round() as u8);
    }

    #[test]
    fn a_session_and_its_report_round_trip_through_serde() {
        let mut s = session();
        s.reply(&ENGINE, "Hmm.", None).expect("reply");
        let text = toml::to_string(&s).expect("serialise session");
        let back: Session = toml::from_str(&text).expect("deserialise session");
        assert_eq!(back.state(), s.state());
        assert_eq!(back.turns(), s.turns());
        let report = s.report();
        let text = toml::to_string(&report).expect("serialise report");
        let back: Report = toml::from_str(&text).expect("deserialise report");
        assert_eq!(back, report);
    }
}
