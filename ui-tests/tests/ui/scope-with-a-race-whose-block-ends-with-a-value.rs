use more_threads::prelude::*;

fn main() {
    let fastest = scope! {
        #![first_success]
        let scout = spawn "scout" => |_please_stop| Ok::<_, BoxError>(1);
        scout
    };
    println!("{fastest:?}");
}
