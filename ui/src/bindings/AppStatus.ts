// Hand-written from docs/ui-contract.md until ts-rs generates this file. Do not edit once generated.
import type { Actor } from "./Actor";
import type { ApiError } from "./ApiError";
import type { CompanySettings } from "./CompanySettings";

export type AppStatus = { needs_setup: boolean; user: Actor | null; db_url: string; db_kind: "sqlite" | "postgres"; data_dir: string; version: string; default_language: string; company: CompanySettings | null; startup_error: ApiError | null };
