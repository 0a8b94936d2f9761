//! What a message says beyond personal data: sensitive disclosures, emotions, boundary crossings,
//! abuse, and whether the client speaks about themselves or about the organisation (P2–P5, P9,
//! P18, P19, P23–P27).
//!
//! Lexicon matches become findings here, after the context that changes their meaning is read:
//! - **negation** ("I'm not suicidal"): a negator within the language's window before the match
//!   (or after it, for languages that negate after the verb), in the same clause and not across a
//!   comma;
//! - **hypotheticals, policy questions, reported or general speech** ("what if", "what do you do
//!   when someone…", "my neighbour says", "an article about"): anywhere in the same sentence;
//! - **who it is about**: someone close ("my husband", "my son") or the speaker;
//! - **quotes**: words inside quotation marks, three words or more, are someone else's words
//!   (`he wrote "I'll make you pay"`), even when they say "I"; scare quotes around a word or two
//!   change nothing;
//! - **sarcasm** ("yeah right", "merci pour rien"): thanks or praise in its clause is read as
//!   frustration.
//!
//! A modifier that lies inside the matched phrase does not act on it: "I don't want to live" is a
//! disclosure whose phrase contains its own negator. Of two overlapping phrases of the same family
//! the longer wins. The result keeps every finding with its modality, so a worker (or an auditor)
//! sees both "asserted" disclosures and those only mentioned.

use crate::category::{Abuse, Category, Crossing, Disclosure, Emotion, Modifier, Severity};
use crate::finding::Span;
use crate::lexicon::{LexMatch, WordView};
use crate::resources::{Entry, Person, Scope};
use crate::text::{ScriptCounts, is_clause_end};
use serde::Serialize;

/// How a finding is meant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Modality {
    /// Said as a fact about the speaker or someone close.
    Asserted,
    /// Reported or general speech: someone else's words, an article, a topic.
    Reported,
    /// A question about policy or what happens if.
    Question,
    /// A hypothetical.
    Hypothetical,
    /// Negated.
    Negated,
}

/// Whom a disclosure is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Subject {
    /// The client.
    Speaker,
    /// Someone close to the client (family, partner, friend).
    Close,
    /// Someone else, or people in general.
    Other,
}

/// A modifier that changed a finding's meaning, for the evidence trail.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModifierEvidence {
    /// Which modifier.
    pub modifier: Modifier,
    /// The entry that fired.
    pub rule: String,
    /// Where it is.
    pub span: Span,
}

/// One finding from the lexicons, with its context.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Signal {
    /// `disclosure.self_harm`, `emotion.anger`, `crossing.money_request`, `abuse.insult` …
    pub category: String,
    /// How serious, after context (a negated disclosure is low).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
    /// How it is meant.
    pub modality: Modality,
    /// Whom it is about (disclosures).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<Subject>,
    /// Emotion intensity 0–1 after intensifiers (emotions).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub intensity: Option<f32>,
    /// For abuse: aimed at the worker or the organisation, rather than venting.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub targeted: Option<bool>,
    /// The words that fired.
    pub span: Span,
    /// Their text.
    pub text: String,
    /// The lexicon entry that fired.
    pub rule: String,
    /// The modifiers that changed its meaning.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub context: Vec<ModifierEvidence>,
}

impl Signal {
    /// Whether the finding counts as said, about the speaker or someone close: what a worker must
    /// act on.
    pub fn asserted(&self) -> bool {
        self.modality == Modality::Asserted && self.subject != Some(Subject::Other)
    }
}

/// I-language versus you-language (P23–P25).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Orientation {
    /// Mostly about themselves: wants validation.
    I,
    /// Mostly about the organisation or the worker: wants ownership, an apology and a fix.
    You,
    /// Neither clearly.
    Neutral,
}

/// The orientation with the counts behind it and the reply strategy it calls for.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrientationReport {
    /// The orientation.
    pub orientation: Orientation,
    /// First-person words counted.
    pub first_person: usize,
    /// Second-person and organisation words counted.
    pub second_person: usize,
    /// What the reply should do.
    pub strategy: &'static str,
}

/// Shouting and other typographic cues of escalation.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Intensity {
    /// Share of capital letters among cased letters (0 when there are too few to tell).
    pub capitals: f32,
    /// Runs like "!!!" or "?!?".
    pub repeated_punctuation: usize,
    /// Questions asked ("?" at clause ends).
    pub questions: usize,
}

