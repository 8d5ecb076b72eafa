//! tinyio: a tiny async runtime, `gather` and a join-able queue (work in progress).
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![allow(dead_code)]

mod note;
mod block_on;
pub use block_on::block_on;
pub mod queue;
pub use queue::{GetError, PutError, Queue, TaskDoneError, TryGetError, TryPutError};
