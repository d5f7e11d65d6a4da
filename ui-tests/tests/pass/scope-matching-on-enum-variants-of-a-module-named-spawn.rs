//! A `match` whose arm patterns are paths through a module of the user's
//! named `spawn` (`spawn::Mode::Fast => ...`): patterns, not spawns.
#![deny(warnings)]

use more_threads::prelude::*;

mod spawn {
    #[derive(Clone, Copy)]
    pub enum Mode {
        Fast,
        Slow,
    }
}

fn plain(mode: spawn::Mode) -> u32 {
    match mode {
        spawn::Mode::Fast => 1,
        spawn::Mode::Slow => 10,
    }
}

fn scoped(mode: spawn::Mode) -> u32 {
    scope! {
        let copied = spawn "mode" => move |_please_stop| matches!(mode, spawn::Mode::Fast);
        assert_eq!(copied.join().unwrap(), matches!(mode, spawn::Mode::Fast));
        match mode {
            spawn::Mode::Fast => 1,
            spawn::Mode::Slow => 10,
        }
    }
}

fn main() {
    for mode in [spawn::Mode::Fast, spawn::Mode::Slow] {
        assert_eq!(plain(mode), scoped(mode));
    }
}
