//! Reading messages: text arguments, files or stdin; each line a JSON object or plain text.

use indicatif::{ProgressBar, ProgressStyle};
use serde_json::{Map, Value};
use std::fs::File;
use std::io::{self, BufRead, BufReader, IsTerminal, Read};
use std::path::PathBuf;
use tact_core::Lang;

/// Lines longer than this are rejected rather than read whole into memory.
pub const MAX_LINE: usize = 64 << 20;

/// One message to process.
#[derive(Debug, Clone)]
pub struct Message {
    /// Where it came from, for error messages: `file.jsonl:12`, `stdin:3`, `argument 1`.
    pub origin: String,
    /// The `id` field of a JSON line, else the line number (or argument number).
    pub id: Value,
    /// The text to analyse.
    pub text: String,
    /// The `lang` field of a JSON line, when valid.
    pub lang: Option<Lang>,
    /// The whole JSON object, when the line was one.
    pub object: Option<Map<String, Value>>,
}

impl Message {
    /// A field of the JSON line, when the line was an object and the field is not null.
    pub fn field(&self, name: &str) -> Option<&Value> {
        self.object.as_ref()?.get(name).filter(|v| !v.is_null())
    }

    /// A string field of the JSON line.
    pub fn str_field(&self, name: &str) -> Option<&str> {
        self.field(name).and_then(Value::as_str)
    }
}

/// A line that could not be read as a message.
#[derive(Debug, Clone)]
pub struct Rejected {
    /// Where it came from.
    pub origin: String,
    /// Why it was rejected.
    pub reason: String,
}

/// Where messages come from.
#[derive(Debug, Clone, clap::Args)]
pub struct InputArgs {
    /// Messages to process (each argument is one message). Without them, `--file` or stdin is read.
    pub texts: Vec<String>,
    /// Read messages from FILE: one per line, a JSON object or plain text. Repeatable; `-` is stdin.
    #[arg(short = 'f', long = "file", value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Name of the field holding the text in JSON lines.
    #[arg(long, default_value = "text", value_name = "NAME")]
    pub text_field: String,
}

impl InputArgs {
    /// Calls `each` for every message or rejected line, in input order. Shows a progress bar on
    /// stderr for files when stderr is a terminal. Errors only when a file cannot be opened.
    pub fn for_each(&self, mut each: impl FnMut(Result<Message, Rejected>)) -> anyhow::Result<()> {
        if !self.texts.is_empty() {
            for (i, text) in self.texts.iter().enumerate() {
                each(Ok(Message {
                    origin: format!("argument {}", i + 1),
                    id: Value::from(i + 1),
                    text: text.clone(),
                    lang: None,
                    object: None,
                }));
            }
            return Ok(());
        }
        let files: Vec<PathBuf> = if self.files.is_empty() {
            vec![PathBuf::from("-")]
        } else {
            self.files.clone()
        };
        for path in files {
            let (name, reader, size): (String, Box<dyn Read>, Option<u64>) =
                if path.as_os_str() == "-" {
                    ("stdin".into(), Box::new(io::stdin().lock()), None)
                } else {
                    let file = File::open(&path)
                        .map_err(|e| anyhow::anyhow!("cannot open {}: {e}", path.display()))?;
                    let size = file.metadata().ok().map(|m| m.len());
                    (path.display().to_string(), Box::new(file), size)
                };
            let progress = progress_bar(size);
            read_lines(
                &name,
                BufReader::with_capacity(1 << 16, reader),
                &self.text_field,
                &progress,
                &mut each,
            );
            progress.finish_and_clear();
        }
        Ok(())
    }
}

fn progress_bar(size: Option<u64>) -> ProgressBar {
    if !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    match size {
        Some(size) => ProgressBar::new(size).with_style(
            ProgressStyle::with_template(
                "{bar:40} {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        ),
        None => ProgressBar::new_spinner(),
    }
}

fn read_lines(
    name: &str,
    mut reader: impl BufRead,
    text_field: &str,
    progress: &ProgressBar,
    each: &mut impl FnMut(Result<Message, Rejected>),
) {
    let mut buf = Vec::new();
    let mut number = 0usize;
    loop {
        buf.clear();
        number += 1;
        let origin = || format!("{name}:{number}");
        match (&mut reader)
            .take(MAX_LINE as u64 + 1)
            .read_until(b'\n', &mut buf)
        {
            Ok(0) => break,
            Ok(n) => progress.inc(n as u64),
            Err(e) => {
                each(Err(Rejected {
                    origin: origin(),
                    reason: format!("read error: {e}"),
                }));
                break;
            }
        }
        if buf.len() > MAX_LINE {
            each(Err(Rejected {
                origin: origin(),
                reason: format!("line longer than {} MiB", MAX_LINE >> 20),
            }));
            // Skip the rest of the over-long line.
            let mut sink = Vec::new();
            let _ = reader.read_until(b'\n', &mut sink);
            continue;
        }
        let line = match std::str::from_utf8(&buf) {
            Ok(line) => line.trim_end_matches(['\n', '\r']),
            Err(e) => {
                each(Err(Rejected {
                    origin: origin(),
                    reason: format!("not valid UTF-8 (byte {})", e.valid_up_to()),
                }));
                continue;
            }
        };
        if line.trim().is_empty() {
            continue;
        }
        each(parse_line(line, text_field, origin(), number));
    }
}

/// A JSON object line or a plain text line.
pub fn parse_line(
    line: &str,
    text_field: &str,
    origin: String,
    number: usize,
) -> Result<Message, Rejected> {
    if !line.trim_start().starts_with('{') {
        return Ok(Message {
            origin,
            id: Value::from(number),
            text: line.to_string(),
            lang: None,
            object: None,
        });
    }
    let object: Map<String, Value> = match serde_json::from_str(line) {
        Ok(Value::Object(object)) => object,
        Ok(_) => {
            return Err(Rejected {
                origin,
                reason: "expected a JSON object".into(),
            });
        }
        Err(e) => {
            return Err(Rejected {
                origin,
                reason: format!("malformed JSON: {e}"),
            });
        }
    };
    let Some(Value::String(text)) = object.get(text_field) else {
        return Err(Rejected {
            origin,
            reason: format!("no string field {text_field:?}"),
        });
    };
    let lang = object
        .get("lang")
        .and_then(Value::as_str)
        .and_then(Lang::parse);
    Ok(Message {
        origin,
        id: object.get("id").cloned().unwrap_or(Value::from(number)),
        text: text.clone(),
        lang,
        object: Some(object),
    })
}

/// Counts rejected lines and turns them into the exit code.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Lines that could not be processed.
    pub rejected: usize,
}

impl Outcome {
    /// Reports a rejected line on stderr.
    pub fn reject(&mut self, rejected: &Rejected) {
        self.rejected += 1;
        eprintln!("tact: {}: {}", rejected.origin, rejected.reason);
    }

    /// 0 when everything was processed, 1 when some lines were rejected.
    pub fn exit_code(&self) -> std::process::ExitCode {
        std::process::ExitCode::from(if self.rejected == 0 { 0 } else { 1 })
    }
}
