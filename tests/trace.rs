//! The learner's timeline: every spawn, poll, suspension, wake-up and completion, in order.

use tinyio::{Runtime, Trace, gather, named, spawn_named, trace, yield_now};

#[test]
fn timeline_of_three_named_tasks() {
    let trace = Trace::new();
    Runtime::new().trace(&trace).run(async {
        let a = spawn_named("alpha", async {
            trace::log("alpha: step 1");
            yield_now().await;
            trace::log("alpha: step 2");
        });
        let b = spawn_named("beta", async { trace::log("beta: one step") });
        let c = spawn_named("gamma", async {
            yield_now().await;
            panic!("gamma gives up");
        });
        a.await.unwrap();
        b.await.unwrap();
        let error = c.await.unwrap_err();
        trace::log(format!("main: {error}"));
    });
    insta::assert_snapshot!(trace.render());
}

#[test]
fn timeline_of_a_gather_and_an_abort() {
    let trace = Trace::new();
    Runtime::new().trace(&trace).run(async {
        let looper = spawn_named("looper", async {
            loop {
                yield_now().await;
            }
        });
        let (x, y) = tinyio::gather!(
            named("x", async {
                yield_now().await;
                1
            }),
            named("y", async { 2 }),
        )
        .await;
        trace::log(format!("main: gathered {x} and {y}"));
        looper.abort();
        let _ = looper.await;
        let _ = gather(Vec::<std::future::Ready<()>>::new()).await;
    });
    insta::assert_snapshot!(trace.render());
}

#[test]
fn the_same_program_gives_the_same_timeline_every_time() {
    let render = || {
        let trace = Trace::new();
        Runtime::new().trace(&trace).run(async {
            let handles: Vec<_> = (0..5)
                .map(|i| {
                    spawn_named(format!("t{i}"), async move {
                        for _ in 0..i {
                            yield_now().await;
                        }
                    })
                })
                .collect();
            for handle in handles {
                handle.await.unwrap();
            }
        });
        trace.render()
    };
    let first = render();
    for _ in 0..20 {
        assert_eq!(render(), first);
    }
}

#[test]
fn tracing_is_off_by_default() {
    let trace = Trace::new();
    tinyio::run(async { trace::log("nobody records this") });
    assert_eq!(trace.render(), "turn  task  event\n");
}