/// Everything read from one message's lexicon matches.
#[derive(Debug, Clone, Default)]
pub(crate) struct Reading {
    pub signals: Vec<Signal>,
    pub orientation: Option<OrientationReport>,
}

/// Byte positions of words in the folded text, for windows counted in words.
struct Words {
    starts: Vec<usize>,
}

impl Words {
    /// Words starting in `from..to`.
    fn between(&self, from: usize, to: usize) -> usize {
        if to <= from {
            return 0;
        }
        self.starts.partition_point(|&s| s < to) - self.starts.partition_point(|&s| s < from)
    }
}

/// Where negation stops: clause ends and commas, as sorted byte positions of the folded text.
struct Boundaries(Vec<usize>);

impl Boundaries {
    fn new(folded: &str) -> Boundaries {
        Boundaries(
            folded
                .char_indices()
                .filter(|&(_, c)| is_clause_end(c) || matches!(c, ',' | '，' | '、' | '،'))
                .map(|(i, _)| i)
                .collect(),
        )
    }

    /// Whether text between two positions crosses a clause end or a comma.
    fn crossed(&self, from: usize, to: usize) -> bool {
        from < to
            && self
                .0
                .get(self.0.partition_point(|&b| b < from))
                .is_some_and(|&b| b < to)
    }
}

/// Stretches of the folded text inside quotation marks that are long enough to be someone's words
/// rather than scare quotes: three words or more (four characters or more without spaces).
/// Typographic quotes and guillemets are already `"` in folded text; CJK corner brackets are
/// kept. An ASCII quote left open at a line break is dropped, so a stray `"` cannot swallow the
/// rest of a message.
struct Quotes(Vec<(usize, usize)>);

impl Quotes {
    fn new(folded: &str, words: &Words, spaced: bool) -> Quotes {
        let mut spans = Vec::new();
        let mut open: Option<(usize, char)> = None;
        for (i, c) in folded.char_indices() {
            match (open, c) {
                (Some((start, closer)), c) if c == closer => {
                    let long = if spaced {
                        words.between(start, i) >= 3
                    } else {
                        i - start >= 12
                    };
                    if long {
                        spans.push((start, i));
                    }
                    open = None;
                }
                (Some((_, '"')), '\n') => open = None,
                (None, '"') => open = Some((i + 1, '"')),
                (None, '「') => open = Some((i + c.len_utf8(), '」')),
                (None, '『') => open = Some((i + c.len_utf8(), '』')),
                (None, '‹') => open = Some((i + c.len_utf8(), '›')),
                _ => {}
            }
        }
        Quotes(spans)
    }

    /// The quoted stretch holding `start..end`, if any.
    fn around(&self, start: usize, end: usize) -> Option<(usize, usize)> {
        self.0
            .iter()
            .copied()
            .find(|&(from, to)| from <= start && end <= to)
    }
}

/// Clause (sentence) index of a byte position.
fn clause_of(clauses: &[(usize, usize)], at: usize) -> usize {
    clauses.partition_point(|&(_, end)| end <= at)
}

fn default_severity(category: Category) -> Option<Severity> {
    Some(match category {
        Category::Disclosure(Disclosure::SelfHarm | Disclosure::ThreatToLife) => Severity::Urgent,
        Category::Disclosure(Disclosure::DomesticViolence) => Severity::High,
        Category::Disclosure(_) => Severity::Moderate,
        Category::Crossing(Crossing::Sexual) => Severity::High,
        Category::Crossing(_) => Severity::Moderate,
        Category::Abuse(Abuse::Threat) => Severity::Urgent,
        Category::Abuse(Abuse::Insult | Abuse::Harassment | Abuse::Slur) => Severity::High,
        Category::Abuse(Abuse::Profanity | Abuse::ComplaintLeverage) => Severity::Low,
        _ => return None,
    })
}

