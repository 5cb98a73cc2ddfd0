// Hand-written from docs/ui-contract.md until ts-rs generates this file. Do not edit once generated.
export type LocationInput = { warehouse_id: number; code: string; zone: string; kind: "storage" | "receiving" | "shipping" | "defect" };
