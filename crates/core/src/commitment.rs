//! Commitments: the promises in a worker's reply that carry a time frame ("I'll call you back
//! within two days", "je vous rappelle d'ici vendredi", "ek sal jou binne 3 dae skakel"),
//! resolved to a due time so they can be tracked (P20, P36).
//!
//! The engine reads no clock and knows no time zone: the caller gives the moment the reply was
//! written as a civil date and time in the worker's zone, and gets civil due times back in the
//! same zone. The rules are in `docs/RESOURCES.md` ("time.toml"): a day without a time is due at
//! 17:00; durations are added exactly; a weekday said on that same weekday means a week later and
//! is marked ambiguous, as is "next Friday".

use crate::error::{Error, Location, Result};
use crate::lang::Lang;
use crate::resources::Source;
use crate::text::{ends_word, starts_word};
use aho_corasick::{AhoCorasick, MatchKind};
use jiff::ToSpan;
use jiff::civil::{Date, DateTime, Time, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// When a day is named without a time, the promise is due at the end of the working day.
const END_OF_WORKING_DAY: Time = Time::constant(17, 0, 0, 0);

/// A promise with its time frame, found in a worker's reply.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Commitment {
    /// The sentence that makes the promise (what and to whom, in the worker's words).
    pub sentence: String,
    /// Byte range of the sentence in the reply.
    pub start: usize,
    /// End of the sentence.
    pub end: usize,
    /// To whom: the person the reply is addressed to. A worker's reply is written to the
    /// client, so this is "client"; the store links it to the conversation's client.
    pub to: &'static str,
    /// The words that make it a promise ("I'll call").
    pub cue: String,
    /// The words that give its time frame ("by Friday").
    pub when: String,
    /// When it is due, in the worker's time zone.
    pub due: DateTime,
    /// Whether the time frame can be read another way ("Friday" said on a Friday, "next Friday").
    pub ambiguous: bool,
}

/// What a time word means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    Today,
    Tomorrow,
    DayAfterTomorrow,
    Weekday(i8),
    /// A weekday of the following calendar week ("next week Tuesday", 下周五).
    NextWeekday(i8),
    Next,
    EndOfDay,
    EndOfWeek,
    NextWeek,
    Noon,
    Unit(Unit),
    Within,
    By,
    Number(i64),
    Clock(i8, i8),
    /// A month name.
    Month(i8),
    /// A date written in digits: month, day and perhaps the year.
    Date(i8, i8, Option<i16>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Minutes,
    Hours,
    Days,
    BusinessDays,
    Weeks,
}

/// `<lang>/time.toml`, as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTimeWords {
    #[serde(default)]
    today: Vec<String>,
    #[serde(default)]
    tomorrow: Vec<String>,
    #[serde(default)]
    day_after_tomorrow: Vec<String>,
    #[serde(default)]
    weekdays: Vec<Vec<String>>,
    #[serde(default)]
    next: Vec<String>,
    #[serde(default)]
    end_of_day: Vec<String>,
    #[serde(default)]
    end_of_week: Vec<String>,
    #[serde(default)]
    next_week: Vec<String>,
    #[serde(default)]
    noon: Vec<String>,
    #[serde(default)]
    minutes: Vec<String>,
    #[serde(default)]
    hours: Vec<String>,
    #[serde(default)]
    days: Vec<String>,
    #[serde(default)]
    business_days: Vec<String>,
    #[serde(default)]
    weeks: Vec<String>,
    #[serde(default)]
    within: Vec<String>,
    #[serde(default)]
    by: Vec<String>,
    #[serde(default)]
    within_after: Vec<String>,
    #[serde(default)]
    by_after: Vec<String>,
    #[serde(default)]
    numbers: Vec<(String, i64)>,
    #[serde(default)]
    months: Vec<Vec<String>>,
}

/// One language's time words, compiled.
#[derive(Debug, Clone)]
struct LanguageTimes {
    automaton: AhoCorasick,
    tokens: Vec<Token>,
    spaced: bool,
}

