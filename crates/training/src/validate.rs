//! Reading a scenario file and checking it: TOML syntax and unknown fields (with the line toml
//! reports), then what makes a scenario playable — known language, criterion and flag names,
//! branches that lead somewhere that exists, a final `otherwise` at every node, every node
//! reachable and able to reach an end, no empty texts. Every problem found is reported with its
//! file, line and column, all at once.

use crate::condition::{Boundary, Condition, criterion_named, flag_named};
use crate::error::{Error, Problem, Result};
use crate::scenario::{Branch, EndState, Node, Outcome, Persona, Scenario, Target};
use serde::Deserialize;
use std::collections::{BTreeSet, HashMap};
use tact_core::coach::Stage;
use tact_core::{Lang, Location};
use toml::Spanned;

/// The languages tact has built-in resources for (a folder with `language.toml`).
pub fn builtin_languages() -> Vec<Lang> {
    let mut langs: Vec<Lang> = tact_resources::files()
        .filter_map(|(path, _)| path.strip_suffix("/language.toml"))
        .filter_map(Lang::parse)
        .collect();
    langs.sort();
    langs.dedup();
    langs
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScenario {
    id: Spanned<String>,
    language: Spanned<String>,
    title: Spanned<String>,
    #[serde(default)]
    practices: Vec<Spanned<String>>,
    client: Spanned<RawPersona>,
    start: Option<Spanned<String>>,
    #[serde(default)]
    node: Vec<Spanned<RawNode>>,
    #[serde(default)]
    end: Vec<Spanned<RawEnd>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPersona {
    who: Spanned<String>,
    wants: Spanned<String>,
    mood: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNode {
    id: Spanned<String>,
    client: Spanned<String>,
    debrief: Spanned<String>,
    hint: Option<Spanned<String>>,
    stage: Option<Stage>,
    #[serde(default)]
    branch: Vec<Spanned<RawBranch>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBranch {
    #[serde(default)]
    otherwise: bool,
    #[serde(default)]
    met: Vec<Spanned<String>>,
    #[serde(default)]
    met_any: Vec<Spanned<String>>,
    #[serde(default)]
    missed: Vec<Spanned<String>>,
    #[serde(default)]
    flagged: Vec<Spanned<String>>,
    #[serde(default)]
    not_flagged: Vec<Spanned<String>>,
    boundary: Option<Boundary>,
    min_score: Option<Spanned<u8>>,
    max_score: Option<Spanned<u8>>,
    #[serde(default)]
    says: Vec<Spanned<String>>,
    #[serde(default)]
    not_says: Vec<Spanned<String>>,
    next: Option<Spanned<String>>,
    end: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEnd {
    id: Spanned<String>,
    outcome: Outcome,
    debrief: Spanned<String>,
}

/// Collects problems against one file.
struct Checker<'a> {
    source: &'a str,
    text: &'a str,
    problems: Vec<Problem>,
}

impl Checker<'_> {
    fn at(&mut self, offset: usize, message: impl Into<String>) {
        self.problems.push(Problem {
            location: Location::in_text(self.source, self.text, offset),
            message: message.into(),
        });
    }

    /// A required text: present and not blank.
    fn text(&mut self, value: &Spanned<String>, what: &str) -> String {
        let trimmed = value.get_ref().trim();
        if trimmed.is_empty() {
            self.at(value.span().start, format!("{what} is empty"));
        }
        trimmed.to_string()
    }

    fn names(
        &mut self,
        list: &[Spanned<String>],
        known: impl Fn(&str) -> bool,
        kind: &str,
        known_list: &str,
    ) -> Vec<String> {
        for name in list {
            if !known(name.get_ref()) {
                self.at(
                    name.span().start,
                    format!("unknown {kind} {:?}; known: {known_list}", name.get_ref()),
                );
            }
        }
        list.iter().map(|n| n.get_ref().clone()).collect()
    }
}

fn criterion_list() -> String {
    tact_core::coach::Criterion::ALL
        .iter()
        .map(|c| c.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn flag_list() -> String {
    crate::condition::ALL_FLAGS
        .iter()
        .map(|f| f.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Reads and checks one scenario file against tact's built-in languages. `source` names the file
/// in messages (`scenarios/en/money-request.toml`).
pub fn parse_scenario(source: &str, text: &str) -> Result<Scenario> {
    parse_scenario_for(source, text, &builtin_languages())
}

/// Reads and checks one scenario file; its language must be one of `languages` (for an
/// organisation that added a language of its own to the engine).
pub fn parse_scenario_for(source: &str, text: &str, languages: &[Lang]) -> Result<Scenario> {
    let raw: RawScenario = toml::from_str(text).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        let mut location = Location::in_text(source, text, offset);
        if e.span().is_none() {
            location.line = 0;
        }
        Error::Invalid(vec![Problem {
            location,
            message: e.message().trim().to_string(),
        }])
    })?;
    let mut check = Checker {
        source,
        text,
        problems: Vec::new(),
    };
    let id = check.text(&raw.id, "id");
    if !id
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        check.at(
            raw.id.span().start,
            format!("id {id:?} must be lower-case letters, digits and dashes"),
        );
    }
    let language = match Lang::parse(raw.language.get_ref()) {
        Some(lang) if languages.contains(&lang) => Some(lang),
        _ => {
            let known: Vec<&str> = languages.iter().map(Lang::as_str).collect();
            check.at(
                raw.language.span().start,
                format!(
                    "language {:?} is not one tact knows ({})",
                    raw.language.get_ref(),
                    known.join(", ")
                ),
            );
            None
        }
    };
    let title = check.text(&raw.title, "title");
    for practice in &raw.practices {
        let valid = practice
            .get_ref()
            .strip_prefix('P')
            .and_then(|n| n.parse::<u8>().ok())
            .is_some_and(|n| (1..=41).contains(&n));
        if !valid {
            check.at(
                practice.span().start,
                format!("practice {:?} is not one of P1 to P41", practice.get_ref()),
            );
        }
    }
    let persona = raw.client.get_ref();
    let client = Persona {
        who: check.text(&persona.who, "client.who"),
        wants: check.text(&persona.wants, "client.wants"),
        mood: check.text(&persona.mood, "client.mood"),
    };

    // Ids of nodes and ends share one namespace so a branch's target is never ambiguous.
    let mut seen: HashMap<String, ()> = HashMap::new();
    for id in raw
        .node
        .iter()
        .map(|n| &n.get_ref().id)
        .chain(raw.end.iter().map(|e| &e.get_ref().id))
    {
        if seen.insert(id.get_ref().clone(), ()).is_some() {
            check.at(
                id.span().start,
                format!(
                    "{:?} is used twice (node and end ids must all differ)",
                    id.get_ref()
                ),
            );
        }
    }
    if raw.node.is_empty() {
        check.at(0, "a scenario needs at least one [[node]]");
    }
    if raw.end.is_empty() {
        check.at(0, "a scenario needs at least one [[end]]");
    }
    let node_ids: BTreeSet<&str> = raw
        .node
        .iter()
        .map(|n| n.get_ref().id.get_ref().as_str())
        .collect();
    let end_ids: BTreeSet<&str> = raw
        .end
        .iter()
        .map(|e| e.get_ref().id.get_ref().as_str())
        .collect();

    let mut nodes = Vec::new();
    for spanned in &raw.node {
        let raw_node = spanned.get_ref();
        let node_id = check.text(&raw_node.id, "node id");
        if raw_node.branch.is_empty() {
            check.at(
                spanned.span().start,
                format!(
                    "node {node_id:?} has no [[node.branch]]; it needs at least `otherwise = true`"
                ),
            );
        }
        let mut branches = Vec::new();
        let count = raw_node.branch.len();
        for (i, spanned_branch) in raw_node.branch.iter().enumerate() {
            let b = spanned_branch.get_ref();
            let at = spanned_branch.span().start;
            let condition = Condition {
                met: check.names(
                    &b.met,
                    |n| criterion_named(n).is_some(),
                    "criterion",
                    &criterion_list(),
                ),
                met_any: check.names(
                    &b.met_any,
                    |n| criterion_named(n).is_some(),
                    "criterion",
                    &criterion_list(),
                ),
                missed: check.names(
                    &b.missed,
                    |n| criterion_named(n).is_some(),
                    "criterion",
                    &criterion_list(),
                ),
                flagged: check.names(
                    &b.flagged,
                    |n| flag_named(n).is_some(),
                    "flag",
                    &flag_list(),
                ),
                not_flagged: check.names(
                    &b.not_flagged,
                    |n| flag_named(n).is_some(),
                    "flag",
                    &flag_list(),
                ),
                boundary: b.boundary,
                min_score: b.min_score.as_ref().map(|s| *s.get_ref()),
                max_score: b.max_score.as_ref().map(|s| *s.get_ref()),
                says: check.names(
                    &b.says,
                    |p| !p.trim_matches('*').trim().is_empty(),
                    "phrase",
                    "a phrase cannot be empty",
                ),
                not_says: check.names(
                    &b.not_says,
                    |p| !p.trim_matches('*').trim().is_empty(),
                    "phrase",
                    "a phrase cannot be empty",
                ),
            };
            for score in [&b.min_score, &b.max_score].into_iter().flatten() {
                if *score.get_ref() > 100 {
                    check.at(score.span().start, "scores run from 0 to 100");
                }
            }
            let last = i + 1 == count;
            if b.otherwise && !condition.is_empty() {
                check.at(at, "an `otherwise` branch takes no condition");
            }
            if !b.otherwise && condition.is_empty() {
                check.at(
                    at,
                    "a branch needs a condition, or `otherwise = true` as the last branch",
                );
            }
            if b.otherwise && !last {
                check.at(at, "`otherwise` must be the last branch of its node: the branches after it could never be taken");
            }
            if last && !b.otherwise {
                check.at(
                    at,
                    format!("the last branch of node {node_id:?} must be `otherwise = true`, so every reply leads somewhere"),
                );
            }
            let to = match (&b.next, &b.end) {
                (Some(next), None) => {
                    if !node_ids.contains(next.get_ref().as_str()) {
                        check.at(
                            next.span().start,
                            format!("`next` names no node: {:?}", next.get_ref()),
                        );
                    }
                    Target::Node(next.get_ref().clone())
                }
                (None, Some(end)) => {
                    if !end_ids.contains(end.get_ref().as_str()) {
                        check.at(
                            end.span().start,
                            format!("`end` names no end state: {:?}", end.get_ref()),
                        );
                    }
                    Target::End(end.get_ref().clone())
                }
                _ => {
                    check.at(
                        at,
                        "a branch needs exactly one of `next = \"<node>\"` or `end = \"<end>\"`",
                    );
                    Target::End(String::new())
                }
            };
            branches.push(Branch {
                when: (!b.otherwise).then_some(condition),
                to,
            });
        }
        nodes.push(Node {
            id: node_id,
            client: check.text(&raw_node.client, "node client message"),
            debrief: check.text(&raw_node.debrief, "node debrief"),
            hint: raw_node.hint.as_ref().map(|h| check.text(h, "hint")),
            stage: raw_node.stage,
            branches,
        });
    }
    let ends: Vec<EndState> = raw
        .end
        .iter()
        .map(|e| {
            let e = e.get_ref();
            EndState {
                id: check.text(&e.id, "end id"),
                outcome: e.outcome,
                debrief: check.text(&e.debrief, "end debrief"),
            }
        })
        .collect();
    let start = match &raw.start {
        Some(start) => {
            if !node_ids.contains(start.get_ref().as_str()) {
                check.at(
                    start.span().start,
                    format!("`start` names no node: {:?}", start.get_ref()),
                );
            }
            start.get_ref().clone()
        }
        None => nodes.first().map(|n| n.id.clone()).unwrap_or_default(),
    };

    if check.problems.is_empty() {
        check_graph(&mut check, &raw, &nodes, &start);
    }
    match (check.problems.is_empty(), language) {
        (true, Some(language)) => Ok(Scenario {
            id,
            language,
            title,
            practices: raw.practices.iter().map(|p| p.get_ref().clone()).collect(),
            client,
            start,
            nodes,
            ends,
            source: source.to_string(),
        }),
        _ => {
            let mut problems = check.problems;
            problems.sort_by_key(|p| (p.location.line, p.location.column));
            Err(Error::Invalid(problems))
        }
    }
}

/// Every node and end reachable from the start, and every node able to reach an end (a loop
/// with a way out is fine).
fn check_graph(check: &mut Checker<'_>, raw: &RawScenario, nodes: &[Node], start: &str) {
    let index: HashMap<&str, usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), i))
        .collect();
    let mut reached_nodes = vec![false; nodes.len()];
    let mut reached_ends: BTreeSet<&str> = BTreeSet::new();
    let mut stack: Vec<usize> = index.get(start).copied().into_iter().collect();
    while let Some(i) = stack.pop() {
        if std::mem::replace(&mut reached_nodes[i], true) {
            continue;
        }
        for branch in &nodes[i].branches {
            match &branch.to {
                Target::Node(next) => stack.extend(index.get(next.as_str()).copied()),
                Target::End(end) => {
                    reached_ends.insert(end.as_str());
                }
            }
        }
    }
    for (i, node) in raw.node.iter().enumerate() {
        if !reached_nodes[i] {
            check.at(
                node.span().start,
                format!(
                    "node {:?} cannot be reached from the start ({start:?})",
                    nodes[i].id
                ),
            );
        }
    }
    for end in &raw.end {
        if !reached_ends.contains(end.get_ref().id.get_ref().as_str()) {
            check.at(
                end.span().start,
                format!(
                    "end {:?} is never reached by any branch",
                    end.get_ref().id.get_ref()
                ),
            );
        }
    }
    // Nodes that can reach an end: grow the set backwards until it stops growing.
    let mut ends_reachable = vec![false; nodes.len()];
    loop {
        let mut grew = false;
        for (i, node) in nodes.iter().enumerate() {
            if ends_reachable[i] {
                continue;
            }
            let exits = node.branches.iter().any(|b| match &b.to {
                Target::End(_) => true,
                Target::Node(next) => index.get(next.as_str()).is_some_and(|&j| ends_reachable[j]),
            });
            if exits {
                ends_reachable[i] = true;
                grew = true;
            }
        }
        if !grew {
            break;
        }
    }
    for (i, node) in raw.node.iter().enumerate() {
        if reached_nodes[i] && !ends_reachable[i] {
            check.at(
                node.span().start,
                format!(
                    "node {:?} can never reach an end: the conversation would loop forever",
                    nodes[i].id
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VALID: &str = r#"
id = "tiny"
language = "en"
title = "Tiny"
practices = ["P18"]

[client]
who = "Someone"
wants = "Money"
mood = "Worried"

[[node]]
id = "ask"
client = "Could you lend me ten pounds?"
debrief = "P18: never your own money."

  [[node.branch]]
  flagged = ["money_offer"]
  end = "poor"

  [[node.branch]]
  otherwise = true
  end = "good"

[[end]]
id = "good"
outcome = "good"
debrief = "Held."

[[end]]
id = "poor"
outcome = "poor"
debrief = "Lent."
"#;

    fn problems(text: &str) -> Vec<String> {
        match parse_scenario("t.toml", text) {
            Ok(_) => Vec::new(),
            Err(Error::Invalid(p)) => p.iter().map(Problem::to_string).collect(),
            Err(e) => vec![e.to_string()],
        }
    }

    #[test]
    fn a_valid_scenario_loads_with_its_start_and_branches() {
        let s = parse_scenario("t.toml", VALID).expect("valid");
        assert_eq!(s.id, "tiny");
        assert_eq!(s.start, "ask");
        assert_eq!(s.opening(), "Could you lend me ten pounds?");
        assert_eq!(s.nodes[0].branches.len(), 2);
        assert!(s.nodes[0].branches[1].when.is_none());
        assert_eq!(s.nodes[0].branches[0].to, Target::End("poor".into()));
    }

    #[test]
    fn a_syntax_error_names_file_line_and_column() {
        let broken = VALID.replace("title = \"Tiny\"", "title = \"Tiny");
        let p = problems(&broken);
        assert_eq!(p.len(), 1);
        assert!(p[0].starts_with("t.toml:4:"), "{p:?}");
    }

    #[test]
    fn an_unknown_field_is_rejected_where_it_is() {
        let p = problems(&VALID.replace("flagged = [", "flaged = ["));
        assert!(
            p[0].starts_with("t.toml:18:3") && p[0].contains("flaged"),
            "{p:?}"
        );
    }

    #[test]
    fn unknown_criterion_and_flag_names_are_reported_at_the_name() {
        let p = problems(&VALID.replace(
            "flagged = [\"money_offer\"]",
            "flagged = [\"money\"]\n  met = [\"empathy\"]",
        ));
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(
            p.iter()
                .any(|m| m.starts_with("t.toml:18:14") && m.contains("unknown flag \"money\"")),
            "{p:?}"
        );
        assert!(p.iter().any(|m| m.starts_with("t.toml:19:") && m.contains("unknown criterion \"empathy\"")), "{p:?}");
    }

    #[test]
    fn the_last_branch_must_be_otherwise() {
        let p = problems(&VALID.replace("otherwise = true", "met = [\"apology\"]"));
        assert!(
            p.iter().any(|m| m.contains("must be `otherwise = true`")),
            "{p:?}"
        );
    }

    #[test]
    fn otherwise_takes_no_condition_and_must_come_last() {
        let p = problems(&VALID.replace("flagged = [\"money_offer\"]", "otherwise = true"));
        assert!(
            p.iter().any(|m| m.contains("must be the last branch")),
            "{p:?}"
        );
        let p = problems(&VALID.replace("otherwise = true", "otherwise = true\n  min_score = 3"));
        assert!(p.iter().any(|m| m.contains("takes no condition")), "{p:?}");
    }

    #[test]
    fn a_branch_must_lead_to_something_that_exists() {
        let p = problems(&VALID.replace("end = \"poor\"", "end = \"nowhere\""));
        assert!(
            p.iter()
                .any(|m| m.starts_with("t.toml:19:") && m.contains("names no end state")),
            "{p:?}"
        );
        let p = problems(&VALID.replace("end = \"poor\"", "next = \"nowhere\""));
        assert!(p.iter().any(|m| m.contains("names no node")), "{p:?}");
        let p = problems(&VALID.replace("end = \"poor\"", "end = \"poor\"\n  next = \"ask\""));
        assert!(p.iter().any(|m| m.contains("exactly one of")), "{p:?}");
    }

    #[test]
    fn unreachable_nodes_and_ends_and_dead_loops_are_reported() {
        let extra = format!(
            "{VALID}\n[[node]]\nid = \"orphan\"\nclient = \"Hi\"\ndebrief = \"P1\"\n  [[node.branch]]\n  otherwise = true\n  end = \"good\"\n"
        );
        let p = problems(&extra);
        assert!(
            p.iter().any(|m| m.contains("\"orphan\" cannot be reached")),
            "{p:?}"
        );
        let p = problems(&VALID.replace("end = \"poor\"", "end = \"good\""));
        assert!(
            p.iter()
                .any(|m| m.contains("end \"poor\" is never reached")),
            "{p:?}"
        );
        let looping = VALID.replace("end = \"poor\"", "next = \"ask\"").replace(
            "otherwise = true\n  end = \"good\"",
            "otherwise = true\n  next = \"ask\"",
        );
        let p = problems(&looping);
        assert!(
            p.iter().any(|m| m.contains("can never reach an end")),
            "{p:?}"
        );
    }

    #[test]
    fn language_practices_ids_and_texts_are_checked() {
        let p = problems(&VALID.replace("language = \"en\"", "language = \"xx\""));
        assert!(
            p.iter()
                .any(|m| m.starts_with("t.toml:3:") && m.contains("not one tact knows")),
            "{p:?}"
        );
        let p = problems(&VALID.replace("[\"P18\"]", "[\"P99\"]"));
        assert!(p.iter().any(|m| m.contains("P1 to P41")), "{p:?}");
        let p = problems(&VALID.replace("id = \"tiny\"", "id = \"Tiny One\""));
        assert!(p.iter().any(|m| m.contains("lower-case")), "{p:?}");
        let p = problems(&VALID.replace("debrief = \"Held.\"", "debrief = \"  \""));
        assert!(
            p.iter().any(|m| m.contains("end debrief is empty")),
            "{p:?}"
        );
        let p = problems(&VALID.replace("id = \"poor\"\noutcome", "id = \"ask\"\noutcome"));
        assert!(p.iter().any(|m| m.contains("used twice")), "{p:?}");
    }
}
