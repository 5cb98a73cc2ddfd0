// Hand-written from docs/ui-contract.md until ts-rs generates this file. Do not edit once generated.
import type { Certificate } from "./Certificate";

export type SupplierInput = { code: string; name: string; contact_name: string; phone: string; email: string; address: string; payment_terms: string; payment_days: number; qualification: "candidate" | "approved" | "suspended"; notes: string; certificates: Array<Certificate> };
