//! Reading the values planners type into MSEL cells: scenario times, delivery channels, TLP labels, and
//! turning names into scenario ids.
//!
//! Each parser accepts the spellings spreadsheets actually hold (`E-mail`, `TLP:AMBER+STRICT`, `1h30`,
//! `01:30:00` from a time-formatted cell) and, when it cannot, says what to write instead.

use crate::domain::{Channel, Tlp};
use crate::scenario::time::{Minutes, parse_duration};

/// When an inject goes out, as an MSEL's "Scenario time" cell says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Timing {
    /// `T+HH:MM` and the other spellings of a moment.
    At(Minutes),
    /// `when: CONDITION (+DELAY)`: the scenario's own condition language, kept as written.
    When {
        condition: String,
        delay: Option<Minutes>,
    },
    /// `manual`: the facilitator fires it.
    Manual,
}

/// What a "Scenario time" cell may hold, for error messages.
pub const TIME_HELP: &str = "write T+HH:MM (T+01:30), HH:MM, 90m or 1h30; `manual` for an inject the facilitator fires; or `when: CONDITION (+DELAY)`";

/// Reads a "Scenario time" cell.
pub fn timing(cell: &str) -> Result<Timing, String> {
    let text = cell.trim();
    if text.is_empty() {
        return Err(format!("no scenario time; {TIME_HELP}"));
    }
    let lower = text.to_lowercase();
    if matches!(
        lower.as_str(),
        "manual" | "manually" | "on demand" | "on-demand" | "as needed" | "as required"
    ) {
        return Ok(Timing::Manual);
    }
    if text
        .get(..4)
        .is_some_and(|w| w.eq_ignore_ascii_case("when"))
        && let Some(rest) = text[4..].trim_start().strip_prefix(':')
    {
        return condition(rest);
    }
    offset(text).map(Timing::At)
}

/// `CONDITION` or `CONDITION (+DELAY)`.
fn condition(text: &str) -> Result<Timing, String> {
    let text = text.trim();
    let (condition, delay) = match text.rfind("(+") {
        Some(at) if text.ends_with(')') => {
            let delay = &text[at + 2..text.len() - 1];
            let minutes = duration(delay).map_err(|_| {
                format!(
                    "`{}` is not a delay: write it as `(+30m)` or `(+1h30m)` after the condition",
                    delay.trim()
                )
            })?;
            (text[..at].trim(), Some(minutes))
        }
        _ => (text, None),
    };
    if condition.is_empty() {
        return Err(
            "`when:` needs a condition, e.g. `when: delivered(inj_first_alert) (+30m)`".into(),
        );
    }
    Ok(Timing::When {
        condition: condition.split_whitespace().collect::<Vec<_>>().join(" "),
        delay,
    })
}

/// A moment counted from the start: `T+01:30`, `T+1:30:00`, `01:30`, `1:30:00`, `90m`, `1h30`, `1h30m`,
/// `2d`.
pub fn offset(text: &str) -> Result<Minutes, String> {
    let text = text.trim();
    let bad = || format!("\"{text}\" is not a scenario time; {TIME_HELP}");
    if text.starts_with("T-") || text.starts_with("t-") || text.starts_with('-') {
        return Err(format!(
            "\"{text}\" is before the exercise starts; times count from T+00:00"
        ));
    }
    let rest = text
        .strip_prefix("T+")
        .or_else(|| text.strip_prefix("t+"))
        .unwrap_or(text)
        .trim();
    if rest.contains(':') {
        return clock(rest).ok_or_else(bad);
    }
    duration(rest).map_err(|e| {
        if rest.chars().all(|c| c.is_ascii_digit()) {
            format!("\"{text}\" has no unit; write {rest}m for minutes, or T+HH:MM")
        } else if e.is_empty() {
            bad()
        } else {
            format!("\"{text}\" is not a scenario time ({e}); {TIME_HELP}")
        }
    })
}

/// `H:MM` or `H:MM:SS` (a spreadsheet's time cell) with hours past 24 allowed; seconds must be `00`.
fn clock(text: &str) -> Option<Minutes> {
    let mut parts = text.split(':');
    let hours: Minutes = number(parts.next()?)?;
    let minutes_part = parts.next()?;
    let minutes: Minutes = number(minutes_part).filter(|m| *m < 60 && minutes_part.len() == 2)?;
    if let Some(seconds) = parts.next() {
        // A spreadsheet time cell: `01:30:00` (or `01:30:00.000`).
        let whole = seconds.split('.').next()?;
        if number::<u32>(whole)? != 0 || whole.len() != 2 {
            return None;
        }
    }
    if parts.next().is_some() {
        return None;
    }
    hours.checked_mul(60)?.checked_add(minutes)
}

