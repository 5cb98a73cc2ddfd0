// Hand-written from docs/ui-contract.md until ts-rs generates this file. Do not edit once generated.
import type { LocationInput } from "./LocationInput";

export type LocationUpdate = { id: number; data: LocationInput };
