// Hand-written from docs/ui-contract.md until ts-rs generates this file. Do not edit once generated.
export type WarehouseInput = { code: string; name: string; address: string; manager: string };
