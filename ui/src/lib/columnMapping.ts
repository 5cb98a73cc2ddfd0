import { useMemo } from 'react';
import type { ColumnRef } from '../bindings/ColumnRef';
import type { Mapping } from '../bindings/Mapping';

/** `A, D` or `单价` → column references (letters stay letters; the core also matches header texts). */
export function parseColumns(text: string): ColumnRef[] {
  return text
    .split(/[,，]/)
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => (/^[A-Z]{1,3}$/.test(s) ? { by: 'letter', value: s } : { by: 'header', value: s }));
}

/**
 * The mapping an import sends: the user's edited column texts per field (none edited: the core detects or uses
 * the saved mapping), and the header row only when the user edited the columns.
 */
export function useColumnMapping(edited: Record<string, string> | null, headerRow: number | null): Mapping {
  return useMemo(() => {
    const fields: Record<string, ColumnRef[]> = {};
    for (const [k, v] of Object.entries(edited ?? {})) {
      const cols = parseColumns(v);
      if (cols.length > 0) fields[k] = cols;
    }
    return { fields, header_row: edited ? headerRow : null };
  }, [edited, headerRow]);
}
