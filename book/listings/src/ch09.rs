//! Chapter 9: the seed program and its correction, run from `examples/` (included here by path,
//! so the book shows the very code that `cargo run --example` runs).

use std::sync::Arc;

use crate::Trace;

// Formatted with the library (100 columns), not with the listings (80).
#[rustfmt::skip]
#[path = "../../../examples/seed.rs"]
#[allow(dead_code)]
mod seed;

#[rustfmt::skip]
#[path = "../../../examples/producer_consumer.rs"]
#[allow(dead_code)]
mod producer_consumer;

/// A `say` for the examples that records each printed line, and also writes it into the
/// runtime's timeline (when tracing is on), so a timeline shows what the program printed. A
/// printed line appears in the timeline as it is, as in every other chapter's timelines.
fn recorder(out: &Trace) -> impl Fn(String) + Send + Sync + 'static {
    let out = out.clone();
    move |line: String| {
        tinyio::trace::log(line.clone());
        out.say(line);
    }
}

/// The seed program's output, then its deadlock report, line by line.
pub fn seed() -> Vec<String> {
    let out = Trace::default();
    let say = recorder(&out);
    match tinyio::try_run(seed::seed_main(&say)) {
        Ok(()) => out.say("FINISHED"),
        Err(deadlock) => {
            for line in crate::report(&deadlock.to_string()) {
                out.say(line);
            }
        }
    }
    out.lines()
}

/// The seed program's timeline.
pub fn seed_timeline() -> Vec<String> {
    let trace = tinyio::Trace::new();
    let out = Trace::default();
    let say = recorder(&out);
    let result = tinyio::Runtime::new()
        .trace(&trace)
        .try_run(seed::seed_main(&say));
    assert!(result.is_err(), "the seed program never finishes");
    trace.render().lines().map(String::from).collect()
}

/// The corrected program's output, on an unbounded queue (`maxsize` 0) or a bounded one.
pub fn fixed(maxsize: usize) -> Vec<String> {
    let out = Trace::default();
    tinyio::run(producer_consumer::fixed_main(
        maxsize,
        Arc::new(recorder(&out)),
    ));
    out.lines()
}

/// The corrected program's timeline.
pub fn fixed_timeline(maxsize: usize) -> Vec<String> {
    let trace = tinyio::Trace::new();
    let out = Trace::default();
    tinyio::Runtime::new()
        .trace(&trace)
        .run(producer_consumer::fixed_main(
            maxsize,
            Arc::new(recorder(&out)),
        ));
    trace.render().lines().map(String::from).collect()
}

#[cfg(test)]
mod tests {
    use crate::check_output;

    /// The Python outputs the book shows next to ours (CPython's, committed in
    /// `book/listings/python/`).
    fn python(name: &str) -> Vec<String> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(format!("python/{name}.out"));
        std::fs::read_to_string(path)
            .unwrap()
            .lines()
            .map(String::from)
            .collect()
    }

    #[test]
    fn seed() {
        let lines = super::seed();
        let python = python("seed_hang");
        assert_eq!(lines[..20], python[..20], "the same 20 lines as CPython");
        check_output("ch09_seed", &lines);
    }

    #[test]
    fn seed_timeline() {
        check_output("ch09_seed_timeline", &super::seed_timeline());
    }

    #[test]
    fn fixed() {
        let lines = super::fixed(0);
        assert_eq!(lines, python("seed_fixed"), "what CPython prints");
        check_output("ch09_fixed", &lines);
    }

    #[test]
    fn fixed_timeline() {
        check_output("ch09_fixed_timeline", &super::fixed_timeline(0));
    }
}
