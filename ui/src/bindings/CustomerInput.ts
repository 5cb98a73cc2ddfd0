// Hand-written from docs/ui-contract.md until ts-rs generates this file. Do not edit once generated.
export type CustomerInput = { code: string; name: string; phone: string; email: string; province: string; city: string; address: string; tags: Array<string>; notes: string };
