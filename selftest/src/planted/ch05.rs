//! Planted mistakes in chapter 5's exercises.

/// Gives every child the gather's own waker and polls every child on every wake-up: the book's
/// naive gather (results in input order, far too many polls).
pub mod gather_poll_all {
    pub use listings::ch05_naive::gather;
}

/// Collects the outputs in the order the children finish, not in input order. Built on the
/// solution: each child appends its output to a shared list when it finishes.
pub mod gather_completion_order {
    use std::future::Future;
    use std::sync::{Arc, Mutex};

    /// Outputs in completion order.
    pub fn gather<F: Future>(futures: Vec<F>) -> impl Future<Output = Vec<F::Output>> {
        let finished = Arc::new(Mutex::new(Vec::new()));
        let children = futures.into_iter().map(|future| {
            let finished = finished.clone();
            async move {
                let output = future.await;
                finished.lock().unwrap().push(output);
            }
        });
        let gather = solutions::ch05_gather::gather(children.collect::<Vec<_>>());
        async move {
            gather.await;
            std::mem::take(&mut *finished.lock().unwrap())
        }
    }
}

/// Waits for every child, then returns the first error in input order.
pub mod try_gather_waits_for_all {
    use std::future::Future;

    /// Never returns while a sibling of the failed child is pending.
    pub fn try_gather<F, T, E>(futures: Vec<F>) -> impl Future<Output = Result<Vec<T>, E>>
    where
        F: Future<Output = Result<T, E>>,
    {
        let gather = tinyio::gather(futures);
        async move { gather.await.into_iter().collect() }
    }
}

/// Stops at the first failing poll, but keeps the *last* error of that poll (it overwrites the
/// slot instead of keeping the first error).
pub mod try_gather_last_error {
    use std::future::{Future, poll_fn};
    use std::pin::Pin;
    use std::sync::{Arc, Mutex};
    use std::task::Poll;

    /// Keeps the last error.
    pub fn try_gather<F, T, E>(futures: Vec<F>) -> impl Future<Output = Result<Vec<T>, E>>
    where
        F: Future<Output = Result<T, E>>,
    {
        let slot = Arc::new(Mutex::new(None));
        let children = futures.into_iter().map(|future| {
            let slot = slot.clone();
            async move {
                match future.await {
                    Ok(value) => Some(value),
                    Err(error) => {
                        *slot.lock().unwrap() = Some(error); // the mistake
                        None
                    }
                }
            }
        });
        let mut inner = Some(Box::pin(tinyio::gather(children.collect::<Vec<_>>())));
        poll_fn(move |cx| {
            let poll = inner.as_mut().map(|g| Pin::as_mut(g).poll(cx));
            if let Some(error) = slot.lock().unwrap().take() {
                inner = None;
                return Poll::Ready(Err(error));
            }
            match poll {
                Some(Poll::Ready(values)) => {
                    Poll::Ready(Ok(values.into_iter().flatten().collect()))
                }
                _ => Poll::Pending,
            }
        })
    }
}
