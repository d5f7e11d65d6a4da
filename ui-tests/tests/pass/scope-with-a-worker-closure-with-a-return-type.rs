//! Worker closures with a typed signal parameter and a written return type
//! holding a comma (`-> Result<u32, String>`), returning early with `?`.
#![deny(warnings)]

use more_threads::prelude::*;

fn parse_all(fields: &[&str]) -> Result<u32, ThreadError> {
    scope! {
        let total = spawn "parse" => move |please_stop: &Signal| -> Result<u32, String> {
            let mut total = 0;
            for field in fields {
                if please_stop.is_go() {
                    break;
                }
                total += field.parse::<u32>().map_err(|e| format!("{field}: {e}"))?;
            }
            Ok(total)
        };
        let check = spawn "check" => |_please_stop: &Signal| -> (usize, bool) { (fields.len(), true) };
        assert_eq!(check.join()?, (fields.len(), true));
        total.join()
    }
}

fn main() {
    assert_eq!(parse_all(&["1", "2"]).unwrap(), 3);
    let error = parse_all(&["1", "x"]).unwrap_err();
    assert!(
        format!("{error:#}").contains("x: invalid digit"),
        "{error:#}"
    );
}
