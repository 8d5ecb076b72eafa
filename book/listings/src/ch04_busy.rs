//! Chapter 4, stage 1: a busy loop that polls every task, round after round.

use std::task::{Context, Waker};

use crate::Trace;
use crate::ch04::Boxed;

// ANCHOR: busy
/// Polls every unfinished task, round after round, until all are done. The waker does
/// nothing: the loop does not need to know who is ready, it tries everybody.
pub fn run_all(mut tasks: Vec<Option<Boxed>>, trace: &Trace) {
    let mut cx = Context::from_waker(Waker::noop());
    let mut round = 0;
    while tasks.iter().any(Option::is_some) {
        round += 1;
        trace.say(format!("round {round}"));
        for slot in tasks.iter_mut() {
            if let Some(task) = slot {
                if task.as_mut().poll(&mut cx).is_ready() {
                    *slot = None; // never poll a finished task again
                }
            }
        }
    }
}
// ANCHOR_END: busy
