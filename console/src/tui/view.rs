//! Drawing: the header, the tabs, the tree and its detail pane, the Queues
//! and Processes tables, the status line, and what may be in front.

use super::app::{App, Link, Overlay, Tab};
use super::feed::Feed;
use super::model::{Snapshot, Thread};
use super::tree::Row as TreeRow;
use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::style::{Modifier, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Row, Table, TableState, Wrap};

/// How tall the detail pane is at most, borders included.
const DETAIL_HEIGHT: u16 = 16;

const NONE: &str = "—";

/// Draws the whole screen.
pub(crate) fn draw(frame: &mut Frame, app: &App, feed: &Feed) {
    let [header, tabs, body, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
    ])
    .areas(frame.area());
    frame.render_widget(Paragraph::new(header_line(app, feed)), header);
    frame.render_widget(Paragraph::new(tab_line(app)), tabs);
    match app.tab {
        Tab::Threads => {
            // The tree keeps most of a small terminal: the detail pane
            // takes at most two fifths of it (its last lines cut first).
            let detail_height = DETAIL_HEIGHT.min((body.height * 2 / 5).max(7));
            let [tree, detail] =
                Layout::vertical([Constraint::Fill(1), Constraint::Length(detail_height)])
                    .areas(body);
            draw_tree(frame, app, tree);
            draw_detail(frame, app, detail);
        }
        Tab::Queues => draw_queues(frame, &app.snapshot, body),
        Tab::Processes => draw_processes(frame, &app.snapshot, body),
    }
    frame.render_widget(Paragraph::new(status_line(app, feed)), status);
    match &app.overlay {
        Overlay::None => {}
        Overlay::ConfirmStop { path, descendants } => {
            let question = match descendants {
                0 => format!("stop {path}? y/n"),
                1 => format!("stop {path} and its 1 thread? y/n"),
                n => format!("stop {path} and its {n} threads? y/n"),
            };
            let width = (question.chars().count() as u16 + 4).min(frame.area().width);
            let area = centered(frame.area(), width, 3);
            frame.render_widget(Clear, area);
            frame.render_widget(
                Paragraph::new(question.bold()).block(Block::bordered().title(" stop ")),
                area,
            );
        }
        Overlay::Dump { text, scroll } => {
            let area = frame.area();
            let area = centered(
                area,
                area.width.saturating_sub(8),
                area.height.saturating_sub(4),
            );
            let lines = text.lines().count();
            let scroll = (*scroll).min(lines.saturating_sub(1));
            frame.render_widget(Clear, area);
            frame.render_widget(
                Paragraph::new(text.as_str())
                    .scroll((u16::try_from(scroll).unwrap_or(u16::MAX), 0))
                    .block(Block::bordered().title(format!(
                        " dump, line {} of {lines} (j/k, PgUp/PgDn, q closes) ",
                        scroll + 1
                    ))),
                area,
            );
        }
    }
}

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [area] = Layout::horizontal([Constraint::Length(width)])
        .flex(Flex::Center)
        .areas(area);
    let [area] = Layout::vertical([Constraint::Length(height)])
        .flex(Flex::Center)
        .areas(area);
    area
}

fn header_line(app: &App, feed: &Feed) -> Line<'static> {
    let snapshot = &app.snapshot;
    let pid = app
        .pid
        .map_or_else(|| "?".to_owned(), |pid| pid.to_string());
    let deadlocks = format!("deadlocks: {}", snapshot.deadlocks);
    let health = match &snapshot.health {
        None => "health: not reported".to_owned(),
        Some(health) if health.healthy && health.reasons.is_empty() => "healthy".to_owned(),
        Some(health) => match health.reasons.len() {
            1 => "unhealthy: 1 reason".to_owned(),
            n => format!("unhealthy: {n} reasons"),
        },
    };
    let link = match (&app.link, feed) {
        (Link::Replay, Feed::Replay(player)) => {
            let mut said = format!(
                "replay, {:.1} s of {:.1} s",
                player.at_ms() / 1000.0,
                player.total_ms() as f64 / 1000.0
            );
            if player.speed() != 1.0 {
                said.push_str(&format!(", x{}", player.speed()));
            }
            if player.paused {
                said.push_str(", paused");
            } else if player.ended() {
                said.push_str(", ended");
            }
            said
        }
        (Link::Live { last_snapshot }, _) => match last_snapshot {
            Some(at) => format!("last snapshot {} ms ago", at.elapsed().as_millis()),
            None => "waiting for the first snapshot".to_owned(),
        },
        (Link::Disconnected(why), _) => format!("disconnected: {why}"),
        (Link::Replay, Feed::Live(_)) => "replay".to_owned(),
    };
    let alarm = |bad: bool, text: String| {
        if bad {
            Span::styled(text, Style::new().red().bold())
        } else {
            Span::raw(text)
        }
    };
    let unhealthy = snapshot.health.as_ref().is_some_and(|h| !h.healthy);
    let disconnected = matches!(app.link, Link::Disconnected(_));
    let sep = || Span::raw(" · ");
    Line::from(vec![
        Span::raw(format!("{} (pid {pid})", app.program)).bold(),
        sep(),
        Span::raw(format!("{} threads", snapshot.threads.len())),
        sep(),
        alarm(snapshot.deadlocks > 0, deadlocks),
        sep(),
        alarm(unhealthy, health),
        sep(),
        alarm(disconnected, link),
    ])
}

