//! Advice for the worker: from the analysis of a client message, an ordered, deduplicated list of
//! what to do, each with the findings behind it and, where words help, a reply in the client's
//! language drawn from the organisation's templates (`replies.toml`).
//!
//! Order is the practice's: safety first (P2, emergency protocol), then what protects the worker
//! (abuse, P6, P9), boundaries (P3, P18, P19), referrals (P4), the empathetic opening (P8,
//! P23–P25), the conversation moments (P1, P12, P16), follow-up (P5) and redaction.

use crate::category::{Abuse, Category, Crossing, Disclosure, Emotion, Severity};
use crate::engine::{Analysis, Engine};
use crate::lang::Lang;
use crate::replies::{Reply, ReplyValues};
use crate::signals::{Orientation, Signal};
use serde::{Deserialize, Serialize};

/// A service in the organisation's resource directory, offered as a referral (P4).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DirectoryEntry {
    /// Its name, as the client will look it up.
    pub name: String,
    /// The disclosure categories it helps with (`domestic_violence`, `money_trouble` …).
    pub categories: Vec<String>,
    /// Languages it serves; empty means any.
    #[serde(default)]
    pub languages: Vec<Lang>,
    /// Regions (ISO 3166 codes such as `ZA`, `FR`, or finer like `FR-75`) it serves; empty means
    /// everywhere.
    #[serde(default)]
    pub regions: Vec<String>,
    /// How to reach it.
    pub contact: String,
    /// When it is open, as people write it.
    #[serde(default)]
    pub hours: Option<String>,
}

impl DirectoryEntry {
    /// How well it fits: `None` when it does not help with `category` or does not serve the
    /// language or region; otherwise higher is more specific.
    fn fit(&self, category: &str, lang: Lang, region: Option<&str>) -> Option<u8> {
        if !self.categories.iter().any(|c| c == category) {
            return None;
        }
        let mut score = 0;
        if !self.languages.is_empty() {
            if !self.languages.contains(&lang) {
                return None;
            }
            score += 2;
        }
        if !self.regions.is_empty() {
            let region = region?;
            let served = self.regions.iter().any(|r| {
                r.eq_ignore_ascii_case(region)
                    || region
                        .split_once('-')
                        .is_some_and(|(country, _)| r.eq_ignore_ascii_case(country))
            });
            if !served {
                return None;
            }
            score += 1;
        }
        Some(score)
    }
}

/// What the caller knows for advice besides the analysis.
#[derive(Debug, Clone, Default)]
pub struct AdviseOptions<'a> {
    /// The language to answer in (default: the message's).
    pub language: Option<Lang>,
    /// Values for the templates' placeholders: names, organisation, crisis line, emergency
    /// number, opening hours, colleague, time frame.
    pub values: ReplyValues,
    /// The client's region (ISO 3166, `ZA` or `FR-75`), for referrals.
    pub region: Option<String>,
    /// The resource directory.
    pub directory: &'a [DirectoryEntry],
    /// The analyses of the client's earlier messages in this conversation, oldest first.
    pub history: &'a [Analysis],
    /// Whether this is the first message of the conversation (P1).
    pub first_contact: bool,
}

/// What kind of action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    /// Someone's life or safety: the emergency protocol and crisis resources.
    UrgentSafety,
    /// Defer a message sent outside working hours without promising (P16): before anything
    /// else that is not urgent, since the worker is not at work.
    AfterHoursReply,
    /// Abuse aimed at the worker: a firm reply.
    AbuseReply,
    /// Tell a supervisor (abuse, threats, repeated crossings, urgent disclosures; P6, P22).
    EscalateToSupervisor,
    /// A courteous but firm reply to a boundary crossing (P3).
    BoundaryReply,
    /// Offer a matching service from the directory (P4).
    Referral,
    /// Open with empathy matched to the emotion and I/you orientation (P8, P23–P25).
    EmpatheticOpening,
    /// State the guidelines and confidentiality at the first contact (P1).
    FirstContactStatement,
    /// Hand over to a colleague with a script (P12, P34).
    Handover,
    /// Plan a follow-up after a difficult exchange or a disclosure (P5).
    ScheduleFollowUp,
    /// Redact personal data and disclosures before storing or logging.
    RedactBeforeStoring,
}

