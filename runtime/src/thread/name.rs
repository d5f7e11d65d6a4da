//! What a thread name may hold: one set of rules for every name the tree
//! keeps, whether a spawn, a scope or a [`RegisterThread`](super::RegisterThread)
//! asks for it (refused) or an OS thread the runtime meets already has it
//! (made harmless).
//!
//! A name is shown inside lines of text: `dump()`, every log record, every
//! error. It must not be able to rewrite them: a control character (a
//! newline forges a line), a Unicode format character (a right-to-left
//! override shows what follows it backwards, so `invoice\u{202E}gpj.exe`
//! reads `invoiceexe.jpg`; a zero-width space or a word joiner hides in
//! plain sight), or a line or paragraph separator (U+2028, U+2029, where
//! editors, terminals and JavaScript break lines).

use std::borrow::Cow;

/// The longest thread name, in bytes.
pub(super) const MAX_NAME_BYTES: usize = 255;

/// Why `name` is refused, or `None` if it is a good name.
pub(super) fn why_refused(name: &str) -> Option<Cow<'static, str>> {
    if name.is_empty() {
        return Some("a thread name cannot be empty: every thread needs a name".into());
    }
    if name.contains('/') {
        return Some("a thread name cannot contain '/': it separates the names in a path".into());
    }
    if name.contains('\0') {
        return Some("a thread name cannot contain a NUL byte".into());
    }
    if let Some((character, rewriter)) = name
        .chars()
        .find_map(|character| Rewriter::of(character).map(|rewriter| (character, rewriter)))
    {
        return Some(
            format!(
                "a thread name cannot contain U+{:04X}, {}: it would forge lines in the dump and the log",
                u32::from(character),
                rewriter.describe()
            )
            .into(),
        );
    }
    if name.len() > MAX_NAME_BYTES {
        return Some("a thread name is at most 255 bytes".into());
    }
    None
}

/// An OS thread's own name, fit for the tree: std lets a thread be named
/// with a `/` or any character, so each one the rules refuse becomes `_`.
pub(super) fn made_harmless(os_name: &str) -> String {
    os_name.replace(
        |character: char| character == '/' || Rewriter::of(character).is_some(),
        "_",
    )
}

/// The kinds of character that rewrite the text a name is shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rewriter {
    /// General category Cc.
    Control,
    /// General category Cf.
    Format,
    /// General category Zl: U+2028 alone.
    LineSeparator,
    /// General category Zp: U+2029 alone.
    ParagraphSeparator,
}

impl Rewriter {
    fn of(character: char) -> Option<Rewriter> {
        if character.is_control() {
            Some(Rewriter::Control)
        } else if character == '\u{2028}' {
            Some(Rewriter::LineSeparator)
        } else if character == '\u{2029}' {
            Some(Rewriter::ParagraphSeparator)
        } else if is_format(character) {
            Some(Rewriter::Format)
        } else {
            None
        }
    }

    /// What the refusal calls it, with examples a reader knows.
    fn describe(self) -> &'static str {
        match self {
            Rewriter::Control => "a control character (a newline, a tab...)",
            Rewriter::Format => {
                "a format character (a right-to-left override, a zero-width space...)"
            }
            Rewriter::LineSeparator => "a line separator",
            Rewriter::ParagraphSeparator => "a paragraph separator",
        }
    }
}

