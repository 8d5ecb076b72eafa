//! The workbook's self-test: planted wrong answers, and (in `tests/`) the proofs that every
//! grader passes the solution and fails the stub and each planted wrong answer, the checks of the
//! exercise files and of the expected-file manifest, and the book checks.
#![forbid(unsafe_code)]

pub mod planted;

/// The queue's waiter line (`src/queue/waiters.rs`), which the planted answers of chapters 6 to 8
/// and 11 build on. It is included from the library, not copied: read it there.
#[path = "../../src/queue/waiters.rs"]
#[allow(dead_code)]
mod waiters;

/// Which task polls on this thread, and which were aborted (`src/owner.rs`), which the waiter
/// line asks. Nothing here sets it, so the planted answers' waiters have no owner.
#[path = "../../src/owner.rs"]
#[allow(dead_code)]
mod owner;
