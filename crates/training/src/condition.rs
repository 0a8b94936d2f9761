//! Conditions on a trainee's reply, built only from what tact really detects: the coach's
//! verdicts per criterion, the flags it raises, its score, and phrases the scenario's author
//! lists (the names of the services that count as a referral, the words of an escalation).
//! Every part of a condition must hold.

use serde::{Deserialize, Serialize};
use tact_core::coach::{CoachReport, Criterion, FlagKind, Verdict};
use tact_core::text::{Normalized, is_word_char};

/// The flags that mean a boundary was crossed by the worker (P3, P17, P18, P19).
pub const BOUNDARY_FLAGS: [FlagKind; 4] = [
    FlagKind::MoneyOffer,
    FlagKind::ContactSharing,
    FlagKind::SelfDisclosure,
    FlagKind::FavourRequest,
];

/// Every flag the coach can raise, for checking names.
pub const ALL_FLAGS: [FlagKind; 10] = [
    FlagKind::FalsePromise,
    FlagKind::Blame,
    FlagKind::Defensive,
    FlagKind::BuckPassing,
    FlagKind::SelfDisclosure,
    FlagKind::MoneyOffer,
    FlagKind::FavourRequest,
    FlagKind::ContactSharing,
    FlagKind::Profanity,
    FlagKind::Rescuing,
];

/// The criterion with this name (`Criterion::as_str`).
pub fn criterion_named(name: &str) -> Option<Criterion> {
    Criterion::ALL.into_iter().find(|c| c.as_str() == name)
}

/// The flag with this name (`FlagKind::as_str`).
pub fn flag_named(name: &str) -> Option<FlagKind> {
    ALL_FLAGS.into_iter().find(|f| f.as_str() == name)
}

/// Whether the worker kept their boundaries in the reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Boundary {
    /// None of [`BOUNDARY_FLAGS`] raised.
    Held,
    /// At least one of them raised.
    Crossed,
}

/// What a reply must do for a branch to be taken. Empty lists and absent fields do not constrain.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Condition {
    /// Criteria that must all be met.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub met: Vec<String>,
    /// Criteria of which at least one must be met.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub met_any: Vec<String>,
    /// Criteria that must all be missed (applicable and not met).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missed: Vec<String>,
    /// Flags of which at least one must be raised.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flagged: Vec<String>,
    /// Flags none of which may be raised.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_flagged: Vec<String>,
    /// Whether the boundary flags must be absent (held) or present (crossed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub boundary: Option<Boundary>,
    /// The coach's score must be at least this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_score: Option<u8>,
    /// The coach's score must be at most this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_score: Option<u8>,
    /// The reply must contain at least one of these phrases (whole words, any case, accents
    /// optional; `*` at either end of a phrase lets the word go on: `*شرطة`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub says: Vec<String>,
    /// The reply must contain none of these phrases.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_says: Vec<String>,
}

impl Condition {
    /// Whether the condition constrains nothing.
    pub fn is_empty(&self) -> bool {
        *self == Condition::default()
    }

    /// Whether the reply, with its coaching, satisfies every part of the condition.
    pub fn holds(&self, report: &CoachReport, reply: &str) -> bool {
        let verdict = |name: &str| {
            report
                .criteria
                .iter()
                .find(|c| c.criterion.as_str() == name)
                .map_or(Verdict::NotApplicable, |c| c.verdict)
        };
        let raised = |name: &str| report.flags.iter().any(|f| f.flag.as_str() == name);
        let crossed = BOUNDARY_FLAGS.iter().any(|f| raised(f.as_str()));
        self.met.iter().all(|c| verdict(c) == Verdict::Met)
            && (self.met_any.is_empty() || self.met_any.iter().any(|c| verdict(c) == Verdict::Met))
            && self.missed.iter().all(|c| verdict(c) == Verdict::Missed)
            && (self.flagged.is_empty() || self.flagged.iter().any(|f| raised(f)))
            && !self.not_flagged.iter().any(|f| raised(f))
            && self
                .boundary
                .is_none_or(|b| (b == Boundary::Crossed) == crossed)
            && self.min_score.is_none_or(|min| report.score >= min)
            && self.max_score.is_none_or(|max| report.score <= max)
            && (self.says.is_empty() || says_any(reply, &self.says))
            && !says_any(reply, &self.not_says)
    }

