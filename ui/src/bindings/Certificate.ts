// Hand-written from docs/ui-contract.md until ts-rs generates this file. Do not edit once generated.
export type Certificate = { id: number | null; kind: string; number: string; expires_on: string | null };