/// Every language's time words.
#[derive(Debug, Clone, Default)]
pub struct TimeWords {
    by_lang: HashMap<Lang, LanguageTimes>,
}

impl TimeWords {
    /// Parses and compiles one language's `time.toml`; `spaced` is false for languages written
    /// without spaces, whose words match anywhere.
    pub fn add_file(&mut self, lang: Lang, spaced: bool, source: &Source) -> Result<()> {
        let raw: RawTimeWords =
            toml::from_str(&source.text).map_err(|e| crate::resources::toml_error(source, e))?;
        if raw.weekdays.len() != 7 {
            return Err(Error::Resource {
                location: Location::file(&source.path),
                message: format!(
                    "weekdays must list 7 days, Monday first, not {}",
                    raw.weekdays.len()
                ),
            });
        }
        if !raw.months.is_empty() && raw.months.len() != 12 {
            return Err(Error::Resource {
                location: Location::file(&source.path),
                message: format!(
                    "months must list 12 months, January first, not {}",
                    raw.months.len()
                ),
            });
        }
        let mut words: Vec<(String, Token)> = Vec::new();
        let mut add = |list: &[String], token: Token| {
            for w in list {
                let folded = crate::lexicon::fold_phrase(w);
                if !folded.trim().is_empty() {
                    words.push((folded.trim().to_string(), token));
                }
            }
        };
        add(&raw.today, Token::Today);
        add(&raw.tomorrow, Token::Tomorrow);
        add(&raw.day_after_tomorrow, Token::DayAfterTomorrow);
        for (i, names) in raw.weekdays.iter().enumerate() {
            add(names, Token::Weekday(i as i8));
        }
        add(&raw.next, Token::Next);
        add(&raw.end_of_day, Token::EndOfDay);
        add(&raw.end_of_week, Token::EndOfWeek);
        add(&raw.next_week, Token::NextWeek);
        add(&raw.noon, Token::Noon);
        add(&raw.minutes, Token::Unit(Unit::Minutes));
        add(&raw.hours, Token::Unit(Unit::Hours));
        add(&raw.days, Token::Unit(Unit::Days));
        add(&raw.business_days, Token::Unit(Unit::BusinessDays));
        add(&raw.weeks, Token::Unit(Unit::Weeks));
        add(&raw.within, Token::Within);
        add(&raw.within_after, Token::Within);
        add(&raw.by, Token::By);
        add(&raw.by_after, Token::By);
        for (i, names) in raw.months.iter().enumerate() {
            add(names, Token::Month(i as i8 + 1));
        }
        for (word, value) in &raw.numbers {
            add(std::slice::from_ref(word), Token::Number(*value));
        }
        // The first listing of a phrase wins ("this week" as end of week, not "week" a unit).
        let mut seen = std::collections::HashSet::new();
        words.retain(|(w, _)| seen.insert(w.clone()));
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(words.iter().map(|(w, _)| w))
            .map_err(|e| Error::Resource {
                location: Location::file(&source.path),
                message: format!("time words do not compile: {e}"),
            })?;
        self.by_lang.insert(
            lang,
            LanguageTimes {
                automaton,
                tokens: words.into_iter().map(|(_, t)| t).collect(),
                spaced,
            },
        );
        Ok(())
    }

    /// Whether `lang` has time words.
    pub fn has(&self, lang: Lang) -> bool {
        self.by_lang.contains_key(&lang)
    }

