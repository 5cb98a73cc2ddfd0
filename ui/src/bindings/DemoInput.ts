// Hand-written from docs/ui-contract.md until ts-rs generates this file. Do not edit once generated.
export type DemoInput = { seed: number | null };
