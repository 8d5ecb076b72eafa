//! [`JoinError`]: why a task gave no result. Apart from the handle, so that a task can make one
//! without depending on the handle that reads it.

use std::error::Error;
use std::fmt;

use crate::note::Name;

/// Why a task gave no result: it was cancelled, or it panicked.
///
/// ```
/// let error = tinyio::run(async {
///     tinyio::spawn_named("worker", async { panic!("out of coffee") }).await.unwrap_err()
/// });
/// assert!(error.is_panic());
/// assert_eq!(error.to_string(), "task worker panicked: out of coffee");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct JoinError {
    /// Boxed: every task keeps a slot for `Result<T, JoinError>`, and one pointer there keeps
    /// the task small (see `task.rs`), where the error itself is rare.
    inner: Box<Inner>,
}

#[derive(Clone, PartialEq, Eq)]
struct Inner {
    /// The task's name (`task-ID` when it has none).
    task: Name,
    /// The panic's message; `None`: the task was cancelled.
    panic: Option<String>,
}

impl JoinError {
    pub(crate) fn cancelled(task: Name) -> JoinError {
        JoinError {
            inner: Box::new(Inner { task, panic: None }),
        }
    }

    pub(crate) fn panicked(task: Name, message: String) -> JoinError {
        JoinError {
            inner: Box::new(Inner {
                task,
                panic: Some(message),
            }),
        }
    }

    /// The task was aborted (or dropped when its runtime ended) before it finished.
    ///
    /// ```
    /// let error = tinyio::run(async {
    ///     let task = tinyio::spawn(std::future::pending::<()>());
    ///     task.abort();
    ///     task.await.unwrap_err()
    /// });
    /// assert!(error.is_cancelled() && !error.is_panic());
    /// ```
    pub fn is_cancelled(&self) -> bool {
        self.inner.panic.is_none()
    }

    /// The task panicked.
    ///
    /// ```
    /// let error = tinyio::run(async {
    ///     tinyio::spawn(async { panic!("boom") }).await.unwrap_err()
    /// });
    /// assert!(error.is_panic() && !error.is_cancelled());
    /// ```
    pub fn is_panic(&self) -> bool {
        self.inner.panic.is_some()
    }

    /// The panic message, if the task panicked with a string message.
    ///
    /// ```
    /// let error = tinyio::run(async {
    ///     tinyio::spawn(async { panic!("{} eggs short", 2) }).await.unwrap_err()
    /// });
    /// assert_eq!(error.panic_message(), Some("2 eggs short"));
    /// ```
    pub fn panic_message(&self) -> Option<&str> {
        self.inner.panic.as_deref()
    }

    /// The name of the task (`task-N` if it was spawned without one).
    ///
    /// ```
    /// let error = tinyio::run(async {
    ///     let task = tinyio::spawn_named("cook", async { panic!("burnt") });
    ///     task.await.unwrap_err()
    /// });
    /// assert_eq!(error.task_name(), "cook");
    /// ```
    pub fn task_name(&self) -> &str {
        &self.inner.task
    }
}

impl fmt::Display for JoinError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.inner.panic {
            None => write!(f, "task {} was cancelled", self.inner.task),
            Some(message) => write!(f, "task {} panicked: {message}", self.inner.task),
        }
    }
}

impl fmt::Debug for JoinError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "JoinError({self})")
    }
}

impl Error for JoinError {}
