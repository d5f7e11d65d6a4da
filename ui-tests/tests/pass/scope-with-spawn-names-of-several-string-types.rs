//! Thread names of every string kind: a literal, a `const`, a `String`, a
//! `&String`, a `Cow`, an `Arc<str>` and a `Box<str>`.
#![deny(warnings)]

use more_threads::prelude::*;
use std::borrow::Cow;
use std::sync::Arc;

const NAME: &str = "constant";

fn main() {
    let owned = String::from("owned");
    let names = vec!["first".to_owned(), "second".to_owned()];
    let cow: Cow<'_, str> = Cow::Borrowed("cow");
    let arc: Arc<str> = Arc::from("arc");
    let boxed: Box<str> = "boxed".into();
    let count = scope! {
        let handles = vec![
            spawn "literal" => |_please_stop| 1_u32,
            spawn NAME => |_please_stop| 1_u32,
            spawn owned.clone() => |_please_stop| 1_u32,
            spawn &names[1] => |_please_stop| 1_u32,
            spawn cow => |_please_stop| 1_u32,
            spawn arc => |_please_stop| 1_u32,
            spawn boxed => |_please_stop| 1_u32,
        ];
        handles.into_iter().map(|h| h.join().unwrap()).sum::<u32>()
    };
    assert_eq!(count, { 7 });
    assert_eq!(owned, "owned");
}
