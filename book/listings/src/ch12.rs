//! Chapter 12: time on the virtual clock, what a timeout drops, the worker pool, and the three
//! cases of the deadlock rule with outside threads.

use std::future::{Future, poll_fn};
use std::sync::{Arc, Mutex, mpsc};
use std::task::{Poll, Waker};
use std::time::Duration;

use tinyio::trace::log;
use tinyio::{Queue, Runtime, Trace};

#[path = "../../../examples/workers.rs"]
#[allow(dead_code)]
mod workers;

/// The virtual clock's reading, as the timelines print it: `at 0s`, `at 1.5s`.
fn at() -> String {
    format!("at {}s", tinyio::now().as_secs_f64())
}

// ANCHOR: kitchen
/// Two tasks wait for timers; main waits for both.
pub async fn breakfast() {
    let kettle = tinyio::spawn_named("kettle", async {
        tinyio::sleep(Duration::from_secs(180)).await;
        log(format!("the water boils {}", at()));
    });
    let toaster = tinyio::spawn_named("toaster", async {
        tinyio::sleep(Duration::from_secs(120)).await;
        log(format!("the toast pops up {}", at()));
    });
    kettle.await.unwrap();
    toaster.await.unwrap();
    log(format!("breakfast is ready {}", at()));
}

/// Runs `breakfast` on the virtual clock and returns its timeline.
pub fn kitchen() -> String {
    let trace = Trace::new();
    Runtime::new()
        .virtual_clock()
        .trace(&trace)
        .run(breakfast());
    trace.render()
}
// ANCHOR_END: kitchen

// ANCHOR: give_up
/// Logs a line when it is dropped: shows when a cancelled future goes.
struct SayWhenDropped(&'static str);

impl Drop for SayWhenDropped {
    fn drop(&mut self) {
        log(format!("{} is dropped {}", self.0, at()));
    }
}

/// Waits one second for an item that never comes, then checks that the cancelled `get` took
/// nothing from the queue.
pub async fn give_up() {
    let queue = Queue::<u32>::new();
    let waiting = async {
        let _say = SayWhenDropped("the get");
        queue.get().await
    };
    let got = tinyio::timeout(Duration::from_secs(1), waiting).await;
    log(format!("timeout returned {got:?} {}", at()));
    queue.try_put(7).unwrap();
    log(format!(
        "after try_put(7) the queue holds {} item",
        queue.len()
    ));
}
// ANCHOR_END: give_up

/// Runs `give_up` on the virtual clock and returns its timeline.
pub fn give_up_timeline() -> String {
    let trace = Trace::new();
    Runtime::new().virtual_clock().trace(&trace).run(give_up());
    trace.render()
}

/// The worker-pool example's lines (examples/workers.rs), on the virtual clock.
pub fn worker_pool() -> Vec<String> {
    let lines = Arc::new(Mutex::new(Vec::new()));
    let sink = lines.clone();
    Runtime::new().virtual_clock().run(workers::workers_main(
        2024,
        Arc::new(move |line| sink.lock().unwrap().push(line)),
    ));
    lines.lock().unwrap().clone()
}

// ANCHOR: mailbox
/// A value that a thread delivers, and the waker of the task waiting for it.
#[derive(Clone, Default)]
pub struct Mailbox(Arc<Mutex<(Option<u32>, Option<Waker>)>>);

impl Mailbox {
    /// Waits until a value is delivered.
    pub fn receive(&self) -> impl Future<Output = u32> + '_ {
        poll_fn(|cx| {
            let mut slot = self.0.lock().unwrap();
            match slot.0 {
                Some(value) => Poll::Ready(value),
                None => {
                    slot.1 = Some(cx.waker().clone());
                    Poll::Pending
                }
            }
        })
    }

    /// Delivers `value` and wakes the waiting task (from any thread).
    pub fn deliver(&self, value: u32) {
        let waker = {
            let mut slot = self.0.lock().unwrap();
            slot.0 = Some(value);
            slot.1.take()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}
// ANCHOR_END: mailbox

// ANCHOR: blocking
/// Case 1: `spawn_blocking` registers its thread for as long as the closure runs.
pub fn case_blocking() -> String {
    let sum = tinyio::run(async {
        let work = tinyio::spawn_blocking(|| (1..=1_000_000u64).sum::<u64>());
        work.await.unwrap()
    });
    format!("spawn_blocking returned {sum}")
}
// ANCHOR_END: blocking

// ANCHOR: registered
/// Case 2: a thread of our own, registered with a `KeepAlive` guard.
pub fn case_registered() -> String {
    let got = tinyio::run(async {
        let mailbox = Mailbox::default();
        let guard = tinyio::keep_alive();
        let theirs = mailbox.clone();
        std::thread::spawn(move || {
            theirs.deliver(7); // wake first...
            drop(guard); // ...then unregister
        });
        mailbox.receive().await
    });
    format!("main received {got} from its thread")
}
// ANCHOR_END: registered

// ANCHOR: unregistered
/// Case 3: a thread without a guard that holds no waker, only a queue it will put into.
pub fn case_unregistered() -> Vec<String> {
    let (go, wait_for_go) = mpsc::channel::<()>();
    let queue = tinyio::Queue::<u32>::new();
    let theirs = queue.clone();
    let thread = std::thread::spawn(move || {
        wait_for_go.recv().unwrap(); // puts only when told
        let _ = theirs.try_put(7);
    });
    let outcome = tinyio::try_run(queue.get());
    let mut lines = match outcome {
        Ok(got) => vec![format!("main received {got:?}")],
        Err(report) => crate::report(&report.to_string()),
    };
    go.send(()).unwrap();
    thread.join().unwrap();
    lines.push(
        "(then the thread put 7: the run was over, nobody took it)".into(),
    );
    lines
}
// ANCHOR_END: unregistered

#[cfg(test)]
mod tests {
    use crate::check_output;

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(String::from).collect()
    }

    #[test]
    fn kitchen() {
        let first = super::kitchen();
        assert_eq!(super::kitchen(), first, "the same timeline every run");
        check_output("ch12_kitchen", &lines(&first));
    }

    #[test]
    fn give_up() {
        check_output("ch12_give_up", &lines(&super::give_up_timeline()));
    }

    #[test]
    fn worker_pool() {
        check_output("ch12_workers", &super::worker_pool());
    }

    #[test]
    fn three_cases() {
        check_output("ch12_blocking", &[super::case_blocking()]);
        check_output("ch12_registered", &[super::case_registered()]);
        check_output("ch12_unregistered", &super::case_unregistered());
    }
}
