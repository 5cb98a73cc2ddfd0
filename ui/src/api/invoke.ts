import { invoke } from '@tauri-apps/api/core';
import type { Commands } from '../bindings/commands';
import { toApiError } from './apiError';

export type CommandName = keyof Commands;
export type CommandInput<K extends CommandName> = Commands[K]['input'];
export type CommandOutput<K extends CommandName> = Commands[K]['output'];

/**
 * Calls one Tauri command of the core with its typed input.
 * Commands that take an input receive it as `{ input }`; the others are invoked without arguments.
 * Every rejection is rethrown as an `ApiError`, so callers branch on `code` only.
 */
export async function call<K extends CommandName>(cmd: K, input: CommandInput<K>): Promise<CommandOutput<K>> {
  try {
    return await invoke<CommandOutput<K>>(cmd, input === null ? {} : { input });
  } catch (e) {
    throw toApiError(e);
  }
}
