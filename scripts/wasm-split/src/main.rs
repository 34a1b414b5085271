//! `newsdesk-wasm-split INPUT.wasm OUT_DIR NAME`
//!
//! Splits INPUT.wasm (linked with `-Clink-args=--emit-relocs`) at its
//! `wasm_split` points. Writes into OUT_DIR:
//! - `NAME.wasm`, the main module, for wasm-bindgen to process;
//! - one `.wasm` per chunk and the loader `__wasm_split.js` that fetches
//!   them (named as Leptos' `HydrationScripts` expects, so its
//!   modulepreload hint finds it);
//! - `__wasm_split_manifest.json`: split point -> chunks it needs, which
//!   Leptos reads to preload the chunks of the page being served.

use std::{path::Path, process::ExitCode};

/// The loader's name. Leptos names it this way in its preload hints.
const LINK_NAME: &str = "./__wasm_split.______________________.js";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, out_dir, name] = args.as_slice() else {
        eprintln!("usage: newsdesk-wasm-split INPUT.wasm OUT_DIR NAME");
        return ExitCode::from(2);
    };
    match split(Path::new(input), Path::new(out_dir), name) {
        Ok(chunks) => {
            println!("{chunks} chunks");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("wasm split failed: {error:?}");
            ExitCode::FAILURE
        }
    }
}

fn split(input: &Path, out_dir: &Path, name: &str) -> Result<usize, Box<dyn std::error::Error>> {
    let input_wasm = std::fs::read(input)?;
    let main_out_path = out_dir.join(format!("{name}.wasm"));
    // The chunks import the wasm-bindgen glue of the main module from here.
    let main_module = format!("./{name}.js");
    let split = wasm_split_cli_support::transform({
        let mut options = wasm_split_cli_support::Options::new(&input_wasm);
        options.output_dir = out_dir;
        options.main_out_path = &main_out_path;
        options.main_module = &main_module;
        options.link_name = LINK_NAME;
        options
    })?;
    let prefetch_map: std::collections::BTreeMap<_, _> = split.prefetch_map.into_iter().collect();
    std::fs::write(
        out_dir.join("__wasm_split_manifest.json"),
        serde_json::to_string_pretty(&prefetch_map)?,
    )?;
    Ok(split.split_modules.len())
}
