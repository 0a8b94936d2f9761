//! `tact redact` and `tact unredact`.

use crate::input::{InputArgs, Message, Outcome, Rejected};
use anyhow::{Context, Result, bail};
use serde_json::Value;
use std::collections::HashMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use tact_core::redact::{Operator, Policy, RedactionKey, Redactor, unredact};
use tact_core::{AnalyseOptions, Engine, Lang};

/// Options of `tact redact`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    input: InputArgs,
    /// Operator for every type: placeholder, mask, hash, encrypt, drop.
    #[arg(long, default_value = "placeholder", value_parser = ["placeholder", "mask", "hash", "encrypt", "drop"])]
    operator: String,
    /// With `--operator mask`: how many trailing letters and digits stay readable.
    #[arg(long, default_value_t = 4)]
    keep_last: usize,
    /// A policy file (TOML) choosing operators per type; overrides `--operator`.
    /// Example: `default = { operator = "placeholder" }` and
    /// `per_kind.CREDIT_CARD = { operator = "mask", keep_last = 4 }`.
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,
    /// Key for hash and encrypt: a file holding 64 hexadecimal digits.
    #[arg(long, value_name = "FILE")]
    key_file: Option<PathBuf>,
    /// JSON lines: redact these string fields (repeatable; default: the text field).
    #[arg(long = "field", value_name = "NAME")]
    fields: Vec<String>,
    /// JSON lines: redact every string value, at any depth.
    #[arg(long, conflicts_with = "fields")]
    all_strings: bool,
    /// JSON lines: messages with the same value in this field share placeholder numbering.
    #[arg(long, default_value = "conversation_id", value_name = "NAME")]
    conversation_field: String,
    /// Analyse every message as this language instead of detecting it.
    #[arg(long, value_parser = crate::cmd::analyze::parse_lang)]
    lang: Option<Lang>,
}

/// Options of `tact unredact`.
#[derive(Debug, clap::Args)]
pub struct UnredactArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Key file (64 hexadecimal digits); or set TACT_REDACTION_KEY.
    #[arg(long, value_name = "FILE")]
    key_file: Option<PathBuf>,
}

/// The key from `--key-file` or `TACT_REDACTION_KEY`. The key itself never appears in messages.
fn load_key(path: Option<&Path>) -> Result<Option<RedactionKey>> {
    let hex = match path {
        Some(path) => std::fs::read_to_string(path)
            .with_context(|| format!("cannot read key file {}", path.display()))?,
        None => match std::env::var("TACT_REDACTION_KEY") {
            Ok(hex) => hex,
            Err(_) => return Ok(None),
        },
    };
    Ok(Some(
        RedactionKey::from_hex(&hex).context("the redaction key is not usable")?,
    ))
}

fn policy(args: &Args) -> Result<Policy> {
    if let Some(path) = &args.policy {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read policy {}", path.display()))?;
        return toml::from_str(&text)
            .with_context(|| format!("policy {} is not valid", path.display()));
    }
    Ok(Policy::uniform(match args.operator.as_str() {
        "mask" => Operator::Mask {
            keep_last: args.keep_last,
        },
        "hash" => Operator::Hash,
        "encrypt" => Operator::Encrypt,
        "drop" => Operator::Drop,
        _ => Operator::Placeholder,
    }))
}

struct Job<'a> {
    engine: &'a Engine,
    policy: Policy,
    key: Option<RedactionKey>,
    lang: Option<Lang>,
}

impl Job<'_> {
    fn redact_text(
        &self,
        redactor: &mut Redactor,
        text: &str,
        lang: Option<Lang>,
    ) -> Result<String> {
        let analysis = self.engine.analyse(
            text,
            &AnalyseOptions {
                language: self.lang.or(lang),
                ..Default::default()
            },
        )?;
        Ok(redactor
            .redact(text, &analysis.pii, &self.policy, self.key.as_ref())?
            .text)
    }

    fn redact_value(
        &self,
        redactor: &mut Redactor,
        value: &mut Value,
        lang: Option<Lang>,
    ) -> Result<()> {
        match value {
            Value::String(s) => *s = self.redact_text(redactor, s, lang)?,
            Value::Array(items) => items
                .iter_mut()
                .try_for_each(|v| self.redact_value(redactor, v, lang))?,
            Value::Object(map) => map
                .values_mut()
                .try_for_each(|v| self.redact_value(redactor, v, lang))?,
            _ => {}
        }
        Ok(())
    }
}

