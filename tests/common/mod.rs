//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};

/// A log that tasks append to; a test compares it with the expected lines.
#[derive(Clone, Default)]
pub struct Log(Arc<Mutex<Vec<String>>>);

impl Log {
    pub fn push(&self, line: impl Into<String>) {
        self.0.lock().unwrap().push(line.into());
    }

    pub fn lines(&self) -> Vec<String> {
        self.0.lock().unwrap().clone()
    }
}

/// Pushes its line to the log when dropped: shows when (and in which order) futures are dropped.
pub struct DropLog(pub Log, pub String);

impl Drop for DropLog {
    fn drop(&mut self) {
        self.0.push(self.1.clone());
    }
}
