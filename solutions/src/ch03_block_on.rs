//! Reference answer to `exercises/src/ch03_block_on.rs` (the task is written there).
//!
//! The answer is the runtime's own `block_on`: this file includes `src/block_on.rs` instead of
//! copying it, so the book, the runtime and the solution cannot drift apart.

#[path = "../../src/block_on.rs"]
mod runtime_block_on;

pub use runtime_block_on::block_on;
