//! Chapter 3: parking a thread, and what `block_on` does when nobody can wake it.

use std::future::poll_fn;
use std::task::Poll;
use std::thread;

use crate::Trace;

// ANCHOR: park
/// `unpark` before `park` is not lost: the thread keeps one "token", and `park` returns at once
/// if the token is there (taking it).
pub fn park_token() -> Vec<String> {
    let trace = Trace::default();
    thread::current().unpark();
    trace.say("unparked myself: the token is set");
    thread::park();
    trace.say("park returned at once, taking the token");
    let sleeper = thread::current();
    let waker = thread::spawn(move || sleeper.unpark());
    thread::park(); // sleeps until the other thread's unpark (or returns at once if it came first)
    waker.join().unwrap();
    trace.say("park returned again after another thread's unpark");
    trace.lines()
}
// ANCHOR_END: park

// ANCHOR: nobody_wakes
/// A future that returns `Pending` and keeps no waker: nothing can ever wake it.
pub fn nobody_wakes() -> Vec<String> {
    let trace = Trace::default();
    let outcome = std::panic::catch_unwind(|| {
        tinyio::block_on(poll_fn(|_cx| Poll::<()>::Pending))
    });
    match outcome {
        Ok(()) => trace.say("block_on returned (it should not have)"),
        Err(panic) => {
            let message = panic.downcast_ref::<&str>().copied().unwrap_or("?");
            trace.say("block_on panicked:");
            for line in crate::wrap(message, 76) {
                trace.say(format!("  {line}"));
            }
        }
    }
    trace.lines()
}
// ANCHOR_END: nobody_wakes

#[cfg(test)]
mod tests {
    use crate::check_output;

    #[test]
    fn park_token() {
        check_output("ch03_park", &super::park_token());
    }

    #[test]
    fn nobody_wakes() {
        check_output("ch03_nobody_wakes", &super::nobody_wakes());
    }
}