    /// The time words of a folded sentence, in order, with their byte ranges: phrases from the
    /// language's file, digits and clock times read here.
    fn tokens(&self, lang: Lang, folded: &str) -> Vec<(usize, usize, Token)> {
        let mut out = Vec::new();
        if let Some(times) = self.by_lang.get(&lang) {
            for m in times.automaton.find_iter(folded) {
                let token = times.tokens[m.pattern().as_usize()];
                let whole =
                    !times.spaced || (starts_word(folded, m.start()) && ends_word(folded, m.end()));
                // Units and number words may touch digits ("3days", "2日").
                let touches_digit = folded[..m.start()]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_ascii_digit());
                if whole || (matches!(token, Token::Unit(_)) && touches_digit) {
                    out.push((m.start(), m.end(), token));
                }
            }
        }
        out.extend(numeric_dates(folded));
        out.extend(numbers_and_clocks(folded));
        out.sort_by_key(|&(start, end, _)| (start, std::cmp::Reverse(end)));
        // Keep the first of overlapping tokens (a clock "15:00" over the number "15").
        let mut kept: Vec<(usize, usize, Token)> = Vec::new();
        for t in out {
            if kept.last().is_none_or(|k| t.0 >= k.1) {
                kept.push(t);
            }
        }
        kept
    }

    /// Resolves the time frame of one folded sentence against `reference` (the moment the reply
    /// was written, in the worker's zone). `None` when the sentence names no time.
    pub(crate) fn resolve(
        &self,
        lang: Lang,
        folded: &str,
        reference: DateTime,
    ) -> Option<(DateTime, bool, (usize, usize))> {
        let tokens = read_spoken_clocks(
            merge_day_and_month(
                merge_next_week_days(self.tokens(lang, folded), folded),
                folded,
            ),
            folded,
        );
        let span_of = |ts: &[&(usize, usize, Token)]| {
            (
                ts.iter().map(|t| t.0).min().unwrap_or(0),
                ts.iter().map(|t| t.1).max().unwrap_or(0),
            )
        };
        // A duration: a number then a unit ("2 days", "2日"), or a unit right after a deadline
        // word ("within a day" reads "a" as a number word already).
        for (i, t) in tokens.iter().enumerate() {
            if let Token::Unit(unit) = t.2 {
                let number = i
                    .checked_sub(1)
                    .map(|j| &tokens[j])
                    .and_then(|p| match p.2 {
                        Token::Number(n) if gap_ok(folded, p.1, t.0) => Some((n, p)),
                        _ => None,
                    });
                let Some((n, number_token)) = number else {
                    continue;
                };
                // "20日までに" in Japanese is the 20th of the month, not twenty days: a bare day
                // count followed directly by a deadline word that is not "within" is a date.
                let next_is_by = tokens.get(i + 1).is_some_and(|n| n.2 == Token::By);
                let marked_within = tokens.iter().any(|t| t.2 == Token::Within);
                if unit == Unit::Days && next_is_by && !marked_within && !folded.contains(' ') {
                    continue;
                }
                let due = add_duration(reference, unit, n)?;
                return Some((due, false, span_of(&[number_token, t])));
            }
        }
        // A day, possibly with a time.
        let mut day: Option<(Date, bool)> = None;
        let mut time: Option<Time> = None;
        let mut used: Vec<&(usize, usize, Token)> = Vec::new();
        let today = reference.date();
        let mut after_next = false;
        let mut previous: Option<Token> = None;
        for t in &tokens {
            match t.2 {
                // "lundi prochain", "pazartesi gelecek": the word for "next" after the weekday.
                Token::Next if matches!(previous, Some(Token::Weekday(_))) => {
                    if let Some(Token::Weekday(w)) = previous {
                        day = Some(weekday_after(today, w, true)?);
                    }
                    used.push(t);
                }
                Token::Next => {
                    after_next = true;
                    used.push(t);
                    previous = Some(t.2);
                    continue;
                }
                Token::Today | Token::EndOfDay if day.is_none() => {
                    day = Some((today, false));
                    used.push(t);
                }
                Token::Tomorrow if day.is_none() => {
                    day = Some((today.tomorrow().ok()?, false));
                    used.push(t);
                }
                Token::DayAfterTomorrow if day.is_none() => {
                    day = Some((today.checked_add(2.days()).ok()?, false));
                    used.push(t);
                }
                Token::Date(month, day_of_month, year) if day.is_none() => {
                    day = Some((date_on_or_after(today, month, day_of_month, year)?, false));
                    used.push(t);
                }
                Token::NextWeekday(w) if day.is_none() => {
                    day = Some(weekday_after(today, w, true)?);
                    used.push(t);
                }
                Token::Weekday(w) if day.is_none() => {
                    day = Some(weekday_after(today, w, after_next)?);
                    used.push(t);
                }
                Token::EndOfWeek if day.is_none() => {
                    let friday = weekday_after(today, 4, false)?;
                    let this_week = today.weekday().to_monday_zero_offset() <= 4;
                    day = Some(if this_week {
                        (
                            today
                                .checked_add(
                                    (4 - today.weekday().to_monday_zero_offset() as i64).days(),
                                )
                                .ok()?,
                            false,
                        )
                    } else {
                        (friday.0, true)
                    });
                    used.push(t);
                }
                Token::NextWeek if day.is_none() => {
                    let monday_next = today
                        .checked_add((7 - today.weekday().to_monday_zero_offset() as i64).days())
                        .ok()?;
                    day = Some((monday_next.checked_add(4.days()).ok()?, false));
                    used.push(t);
                }
                Token::Noon if time.is_none() => {
                    time = Some(Time::constant(12, 0, 0, 0));
                    used.push(t);
                }
                Token::Clock(h, m) if time.is_none() => {
                    time = Time::new(h, m, 0, 0).ok();
                    used.push(t);
                }
                _ => {}
            }
            previous = Some(t.2);
            after_next = false;
        }
        let used_span = span_of(&used);
        match (day, time) {
            (Some((date, ambiguous)), Some(time)) => {
                Some((date.to_datetime(time), ambiguous, used_span))
            }
            (Some((date, ambiguous)), None) => {
                let due = date.to_datetime(END_OF_WORKING_DAY);
                // "Today" said after five: the end of today.
                let due = if due <= reference {
                    date.to_datetime(Time::constant(23, 59, 0, 0))
                } else {
                    due
                };
                Some((due, ambiguous, used_span))
            }
            (None, Some(time)) => {
                let at = today.to_datetime(time);
                let due = if at > reference {
                    at
                } else {
                    today.tomorrow().ok()?.to_datetime(time)
                };
                Some((due, false, used_span))
            }
            (None, None) => None,
        }
    }
}

