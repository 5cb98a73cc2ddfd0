// Hand-written from docs/ui-contract.md until ts-rs generates this file. Do not edit once generated.
export type ProductInput = { sku: string; barcode: string | null; name: string; spec: string; unit: string; category: string; brand: string; cost: string; price: string; currency: string | null; safety_stock: number };
