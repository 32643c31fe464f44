//! The join codes of an exercise kept in its folder (`join-codes.txt`, TLP:RED, readable by this user
//! only), so a restarted or resumed host gives every participant the code they already hold.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

use anyhow::Context;

use super::JoinCode;
use crate::scenario::Scenario;

/// The file of join codes written beside the journal.
pub const CODES_FILE: &str = "join-codes.txt";

/// The seat's display name (empty when it is not an actor of the scenario).
#[must_use]
pub fn seat_name<'a>(scenario: &'a Scenario, seat: &str) -> &'a str {
    scenario
        .actor_index(seat)
        .map_or("", |i| scenario.file.actors[i].name.as_str())
}

fn seats(scenario: &Scenario) -> Vec<String> {
    scenario.seats().map(|a| a.id.clone()).collect()
}

/// A fresh code for every seat of the scenario.
pub fn fresh_codes(scenario: &Scenario) -> anyhow::Result<Vec<(String, JoinCode)>> {
    seats(scenario)
        .into_iter()
        .map(|seat| Ok((seat, JoinCode::generate().context("no random source")?)))
        .collect()
}

/// Codes from a `join-codes.txt` (`SEAT CODE [name]` per line, `#` comments), so participants keep theirs
/// when the host is restarted. A seat the file lacks gets a fresh code; a seat the scenario lacks is an error.
pub fn read_codes(path: &Path, scenario: &Scenario) -> anyhow::Result<Vec<(String, JoinCode)>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut found = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut words = line.split_whitespace();
        let (Some(seat), Some(code)) = (words.next(), words.next()) else {
            anyhow::bail!("{}:{}: expected `SEAT CODE`", path.display(), n + 1);
        };
        if !seats(scenario).iter().any(|s| s == seat) {
            anyhow::bail!(
                "{}:{}: `{seat}` is not a seat of this scenario",
                path.display(),
                n + 1
            );
        }
        let code = JoinCode::parse(code).with_context(|| {
            format!("{}:{}: `{code}` is not a join code", path.display(), n + 1)
        })?;
        if code.is_weak() {
            anyhow::bail!(
                "{}:{}: the code for `{seat}` could be guessed (every digit the same); delete the line to get a fresh one",
                path.display(),
                n + 1
            );
        }
        if let Some((other, _)) = found.iter().find(|(_, c)| **c == code) {
            anyhow::bail!(
                "{}:{}: `{seat}` has the same code as `{other}`: whoever holds it could take either seat; delete one line to get a fresh code",
                path.display(),
                n + 1
            );
        }
        if found.insert(seat.to_owned(), code).is_some() {
            anyhow::bail!(
                "{}:{}: `{seat}` has a second code; keep one line per seat",
                path.display(),
                n + 1
            );
        }
    }
    seats(scenario)
        .into_iter()
        .map(|seat| {
            if let Some(code) = found.remove(&seat) {
                return Ok((seat, code));
            }
            eprintln!(
                "{}: warning: no code for seat `{seat}`; a new one is made",
                path.display()
            );
            Ok((seat, JoinCode::generate().context("no random source")?))
        })
        .collect()
}

/// Writes the codes where only this user can read them: they are the keys to the seats.
pub fn write_codes(
    path: &Path,
    scenario: &Scenario,
    codes: &[(String, JoinCode)],
) -> std::io::Result<()> {
    let mut text = format!(
        "# TLP:RED. Join codes for \"{}\". Whoever holds a code plays that seat:\n\
         # hand each one only to its participant. `tabletop host --codes {CODES_FILE}` reuses them.\n",
        scenario.file.title
    );
    for (seat, code) in codes {
        let _ = writeln!(text, "{seat} {code} {}", seat_name(scenario, seat));
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)?.write_all(text.as_bytes())
}

/// The exercise's codes: those already in `folder` (a resumed or restarted exercise), else fresh ones,
/// written there for the next time.
pub fn codes_for_folder(
    folder: &Path,
    scenario: &Scenario,
) -> anyhow::Result<Vec<(String, JoinCode)>> {
    let path = folder.join(CODES_FILE);
    if path.is_file() {
        return read_codes(&path, scenario);
    }
    let codes = fresh_codes(scenario)?;
    write_codes(&path, scenario, &codes)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(codes)
}