/// "Next week" directly followed by a day is that day of the following week: "volgende week
/// dinsdag", and in Chinese and Japanese 下周五 / 下周日, where the day is a numeral (or 日/天,
/// read as the unit "day") glued to "next week".
fn merge_next_week_days(
    tokens: Vec<(usize, usize, Token)>,
    folded: &str,
) -> Vec<(usize, usize, Token)> {
    let mut out: Vec<(usize, usize, Token)> = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        let t = tokens[i];
        if t.2 == Token::NextWeek
            && let Some(&next) = tokens.get(i + 1)
            && gap_ok(folded, t.1, next.0)
        {
            let glued = t.1 == next.0;
            let day = match next.2 {
                Token::Weekday(w) => Some(w),
                Token::Number(n @ 1..=7) if glued => Some(n as i8 - 1),
                Token::Unit(Unit::Days) if glued => Some(6),
                _ => None,
            };
            if let Some(day) = day {
                out.push((t.0, next.1, Token::NextWeekday(day)));
                i += 2;
                continue;
            }
        }
        out.push(t);
        i += 1;
    }
    out
}

/// Words for "o'clock" that are also the unit "hour": "om 10 uur", "bis 15 Uhr", "à 14 h 30".
const CLOCK_HOUR_WORDS: &[&str] = &["uur", "uhr", "h", "heure", "heures"];

