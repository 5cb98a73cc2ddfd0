// Hand-written from docs/ui-contract.md until ts-rs generates this file. Do not edit once generated.
import type { Permission } from "./Permission";
import type { Role } from "./Role";

export type Actor = { user_id: number; username: string; display_name: string; role: Role; language: string; permissions: Array<Permission> };
