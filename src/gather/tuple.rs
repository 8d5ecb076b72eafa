//! `gather!`: gather futures of different types into a tuple of outputs.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use super::{Children, Engine, Flow};

/// Runs futures of different types concurrently in the calling task and returns a tuple of
/// their outputs, in argument order: `asyncio.gather(produce(q), consume(q))`.
///
/// ```
/// let (number, text) = tinyio::run(async {
///     tinyio::gather!(async { 7 }, async { "seven" }).await
/// });
/// assert_eq!((number, text), (7, "seven"));
/// ```
///
/// Up to 12 futures; for more, or for futures of one type, use [`gather`](crate::gather()).
#[macro_export]
macro_rules! gather {
    ($($future:expr),+ $(,)?) => {
        $crate::__private::GatherTuple::new(($($crate::__private::MaybeDone::new($future),)+))
    };
}

/// A child of a gather: its future until it finishes, then its output until it is taken.
#[doc(hidden)]
pub struct MaybeDone<F: Future> {
    /// Boxed so that it can be polled without unsafe pin projection; dropped on completion.
    future: Option<Pin<Box<F>>>,
    output: Option<F::Output>,
}

// Nothing is ever pinned through a `MaybeDone`: the future is in its own box.
impl<F: Future> Unpin for MaybeDone<F> {}

impl<F: Future> MaybeDone<F> {
    #[doc(hidden)]
    pub fn new(future: F) -> MaybeDone<F> {
        MaybeDone {
            future: Some(Box::pin(future)),
            output: None,
        }
    }

    /// Polls the future; on `Ready`, keeps the output and drops the future.
    pub(crate) fn poll_child(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        let future = self
            .future
            .as_mut()
            .expect("a finished gather child is never polled");
        let output = std::task::ready!(future.as_mut().poll(cx));
        self.future = None;
        self.output = Some(output);
        Poll::Ready(())
    }

    pub(crate) fn output(&self) -> Option<&F::Output> {
        self.output.as_ref()
    }

    pub(crate) fn take(&mut self) -> F::Output {
        self.output
            .take()
            .expect("a gather was polled after it completed")
    }
}

/// The future of [`gather!`](crate::gather!).
#[doc(hidden)]
#[must_use = "futures do nothing unless you .await them"]
pub struct GatherTuple<C> {
    children: C,
    engine: Engine,
}

impl<C> GatherTuple<C> {
    #[doc(hidden)]
    pub fn new(children: C) -> GatherTuple<C> {
        GatherTuple {
            children,
            engine: Engine::new(),
        }
    }
}

/// A tuple of `MaybeDone`s whose outputs can be taken as a tuple.
#[doc(hidden)]
pub trait TakeOutputs {
    type Outputs;
    fn take_outputs(&mut self) -> Self::Outputs;
}

macro_rules! tuple_children {
    ($($F:ident $index:tt),+) => {
        impl<$($F: Future),+> Children for ($(MaybeDone<$F>,)+) {
            fn count(&self) -> usize {
                [$($index),+].len()
            }

            fn poll_child(&mut self, index: usize, cx: &mut Context<'_>) -> Poll<Flow> {
                match index {
                    $($index => self.$index.poll_child(cx).map(|()| Flow::Continue),)+
                    _ => unreachable!("gather! child index out of range"),
                }
            }
        }

        impl<$($F: Future),+> TakeOutputs for ($(MaybeDone<$F>,)+) {
            type Outputs = ($($F::Output,)+);

            fn take_outputs(&mut self) -> Self::Outputs {
                ($(self.$index.take(),)+)
            }
        }
    };
}

tuple_children!(A 0);
tuple_children!(A 0, B 1);
tuple_children!(A 0, B 1, C 2);
tuple_children!(A 0, B 1, C 2, D 3);
tuple_children!(A 0, B 1, C 2, D 3, E 4);
tuple_children!(A 0, B 1, C 2, D 3, E 4, F 5);
tuple_children!(A 0, B 1, C 2, D 3, E 4, F 5, G 6);
tuple_children!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7);
tuple_children!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8);
tuple_children!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9);
tuple_children!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10);
tuple_children!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11);

impl<C: Children + TakeOutputs + Unpin> Future for GatherTuple<C> {
    type Output = C::Outputs;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<C::Outputs> {
        let this = self.get_mut();
        match this.engine.poll(&mut this.children, cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(_) => Poll::Ready(this.children.take_outputs()),
        }
    }
}