/// A number and an hour word read as a time of day, unless a "within" word makes it a duration
/// ("binnen 2 uur", "dans 2 h"); minutes may follow ("14 h 30"). A clock read from digits right
/// after a "within" word ("dans 2h") is a duration of hours.
fn read_spoken_clocks(
    tokens: Vec<(usize, usize, Token)>,
    folded: &str,
) -> Vec<(usize, usize, Token)> {
    let mut out: Vec<(usize, usize, Token)> = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        let t = tokens[i];
        let after_within = out
            .last()
            .is_some_and(|p| p.2 == Token::Within && gap_ok(folded, p.1, t.0));
        match (t.2, tokens.get(i + 1)) {
            (Token::Clock(h, 0), _) if after_within => {
                out.push((t.0, t.1, Token::Number(i64::from(h))));
                out.push((t.1, t.1, Token::Unit(Unit::Hours)));
            }
            (Token::Number(n @ 0..=24), Some(&unit))
                if !after_within
                    && unit.2 == Token::Unit(Unit::Hours)
                    && gap_ok(folded, t.1, unit.0)
                    && CLOCK_HOUR_WORDS.contains(&folded[unit.0..unit.1].trim()) =>
            {
                let minutes = tokens.get(i + 2).and_then(|m| match m.2 {
                    Token::Number(mm @ 0..=59) if gap_ok(folded, unit.1, m.0) => Some((mm, m.1)),
                    _ => None,
                });
                let (mm, end) = minutes.unwrap_or((0, unit.1));
                out.push((t.0, end, Token::Clock(n as i8, mm as i8)));
                i += if minutes.is_some() { 3 } else { 2 };
                continue;
            }
            _ => out.push(t),
        }
        i += 1;
    }
    out
}

/// A day number next to a month name is a date: "4 December", "December 4th", "le 4 décembre",
/// "am 4. Dezember", "4 de diciembre". A month name alone ("may", "mar") is left alone.
fn merge_day_and_month(
    tokens: Vec<(usize, usize, Token)>,
    folded: &str,
) -> Vec<(usize, usize, Token)> {
    let close = |from: usize, to: usize| {
        from <= to && {
            let gap = folded[from..to].trim();
            let gap = gap.trim_matches(|c: char| c == '.' || c == ',');
            gap.is_empty()
                || matches!(
                    gap,
                    "de" | "of" | "the" | "th" | "st" | "nd" | "rd" | "er" | "e"
                )
        }
    };
    let day = |t: &Token| match t {
        Token::Number(n @ 1..=31) => Some(*n as i8),
        _ => None,
    };
    let mut out: Vec<(usize, usize, Token)> = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        let t = tokens[i];
        if let (Some(d), Some(&(ms, me, Token::Month(m)))) = (day(&t.2), tokens.get(i + 1))
            && close(t.1, ms)
        {
            out.push((t.0, me, Token::Date(m, d, None)));
            i += 2;
            continue;
        }
        if let (Token::Month(m), Some(&next)) = (t.2, tokens.get(i + 1))
            && let Some(d) = day(&next.2)
            && close(t.1, next.0)
        {
            out.push((t.0, next.1, Token::Date(m, d, None)));
            i += 2;
            continue;
        }
        if !matches!(t.2, Token::Month(_)) {
            out.push(t);
        }
        i += 1;
    }
    out
}

/// The date `month`/`day` (of `year` when given) on or after `today`: without a year, this
/// year's if it has not passed, else next year's. `None` for a date that does not exist.
fn date_on_or_after(today: Date, month: i8, day: i8, year: Option<i16>) -> Option<Date> {
    match year {
        Some(year) => Date::new(year, month, day).ok(),
        None => {
            let this_year = Date::new(today.year(), month, day).ok()?;
            if this_year >= today {
                Some(this_year)
            } else {
                Date::new(today.year() + 1, month, day).ok()
            }
        }
    }
}

