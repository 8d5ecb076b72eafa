//! Planted wrong answers: each one is a mistake a learner could make, and each must fail its
//! grader with a recognisable message (`tests/graders.rs` lists what it must say).
//!
//! Each module exposes the same names as the exercise file it plants a mistake in; what it does
//! not change it re-exports from `solutions`.

pub mod ch01;
pub mod ch02;
pub mod ch03;
pub mod ch04;
pub mod ch05;
pub mod ch06;
pub mod ch07;
pub mod ch08;
pub mod ch09;
pub mod ch10;
pub mod ch11;
pub mod ch12;
pub mod ch13;
pub mod ch14;