/// Reads the lexicon matches of one message.
pub(crate) fn read(
    entries: &[Entry],
    folded: &str,
    view: &WordView,
    matches: &[LexMatch],
    spaced: bool,
    window: usize,
) -> Reading {
    let clauses = crate::text::clauses(folded);
    let words = Words {
        starts: view.word_starts(spaced),
    };
    let boundaries = Boundaries::new(folded);
    let quotes = Quotes::new(folded, &words, spaced);
    let window = if spaced { window } else { window * 2 };

    let is_content = |m: &LexMatch| {
        matches!(
            entries[m.entry as usize].category,
            Category::Disclosure(_)
                | Category::Emotion(_)
                | Category::Crossing(_)
                | Category::Abuse(_)
        )
    };
    let family = |m: &LexMatch| entries[m.entry as usize].category;
    // The longer of two overlapping phrases of the same category wins ("envie de vivre" inside
    // "n'ai plus envie de vivre"); different categories may overlap ("fucking" is profanity inside
    // the insult "fucking idiot").
    let mut content: Vec<&LexMatch> = Vec::new();
    let mut candidates: Vec<&LexMatch> = matches.iter().filter(|m| is_content(m)).collect();
    candidates.sort_by(|a, b| {
        (b.end - b.start)
            .cmp(&(a.end - a.start))
            .then(a.start.cmp(&b.start))
    });
    for m in candidates {
        if !content
            .iter()
            .any(|k| family(k) == family(m) && k.start < m.end && m.start < k.end)
        {
            content.push(m);
        }
    }
    content.sort_by_key(|m| (m.start, m.end));
    let modifiers: Vec<(&LexMatch, Modifier)> = matches
        .iter()
        .filter_map(|m| match entries[m.entry as usize].category {
            Category::Modifier(kind) => Some((m, kind)),
            _ => None,
        })
        .collect();
    // A modifier inside any content phrase is part of that phrase ("don't want to live").
    // First-person words only count toward orientation, below; they act on no finding. Each free
    // modifier carries its clause.
    let free: Vec<(&LexMatch, Modifier, usize)> = modifiers
        .iter()
        .copied()
        .filter(|&(_, kind)| kind != Modifier::FirstPerson)
        .filter(|(m, _)| !content.iter().any(|c| c.start <= m.start && m.end <= c.end))
        .map(|(m, kind)| (m, kind, clause_of(&clauses, m.start)))
        .collect();

    let mut signals = Vec::new();
    for m in &content {
        let entry = &entries[m.entry as usize];
        let clause = clause_of(&clauses, m.start);
        let mut context = Vec::new();
        let mut negated = false;
        let mut hypothetical = false;
        let mut question = false;
        let mut reported: Option<usize> = None;
        let mut close: Option<usize> = None;
        let mut second = false;
        let mut sarcastic = false;
        let mut multiplier = 1.0f32;
        for &(modifier, kind, modifier_clause) in &free {
            let modifier_entry = &entries[modifier.entry as usize];
            let same_clause = modifier_clause == clause;
            let before = modifier.end <= m.start
                && words.between(modifier.end, m.start) <= window
                && !boundaries.crossed(modifier.end, m.start);
            let after = modifier.start >= m.end
                && words.between(m.end, modifier.start) <= window
                && !boundaries.crossed(m.end, modifier.start);
            let near = before || after;
            let acts = match kind {
                Modifier::Negation => match modifier_entry.scope {
                    Scope::Forward => before,
                    Scope::Backward => after,
                    Scope::Clause => same_clause,
                },
                Modifier::Hypothetical | Modifier::Question | Modifier::Reported => same_clause,
                Modifier::Intensifier | Modifier::Diminisher => {
                    before && words.between(modifier.end, m.start) <= 2
                }
                Modifier::ClosePerson => same_clause,
                Modifier::SecondPerson | Modifier::Organisation => {
                    near || same_clause
                        && words.between(modifier.end.min(m.end), modifier.start.max(m.start))
                            <= window + 2
                }
                Modifier::Sarcasm => {
                    same_clause && entry.category == Category::Emotion(Emotion::Gratitude)
                }
                Modifier::FirstPerson | Modifier::Quote => false,
            };
            if !acts {
                continue;
            }
            match kind {
                // Saying an insult or slur with a negator still says it ("I won't talk to a …").
                Modifier::Negation if matches!(entry.category, Category::Abuse(_)) => continue,
                Modifier::Negation => negated = true,
                Modifier::Hypothetical => hypothetical = true,
                Modifier::Question => question = true,
                Modifier::Reported => {
                    reported =
                        Some(reported.map_or(modifier.start, |r: usize| r.min(modifier.start)))
                }
                Modifier::ClosePerson => {
                    close = Some(close.map_or(modifier.start, |c: usize| c.min(modifier.start)))
                }
                Modifier::SecondPerson | Modifier::Organisation => second = true,
                Modifier::Intensifier => multiplier *= modifier_entry.intensity.unwrap_or(1.5),
                Modifier::Diminisher => multiplier *= modifier_entry.intensity.unwrap_or(0.6),
                Modifier::Sarcasm => sarcastic = true,
                Modifier::FirstPerson | Modifier::Quote => {}
            }
            context.push(ModifierEvidence {
                modifier: kind,
                rule: modifier_entry.id.clone(),
                span: Span::bytes(modifier.start, modifier.end),
            });
        }
        let quoted = quotes.around(m.start, m.end);
        // A threat the client quotes ("he texted me \"I'll kill you\"") was made to them: it is a
        // threat to their safety, not abuse of the worker. Anything else quoted is someone
        // else's words.
        let quoted_threat = quoted.is_some() && entry.category == Category::Abuse(Abuse::Threat);
        if let Some((from, to)) = quoted {
            if !quoted_threat {
                reported = Some(reported.map_or(from, |r| r.min(from)));
            }
            context.push(ModifierEvidence {
                modifier: Modifier::Quote,
                rule: "computed:quote".to_string(),
                span: Span::bytes(from, to),
            });
        }
        // Words that say "myself" keep the finding about the speaker even inside reported speech
        // ("he says he'll kill me"), but not inside quotation marks, where "I" is someone else.
        let first_person_phrase = entry.person == Some(Person::First) && quoted.is_none();
        // "My neighbour says her husband drinks": the close person named after the reporting
        // words is the reported person's, not the speaker's.
        // A close person only keeps a quote asserted for disclosures ("my son wrote \"I want to
        // die\""); a quoted insult is never aimed at the worker.
        let close = close.is_some_and(|c| reported.is_none_or(|r| c < r))
            && (quoted.is_none() || matches!(entry.category, Category::Disclosure(_)));
        let reported = reported.is_some();
        let modality = if negated {
            Modality::Negated
        } else if hypothetical {
            Modality::Hypothetical
        } else if question {
            Modality::Question
        } else if reported && !first_person_phrase && !close {
            Modality::Reported
        } else {
            Modality::Asserted
        };
        // "Thanks a lot, yeah right": thanks said sarcastically is frustration.
        let category = if sarcastic {
            Category::Emotion(Emotion::Frustration)
        } else if quoted_threat {
            Category::Disclosure(Disclosure::ThreatToLife)
        } else {
            entry.category
        };
        let subject = match category {
            Category::Disclosure(_) => Some(if first_person_phrase || quoted_threat {
                Subject::Speaker
            } else if close {
                Subject::Close
            } else if modality == Modality::Reported {
                Subject::Other
            } else {
                Subject::Speaker
            }),
            _ => None,
        };
        let base = if quoted_threat {
            default_severity(category)
        } else {
            entry.severity.or_else(|| default_severity(category))
        };
        // "you idiot": the "you" inside the phrase aims it as surely as one before it.
        let addressed_inside = modifiers.iter().any(|(modifier, kind)| {
            matches!(kind, Modifier::SecondPerson | Modifier::Organisation)
                && m.start <= modifier.start
                && modifier.end <= m.end
        });
        let targeted = match category {
            Category::Abuse(_) if quoted.is_some() => Some(false),
            Category::Abuse(_) => {
                Some(second || addressed_inside || entry.person == Some(Person::Second))
            }
            _ => None,
        };
        let severity = base.map(|s| match (modality, category) {
            (Modality::Negated, _) => Severity::Low,
            (Modality::Asserted, Category::Abuse(Abuse::Profanity | Abuse::Insult))
                if targeted == Some(false) =>
            {
                Severity::Low
            }
            (Modality::Asserted, Category::Abuse(Abuse::Profanity)) => Severity::Moderate,
            (Modality::Asserted, _) => s,
            (_, Category::Crossing(_)) => s,
            _ => s.min(Severity::Moderate),
        });
        let intensity = match category {
            Category::Emotion(_) => {
                Some((entry.intensity.unwrap_or(0.5) * multiplier).clamp(0.0, 1.0))
            }
            _ => None,
        };
        signals.push(Signal {
            category: category.name(),
            severity,
            modality,
            subject,
            intensity,
            targeted,
            span: Span::bytes(m.start, m.end),
            text: folded[m.start..m.end].to_string(),
            rule: entry.id.clone(),
            context,
        });
    }

    // I/you orientation: pronouns wherever they are (inside phrases too: "mnie bije"), plus the
    // findings that carry a person without a pronoun — a disclosure or emotion of the speaker in
    // languages that drop pronouns, a crossing or abuse aimed at the worker.
    let count = |wanted: &[Modifier]| modifiers.iter().filter(|(_, k)| wanted.contains(k)).count();
    let has_pronoun = |s: &Signal| {
        modifiers.iter().any(|(m, k)| {
            *k == Modifier::FirstPerson && s.span.start <= m.start && m.end <= s.span.end
        })
    };
    let implied_first = signals
        .iter()
        .filter(|s| s.asserted() && s.subject == Some(Subject::Speaker) && !has_pronoun(s))
        .filter(|s| s.category.starts_with("disclosure.") || s.category.starts_with("emotion."))
        .count();
    let implied_second = signals
        .iter()
        .filter(|s| {
            s.asserted() && (s.targeted == Some(true) || s.category.starts_with("crossing."))
        })
        .count();
    let first = count(&[Modifier::FirstPerson]) + implied_first.min(1);
    let second = count(&[Modifier::SecondPerson, Modifier::Organisation]) + implied_second.min(1);
    // A tie goes to you-language: a client who blames the organisation at all wants ownership.
    let orientation = if second > 0 && second >= first {
        Orientation::You
    } else if first > 0 {
        Orientation::I
    } else {
        Orientation::Neutral
    };
    let strategy = match orientation {
        Orientation::I => "validate: acknowledge their experience and feelings before solving",
        Orientation::You => "take ownership: apologise, say what you will fix and when",
        Orientation::Neutral => "acknowledge and ask an open question to clarify the need",
    };
    Reading {
        signals,
        orientation: Some(OrientationReport {
            orientation,
            first_person: first,
            second_person: second,
            strategy,
        }),
    }
}

