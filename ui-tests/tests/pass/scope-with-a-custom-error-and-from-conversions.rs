//! A custom error enum with `From` impls for two error types: each `?` in
//! the block converts as it does in the fn.
#![deny(warnings)]

use more_threads::prelude::*;
use std::num::{ParseFloatError, ParseIntError};

#[derive(Debug, PartialEq)]
enum ConfigError {
    Count(ParseIntError),
    Ratio(ParseFloatError),
}

impl From<ParseIntError> for ConfigError {
    fn from(error: ParseIntError) -> Self {
        ConfigError::Count(error)
    }
}

impl From<ParseFloatError> for ConfigError {
    fn from(error: ParseFloatError) -> Self {
        ConfigError::Ratio(error)
    }
}

fn plain(count: &str, ratio: &str) -> Result<f64, ConfigError> {
    let value = {
        let count: u32 = count.parse()?;
        let ratio: f64 = ratio.parse()?;
        f64::from(count) * ratio
    };
    Ok(value)
}

fn scoped(count: &str, ratio: &str) -> Result<f64, ConfigError> {
    let value = scope! {
        let trimmed = spawn "trim" => |_please_stop| count.trim().to_owned();
        let count: u32 = trimmed.join().unwrap().parse()?;
        let ratio: f64 = ratio.parse()?;
        f64::from(count) * ratio
    };
    Ok(value)
}

fn main() {
    for (count, ratio) in [("4", "0.5"), ("x", "0.5"), ("4", "y")] {
        assert_eq!(plain(count, ratio), scoped(count, ratio));
    }
    assert!(matches!(scoped("x", "1"), Err(ConfigError::Count(_))));
    assert!(matches!(scoped("1", "y"), Err(ConfigError::Ratio(_))));
}
