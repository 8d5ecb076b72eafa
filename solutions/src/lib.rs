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
