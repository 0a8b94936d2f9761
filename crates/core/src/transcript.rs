//! Reading conversations: tact's own JSON, WebVTT with voice tags (`<v Anna>`), and the JSON output
//! of Amazon Transcribe with speaker labels. Each becomes a list of [`Turn`]s with the speaker's
//! name as written and, for timed transcripts, start and end in seconds.
//!
//! Which speaker is the worker is decided afterwards ([`assign_roles`]): transcripts name speakers
//! (`spk_0`, "Anna"), not roles.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// Who speaks in a turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The client.
    Client,
    /// The worker (agent, adviser, caseworker).
    Worker,
}

/// One turn of a conversation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Turn {
    /// The speaker as the source names them ("client", "spk_1", "Anna").
    pub speaker: String,
    /// Client or worker, once assigned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    /// What was said or written.
    pub text: String,
    /// Start, in seconds from the beginning of the recording.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<f64>,
    /// End, in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<f64>,
}

/// The formats tact reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `{"turns": [{"speaker", "text", "start"?, "end"?}]}` or one such turn per line.
    Tact,
    /// WebVTT subtitles with `<v Speaker>` voice tags.
    WebVtt,
    /// Amazon Transcribe's output JSON with speaker labels.
    AmazonTranscribe,
}

impl Format {
    /// Guesses the format from the text itself.
    pub fn detect(text: &str) -> Format {
        let start = text.trim_start_matches('\u{feff}').trim_start();
        if start.starts_with("WEBVTT") {
            Format::WebVtt
        } else if start.starts_with('{')
            && text.contains("\"results\"")
            && text.contains("\"items\"")
        {
            Format::AmazonTranscribe
        } else {
            Format::Tact
        }
    }
}

/// Reads a conversation in `format`.
pub fn parse(text: &str, format: Format) -> Result<Vec<Turn>> {
    match format {
        Format::Tact => parse_tact(text),
        Format::WebVtt => parse_webvtt(text),
        Format::AmazonTranscribe => parse_transcribe(text),
    }
}

fn bad(message: impl Into<String>) -> Error {
    Error::Transcript(message.into())
}

#[derive(Deserialize)]
struct TactConversation {
    turns: Vec<Turn>,
}

fn parse_tact(text: &str) -> Result<Vec<Turn>> {
    let trimmed = text.trim_start();
    if trimmed.starts_with('{')
        && let Ok(conversation) = serde_json::from_str::<TactConversation>(trimmed)
    {
        return Ok(conversation.turns);
    }
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, line)| {
            serde_json::from_str::<Turn>(line)
                .map_err(|e| bad(format!("line {}: not a turn ({e})", i + 1)))
        })
        .collect()
}

/// `hh:mm:ss.ttt` or `mm:ss.ttt` in seconds.
fn vtt_time(text: &str) -> Option<f64> {
    let parts: Vec<&str> = text.trim().split(':').collect();
    let (h, m, s) = match parts.as_slice() {
        [h, m, s] => (h.parse::<f64>().ok()?, m.parse::<f64>().ok()?, *s),
        [m, s] => (0.0, m.parse::<f64>().ok()?, *s),
        _ => return None,
    };
    let s: f64 = s.replace(',', ".").parse().ok()?;
    (m < 60.0 && s < 60.0).then_some(h * 3600.0 + m * 60.0 + s)
}

