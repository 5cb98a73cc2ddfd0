// Hand-written from docs/ui-contract.md until ts-rs generates this file. Do not edit once generated.
import type { FieldChange } from "./FieldChange";

export type AuditEntry = { id: number; at: string; biz_date: string; username: string; action: string; entity: string; entity_id: number | null; entity_key: string; before: string | null; after: string | null; changes: Array<FieldChange> };
