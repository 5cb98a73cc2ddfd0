// Hand-written from docs/ui-contract.md until ts-rs generates this file. Do not edit once generated.
import type { WarehouseInput } from "./WarehouseInput";

export type WarehouseUpdate = { id: number; data: WarehouseInput };
