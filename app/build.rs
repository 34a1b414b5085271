//! `load_locales!` (src/lib.rs) reads the catalogues in locales/ while the
//! crate compiles, and a macro cannot tell cargo which files it read: say
//! it here, so that a changed translation rebuilds the app.

fn main() {
    println!("cargo::rerun-if-changed=locales");
}
