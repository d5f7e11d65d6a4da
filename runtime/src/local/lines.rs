//! A thread's last log lines, for the console's detail pane: `WARN retrying
//! host 3`, the last [`KEPT`] of them, each cut at about [`LONGEST`] bytes.
//!
//! Kept only once a console is served ([`watched`](crate::observed::watched));
//! before, the logger pays one relaxed load a record and nothing else. The
//! ring's memory is flat: at most [`KEPT`] lines, each a buffer of about
//! [`LONGEST`] bytes, reused for the next line once the ring is full (a
//! line is written through a writer that stops at the bound, so no message,
//! however long, grows a buffer).

use std::collections::VecDeque;
use std::fmt::{self, Write as _};

/// How many lines a thread keeps.
pub(crate) const KEPT: usize = 3;

/// The longest line kept, in bytes (then cut, at a character's boundary,
/// and ended with `…`).
pub(crate) const LONGEST: usize = 200;

/// The ring of a thread's last lines, oldest first.
#[derive(Debug, Default)]
pub(crate) struct LastLines {
    lines: VecDeque<String>,
}

impl LastLines {
    /// A buffer for the next line: the oldest line's, once the ring is
    /// full, emptied; else a new one. Taken out so that the line is
    /// written with no lock held (a message's `Display` may log too).
    pub(crate) fn spare(&mut self) -> String {
        if self.lines.len() >= KEPT {
            let mut line = self.lines.pop_front().unwrap_or_default();
            line.clear();
            line
        } else {
            String::with_capacity(LONGEST + '…'.len_utf8())
        }
    }

    /// Keeps `line` as the newest, letting the oldest go past [`KEPT`].
    pub(crate) fn push(&mut self, line: String) {
        while self.lines.len() >= KEPT {
            self.lines.pop_front();
        }
        self.lines.push_back(line);
    }

    /// The lines kept, oldest first.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &str> {
        self.lines.iter().map(String::as_str)
    }
}

/// Writes `level message` into `line`, cut at [`LONGEST`] bytes.
pub(crate) fn write(line: &mut String, level: &dyn fmt::Display, message: &fmt::Arguments<'_>) {
    // An error only says the line was cut: what was written stays.
    let _ = write!(Bounded(line), "{level} {message}");
}

/// Takes what fits in [`LONGEST`] bytes, then `…`, then refuses the rest
/// (an error, which ends the formatting early).
#[derive(Debug)]
struct Bounded<'a>(&'a mut String);

impl fmt::Write for Bounded<'_> {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        let room = LONGEST.saturating_sub(self.0.len());
        if text.len() <= room {
            self.0.push_str(text);
            return Ok(());
        }
        let mut cut = room;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        self.0.push_str(&text[..cut]);
        self.0.push('…');
        Err(fmt::Error)
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;

    fn line(level: &str, message: fmt::Arguments<'_>) -> String {
        let mut line = String::new();
        write(&mut line, &level, &message);
        line
    }

    #[test]
    fn a_line_is_its_level_and_message_cut_at_a_character() {
        assert_eq!(
            line("WARN", format_args!("retrying host {}", 3)),
            "WARN retrying host 3"
        );
        let long = line("INFO", format_args!("{}", "é".repeat(500)));
        assert!(long.ends_with('…'), "{long}");
        assert!(long.len() <= LONGEST + '…'.len_utf8(), "{}", long.len());
        assert!(long.starts_with("INFO éé"));
    }

    #[test]
    fn the_ring_keeps_the_last_lines_in_buffers_it_reuses() {
        let mut ring = LastLines::default();
        for n in 0..10 {
            let mut line = ring.spare();
            write(&mut line, &"INFO", &format_args!("line {n}"));
            ring.push(line);
        }
        assert_eq!(
            ring.iter().collect::<Vec<_>>(),
            ["INFO line 7", "INFO line 8", "INFO line 9"]
        );
        let capacity = ring.lines[0].capacity();
        let reused = ring.spare();
        assert!(reused.is_empty());
        assert_eq!(reused.capacity(), capacity, "the oldest line's buffer");
    }
}
