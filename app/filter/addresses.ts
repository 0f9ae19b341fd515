// IP address literals as filters write them, shared by the display-filter check and the tcpdump
// compiler. No registry, no protocol modules: the tcpdump path (`read -f`) loads without them.

/** Dotted-quad IPv4 text -> its 32-bit value, or null. */
export function parseIPv4(s: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return null;
  let v = 0;
  for (let i = 1; i <= 4; i++) {
    const o = Number(m[i]);
    if (o > 255) return null;
    v = v * 256 + o;
  }
  return v;
}

/** IPv6 text (`::`, an embedded IPv4 tail) -> its 16 bytes, or null. */
export function parseIPv6(s: string): Uint8Array | null {
  let text = s;
  const out = new Uint8Array(16);
  // Embedded IPv4 tail.
  let tail: number[] = [];
  const v4 = /:(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const a = parseIPv4(v4[1]!);
    if (a === null) return null;
    tail = [(a >>> 16) & 0xffff, a & 0xffff];
    text = text.slice(0, v4.index + 1) + '0:0';
    if (text.endsWith('::0:0') && !/^.*::.*::/.test(text)) { /* keep */ }
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const parse = (p: string): number[] | null => {
    if (p === '') return [];
    const groups = p.split(':');
    const r: number[] = [];
    for (const g of groups) {
      if (!/^[0-9A-Fa-f]{1,4}$/.test(g)) return null;
      r.push(parseInt(g, 16));
    }
    return r;
  };
  const head = parse(halves[0]!);
  const rest = halves.length === 2 ? parse(halves[1]!) : [];
  if (!head || !rest) return null;
  let groups: number[];
  if (halves.length === 2) {
    if (head.length + rest.length > 7) return null;
    groups = [...head, ...new Array<number>(8 - head.length - rest.length).fill(0), ...rest];
  } else {
    if (head.length !== 8) return null;
    groups = head;
  }
  if (tail.length) {
    groups[6] = tail[0]!;
    groups[7] = tail[1]!;
  }
  for (let i = 0; i < 8; i++) {
    out[2 * i] = groups[i]! >> 8;
    out[2 * i + 1] = groups[i]! & 0xff;
  }
  return out;
}
