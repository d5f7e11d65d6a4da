use more_threads::prelude::*;

fn main() {
    let winners = scope! {
        #![first_success]
        #![quorum = 2]
        for replica in ["a", "b", "c"] {
            spawn replica => move |_please_stop| Ok::<_, BoxError>(replica);
        }
    };
    println!("{winners:?}");
}
