// Hand-written from docs/ui-contract.md until ts-rs generates this file. Do not edit once generated.
import type { UserUpdate } from "./UserUpdate";

export type UserUpdateInput = { id: number; data: UserUpdate };
