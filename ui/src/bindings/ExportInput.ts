// Hand-written from docs/ui-contract.md until ts-rs generates this file. Do not edit once generated.
import type { ListKind } from "./ListKind";
import type { ListQuery } from "./ListQuery";

export type ExportInput = { list: ListKind; query: ListQuery; language: string };
