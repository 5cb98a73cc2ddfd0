fn main() {
    // The configuration lives at the repository root (design card). src-tauri/tauri.conf.json is a symlink to it,
    // so that tauri-build, generate_context!() and the Tauri CLI all read the same file with paths relative to
    // src-tauri (`"frontendDist": "../ui/dist"`).
    println!("cargo:rerun-if-changed=../tauri.conf.json");
    tauri_build::build();
}
