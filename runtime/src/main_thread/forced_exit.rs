//! What a forced exit (a second Ctrl-C) says before the process ends: the
//! holders of items not yet written each give their line.

/// What a forced exit says besides the log: each holder of items not yet
/// written (a `BatchQueue`) gives its line, if it has one to give.
pub(crate) type Holding = dyn Fn() -> Option<String> + Send + Sync;

static HOLDING: crate::sync::real::Mutex<Vec<crate::sync::Weak<Holding>>> =
    crate::sync::real::Mutex::new(Vec::new());

/// Adds `holding` to what a forced exit asks, for as long as it lives.
pub(crate) fn report_at_forced_exit(holding: &crate::sync::Arc<Holding>) {
    let mut all = HOLDING.lock();
    all.retain(|holding| holding.strong_count() > 0);
    all.push(crate::sync::Arc::downgrade(holding));
}

/// Says, on stderr, what every live holder still holds.
pub(super) fn forced_exit_reports() {
    let holders: Vec<_> = HOLDING
        .lock()
        .iter()
        .filter_map(crate::sync::Weak::upgrade)
        .collect();
    for holder in holders {
        if let Some(line) = holder() {
            eprintln!("more-threads: forced exit: {line}");
        }
    }
}