fn number<T: std::str::FromStr>(digits: &str) -> Option<T> {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// A duration: the scenario format's (`90m`, `1h30m`, `2d`) plus the spreadsheet habit `1h30`.
/// An empty error message means "not a duration at all".
fn duration(text: &str) -> Result<Minutes, String> {
    let text = text.trim();
    if let Some((h, m)) = text.split_once(['h', 'H'])
        && let (Some(h), Some(m)) = (number::<Minutes>(h.trim()), number::<Minutes>(m.trim()))
        && m < 60
    {
        return h
            .checked_mul(60)
            .and_then(|h| h.checked_add(m))
            .ok_or_else(|| format!("`{text}` is too far"));
    }
    if text.is_empty() || !text.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(String::new());
    }
    parse_duration(text)
}

/// The name a planner writes in RON (`channel: VideoCall`), which is also what the export writes.
#[must_use]
pub fn channel_name(channel: Channel) -> String {
    format!("{channel:?}")
}

/// Reads a "Delivery channel" cell: the RON name (`VideoCall`), its label (`Video call`) or a common
/// spreadsheet word (`E-mail`, `phone`, `VTC`, `press`, `Twitter`...).
pub fn channel(cell: &str) -> Result<Channel, String> {
    let key = key(cell);
    if let Some(c) = Channel::ALL
        .iter()
        .copied()
        .find(|c| key == self::key(&channel_name(*c)) || key == self::key(c.label()))
    {
        return Ok(c);
    }
    let found = match key.as_str() {
        "mail" | "emails" | "electronicmail" | "emailmessage" | "letter" => Channel::Email,
        "telephone" | "phonecall" | "call" | "tel" | "telephonecall" | "mobile" | "sms"
        | "textmessage" => Channel::Phone,
        "video" | "videoconference" | "videoconferencing" | "vtc" | "teams" | "webex" | "zoom"
        | "videocon" => Channel::VideoCall,
        "inperson" | "facetoface" | "meetings" | "conferencecall" => Channel::Meeting,
        "press" | "media" | "tv" | "radio" | "newspaper" | "newsreport" | "newsarticle"
        | "pressrelease" | "broadcast" | "newsbroadcast" | "mediareport" => Channel::News,
        "social" | "twitter" | "x" | "facebook" | "mastodon" | "linkedin" | "socialnetwork"
        | "socialmediapost" | "tweet" => Channel::SocialMedia,
        "intelligence" | "intel" | "intelbrief" | "intelligencereport" | "intelligencebriefing" => {
            Channel::IntelligenceBrief
        }
        "ipcr" | "ipcrwebplatform" | "ipcrwebsite" => Channel::IpcrPlatform,
        "csirts" | "csirtnetwork" | "cnw" | "csirtsnetworkchannels" => Channel::CsirtsNetwork,
        "cyclone" | "cyclonenetwork" | "eucyclonenetwork" => Channel::CycloneNetwork,
        "portal" | "reporting" | "ticket" | "incidentreport" | "nis2portal" | "reportingtool" => {
            Channel::ReportingPortal
        }
        "" => {
            return Err(format!(
                "no delivery channel; use one of {}",
                channel_names()
            ));
        }
        _ => {
            let names: Vec<String> = Channel::ALL.iter().map(|c| channel_name(*c)).collect();
            let labels: Vec<&str> = Channel::ALL.iter().map(|c| c.label()).collect();
            let hint = crate::scenario::suggest(
                cell.trim(),
                names
                    .iter()
                    .map(String::as_str)
                    .chain(labels.iter().copied()),
            )
            .map(|s| format!(" (did you mean {s}?)"))
            .unwrap_or_default();
            return Err(format!(
                "\"{}\" is not a channel{hint}; use one of {}",
                cell.trim(),
                channel_names()
            ));
        }
    };
    Ok(found)
}

fn channel_names() -> String {
    let names: Vec<String> = Channel::ALL.iter().map(|c| channel_name(*c)).collect();
    format!(
        "{} (their labels such as \"E-mail\" or \"Video call\" work too)",
        names.join(", ")
    )
}

/// The RON name of a TLP label (`AmberStrict`), which is what the export writes.
#[must_use]
pub fn tlp_name(tlp: Tlp) -> String {
    format!("{tlp:?}")
}

/// Reads a "TLP" cell: `Amber`, `AmberStrict`, `TLP:AMBER+STRICT`, `amber+strict`, `Amber Strict`,
/// `TLP_RED`; `WHITE` (TLP 1.0) is `Clear`. An empty cell is the format's default, `Green`.
pub fn tlp(cell: &str) -> Result<Tlp, String> {
    let key = key(cell).to_uppercase();
    let key = key.strip_prefix("TLP").unwrap_or(&key);
    match key {
        "RED" => Ok(Tlp::Red),
        "AMBERSTRICT" => Ok(Tlp::AmberStrict),
        "AMBER" => Ok(Tlp::Amber),
        "" | "GREEN" => Ok(Tlp::Green),
        "CLEAR" | "WHITE" => Ok(Tlp::Clear),
        _ => Err(format!(
            "\"{}\" is not a TLP label; use one of Red, AmberStrict, Amber, Green, Clear (TLP:AMBER+STRICT and the like work too)",
            cell.trim()
        )),
    }
}

