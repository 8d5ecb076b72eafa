//! [`JoinError`]: why a task gave no result. Apart from the handle, so that a task can make one
//! without depending on the handle that reads it.

use std::error::Error;
use std::fmt;

use crate::note::Name;

/// Why a task gave no result: it was cancelled, or it panicked.
#[derive(Clone, PartialEq, Eq)]
pub struct JoinError {
    task: Name,
    panic: Option<String>,
}

impl JoinError {
    pub(crate) fn cancelled(task: Name) -> JoinError {
        JoinError { task, panic: None }
    }

    pub(crate) fn panicked(task: Name, message: String) -> JoinError {
        JoinError {
            task,
            panic: Some(message),
        }
    }

    /// The task was aborted (or dropped when its runtime ended) before it finished.
    pub fn is_cancelled(&self) -> bool {
        self.panic.is_none()
    }

    /// The task panicked.
    pub fn is_panic(&self) -> bool {
        self.panic.is_some()
    }

    /// The panic message, if the task panicked with a string message.
    pub fn panic_message(&self) -> Option<&str> {
        self.panic.as_deref()
    }

    /// The name of the task (`task-N` if it was spawned without one).
    pub fn task_name(&self) -> &str {
        &self.task
    }
}

impl fmt::Display for JoinError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.panic {
            None => write!(f, "task {} was cancelled", self.task),
            Some(message) => write!(f, "task {} panicked: {message}", self.task),
        }
    }
}

impl fmt::Debug for JoinError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "JoinError({self})")
    }
}

impl Error for JoinError {}
