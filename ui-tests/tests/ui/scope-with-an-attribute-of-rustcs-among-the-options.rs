use more_threads::prelude::*;

fn main() {
    let fastest = scope! {
        #![first_success, allow(unused_variables)]
        let unused = 1;
        spawn "a" => |_please_stop| Ok::<_, BoxError>(1);
    };
    println!("{fastest:?}");
}
