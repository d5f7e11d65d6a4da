//! The block moves one field out of a struct of the fn (`job.input`) and the
//! fn uses another field after it, as a plain block allows (disjoint parts).
#![deny(warnings)]

use more_threads::prelude::*;

struct Job {
    input: Vec<u32>,
    label: String,
}

fn main() {
    let job = Job {
        input: vec![1, 2, 3],
        label: "sum".to_owned(),
    };
    let plain = {
        let input = job.input;
        input.into_iter().sum::<u32>()
    };
    let plain = format!("{}={plain}", job.label);
    let job = Job {
        input: vec![1, 2, 3],
        label: "sum".to_owned(),
    };
    let scoped = scope! {
        let input = job.input;
        let total = spawn "sum" => move |_please_stop| input.into_iter().sum::<u32>();
        total.join().unwrap()
    };
    let scoped = format!("{}={scoped}", job.label);
    assert_eq!(plain, scoped);
}
