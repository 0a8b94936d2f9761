//! The engine: compiled resources and the analysis of one message.

use crate::category::{Abuse, Category, Emotion, Severity};
use crate::error::{Error, Result};
use crate::finding::{Span, fill_char_offsets};
use crate::lang::{Lang, LanguageDetector, LanguageGuess};
use crate::lexicon::{LexMatch, Lexicon, WordView};
use crate::pii::{
    Cue, PhoneRegions, PiiFinding, PiiScanner, RawPii, ScanContext, resolve_overlaps,
};
use crate::resources::{ResourceSet, Source};
use crate::signals::{Intensity, OrientationReport, Signal};
use crate::text::{Normalized, ScriptCounts};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Compiled resources, ready to analyse messages. Immutable, `Send + Sync`: build it once and
/// share it (behind an `Arc`) between threads.
#[derive(Debug, Clone)]
pub struct Engine {
    resources: ResourceSet,
    lexicon: Lexicon,
    /// The coaching cues, person words and profanity, for workers' drafts.
    drafts: Lexicon,
    pii: PiiScanner,
    detector: LanguageDetector,
    regions: HashMap<Lang, PhoneRegions>,
    /// Regions tried when the language is unknown: the first two of every language.
    fallback_regions: PhoneRegions,
    languages: Vec<Lang>,
}

/// What the caller tells the engine about a message besides its text.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct AnalyseOptions {
    /// The message's language, when the caller knows it (skips detection).
    #[serde(default)]
    pub language: Option<Lang>,
    /// When the message arrived and the worker's hours, for after-hours contact.
    #[serde(default)]
    pub time: Option<crate::context::TimeContext>,
}

/// Everything the engine found in one message.
#[derive(Debug, Clone, Serialize)]
pub struct Analysis {
    /// The language the message was analysed as.
    pub language: LanguageGuess,
    /// Personal data, in text order, overlaps resolved.
    pub pii: Vec<PiiFinding>,
    /// Whether anything calls for immediate action: an asserted urgent disclosure (self-harm,
    /// threat to life) or a threat against the worker.
    pub urgent: bool,
    /// Disclosures, emotions, boundary crossings and abuse, each with its context.
    pub signals: Vec<Signal>,
    /// The emotions expressed (asserted only), strongest first, intensity 0–1.
    pub emotions: Vec<EmotionLevel>,
    /// I-language or you-language, and the reply strategy it calls for.
    pub orientation: Option<OrientationReport>,
    /// Shouting and other typographic cues.
    pub intensity: Intensity,
    /// Length of the message in characters (a long message calls for a summary, P33).
    pub chars: usize,
    /// How heated the message is, 0 to 1 (anger, frustration, abuse aimed at the worker,
    /// shouting); [`crate::signals::escalation`] reads its trend across a conversation.
    pub heat: f32,
}

/// One emotion's overall intensity in a message.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct EmotionLevel {
    /// The emotion.
    pub emotion: Emotion,
    /// 0 to 1.
    pub intensity: f32,
}

/// Messages longer than this cannot be addressed with the engine's 32-bit offsets.
const MAX_INPUT: usize = u32::MAX as usize;

impl Engine {
    /// Parses and compiles `sources` (already overlaid). Errors name the file and line.
    pub fn from_sources(sources: &[Source]) -> Result<Engine> {
        Engine::new(ResourceSet::load(sources)?)
    }

    /// Compiles a loaded resource set.
    pub fn new(resources: ResourceSet) -> Result<Engine> {
        let lexicon = Lexicon::compile(
            &resources.with_entries(|e| !matches!(e.category, Category::Coach(_))),
        )?;
        let drafts = Lexicon::compile(&resources.with_entries(crate::coach::reads_in_drafts))?;
        let pii = PiiScanner::compile(&resources.pii_patterns)?;
        let languages: Vec<Lang> = resources.languages.iter().map(|m| m.code).collect();
        let mut regions = HashMap::new();
        let mut fallback = Vec::new();
        for meta in &resources.languages {
            if let Some(bad) = meta
                .phone_regions
                .iter()
                .find(|r| !PhoneRegions::is_known(r))
            {
                return Err(Error::Resource {
                    location: crate::error::Location::file(&format!("{}/language.toml", meta.code)),
                    message: format!("unknown phone region {bad:?}"),
                });
            }
            regions.insert(
                meta.code,
                PhoneRegions::new(meta.phone_regions.iter().map(String::as_str)),
            );
            fallback.extend(meta.phone_regions.iter().take(2).map(String::as_str));
        }
        let fallback_regions = PhoneRegions::new(fallback);
        Ok(Engine {
            detector: LanguageDetector::new(&languages),
            resources,
            lexicon,
            drafts,
            pii,
            regions,
            fallback_regions,
            languages,
        })
    }

