//! Keys, and what they ask for: the one place the key map is written (the
//! binary's doc lists the same keys).

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// What a key asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Action {
    Quit,
    /// Move the selection (or scroll a popup) by this many rows.
    Move(isize),
    Top,
    Bottom,
    /// Fold the selected subtree if unfolded, else unfold it.
    Toggle,
    Fold,
    Unfold,
    CycleSort,
    NextTab,
    PreviousTab,
    /// Ask to stop the selected subtree (a confirmation follows).
    AskStop,
    Yes,
    No,
    Dump,
    Close,
    /// A replay: pause or go on.
    Pause,
    Faster,
    Slower,
}

/// What is in front of the tree, which the keys go to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Focus {
    Tree,
    /// A y/n question.
    Confirm,
    /// A scrollable text (the dump).
    Popup,
}

/// Rows a page key moves.
const PAGE: isize = 10;

/// What `key` asks for, with `focus` in front; `replay` turns Space into
/// pause (Enter still folds).
pub(crate) fn action(key: KeyEvent, focus: Focus, replay: bool) -> Option<Action> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    let code = key.code;
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        return matches!(code, KeyCode::Char('c')).then_some(Action::Quit);
    }
    let moves = match code {
        KeyCode::Up | KeyCode::Char('k') => Some(Action::Move(-1)),
        KeyCode::Down | KeyCode::Char('j') => Some(Action::Move(1)),
        KeyCode::PageUp => Some(Action::Move(-PAGE)),
        KeyCode::PageDown => Some(Action::Move(PAGE)),
        KeyCode::Home | KeyCode::Char('g') => Some(Action::Top),
        KeyCode::End | KeyCode::Char('G') => Some(Action::Bottom),
        _ => None,
    };
    match focus {
        Focus::Confirm => match code {
            KeyCode::Char('y' | 'Y') => Some(Action::Yes),
            KeyCode::Char('n' | 'N' | 'q') | KeyCode::Esc => Some(Action::No),
            _ => None,
        },
        Focus::Popup => match code {
            KeyCode::Esc | KeyCode::Char('q' | 'd') | KeyCode::Enter => Some(Action::Close),
            _ => moves,
        },
        Focus::Tree => moves.or(match code {
            KeyCode::Char('q') => Some(Action::Quit),
            KeyCode::Char(' ') if replay => Some(Action::Pause),
            KeyCode::Char('p') if replay => Some(Action::Pause),
            KeyCode::Enter | KeyCode::Char(' ') => Some(Action::Toggle),
            KeyCode::Left | KeyCode::Char('h') => Some(Action::Fold),
            KeyCode::Right | KeyCode::Char('l') => Some(Action::Unfold),
            KeyCode::Char('s') => Some(Action::CycleSort),
            KeyCode::Tab => Some(Action::NextTab),
            KeyCode::BackTab => Some(Action::PreviousTab),
            KeyCode::Char('x') => Some(Action::AskStop),
            KeyCode::Char('d') => Some(Action::Dump),
            KeyCode::Char('+' | '=') => Some(Action::Faster),
            KeyCode::Char('-') => Some(Action::Slower),
            _ => None,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn ctrl_c_quits_whatever_is_in_front() {
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        for focus in [Focus::Tree, Focus::Confirm, Focus::Popup] {
            assert_eq!(action(ctrl_c, focus, false), Some(Action::Quit));
        }
    }

    #[test]
    fn space_folds_live_and_pauses_a_replay() {
        let space = key(KeyCode::Char(' '));
        assert_eq!(action(space, Focus::Tree, false), Some(Action::Toggle));
        assert_eq!(action(space, Focus::Tree, true), Some(Action::Pause));
        assert_eq!(
            action(key(KeyCode::Enter), Focus::Tree, true),
            Some(Action::Toggle)
        );
    }

    #[test]
    fn a_confirmation_takes_only_yes_or_no() {
        assert_eq!(
            action(key(KeyCode::Char('y')), Focus::Confirm, false),
            Some(Action::Yes)
        );
        assert_eq!(
            action(key(KeyCode::Esc), Focus::Confirm, false),
            Some(Action::No)
        );
        assert_eq!(action(key(KeyCode::Char('x')), Focus::Confirm, false), None);
        assert_eq!(action(key(KeyCode::Down), Focus::Confirm, false), None);
    }

    #[test]
    fn q_closes_a_popup_before_it_quits() {
        assert_eq!(
            action(key(KeyCode::Char('q')), Focus::Popup, false),
            Some(Action::Close)
        );
        assert_eq!(
            action(key(KeyCode::Char('q')), Focus::Tree, false),
            Some(Action::Quit)
        );
    }
}
