// Hand-written from docs/ui-contract.md until ts-rs generates this file. Do not edit once generated.
import type { Role } from "./Role";

export type UserUpdate = { display_name: string; role: Role; active: boolean; language: string; password: string | null };
