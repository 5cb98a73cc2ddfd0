import { describe, expect, it } from 'vitest';
import { NAMESPACES, resources } from './resources';

type Tree = { [k: string]: string | Tree };

/** Flattened keys, with i18next plural suffixes folded into the base key. */
function keys(tree: Tree, prefix = ''): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix + k.replace(/_(zero|one|two|few|many|other)$/, '');
    if (typeof v === 'string') {
      out.set(key, [...(out.get(key) ?? []), v]);
    } else {
      for (const [kk, vv] of keys(v, `${key}.`)) out.set(kk, vv);
    }
  }
  return out;
}

const variables = (texts: string[]) => new Set(texts.flatMap((t) => [...t.matchAll(/{{\s*(\w+)\s*}}/g)].map((m) => m[1])));

describe('translations', () => {
  for (const ns of NAMESPACES) {
    it(`${ns}: Chinese and English have the same keys and the same placeholders`, () => {
      const zh = keys(resources['zh-CN'][ns] as Tree);
      const en = keys(resources.en[ns] as Tree);
      expect([...en.keys()].sort()).toEqual([...zh.keys()].sort());
      for (const [key, zhTexts] of zh) {
        const enVars = variables(en.get(key) ?? []);
        // `count` may be implicit in a plural form; everything else must match.
        for (const v of variables(zhTexts)) if (v !== 'count') expect(enVars, `${ns}:${key} {{${v}}}`).toContain(v);
        for (const v of enVars) if (v !== 'count') expect(variables(zhTexts), `${ns}:${key} {{${v}}}`).toContain(v);
        for (const text of [...zhTexts, ...(en.get(key) ?? [])]) expect(text.trim(), `${ns}:${key}`).not.toBe('');
      }
    });
  }
});