/// Dates in digits: `2026-12-04`, `4/12`, `4/12/2026`, `4.12.`, `4.12.2026`, `12月4日`,
/// `2026年12月4日`. Day first, as everywhere but the United States; `12/25` (a day over 12 in
/// second place) is read month first. `9.30` without a trailing dot is a clock time, not a date.
fn numeric_dates(folded: &str) -> Vec<(usize, usize, Token)> {
    static DATES: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"(?x)
            (?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2})
            | (?:(?P<cy>\d{4})年)?(?P<cm>\d{1,2})月(?P<cd>\d{1,2})[日号號]
            | (?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})(?:(?:[/.])(?P<y>\d{2,4})|(?P<dot>\.))?",
        )
        .expect("date pattern compiles")
    });
    let mut out = Vec::new();
    for c in DATES.captures_iter(folded) {
        let whole = c.get(0).expect("match");
        // Not inside a longer number (phone numbers, amounts).
        let before = folded[..whole.start()].chars().next_back();
        let after = folded[whole.end()..].chars().next();
        if before.is_some_and(|b| b.is_ascii_digit()) || after.is_some_and(|a| a.is_ascii_digit()) {
            continue;
        }
        let num = |name: &str| c.name(name).and_then(|m| m.as_str().parse::<i32>().ok());
        let (month, day, year) = if let Some(y) = num("iy") {
            (num("im"), num("id"), Some(y))
        } else if let Some(m) = num("cm") {
            (Some(m), num("cd"), num("cy"))
        } else {
            let (a, b) = (num("a"), num("b"));
            let year = num("y").map(|y| if y < 100 { 2000 + y } else { y });
            let written_as_date = c.name("y").is_some()
                || c.name("dot").is_some()
                || c.name("sep").is_some_and(|s| s.as_str() == "/");
            if !written_as_date {
                continue;
            }
            match (a, b) {
                (Some(a), Some(b)) if b > 12 && a <= 12 => (Some(a), Some(b), year),
                (Some(a), Some(b)) => (Some(b), Some(a), year),
                _ => continue,
            }
        };
        let (Some(month), Some(day)) = (month, day) else {
            continue;
        };
        if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
            continue;
        }
        out.push((
            whole.start(),
            whole.end(),
            Token::Date(
                month as i8,
                day as i8,
                year.and_then(|y| i16::try_from(y).ok()),
            ),
        ));
    }
    out
}

/// Whether only spaces (or nothing) separate a number from its unit.
fn gap_ok(folded: &str, from: usize, to: usize) -> bool {
    from <= to && folded[from..to].chars().all(char::is_whitespace)
}

/// The next `weekday` (0 = Monday) after `today`; with `next`, the one in the following calendar
/// week. Returns whether the reading is ambiguous.
fn weekday_after(today: Date, weekday: i8, next: bool) -> Option<(Date, bool)> {
    let now = today.weekday().to_monday_zero_offset() as i64;
    let wanted = i64::from(weekday);
    if next {
        let monday_next = today.checked_add((7 - now).days()).ok()?;
        return Some((monday_next.checked_add(wanted.days()).ok()?, true));
    }
    let ahead = (wanted - now).rem_euclid(7);
    let (ahead, ambiguous) = if ahead == 0 {
        (7, true)
    } else {
        (ahead, false)
    };
    Some((today.checked_add(ahead.days()).ok()?, ambiguous))
}

/// `reference` plus `n` units; business days skip Saturday and Sunday.
fn add_duration(reference: DateTime, unit: Unit, n: i64) -> Option<DateTime> {
    if !(0..=10_000).contains(&n) {
        return None;
    }
    match unit {
        Unit::Minutes => reference.checked_add(n.minutes()).ok(),
        Unit::Hours => reference.checked_add(n.hours()).ok(),
        Unit::Days => reference.checked_add(n.days()).ok(),
        Unit::Weeks => reference.checked_add((7 * n).days()).ok(),
        Unit::BusinessDays => {
            let mut at = reference;
            let mut left = n;
            while left > 0 {
                at = at.checked_add(1.day()).ok()?;
                if !matches!(at.weekday(), Weekday::Saturday | Weekday::Sunday) {
                    left -= 1;
                }
            }
            Some(at)
        }
    }
}

