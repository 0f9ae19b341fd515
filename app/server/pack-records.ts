// The web transport's packing of a long list of flat records (PackedRecords in the contract):
// one column per key, each distinct string once. The renderer's unpackRecords gives back records
// equal to what JSON would have carried, so only lists that JSON carries exactly are packed:
// every record a plain object whose values are finite numbers, booleans or strings (one kind
// per key), or undefined (JSON leaves such a key out, as a missing key). Anything else goes as
// it is.
import type { PackedColumn, PackedRecords } from '../session/contract.js';

/** Shorter lists gain nothing worth a second code path on each side. */
export const PACK_MIN_RECORDS = 64;

type Kind = PackedColumn['kind'];

/** `value` packed, or null when it is not a long list of flat records. */
export function packRecords(value: unknown): PackedRecords | null {
  if (!Array.isArray(value) || value.length < PACK_MIN_RECORDS) return null;
  const count = value.length;
  const columns: Array<{ key: string; kind: Kind; values: Array<number | boolean | null> }> = [];
  const byKey = new Map<string, number>();
  const strings: string[] = [];
  const stringIds = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const r: unknown = value[i];
    if (typeof r !== 'object' || r === null || Object.getPrototypeOf(r) !== Object.prototype) return null;
    for (const key in r) {
      const v = (r as Record<string, unknown>)[key];
      if (v === undefined) continue;
      const kind = kindOf(v);
      if (kind === null) return null;
      let c = byKey.get(key);
      if (c === undefined) {
        c = columns.length;
        byKey.set(key, c);
        // Records before this one lack the key.
        columns.push({ key, kind, values: new Array<number | boolean | null>(count).fill(null) });
      }
      const col = columns[c]!;
      if (col.kind !== kind) return null;
      if (kind === 'string') {
        let id = stringIds.get(v as string);
        if (id === undefined) {
          id = strings.length;
          strings.push(v as string);
          stringIds.set(v as string, id);
        }
        col.values[i] = id;
      } else {
        col.values[i] = v as number | boolean;
      }
    }
  }
  return { count, strings, columns: columns as PackedColumn[] };
}

function kindOf(v: unknown): Kind | null {
  switch (typeof v) {
    case 'number': return Number.isFinite(v) ? 'number' : null;
    case 'boolean': return 'boolean';
    case 'string': return 'string';
    default: return null;
  }
}
