//! Your answers to the workbook's exercises: one file per exercise.
//!
//! Grade them with `cargo test` at the workspace root (`cargo test ch02` for one chapter).
//! Each file starts with its task. Reset one with `git checkout -- exercises/src/<file>.rs`.
//! `given/` holds code that several exercises include as it is (chapters 7 and 8's queue).
#![forbid(unsafe_code)]
// The stubs have parameters and fields that only your code will use.
#![allow(unused_variables, unused_mut, dead_code, unused_imports)]

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