/// Whether `character` is in the general category Cf (format).
fn is_format(character: char) -> bool {
    // Every name is checked, and nearly every name is ASCII: none of it is Cf.
    if character.is_ascii() {
        return false;
    }
    FORMAT
        .binary_search_by(|&(first, last)| {
            if last < character {
                std::cmp::Ordering::Less
            } else if first > character {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// The code points of general category Cf, as sorted ranges, from the
/// Unicode Character Database 16.0.0 (`extracted/DerivedGeneralCategory.txt`;
/// the same ranges as the `FORMAT` table regex-syntax 0.8 generates from it
/// with ucd-generate). A later Unicode version may add to it: compare
/// with its `DerivedGeneralCategory.txt`, lines `; Cf #`.
const FORMAT: &[(char, char)] = &[
    ('\u{00AD}', '\u{00AD}'),   // soft hyphen
    ('\u{0600}', '\u{0605}'),   // Arabic number signs
    ('\u{061C}', '\u{061C}'),   // Arabic letter mark
    ('\u{06DD}', '\u{06DD}'),   // Arabic end of ayah
    ('\u{070F}', '\u{070F}'),   // Syriac abbreviation mark
    ('\u{0890}', '\u{0891}'),   // Arabic pound and piastre marks above
    ('\u{08E2}', '\u{08E2}'),   // Arabic disputed end of ayah
    ('\u{180E}', '\u{180E}'),   // Mongolian vowel separator
    ('\u{200B}', '\u{200F}'),   // zero-width space, joiners, LRM, RLM
    ('\u{202A}', '\u{202E}'),   // bidirectional embeddings and overrides
    ('\u{2060}', '\u{2064}'),   // word joiner, invisible operators
    ('\u{2066}', '\u{206F}'),   // bidirectional isolates, deprecated formats
    ('\u{FEFF}', '\u{FEFF}'),   // zero-width no-break space (byte order mark)
    ('\u{FFF9}', '\u{FFFB}'),   // interlinear annotation
    ('\u{110BD}', '\u{110BD}'), // Kaithi number sign
    ('\u{110CD}', '\u{110CD}'), // Kaithi number sign above
    ('\u{13430}', '\u{1343F}'), // Egyptian hieroglyph format controls
    ('\u{1BCA0}', '\u{1BCA3}'), // shorthand format controls
    ('\u{1D173}', '\u{1D17A}'), // musical symbol beams and phrases
    ('\u{E0001}', '\u{E0001}'), // language tag
    ('\u{E0020}', '\u{E007F}'), // tag characters
];

#[cfg(all(test, not(loom)))]
mod tests {
    use super::{FORMAT, Rewriter, is_format, made_harmless, why_refused};

    #[test]
    fn the_format_table_is_sorted_and_its_ranges_neither_overlap_nor_touch() {
        for pair in FORMAT.windows(2) {
            let ((first, last), (next, _)) = (pair[0], pair[1]);
            assert!(first <= last, "{first:?}..={last:?} is backwards");
            assert!(
                u32::from(last) + 1 < u32::from(next),
                "{last:?} and {next:?}: ranges must be sorted and apart, or binary search misses"
            );
        }
    }

    #[test]
    fn every_format_character_is_found_and_its_neighbours_are_not() {
        for &(first, last) in FORMAT {
            for character in first..=last {
                assert_eq!(
                    Rewriter::of(character),
                    Some(Rewriter::Format),
                    "{character:?}"
                );
            }
            for neighbour in [u32::from(first) - 1, u32::from(last) + 1] {
                let neighbour = char::from_u32(neighbour).unwrap();
                assert!(!is_format(neighbour), "{neighbour:?}");
            }
        }
    }

    #[test]
    fn the_refusal_names_the_code_point_and_what_it_is() {
        assert_eq!(
            why_refused("a\u{202E}b").as_deref(),
            Some(
                "a thread name cannot contain U+202E, a format character (a right-to-left \
                 override, a zero-width space...): it would forge lines in the dump and the log"
            )
        );
        assert_eq!(
            why_refused("a\nb").as_deref(),
            Some(
                "a thread name cannot contain U+000A, a control character (a newline, a \
                 tab...): it would forge lines in the dump and the log"
            )
        );
        assert_eq!(why_refused("café-日本"), None);
    }

    #[test]
    fn an_os_name_keeps_every_character_the_rules_allow() {
        assert_eq!(made_harmless("a/b\u{2029}c\td-日本"), "a_b_c_d-日本");
    }
}
