// Hand-written from docs/ui-contract.md until ts-rs generates this file. Do not edit once generated.
import type { RecordStatus } from "./RecordStatus";

export type Warehouse = { id: number; code: string; name: string; address: string; manager: string; status: RecordStatus; location_count: number; created_at: string; updated_at: string };