/// Lowercase letters and digits only (`#` kept): how headers and channel words are compared.
#[must_use]
pub fn key(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric() || *c == '#')
        .flat_map(char::to_lowercase)
        .collect()
}

/// `[a-z][a-z0-9_]*`, the scenario format's id.
#[must_use]
pub fn is_id(text: &str) -> bool {
    let mut bytes = text.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_lowercase())
        && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// An id made from a name: `CERT-Bund (BSI)` → `cert_bund_bsi`, `Žemaitija Distribution AB` →
/// `zemaitija_distribution_ab`, `Εθνική Αρχή` → `ethniki_archi`. At most about `max` characters, cut
/// at a word; `prefix` goes before one that would start with a digit. Empty when nothing is left.
#[must_use]
pub fn slug(name: &str, max: usize, prefix: &str) -> String {
    let mut ascii = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            ascii.push(c);
        } else if let Some(t) = transliterate(c) {
            ascii.push_str(t);
        } else {
            ascii.push('_');
        }
    }
    let all: Vec<&str> = ascii.split('_').filter(|w| !w.is_empty()).collect();
    let content: Vec<&str> = all
        .iter()
        .copied()
        .filter(|w| !STOPWORDS.contains(w))
        .collect();
    let mut words = if content.is_empty() { all } else { content }.into_iter();
    let mut out = String::new();
    if let Some(first) = words.next() {
        out.push_str(first);
    }
    for w in words {
        if out.len() + 1 + w.len() > max {
            break;
        }
        out.push('_');
        out.push_str(w);
    }
    out.truncate(max.max(1));
    let out = out.trim_end_matches('_').to_owned();
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        format!("{prefix}{out}")
    } else {
        out
    }
}

/// Words left out of ids made from names: `Federal Ministry of the Interior` → `federal_ministry_interior`.
const STOPWORDS: [&str; 12] = [
    "a", "an", "and", "at", "for", "in", "of", "on", "the", "to", "with", "s",
];

/// Latin letters with diacritics, Greek (ELOT 743, simplified) and Cyrillic (Bulgarian and its
/// neighbours) to plain ASCII: each entry is the lowercase letters and what they become.
const TRANSLITERATION: &[(&str, &str)] = &[
    ("àáâãäåāăąαάаъ", "a"),
    ("æ", "ae"),
    ("βв", "v"),
    ("б", "b"),
    ("çćčĉċ", "c"),
    ("χч", "ch"),
    ("ďđðδд", "d"),
    ("èéêëēėęěεέеёэє", "e"),
    ("φф", "f"),
    ("ğġģγгґ", "g"),
    ("ħх", "h"),
    ("ìíîïīįıηήιίϊΐиіїы", "i"),
    ("ķκк", "k"),
    ("ĺļľłλл", "l"),
    ("μм", "m"),
    ("ñńņňνн", "n"),
    ("òóôõöøōőοόωώо", "o"),
    ("œ", "oe"),
    ("πп", "p"),
    ("ψ", "ps"),
    ("ŕřρр", "r"),
    ("śšşșσςс", "s"),
    ("ß", "ss"),
    ("ш", "sh"),
    ("щ", "sht"),
    ("ťţțτт", "t"),
    ("þθ", "th"),
    ("ц", "ts"),
    ("ùúûüūůűųу", "u"),
    ("ξ", "x"),
    ("ýÿυύϋΰй", "y"),
    ("я", "ya"),
    ("ю", "yu"),
    ("źżžζз", "z"),
    ("ж", "zh"),
    ("ь", ""),
];

/// A lowercase letter in plain ASCII, if [`TRANSLITERATION`] knows it.
fn transliterate(c: char) -> Option<&'static str> {
    TRANSLITERATION
        .iter()
        .find(|(from, _)| from.contains(c))
        .map(|(_, to)| *to)
}

