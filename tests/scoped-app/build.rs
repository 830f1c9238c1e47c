//! tauri-build: the context and the capability in `capabilities/`.

fn main() {
    tauri_build::build();
}
