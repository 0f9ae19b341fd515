// The records a packed reply stands for (PackedRecords in the contract; the server packs long
// lists of flat records in app/server/pack-records.ts). Each record gets its keys in the order
// the columns list them, and no key where its column holds null, as JSON would have given it.
import type { PackedRecords } from '../../app/session/contract.js';

export function unpackRecords(p: PackedRecords): Array<Record<string, unknown>> {
  if (!Number.isSafeInteger(p.count) || p.count < 0 || !Array.isArray(p.columns) || !Array.isArray(p.strings)) {
    throw new Error('the server sent a packed list this page cannot read');
  }
  for (const c of p.columns) {
    if (!Array.isArray(c.values) || c.values.length !== p.count) throw new Error(`the server sent a packed column "${String(c.key)}" of the wrong length`);
    if (c.kind === 'string' && c.values.some((v) => v !== null && !(Number.isInteger(v) && v >= 0 && v < p.strings.length))) {
      throw new Error(`the server sent a packed column "${String(c.key)}" with strings it did not send`);
    }
  }
  const out = new Array<Record<string, unknown>>(p.count);
  for (let i = 0; i < p.count; i++) {
    const r: Record<string, unknown> = {};
    for (const c of p.columns) {
      const v = c.values[i];
      if (v === null || v === undefined) continue;
      r[c.key] = c.kind === 'string' ? p.strings[v as number] : v;
    }
    out[i] = r;
  }
  return out;
}
