//! The scenarios and assets shipped inside the binary, so `tabletop` runs from anywhere with no files
//! beside it. They are the same files as `scenarios/` and `assets/` in the source tree.

use include_dir::{Dir, include_dir};

static SCENARIOS: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/scenarios");
static ASSETS: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/assets");

/// One bundled scenario file.
#[derive(Debug, Clone, Copy)]
pub struct Bundled {
    /// File name, e.g. `tutorial.ron`.
    pub name: &'static str,
    pub text: &'static str,
}

/// Every bundled scenario, sorted by file name.
#[must_use]
pub fn all() -> Vec<Bundled> {
    let mut out: Vec<Bundled> = SCENARIOS
        .files()
        .filter(|f| f.path().extension().is_some_and(|e| e == "ron"))
        .filter_map(|f| {
            Some(Bundled {
                name: f.path().file_name()?.to_str()?,
                text: f.contents_utf8()?,
            })
        })
        .collect();
    out.sort_by_key(|b| b.name);
    out
}

/// A bundled scenario by file name, with or without `.ron`.
#[must_use]
pub fn get(name: &str) -> Option<Bundled> {
    all()
        .into_iter()
        .find(|b| b.name == name || b.name.strip_suffix(".ron") == Some(name))
}

/// A bundled asset by its path under `assets/`.
#[must_use]
pub fn asset(name: &str) -> Option<&'static [u8]> {
    ASSETS.get_file(name).map(include_dir::File::contents)
}