fn tab_line(app: &App) -> Line<'static> {
    let count = |list: Option<usize>| list.map_or_else(String::new, |n| format!(" ({n})"));
    let mut spans = Vec::new();
    for tab in Tab::ALL {
        let label = match tab {
            Tab::Threads => format!(" Threads ({}) ", app.snapshot.threads.len()),
            Tab::Queues => format!(
                " Queues{} ",
                count(app.snapshot.queues.as_ref().map(Vec::len))
            ),
            Tab::Processes => format!(
                " Processes{} ",
                count(app.snapshot.processes.as_ref().map(Vec::len))
            ),
        };
        spans.push(if tab == app.tab {
            Span::styled(label, Style::new().reversed())
        } else {
            Span::raw(label)
        });
        spans.push(Span::raw(" "));
    }
    spans.push(Span::raw(format!("  sort: {}", app.tree.sort.label())).dim());
    Line::from(spans)
}

fn status_line(app: &App, feed: &Feed) -> Line<'static> {
    let keys = if feed.is_replay() {
        "q quit · ↑↓ move · Enter ←→ fold · s sort · Tab panes · Space pause · +/- speed"
    } else {
        "q quit · ↑↓ move · Enter Space ←→ fold · s sort · Tab panes · x stop · d dump"
    };
    match &app.status {
        Some(status) => Line::from(vec![
            Span::raw(status.clone()).bold(),
            Span::raw(format!("   {keys}")).dim(),
        ]),
        None => Line::from(keys).dim(),
    }
}

/// A duration in ms, short: `850 ms`, `12.3 s`, `4m05s`, `2h03m`.
pub(crate) fn duration(ms: u64) -> String {
    match ms {
        0..1_000 => format!("{ms} ms"),
        1_000..60_000 => format!("{:.1} s", ms as f64 / 1000.0),
        60_000..3_600_000 => format!("{}m{:02}s", ms / 60_000, ms / 1000 % 60),
        _ => format!("{}h{:02}m", ms / 3_600_000, ms / 60_000 % 60),
    }
}

/// A row's style: in a deadlock red and bold, stuck yellow.
fn alarm_style(snapshot: &Snapshot, thread: &Thread) -> Style {
    if thread.in_deadlock {
        Style::new().red().bold()
    } else if snapshot.is_stuck(thread) {
        Style::new().yellow()
    } else {
        Style::new()
    }
}

fn name_cell(thread: &Thread, row: &TreeRow) -> String {
    let marker = match (row.descendants, row.folded) {
        (0, _) => "  ",
        (_, true) => "▸ ",
        (_, false) => "▾ ",
    };
    let hidden = if row.folded {
        format!(" ({} hidden)", row.descendants)
    } else {
        String::new()
    };
    format!("{}{marker}{}{hidden}", "  ".repeat(row.depth), thread.name)
}

fn draw_tree(frame: &mut Frame, app: &App, area: Rect) {
    let snapshot = &app.snapshot;
    let names: Vec<String> = app
        .tree
        .rows()
        .iter()
        .map(|row| name_cell(&snapshot.threads[row.thread], row))
        .collect();
    let name_width = names
        .iter()
        .map(|name| name.chars().count())
        .max()
        .unwrap_or(0)
        .clamp(8, 48) as u16
        + 2;
    let rows = app.tree.rows().iter().zip(names).map(|(row, name)| {
        let thread = &snapshot.threads[row.thread];
        Row::new([
            name,
            thread.state.clone(),
            thread
                .cpu_percent
                .map_or_else(String::new, |cpu| format!("{cpu:.1}")),
            thread.blocked_ms.map_or_else(String::new, duration),
            thread.age_ms.map_or_else(String::new, duration),
            thread.restarts.to_string(),
        ])
        .style(alarm_style(snapshot, thread))
    });
    let widths = [
        Constraint::Length(name_width),
        Constraint::Fill(1),
        Constraint::Length(6),
        Constraint::Length(9),
        Constraint::Length(9),
        Constraint::Length(8),
    ];
    let table = Table::new(rows, widths)
        .header(Row::new(["thread", "state", "CPU %", "blocked", "age", "restarts"]).bold())
        .row_highlight_style(Style::new().add_modifier(Modifier::REVERSED))
        .block(Block::bordered().title(" threads "));
    let mut state = TableState::default().with_selected(Some(app.tree.cursor()));
    if app.tree.rows().is_empty() {
        state.select(None);
    }
    frame.render_stateful_widget(table, area, &mut state);
}

