// Hand-written from docs/ui-contract.md until ts-rs generates this file. Do not edit once generated.
export type Page<T> = { items: Array<T>; total: number; page: number; page_size: number };
