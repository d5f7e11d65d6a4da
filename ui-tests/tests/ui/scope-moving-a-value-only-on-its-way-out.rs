// What the closure form cannot do: move a value only on a way out
// (`return Err(name)`) and use it after the block: the closure takes it
// whole. Written instead: return after the block, or clone it.
use more_threads::prelude::*;

fn scored(name: String, scores: &[u32]) -> Result<String, String> {
    scope! {
        let total = spawn "total" => |_please_stop| scores.iter().sum::<u32>();
        if total.join().unwrap() == 0 {
            return Err(name);
        }
    }
    Ok(name)
}

fn main() {
    assert!(scored("ada".to_owned(), &[1]).is_ok());
}
