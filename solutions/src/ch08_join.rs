//! Reference answer to `exercises/src/ch08_join.rs` (the task is written there).
//!
//! `Join` is tinyio's own (`src/queue/join.rs`), included here, not copied. `State::try_put`
//! and `Queue::task_done` are this stage's. The queue is the exercise's given one
//! (`exercises/src/given/queue_stage.rs`), included too.

use crate::waiters::WakeList;

include!("../../exercises/src/given/queue_stage.rs");

impl<T> State<T> {
    /// Takes the front item, if any, and notifies the first waiting putter. Chapter 7's.
    fn try_get(&mut self) -> Result<(T, Wakeup), TryGetError> {
        match self.buffer.pop_front() {
            None => Err(TryGetError::Empty),
            Some(item) => Ok((item, self.putters.notify_one())),
        }
    }
}

// `Get` and `Put` are chapter 7's answer: tinyio's own, included.
#[path = "../../src/queue/get.rs"]
#[allow(clippy::duplicate_mod)]
mod get;
#[path = "../../src/queue/put.rs"]
#[allow(clippy::duplicate_mod)]
mod put;

pub use get::Get;
pub use put::Put;

// ANCHOR: try_put
impl<T> State<T> {
    /// Appends `item` if there is room, counts it as unfinished, and notifies the first getter.
    fn try_put(&mut self, item: T) -> Result<Wakeup, TryPutError<T>> {
        if self.is_full() {
            return Err(TryPutError::Full(item));
        }
        self.buffer.push_back(item);
        self.unfinished += 1;
        Ok(self.getters.notify_one())
    }
}
// ANCHOR_END: try_put

// ANCHOR: task_done
impl<T> Queue<T> {
    /// Marks one item as handled. When no item is left unfinished, every joiner is released.
    pub fn task_done(&self) -> Result<(), TaskDoneError> {
        let mut released = WakeList::new();
        let mut state = self.lock();
        state.unfinished = state.unfinished.checked_sub(1).ok_or(TaskDoneError)?;
        if state.unfinished == 0 {
            state.joiners.notify_all(&mut released);
        }
        drop(state);
        released.wake_all();
        Ok(())
    }
}
// ANCHOR_END: task_done

#[path = "../../src/queue/join.rs"]
mod join;

pub use join::Join;
