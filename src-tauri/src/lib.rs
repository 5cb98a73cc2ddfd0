//! shopdesk-app: the Tauri 2 desktop shell.
//!
//! **Architecture Invariant:** commands are thin: parse the input (serde into the boundary types of [`dto`]),
//! call the core with the logged-in [`shopdesk_core::auth::Actor`], map the result or the error
//! ([`shopdesk_core::ApiError`]). No business rule lives here; the core checks every permission itself.

pub mod bindings;
pub mod commands;
pub mod dto;
pub mod state;

use state::AppState;
use tauri::Manager;

pub fn run() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("SHOPDESK_LOG")
                .unwrap_or_else(|_| "info".into()),
        )
        .init();
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    tauri::async_runtime::set(runtime.handle().clone());
    let state = runtime.block_on(AppState::start());
    tauri::Builder::default()
        .manage(state)
        .setup(|app| {
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                // The daily automatic backup: checked at start and then every hour.
                loop {
                    let state = handle.state::<AppState>();
                    state.auto_backup().await;
                    tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
                }
            });
            Ok(())
        })
        .invoke_handler(commands::handler())
        .build(tauri::generate_context!())
        .expect("error while building Shopdesk")
        .run(|app, event| {
            if let tauri::RunEvent::Exit = event {
                // The checkpoint after a large import may still be running: it finishes before the process ends
                // (cut off, it would be harmless, but leave the write-ahead log for the next start to replay).
                let state = app.state::<AppState>();
                tauri::async_runtime::block_on(async {
                    if let Ok(desk) = state.desk().await {
                        desk.wait_for_checkpoint().await;
                    }
                });
            }
        });
}
