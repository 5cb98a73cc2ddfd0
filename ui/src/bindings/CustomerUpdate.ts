// Hand-written from docs/ui-contract.md until ts-rs generates this file. Do not edit once generated.
import type { CustomerInput } from "./CustomerInput";

export type CustomerUpdate = { id: number; data: CustomerInput };
