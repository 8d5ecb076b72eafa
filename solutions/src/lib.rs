//! Reference answers to the workbook's exercises, one file per exercise, with the same names as
//! the files in `exercises/src/`. Copy one over yours to see its chapter pass:
//! `cp solutions/src/ch01_countdown.rs exercises/src/`.
#![forbid(unsafe_code)]

pub mod ch01_countdown;
pub mod ch01_hello;
pub mod ch02_counting;
pub mod ch02_flag;
pub mod ch03_block_on;
pub mod ch04_executor;
pub mod ch05_gather;
pub mod ch05_try_gather;
pub mod ch06_queue;
pub mod ch07_bounded;
pub mod ch08_join;

/// The waiter line of tinyio's queue (`src/queue/waiters.rs`), given to chapters 6 to 8.
#[path = "../../src/queue/waiters.rs"]
#[allow(dead_code)]
mod waiters;
