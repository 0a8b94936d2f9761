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