fn draw_detail(frame: &mut Frame, app: &App, area: Rect) {
    let snapshot = &app.snapshot;
    let selected = app
        .tree
        .selected_path()
        .and_then(|path| snapshot.thread(path));
    let Some(thread) = selected else {
        let waiting = Paragraph::new("no thread selected").block(Block::bordered());
        frame.render_widget(waiting, area);
        return;
    };
    let or_none = |value: &Option<String>| value.clone().unwrap_or_else(|| NONE.to_owned());
    let field = |key: &str, value: String| {
        Line::from(vec![Span::raw(format!("{key}: ")).bold(), Span::raw(value)])
    };
    let mut lines = vec![
        field("state", thread.state.clone()),
        field("blocked on", or_none(&thread.blocked_on)),
        field(
            "blocked for",
            thread.blocked_ms.map_or_else(|| NONE.to_owned(), duration),
        ),
        field("holder", or_none(&thread.holder)),
        field("stop reason", or_none(&thread.stop_reason)),
        field("note", or_none(&thread.note)),
        field("restarts", thread.restarts.to_string()),
    ];
    if thread.in_deadlock {
        lines.push(Line::from("in a deadlock (a cycle of waits)").red().bold());
    }
    for reason in snapshot.reasons_naming(&thread.path) {
        lines.push(Line::from(format!("health: {reason}")).yellow());
    }
    match &thread.logs {
        None => lines.push(Line::from("no log lines in this snapshot").dim()),
        Some(logs) if logs.is_empty() => lines.push(Line::from("log: no lines").dim()),
        Some(logs) => {
            lines.push(Line::from("log:").bold());
            // The last lines that fit.
            let room = usize::from(area.height.saturating_sub(2)).saturating_sub(lines.len());
            let skip = logs.len().saturating_sub(room);
            lines.extend(
                logs[skip..]
                    .iter()
                    .map(|log| Line::from(format!("  {log}"))),
            );
        }
    }
    let block = Block::bordered().title(format!(" thread {} ", thread.path));
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block),
        area,
    );
}

fn not_reported(frame: &mut Frame, area: Rect, title: &str, what: &str) {
    let said =
        format!("this program's snapshots carry no {what} (its runtime does not report them)");
    frame.render_widget(
        Paragraph::new(said).block(Block::bordered().title(title.to_owned())),
        area,
    );
}

fn number(value: Option<u64>) -> String {
    value.map_or_else(String::new, |n| n.to_string())
}

fn draw_queues(frame: &mut Frame, snapshot: &Snapshot, area: Rect) {
    let Some(queues) = &snapshot.queues else {
        return not_reported(frame, area, " queues ", "queues");
    };
    let rows = queues.iter().map(|queue| {
        let style = if queue.adders_blocked.unwrap_or(0) > 0 {
            Style::new().yellow()
        } else {
            Style::new()
        };
        Row::new([
            queue.name.clone(),
            number(queue.len),
            queue
                .capacity
                .map_or_else(|| "unbounded".to_owned(), |n| n.to_string()),
            if queue.closed { "closed" } else { "open" }.to_owned(),
            number(queue.adders_blocked),
            number(queue.poppers_blocked),
        ])
        .style(style)
    });
    let widths = [
        Constraint::Fill(1),
        Constraint::Length(8),
        Constraint::Length(10),
        Constraint::Length(7),
        Constraint::Length(15),
        Constraint::Length(16),
    ];
    let header = [
        "queue",
        "len",
        "capacity",
        "",
        "adders blocked",
        "poppers blocked",
    ];
    let title = if queues.is_empty() {
        " queues: none "
    } else {
        " queues "
    };
    frame.render_widget(
        Table::new(rows, widths)
            .header(Row::new(header).bold())
            .block(Block::bordered().title(title)),
        area,
    );
}

