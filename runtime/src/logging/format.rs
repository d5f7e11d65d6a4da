//! A record as a line, made on the caller's thread: the arguments of a
//! record borrow the caller's values, so they cannot cross to the writer.

use super::config::Format;
use super::context::KeyValues;
use crate::local;
use std::fmt::Write as _;
use std::time::{SystemTime, UNIX_EPOCH};

/// Appends `record`, logged by the calling thread, to `line`, with its
/// newline.
pub(super) fn line(format: Format, record: &log::Record<'_>, line: &mut String) {
    let pairs = key_values(record);
    local::with_identity(|thread, path| match format {
        Format::Text => text(record, thread, path, &pairs, line),
        Format::Json => json(record, thread, path, &pairs, line),
    });
}

/// A record written by the logger itself (a count of dropped records).
pub(super) fn notice(format: Format, level: log::Level, message: &str) -> String {
    let mut line = String::new();
    self::line(
        format,
        &log::Record::builder()
            .level(level)
            .target("more_threads::logging")
            .args(format_args!("{message}"))
            .build(),
        &mut line,
    );
    line
}

/// The record's own key-values, then the thread's context, each key once: a
/// record's own pair wins (the rule [`KeyValues`] keeps for any logger).
/// Allocates nothing when there are none.
fn key_values(record: &log::Record<'_>) -> Vec<(String, String)> {
    let context = local::context();
    let own = record.key_values();
    if context.is_none() && own.count() == 0 {
        return Vec::new();
    }
    // The line says the thread's name and path itself (in brackets, or as
    // JSON fields): only the record's pairs and the context are listed.
    collect_pairs(&KeyValues::new(
        own,
        None,
        context.as_deref().unwrap_or_default(),
    ))
}

/// Every pair of `source`, in its order, as text.
pub(super) fn collect_pairs(source: &dyn log::kv::Source) -> Vec<(String, String)> {
    struct Collect(Vec<(String, String)>);

    impl<'kvs> log::kv::VisitSource<'kvs> for Collect {
        fn visit_pair(
            &mut self,
            key: log::kv::Key<'kvs>,
            value: log::kv::Value<'kvs>,
        ) -> Result<(), log::kv::Error> {
            self.0.push((key.as_str().to_owned(), value.to_string()));
            Ok(())
        }
    }

    let mut collect = Collect(Vec::new());
    let _ = source.visit(&mut collect);
    collect.0
}

/// `2026-12-01T18:38:50.123Z INFO  [main/crawler] fetched 3 pages job=42`
fn text(
    record: &log::Record<'_>,
    thread: &str,
    path: &str,
    pairs: &[(String, String)],
    line: &mut String,
) {
    write_time(line);
    line.push(' ');
    line.push_str(padded(record.level()));
    line.push_str(" [");
    line.push_str(path);
    line.push_str("] ");
    let _ = line.write_fmt(*record.args());
    for (key, value) in pairs {
        // The runtime's own `thread` and `path`, when they name the thread
        // that logged the record, say what the brackets already say.
        let said = (key == "thread" && value == thread) || (key == "path" && value == path);
        if said {
            continue;
        }
        let _ = write!(line, " {key}=");
        if value.is_empty() || value.contains([' ', '"', '=', '\n', '\t']) {
            json_string(value, line);
        } else {
            line.push_str(value);
        }
    }
    line.push('\n');
}

/// `{"time":"…","level":"INFO","target":"…","thread":"crawler","path":"main/crawler","message":"…","kv":{"job":"42"}}`
fn json(
    record: &log::Record<'_>,
    thread: &str,
    path: &str,
    pairs: &[(String, String)],
    line: &mut String,
) {
    line.push_str("{\"time\":\"");
    write_time(line);
    let _ = write!(line, "\",\"level\":\"{}\",\"target\":", record.level());
    json_string(record.target(), line);
    line.push_str(",\"thread\":");
    json_string(thread, line);
    line.push_str(",\"path\":");
    json_string(path, line);
    line.push_str(",\"message\":");
    json_string(&record.args().to_string(), line);
    if !pairs.is_empty() {
        line.push_str(",\"kv\":{");
        for (index, (key, value)) in pairs.iter().enumerate() {
            if index > 0 {
                line.push(',');
            }
            json_string(key, line);
            line.push(':');
            json_string(value, line);
        }
        line.push('}');
    }
    line.push_str("}\n");
}

/// `text` as a JSON string, quotes included.
pub(crate) fn json_string(text: &str, out: &mut String) {
    out.push('"');
    for character in text.chars() {
        match character {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            control if u32::from(control) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(control));
            }
            other => out.push(other),
        }
    }
    out.push('"');
}

/// A level, padded to five characters, without the formatter's padding.
fn padded(level: log::Level) -> &'static str {
    match level {
        log::Level::Error => "ERROR",
        log::Level::Warn => "WARN ",
        log::Level::Info => "INFO ",
        log::Level::Debug => "DEBUG",
        log::Level::Trace => "TRACE",
    }
}

thread_local! {
    /// The second last written by this thread, and its text up to the
    /// seconds: most records of a thread fall in the second of the last.
    static SECOND: std::cell::RefCell<(u64, String)> =
        const { std::cell::RefCell::new((u64::MAX, String::new())) };
}

/// Now, in UTC, as RFC 3339 with milliseconds: `2026-12-01T18:38:50.123Z`.
fn write_time(out: &mut String) {
    let since_epoch = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let seconds = since_epoch.as_secs();
    let cached = SECOND.try_with(|second| {
        let mut second = second.borrow_mut();
        if second.0 != seconds {
            second.1.clear();
            write_seconds(seconds, &mut second.1);
            second.0 = seconds;
        }
        out.push_str(&second.1);
    });
    if cached.is_err() {
        write_seconds(seconds, out);
    }
    let millis = since_epoch.subsec_millis();
    out.push('.');
    for digit in [millis / 100, millis / 10 % 10, millis % 10] {
        out.push(char::from(b'0' + digit as u8));
    }
    out.push('Z');
}

/// `2026-12-01T18:38:50`, for `seconds` since the epoch.
fn write_seconds(seconds: u64, out: &mut String) {
    let (year, month, day) = civil_from_days(seconds / 86_400);
    let of_day = seconds % 86_400;
    let _ = write!(
        out,
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}",
        of_day / 3600,
        of_day / 60 % 60,
        of_day % 60,
    );
}

/// The date of the day `days` after 1970-01-01, in the proleptic Gregorian
/// calendar (Howard Hinnant's `civil_from_days`, for days since the epoch).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let day_of_era = z % 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::{civil_from_days, json_string};

    #[test]
    fn days_since_the_epoch_become_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(59), (1970, 3, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(20_788), (2026, 12, 1));
    }

    #[test]
    fn json_strings_escape_quotes_backslashes_and_controls() {
        let mut out = String::new();
        json_string("a \"b\" \\ \n\u{1}", &mut out);
        assert_eq!(out, r#""a \"b\" \\ \n\u0001""#);
    }
}
