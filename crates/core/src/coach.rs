//! Coaching a worker's draft reply against the practice (P8–P38): which criteria apply in this
//! situation, which the draft meets and misses (with the sentence that decides it and a
//! suggestion), what must not be there, the promises it makes, and one score a team can track.
//!
//! The draft is read sentence by sentence with the language's `coach.toml` cues, compiled in
//! their own lexicon (they never slow the analysis of client messages). Where a cue sits decides
//! what it means: thanks in the first sentence opens positively (P30), in the last closes (P38).
//! What applies depends on the client message the draft answers: apology and ownership for a
//! complaint aimed at the organisation, validation for feelings, a summary for a long or
//! sensitive message.

use crate::category::{Abuse, Category, CoachCue, Emotion, Modifier};
use crate::commitment::Commitment;
use crate::engine::{Analysis, Engine};
use crate::error::{Error, Result};
use crate::finding::{Span, fill_char_offsets};
use crate::lang::{Lang, LanguageGuess};
use crate::lexicon::{LexMatch, WordView};
use crate::resources::Entry;
use crate::signals::Orientation;
use crate::text::Normalized;
use jiff::civil::DateTime;
use serde::{Deserialize, Serialize};

/// Whether an entry belongs in the lexicon of drafts: the coaching cues, the words for "I",
/// "you" and negation, and profanity and insults (a worker must not use them either).
pub fn reads_in_drafts(entry: &Entry) -> bool {
    matches!(
        entry.category,
        Category::Coach(_)
            | Category::Modifier(
                Modifier::FirstPerson | Modifier::SecondPerson | Modifier::Negation
            )
            | Category::Abuse(Abuse::Profanity | Abuse::Insult)
    )
}

/// Where the draft sits in the conversation; it decides whether closing criteria apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// The first reply to the client.
    First,
    /// A reply in the middle of the conversation.
    Middle,
    /// The reply that ends the conversation.
    Closing,
}

/// What the caller knows about the draft besides its text.
#[derive(Debug, Clone, Default)]
pub struct CoachOptions<'a> {
    /// The draft's language, when known (else the client message's, else detected).
    pub language: Option<Lang>,
    /// The analysis of the client message the draft answers.
    pub client: Option<&'a Analysis>,
    /// Where the draft sits; without it, closing criteria (P37, P38) are reported only when met.
    pub stage: Option<Stage>,
    /// When the draft is written, in the worker's time zone: promises with a time frame are
    /// resolved against it.
    pub reference: Option<DateTime>,
}

/// The criteria of a good reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Criterion {
    /// P30: open with thanks or a positive line.
    ThanksOpening,
    /// P31: apologise for the inconvenience early.
    Apology,
    /// P8, P32: validate the client's feelings.
    Validation,
    /// P10: show the message was heard.
    Acknowledgement,
    /// P10: ask an open question.
    OpenQuestion,
    /// P33: summarise and check.
    SummaryCheck,
    /// P34: take ownership.
    Ownership,
    /// P35: say what you are doing now.
    PresentAction,
    /// P36: a definite time frame or an honest fallback.
    TimeFrame,
    /// P37: ask whether there is anything else.
    AnythingElse,
    /// P38: thank at the close.
    ThanksClosing,
    /// P28: "I" and "you" rather than the corporate "we".
    IYouLanguage,
    /// P29: neither robotic nor too casual, no fillers.
    Register,
}

impl Criterion {
    /// Every criterion, in the order of a reply.
    pub const ALL: [Criterion; 13] = [
        Criterion::ThanksOpening,
        Criterion::Apology,
        Criterion::Validation,
        Criterion::Acknowledgement,
        Criterion::OpenQuestion,
        Criterion::SummaryCheck,
        Criterion::Ownership,
        Criterion::PresentAction,
        Criterion::TimeFrame,
        Criterion::AnythingElse,
        Criterion::ThanksClosing,
        Criterion::IYouLanguage,
        Criterion::Register,
    ];

