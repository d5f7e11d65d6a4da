//! Where the view's lines come from: a live console (a reader thread feeding
//! a channel) or a record played back at its recorded pace.

use crate::attach::Lines;
use crate::record::Entry;
use serde_json::Value;
use std::io::{self, Write};
use std::net::Shutdown;
use std::os::unix::net::UnixStream;
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::time::{Duration, Instant};

/// What the reader thread passes on.
enum Incoming {
    Line(Value),
    /// The console is gone, and why.
    Closed(String),
    RecordFailed(String),
}

/// What the feed has for the view since it was last asked.
#[derive(Debug, Default)]
pub(crate) struct News {
    pub(crate) lines: Vec<Value>,
    /// The console went away: why (given once).
    pub(crate) closed: Option<String>,
    /// Recording stopped: why (given once).
    pub(crate) record_failed: Option<String>,
}

/// A live console.
pub(crate) struct Live {
    incoming: Receiver<Incoming>,
    writer: UnixStream,
    closed: bool,
}

impl Live {
    /// Starts the thread that reads `lines`. (A plain thread: the client
    /// is no program of the tree, and the thread ends with the connection,
    /// which `Live`'s drop shuts.)
    pub(crate) fn start(mut lines: Lines, writer: UnixStream) -> io::Result<Live> {
        let (send, incoming) = mpsc::channel();
        std::thread::Builder::new()
            .name("console-reader".to_owned())
            .spawn(move || {
                loop {
                    let incoming = match lines.next() {
                        Ok(line) => Incoming::Line(line),
                        Err(error) if error.kind() == io::ErrorKind::UnexpectedEof => {
                            Incoming::Closed(
                                "the program closed its console (has it ended?)".into(),
                            )
                        }
                        Err(error) => Incoming::Closed(error.to_string()),
                    };
                    let last = matches!(incoming, Incoming::Closed(_));
                    if let Some(why) = lines.record_failure() {
                        let _ = send.send(Incoming::RecordFailed(why));
                    }
                    if send.send(incoming).is_err() || last {
                        return;
                    }
                }
            })?;
        Ok(Live {
            incoming,
            writer,
            closed: false,
        })
    }

    pub(crate) fn news(&mut self) -> News {
        let mut news = News::default();
        loop {
            match self.incoming.try_recv() {
                Ok(Incoming::Line(line)) => news.lines.push(line),
                Ok(Incoming::Closed(why)) => {
                    self.closed = true;
                    news.closed = Some(why);
                }
                Ok(Incoming::RecordFailed(why)) => news.record_failed = Some(why),
                Err(TryRecvError::Empty) => return news,
                Err(TryRecvError::Disconnected) => {
                    if !self.closed {
                        self.closed = true;
                        news.closed = Some("the reader of the console stopped".into());
                    }
                    return news;
                }
            }
        }
    }

    /// Sends one command line.
    pub(crate) fn send(&mut self, command: &Value) -> io::Result<()> {
        let mut line = command.to_string();
        line.push('\n');
        self.writer.write_all(line.as_bytes())
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        // Ends the reader thread's read.
        let _ = self.writer.shutdown(Shutdown::Both);
    }
}

/// The speeds a replay goes through with `+` and `-`.
const SPEEDS: [f64; 8] = [0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0];
const NORMAL_SPEED: usize = 2;

/// A record played back.
#[derive(Debug)]
pub(crate) struct Player {
    entries: Vec<Entry>,
    /// The first entry not yet given.
    next: usize,
    /// Where the replay is, in the record's ms.
    at_ms: f64,
    speed: usize,
    pub(crate) paused: bool,
    last: Instant,
}

impl Player {
    pub(crate) fn new(entries: Vec<Entry>) -> Player {
        Player {
            entries,
            next: 0,
            at_ms: 0.0,
            speed: NORMAL_SPEED,
            paused: false,
            last: Instant::now(),
        }
    }

    pub(crate) fn news(&mut self) -> News {
        let now = Instant::now();
        let elapsed = now.saturating_duration_since(self.last);
        self.last = now;
        News {
            lines: self.advance(elapsed),
            ..News::default()
        }
    }

    /// Moves the replay on by `elapsed` of real time (at its speed, unless
    /// paused) and gives the lines it passed.
    pub(crate) fn advance(&mut self, elapsed: Duration) -> Vec<Value> {
        if !self.paused {
            let total = self.total_ms() as f64;
            self.at_ms = (self.at_ms + elapsed.as_secs_f64() * 1000.0 * self.speed()).min(total);
        }
        let mut lines = Vec::new();
        while let Some(entry) = self.entries.get(self.next) {
            if entry.t_ms as f64 > self.at_ms {
                break;
            }
            lines.push(entry.line.clone());
            self.next += 1;
        }
        lines
    }

    pub(crate) fn speed(&self) -> f64 {
        SPEEDS[self.speed]
    }

    pub(crate) fn faster(&mut self) {
        self.speed = (self.speed + 1).min(SPEEDS.len() - 1);
    }

    pub(crate) fn slower(&mut self) {
        self.speed = self.speed.saturating_sub(1);
    }

    pub(crate) fn at_ms(&self) -> f64 {
        self.at_ms
    }

    pub(crate) fn total_ms(&self) -> u64 {
        self.entries.last().map_or(0, |entry| entry.t_ms)
    }

    pub(crate) fn ended(&self) -> bool {
        self.next >= self.entries.len()
    }
}

/// The view's source.
pub(crate) enum Feed {
    Live(Live),
    Replay(Player),
}

impl Feed {
    pub(crate) fn news(&mut self) -> News {
        match self {
            Feed::Live(live) => live.news(),
            Feed::Replay(player) => player.news(),
        }
    }

    pub(crate) fn is_replay(&self) -> bool {
        matches!(self, Feed::Replay(_))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn record() -> Vec<Entry> {
        [0, 250, 500, 1000]
            .map(|t_ms| Entry {
                t_ms,
                line: json!({ "t": t_ms }),
            })
            .to_vec()
    }

    fn times(lines: &[Value]) -> Vec<u64> {
        lines.iter().filter_map(|line| line["t"].as_u64()).collect()
    }

    #[test]
    fn a_replay_gives_each_line_when_its_time_comes() {
        let mut player = Player::new(record());
        assert_eq!(times(&player.advance(Duration::ZERO)), [0]);
        assert_eq!(times(&player.advance(Duration::from_millis(300))), [250]);
        assert_eq!(
            times(&player.advance(Duration::from_millis(100))),
            [0_u64; 0]
        );
        assert_eq!(
            times(&player.advance(Duration::from_millis(5000))),
            [500, 1000]
        );
        assert!(player.ended());
        assert_eq!(player.at_ms(), 1000.0, "it stops at the end");
    }

    #[test]
    fn paused_it_stands_still_and_faster_it_goes_faster() {
        let mut player = Player::new(record());
        player.paused = true;
        assert_eq!(times(&player.advance(Duration::from_secs(9))), [0]);
        player.paused = false;
        player.faster();
        assert_eq!(player.speed(), 2.0);
        assert_eq!(
            times(&player.advance(Duration::from_millis(250))),
            [250, 500]
        );
        for _ in 0..20 {
            player.slower();
        }
        assert_eq!(player.speed(), 0.25);
        assert_eq!(
            times(&player.advance(Duration::from_millis(1000))),
            [0_u64; 0]
        );
        assert_eq!(player.at_ms(), 750.0);
    }
}
