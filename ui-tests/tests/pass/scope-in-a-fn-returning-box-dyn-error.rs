//! A fn returning `Result<T, Box<dyn Error>>`: `?` on two unrelated error
//! types inside the block boxes each, as `?` does in the fn.
#![deny(warnings)]

use more_threads::prelude::*;
use std::error::Error;

fn plain(number: &str, bytes: &[u8]) -> Result<String, Box<dyn Error>> {
    let text = {
        let n: usize = number.parse()?;
        let text = std::str::from_utf8(bytes)?;
        text.repeat(n)
    };
    Ok(text)
}

fn scoped(number: &str, bytes: &[u8]) -> Result<String, Box<dyn Error>> {
    let text = scope! {
        let length = spawn "length" => |_please_stop| bytes.len();
        let n: usize = number.parse()?;
        let text = std::str::from_utf8(bytes)?;
        assert_eq!(length.join()?, text.len());
        text.repeat(n)
    };
    Ok(text)
}

fn main() {
    assert_eq!(plain("2", b"ab").unwrap(), scoped("2", b"ab").unwrap());
    assert_eq!(
        plain("x", b"ab").unwrap_err().to_string(),
        scoped("x", b"ab").unwrap_err().to_string()
    );
    assert_eq!(
        plain("1", &[0xff]).unwrap_err().to_string(),
        scoped("1", &[0xff]).unwrap_err().to_string()
    );
}