    /// The condition in words, for feedback ("validation met; boundary held").
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if !self.met.is_empty() {
            parts.push(format!("{} met", self.met.join(" and ")));
        }
        if !self.met_any.is_empty() {
            parts.push(format!("{} met", self.met_any.join(" or ")));
        }
        if !self.missed.is_empty() {
            parts.push(format!("{} missed", self.missed.join(" and ")));
        }
        if !self.flagged.is_empty() {
            parts.push(format!("{} raised", self.flagged.join(" or ")));
        }
        if !self.not_flagged.is_empty() {
            parts.push(format!("no {}", self.not_flagged.join(" or ")));
        }
        match self.boundary {
            Some(Boundary::Held) => parts.push("boundary held".into()),
            Some(Boundary::Crossed) => parts.push("boundary crossed".into()),
            None => {}
        }
        if let Some(min) = self.min_score {
            parts.push(format!("score at least {min}"));
        }
        if let Some(max) = self.max_score {
            parts.push(format!("score at most {max}"));
        }
        if !self.says.is_empty() {
            parts.push(format!(
                "says \u{201c}{}\u{201d}",
                self.says.join("\u{201d} or \u{201c}")
            ));
        }
        if !self.not_says.is_empty() {
            parts.push(format!(
                "does not say \u{201c}{}\u{201d}",
                self.not_says.join("\u{201d} or \u{201c}")
            ));
        }
        parts.join("; ")
    }
}

/// Whether `text` contains any of `phrases` as whole words, ignoring case, accents and Arabic
/// letter variants (the same folding as tact's lexicons). A `*` at the start or end of a phrase
/// lets the first or last word run on (a prefix such as Arabic `ب` or `ال`, a suffix such as a
/// plural).
pub fn says_any(text: &str, phrases: &[String]) -> bool {
    let folded = Normalized::new(text);
    let haystack = folded.as_str();
    phrases.iter().any(|phrase| {
        let open_start = phrase.starts_with('*');
        let open_end = phrase.ends_with('*') && phrase.len() > 1;
        let core = phrase.trim_matches('*').trim();
        if core.is_empty() {
            return false;
        }
        let needle = Normalized::new(core);
        let needle = needle.as_str();
        haystack.match_indices(needle).any(|(at, found)| {
            let before_ok = open_start
                || haystack[..at]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !is_word_char(c));
            let after_ok = open_end
                || haystack[at + found.len()..]
                    .chars()
                    .next()
                    .is_none_or(|c| !is_word_char(c));
            before_ok && after_ok
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phrases(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn phrases_match_whole_words_case_and_accent_insensitively() {
        let list = phrases(&["food bank", "aide sociale"]);
        assert!(says_any("Try the Food Bank on Main Street.", &list));
        assert!(says_any("Contactez l'Aide Sociale.", &list));
        assert!(says_any(
            "contactez l'aide sociale",
            &phrases(&["aïde sociale"])
        ));
        assert!(!says_any("the food banking app", &list));
        assert!(!says_any("", &list));
    }

    #[test]
    fn a_star_lets_a_word_run_on() {
        let police = phrases(&["*شرطة"]);
        assert!(says_any("يمكنك الاتصال بالشرطة الآن", &police));
        assert!(!says_any("يمكنك الاتصال بالشرطة الآن", &phrases(&["شرطة"])));
        assert!(says_any("the supervisors", &phrases(&["supervisor*"])));
        assert!(!says_any("anything", &phrases(&["*"])));
    }

    #[test]
    fn names_round_trip() {
        for c in Criterion::ALL {
            assert_eq!(criterion_named(c.as_str()), Some(c));
        }
        for f in ALL_FLAGS {
            assert_eq!(flag_named(f.as_str()), Some(f));
        }
        assert_eq!(criterion_named("empathy"), None);
    }

    #[test]
    fn an_empty_condition_describes_as_nothing() {
        assert!(Condition::default().is_empty());
        let c = Condition {
            met: vec!["validation".into()],
            boundary: Some(Boundary::Held),
            says: vec!["food bank".into()],
            ..Default::default()
        };
        assert_eq!(
            c.describe(),
            "validation met; boundary held; says \u{201c}food bank\u{201d}"
        );
    }
}