pub fn run(args: Args, resources: Option<&Path>) -> Result<Outcome> {
    let policy = policy(&args)?;
    let key = load_key(args.key_file.as_deref())?;
    let needs_key = std::iter::once(policy.default)
        .chain(policy.per_kind.values().copied())
        .any(|op| matches!(op, Operator::Hash | Operator::Encrypt));
    if needs_key && key.is_none() {
        bail!(
            "hash and encrypt need the organisation's key: --key-file FILE or TACT_REDACTION_KEY"
        );
    }
    let engine = crate::resources::load_engine(resources)?;
    let job = Job {
        engine: &engine,
        policy,
        key,
        lang: args.lang,
    };
    let fields: Vec<String> = if args.fields.is_empty() {
        vec![args.input.text_field.clone()]
    } else {
        args.fields.clone()
    };
    let mut redactors: HashMap<String, Redactor> = HashMap::new();
    let mut outcome = Outcome::default();
    let mut out = io::BufWriter::new(io::stdout().lock());
    let mut failure: Option<anyhow::Error> = None;
    args.input.for_each(|item| {
        if failure.is_some() {
            return;
        }
        let message: Message = match item {
            Ok(m) => m,
            Err(rejected) => return outcome.reject(&rejected),
        };
        let conversation = message
            .object
            .as_ref()
            .and_then(|o| o.get(&args.conversation_field))
            .map(|v| v.to_string())
            .unwrap_or_default();
        let redactor = redactors.entry(conversation).or_default();
        let line = match message.object {
            None => job.redact_text(redactor, &message.text, None),
            Some(mut object) => (|| {
                if args.all_strings {
                    for (name, value) in object.iter_mut() {
                        if name != &args.conversation_field && name != "id" {
                            job.redact_value(redactor, value, message.lang)?;
                        }
                    }
                } else {
                    for field in &fields {
                        if let Some(value) = object.get_mut(field) {
                            job.redact_value(redactor, value, message.lang)?;
                        }
                    }
                }
                Ok(Value::Object(object).to_string())
            })(),
        };
        match line {
            Ok(line) => {
                if let Err(e) = writeln!(out, "{line}") {
                    failure = Some(e.into());
                }
            }
            Err(e) => outcome.reject(&Rejected {
                origin: message.origin,
                reason: format!("{e:#}"),
            }),
        }
    })?;
    out.flush().ok();
    match failure {
        Some(e) if !is_broken_pipe(&e) => Err(e),
        _ => Ok(outcome),
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.downcast_ref::<io::Error>()
        .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
}

pub fn run_unredact(args: UnredactArgs) -> Result<Outcome> {
    let Some(key) = load_key(args.key_file.as_deref())? else {
        bail!("unredact needs the organisation's key: --key-file FILE or TACT_REDACTION_KEY");
    };
    let mut outcome = Outcome::default();
    let mut out = io::BufWriter::new(io::stdout().lock());
    args.input.for_each(|item| match item {
        Ok(message) => {
            let restored = match &message.object {
                // Tokens live inside JSON strings; they contain no characters JSON escapes, so the
                // line can be restored as text and re-parsed to check it is still valid JSON.
                Some(object) => unredact(&Value::Object(object.clone()).to_string(), &key)
                    .and_then(|line| {
                        serde_json::from_str::<Value>(&line)
                            .map(|v| v.to_string())
                            .map_err(|_| tact_core::Error::Decrypt { offset: 0 })
                    }),
                None => unredact(&message.text, &key),
            };
            match restored {
                Ok(line) => {
                    let _ = writeln!(out, "{line}");
                }
                Err(e) => outcome.reject(&Rejected {
                    origin: message.origin,
                    reason: e.to_string(),
                }),
            }
        }
        Err(rejected) => outcome.reject(&rejected),
    })?;
    out.flush().ok();
    Ok(outcome)
}
