//! A client message with its findings marked in the text: personal data (the placeholders
//! redaction left), disclosures, emotions, boundary crossings and abuse. Each mark carries its
//! evidence (the category and the rule that fired) in text that shows on hover and focus and
//! that screen readers read in place.

use maud::{Markup, html};
use tact_core::Analysis;

/// One marked stretch of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Mark {
    start: usize,
    end: usize,
    /// `pii`, `disclosure`, `emotion`, `crossing`, `abuse`: the CSS class and the legend.
    family: &'static str,
    /// What was found, for people.
    evidence: String,
}

/// The family of a finding category, or `None` for what is not shown in the text.
fn family(category: &str) -> Option<&'static str> {
    let prefix = category.split('.').next()?;
    Some(match prefix {
        "disclosure" => "disclosure",
        "emotion" => "emotion",
        "crossing" => "crossing",
        "abuse" | "threat" => "abuse",
        _ => return None,
    })
}

/// The placeholders redaction put in the text (`<EMAIL_1>`): personal data, already hidden.
fn placeholders(text: &str) -> Vec<Mark> {
    let mut marks = Vec::new();
    let mut from = 0;
    while let Some(open) = text[from..].find('<').map(|i| i + from) {
        let Some(close) = text[open..].find('>').map(|i| i + open) else {
            break;
        };
        let inner = &text[open + 1..close];
        if !inner.is_empty()
            && inner
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        {
            let kind = inner.trim_end_matches(|c: char| c.is_ascii_digit() || c == '_');
            marks.push(Mark {
                start: open,
                end: close + 1,
                family: "pii",
                evidence: kind.to_ascii_lowercase().replace('_', " "),
            });
        }
        from = close.max(open + 1);
    }
    marks
}

/// The marks of `text` read as `analysis`, in order and without overlaps (the earlier, then the
/// longer, wins).
fn marks(text: &str, analysis: &Analysis) -> Vec<Mark> {
    let mut marks = placeholders(text);
    for signal in &analysis.signals {
        let Some(family) = family(&signal.category) else {
            continue;
        };
        if signal.span.end > text.len() || signal.span.start >= signal.span.end {
            continue;
        }
        let mut evidence = signal.category.replace(['.', '_'], " ");
        if !signal.asserted() {
            evidence.push_str(" (not asserted)");
        }
        marks.push(Mark {
            start: signal.span.start,
            end: signal.span.end,
            family,
            evidence,
        });
    }
    for pii in &analysis.pii {
        marks.push(Mark {
            start: pii.span.start,
            end: pii.span.end,
            family: "pii",
            evidence: pii.kind.to_ascii_lowercase().replace('_', " "),
        });
    }
    marks.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
    let mut kept: Vec<Mark> = Vec::new();
    for mark in marks {
        if kept.last().is_none_or(|last| mark.start >= last.end)
            && text.is_char_boundary(mark.start)
            && text.is_char_boundary(mark.end)
        {
            kept.push(mark);
        }
    }
    kept
}

/// The text with its findings marked.
pub fn marked(text: &str, analysis: &Analysis) -> Markup {
    let marks = marks(text, analysis);
    let mut at = 0;
    html! {
        @for mark in &marks {
            (&text[at..mark.start])
            mark class={"f f-" (mark.family)} tabindex="0" {
                (&text[mark.start..mark.end])
                span class="evidence" { " (" (mark.evidence) ")" }
            }
            ({ at = mark.end; "" })
        }
        (&text[at..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_marked_as_personal_data() {
        let found = placeholders("write to <EMAIL_1> or <PHONE_NUMBER_2>, not <b>");
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].evidence, "email");
        assert_eq!(found[1].evidence, "phone number");
        assert!(placeholders("a < b > c").is_empty());
    }
}
