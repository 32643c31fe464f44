//! Build script: rebuild when bundled scenarios or assets change, since they are compiled into the binary
//! (`include_dir!` cannot tell cargo about the files it reads on stable Rust).

fn main() {
    println!("cargo:rerun-if-changed=scenarios");
    println!("cargo:rerun-if-changed=assets");
    println!("cargo:rerun-if-changed=build.rs");
}
