// `crate = "path";`, the statement scope! once read as its option: no Rust
// (`crate` is a keyword), so it is read still, to say how it is written now.
mod deps {
    pub use more_threads as threads;
}

fn main() {
    let values = [1_u32, 2];
    let total: u32 = deps::threads::scope! {
        crate = "deps::threads";
        let first = spawn "first" => |_please_stop| values[0];
        first.join().unwrap() + values[1]
    };
    println!("{total}");
}
