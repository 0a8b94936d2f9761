//! Where a finding is, in the caller's terms.
//!
//! Every finding carries both byte offsets (for slicing in Rust, Go, C) and character offsets
//! (Unicode scalar values, for Python, JavaScript-free tools and the labelled data sets), always on
//! character boundaries of the original text.

use serde::{Deserialize, Serialize};

/// A range of the original text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Span {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset just past the last byte.
    pub end: usize,
    /// Character offset of the first character.
    pub char_start: usize,
    /// Character offset just past the last character.
    pub char_end: usize,
}

impl Span {
    /// A span with byte offsets only; [`fill_char_offsets`] completes it.
    pub fn bytes(start: usize, end: usize) -> Span {
        Span {
            start,
            end,
            char_start: 0,
            char_end: 0,
        }
    }

    /// Whether two spans share at least one byte.
    pub fn overlaps(&self, other: &Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// Whether the span is empty.
    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }
}

/// Sets `char_start`/`char_end` of every span from its byte offsets, in one pass over `text`
/// whatever the number of spans (a 50 MB message with thousands of findings stays linear).
pub fn fill_char_offsets<'a>(text: &str, spans: impl IntoIterator<Item = &'a mut Span>) {
    let mut spans: Vec<&mut Span> = spans.into_iter().collect();
    if spans.is_empty() {
        return;
    }
    let mut offsets: Vec<usize> = spans.iter().flat_map(|s| [s.start, s.end]).collect();
    offsets.sort_unstable();
    offsets.dedup();
    let mut chars_before: Vec<usize> = Vec::with_capacity(offsets.len());
    let (mut byte, mut count) = (0usize, 0usize);
    for &target in &offsets {
        // Count characters from `byte` to `target`: a character starts at every byte that is
        // not a UTF-8 continuation byte.
        let target = target.min(text.len());
        count += text.as_bytes()[byte..target]
            .iter()
            .filter(|&&b| (b & 0xC0) != 0x80)
            .count();
        byte = target;
        chars_before.push(count);
    }
    let lookup = |offset: usize| chars_before[offsets.binary_search(&offset).unwrap_or(0)];
    for span in spans.iter_mut() {
        span.char_start = lookup(span.start);
        span.char_end = lookup(span.end);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_offsets_follow_bytes() {
        let text = "é 電話 ok";
        let mut a = Span::bytes(0, 2);
        let mut b = Span::bytes(3, 9);
        let mut c = Span::bytes(10, 12);
        fill_char_offsets(text, [&mut a, &mut b, &mut c]);
        assert_eq!((a.char_start, a.char_end), (0, 1));
        assert_eq!((b.char_start, b.char_end), (2, 4));
        assert_eq!((c.char_start, c.char_end), (5, 7));
    }
}
