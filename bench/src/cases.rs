//! The table's rows: every workload, its size, and the peers that run it.
//!
//! A row's `id` is also the name the Python script (`asyncio_queue.py`) prints for the same
//! workload, so its numbers land in the same row.

use crate::workloads as w;

/// The Rust peers, in the table's column order.
pub const PEERS: [&str; 5] = ["tinyio", "tokio", "futures", "async-channel", "flume"];

/// One peer's run of a workload: `n` items in, the checksum out.
pub type RunFn = Box<dyn Fn(u64) -> u64>;

/// A row of the table.
pub struct Case {
    /// Short id, shared with the Python script: `w1-unbounded`, `w2-spawn`, ...
    pub id: &'static str,
    /// The row's label in the table and the chart.
    pub label: &'static str,
    /// What one item is, for "ns per ...".
    pub unit: &'static str,
    /// Items per run.
    pub n: u64,
    /// Timed runs per peer (after one warm-up run each).
    pub reps: usize,
    /// `(peer, run)`, peers named as in [`PEERS`] (or `floor`).
    pub peers: Vec<(&'static str, RunFn)>,
    /// Why a row has no numbers yet, if it has none.
    pub pending: Option<&'static str>,
}

/// How big the runs are: the real sizes, or tiny ones for tests.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Size {
    /// The sizes of the issue: 1,000,000 items, 100,000 tasks, 10,000 futures, 200,000 items.
    Full,
    /// A thousandth of that (at least 100), one repetition: for tests.
    Tiny,
}

impl Size {
    fn n(self, full: u64) -> u64 {
        match self {
            Size::Full => full,
            Size::Tiny => (full / 1000).max(100),
        }
    }
    fn reps(self, full: usize) -> usize {
        match self {
            Size::Full => full,
            Size::Tiny => 1,
        }
    }
}

fn peer(name: &'static str, run: impl Fn(u64) -> u64 + 'static) -> (&'static str, RunFn) {
    (name, Box::new(run))
}

fn case(
    id: &'static str,
    label: &'static str,
    unit: &'static str,
    (n, reps): (u64, usize),
    peers: Vec<(&'static str, RunFn)>,
) -> Case {
    Case {
        id,
        label,
        unit,
        n,
        reps,
        peers,
        pending: None,
    }
}

/// W1: one producer task and one consumer task, `cap` `None` for unbounded.
fn w1(size: Size, id: &'static str, label: &'static str, cap: Option<usize>) -> Case {
    let sizes = (size.n(1_000_000), size.reps(11));
    let peers = vec![
        peer("tinyio", move |n| w::w1_tinyio(n, cap)),
        match cap {
            None => peer("tokio", w::w1_tokio_unbounded),
            Some(cap) => peer("tokio", move |n| w::w1_tokio_bounded(n, cap)),
        },
        match cap {
            None => peer("futures", w::w1_futures_unbounded),
            Some(cap) => peer("futures", move |n| w::w1_futures_bounded(n, cap)),
        },
        peer("async-channel", move |n| w::w1_async_channel(n, cap)),
        peer("flume", move |n| w::w1_flume(n, cap)),
    ];
    case(id, label, "item", sizes, peers)
}

/// W4 on two worker threads. It needs tinyio's multi-threaded runtime (the time-and-threads
/// issue); when it lands, this function gets its peers and the row gets numbers.
fn w4_two_threads(_size: Size) -> Case {
    Case {
        id: "w4-2-threads",
        label: "W4 on 2 threads",
        unit: "item",
        n: 200_000,
        reps: 0,
        peers: Vec::new(),
        pending: Some("needs the multi-threaded runtime (time-and-threads issue)"),
    }
}

/// The workloads W1 to W4, in table order.
pub fn workloads(size: Size) -> Vec<Case> {
    vec![
        w1(size, "w1-unbounded", "W1 unbounded", None),
        w1(size, "w1-bounded-1", "W1 bounded 1", Some(1)),
        w1(size, "w1-bounded-128", "W1 bounded 128", Some(128)),
        case(
            "w2-spawn",
            "W2 spawn + await",
            "task",
            (size.n(100_000), size.reps(11)),
            vec![
                peer("tinyio", w::w2_tinyio),
                peer("tokio", w::w2_tokio),
                peer("futures", w::w2_futures),
                peer("async-channel", w::w2_async_executor),
            ],
        ),
        case(
            "w3-ready",
            "W3 gather, ready",
            "future",
            (size.n(10_000), size.reps(31)),
            vec![
                peer("tinyio", |n| w::w3_tinyio(n, false)),
                peer("tokio", |n| w::w3_tokio(n, false)),
                peer("futures", |n| w::w3_futures(n, false)),
                peer("async-channel", |n| w::w3_async_executor(n, false)),
            ],
        ),
        case(
            "w3-yield",
            "W3 gather, yield once",
            "future",
            (size.n(10_000), size.reps(31)),
            vec![
                peer("tinyio", |n| w::w3_tinyio(n, true)),
                peer("tokio", |n| w::w3_tokio(n, true)),
                peer("futures", |n| w::w3_futures(n, true)),
                peer("async-channel", |n| w::w3_async_executor(n, true)),
            ],
        ),
        case(
            "w4-1-thread",
            "W4 on 1 thread",
            "item",
            (size.n(200_000), size.reps(11)),
            vec![
                peer("tinyio", w::w4_tinyio),
                peer("tokio", w::w4_tokio),
                peer("futures", w::w4_futures),
                peer("async-channel", w::w4_async_channel),
                peer("flume", w::w4_flume),
            ],
        ),
        w4_two_threads(size),
    ]
}

/// The floors: what the building blocks cost alone, one peer each.
pub fn floors(size: Size) -> Vec<Case> {
    let sizes = (size.n(1_000_000), size.reps(11));
    let floor =
        |id, label, run: fn(u64) -> u64| case(id, label, "item", sizes, vec![peer("floor", run)]);
    vec![
        floor("floor-vecdeque", "VecDeque push + pop", w::floor_vecdeque),
        floor(
            "floor-crossbeam",
            "crossbeam-channel send + recv, one thread",
            w::floor_crossbeam,
        ),
        floor(
            "floor-mutex",
            "Mutex lock + unlock, uncontended",
            w::floor_mutex,
        ),
        floor("floor-alloc", "Arc::new (64 bytes) + drop", w::floor_alloc),
    ]
}