fn parse_webvtt(text: &str) -> Result<Vec<Turn>> {
    let mut turns = Vec::new();
    let text = text.replace("\r\n", "\n");
    for (block_index, block) in text.split("\n\n").enumerate() {
        let mut lines = block.lines().filter(|l| !l.trim().is_empty());
        let Some(mut first) = lines.next() else {
            continue;
        };
        if block_index == 0 && first.starts_with("WEBVTT") {
            continue;
        }
        if first.starts_with("NOTE") || first.starts_with("STYLE") || first.starts_with("REGION") {
            continue;
        }
        if !first.contains("-->") {
            // A cue identifier; the timing line follows.
            match lines.next() {
                Some(next) => first = next,
                None => continue,
            }
        }
        let Some((from, to)) = first.split_once("-->") else {
            return Err(bad(format!("cue {}: no timing line", block_index)));
        };
        let to = to.split_whitespace().next().unwrap_or_default();
        let (Some(start), Some(end)) = (vtt_time(from), vtt_time(to)) else {
            return Err(bad(format!("cue {block_index}: bad time in {first:?}")));
        };
        let payload: Vec<&str> = lines.collect();
        let payload = payload.join(" ");
        let (speaker, body) = match payload.trim_start().strip_prefix("<v") {
            Some(rest) => {
                let (tag, body) = rest.split_once('>').unwrap_or((rest, ""));
                // `<v.loud Anna>`: classes before the name.
                let name = match tag.strip_prefix('.') {
                    Some(classes) => classes.split_once(' ').map_or("", |(_, n)| n),
                    None => tag,
                }
                .trim();
                (name.to_string(), body)
            }
            None => (String::new(), payload.as_str()),
        };
        let text = strip_tags(body);
        if text.is_empty() {
            continue;
        }
        turns.push(Turn {
            speaker,
            role: None,
            text,
            start: Some(start),
            end: Some(end.max(start)),
        });
    }
    Ok(turns)
}

/// Text without markup (`<i>`, `</v>`, `<p>`, `<00:00:01.000>`), the common entities decoded and
/// whitespace collapsed: for WebVTT cues and for messages that arrive as HTML (e-mail channels).
pub fn strip_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[derive(Deserialize)]
struct TranscribeOutput {
    results: TranscribeResults,
}

#[derive(Deserialize)]
struct TranscribeResults {
    #[serde(default)]
    items: Vec<TranscribeItem>,
    #[serde(default)]
    speaker_labels: Option<SpeakerLabels>,
    #[serde(default)]
    audio_segments: Vec<AudioSegment>,
}

#[derive(Deserialize)]
struct TranscribeItem {
    #[serde(default)]
    start_time: Option<String>,
    #[serde(default)]
    end_time: Option<String>,
    #[serde(default)]
    speaker_label: Option<String>,
    #[serde(rename = "type")]
    kind: String,
    alternatives: Vec<Alternative>,
}

#[derive(Deserialize)]
struct Alternative {
    content: String,
}

#[derive(Deserialize)]
struct SpeakerLabels {
    segments: Vec<SpeakerSegment>,
}

#[derive(Deserialize)]
struct SpeakerSegment {
    start_time: String,
    end_time: String,
    speaker_label: String,
}

#[derive(Deserialize)]
struct AudioSegment {
    transcript: String,
    start_time: String,
    end_time: String,
    #[serde(default)]
    speaker_label: Option<String>,
}

fn seconds(text: &str) -> Result<f64> {
    text.parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && *s >= 0.0)
        .ok_or_else(|| bad(format!("{text:?} is not a time in seconds")))
}

fn parse_transcribe(text: &str) -> Result<Vec<Turn>> {
    let output: TranscribeOutput = serde_json::from_str(text)
        .map_err(|e| bad(format!("not Amazon Transcribe output: {e}")))?;
    let results = output.results;
    // Newer output groups the words into speaker segments with their text.
    if !results.audio_segments.is_empty() {
        return results
            .audio_segments
            .into_iter()
            .map(|s| {
                Ok(Turn {
                    speaker: s.speaker_label.unwrap_or_default(),
                    role: None,
                    text: s.transcript,
                    start: Some(seconds(&s.start_time)?),
                    end: Some(seconds(&s.end_time)?),
                })
            })
            .collect();
    }
    // Otherwise each speaker segment takes the words of its speaker inside its time span;
    // punctuation follows the word before it.
    let segments = results
        .speaker_labels
        .map(|l| l.segments)
        .unwrap_or_default();
    let mut words: Vec<(f64, Option<String>, String, bool)> = Vec::new();
    for item in &results.items {
        let content = item
            .alternatives
            .first()
            .map(|a| a.content.clone())
            .unwrap_or_default();
        if item.kind == "punctuation" {
            if let Some(last) = words.last_mut() {
                last.2.push_str(&content);
            }
            continue;
        }
        let start = match &item.start_time {
            Some(t) => seconds(t)?,
            None => words.last().map_or(0.0, |w| w.0),
        };
        words.push((start, item.speaker_label.clone(), content, false));
    }
    if segments.is_empty() {
        let text: Vec<&str> = words.iter().map(|w| w.2.as_str()).collect();
        let end = results
            .items
            .iter()
            .filter_map(|i| i.end_time.as_deref())
            .next_back()
            .map(seconds)
            .transpose()?;
        return Ok(vec![Turn {
            speaker: String::new(),
            role: None,
            text: text.join(" "),
            start: words.first().map(|w| w.0),
            end,
        }]);
    }
    let mut turns = Vec::new();
    for segment in &segments {
        let (start, end) = (seconds(&segment.start_time)?, seconds(&segment.end_time)?);
        let mut text = Vec::new();
        for word in words.iter_mut() {
            let same_speaker = word.1.as_deref().is_none_or(|s| s == segment.speaker_label);
            if !word.3 && same_speaker && word.0 >= start - 1e-6 && word.0 <= end + 1e-6 {
                word.3 = true;
                text.push(word.2.clone());
            }
        }
        turns.push(Turn {
            speaker: segment.speaker_label.clone(),
            role: None,
            text: text.join(" "),
            start: Some(start),
            end: Some(end.max(start)),
        });
    }
    Ok(turns)
}

