// Hand-written from docs/ui-contract.md until ts-rs generates this file. Do not edit once generated.
import type { ProductInput } from "./ProductInput";

export type ProductUpdate = { id: number; data: ProductInput };
