//! Chapter 6: `put` and `get` on tinyio's queue, as timelines.

use tinyio::{Queue, Runtime, Trace, named, spawn_named, trace, yield_now};

/// Runs `program` on a traced runtime and returns the timeline's lines.
pub fn timeline<F: Future<Output = ()>>(program: F) -> Vec<String> {
    let trace = Trace::new();
    Runtime::new().trace(&trace).run(program);
    trace.render().lines().map(str::to_string).collect()
}

// ANCHOR: two_consumers
/// Takes two items, announcing each.
async fn consume(queue: Queue<char>) {
    for _ in 0..2 {
        let item = queue.get().await.unwrap();
        trace::log(format!("got {item}"));
    }
}

/// One producer (`main`) and two consumers.
pub async fn two_consumers() {
    let queue = Queue::new();
    let c1 = spawn_named("c1", consume(queue.clone()));
    let c2 = spawn_named("c2", consume(queue.clone()));
    yield_now().await; // let both consumers start: they find the queue empty
    queue.put('a').await.unwrap(); // notifies c1
    queue.put('b').await.unwrap(); // notifies c2
    yield_now().await;
    queue.put('c').await.unwrap();
    queue.put('d').await.unwrap();
    c1.await.unwrap();
    c2.await.unwrap();
}
// ANCHOR_END: two_consumers

// ANCHOR: fast_path
/// The seed program's shape, with three items and a consumer that stops after three.
pub async fn fast_path() {
    let queue = Queue::new();
    let produce = async {
        for i in 0..3 {
            queue.put(i).await.unwrap(); // room: Ready at once
            trace::log(format!("Produced: {i}"));
        }
    };
    let consume = async {
        for _ in 0..3 {
            let item = queue.get().await.unwrap();
            trace::log(format!("Consumed: {item}"));
        }
    };
    tinyio::gather!(named("produce", produce), named("consume", consume)).await;
}
// ANCHOR_END: fast_path

#[cfg(test)]
mod tests {
    use super::timeline;
    use crate::check_output;

    #[test]
    fn two_consumers() {
        check_output("ch06_two_consumers", &timeline(super::two_consumers()));
    }

    #[test]
    fn fast_path() {
        check_output("ch06_fast_path", &timeline(super::fast_path()));
    }
}