/// Names that say a speaker is the worker.
const WORKER_NAMES: &[&str] = &[
    "worker",
    "agent",
    "staff",
    "adviser",
    "advisor",
    "operator",
    "supervisor",
];
/// Names that say a speaker is the client.
const CLIENT_NAMES: &[&str] = &["client", "customer", "caller", "user", "seeker"];

/// Sets each turn's role. `workers` names the worker's speaker labels; without them a speaker
/// called "worker", "agent" … is the worker, and failing that the first speaker (agents open
/// calls).
pub fn assign_roles(turns: &mut [Turn], workers: &[String]) {
    let first_speaker = turns.first().map(|t| t.speaker.clone());
    let named = turns.iter().any(|t| {
        let s = t.speaker.to_ascii_lowercase();
        WORKER_NAMES.contains(&s.as_str()) || CLIENT_NAMES.contains(&s.as_str())
    });
    for turn in turns.iter_mut() {
        if turn.role.is_some() {
            continue;
        }
        let name = turn.speaker.to_ascii_lowercase();
        let worker = if !workers.is_empty() {
            workers
                .iter()
                .any(|w| w.eq_ignore_ascii_case(&turn.speaker))
        } else if named {
            WORKER_NAMES.contains(&name.as_str())
        } else {
            Some(&turn.speaker) == first_speaker.as_ref()
        };
        turn.role = Some(if worker { Role::Worker } else { Role::Client });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn webvtt_voices_times_and_markup() {
        let vtt = "WEBVTT\n\nNOTE a call\n\n1\n00:00:00.000 --> 00:00:03.500\n<v Anna>Good morning, <i>how</i> can I help?</v>\n\n00:01.200 --> 00:04.000 align:start\n<v.loud Mr Dube>My card &amp; my PIN\nare blocked!\n";
        let turns = parse(vtt, Format::detect(vtt)).unwrap();
        assert_eq!(turns.len(), 2);
        assert_eq!(turns[0].speaker, "Anna");
        assert_eq!(turns[0].text, "Good morning, how can I help?");
        assert_eq!(turns[1].speaker, "Mr Dube");
        assert_eq!(turns[1].text, "My card & my PIN are blocked!");
        assert_eq!((turns[1].start, turns[1].end), (Some(1.2), Some(4.0)));
        assert!(parse("WEBVTT\n\n00:00.000 --> nonsense\nhi\n", Format::WebVtt).is_err());
    }

    #[test]
    fn roles_from_names_or_first_speaker() {
        let turn = |s: &str| Turn {
            speaker: s.into(),
            role: None,
            text: "x".into(),
            start: None,
            end: None,
        };
        let mut turns = vec![turn("spk_0"), turn("spk_1"), turn("spk_0")];
        assign_roles(&mut turns, &[]);
        assert_eq!(turns[0].role, Some(Role::Worker));
        assert_eq!(turns[1].role, Some(Role::Client));
        let mut turns = vec![turn("customer"), turn("agent")];
        assign_roles(&mut turns, &[]);
        assert_eq!(turns[1].role, Some(Role::Worker));
        let mut turns = vec![turn("spk_0"), turn("spk_1")];
        assign_roles(&mut turns, &["spk_1".into()]);
        assert_eq!(turns[0].role, Some(Role::Client));
    }
}
