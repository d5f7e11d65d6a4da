//! The view's state, what each line and key does to it, and the loop that
//! feeds it.

use super::feed::{Feed, News};
use super::input::{self, Action, Focus};
use super::model::Snapshot;
use super::tree::TreeView;
use super::view;
use crossterm::event::{self, Event};
use ratatui::Terminal;
use ratatui::backend::Backend;
use serde_json::{Value, json};
use std::io;
use std::time::{Duration, Instant};

/// How long the loop waits for a key before it looks at the feed again.
const TICK: Duration = Duration::from_millis(50);

/// The tabs under the header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tab {
    Threads,
    Queues,
    Processes,
}

impl Tab {
    pub(crate) const ALL: [Tab; 3] = [Tab::Threads, Tab::Queues, Tab::Processes];

    fn step(self, by: isize) -> Tab {
        let at = Tab::ALL.iter().position(|tab| *tab == self).unwrap_or(0);
        let len = Tab::ALL.len() as isize;
        Tab::ALL[(at as isize + by).rem_euclid(len) as usize]
    }
}

/// What is in front of the tabs.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Overlay {
    None,
    /// "stop PATH and its N threads? y/n"
    ConfirmStop {
        path: String,
        descendants: usize,
    },
    /// A dump's text, scrolled down this many lines.
    Dump {
        text: String,
        scroll: usize,
    },
}

/// The state of the connection, for the header.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Link {
    Live { last_snapshot: Option<Instant> },
    Disconnected(String),
    Replay,
}

/// Everything the view shows.
#[derive(Debug)]
pub(crate) struct App {
    pub(crate) program: String,
    pub(crate) pid: Option<u64>,
    pub(crate) snapshot: Snapshot,
    pub(crate) tree: TreeView,
    pub(crate) tab: Tab,
    pub(crate) overlay: Overlay,
    /// The last answer or complaint, for the status line.
    pub(crate) status: Option<String>,
    pub(crate) link: Link,
    pub(crate) quit: bool,
}

impl App {
    /// A view of the program `program`, pid `pid` (a replay learns them
    /// from the recorded hello).
    pub(crate) fn new(program: &str, pid: Option<u64>, link: Link) -> App {
        App {
            program: program.to_owned(),
            pid,
            snapshot: Snapshot::default(),
            tree: TreeView::default(),
            tab: Tab::Threads,
            overlay: Overlay::None,
            status: None,
            link,
            quit: false,
        }
    }

    fn replay(&self) -> bool {
        self.link == Link::Replay
    }

    /// Takes in what the feed brought.
    pub(crate) fn take(&mut self, news: News) {
        for line in &news.lines {
            self.receive(line);
        }
        if let Some(why) = news.record_failed {
            self.status = Some(why);
        }
        if let Some(why) = news.closed {
            self.link = Link::Disconnected(why);
        }
    }

    /// One line of the protocol.
    pub(crate) fn receive(&mut self, line: &Value) {
        let recorded = if self.replay() { "recorded: " } else { "" };
        match line["type"].as_str().unwrap_or("") {
            "hello" => {
                if let Some(program) = line["program"].as_str() {
                    self.program = program.to_owned();
                }
                self.pid = line["pid"].as_u64().or(self.pid);
            }
            "snapshot" => {
                self.snapshot = Snapshot::from_json(line);
                self.tree.update(&self.snapshot);
                if let Link::Live { last_snapshot } = &mut self.link {
                    *last_snapshot = Some(Instant::now());
                }
            }
            "stopped" => {
                let path = line["path"].as_str().unwrap_or("?");
                self.status = Some(format!("{recorded}stopped {path}"));
            }
            "error" => {
                let message = line["message"].as_str().unwrap_or("(no message)");
                self.status = Some(format!("{recorded}error: {message}"));
            }
            "dump" if !self.replay() => {
                self.overlay = Overlay::Dump {
                    text: line["text"].as_str().unwrap_or("").to_owned(),
                    scroll: 0,
                };
            }
            "dump" | "profile" | "timeline" => {
                self.status = Some(format!("{recorded}a {} answer", line["type"]));
            }
            _ => {} // A later protocol's line: not ours to show.
        }
    }

    pub(crate) fn focus(&self) -> Focus {
        match self.overlay {
            Overlay::None => Focus::Tree,
            Overlay::ConfirmStop { .. } => Focus::Confirm,
            Overlay::Dump { .. } => Focus::Popup,
        }
    }

    /// Does what `action` asks; commands for the program go to `feed`.
    pub(crate) fn act(&mut self, action: Action, feed: &mut Feed) {
        let rebuild = |app: &mut App| app.tree.update(&app.snapshot);
        match action {
            Action::Quit => self.quit = true,
            Action::Move(by) => match &mut self.overlay {
                Overlay::Dump { scroll, .. } => *scroll = scroll.saturating_add_signed(by),
                _ => self.tree.move_by(by),
            },
            Action::Top => match &mut self.overlay {
                Overlay::Dump { scroll, .. } => *scroll = 0,
                _ => self.tree.move_by(isize::MIN),
            },
            Action::Bottom => match &mut self.overlay {
                Overlay::Dump { text, scroll } => *scroll = text.lines().count(),
                _ => self.tree.move_by(isize::MAX),
            },
            Action::Toggle | Action::Fold | Action::Unfold => {
                self.tree.fold(match action {
                    Action::Fold => Some(true),
                    Action::Unfold => Some(false),
                    _ => None,
                });
                rebuild(self);
            }
            Action::CycleSort => {
                self.tree.cycle_sort();
                rebuild(self);
                self.status = Some(format!("sorted by {}", self.tree.sort.label()));
            }
            Action::NextTab => self.tab = self.tab.step(1),
            Action::PreviousTab => self.tab = self.tab.step(-1),
            Action::AskStop => self.ask_stop(),
            Action::Yes => {
                if let Overlay::ConfirmStop { path, .. } =
                    std::mem::replace(&mut self.overlay, Overlay::None)
                {
                    self.send(feed, &json!({"command": "stop", "path": path}), "stop");
                    self.status = self
                        .status
                        .take()
                        .or(Some(format!("asked {path} to stop…")));
                }
            }
            Action::No | Action::Close => {
                if matches!(self.overlay, Overlay::ConfirmStop { .. }) {
                    self.status = Some("not stopped".to_owned());
                }
                self.overlay = Overlay::None;
            }
            Action::Dump => self.send(feed, &json!({"command": "dump"}), "dump"),
            Action::Pause | Action::Faster | Action::Slower => {
                if let Feed::Replay(player) = feed {
                    match action {
                        Action::Pause => player.paused = !player.paused,
                        Action::Faster => player.faster(),
                        _ => player.slower(),
                    }
                }
            }
        }
    }