    /// The stable name used in JSON and test files.
    pub fn as_str(self) -> &'static str {
        match self {
            Criterion::ThanksOpening => "thanks_opening",
            Criterion::Apology => "apology",
            Criterion::Validation => "validation",
            Criterion::Acknowledgement => "acknowledgement",
            Criterion::OpenQuestion => "open_question",
            Criterion::SummaryCheck => "summary_check",
            Criterion::Ownership => "ownership",
            Criterion::PresentAction => "present_action",
            Criterion::TimeFrame => "time_frame",
            Criterion::AnythingElse => "anything_else",
            Criterion::ThanksClosing => "thanks_closing",
            Criterion::IYouLanguage => "i_you_language",
            Criterion::Register => "register",
        }
    }

    /// The practice it serves.
    pub fn practice(self) -> &'static str {
        match self {
            Criterion::ThanksOpening => "P30",
            Criterion::Apology => "P31",
            Criterion::Validation => "P8, P32",
            Criterion::Acknowledgement | Criterion::OpenQuestion => "P10",
            Criterion::SummaryCheck => "P33",
            Criterion::Ownership => "P34",
            Criterion::PresentAction => "P35",
            Criterion::TimeFrame => "P36",
            Criterion::AnythingElse => "P37",
            Criterion::ThanksClosing => "P38",
            Criterion::IYouLanguage => "P28",
            Criterion::Register => "P29",
        }
    }

    /// What to do when it is missed, and the cue whose first phrase makes an example in the
    /// draft's language.
    fn advice(self) -> (&'static str, Option<CoachCue>) {
        match self {
            Criterion::ThanksOpening => (
                "Open with thanks or a positive line.",
                Some(CoachCue::Thanks),
            ),
            Criterion::Apology => (
                "Apologise for the inconvenience early, whatever its cause.",
                Some(CoachCue::Apology),
            ),
            Criterion::Validation => (
                "Name the feeling and say it makes sense before solving.",
                Some(CoachCue::Validation),
            ),
            Criterion::Acknowledgement => (
                "Show you have read what they wrote before moving on.",
                Some(CoachCue::Acknowledgement),
            ),
            Criterion::OpenQuestion => (
                "Ask an open question (what, how, tell me more) to understand the need.",
                Some(CoachCue::OpenQuestion),
            ),
            Criterion::SummaryCheck => (
                "Sum up what you understood in a sentence and ask if you got it right.",
                Some(CoachCue::Summary),
            ),
            Criterion::Ownership => (
                "Take it on yourself: say that you will see it through.",
                Some(CoachCue::Ownership),
            ),
            Criterion::PresentAction => (
                "Say what you are doing right now, in the present tense.",
                Some(CoachCue::PresentAction),
            ),
            Criterion::TimeFrame => (
                "Give a definite, reasonable time (\"by Friday\"), or an honest fallback and updates.",
                Some(CoachCue::Fallback),
            ),
            Criterion::AnythingElse => (
                "Ask whether there is anything else you can do.",
                Some(CoachCue::AnythingElse),
            ),
            Criterion::ThanksClosing => ("End by thanking the client.", Some(CoachCue::Thanks)),
            Criterion::IYouLanguage => (
                "Speak as yourself: \"I\" will do it for \"you\", not \"we\" or \"the company\".",
                None,
            ),
            Criterion::Register => (
                "Write as you would speak to a respected client: no fillers, no script phrases, not too casual.",
                None,
            ),
        }
    }
}

/// How a draft measures up on one criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The draft does it.
    Met,
    /// It applies here and the draft does not do it.
    Missed,
    /// It does not apply in this situation.
    NotApplicable,
}

/// One criterion's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CriterionResult {
    /// Which criterion.
    pub criterion: Criterion,
    /// The practice it serves.
    pub practice: &'static str,
    /// Met, missed or not applicable.
    pub verdict: Verdict,
    /// Why it applies or not, in a few words.
    pub because: &'static str,
    /// The sentence that decides it (the one that meets it, or where it was expected).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sentence: Option<Span>,
    /// The cue that met it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
    /// For a miss: what to do, with an example in the draft's language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
}

