// Hand-written from docs/ui-contract.md until ts-rs generates this file. Do not edit once generated.
import type { RecordStatus } from "./RecordStatus";

export type Location = { id: number; warehouse_id: number; warehouse_code: string; code: string; zone: string; kind: "storage" | "receiving" | "shipping" | "defect"; status: RecordStatus };
