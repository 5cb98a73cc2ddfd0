// Hand-written from docs/ui-contract.md until ts-rs generates this file. Do not edit once generated.
export type CompanySettings = { company_name: string; time_zone: string; currency: string };
