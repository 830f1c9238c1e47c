//! tauri-build: generates the context, the app's own command permissions (`allow-<command>`,
//! from `src/command_list.rs`) and reads the capabilities in `src-tauri/capabilities/`.

include!("src/command_list.rs");

macro_rules! names {
    ($($command:ident),*) => {
        &[$(stringify!($command)),*]
    };
}

const COMMANDS: &[&str] = with_app_commands!(names);

fn main() {
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("./src-tauri/capabilities/**/*")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    tauri_build::try_build(attributes).expect("tauri-build failed");
}
