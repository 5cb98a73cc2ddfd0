// Hand-written from docs/ui-contract.md until ts-rs generates this file. Do not edit once generated.
import type { FieldError } from "./FieldError";

export type ApiError = { code: string; message: string; field: string | null; file: string | null; sheet: string | null; row: number | null; column: string | null; params: Record<string, string>; details: Array<FieldError> };