    /// The languages that have resources.
    pub fn languages(&self) -> &[Lang] {
        &self.languages
    }

    /// The loaded resources.
    pub fn resources(&self) -> &ResourceSet {
        &self.resources
    }

    /// The compiled lexicon of client messages.
    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    /// The compiled lexicon of workers' drafts (coaching cues, person words, profanity).
    pub fn draft_lexicon(&self) -> &Lexicon {
        &self.drafts
    }

    /// Guesses the language of `text` among the languages with resources.
    pub fn detect_language(&self, text: &str) -> LanguageGuess {
        self.detector.detect(text)
    }

    /// Analyses one message.
    pub fn analyse(&self, text: &str, options: &AnalyseOptions) -> Result<Analysis> {
        if text.len() >= MAX_INPUT {
            return Err(Error::InputTooLarge(text.len()));
        }
        let norm = Normalized::new(text);
        let view = WordView::new(norm.as_str());
        let scripts = ScriptCounts::of(text);
        let language = match options.language {
            Some(lang) => LanguageGuess::given(lang),
            None => self
                .detector
                .detect_counted(text, &scripts, &self.lexicon.votes(&norm, &view)),
        };
        let active: Vec<Lang> = match language.lang {
            Some(lang) => vec![lang],
            None => self.languages.clone(),
        };
        let mut matches: Vec<LexMatch> = Vec::new();
        self.lexicon
            .find_all(&norm, &view, Some(&active), &mut matches);
        let entries = self.lexicon.entries();
        // `find_all` already kept only the active languages' (and shared) entries.
        let cues: Vec<Cue<'_>> = matches
            .iter()
            .filter_map(|m| {
                let entry = &entries[m.entry as usize];
                match entry.category {
                    Category::PiiCue(cue) => Some(Cue {
                        cue,
                        kind: entry.kind.as_deref(),
                        rule: &entry.id,
                        start: m.start,
                        end: m.end,
                    }),
                    _ => None,
                }
            })
            .collect();
        let regions = match language.lang {
            Some(lang) => self.regions.get(&lang).unwrap_or(&self.fallback_regions),
            None => &self.fallback_regions,
        };
        let ctx = ScanContext {
            regions,
            fallback_regions: &self.fallback_regions,
            langs: &active,
            cues: &cues,
        };
        let mut raw: Vec<RawPii> = Vec::new();
        self.pii.scan(text, &norm, &ctx, &mut raw);
        resolve_overlaps(&mut raw);
        let mut pii: Vec<PiiFinding> = raw
            .into_iter()
            .map(|r| {
                let (start, end) = norm.to_original(text, r.start, r.end);
                r.into_finding(Span::bytes(start, end), text)
            })
            .filter(|f| !f.span.is_empty())
            .collect();
        let (spaced, window) = match language.lang.and_then(|l| self.resources.language(l)) {
            Some(meta) => (meta.spaces, meta.window),
            None => (true, 4),
        };
        let reading = crate::signals::read(entries, norm.as_str(), &view, &matches, spaced, window);
        let mut signals = reading.signals;
        for s in &mut signals {
            let (start, end) = norm.to_original(text, s.span.start, s.span.end);
            s.span = Span::bytes(start, end);
            s.text = text[start..end].to_string();
            for c in &mut s.context {
                let (start, end) = norm.to_original(text, c.span.start, c.span.end);
                c.span = Span::bytes(start, end);
            }
        }
        fill_char_offsets(
            text,
            pii.iter_mut()
                .map(|f| &mut f.span)
                .chain(signals.iter_mut().flat_map(|s| {
                    std::iter::once(&mut s.span).chain(s.context.iter_mut().map(|c| &mut c.span))
                })),
        );
        crate::signals::add_computed(&mut signals, options.time.as_ref());
        let intensity = crate::signals::intensity(&scripts, norm.as_str());
        let emotions: Vec<EmotionLevel> = crate::signals::emotions(&signals, &intensity)
            .into_iter()
            .map(|(emotion, intensity)| EmotionLevel { emotion, intensity })
            .collect();
        let urgent = signals.iter().any(|s| {
            s.asserted()
                && (s.severity == Some(Severity::Urgent)
                    || s.category == Category::Abuse(Abuse::Threat).name())
        });
        let heat = crate::signals::heat(&emotions, &signals, &intensity);
        Ok(Analysis {
            chars: text.chars().count(),
            heat,
            language,
            pii,
            urgent,
            signals,
            emotions,
            orientation: reading.orientation,
            intensity,
        })
    }
}
