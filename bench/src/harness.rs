//! Measuring: one warm-up run per peer, then `reps` rounds in which every peer runs once, in an
//! order that rotates from round to round, so that every peer sees the same state of the machine.
//! Each run is timed whole (a fresh runtime included) and divided by its number of items.
//!
//! [`measure`] does it all in this process (the tests, and the profiler's `--reps 0`). The bench
//! itself runs each peer of a row in a process of its own, with [`time_runs`] (`main.rs`).

use std::hint::black_box;
use std::time::Instant;

use crate::cases::{Case, RunFn};

/// Nanoseconds per item over the timed runs of one peer.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Stats {
    pub median: f64,
    pub min: f64,
    pub max: f64,
}

impl Stats {
    /// The median, minimum and maximum of `samples` (not empty).
    pub fn of(samples: &[f64]) -> Stats {
        let mut sorted = samples.to_vec();
        sorted.sort_by(f64::total_cmp);
        let middle = sorted.len() / 2;
        let median = if sorted.len() % 2 == 1 {
            sorted[middle]
        } else {
            (sorted[middle - 1] + sorted[middle]) / 2.0
        };
        Stats {
            median,
            min: sorted[0],
            max: sorted[sorted.len() - 1],
        }
    }
}

/// A measured row: each peer's numbers, in the case's peer order.
pub struct Measured {
    pub id: &'static str,
    pub label: &'static str,
    pub unit: &'static str,
    pub n: u64,
    pub reps: usize,
    pub peers: Vec<(&'static str, Stats)>,
}

/// One warm-up run of `run` (the peer `name` of `case`), then `case.reps` timed runs:
/// nanoseconds per item, in order. Checks that every run returns `expected`.
///
/// # Panics
///
/// When the peer returns another checksum: it did not do the same work.
pub fn time_runs(name: &str, run: &RunFn, case: &Case, expected: u64) -> Vec<f64> {
    let once = || {
        let start = Instant::now();
        let sum = black_box(run(black_box(case.n)));
        let elapsed = start.elapsed();
        assert_eq!(sum, expected, "{name} on {}: wrong checksum", case.id);
        elapsed.as_nanos() as f64 / case.n as f64
    };
    once(); // warm-up: allocator, caches, lazy statics
    (0..case.reps).map(|_| once()).collect()
}

impl Measured {
    /// The row of `case`, with the timed runs of each of its peers, in its order (a peer with
    /// none, as with `--reps 0`, is left out).
    pub fn of(case: &Case, samples: Vec<Vec<f64>>) -> Measured {
        Measured {
            id: case.id,
            label: case.label,
            unit: case.unit,
            n: case.n,
            reps: case.reps,
            peers: case
                .peers
                .iter()
                .zip(samples)
                .map(|((name, _), samples)| (*name, samples))
                .filter(|(_, samples)| !samples.is_empty())
                .map(|(name, samples)| (name, Stats::of(&samples)))
                .collect(),
        }
    }
}

/// Runs every peer of `case` and checks that each one returns `expected` every time.
///
/// # Panics
///
/// When a peer returns another checksum: it did not do the same work.
pub fn measure(case: &Case, expected: u64) -> Measured {
    let mut samples: Vec<Vec<f64>> = vec![Vec::new(); case.peers.len()];
    let run = |index: usize| {
        let (name, run) = &case.peers[index];
        let start = Instant::now();
        let sum = black_box(run(black_box(case.n)));
        let elapsed = start.elapsed();
        assert_eq!(sum, expected, "{name} on {}: wrong checksum", case.id);
        elapsed.as_nanos() as f64 / case.n as f64
    };
    for index in 0..case.peers.len() {
        run(index); // warm-up: allocator, caches, lazy statics
    }
    for round in 0..case.reps {
        for k in 0..case.peers.len() {
            let index = (round + k) % case.peers.len();
            samples[index].push(run(index));
        }
    }
    Measured::of(case, samples)
}
