//! Runs the benchmarks and writes the book's table and chart.
//!
//! ```text
//! cargo run -p bench --release                  # everything; writes book/src/perf/
//! cargo run -p bench --release -- --tiny        # tiny sizes, one run each, writes nothing
//! cargo run -p bench --release -- --only w1 --peer tinyio --no-python   # for a profiler
//! ```
//!
//! `--only` keeps the workloads whose id contains its argument, `--peer` keeps one peer, `--reps`
//! sets the number of timed runs (0: the warm-up run only); each prints the numbers and writes
//! nothing.

use std::path::PathBuf;
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

use bench::cases::{self, Case, Size};
use bench::harness::{self, Measured};
use bench::report::{self, Setup};
use bench::workloads::expected_sum;

struct Options {
    size: Size,
    only: Option<String>,
    peer: Option<String>,
    python: bool,
    reps: Option<usize>,
}

fn options() -> Options {
    let mut options = Options {
        size: Size::Full,
        only: None,
        peer: None,
        python: true,
        reps: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--tiny" => options.size = Size::Tiny,
            "--only" => options.only = args.next(),
            "--peer" => options.peer = args.next(),
            "--no-python" => options.python = false,
            "--reps" => options.reps = args.next().and_then(|reps| reps.parse().ok()),
            _ => {
                eprintln!(
                    "usage: bench [--tiny] [--only WORKLOAD] [--peer PEER] [--reps N] [--no-python]\n\
                     WORKLOAD: a part of an id such as w1, w3-yield, floor; PEER: one of {}",
                    cases::PEERS.join(", ")
                );
                std::process::exit(2);
            }
        }
    }
    options
}

fn keep(options: &Options, mut case: Case) -> Option<Case> {
    if let Some(only) = &options.only {
        if !case.id.contains(only.as_str()) {
            return None;
        }
    }
    if let Some(peer) = &options.peer {
        case.peers.retain(|(name, _)| name == peer);
    }
    if let Some(reps) = options.reps {
        case.reps = reps;
    }
    Some(case)
}

fn measure_all(options: &Options, cases: Vec<Case>) -> Vec<Measured> {
    cases
        .into_iter()
        .filter_map(|case| keep(options, case))
        .map(|case| {
            eprint!("{:<16}", case.id);
            let measured = harness::measure(&case, expected_sum(case.n));
            for (peer, stats) in &measured.peers {
                eprint!("  {peer} {}", report::ns(stats.median));
            }
            if let Some(why) = measured.pending {
                eprint!("  {why}");
            }
            eprintln!();
            measured
        })
        .collect()
}

fn main() {
    let options = options();
    let partial = options.only.is_some()
        || options.peer.is_some()
        || options.reps.is_some()
        || options.size == Size::Tiny;
    let rows = measure_all(&options, cases::workloads(options.size));
    let floors = measure_all(&options, cases::floors(options.size));
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let (python_version, python) = if options.python {
        eprintln!("asyncio: running bench/asyncio_queue.py");
        match bench::python::run(&root.join("asyncio_queue.py"), options.size == Size::Tiny) {
            Ok((version, numbers)) => (Some(version), numbers),
            Err(why) => {
                eprintln!("asyncio: no numbers ({why})");
                (None, Vec::new())
            }
        }
    } else {
        (None, Vec::new())
    };
    let setup = Setup {
        command: "cargo run -p bench --release".to_string(),
        machine: machine(),
        tools: match python_version {
            Some(python) => format!("{}, {python}", rustc()),
            None => rustc(),
        },
        date: today(),
    };
    let markdown = report::markdown(&setup, &rows, &floors, &python);
    println!("{markdown}");
    if partial {
        eprintln!("(a partial run: book/src/perf/ left as it was)");
        return;
    }
    let out = root.join("../book/src/perf");
    std::fs::create_dir_all(&out).expect("cannot create book/src/perf");
    std::fs::write(out.join("results.md"), markdown).expect("cannot write results.md");
    std::fs::write(out.join("chart.svg"), report::svg(&rows, &python))
        .expect("cannot write chart.svg");
    eprintln!("wrote book/src/perf/results.md and book/src/perf/chart.svg");
}

/// `Intel(R) Xeon(R) ... (2 cores)`, from /proc/cpuinfo where there is one.
fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|line| line.starts_with("model name"))
                .and_then(|line| line.split(':').nth(1))
                .map(|model| model.split_whitespace().collect::<Vec<_>>().join(" "))
        })
        .unwrap_or_else(|| std::env::consts::ARCH.to_string());
    format!("{model} ({cores} cores)")
}

fn rustc() -> String {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_string());
    Command::new(rustc)
        .arg("--version")
        .output()
        .ok()
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_string())
        .filter(|version| !version.is_empty())
        .unwrap_or_else(|| "rustc (version unknown)".to_string())
}

/// Today's date (UTC) as `YYYY-MM-DD`, from the days since 1970 (Howard Hinnant's algorithm).
fn today() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let z = (secs / 86_400) as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}
