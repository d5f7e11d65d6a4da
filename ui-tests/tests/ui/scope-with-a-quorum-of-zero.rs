use more_threads::prelude::*;

fn main() {
    let winners = scope! {
        #![quorum = 0]
        for replica in ["a", "b", "c"] {
            spawn replica => move |_please_stop| Ok::<_, BoxError>(replica);
        }
    };
    println!("{winners:?}");
}
