//! The asyncio column: runs `asyncio_queue.py` with python3, when it is installed, and reads
//! the lines it prints (`id, items, runs, median, min, max`).

use std::path::Path;
use std::process::Command;

use crate::harness::Stats;

/// What the script printed, by workload id; `Err` says why there are no numbers.
pub fn run(script: &Path, tiny: bool) -> Result<(String, Vec<(String, Stats)>), String> {
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
    Ok((version, parse(&String::from_utf8_lossy(&output.stdout))?))
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