/// What must not be in a reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FlagKind {
    /// A promise nobody can keep (P2, P20).
    FalsePromise,
    /// Judgement or blame (P2, P9).
    Blame,
    /// Defensive or argumentative wording (P9).
    Defensive,
    /// Sending the client away (P12, P34).
    BuckPassing,
    /// The worker's own life or venting (P17).
    SelfDisclosure,
    /// Offering personal money or gifts (P18).
    MoneyOffer,
    /// Asking the client for a favour (P19).
    FavourRequest,
    /// The worker's own contact details (P3, P11).
    ContactSharing,
    /// Swearing or insults (P11, P21).
    Profanity,
    /// Doing the client's work for them (P15).
    Rescuing,
}

impl FlagKind {
    /// The stable name used in JSON and test files.
    pub fn as_str(self) -> &'static str {
        match self {
            FlagKind::FalsePromise => "false_promise",
            FlagKind::Blame => "blame",
            FlagKind::Defensive => "defensive",
            FlagKind::BuckPassing => "buck_passing",
            FlagKind::SelfDisclosure => "self_disclosure",
            FlagKind::MoneyOffer => "money_offer",
            FlagKind::FavourRequest => "favour_request",
            FlagKind::ContactSharing => "contact_sharing",
            FlagKind::Profanity => "profanity",
            FlagKind::Rescuing => "rescuing",
        }
    }

    fn of(category: Category) -> Option<FlagKind> {
        Some(match category {
            Category::Coach(CoachCue::FalsePromise) => FlagKind::FalsePromise,
            Category::Coach(CoachCue::Blame) => FlagKind::Blame,
            Category::Coach(CoachCue::Defensive) => FlagKind::Defensive,
            Category::Coach(CoachCue::BuckPassing) => FlagKind::BuckPassing,
            Category::Coach(CoachCue::SelfDisclosure) => FlagKind::SelfDisclosure,
            Category::Coach(CoachCue::MoneyOffer) => FlagKind::MoneyOffer,
            Category::Coach(CoachCue::FavourRequest) => FlagKind::FavourRequest,
            Category::Coach(CoachCue::ContactSharing) => FlagKind::ContactSharing,
            Category::Coach(CoachCue::Rescuing) => FlagKind::Rescuing,
            Category::Abuse(Abuse::Profanity | Abuse::Insult) => FlagKind::Profanity,
            _ => return None,
        })
    }

    fn advice(self) -> &'static str {
        match self {
            FlagKind::FalsePromise => {
                "Promise only what you control: what you will do and by when."
            }
            FlagKind::Blame => "Leave out what the client should have done; say what happens next.",
            FlagKind::Defensive => "Don't argue or tell them to calm down; acknowledge, then act.",
            FlagKind::BuckPassing => {
                "Don't send them away: bring in the right colleague yourself and say who and when."
            }
            FlagKind::SelfDisclosure => {
                "Keep your own life out of it unless it clearly serves the client."
            }
            FlagKind::MoneyOffer => {
                "Don't offer your own money or gifts; point to funds and services instead."
            }
            FlagKind::FavourRequest => {
                "Don't ask the client for anything for yourself: it is a conflict of interest."
            }
            FlagKind::ContactSharing => {
                "Keep your personal contact details private; give the organisation's."
            }
            FlagKind::Profanity => "No swearing or insults, even in sympathy.",
            FlagKind::Rescuing => {
                "Empower rather than rescue: show them how and offer help with the hard part."
            }
        }
    }

    fn practice(self) -> &'static str {
        match self {
            FlagKind::FalsePromise => "P2, P20",
            FlagKind::Blame => "P2, P9",
            FlagKind::Defensive => "P9",
            FlagKind::BuckPassing => "P12, P34",
            FlagKind::SelfDisclosure => "P17",
            FlagKind::MoneyOffer => "P18",
            FlagKind::FavourRequest => "P19",
            FlagKind::ContactSharing => "P3, P11",
            FlagKind::Profanity => "P11, P21",
            FlagKind::Rescuing => "P15",
        }
    }
}

/// Something that must not be in the reply.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Flag {
    /// What it is.
    pub flag: FlagKind,
    /// The practice it goes against.
    pub practice: &'static str,
    /// The words that raised it.
    pub span: Span,
    /// Their text.
    pub text: String,
    /// The lexicon entry that fired.
    pub rule: String,
    /// The sentence it is in.
    pub sentence: Span,
    /// What to do instead.
    pub suggestion: &'static str,
}

