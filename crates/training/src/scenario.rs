//! The scenario format, once loaded and checked: a simulated client, the conversation as named
//! nodes (each a client message with ordered branches on the trainee's reply), and the end
//! states with their debriefs. The file format is documented in `SCENARIOS.md`; reading and
//! checking a file is in [`crate::validate`].

use crate::condition::Condition;
use serde::{Deserialize, Serialize};
use tact_core::Lang;
use tact_core::coach::Stage;

/// One role-play scenario in one language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scenario {
    /// Stable id, the same in every language (`money-request`).
    pub id: String,
    /// The language the client speaks and the trainee answers in.
    pub language: Lang,
    /// A short title for menus.
    pub title: String,
    /// The practices it trains (`P18`).
    pub practices: Vec<String>,
    /// Who the simulated client is.
    pub client: Persona,
    /// The node the conversation starts at; its message is the opening message.
    pub start: String,
    /// The client's turns.
    pub nodes: Vec<Node>,
    /// How the conversation can end.
    pub ends: Vec<EndState>,
    /// The file it was read from (for messages and for telling built-in from organisation files).
    pub source: String,
}

/// The simulated client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Persona {
    /// Who they are.
    pub who: String,
    /// What they want from the worker.
    pub wants: String,
    /// Their emotional state.
    pub mood: String,
}

/// One turn of the simulated client: what they say, and where the trainee's reply leads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Node {
    /// Its name, unique within the scenario.
    pub id: String,
    /// The client's message.
    pub client: String,
    /// The practice behind this turn, shown in the debrief (cites a P-number).
    pub debrief: String,
    /// A nudge the trainee can ask for (`/hint`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// Where the reply sits in the conversation; by default the first reply is `first`, later
    /// ones `middle`. Set `closing` where the trainee is expected to close.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<Stage>,
    /// Tried in order; the first whose condition holds is taken. The last has no condition.
    pub branches: Vec<Branch>,
}

/// A condition on the reply and where it leads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Branch {
    /// What the reply must do; `None` is the final `otherwise` branch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<Condition>,
    /// The next node or the end state.
    pub to: Target,
}

/// Where a branch leads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    /// Another client turn, by node id.
    Node(String),
    /// The end of the conversation, by end state id.
    End(String),
}

/// How well an end state went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The practice was followed.
    Good,
    /// Partly followed.
    Mixed,
    /// The practice was not followed.
    Poor,
}

impl Outcome {
    /// The stable name used in files and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Good => "good",
            Outcome::Mixed => "mixed",
            Outcome::Poor => "poor",
        }
    }
}

/// One way the conversation can end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndState {
    /// Its name, unique within the scenario.
    pub id: String,
    /// Good, mixed or poor.
    pub outcome: Outcome,
    /// What happened and the practice behind it.
    pub debrief: String,
}

impl Scenario {
    /// The node with this id.
    pub fn node(&self, id: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.id == id)
    }

    /// The end state with this id.
    pub fn end(&self, id: &str) -> Option<&EndState> {
        self.ends.iter().find(|e| e.id == id)
    }

    /// The client's first message.
    pub fn opening(&self) -> &str {
        self.node(&self.start).map_or("", |n| n.client.as_str())
    }
}
