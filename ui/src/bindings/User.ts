// Hand-written from docs/ui-contract.md until ts-rs generates this file. Do not edit once generated.
import type { Role } from "./Role";

export type User = { id: number; username: string; display_name: string; role: Role; active: boolean; language: string; created_at: string; last_login_at: string | null };
