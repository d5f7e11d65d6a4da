//! With the `tracing` feature, every thread of the tree runs in a span
//! `thread` (fields `name`, `path`) whose parent is the span current where
//! it was spawned: tracing's context crosses into threads.

use more_threads::{Thread, scope};
use std::sync::{Arc, Mutex};
use tracing::span::{Attributes, Id};
use tracing::{Event, Subscriber};
use tracing_subscriber::layer::{Context, Layer};
use tracing_subscriber::prelude::*;
use tracing_subscriber::registry::LookupSpan;

/// An event's message, and the spans around it, innermost last, as
/// `name{field=value ...}`.
type Sighting = (String, Vec<String>);

/// Every event seen.
#[derive(Clone, Default)]
struct Seen(Arc<Mutex<Vec<Sighting>>>);

/// The fields of a span, as text, kept in the span's extensions.
struct Fields(String);

struct Visit<'a>(&'a mut String);

impl tracing::field::Visit for Visit<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        if !self.0.is_empty() {
            self.0.push(' ');
        }
        self.0.push_str(&format!("{}={value:?}", field.name()));
    }
}

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for Seen {
    fn on_new_span(&self, attributes: &Attributes<'_>, id: &Id, context: Context<'_, S>) {
        let mut fields = String::new();
        attributes.record(&mut Visit(&mut fields));
        if let Some(span) = context.span(id) {
            span.extensions_mut().insert(Fields(fields));
        }
    }

    fn on_event(&self, event: &Event<'_>, context: Context<'_, S>) {
        let mut message = String::new();
        event.record(&mut Visit(&mut message));
        let spans = context
            .event_scope(event)
            .map(|scope| {
                scope
                    .from_root()
                    .map(|span| {
                        let fields = span
                            .extensions()
                            .get::<Fields>()
                            .map(|fields| fields.0.clone())
                            .unwrap_or_default();
                        format!("{}{{{fields}}}", span.name())
                    })
                    .collect()
            })
            .unwrap_or_default();
        self.0.lock().unwrap().push((message, spans));
    }
}

#[test]
fn a_thread_runs_in_a_span_whose_parent_is_the_spawners_span() {
    let seen = Seen::default();
    let subscriber = tracing_subscriber::registry().with(seen.clone());
    tracing::subscriber::set_global_default(subscriber).unwrap();

    let request = tracing::info_span!("request", id = 7);
    let entered = request.enter();
    let crawler = Thread::run("crawler", |_| {
        let parser = Thread::run("parser-1", |_| tracing::info!("parsed"))?;
        parser.join()
    })
    .unwrap();
    crawler.join().unwrap();
    scope(|scope| {
        scope
            .spawn("scoped", |_| tracing::info!("in a scope"))
            .join()
    })
    .unwrap();
    drop(entered);

    let seen = seen.0.lock().unwrap();
    let spans_of = |needle: &str| {
        seen.iter()
            .find(|(message, _)| message.contains(needle))
            .map(|(_, spans)| spans.clone())
            .unwrap_or_else(|| panic!("no event {needle:?}"))
    };
    let parsed = spans_of("parsed");
    assert_eq!(parsed.len(), 3, "{parsed:?}");
    assert_eq!(parsed[0], "request{id=7}");
    assert!(
        parsed[1].starts_with("thread{name=\"crawler\" path=\""),
        "{parsed:?}"
    );
    assert!(
        parsed[2].starts_with("thread{name=\"parser-1\" path=\""),
        "{parsed:?}"
    );
    assert!(parsed[2].ends_with("/crawler/parser-1\"}"), "{parsed:?}");
    let scoped = spans_of("in a scope");
    assert_eq!(
        scoped[0], "request{id=7}",
        "scoped threads inherit the span too"
    );
    assert!(
        scoped[1].starts_with("thread{name=\"scoped\""),
        "{scoped:?}"
    );
}