/// One thing to do.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Action {
    /// What kind.
    pub kind: ActionKind,
    /// What to do, for the worker, in a sentence.
    pub what: String,
    /// The findings behind it (`disclosure.self_harm`, the rule that fired).
    pub why: Vec<String>,
    /// The words to offer, in the client's language, every placeholder filled.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reply: Option<Reply>,
    /// The template that fits, when it could not be filled.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template: Option<String>,
    /// Placeholders that had no value, so the reply could not be offered.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<&'static str>,
    /// The directory entry offered, for referrals.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<DirectoryEntry>,
}

/// The advice for one message.
#[derive(Debug, Clone, Serialize)]
pub struct Advice {
    /// The language of the replies.
    pub language: Option<Lang>,
    /// What to do, most pressing first.
    pub actions: Vec<Action>,
}

fn why(signal: &Signal) -> String {
    format!("{} ({})", signal.category, signal.rule)
}

impl Action {
    /// The category of the finding that called for it (`disclosure.domestic_violence`): what a
    /// referral answers, kept with the referral when it is recorded.
    pub fn need(&self) -> Option<&str> {
        self.why.first().map(|why| {
            why.split_once(" (")
                .map_or(why.as_str(), |(category, _)| category)
        })
    }
}

impl Engine {
    /// Advice for the worker on one client message.
    pub fn advise(&self, analysis: &Analysis, options: &AdviseOptions<'_>) -> Advice {
        let lang = options.language.or(analysis.language.lang);
        let asserted: Vec<&Signal> = analysis.signals.iter().filter(|s| s.asserted()).collect();
        let of = |family: &str| -> Vec<&Signal> {
            asserted
                .iter()
                .copied()
                .filter(|s| s.category.starts_with(family))
                .collect()
        };
        let mut actions: Vec<Action> = Vec::new();
        let reply = |id: &str, values: &ReplyValues| -> (Option<Reply>, Vec<&'static str>) {
            match lang {
                Some(lang) => match self.resources().replies.fill(lang, id, values) {
                    Ok(reply) => (Some(reply), Vec::new()),
                    Err(missing) => (None, missing),
                },
                None => (None, Vec::new()),
            }
        };
        let mut push = |kind: ActionKind,
                        what: String,
                        why: Vec<String>,
                        template: Option<&str>,
                        values: &ReplyValues,
                        resource: Option<DirectoryEntry>| {
            let (filled, missing) = template.map_or((None, Vec::new()), |id| reply(id, values));
            let template = match (&filled, template) {
                (None, Some(id)) => Some(id.to_string()),
                _ => None,
            };
            actions.push(Action {
                kind,
                what,
                why,
                reply: filled,
                template,
                missing,
                resource,
            });
        };
        let values = &options.values;

        // Safety first.
        let mut urgent_done = Vec::new();
        for s in of("disclosure.") {
            let kind = s.category.trim_start_matches("disclosure.");
            let urgent = s.severity == Some(Severity::Urgent)
                && matches!(
                    Disclosure::parse(kind),
                    Some(Disclosure::SelfHarm | Disclosure::ThreatToLife)
                );
            if urgent && !urgent_done.contains(&kind) {
                urgent_done.push(kind);
                push(
                    ActionKind::UrgentSafety,
                    "Follow the emergency protocol now: ask about immediate safety, give the crisis line, stay with the client, and alert your supervisor.".into(),
                    vec![why(s)],
                    Some(&format!("urgent.{kind}")),
                    values,
                    None,
                );
            }
        }

        // Abuse aimed at the worker, and escalation.
        let abuse: Vec<&Signal> = of("abuse.")
            .into_iter()
            .filter(|s| {
                s.targeted == Some(true)
                    && s.category != Category::Abuse(Abuse::ComplaintLeverage).name()
            })
            .collect();
        if let Some(worst) = abuse.iter().max_by_key(|s| {
            (
                s.severity,
                s.category == Category::Abuse(Abuse::Threat).name(),
            )
        }) {
            let kind = worst.category.trim_start_matches("abuse.");
            push(
                ActionKind::AbuseReply,
                "Set the limit calmly: name the behaviour, say what happens if it continues, and keep to it.".into(),
                abuse.iter().map(|s| why(s)).collect(),
                Some(&format!("abuse.{kind}")),
                values,
                None,
            );
        }
        let crossings: Vec<&Signal> = of("crossing.");
        let earlier_crossings = options
            .history
            .iter()
            .filter(|a| {
                a.signals
                    .iter()
                    .any(|s| s.asserted() && s.category.starts_with("crossing."))
            })
            .count();
        let serious_crossing = crossings
            .iter()
            .any(|s| s.category == Category::Crossing(Crossing::Sexual).name());
        let threat = abuse
            .iter()
            .any(|s| s.category == Category::Abuse(Abuse::Threat).name());
        let repeated_abuse = !abuse.is_empty()
            && options.history.iter().any(|a| {
                a.signals
                    .iter()
                    .any(|s| s.asserted() && s.targeted == Some(true))
            });
        let mut reasons = Vec::new();
        if !urgent_done.is_empty() {
            reasons.push("an urgent disclosure".to_string());
        }
        if threat {
            reasons.push("a threat against you".to_string());
        }
        if repeated_abuse {
            reasons.push("repeated abuse".to_string());
        }
        if serious_crossing {
            reasons.push("a sexual advance".to_string());
        }
        if !crossings.is_empty() && earlier_crossings >= 1 {
            reasons.push(format!(
                "boundary crossings in {} messages",
                earlier_crossings + 1
            ));
        }
        if !reasons.is_empty() {
            push(
                ActionKind::EscalateToSupervisor,
                format!(
                    "Tell your supervisor and record an incident: {}.",
                    reasons.join(", ")
                ),
                reasons.clone(),
                None,
                values,
                None,
            );
            push(
                ActionKind::Handover,
                "If a colleague takes over, introduce them and pass on what the client told you."
                    .into(),
                reasons,
                Some("handover"),
                values,
                None,
            );
        }

        // Boundaries, one reply per kind of crossing.
        let mut seen_crossing = Vec::new();
        for s in &crossings {
            let kind = s.category.trim_start_matches("crossing.");
            if seen_crossing.contains(&kind) {
                continue;
            }
            seen_crossing.push(kind);
            let (action, what) = if kind == Crossing::AfterHours.as_str() {
                (
                    ActionKind::AfterHoursReply,
                    "The message came outside your hours: acknowledge it, say when you are back, point to urgent help, and do not answer in full now.",
                )
            } else {
                (
                    ActionKind::BoundaryReply,
                    "Answer courteously but firmly: acknowledge the feeling, state the limit, redirect to what you can do.",
                )
            };
            // Referral-type boundaries (money, counselling) name a resource when one fits.
            let category = match kind {
                "money_request" => Some("money_trouble"),
                "counselling" => Some("mental_health"),
                _ => None,
            };
            let resource = category.zip(lang).and_then(|(c, l)| {
                best_resource(options.directory, c, l, options.region.as_deref())
            });
            let mut with_resource = values.clone();
            if let Some(r) = &resource {
                with_resource.set("resource_name", r.name.clone());
                with_resource.set("resource_contact", r.contact.clone());
            }
            push(
                action,
                what.into(),
                vec![why(s)],
                Some(&format!("boundary.{kind}")),
                &with_resource,
                resource,
            );
        }

        // Referrals, one per disclosure category, the urgent ones included (crisis services).
        let mut seen_disclosure = Vec::new();
        for s in of("disclosure.") {
            let kind = s.category.trim_start_matches("disclosure.");
            if seen_disclosure.contains(&kind) {
                continue;
            }
            seen_disclosure.push(kind);
            let resource = lang
                .and_then(|l| best_resource(options.directory, kind, l, options.region.as_deref()));
            let mut with_resource = values.clone();
            let what = match &resource {
                Some(r) => {
                    with_resource.set("resource_name", r.name.clone());
                    with_resource.set("resource_contact", r.contact.clone());
                    format!(
                        "Offer a referral to {}, in the client's words and at their pace.",
                        r.name
                    )
                }
                None => format!(
                    "Offer a referral for {}: the directory has no service for it in this language and region yet; add one.",
                    kind.replace('_', " ")
                ),
            };
            push(
                ActionKind::Referral,
                what,
                vec![why(s)],
                Some(&format!("referral.{kind}")),
                &with_resource,
                resource,
            );
        }

        // The opening: the strongest emotion and the orientation.
        let orientation = analysis
            .orientation
            .as_ref()
            .map_or(Orientation::Neutral, |o| o.orientation);
        let side = if orientation == Orientation::You {
            "you"
        } else {
            "i"
        };
        let emotion = analysis.emotions.first().map(|e| e.emotion);
        let feeling = emotion.map_or("neutral", Emotion::as_str);
        let strategy = analysis
            .orientation
            .as_ref()
            .map_or("acknowledge and ask an open question", |o| o.strategy);
        let mut because: Vec<String> = analysis
            .emotions
            .first()
            .map(|e| format!("emotion.{} {:.2}", e.emotion, e.intensity))
            .into_iter()
            .collect();
        because.push(format!("orientation: {orientation:?}").to_lowercase());
        push(
            ActionKind::EmpatheticOpening,
            format!("Open with empathy; the message calls for this: {strategy}."),
            because,
            Some(&format!("opening.{side}.{feeling}")),
            values,
            None,
        );

        if options.first_contact {
            push(
                ActionKind::FirstContactStatement,
                "At the first contact, say what you can help with and how what they tell you is kept confidential.".into(),
                vec!["first message of the conversation".into()],
                Some("first_contact"),
                values,
                None,
            );
        }

        let follow_up_reasons: Vec<String> = asserted
            .iter()
            .filter(|s| {
                s.category.starts_with("crossing.")
                    && s.category != Category::Crossing(Crossing::AfterHours).name()
                    || s.category.starts_with("disclosure.") && s.severity >= Some(Severity::High)
                    || s.targeted == Some(true)
            })
            .map(|s| why(s))
            .collect();
        if !follow_up_reasons.is_empty() {
            push(
                ActionKind::ScheduleFollowUp,
                "Schedule a follow-up with a date, and keep it, without giving in to pressure."
                    .into(),
                follow_up_reasons,
                Some("follow_up"),
                values,
                None,
            );
        }

        let sensitive = !analysis.pii.is_empty() || !seen_disclosure.is_empty();
        if sensitive {
            let mut reasons: Vec<String> = analysis.pii.iter().map(|p| p.kind.clone()).collect();
            reasons.extend(seen_disclosure.iter().map(|d| format!("disclosure.{d}")));
            reasons.dedup();
            push(
                ActionKind::RedactBeforeStoring,
                "Redact personal data and disclosures before the message is stored or logged."
                    .into(),
                reasons,
                None,
                values,
                None,
            );
        }

        actions.sort_by_key(|a| a.kind);
        Advice {
            language: lang,
            actions,
        }
    }
}

