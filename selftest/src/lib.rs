//! The workbook's self-test: planted wrong answers, and (in `tests/`) the proofs that every
//! grader passes the solution and fails the stub and each planted wrong answer, the checks of the
//! exercise files and of the expected-file manifest, and the book checks.
#![forbid(unsafe_code)]

pub mod planted;
