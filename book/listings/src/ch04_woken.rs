//! Chapter 4, stage 2: each task's waker queues the task's index; the loop polls only those.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::task::Context;

use futures_task::ArcWake;

use crate::Trace;
use crate::ch04::Boxed;

// ANCHOR: woken
/// The queue of tasks to poll, by index, in the order they were woken.
type Ready = Arc<Mutex<VecDeque<usize>>>;

/// The waker of task `index`: waking it queues the index.
struct Wake {
    index: usize,
    ready: Ready,
}

impl ArcWake for Wake {
    fn wake_by_ref(arc_self: &Arc<Self>) {
        arc_self.ready.lock().unwrap().push_back(arc_self.index);
    }
}

/// Polls each task once, then only the tasks that were woken, until the queue is empty.
pub fn run_all(mut tasks: Vec<Option<Boxed>>, trace: &Trace) {
    let ready: Ready = Arc::new(Mutex::new((0..tasks.len()).collect()));
    loop {
        let next = ready.lock().unwrap().pop_front(); // unlock before polling
        let Some(index) = next else { break };
        let Some(task) = &mut tasks[index] else {
            continue; // finished; a late wake-up
        };
        trace.say(format!("turn of task {index}"));
        let ready = ready.clone();
        let waker = futures_task::waker(Arc::new(Wake { index, ready }));
        if task
            .as_mut()
            .poll(&mut Context::from_waker(&waker))
            .is_ready()
        {
            tasks[index] = None;
        }
    }
}
// ANCHOR_END: woken