    fn ask_stop(&mut self) {
        if self.tab != Tab::Threads {
            return;
        }
        let Some(path) = self.tree.selected_path().map(str::to_owned) else {
            return;
        };
        if self.replay() {
            self.status = Some("replay: nothing to stop".to_owned());
            return;
        }
        if let Link::Disconnected(_) = self.link {
            self.status = Some("disconnected: nothing to stop".to_owned());
            return;
        }
        let descendants = self.tree.selected_row().map_or(0, |row| row.descendants);
        self.overlay = Overlay::ConfirmStop { path, descendants };
    }

    /// Sends `command` to a live program; `what` names it in a complaint.
    fn send(&mut self, feed: &mut Feed, command: &Value, what: &str) {
        self.status = match feed {
            Feed::Replay(_) => Some(format!("replay: nothing to {what}")),
            Feed::Live(_) if matches!(self.link, Link::Disconnected(_)) => {
                Some(format!("disconnected: nothing to {what}"))
            }
            Feed::Live(live) => match live.send(command) {
                Ok(()) => None,
                Err(error) => Some(format!("could not send {what}: {error}")),
            },
        };
    }
}

/// Runs the view until `q`: the feed's lines in, keys in, a frame drawn
/// at each turn.
pub(crate) fn run<B: Backend>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    feed: &mut Feed,
) -> io::Result<()> {
    while !app.quit {
        app.take(feed.news());
        terminal.draw(|frame| view::draw(frame, app, feed))?;
        if event::poll(TICK)? {
            // Every event waiting, before the next frame.
            loop {
                if let Event::Key(key) = event::read()? {
                    if let Some(action) = input::action(key, app.focus(), feed.is_replay()) {
                        app.act(action, feed);
                    }
                }
                if app.quit || !event::poll(Duration::ZERO)? {
                    break;
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Entry;
    use crate::tui::feed::Player;

    fn replay() -> (App, Feed) {
        let feed = Feed::Replay(Player::new(vec![Entry {
            t_ms: 0,
            line: json!({"type": "hello", "pid": 7, "program": "p"}),
        }]));
        (App::new("?", None, Link::Replay), feed)
    }

    fn snapshot() -> Value {
        json!({"type": "snapshot", "threads": [
            {"path": "main"}, {"path": "main/group"}, {"path": "main/group/leaf"}
        ], "deadlocks": []})
    }

    #[test]
    fn a_replay_has_nothing_to_stop() {
        let (mut app, mut feed) = replay();
        app.take(feed.news());
        assert_eq!((app.program.as_str(), app.pid), ("p", Some(7)));
        app.receive(&snapshot());
        app.act(Action::AskStop, &mut feed);
        assert_eq!(app.overlay, Overlay::None);
        assert_eq!(app.status.as_deref(), Some("replay: nothing to stop"));
    }

    #[test]
    fn stopping_asks_first_and_names_how_many_threads_go() {
        let (mut app, mut feed) = replay();
        app.link = Link::Live {
            last_snapshot: None,
        };
        app.receive(&snapshot());
        app.act(Action::Move(1), &mut feed);
        app.act(Action::AskStop, &mut feed);
        assert_eq!(
            app.overlay,
            Overlay::ConfirmStop {
                path: "main/group".into(),
                descendants: 1
            }
        );
        assert_eq!(app.focus(), Focus::Confirm);
        app.act(Action::No, &mut feed);
        assert_eq!(app.overlay, Overlay::None);
        assert_eq!(app.status.as_deref(), Some("not stopped"));
    }

    #[test]
    fn answers_show_in_the_status_line_and_disconnection_in_the_header() {
        let mut app = App::new(
            "p",
            Some(1),
            Link::Live {
                last_snapshot: None,
            },
        );
        app.receive(&snapshot());
        assert!(matches!(
            app.link,
            Link::Live {
                last_snapshot: Some(_)
            }
        ));
        app.receive(&json!({"type": "stopped", "path": "main/group"}));
        assert_eq!(app.status.as_deref(), Some("stopped main/group"));
        app.receive(&json!({"type": "error", "message": "no thread at main/x"}));
        assert_eq!(app.status.as_deref(), Some("error: no thread at main/x"));
        app.receive(&json!({"type": "dump", "text": "main (1s)"}));
        assert_eq!(app.focus(), Focus::Popup);
        app.take(News {
            closed: Some("gone".into()),
            ..News::default()
        });
        assert_eq!(app.link, Link::Disconnected("gone".into()));
        assert_eq!(app.tree.rows().len(), 3, "the last view stays");
    }
}
