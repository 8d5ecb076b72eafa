//! Reference answer to `exercises/src/ch07_bounded.rs` (the task is written there).
//!
//! The answer is tinyio's own: `Get` and `Put` are `src/queue/get.rs` and `src/queue/put.rs`,
//! included here, not copied, with the two `State` methods below. The queue they work on is the
//! exercise's given one (`exercises/src/given/queue_stage.rs`), included too.
// The given queue has chapter 8's counter, which this chapter does not use yet.
#![allow(dead_code)]

include!("../../exercises/src/given/queue_stage.rs");

// ANCHOR: state
impl<T> State<T> {
    /// Appends `item` if there is room, and notifies the first waiting getter.
    fn try_put(&mut self, item: T) -> Result<Wakeup, TryPutError<T>> {
        if self.is_full() {
            return Err(TryPutError::Full(item));
        }
        self.buffer.push_back(item);
        Ok(self.getters.notify_one())
    }

    /// Takes the front item, if any, and notifies the first waiting putter.
    fn try_get(&mut self) -> Result<(T, Wakeup), TryGetError> {
        let item = self.buffer.pop_front().ok_or(TryGetError::Empty)?;
        Ok((item, self.putters.notify_one()))
    }
}
// ANCHOR_END: state

#[path = "../../src/queue/get.rs"]
mod get;
#[path = "../../src/queue/put.rs"]
mod put;

pub use get::Get;
pub use put::Put;
