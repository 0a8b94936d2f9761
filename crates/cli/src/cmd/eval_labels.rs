//! Scoring files labelled per message (`{"text", "lang", "labels": [...]}`) against what tact
//! reports, through a mapping from the set's labels to tact's categories
//! (`crates/cli/data/eval-mappings.toml`).

use super::eval::Counts;
use crate::input::Outcome;
use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::time::Instant;
use tact_core::coach::{CoachOptions, CoachReport, Verdict};
use tact_core::{AnalyseOptions, Analysis, Engine, Lang};

const DEFAULT_MAPPINGS: &str = include_str!("../../data/eval-mappings.toml");

#[derive(Deserialize)]
struct Mappings {
    set: Vec<SetMapping>,
}

#[derive(Deserialize)]
struct SetMapping {
    folder: String,
    map: Vec<LabelMap>,
}

#[derive(Deserialize)]
struct LabelMap {
    /// The label; `a|b` counts a row labelled with either.
    label: String,
    tact: Vec<String>,
    /// Score only rows that carry a label starting with this (sets that label one aspect per
    /// row, like EPITOME's three mechanisms).
    #[serde(default)]
    among: Option<String>,
}

impl LabelMap {
    /// Whether the row is scored for this label, and whether it is a positive.
    fn gold(&self, labels: &[String]) -> Option<bool> {
        if let Some(prefix) = &self.among
            && !labels.iter().any(|l| l.starts_with(prefix.as_str()))
        {
            return None;
        }
        Some(
            self.label
                .split('|')
                .any(|wanted| labels.iter().any(|l| l == wanted)),
        )
    }

    /// Whether it needs the coach: the rows are a worker's replies.
    fn coaches(&self) -> bool {
        self.tact.iter().any(|p| p.starts_with("coach."))
    }
}

#[derive(Deserialize)]
struct Row {
    #[serde(default)]
    id: serde_json::Value,
    #[serde(default)]
    lang: Option<String>,
    text: String,
    #[serde(default)]
    labels: Vec<String>,
    /// What the text answers, for sets of replies.
    #[serde(default)]
    context: Option<String>,
}

#[derive(Serialize)]
struct Report {
    tool: &'static str,
    file: String,
    set: String,
    messages: usize,
    seconds: f64,
    messages_per_second: f64,
    language_given: bool,
    mapping: BTreeMap<String, Vec<String>>,
    labels: BTreeMap<String, Counts>,
    by_language: BTreeMap<String, BTreeMap<String, Counts>>,
}

/// Whether one tact predicate of the mapping holds: a category found asserted in the analysis,
/// or `coach.<criterion>` met by the text read as a worker's reply.
fn holds(analysis: &Analysis, coach: Option<&CoachReport>, predicate: &str) -> bool {
    if let Some(criterion) = predicate.strip_prefix("coach.") {
        return coach.is_some_and(|c| {
            c.criteria
                .iter()
                .any(|r| r.criterion.as_str() == criterion && r.verdict == Verdict::Met)
        });
    }
    let (category, targeted) = match predicate.strip_suffix(":targeted") {
        Some(category) => (category, true),
        None => (predicate, false),
    };
    if let Some(emotion) = category.strip_prefix("emotion.") {
        return analysis
            .emotions
            .iter()
            .any(|e| e.emotion.as_str() == emotion);
    }
    analysis
        .signals
        .iter()
        .filter(|s| s.asserted())
        .filter(|s| !targeted || s.targeted == Some(true))
        .any(|s| match category.strip_suffix('*') {
            Some(prefix) => {
                s.category.starts_with(prefix) && s.category != "abuse.complaint_leverage"
            }
            None => s.category == category,
        })
}

