// Hand-written from docs/ui-contract.md until ts-rs generates this file. Do not edit once generated.
import type { RecordStatus } from "./RecordStatus";

export type Customer = { id: number; code: string; name: string; phone: string; email: string; province: string; city: string; address: string; tags: Array<string>; status: RecordStatus; notes: string; created_at: string; updated_at: string };
