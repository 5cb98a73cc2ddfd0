// Hand-written from docs/ui-contract.md until ts-rs generates this file. Do not edit once generated.
import type { Role } from "./Role";

export type NewUser = { username: string; display_name: string; password: string; role: Role; language: string };
