//! Record files: every line a console sent, with when, to be replayed.
//!
//! One JSON object a line (NDJSON): `{"t_ms":<ms since attaching>,
//! "line":<the line received, as a JSON object>}`, in the order received,
//! the `hello` first.

use serde_json::Value;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Writes the lines received to a record file, as they come.
#[derive(Debug)]
pub(crate) struct Recorder {
    file: BufWriter<File>,
    path: PathBuf,
    since: Instant,
}

impl Recorder {
    /// Creates (or truncates) the file at `path`; times count from now.
    pub(crate) fn create(path: &Path) -> Result<Recorder, String> {
        let file =
            File::create(path).map_err(|e| format!("cannot record to {}: {e}", path.display()))?;
        Ok(Recorder {
            file: BufWriter::new(file),
            path: path.to_owned(),
            since: Instant::now(),
        })
    }

    /// Appends one received line (JSON, checked by the caller), as it was
    /// received, flushed at once (a client killed later leaves a file that
    /// replays up to there).
    pub(crate) fn record(&mut self, line: &str) -> Result<(), String> {
        let t_ms = u64::try_from(self.since.elapsed().as_millis()).unwrap_or(u64::MAX);
        let line = line.trim_end_matches(['\n', '\r']);
        writeln!(self.file, r#"{{"t_ms":{t_ms},"line":{line}}}"#)
            .and_then(|()| self.file.flush())
            .map_err(|e| format!("recording to {} failed: {e}", self.path.display()))
    }
}

/// One recorded line.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Entry {
    pub(crate) t_ms: u64,
    pub(crate) line: Value,
}

/// Reads a whole record file. An error names the file and the line.
pub(crate) fn read(path: &Path) -> Result<Vec<Entry>, String> {
    let file =
        File::open(path).map_err(|e| format!("cannot read the record {}: {e}", path.display()))?;
    parse(BufReader::new(file), path)
}

fn parse(reader: impl BufRead, path: &Path) -> Result<Vec<Entry>, String> {
    let bad = |number: usize, why: &dyn std::fmt::Display| {
        format!(
            "bad record file {}, line {number}: {why} (each line must be {{\"t_ms\":N,\"line\":{{...}}}})",
            path.display()
        )
    };
    let mut entries: Vec<Entry> = Vec::new();
    for (at, line) in reader.lines().enumerate() {
        let number = at + 1;
        let line = line.map_err(|e| bad(number, &e))?;
        if line.trim().is_empty() {
            continue;
        }
        let value: Value = serde_json::from_str(&line).map_err(|e| bad(number, &e))?;
        let t_ms = value["t_ms"]
            .as_u64()
            .ok_or_else(|| bad(number, &"no t_ms (a whole number of ms)"))?;
        let recorded = &value["line"];
        if !recorded.is_object() {
            return Err(bad(number, &"no line (a JSON object)"));
        }
        if entries.last().is_some_and(|last| last.t_ms > t_ms) {
            return Err(bad(number, &"its t_ms is earlier than the line before's"));
        }
        entries.push(Entry {
            t_ms,
            line: recorded.clone(),
        });
    }
    if entries.is_empty() {
        return Err(format!(
            "bad record file {}: it records no line",
            path.display()
        ));
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> Result<Vec<Entry>, String> {
        parse(text.as_bytes(), Path::new("r.ndjson"))
    }

    #[test]
    fn what_is_recorded_reads_back() {
        let path = std::env::temp_dir().join(format!(
            "more-threads-console-record-{}.ndjson",
            std::process::id()
        ));
        let mut recorder = Recorder::create(&path).expect("a temporary file");
        recorder
            .record("{\"type\":\"hello\",\"pid\":1}\n")
            .expect("recorded");
        recorder
            .record(r#"{"type":"snapshot","threads":[]}"#)
            .expect("recorded");
        let text = std::fs::read_to_string(&path).expect("it was written");
        assert!(
            text.starts_with(r#"{"t_ms":"#)
                && text.contains(r#","line":{"type":"hello","pid":1}}"#),
            "each line as received, after its time: {text}"
        );
        let entries = read(&path).expect("it reads back");
        let _ = std::fs::remove_file(&path);
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].line["type"], "hello");
        assert_eq!(entries[1].line["type"], "snapshot");
        assert!(entries[0].t_ms <= entries[1].t_ms);
    }

    #[test]
    fn a_bad_line_is_named_by_its_number() {
        let good = r#"{"t_ms":0,"line":{"type":"hello"}}"#;
        for (text, says) in [
            (format!("{good}\nnot json"), "line 2: expected"),
            (format!("{good}\n\n{{\"line\":{{}}}}"), "line 3: no t_ms"),
            (r#"{"t_ms":1,"line":3}"#.to_owned(), "line 1: no line"),
            (
                format!("{{\"t_ms\":9,\"line\":{{}}}}\n{good}"),
                "line 2: its t_ms is earlier",
            ),
            (String::new(), "records no line"),
        ] {
            let error = parsed(&text).expect_err(&text);
            assert!(
                error.contains(says) && error.contains("r.ndjson"),
                "{error} should say {says}"
            );
        }
    }

    #[test]
    fn a_missing_file_is_named() {
        let error = read(Path::new("/nonexistent/r.ndjson")).expect_err("no file");
        assert!(error.contains("/nonexistent/r.ndjson"), "{error}");
    }
}
