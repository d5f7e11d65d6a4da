//! A block in a fn generic over `T: Copy + Send + Sync + Into<u64>`: the
//! children borrow a `&[T]`, the block's value is a `u64`.
#![deny(warnings)]

use more_threads::prelude::*;

fn plain<T: Copy + Into<u64>>(items: &[T]) -> u64 {
    let (a, b) = items.split_at(items.len() / 2);
    {
        let a = a.iter().map(|&x| x.into()).sum::<u64>();
        a + b.iter().map(|&x| x.into()).sum::<u64>()
    }
}

fn scoped<T>(items: &[T]) -> u64
where
    T: Copy + Send + Sync + Into<u64>,
{
    let (a, b) = items.split_at(items.len() / 2);
    scope! {
        let a = spawn "a" => |_please_stop| a.iter().map(|&x| x.into()).sum::<u64>();
        let b = spawn "b" => |_please_stop| b.iter().map(|&x| x.into()).sum::<u64>();
        a.join().unwrap() + b.join().unwrap()
    }
}

fn main() {
    assert_eq!(plain(&[1_u8, 2, 3]), scoped(&[1_u8, 2, 3]));
    assert_eq!(plain(&[70_000_u32, 1]), scoped(&[70_000_u32, 1]));
    assert_eq!(scoped::<u16>(&[]), 0);
}
