//! Chapter 4: from a busy loop to a run queue, and tinyio's `run` seen through its trace.
//!
//! Stage 1 (`ch04_busy.rs`) polls every task in turn with a waker that does nothing. Stage 2
//! (`ch04_woken.rs`) polls only the tasks whose waker was woken, kept in a queue of indices.
//! Stage 3 is the exercise's answer, `solutions/src/ch04_executor.rs`: tasks in `Arc`s, a
//! channel, a `queued` flag, `spawn` and `JoinHandle`. Stages 1 and 2 run the same program,
//! [`program`].

use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Poll, Waker};

use crate::Trace;

/// A boxed task of the stages 1 and 2.
pub type Boxed = Pin<Box<dyn Future<Output = ()> + Send>>;

// ANCHOR: program
/// The test program: `worker` yields four times, then hands a message to `waiter` through a
/// mailbox that keeps the waiter's waker. Each task logs every poll.
pub fn program(trace: &Trace) -> Vec<Boxed> {
    let mailbox: Arc<Mutex<(Option<&str>, Option<Waker>)>> = Arc::default();
    let (inbox, log) = (mailbox.clone(), trace.clone());
    let waiter = poll_fn(move |cx| {
        log.say("  waiter polled");
        let mut slot = inbox.lock().unwrap();
        match slot.0.take() {
            Some(message) => {
                log.say(format!("  waiter got {message:?}"));
                Poll::Ready(())
            }
            None => {
                slot.1 = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    });
    let log = trace.clone();
    let mut polls = 0;
    let worker = poll_fn(move |cx| {
        polls += 1;
        log.say(format!("  worker polled ({polls})"));
        if polls < 5 {
            cx.waker().wake_by_ref(); // a yield: "poll me again later"
            return Poll::Pending;
        }
        let mut slot = mailbox.lock().unwrap();
        slot.0 = Some("done");
        if let Some(waker) = slot.1.take() {
            waker.wake();
        }
        Poll::Ready(())
    });
    vec![Box::pin(waiter), Box::pin(worker)]
}
// ANCHOR_END: program

/// Runs the program on stage 1 or 2 and returns what it logged.
pub fn stage(run_all: fn(Vec<Option<Boxed>>, &Trace)) -> Vec<String> {
    let trace = Trace::default();
    let tasks = program(&trace).into_iter().map(Some).collect();
    run_all(tasks, &trace);
    let polls = trace
        .lines()
        .iter()
        .filter(|line| line.ends_with("polled") || line.contains("polled ("))
        .count();
    trace.say(format!("{polls} polls in all"));
    trace.lines()
}

// ANCHOR: three
/// Three named tasks on tinyio's runtime, traced: two cooks and a waiter that awaits both.
pub async fn kitchen() -> u32 {
    let soup = tinyio::spawn_named("soup", async {
        tinyio::trace::log("chop onions");
        tinyio::yield_now().await;
        tinyio::trace::log("simmer");
        1
    });
    let bread = tinyio::spawn_named("bread", async {
        tinyio::trace::log("knead");
        tinyio::yield_now().await;
        tinyio::trace::log("bake");
        1
    });
    let waiter = tinyio::spawn_named("waiter", async move {
        let dishes = soup.await.unwrap() + bread.await.unwrap();
        tinyio::trace::log(format!("serve {dishes} dishes"));
        dishes
    });
    tinyio::trace::log("main spawned three tasks");
    waiter.await.unwrap()
}
// ANCHOR_END: three

/// The timeline of [`kitchen`].
pub fn kitchen_timeline() -> Vec<String> {
    let trace = tinyio::Trace::new();
    let dishes = tinyio::Runtime::new().trace(&trace).run(kitchen());
    assert_eq!(dishes, 2);
    trace.render().lines().map(str::to_string).collect()
}

// ANCHOR: deadlock
/// Main awaits a task that awaits a queue nobody puts into: tinyio reports it at once.
pub fn stuck() -> Vec<String> {
    let outcome = tinyio::try_run(async {
        let orders = tinyio::Queue::<String>::new();
        let cook = tinyio::spawn_named("cook", async move {
            let order = orders.get().await;
            format!("cooked {order:?}")
        });
        cook.await
    });
    match outcome {
        Ok(_) => vec![String::from("finished (it should not have)")],
        Err(report) => crate::report(&report.to_string()),
    }
}
// ANCHOR_END: deadlock

#[cfg(test)]
mod tests {
    use crate::check_output;

    #[test]
    fn busy_loop() {
        check_output("ch04_busy", &super::stage(crate::ch04_busy::run_all));
    }

    #[test]
    fn woken() {
        check_output("ch04_woken", &super::stage(crate::ch04_woken::run_all));
    }

    #[test]
    fn kitchen() {
        check_output("ch04_kitchen", &super::kitchen_timeline());
    }

    #[test]
    fn stuck() {
        check_output("ch04_stuck", &super::stuck());
    }
}