/// The directory entry that fits a category, language and region best; ties keep directory
/// order, so an organisation lists its preferred service first.
fn best_resource(
    directory: &[DirectoryEntry],
    category: &str,
    lang: Lang,
    region: Option<&str>,
) -> Option<DirectoryEntry> {
    let mut best: Option<(u8, &DirectoryEntry)> = None;
    for entry in directory {
        if let Some(fit) = entry.fit(category, lang, region)
            && best.is_none_or(|(b, _)| fit > b)
        {
            best = Some((fit, entry));
        }
    }
    best.map(|(_, e)| e.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(categories: &[&str], languages: &[&str], regions: &[&str]) -> DirectoryEntry {
        DirectoryEntry {
            name: format!("{categories:?} {languages:?} {regions:?}"),
            categories: categories.iter().map(|s| s.to_string()).collect(),
            languages: languages.iter().filter_map(|l| Lang::parse(l)).collect(),
            regions: regions.iter().map(|s| s.to_string()).collect(),
            contact: "x".into(),
            hours: None,
        }
    }

    #[test]
    fn the_most_specific_resource_that_serves_the_client_wins() {
        let fr = Lang::parse("fr").unwrap();
        let directory = vec![
            entry(&["domestic_violence"], &[], &[]),
            entry(&["domestic_violence"], &["fr"], &["FR"]),
            entry(&["domestic_violence"], &["nl"], &["BE"]),
            entry(&["money_trouble"], &["fr"], &["FR"]),
        ];
        let best = best_resource(&directory, "domestic_violence", fr, Some("FR-75")).unwrap();
        assert_eq!(best, directory[1]);
        let best = best_resource(&directory, "domestic_violence", fr, Some("BE")).unwrap();
        assert_eq!(best, directory[0], "the Belgian entry serves Dutch only");
        assert!(best_resource(&directory, "immigration", fr, None).is_none());
    }

    #[test]
    fn an_action_names_the_need_behind_it() {
        let mut action = Action {
            kind: ActionKind::Referral,
            what: String::new(),
            why: vec!["disclosure.domestic_violence (he hits me)".into()],
            reply: None,
            template: None,
            missing: Vec::new(),
            resource: None,
        };
        assert_eq!(action.need(), Some("disclosure.domestic_violence"));
        action.why = vec!["crossing.money".into()];
        assert_eq!(action.need(), Some("crossing.money"));
        action.why.clear();
        assert_eq!(action.need(), None);
    }
}
