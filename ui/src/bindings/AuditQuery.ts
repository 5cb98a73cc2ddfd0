// Hand-written from docs/ui-contract.md until ts-rs generates this file. Do not edit once generated.
export type AuditQuery = { search: string | null; entity: string | null; action: string | null; username: string | null; entity_id: number | null; from: string | null; to: string | null; page: number; page_size: number };
