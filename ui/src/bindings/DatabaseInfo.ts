// Hand-written from docs/ui-contract.md until ts-rs generates this file. Do not edit once generated.
export type DatabaseInfo = { url: string; kind: "sqlite" | "postgres"; configured_url: string | null; data_dir: string };
