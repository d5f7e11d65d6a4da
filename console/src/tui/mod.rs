//! The live view: a full-screen tree of the program's threads, from a live
//! console or a record.
//!
//! - `model`: a snapshot parsed, tolerant of missing fields;
//! - `tree`: the rows shown, with folds, sort and selection;
//! - `input`: the key map;
//! - `feed`: the lines, from the socket or a record;
//! - `app`: the state, and the loop;
//! - `view`: the drawing.
//!
//! The terminal is put back as it was on every way out: the loop's end, an
//! error, a panic (a hook restores it before the panic's message prints).

mod app;
mod feed;
mod input;
mod model;
mod tree;
mod view;

use crate::attach::{Attached, Failure};
use crate::record::Entry;
use app::{App, Link};
use crossterm::cursor::Show;
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use feed::{Feed, Live, Player};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use signal_hook::consts::{SIGHUP, SIGTERM};
use signal_hook::iterator::Signals;
use std::io::{self, IsTerminal, Stdout};

/// Shows `attached`'s program live until `q`.
pub(crate) fn live(attached: Attached) -> Result<(), Failure> {
    need_a_terminal()?;
    let app = App::new(
        &attached.program,
        Some(attached.pid),
        Link::Live {
            last_snapshot: None,
        },
    );
    let (lines, writer) = attached.split()?;
    let feed = Feed::Live(Live::start(lines, writer)?);
    show(app, feed)
}

/// Plays a record back.
pub(crate) fn replay(entries: Vec<Entry>) -> Result<(), Failure> {
    need_a_terminal()?;
    show(
        App::new("?", None, Link::Replay),
        Feed::Replay(Player::new(entries)),
    )
}

fn need_a_terminal() -> Result<(), Failure> {
    if io::stdout().is_terminal() && io::stdin().is_terminal() {
        Ok(())
    } else {
        Err(Failure::Usage(
            "the live view needs a terminal: run it in one, or use --json".to_owned(),
        ))
    }
}

fn show(mut app: App, mut feed: Feed) -> Result<(), Failure> {
    end_on_hangup_or_terminate().map_err(Failure::Terminal)?;
    let mut screen = Screen::enter().map_err(Failure::Terminal)?;
    let done = app::run(&mut screen.terminal, &mut app, &mut feed);
    drop(screen);
    done.map_err(Failure::Terminal)
}

/// On SIGTERM or SIGHUP, puts the terminal back and exits (128 + the
/// signal), from a thread of its own: the loop cannot be counted on to see
/// a flag, since crossterm's read of a terminal that hung up (its window
/// closed, its tmux killed) loops on end-of-file without returning, at
/// full CPU.
fn end_on_hangup_or_terminate() -> io::Result<()> {
    let mut signals = Signals::new([SIGTERM, SIGHUP])?;
    std::thread::Builder::new()
        .name("signals".to_owned())
        .spawn(move || {
            if let Some(signal) = signals.forever().next() {
                restore();
                std::process::exit(128 + signal);
            }
        })?;
    Ok(())
}

/// The terminal in raw mode on the alternate screen; dropped, as it was.
struct Screen {
    terminal: Terminal<CrosstermBackend<Stdout>>,
}

impl Screen {
    fn enter() -> io::Result<Screen> {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
        enable_raw_mode()?;
        let screen = Screen {
            terminal: Terminal::new(CrosstermBackend::new(io::stdout()))?,
        };
        execute!(io::stdout(), EnterAlternateScreen)?;
        Ok(screen)
    }
}

impl Drop for Screen {
    fn drop(&mut self) {
        restore();
    }
}

/// Leaves raw mode and the alternate screen, shows the cursor. Failures
/// are ignored: this runs on the way out, with nothing better to do.
fn restore() {
    let _ = disable_raw_mode();
    let _ = execute!(io::stdout(), LeaveAlternateScreen, Show);
}
