//! A pool of workers sharing a queue: the worker-pool example of Python's `asyncio.Queue`
//! documentation, ported to tinyio and run on the virtual clock.
//!
//! Twenty jobs, each "sleep for a random time", go into a queue; three workers take them one at
//! a time; `main` waits for `join`, cancels the idle workers and prints how long it all took.
//! On the virtual clock the run takes milliseconds and prints the same lines every time:
//! `cargo run -p tinyio --example workers`.

use std::sync::Arc;
use std::time::Duration;

use tinyio::{Queue, Runtime, sleep, spawn_named};

/// Where the program's lines go: standard output, or a test's list.
pub type Say = Arc<dyn Fn(String) + Send + Sync>;

/// A small seeded generator (SplitMix64), so that every run draws the same durations.
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A whole number of milliseconds in `low..=high`.
    pub fn millis(&mut self, low: u64, high: u64) -> Duration {
        Duration::from_millis(low + self.next_u64() % (high - low + 1))
    }
}

// ANCHOR: program
async fn worker(name: String, queue: Queue<Duration>, say: Say) {
    loop {
        let nap = queue.get().await.expect("nobody shuts this queue down");
        sleep(nap).await;
        queue.task_done().expect("one task_done per job taken");
        say(format!(
            "{name} has slept for {:.2} seconds",
            nap.as_secs_f64()
        ));
    }
}

/// Fills the queue with 20 naps, runs three workers until every nap is done, then stops them.
pub async fn workers_main(seed: u64, say: Say) {
    let queue = Queue::new();
    let mut random = SplitMix64::new(seed);
    let mut total = Duration::ZERO;
    for _ in 0..20 {
        let nap = random.millis(50, 1000);
        total += nap;
        queue
            .try_put(nap)
            .expect("an unbounded queue is never full");
    }
    let workers: Vec<_> = (0..3)
        .map(|i| {
            let name = format!("worker-{i}");
            spawn_named(name.clone(), worker(name, queue.clone(), say.clone()))
        })
        .collect();
    let started = tinyio::now();
    queue.join().await;
    let took = tinyio::now() - started;
    for worker in &workers {
        worker.abort();
    }
    for worker in workers {
        let _ = worker.await; // each ends cancelled
    }
    say("====".to_string());
    say(format!(
        "3 workers slept in parallel for {:.2} seconds",
        took.as_secs_f64()
    ));
    say(format!(
        "total expected sleep time: {:.2} seconds",
        total.as_secs_f64()
    ));
}
// ANCHOR_END: program

fn main() {
    Runtime::new()
        .virtual_clock()
        .run(workers_main(2024, Arc::new(|line| println!("{line}"))));
}