/// The coaching of one draft.
#[derive(Debug, Clone, Serialize)]
pub struct CoachReport {
    /// The language the draft was read as.
    pub language: LanguageGuess,
    /// Every criterion with its verdict.
    pub criteria: Vec<CriterionResult>,
    /// What must not be there and is.
    pub flags: Vec<Flag>,
    /// Promises with a time frame, resolved against the reference time.
    pub commitments: Vec<Commitment>,
    /// 0–100: the share of applicable criteria met, less 10 points per flag.
    pub score: u8,
}

impl CoachReport {
    /// The verdict on one criterion.
    pub fn verdict(&self, criterion: Criterion) -> Verdict {
        self.criteria
            .iter()
            .find(|c| c.criterion == criterion)
            .map_or(Verdict::NotApplicable, |c| c.verdict)
    }
}

/// A cue found in the draft, placed in its sentence.
struct Cue<'a> {
    category: Category,
    entry: &'a Entry,
    start: usize,
    end: usize,
    sentence: usize,
}

/// The situation the draft answers, read from the client message.
struct Situation {
    known: bool,
    complaint: bool,
    feelings: bool,
    long_or_sensitive: bool,
    only_thanks: bool,
}

impl Situation {
    fn of(client: Option<&Analysis>) -> Situation {
        let Some(a) = client else {
            return Situation {
                known: false,
                complaint: false,
                feelings: false,
                long_or_sensitive: false,
                only_thanks: false,
            };
        };
        let unhappy = a.emotions.iter().any(|e| e.emotion != Emotion::Gratitude)
            || a.heat > 0.2
            || a.signals
                .iter()
                .any(|s| s.asserted() && s.category.starts_with("abuse."));
        let you = a
            .orientation
            .as_ref()
            .is_some_and(|o| o.orientation == Orientation::You);
        let negative = |e: Emotion| {
            matches!(
                e,
                Emotion::Anger
                    | Emotion::Frustration
                    | Emotion::Distress
                    | Emotion::Fear
                    | Emotion::Shame
            )
        };
        let angry = a
            .emotions
            .iter()
            .any(|e| matches!(e.emotion, Emotion::Anger | Emotion::Frustration));
        let disclosure = a
            .signals
            .iter()
            .any(|s| s.asserted() && s.category.starts_with("disclosure."));
        let feelings = a.emotions.iter().any(|e| negative(e.emotion)) || disclosure;
        let only_thanks = !a.emotions.is_empty()
            && a.emotions.iter().all(|e| e.emotion == Emotion::Gratitude)
            && !disclosure;
        Situation {
            known: true,
            complaint: (you || angry || unhappy) && !only_thanks,
            feelings,
            long_or_sensitive: disclosure || a.heat >= 0.5 || a.chars >= 120,
            only_thanks,
        }
    }
}

