// Hand-written from docs/ui-contract.md until ts-rs generates this file. Do not edit once generated.
import type { RecordStatus } from "./RecordStatus";

export type Product = { id: number; sku: string; barcode: string | null; name: string; spec: string; unit: string; category: string; brand: string; cost: string; price: string; currency: string; safety_stock: number; status: RecordStatus; created_at: string; updated_at: string };