pub fn run(
    file: &Path,
    engine: &Engine,
    given_lang: bool,
    json: Option<&Path>,
    mapping: Option<&Path>,
    set: Option<&str>,
    show_errors: usize,
) -> Result<Outcome> {
    let text = match mapping {
        Some(path) => std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?,
        None => DEFAULT_MAPPINGS.to_string(),
    };
    let mappings: Mappings = toml::from_str(&text).context("the label mapping is not valid")?;
    let folder = file
        .parent()
        .and_then(|p| p.file_name())
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let name = set.unwrap_or(&folder);
    let Some(set) = mappings.set.iter().find(|s| s.folder == name) else {
        bail!("no label mapping for {name:?} (use --set NAME, or --mapping FILE to add one)");
    };
    let reader = BufReader::new(
        std::fs::File::open(file).with_context(|| format!("cannot open {}", file.display()))?,
    );
    let mut rows = Vec::new();
    for (i, line) in reader.lines().enumerate() {
        let line =
            line.with_context(|| format!("{}:{}: cannot read line", file.display(), i + 1))?;
        if !line.trim().is_empty() {
            rows.push(
                serde_json::from_str::<Row>(&line)
                    .with_context(|| format!("{}:{}: not a labelled row", file.display(), i + 1))?,
            );
        }
    }
    let mut labels: BTreeMap<String, Counts> = set
        .map
        .iter()
        .map(|m| (m.label.clone(), Counts::default()))
        .collect();
    let mut by_language: BTreeMap<String, BTreeMap<String, Counts>> = BTreeMap::new();
    let mut errors: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let started = Instant::now();
    for row in &rows {
        // "pt-BR", "ar-DZ": the language part decides the resources.
        let lang = row
            .lang
            .as_deref()
            .and_then(|l| Lang::parse(l.get(..2).unwrap_or(l)));
        let analysis = engine.analyse(
            &row.text,
            &AnalyseOptions {
                language: if given_lang { lang } else { None },
                ..Default::default()
            },
        )?;
        let coach = if set.map.iter().any(LabelMap::coaches) {
            let client = match &row.context {
                Some(context) => Some(engine.analyse(
                    context,
                    &AnalyseOptions {
                        language: analysis.language.lang,
                        ..Default::default()
                    },
                )?),
                None => None,
            };
            Some(engine.coach(
                &row.text,
                &CoachOptions {
                    language: analysis.language.lang,
                    client: client.as_ref(),
                    ..Default::default()
                },
            )?)
        } else {
            None
        };
        let lang_key = row.lang.clone().unwrap_or_else(|| "?".into());
        for m in &set.map {
            let Some(gold) = m.gold(&row.labels) else {
                continue;
            };
            let predicted = m.tact.iter().any(|p| holds(&analysis, coach.as_ref(), p));
            let (tp, fp, fn_) = (
                usize::from(gold && predicted),
                usize::from(!gold && predicted),
                usize::from(gold && !predicted),
            );
            labels.get_mut(&m.label).expect("label").add(tp, fp, fn_);
            by_language
                .entry(lang_key.clone())
                .or_default()
                .entry(m.label.clone())
                .or_default()
                .add(tp, fp, fn_);
            if show_errors > 0 && gold != predicted {
                let what = if gold { "missed" } else { "spurious" };
                let text: String = row.text.chars().take(160).collect();
                errors
                    .entry(m.label.as_str())
                    .or_default()
                    .push(format!("{what} {} [{lang_key}] {text:?}", row.id));
            }
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    for counts in labels
        .values_mut()
        .chain(by_language.values_mut().flat_map(|m| m.values_mut()))
    {
        counts.finish();
    }
    println!(
        "{} — set {}, {} messages, language {}",
        file.display(),
        set.folder,
        rows.len(),
        if given_lang {
            "given by the file"
        } else {
            "detected"
        }
    );
    println!(
        "{:<28} {:>5} {:>5} {:>5}  {:>6} {:>6} {:>6}   tact categories",
        "label", "tp", "fp", "fn", "P", "R", "F1"
    );
    let line = |name: &str, c: &Counts, tact: &str| {
        println!(
            "{:<28} {:>5} {:>5} {:>5}  {:>6.3} {:>6.3} {:>6.3}   {tact}",
            name, c.tp, c.fp, c.fn_, c.precision, c.recall, c.f1
        )
    };
    for m in &set.map {
        line(&m.label, &labels[&m.label], &m.tact.join(" | "));
    }
    if by_language.len() > 1 {
        for (lang, counts) in &by_language {
            println!("-- {lang}");
            for m in &set.map {
                line(&m.label, &counts[&m.label], "");
            }
        }
    }
    let macro_f1 = labels.values().map(|c| c.f1).sum::<f64>() / labels.len().max(1) as f64;
    println!(
        "macro F1 over the mapped labels: {macro_f1:.3}; {:.0} messages/s",
        rows.len() as f64 / seconds.max(1e-9)
    );
    for (label, lines) in &errors {
        let unique: BTreeSet<&String> = lines.iter().collect();
        for l in unique.into_iter().take(show_errors) {
            eprintln!("{label}: {l}");
        }
    }
    if let Some(path) = json {
        let report = Report {
            tool: "tact",
            file: file.display().to_string(),
            set: set.folder.clone(),
            messages: rows.len(),
            seconds,
            messages_per_second: rows.len() as f64 / seconds.max(1e-9),
            language_given: given_lang,
            mapping: set
                .map
                .iter()
                .map(|m| (m.label.clone(), m.tact.clone()))
                .collect(),
            labels,
            by_language,
        };
        std::fs::write(path, serde_json::to_string_pretty(&report)?)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(Outcome::default())
}