/// `90` → `1h30m`, `45` → `45m`, `120` → `2h`: the compact delay the export writes.
#[must_use]
pub fn compact_duration(minutes: Minutes) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m}m"),
        (h, 0) => format!("{h}h"),
        (h, m) => format!("{h}h{m}m"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_in_spreadsheet_spellings() {
        for (cell, minutes) in [
            ("T+01:30", 90),
            ("t+1:30", 90),
            ("T+36:00", 2160),
            ("01:30", 90),
            ("1:30:00", 90),
            ("25:05:00", 1505),
            ("90m", 90),
            ("90 min", 90),
            ("1h30", 90),
            ("1h30m", 90),
            ("1h 30m", 90),
            ("2d", 2880),
            ("T+90m", 90),
            (" T+00:00 ", 0),
        ] {
            assert_eq!(timing(cell), Ok(Timing::At(minutes)), "{cell}");
        }
        assert_eq!(timing("Manual"), Ok(Timing::Manual));
        assert_eq!(timing("on demand"), Ok(Timing::Manual));
        assert_eq!(
            timing("when: delivered(inj_a) (+30m)"),
            Ok(Timing::When {
                condition: "delivered(inj_a)".into(),
                delay: Some(30)
            })
        );
        assert_eq!(
            timing("When: csirts_case_open and time >= 6h"),
            Ok(Timing::When {
                condition: "csirts_case_open and time >= 6h".into(),
                delay: None
            })
        );
        for bad in [
            "", "90", "soon", "T+1:75", "1:30:15", "T-00:30", "when:", "1:5",
        ] {
            assert!(timing(bad).is_err(), "{bad:?} should be refused");
        }
        assert!(timing("90").unwrap_err().contains("no unit"));
    }

    #[test]
    fn channels_by_name_label_or_habit() {
        for (cell, channel) in [
            ("Email", Channel::Email),
            ("E-mail", Channel::Email),
            ("e-mail ", Channel::Email),
            ("phone", Channel::Phone),
            ("Telephone", Channel::Phone),
            ("Video call", Channel::VideoCall),
            ("VTC", Channel::VideoCall),
            ("Social media", Channel::SocialMedia),
            ("SocialMedia", Channel::SocialMedia),
            ("EU-CyCLONe", Channel::CycloneNetwork),
            ("CSIRTs Network", Channel::CsirtsNetwork),
            ("IPCR platform", Channel::IpcrPlatform),
            ("Reporting portal", Channel::ReportingPortal),
            ("press", Channel::News),
        ] {
            assert_eq!(self::channel(cell), Ok(channel), "{cell}");
        }
        let err = channel("Carrier pigeon").unwrap_err();
        assert!(
            err.starts_with("\"Carrier pigeon\" is not a channel; use one of Email, Phone"),
            "{err}"
        );
        assert!(
            channel("Emial")
                .unwrap_err()
                .contains("did you mean Email?")
        );
        assert!(channel(" ").is_err());
    }

    #[test]
    fn tlp_labels() {
        for (cell, tlp) in [
            ("TLP:AMBER+STRICT", Tlp::AmberStrict),
            ("amber+strict", Tlp::AmberStrict),
            ("Amber Strict", Tlp::AmberStrict),
            ("AmberStrict", Tlp::AmberStrict),
            ("TLP_RED", Tlp::Red),
            ("tlp: green", Tlp::Green),
            ("TLP:WHITE", Tlp::Clear),
            ("Clear", Tlp::Clear),
            ("", Tlp::Green),
        ] {
            assert_eq!(self::tlp(cell), Ok(tlp), "{cell}");
        }
        assert!(self::tlp("Orange").is_err());
    }

    #[test]
    fn ids_from_names() {
        assert_eq!(slug("CERT-Bund (BSI)", 32, "a_"), "cert_bund_bsi");
        assert_eq!(
            slug("Žemaitija Distribution AB", 32, "a_"),
            "zemaitija_distribution_ab"
        );
        assert_eq!(
            slug("Εθνική Αρχή Κυβερνοασφάλειας", 32, "a_"),
            "ethniki_archi_kyvernoasfaleias"
        );
        assert_eq!(
            slug("Министерство на вътрешните работи", 24, "a_"),
            "ministerstvo_na"
        );
        assert_eq!(slug("112 Centre", 32, "actor_"), "actor_112_centre");
        assert_eq!(
            slug(
                "Centre for Cybersecurity Belgium (CCB), NIS2 single point of contact",
                32,
                "a_"
            ),
            "centre_cybersecurity_belgium_ccb"
        );
        assert_eq!(slug("!!!", 32, "a_"), "");
        assert_eq!(
            slug("Federal Ministry of the Interior", 32, "a_"),
            "federal_ministry_interior"
        );
        assert_eq!(slug("The A-Team", 32, "a_"), "team");
        assert_eq!(slug("Of the", 32, "a_"), "of_the");
        assert!(is_id("de_csirt") && !is_id("DE_CSIRT") && !is_id("2nd") && !is_id(""));
        assert_eq!(compact_duration(90), "1h30m");
        assert_eq!(compact_duration(45), "45m");
        assert_eq!(compact_duration(120), "2h");
    }
}
