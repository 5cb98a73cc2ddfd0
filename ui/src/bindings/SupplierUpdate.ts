// Hand-written from docs/ui-contract.md until ts-rs generates this file. Do not edit once generated.
import type { SupplierInput } from "./SupplierInput";

export type SupplierUpdate = { id: number; data: SupplierInput };
