//! `Err(...)?` as a statement in the block (the idiom for "fail here"), in
//! a fn returning `Result<_, Box<dyn Error>>`.
#![deny(warnings)]

use more_threads::prelude::*;
use std::error::Error;

fn plain(value: i32) -> Result<i32, Box<dyn Error>> {
    let checked = {
        if value < 0 {
            Err("negative")?;
        }
        value * 2
    };
    Ok(checked)
}

fn scoped(value: i32) -> Result<i32, Box<dyn Error>> {
    let checked = scope! {
        let doubled = spawn "double" => move |_please_stop| value * 2;
        if value < 0 {
            Err("negative")?;
        }
        doubled.join()?
    };
    Ok(checked)
}

fn main() {
    assert_eq!(plain(4).unwrap(), scoped(4).unwrap());
    assert_eq!(
        plain(-1).unwrap_err().to_string(),
        scoped(-1).unwrap_err().to_string()
    );
}