impl Engine {
    /// Coaches a worker's draft reply. Errors only on input too large to address.
    pub fn coach(&self, draft: &str, options: &CoachOptions<'_>) -> Result<CoachReport> {
        if draft.len() >= u32::MAX as usize {
            return Err(Error::InputTooLarge(draft.len()));
        }
        let language = match options
            .language
            .or_else(|| options.client.and_then(|c| c.language.lang))
        {
            Some(lang) => LanguageGuess::given(lang),
            None => self.detect_language(draft),
        };
        let norm = Normalized::new(draft);
        let folded = norm.as_str();
        let view = WordView::new(folded);
        let lexicon = self.draft_lexicon();
        let mut matches: Vec<LexMatch> = Vec::new();
        let active = language.lang.map(|l| vec![l]);
        lexicon.find_all(&norm, &view, active.as_deref(), &mut matches);
        let entries = lexicon.entries();
        let sentences: Vec<(usize, usize)> = crate::text::clauses(folded)
            .into_iter()
            .filter(|&(s, e)| folded[s..e].chars().any(crate::text::is_word_char))
            .collect();
        let sentence_of = |at: usize| {
            sentences
                .partition_point(|&(_, end)| end <= at)
                .min(sentences.len().saturating_sub(1))
        };
        let mut cues: Vec<Cue<'_>> = matches
            .iter()
            .map(|m| {
                let entry = &entries[m.entry as usize];
                Cue {
                    category: entry.category,
                    entry,
                    start: m.start,
                    end: m.end,
                    sentence: sentence_of(m.start),
                }
            })
            .collect();
        drop_shadowed(&mut cues);
        let spaced = language
            .lang
            .and_then(|l| self.resources().language(l))
            .is_none_or(|m| m.spaces);
        // Negators just before a cue, in the same clause, cancel it ("I can't guarantee", "kein
        // Geld leihen"); not across a comma ("don't worry, I'll lend you").
        let negated = |cue: &Cue<'_>| {
            cues.iter().any(|n| {
                n.category == Category::Modifier(Modifier::Negation)
                    && n.sentence == cue.sentence
                    && n.end <= cue.start
                    && cue.start - n.end <= if spaced { 12 } else { 6 }
                    && !folded[n.end..cue.start].contains([',', '，', '、', '،', ';'])
            })
        };
        let to_span = |start: usize, end: usize| {
            let (s, e) = norm.to_original(draft, start, end);
            Span::bytes(s, e)
        };
        let sentence_span = |i: usize| {
            sentences
                .get(i)
                .map(|&(s, e)| {
                    let (s, e) = norm.to_original(draft, s, e);
                    let text = &draft[s..e];
                    let lead = text.len() - text.trim_start().len();
                    let trail = text.len() - text.trim_end().len();
                    Span::bytes(s + lead, e - trail)
                })
                .unwrap_or_else(|| Span::bytes(0, draft.len()))
        };
        let has = |cue: CoachCue| cues.iter().find(|c| c.category == Category::Coach(cue));
        let is_question = |i: usize| {
            sentences.get(i).is_some_and(|&(s, e)| {
                let t = folded[s..e].trim_end();
                t.ends_with(['?', '？', '؟']) || t.ends_with("か。") || t.ends_with('か')
            })
        };
        let situation = Situation::of(options.client);
        let last = sentences.len().saturating_sub(1);
        // The conversation's end: when the caller says so, or, without a stage, a draft of
        // several sentences that asks the client nothing reads as a closing.
        let asks_something = (0..sentences.len()).any(|i| {
            is_question(i)
                && !cues.iter().any(|c| {
                    c.sentence == i && c.category == Category::Coach(CoachCue::AnythingElse)
                })
        });
        let closing = options.stage == Some(Stage::Closing);
        let closing_like =
            closing || options.stage.is_none() && !asks_something && sentences.len() >= 2;

        // Commitments: promise cues whose sentence names a time.
        let mut commitments = Vec::new();
        if let (Some(lang), Some(reference)) = (language.lang, options.reference) {
            for cue in cues
                .iter()
                .filter(|c| c.category == Category::Coach(CoachCue::Commitment) && !negated(c))
            {
                if commitments
                    .iter()
                    .any(|c: &(usize, Commitment)| c.0 == cue.sentence)
                {
                    continue;
                }
                let Some(&(s, e)) = sentences.get(cue.sentence) else {
                    continue;
                };
                if let Some((due, ambiguous, (ws, we))) =
                    self.resources()
                        .times
                        .resolve(lang, &folded[s..e], reference)
                {
                    let span = sentence_span(cue.sentence);
                    let cue_span = to_span(cue.start, cue.end);
                    let when = to_span(s + ws, s + we);
                    commitments.push((
                        cue.sentence,
                        Commitment {
                            sentence: draft[span.start..span.end].to_string(),
                            start: span.start,
                            end: span.end,
                            to: "client",
                            cue: draft[cue_span.start..cue_span.end].to_string(),
                            when: draft[when.start..when.end].to_string(),
                            due,
                            ambiguous,
                        },
                    ));
                }
            }
        }
        let timed_sentence = commitments.first().map(|c| c.0).or_else(|| {
            // A time frame without a promise cue still counts for P36 ("by Friday you'll have it").
            let lang = language.lang?;
            let reference = options.reference?;
            (0..sentences.len()).find(|&i| {
                let (s, e) = sentences[i];
                self.resources()
                    .times
                    .resolve(lang, &folded[s..e], reference)
                    .is_some()
            })
        });

