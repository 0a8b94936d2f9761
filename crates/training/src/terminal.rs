//! Playing a scenario in a plain-text terminal (works over ssh, no colours): the client's persona
//! and messages, one reply per line, the coach's feedback after each reply and the report at the
//! end, all wrapped to a width. `tact train` calls [`play`] and [`list`]; tests drive them with
//! scripted input.
//!
//! A reply is one line. A blank line or `/quit` stops early (the report then has no end state);
//! `/hint` prints the current turn's hint.

use crate::catalog::Catalog;
use crate::report::{Report, TipKind, Turn};
use crate::scenario::{Outcome, Scenario, Target};
use crate::session::Session;
use jiff::civil::DateTime;
use std::io::{self, BufRead, Write};
use tact_core::Engine;

/// How to play in the terminal.
#[derive(Debug, Clone, Copy)]
pub struct PlayOptions {
    /// Wrap text to this many columns (at least 20 is used).
    pub width: usize,
    /// The time replies are written, for time frames ("by Friday"); see [`Session::reply`].
    pub reference: Option<DateTime>,
}

impl Default for PlayOptions {
    fn default() -> PlayOptions {
        PlayOptions {
            width: 80,
            reference: None,
        }
    }
}

/// Plays `scenario` reading replies from `input` and writing to `output`, wrapped to `width`.
pub fn play(
    engine: &Engine,
    scenario: &Scenario,
    input: impl BufRead,
    output: impl Write,
    width: usize,
) -> io::Result<Report> {
    play_with(
        engine,
        scenario,
        input,
        output,
        PlayOptions {
            width,
            reference: None,
        },
    )
}

/// Like [`play`], with every option.
pub fn play_with(
    engine: &Engine,
    scenario: &Scenario,
    mut input: impl BufRead,
    mut output: impl Write,
    options: PlayOptions,
) -> io::Result<Report> {
    let out = &mut output;
    let width = options.width.max(20);
    let mut session = Session::new(scenario.clone());
    heading(
        out,
        &format!(
            "{} ({}, {})",
            scenario.title, scenario.id, scenario.language
        ),
        width,
    )?;
    labelled(out, "Client", &scenario.client.who, width)?;
    labelled(out, "Wants", &scenario.client.wants, width)?;
    labelled(out, "Mood", &scenario.client.mood, width)?;
    if !scenario.practices.is_empty() {
        labelled(out, "Practices", &scenario.practices.join(", "), width)?;
    }
    writeln!(out)?;
    wrapped(
        out,
        "Type one reply per line and press Enter. /hint for a hint; /quit or an empty line stops.",
        width,
        "",
        "",
    )?;
    let mut line = String::new();
    while let Some(node) = session.current().cloned() {
        writeln!(out)?;
        wrapped(out, &node.client, width, "Client: ", "        ")?;
        let reply = loop {
            // The prompt has a line of its own: the reply is typed below it, so nothing the
            // driver prints shares a line with what the trainee typed (or with nothing, when the
            // input is scripted).
            writeln!(out, "You:")?;
            out.flush()?;
            line.clear();
            if input.read_line(&mut line)? == 0 {
                break None;
            }
            let reply = line.trim();
            match reply {
                "/hint" => {
                    let hint = node.hint.as_deref().unwrap_or("No hint for this turn.");
                    wrapped(out, hint, width, "Hint: ", "      ")?;
                }
                "" | "/quit" => break None,
                _ => break Some(reply.to_string()),
            }
        };
        let Some(reply) = reply else {
            writeln!(out, "Stopped before the end.")?;
            break;
        };
        let turn = session
            .reply(engine, &reply, options.reference)
            .map_err(io::Error::other)?;
        feedback(out, turn, width)?;
    }
    let report = session.report();
    print_report(out, &report, width)?;
    Ok(report)
}

/// Prints the coach's feedback on one reply.
pub fn feedback(out: &mut impl Write, turn: &Turn, width: usize) -> io::Result<()> {
    writeln!(out, "  Coach: {}/100", turn.score)?;
    for c in &turn.criteria {
        if c.met {
            let evidence = c
                .evidence
                .as_deref()
                .map(|e| format!(": \u{201c}{e}\u{201d}"))
                .unwrap_or_default();
            wrapped(
                out,
                &format!("{} ({}){evidence}", c.criterion, c.practice),
                width,
                "    \u{2713} ",
                "      ",
            )?;
        } else {
            let suggestion = c.suggestion.as_deref().unwrap_or("");
            wrapped(
                out,
                &format!("{} ({}): {suggestion}", c.criterion, c.practice),
                width,
                "    \u{2717} ",
                "      ",
            )?;
        }
    }
    for f in &turn.flags {
        wrapped(
            out,
            &format!(
                "{} ({}) on \u{201c}{}\u{201d}: {}",
                f.flag, f.practice, f.text, f.suggestion
            ),
            width,
            "    ! ",
            "      ",
        )?;
    }
    Ok(())
}

