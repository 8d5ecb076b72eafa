//! Your answers to the workbook's exercises: one file per exercise.
//!
//! Grade them with `cargo test` at the workspace root (`cargo test ch02` for one chapter).
//! Each file starts with its task. Reset one with `git checkout -- exercises/src/<file>.rs`.
#![forbid(unsafe_code)]
// The stubs have parameters and fields that only your code will use.
#![allow(unused_variables, unused_mut, dead_code, unused_imports)]

pub mod ch01_countdown;
pub mod ch01_hello;
pub mod ch02_counting;
pub mod ch02_flag;
pub mod ch03_block_on;
pub mod ch12_sleep;
pub mod ch12_timeout;
pub mod ch13_pool;
