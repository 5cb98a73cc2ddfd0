// Hand-written from docs/ui-contract.md until ts-rs generates this file. Do not edit once generated.
export type DemoSummary = { products: number; suppliers: number; warehouses: number; locations: number; customers: number; users: number; user_password: string };