/// Digits and clock times: `15:00`, `9.30`, `15h`, `15h30`, `3pm`, `3 pm`, `15時`, `3点`, and
/// plain numbers.
fn numbers_and_clocks(folded: &str) -> Vec<(usize, usize, Token)> {
    let bytes = folded.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() || (i > 0 && bytes[i - 1].is_ascii_digit()) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        let digits = &folded[start..i];
        let Ok(value) = digits.parse::<i64>() else {
            continue;
        };
        let rest = &folded[i..];
        let two_digits = |s: &str| -> Option<i8> {
            let d = s.get(..2)?;
            if d.bytes().all(|b| b.is_ascii_digit())
                && !s[2..].starts_with(|c: char| c.is_ascii_digit())
            {
                d.parse().ok().filter(|m| *m < 60)
            } else {
                None
            }
        };
        let hour = i8::try_from(value).ok().filter(|h| (0..=24).contains(h));
        let clock = hour.and_then(|h| {
            if let Some(m) = rest.strip_prefix([':', '.', 'h']).and_then(two_digits) {
                return Some((h, m, 3));
            }
            let after_space = rest.trim_start();
            let skipped = rest.len() - after_space.len();
            for (suffix, pm) in [("pm", true), ("p.m", true), ("am", false), ("a.m", false)] {
                if after_space.starts_with(suffix)
                    && ends_word(after_space, suffix.len())
                    && (1..=12).contains(&h)
                {
                    let h = if pm && h != 12 {
                        h + 12
                    } else if !pm && h == 12 {
                        0
                    } else {
                        h
                    };
                    return Some((h, 0, skipped + suffix.len()));
                }
            }
            if rest.starts_with('h') && ends_word(rest, 1) {
                return Some((h, 0, 1));
            }
            // German "15 Uhr" is always a time of day, never a duration.
            if after_space.starts_with("uhr") && ends_word(after_space, 3) {
                return Some((h, 0, skipped + 3));
            }
            for suffix in ["時", "点", "點"] {
                if rest.starts_with(suffix) && !rest[suffix.len()..].starts_with("間") {
                    return Some((h, 0, suffix.len()));
                }
            }
            None
        });
        match clock {
            Some((h, m, len)) if h < 24 => {
                out.push((start, i + len, Token::Clock(h, m)));
                i += len;
            }
            _ => out.push((start, i, Token::Number(value))),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn english() -> TimeWords {
        let mut words = TimeWords::default();
        let text = include_str!("../../resources/data/en/time.toml");
        words
            .add_file(
                Lang::parse("en").unwrap(),
                true,
                &Source::new("en/time.toml", text),
            )
            .unwrap();
        words
    }

    /// Wednesday 18 November 2026, 14:00.
    fn wednesday() -> DateTime {
        jiff::civil::date(2026, 11, 18).at(14, 0, 0, 0)
    }

    fn due(words: &TimeWords, text: &str, reference: DateTime) -> Option<(String, bool)> {
        let folded = crate::lexicon::fold_phrase(text);
        words
            .resolve(Lang::parse("en").unwrap(), &folded, reference)
            .map(|(d, ambiguous, _)| (d.strftime("%Y-%m-%dT%H:%M").to_string(), ambiguous))
    }

    #[test]
    fn days_weekdays_and_durations() {
        let w = english();
        let at = wednesday();
        let check = |text: &str, want: &str, ambiguous: bool| {
            assert_eq!(
                due(&w, text, at),
                Some((want.to_string(), ambiguous)),
                "{text}"
            );
        };
        check("I'll call you back tomorrow", "2026-11-19T17:00", false);
        check("by Friday", "2026-11-20T17:00", false);
        check("I'll ring you on Wednesday", "2026-11-25T17:00", true);
        check("next Monday", "2026-11-23T17:00", true);
        check("next Friday", "2026-11-27T17:00", true);
        check("within 2 days", "2026-11-20T14:00", false);
        check("within two business days", "2026-11-20T14:00", false);
        check("in 3 hours", "2026-11-18T17:00", false);
        check("by 3pm", "2026-11-18T15:00", false);
        check("before 10:30", "2026-11-19T10:30", false);
        check("tomorrow before noon", "2026-11-19T12:00", false);
        check("by Friday at 9am", "2026-11-20T09:00", false);
        check("by the end of the week", "2026-11-20T17:00", false);
        check("next week", "2026-11-27T17:00", false);
        check("next week tuesday", "2026-11-24T17:00", true);
        check("by 4 December", "2026-12-04T17:00", false);
        check("on December 4th at 10am", "2026-12-04T10:00", false);
        check("by 3 February", "2027-02-03T17:00", false);
        check("before 2026-12-01", "2026-12-01T17:00", false);
        check("by 25/11", "2026-11-25T17:00", false);
        check("by 11/25", "2026-11-25T17:00", false);
        check("by 4.12.", "2026-12-04T17:00", false);
        check("by 9.30", "2026-11-19T09:30", false);
        assert_eq!(
            due(&w, "I may call you", at),
            None,
            "'may' alone is not a month"
        );
        check("by the end of the day", "2026-11-18T17:00", false);
        assert_eq!(due(&w, "I'll look into it", at), None);
        // Friday on a Friday after five: next week's Friday, ambiguous.
        let friday_evening = jiff::civil::date(2026, 11, 20).at(18, 0, 0, 0);
        assert_eq!(
            due(&w, "I'll call you Friday", friday_evening),
            Some(("2026-11-27T17:00".into(), true))
        );
        // Business days over a weekend.
        assert_eq!(
            due(&w, "within 3 working days", friday_evening),
            Some(("2026-11-25T18:00".into(), false))
        );
        // "Today" said after five is due at the end of the day.
        assert_eq!(
            due(&w, "today", friday_evening),
            Some(("2026-11-20T23:59".into(), false))
        );
    }

    #[test]
    fn spoken_clock_times_and_durations_in_hours() {
        let mut words = TimeWords::default();
        for code in ["nl", "fr", "de"] {
            let text = match code {
                "nl" => include_str!("../../resources/data/nl/time.toml"),
                "fr" => include_str!("../../resources/data/fr/time.toml"),
                _ => include_str!("../../resources/data/de/time.toml"),
            };
            let path = format!("{code}/time.toml");
            words
                .add_file(Lang::parse(code).unwrap(), true, &Source::new(path, text))
                .unwrap();
        }
        let at = wednesday();
        let due = |code: &str, text: &str| {
            let folded = crate::lexicon::fold_phrase(text);
            words
                .resolve(Lang::parse(code).unwrap(), &folded, at)
                .map(|(d, _, _)| d.strftime("%Y-%m-%dT%H:%M").to_string())
        };
        assert_eq!(
            due("nl", "ik bel u morgen om 10 uur").as_deref(),
            Some("2026-11-19T10:00")
        );
        assert_eq!(
            due("nl", "ik bel u binnen 2 uur").as_deref(),
            Some("2026-11-18T16:00")
        );
        assert_eq!(
            due("de", "ich melde mich bis 15 Uhr").as_deref(),
            Some("2026-11-18T15:00")
        );
        assert_eq!(
            due("fr", "je vous rappelle à 16 h 30").as_deref(),
            Some("2026-11-18T16:30")
        );
        assert_eq!(
            due("fr", "je vous rappelle dans 2h").as_deref(),
            Some("2026-11-18T16:00")
        );
    }

    #[test]
    fn clocks_and_numbers() {
        let tokens: Vec<Token> =
            numbers_and_clocks("at 15:30 or 3 pm or 15h, 9.45, 2 days, 15時, 3点")
                .into_iter()
                .map(|t| t.2)
                .collect();
        assert_eq!(
            tokens,
            [
                Token::Clock(15, 30),
                Token::Clock(15, 0),
                Token::Clock(15, 0),
                Token::Clock(9, 45),
                Token::Number(2),
                Token::Clock(15, 0),
                Token::Clock(3, 0),
            ]
        );
        assert_eq!(numbers_and_clocks("3時間")[0].2, Token::Number(3));
    }
}