        let mut criteria = Vec::new();
        let mut judge = |criterion: Criterion,
                         applies: Option<&'static str>,
                         met: Option<(usize, Option<&Cue<'_>>)>,
                         expected_at: usize| {
            // A criterion the draft meets is reported met even where it was not called for: the
            // worker did it. Only a miss depends on the situation.
            let Some(because) = applies.or(met.is_some().then_some("the draft does it")) else {
                criteria.push(CriterionResult {
                    criterion,
                    practice: criterion.practice(),
                    verdict: Verdict::NotApplicable,
                    because: "not called for here",
                    sentence: None,
                    evidence: None,
                    suggestion: None,
                });
                return;
            };
            let (verdict, sentence, evidence) = match met {
                Some((i, cue)) => (
                    Verdict::Met,
                    Some(sentence_span(i)),
                    cue.map(|c| {
                        let span = to_span(c.start, c.end);
                        draft[span.start..span.end].to_string()
                    }),
                ),
                None => (
                    Verdict::Missed,
                    (!sentences.is_empty()).then(|| sentence_span(expected_at)),
                    None,
                ),
            };
            let suggestion = (verdict == Verdict::Missed).then(|| {
                let (advice, example_cue) = criterion.advice();
                let example = example_cue.and_then(|cue| {
                    entries
                        .iter()
                        .find(|e| {
                            e.category == Category::Coach(cue)
                                && (language.lang.is_none() || e.lang == language.lang)
                        })
                        // A phrase of several words makes a better example than "what".
                        .and_then(|e| {
                            e.phrases
                                .iter()
                                .find(|p| p.contains(' ') && !p.contains(['~', '*']))
                                .or(e.phrases.first())
                        })
                });
                match example {
                    Some(example) => format!("{advice} For example: \u{201c}{example}\u{201d}"),
                    None => advice.to_string(),
                }
            });
            criteria.push(CriterionResult {
                criterion,
                practice: criterion.practice(),
                verdict,
                because,
                sentence,
                evidence,
                suggestion,
            });
        };
        let cue_in = |wanted: &[CoachCue], sentences_wanted: &dyn Fn(usize) -> bool| {
            cues.iter().find(|c| {
                sentences_wanted(c.sentence)
                    && matches!(c.category, Category::Coach(k) if wanted.contains(&k))
            })
        };

        judge(
            Criterion::ThanksOpening,
            (!situation.only_thanks || options.stage != Some(Stage::Closing))
                .then_some("every reply opens the door"),
            found(cue_in(
                &[CoachCue::Thanks, CoachCue::PositiveOpening],
                &|i| i == 0,
            )),
            0,
        );
        judge(
            Criterion::Apology,
            situation
                .complaint
                .then_some("the client complains or is angry"),
            found(has(CoachCue::Apology)),
            0,
        );
        judge(
            Criterion::Validation,
            situation
                .feelings
                .then_some("the client expresses feelings or discloses something"),
            found(has(CoachCue::Validation)),
            0,
        );
        judge(
            Criterion::Acknowledgement,
            (situation.known && !situation.only_thanks).then_some("the client told you something"),
            found(cue_in(
                &[
                    CoachCue::Acknowledgement,
                    CoachCue::Validation,
                    CoachCue::Summary,
                ],
                &|_| true,
            )),
            0,
        );
        let open_question = cues.iter().find(|c| {
            c.category == Category::Coach(CoachCue::OpenQuestion)
                // In a question, or a request of several words ("tell me more").
                && (is_question(c.sentence)
                    || folded[c.start..c.end].contains(' ')
                    || !spaced && c.end - c.start >= 9)
        });
        let first_question = (0..sentences.len()).find(|&i| is_question(i));
        judge(
            Criterion::OpenQuestion,
            if situation.known && !closing && !situation.only_thanks {
                Some("the need is still being clarified")
            } else if first_question.is_some() && !closing {
                Some("the reply asks questions; an open one clarifies more")
            } else {
                None
            },
            found(open_question),
            first_question.unwrap_or(0),
        );
        let summary = has(CoachCue::Summary);
        let check = has(CoachCue::Check);
        judge(
            Criterion::SummaryCheck,
            if situation.long_or_sensitive && !closing {
                Some("the client's message is long, heated or sensitive")
            } else if summary.is_some() || check.is_some() {
                Some("the reply sums up: it needs both the summary and the check")
            } else {
                None
            },
            match (summary, check) {
                (Some(s), Some(_)) => Some((s.sentence, Some(s))),
                _ => None,
            },
            summary.or(check).map_or(0, |c| c.sentence),
        );
        let buck = has(CoachCue::BuckPassing);
        judge(
            Criterion::Ownership,
            situation
                .complaint
                .then_some("something went wrong for the client"),
            if buck.is_some() {
                None
            } else {
                found(has(CoachCue::Ownership))
            },
            buck.map_or(0, |c| c.sentence),
        );
        judge(
            Criterion::PresentAction,
            situation.complaint.then_some("something needs fixing"),
            found(has(CoachCue::PresentAction)),
            0,
        );
        let promise = has(CoachCue::Commitment);
        judge(
            Criterion::TimeFrame,
            (promise.is_some() || situation.complaint)
                .then_some("the reply promises or owes an action"),
            timed_sentence
                .map(|i| (i, None))
                .or_else(|| found(has(CoachCue::Fallback))),
            promise.map_or(0, |c| c.sentence),
        );
        judge(
            Criterion::AnythingElse,
            closing_like.then_some("the reply closes the exchange"),
            found(has(CoachCue::AnythingElse)),
            last,
        );
        let closing_thanks = cue_in(&[CoachCue::Thanks], &|i| {
            i + 2 > last && (i > 0 || sentences.len() == 1)
        });
        judge(
            Criterion::ThanksClosing,
            closing_like.then_some("the reply closes the exchange"),
            found(closing_thanks),
            last,
        );
        // "We" counted once per stretch ("wir haben" is one "we", not two).
        let mut we: Vec<&Cue<'_>> = Vec::new();
        for c in cues
            .iter()
            .filter(|c| c.category == Category::Coach(CoachCue::CorporateWe))
        {
            if we.last().is_none_or(|w| c.start >= w.end) {
                we.push(c);
            }
        }
        let in_we = |c: &Cue<'_>| we.iter().any(|w| c.start < w.end && w.start < c.end);
        // The worker speaking as themselves: "I", or a verb in the first person singular that a
        // cue carries ("entiendo", "le envío", "ich prüfe") in languages that drop the pronoun.
        let first_person = cues
            .iter()
            .filter(|c| {
                !in_we(c)
                    && matches!(
                        c.category,
                        Category::Modifier(Modifier::FirstPerson)
                            | Category::Coach(
                                CoachCue::Ownership
                                    | CoachCue::PresentAction
                                    | CoachCue::Commitment
                                    | CoachCue::Acknowledgement
                            )
                    )
            })
            .count();
        judge(
            Criterion::IYouLanguage,
            (first_person > 0 || !we.is_empty()).then_some("the reply speaks for someone"),
            (first_person > 0 && first_person >= we.len())
                .then(|| {
                    cues.iter()
                        .find(|c| {
                            !in_we(c) && c.category == Category::Modifier(Modifier::FirstPerson)
                        })
                        .map(|c| (c.sentence, Some(c)))
                })
                .flatten()
                .or((first_person > 0 && first_person >= we.len()).then_some((0, None))),
            we.first().map_or(0, |c| c.sentence),
        );
        let off_register = cue_in(
            &[CoachCue::Filler, CoachCue::Robotic, CoachCue::Casual],
            &|_| true,
        );
        judge(
            Criterion::Register,
            (!sentences.is_empty()).then_some("every reply"),
            if off_register.is_some() {
                None
            } else {
                Some((0, None))
            },
            off_register.map_or(0, |c| c.sentence),
        );
        // A register miss names the words that decided it.
        if let (Some(cue), Some(result)) = (
            off_register,
            criteria
                .iter_mut()
                .find(|c| c.criterion == Criterion::Register),
        ) {
            let span = to_span(cue.start, cue.end);
            result.evidence = Some(draft[span.start..span.end].to_string());
        }

        let mut flags: Vec<Flag> = cues
            .iter()
            .filter_map(|c| {
                let kind = FlagKind::of(c.category)?;
                // "I won't give you my number" is the opposite of sharing it, and "it is not
                // your fault" the opposite of blame (what a client who discloses abuse most
                // needs to hear). Defensive wording and passing the buck often hold their own
                // negator ("nothing I can do", "not my department") and stand as written.
                let self_negating = matches!(kind, FlagKind::Defensive | FlagKind::BuckPassing);
                if !self_negating && negated(c) {
                    return None;
                }
                let span = to_span(c.start, c.end);
                Some(Flag {
                    flag: kind,
                    practice: kind.practice(),
                    text: draft[span.start..span.end].to_string(),
                    span,
                    rule: c.entry.id.clone(),
                    sentence: sentence_span(c.sentence),
                    suggestion: kind.advice(),
                })
            })
            .collect();
        flags.dedup_by(|a, b| a.flag == b.flag && a.sentence == b.sentence);

        let met = criteria
            .iter()
            .filter(|c| c.verdict == Verdict::Met)
            .count();
        let applicable = criteria
            .iter()
            .filter(|c| c.verdict != Verdict::NotApplicable)
            .count();
        let base = if applicable == 0 {
            100.0
        } else {
            100.0 * met as f32 / applicable as f32
        };
        let score = (base - 10.0 * flags.len() as f32).clamp(0.0, 100.0).round() as u8;
        let mut commitments: Vec<Commitment> = commitments.into_iter().map(|(_, c)| c).collect();
        fill_char_offsets(
            draft,
            criteria
                .iter_mut()
                .filter_map(|c| c.sentence.as_mut())
                .chain(
                    flags
                        .iter_mut()
                        .flat_map(|f| [&mut f.span, &mut f.sentence]),
                ),
        );
        commitments.sort_by_key(|c| c.start);
        Ok(CoachReport {
            language,
            criteria,
            flags,
            commitments,
            score,
        })
    }
}