/// Shouting cues: capitals from the original text's letter counts (`scripts`, made once per
/// message), punctuation runs and questions from the folded text.
pub(crate) fn intensity(scripts: &ScriptCounts, folded: &str) -> Intensity {
    let capitals = if scripts.cased() >= 8 {
        scripts.upper as f32 / scripts.cased() as f32
    } else {
        0.0
    };
    let mut repeated = 0;
    let mut run = 0;
    let mut questions = 0;
    for c in folded.chars() {
        if matches!(c, '?' | '？' | '؟') {
            questions += 1;
        }
        if matches!(c, '!' | '?' | '！' | '？') {
            run += 1;
            if run == 2 {
                repeated += 1;
            }
        } else {
            run = 0;
        }
    }
    Intensity {
        capitals,
        repeated_punctuation: repeated,
        questions,
    }
}

/// Summary per emotion: the strongest finding, raised by shouting for anger and frustration.
pub(crate) fn emotions(signals: &[Signal], cues: &Intensity) -> Vec<(Emotion, f32)> {
    let mut out: Vec<(Emotion, f32)> = Vec::new();
    for s in signals.iter().filter(|s| s.modality == Modality::Asserted) {
        let Some(name) = s.category.strip_prefix("emotion.") else {
            continue;
        };
        let Some(emotion) = Emotion::parse(name) else {
            continue;
        };
        let value = s.intensity.unwrap_or(0.5);
        match out.iter_mut().find(|(e, _)| *e == emotion) {
            Some(slot) => slot.1 = slot.1.max(value) + 0.1 * slot.1.min(value),
            None => out.push((emotion, value)),
        }
    }
    let shouting = (if cues.capitals > 0.6 { 0.2 } else { 0.0 })
        + 0.1 * cues.repeated_punctuation.min(2) as f32;
    for (emotion, value) in &mut out {
        if matches!(emotion, Emotion::Anger | Emotion::Frustration) {
            *value += shouting;
        }
        *value = value.clamp(0.0, 1.0);
    }
    out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    out
}

