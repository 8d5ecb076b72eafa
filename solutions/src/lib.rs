//! Reference answers to the workbook's exercises, one file per exercise, with the same names as
//! the files in `exercises/src/`. Copy one over yours to see its chapter pass:
//! `cp solutions/src/ch01_countdown.rs exercises/src/`.
#![forbid(unsafe_code)]

pub mod ch01_countdown;
pub mod ch01_hello;
pub mod ch02_counting;
pub mod ch02_flag;
pub mod ch03_block_on;
pub mod ch12_sleep;
pub mod ch12_timeout;
pub mod ch13_pool;
