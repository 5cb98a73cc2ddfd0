// Hand-written from docs/ui-contract.md until ts-rs generates this file. Do not edit once generated.
export type Role = "admin" | "purchasing" | "warehouse" | "operations" | "customer_service" | "finance" | "manager";