/// Prints a session's report.
pub fn print_report(out: &mut impl Write, report: &Report, width: usize) -> io::Result<()> {
    writeln!(out)?;
    match &report.end {
        Some(end) => {
            let outcome = match end.outcome {
                Outcome::Good => "good",
                Outcome::Mixed => "mixed",
                Outcome::Poor => "poor",
            };
            heading(out, &format!("End: {} ({outcome})", end.id), width)?;
            wrapped(out, &end.debrief, width, "", "")?;
        }
        None => heading(out, "Stopped before an end", width)?,
    }
    writeln!(out)?;
    heading(out, "Report", width)?;
    writeln!(
        out,
        "Replies: {}   Average score: {}/100",
        report.turns.len(),
        report.average_score
    )?;
    if !report.turns.is_empty() {
        writeln!(out, "Turn by turn:")?;
        for (i, turn) in report.turns.iter().enumerate() {
            let to = match &turn.to {
                Target::Node(n) => format!("next {n}"),
                Target::End(e) => format!("end {e}"),
            };
            wrapped(
                out,
                &format!(
                    "{}/100, {to} ({}). {}",
                    turn.score, turn.because, turn.debrief
                ),
                width,
                &format!("  {}. ", i + 1),
                "     ",
            )?;
        }
    }
    if !report.criteria.is_empty() {
        writeln!(out, "Criteria met over the session:")?;
        for c in &report.criteria {
            wrapped(
                out,
                &format!(
                    "{} {}/{} ({})",
                    c.criterion, c.met, c.applicable, c.practice
                ),
                width,
                "  ",
                "    ",
            )?;
        }
    }
    if !report.practise_next.is_empty() {
        writeln!(out, "What to practise next:")?;
        for tip in &report.practise_next {
            let what = match tip.kind {
                TipKind::Criterion => format!("{} missed {}\u{d7}", tip.name, tip.times),
                TipKind::Flag => format!("{} raised {}\u{d7}", tip.name, tip.times),
            };
            wrapped(
                out,
                &format!("{what} ({}): {}", tip.practice, tip.suggestion),
                width,
                "  - ",
                "    ",
            )?;
        }
    }
    Ok(())
}

/// Prints the scenarios of `catalog`, grouped by language.
pub fn list(catalog: &Catalog, mut output: impl Write, width: usize) -> io::Result<()> {
    let out = &mut output;
    let width = width.max(20);
    for lang in catalog.languages() {
        heading(out, &format!("{lang}"), width)?;
        for s in catalog.in_language(lang) {
            wrapped(
                out,
                &format!("{} \u{2014} {} [{}]", s.id, s.title, s.practices.join(", ")),
                width,
                "  ",
                "      ",
            )?;
        }
    }
    Ok(())
}

fn heading(out: &mut impl Write, text: &str, width: usize) -> io::Result<()> {
    wrapped(out, &format!("== {text} =="), width, "", "   ")
}

fn labelled(out: &mut impl Write, label: &str, text: &str, width: usize) -> io::Result<()> {
    let first = format!("{label}: ");
    let rest = " ".repeat(first.chars().count().min(width / 2));
    wrapped(out, text, width, &first, &rest)
}

/// Writes `text` wrapped to `width` columns: `first` before the first line, `rest` before the
/// others. Words longer than a line are cut.
fn wrapped(
    out: &mut impl Write,
    text: &str,
    width: usize,
    first: &str,
    rest: &str,
) -> io::Result<()> {
    for line in wrap(text, width, first, rest) {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// The lines of `text` wrapped to `width` columns (counted in characters).
pub fn wrap(text: &str, width: usize, first: &str, rest: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = first.to_string();
    let mut len = first.chars().count();
    let mut empty = true;
    for word in text.split_whitespace() {
        let mut word: &str = word;
        loop {
            let word_len = word.chars().count();
            let needed = if empty { word_len } else { word_len + 1 };
            if len + needed <= width {
                if !empty {
                    line.push(' ');
                }
                line.push_str(word);
                len += needed;
                empty = false;
                break;
            }
            if !empty {
                lines.push(std::mem::replace(&mut line, rest.to_string()));
                len = rest.chars().count();
                empty = true;
                continue;
            }
            // A word longer than a whole line: cut it.
            let room = width.saturating_sub(len).max(1);
            let cut = word.char_indices().nth(room).map_or(word.len(), |(i, _)| i);
            line.push_str(&word[..cut]);
            lines.push(std::mem::replace(&mut line, rest.to_string()));
            len = rest.chars().count();
            word = &word[cut..];
            if word.is_empty() {
                break;
            }
        }
    }
    if !empty || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn wraps_words_within_the_width() {
        let lines = wrap("one two three four five six", 10, "> ", "  ");
        assert_eq!(lines, vec!["> one two", "  three", "  four", "  five six"]);
        assert!(lines.iter().all(|l| l.chars().count() <= 10));
    }

    #[test]
    fn cuts_a_word_longer_than_a_line() {
        let lines = wrap("abcdefghijklmnop", 8, "", "");
        assert_eq!(lines, vec!["abcdefgh", "ijklmnop"]);
    }

    #[test]
    fn counts_characters_not_bytes() {
        let lines = wrap("été éété", 7, "", "");
        assert_eq!(lines, vec!["été", "éété"]);
    }
}
