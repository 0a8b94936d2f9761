//! The guidance tact posts back to the agent as a Chatwoot private note: short (the worker reads
//! it mid-conversation), in markdown, and made only of tact's own words (findings' names, the
//! practice, template replies, the directory's entries), never the client's words, so the note
//! can wait in the outbox without holding personal data.

use tact_core::advice::{ActionKind, Advice};
use tact_core::coach::{CoachReport, Verdict};

/// At most this many actions in one note: the most pressing come first.
const MAX_ACTIONS: usize = 3;

fn action_title(kind: ActionKind) -> &'static str {
    match kind {
        ActionKind::UrgentSafety => "Safety first",
        ActionKind::AfterHoursReply => "Outside working hours",
        ActionKind::AbuseReply => "Abuse: a firm reply",
        ActionKind::EscalateToSupervisor => "Tell a supervisor",
        ActionKind::BoundaryReply => "Hold the boundary",
        ActionKind::Referral => "Refer",
        ActionKind::EmpatheticOpening => "Open with empathy",
        ActionKind::FirstContactStatement => "First contact",
        ActionKind::Handover => "Hand over",
        ActionKind::ScheduleFollowUp => "Follow up",
        ActionKind::RedactBeforeStoring => "Redact",
    }
}

/// The note for a client's message, or `None` when there is nothing to advise.
pub(crate) fn for_client_message(advice: &Advice, urgent: bool) -> Option<String> {
    let actions: Vec<_> = advice
        .actions
        .iter()
        .filter(|a| a.kind != ActionKind::RedactBeforeStoring)
        .take(MAX_ACTIONS)
        .collect();
    if actions.is_empty() {
        return None;
    }
    let mut note = String::from(if urgent {
        "**tact** · **urgent** (a note only agents see)\n"
    } else {
        "**tact** · guidance (a note only agents see)\n"
    });
    for action in actions {
        note.push_str(&format!(
            "- **{}**: {}",
            action_title(action.kind),
            action.what
        ));
        if let Some(resource) = &action.resource {
            note.push_str(&format!(" — {}, {}", resource.name, resource.contact));
        }
        note.push('\n');
        if let Some(reply) = &action.reply {
            note.push_str(&format!("  > {}\n", reply.text.replace('\n', "\n  > ")));
        }
    }
    Some(note)
}

/// The note for an agent's reply, or `None` when it met every criterion that applied, raised no
/// flag and promised nothing.
pub(crate) fn for_reply(
    report: &CoachReport,
    promises: &[(jiff::Timestamp, bool)],
) -> Option<String> {
    let missed: Vec<_> = report
        .criteria
        .iter()
        .filter(|c| c.verdict == Verdict::Missed)
        .collect();
    if missed.is_empty() && report.flags.is_empty() && promises.is_empty() {
        return None;
    }
    let mut note = format!(
        "**tact** · your reply: {}/100 (a note only agents see)\n",
        report.score
    );
    for flag in &report.flags {
        note.push_str(&format!(
            "- **{}** ({}): {}\n",
            flag.flag.as_str().replace('_', " "),
            flag.practice,
            flag.suggestion
        ));
    }
    for criterion in missed {
        note.push_str(&format!(
            "- Missed **{}** ({})",
            criterion.criterion.as_str().replace('_', " "),
            criterion.practice
        ));
        if let Some(suggestion) = &criterion.suggestion {
            note.push_str(&format!(": {suggestion}"));
        }
        note.push('\n');
    }
    for (due, ambiguous) in promises {
        note.push_str(&format!("- Promise tracked, due {due}"));
        if *ambiguous {
            note.push_str(" (the time frame could be read another way: say the day and time)");
        }
        note.push('\n');
    }
    Some(note)
}
