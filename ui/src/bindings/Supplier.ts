// Hand-written from docs/ui-contract.md until ts-rs generates this file. Do not edit once generated.
import type { Certificate } from "./Certificate";
import type { RecordStatus } from "./RecordStatus";

export type Supplier = { id: number; code: string; name: string; contact_name: string; phone: string; email: string; address: string; payment_terms: string; payment_days: number; qualification: "candidate" | "approved" | "suspended"; status: RecordStatus; notes: string; certificates: Array<Certificate>; next_expiry: string | null; created_at: string; updated_at: string };
