// Hand-written from docs/ui-contract.md until ts-rs generates this file. Do not edit once generated.
export type BackupInfo = { path: string; file_name: string; size_bytes: number; created_at: string };
