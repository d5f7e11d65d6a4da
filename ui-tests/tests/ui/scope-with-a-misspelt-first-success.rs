use more_threads::prelude::*;

fn main() {
    let fastest = scope! {
        #![first_sucess]
        spawn "a" => |_please_stop| Ok::<_, BoxError>(1);
        spawn "b" => |_please_stop| Ok::<_, BoxError>(2);
    };
    println!("{fastest:?}");
}
