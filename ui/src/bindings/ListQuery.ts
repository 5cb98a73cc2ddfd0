// Hand-written from docs/ui-contract.md until ts-rs generates this file. Do not edit once generated.
export type ListQuery = { search: string | null; status: string | null; category: string | null; brand: string | null; tag: string | null; qualification: string | null; warehouse_id: number | null; sort: string | null; desc: boolean; page: number; page_size: number };
