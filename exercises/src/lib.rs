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
pub mod ch09_workers;
pub mod ch10_shutdown;
pub mod ch11_as_completed;
pub mod ch11_barrier;
pub mod ch11_event;
pub mod ch11_lock;
pub mod ch11_priority;
pub mod ch12_sleep;
pub mod ch12_timeout;
pub mod ch13_pool;
pub mod ch14_seed;

/// The queue's waiter line (`src/queue/waiters.rs`), which the exercises of chapters 6 to 8 and
/// of chapter 11 build on. It is included from the library, not copied: read it there.
#[path = "../../src/queue/waiters.rs"]
#[allow(dead_code)]
mod waiters;

/// Which task polls on this thread, and which were aborted (`src/owner.rs`): what the waiter line
/// asks to skip the waiters of an aborted task. Your executors never set it, so their waiters
/// have no owner.
#[path = "../../src/owner.rs"]
#[allow(dead_code)]
mod owner;