/// Adds the crossings that come from context rather than words: contact outside the worker's
/// hours, and over-sharing (several intimate disclosures in one message).
pub(crate) fn add_computed(signals: &mut Vec<Signal>, time: Option<&crate::context::TimeContext>) {
    let disclosures: Vec<&Signal> = signals
        .iter()
        .filter(|s| s.category.starts_with("disclosure.") && s.asserted())
        .collect();
    let categories: std::collections::BTreeSet<&str> =
        disclosures.iter().map(|s| s.category.as_str()).collect();
    if categories.len() >= 3 || disclosures.len() >= 4 {
        let start = disclosures.iter().map(|s| s.span.start).min().unwrap_or(0);
        let end = disclosures.iter().map(|s| s.span.end).max().unwrap_or(0);
        signals.push(computed(
            Crossing::Oversharing,
            Severity::Moderate,
            Span::bytes(start, end),
            "computed:oversharing",
        ));
    }
    if time.is_some_and(|t| t.after_hours()) {
        signals.push(computed(
            Crossing::AfterHours,
            Severity::Low,
            Span::bytes(0, 0),
            "computed:after_hours",
        ));
    }
}

fn computed(kind: Crossing, severity: Severity, span: Span, rule: &str) -> Signal {
    Signal {
        category: Category::Crossing(kind).name(),
        severity: Some(severity),
        modality: Modality::Asserted,
        subject: None,
        intensity: None,
        targeted: None,
        span,
        text: String::new(),
        rule: rule.to_string(),
        context: Vec::new(),
    }
}

