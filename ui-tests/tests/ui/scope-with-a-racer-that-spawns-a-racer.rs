use more_threads::prelude::*;

fn main() {
    let fastest = scope! {
        #![first_success]
        spawn "scout" => |_please_stop| {
            spawn "helper" => |_please_stop| Ok::<_, BoxError>(2);
            Ok::<_, BoxError>(1)
        };
    };
    println!("{fastest:?}");
}