/// A cue that meets a criterion, with its sentence.
fn found<'c, 'e>(cue: Option<&'c Cue<'e>>) -> Option<(usize, Option<&'c Cue<'e>>)> {
    cue.map(|c| (c.sentence, Some(c)))
}

/// Drops cues that another cue explains away: a blame phrase inside a polite conditional ("if
/// you'd like"), a first-person word inside the corporate "we" (Chinese 我 in 我们), and a
/// positive cue inside a longer negative one ("I'll make sure" inside "I'll make sure it never
/// happens again", "thank you" inside "thank you for your understanding").
fn drop_shadowed(cues: &mut Vec<Cue<'_>>) {
    let negative = |c: Category| {
        matches!(
            c,
            Category::Coach(
                CoachCue::FalsePromise
                    | CoachCue::Blame
                    | CoachCue::Defensive
                    | CoachCue::BuckPassing
                    | CoachCue::Robotic
                    | CoachCue::PoliteIf
            )
        )
    };
    let meets_criterion = |k: CoachCue| {
        matches!(
            k,
            CoachCue::Thanks
                | CoachCue::PositiveOpening
                | CoachCue::Apology
                | CoachCue::Validation
                | CoachCue::Acknowledgement
                | CoachCue::OpenQuestion
                | CoachCue::Summary
                | CoachCue::Check
                | CoachCue::Ownership
                | CoachCue::PresentAction
                | CoachCue::Fallback
                | CoachCue::AnythingElse
        )
    };
    let spans: Vec<(usize, usize, Category)> =
        cues.iter().map(|c| (c.start, c.end, c.category)).collect();
    cues.retain(|c| {
        !spans.iter().any(|&(s, e, category)| {
            let inside = s <= c.start && c.end <= e && (s, e) != (c.start, c.end);
            let same_span = (s, e) == (c.start, c.end) && category != c.category;
            match (c.category, category) {
                (Category::Coach(CoachCue::Blame), Category::Coach(CoachCue::PoliteIf)) => {
                    inside || same_span
                }
                (
                    Category::Modifier(Modifier::FirstPerson),
                    Category::Coach(CoachCue::CorporateWe),
                ) => inside || same_span,
                // Only the cues that meet a criterion are explained away by a longer negative
                // one; "we" and fillers inside a script phrase still count.
                (Category::Coach(k), other) if negative(other) && meets_criterion(k) => inside,
                _ => false,
            }
        })
    });
}