/// How heated one message is, 0 to 1.
pub(crate) fn heat(
    emotions: &[crate::engine::EmotionLevel],
    signals: &[Signal],
    cues: &Intensity,
) -> f32 {
    let angry = emotions
        .iter()
        .filter(|e| matches!(e.emotion, Emotion::Anger | Emotion::Frustration))
        .map(|e| e.intensity)
        .fold(0.0f32, f32::max);
    let abuse = signals.iter().any(|s| {
        s.asserted() && s.targeted == Some(true) && s.category != "abuse.complaint_leverage"
    });
    let shouting =
        if cues.capitals > 0.6 { 0.2 } else { 0.0 } + 0.1 * cues.repeated_punctuation.min(2) as f32;
    (angry + if abuse { 0.3 } else { 0.0 } + shouting).clamp(0.0, 1.0)
}

/// Where a conversation's temperature is heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Trend {
    /// Getting more heated.
    Rising,
    /// About the same.
    Steady,
    /// Cooling down.
    Calming,
}

/// The escalation of a conversation from the heat of the client's messages, oldest first: the
/// latest message against the mean of up to three before it, so a single outburst after calm is
/// rising and one calm reply after a heated exchange is calming, while a conversation that stays
/// heated is steady.
pub fn escalation(heats: &[f32]) -> Trend {
    let Some((&latest, earlier)) = heats.split_last() else {
        return Trend::Steady;
    };
    if earlier.is_empty() {
        return Trend::Steady;
    }
    let before = &earlier[earlier.len().saturating_sub(3)..];
    let before = before.iter().sum::<f32>() / before.len() as f32;
    if latest - before > 0.15 {
        Trend::Rising
    } else if before - latest > 0.15 {
        Trend::Calming
    } else {
        Trend::Steady
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quotes_in(folded: &str, spaced: bool) -> Vec<&str> {
        let view = WordView::new(folded);
        let words = Words {
            starts: view.word_starts(spaced),
        };
        Quotes::new(folded, &words, spaced)
            .0
            .iter()
            .map(|&(from, to)| &folded[from..to])
            .collect()
    }

    #[test]
    fn quotes_are_someones_words_not_scare_quotes() {
        assert_eq!(
            quotes_in("he wrote \"i will find you\" and left", true),
            ["i will find you"]
        );
        // One or two words in quotes are emphasis, not speech.
        assert!(quotes_in("i feel \"fine\" really", true).is_empty());
        // A quote left open at a line break does not swallow the next line.
        assert!(quotes_in("size 5\" screen\nthen \"i will find you", true).is_empty());
        assert_eq!(
            quotes_in("夫から「警察に行ったら殺す」と言われた", false),
            ["警察に行ったら殺す"]
        );
    }

    #[test]
    fn escalation_trends() {
        assert_eq!(escalation(&[]), Trend::Steady);
        assert_eq!(escalation(&[0.1, 0.2, 0.6, 0.8]), Trend::Rising);
        assert_eq!(escalation(&[0.9, 0.8, 0.3, 0.1]), Trend::Calming);
        assert_eq!(escalation(&[0.4, 0.5, 0.45, 0.5]), Trend::Steady);
        assert_eq!(escalation(&[0.0, 0.7]), Trend::Rising);
        assert_eq!(escalation(&[0.0, 0.9, 1.0, 0.0]), Trend::Calming);
        assert_eq!(escalation(&[0.9, 0.8, 0.9, 0.85]), Trend::Steady);
        assert_eq!(escalation(&[0.5]), Trend::Steady);
    }
}
