//! Writing results to stdout: JSON lines for programs, text for people, and a closed pipe
//! (`tact … | head`) treated as the reader being done rather than as an error.

use std::io::{self, BufWriter, StdoutLock, Write};

/// Buffered stdout that remembers the first write error.
pub struct Output {
    out: BufWriter<StdoutLock<'static>>,
    error: Option<io::Error>,
}

impl Output {
    /// Locks stdout for the whole run.
    pub fn new() -> Output {
        Output {
            out: BufWriter::new(io::stdout().lock()),
            error: None,
        }
    }

    /// Whether writing has failed (the rest of the input need not be processed).
    pub fn failed(&self) -> bool {
        self.error.is_some()
    }

    /// Writes one JSON value as a line.
    pub fn json(&mut self, value: &serde_json::Value) {
        self.write(|out| writeln!(out, "{value}"));
    }

    /// Writes with a closure, keeping the first error.
    pub fn write(&mut self, f: impl FnOnce(&mut BufWriter<StdoutLock<'static>>) -> io::Result<()>) {
        if self.error.is_none()
            && let Err(e) = f(&mut self.out)
        {
            self.error = Some(e);
        }
    }

    /// Flushes; a closed pipe is not an error.
    pub fn finish(mut self) -> anyhow::Result<()> {
        if self.error.is_none()
            && let Err(e) = self.out.flush()
        {
            self.error = Some(e);
        }
        match self.error {
            Some(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(e.into()),
            _ => Ok(()),
        }
    }
}