fn draw_processes(frame: &mut Frame, snapshot: &Snapshot, area: Rect) {
    let Some(processes) = &snapshot.processes else {
        return not_reported(frame, area, " processes ", "processes");
    };
    let rows = processes.iter().map(|process| {
        Row::new([
            number(process.pid),
            process.command.clone(),
            process.path.clone().unwrap_or_else(|| NONE.to_owned()),
            process.state.clone(),
        ])
    });
    let widths = [
        Constraint::Length(8),
        Constraint::Fill(2),
        Constraint::Fill(1),
        Constraint::Length(16),
    ];
    let title = if processes.is_empty() {
        " processes: none "
    } else {
        " processes "
    };
    frame.render_widget(
        Table::new(rows, widths)
            .header(Row::new(["pid", "command", "thread", "state"]).bold())
            .block(Block::bordered().title(title)),
        area,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Entry;
    use crate::tui::feed::Player;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use serde_json::json;

    fn screen(app: &App) -> String {
        let feed = Feed::Replay(Player::new(vec![Entry {
            t_ms: 60_000,
            line: json!({}),
        }]));
        let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("a test terminal");
        terminal
            .draw(|frame| draw(frame, app, &feed))
            .expect("drawn");
        let buffer = terminal.backend().buffer();
        (0..buffer.area.height)
            .map(|y| {
                (0..buffer.area.width)
                    .map(|x| buffer[(x, y)].symbol())
                    .collect::<String>()
                    + "\n"
            })
            .collect()
    }

    fn app() -> App {
        let mut app = App::new("tour", Some(42), Link::Replay);
        app.receive(&json!({"type": "snapshot", "deadlocks": [], "threads": [
            {"path": "main", "name": "main", "state": "running", "age_ms": 3200, "restarts": 0},
            {"path": "main/holder", "name": "holder", "state": "blocked on Signal \"please_stop of main/holder\""},
            {"path": "main/waiter", "name": "waiter",
             "state": "blocked on Lock \"work\", held by main/holder",
             "blocked_on": "Lock \"work\"", "holder": "main/holder", "blocked_ms": 12_345,
             "cpu_percent": 1.5},
            {"path": "main/group", "name": "group", "state": "running"},
            {"path": "main/group/leaf", "name": "leaf", "state": "running"}
        ], "health": {"healthy": false, "reasons": ["main/waiter is stuck"]},
           "queues": [{"name": "jobs", "len": 3, "capacity": null, "closed": false,
                       "adders_blocked": 0, "poppers_blocked": 2}]}));
        app
    }

    #[test]
    fn the_tree_the_header_and_the_detail_of_the_selection_are_drawn() {
        let mut app = app();
        app.tree.move_by(2);
        let screen = screen(&app);
        for expected in [
            "tour (pid 42) · 5 threads · deadlocks: 0 · unhealthy: 1 reason · replay, 0.0 s of 60.0 s",
            "▾ main",
            "    holder",
            "    waiter   blocked on Lock \"work\", held by main/holder",
            "1.5",
            "12.3 s",
            "3.2 s",
            "thread main/waiter",
            "holder: main/holder",
            "blocked for: 12.3 s",
            "health: main/waiter is stuck",
            "no log lines in this snapshot",
            "Queues (1)",
        ] {
            assert!(screen.contains(expected), "`{expected}` in\n{screen}");
        }
    }

    #[test]
    fn a_folded_row_says_how_many_it_hides() {
        let mut app = app();
        app.tree.move_by(3);
        app.tree.fold(Some(true));
        app.tree.update(&app.snapshot);
        let screen = screen(&app);
        assert!(screen.contains("▸ group (1 hidden)"), "{screen}");
        assert!(!screen.contains("leaf"), "{screen}");
    }

    #[test]
    fn the_queues_and_a_missing_processes_field_are_drawn() {
        let mut app = app();
        app.tab = Tab::Queues;
        let queues = screen(&app);
        assert!(queues.contains("jobs"), "{queues}");
        assert!(queues.contains("unbounded"), "{queues}");
        app.tab = Tab::Processes;
        let processes = screen(&app);
        assert!(
            processes.contains("this program's snapshots carry no processes"),
            "{processes}"
        );
    }

    #[test]
    fn durations_are_short() {
        assert_eq!(duration(850), "850 ms");
        assert_eq!(duration(12_345), "12.3 s");
        assert_eq!(duration(245_000), "4m05s");
        assert_eq!(duration(7_380_000), "2h03m");
    }
}
