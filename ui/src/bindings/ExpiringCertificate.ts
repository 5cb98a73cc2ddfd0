// Hand-written from docs/ui-contract.md until ts-rs generates this file. Do not edit once generated.
export type ExpiringCertificate = { supplier_id: number; supplier_code: string; supplier_name: string; kind: string; number: string; expires_on: string; days_left: number };
