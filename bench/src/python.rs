//! The asyncio column: runs `asyncio_queue.py` with python3, when it is installed, and reads
//! the lines it prints (`id, items, runs, median, min, max`).

use std::path::Path;
use std::process::Command;

use crate::harness::Stats;

/// What the script printed.
pub struct Asyncio {
    /// `Python 3.11.7`.
    pub version: String,
    /// A sentence on the sizes and runs.
    pub sizes: String,
    /// The numbers, by workload id.
    pub numbers: Vec<(String, Stats)>,
}

/// Runs the script; `Err` says why there are no numbers.
pub fn run(script: &Path, tiny: bool) -> Result<Asyncio, String> {
    let version = Command::new("python3")
        .arg("--version")
        .output()
        .map_err(|_| "python3 is not installed".to_string())?;
    let version = String::from_utf8_lossy(&version.stdout).trim().to_string();
    let mut command = Command::new("python3");
    command.arg(script);
    if tiny {
        command.arg("--tiny");
    }
    let output = command
        .output()
        .map_err(|error| format!("python3 failed to start: {error}"))?;
    if !output.status.success() {
        return Err(format!(
            "{} failed: {}",
            script.display(),
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    Ok(Asyncio {
        version,
        sizes: describe(&text),
        numbers: parse(&text)?,
    })
}

/// `5 timed runs after a warm-up; W1 with 200,000 items, ...`: the sizes of the W1 to W4 lines.
fn describe(text: &str) -> String {
    let mut runs = "";
    let mut sizes: Vec<String> = Vec::new();
    for fields in text
        .lines()
        .map(|line| line.split('\t').collect::<Vec<_>>())
    {
        if let [id, n, r, ..] = fields[..] {
            runs = r;
            let workload = id.split('-').next().unwrap_or(id).to_uppercase();
            let n = n.parse().map_or(n.to_string(), crate::report::thousands);
            let size = format!("{workload} {n}");
            if !sizes.contains(&size) {
                sizes.push(size);
            }
        }
    }
    format!(
        "{runs} timed runs after a warm-up; sizes {}",
        sizes.join(", ")
    )
}

/// Reads the script's lines.
pub fn parse(text: &str) -> Result<Vec<(String, Stats)>, String> {
    text.lines()
        .map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            let number = |i: usize| -> Result<f64, String> {
                fields
                    .get(i)
                    .and_then(|field| field.parse().ok())
                    .ok_or_else(|| format!("unexpected line from the asyncio script: {line:?}"))
            };
            let stats = Stats {
                median: number(3)?,
                min: number(4)?,
                max: number(5)?,
            };
            Ok((fields[0].to_string(), stats))
        })
        .collect()
}
