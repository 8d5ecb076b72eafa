//! tinyio against the runtimes and channels people use in production, and against asyncio: the
//! numbers of the book's chapter "How fast is it?".
//!
//! `cargo run -p bench --release` runs every workload of every peer, then the Python script
//! `asyncio_queue.py` if python3 is installed, and writes `book/src/perf/results.md` and
//! `book/src/perf/chart.svg`. See `src/main.rs` for its options.
#![forbid(unsafe_code)]

pub mod cases;
pub mod harness;
pub mod python;
pub mod report;
pub mod workloads;
