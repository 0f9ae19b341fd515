// MIME header fields as Wireshark's mail and multipart dissectors read them: where a field ends
// (continuation lines included), a field unfolded and compacted, a Content-Type parameter.

/**
 * Where the header field whose value starts at `offset` ends: after its CR LF, continuation lines
 * (a CR LF followed by space or tab) included (imf_find_field_end). `last` is set when a blank
 * line (or the end of the bytes) follows. -1 when no CR LF ends it.
 */
export function findFieldEnd(b: Uint8Array, offset: number, max: number, last: { set: boolean }): number {
  let o = offset;
  while (o < max) {
    const cr = b.indexOf(0x0d, o);
    if (cr < 0 || cr >= max) break;
    o = cr + 1;
    if (o < max && b[o] === 0x0a) {
      o++;
      if (o >= max) {
        last.set = true;
        return o - 2;
      }
      const c = b[o];
      if (c === 0x0d) {
        if (o + 1 < max && b[o + 1] === 0x0a) last.set = true;
        return o;
      }
      if (c !== 0x20 && c !== 0x09) return o;
    }
  }
  return -1;
}

/**
 * A MIME header unfolded and compacted as packet-multipart.c does: folding and white space
 * around ':', ';', ',', '=' removed, other runs of white space made one space, quoted strings
 * kept as they are; it ends at the first line end not followed by white space. Also where the
 * first ':' is in the result (-1: none).
 */
export function unfoldHeader(lines: string): { text: string; colon: number } {
  let out = '';
  let sepSeen = false, lws = false, colon = -1;
  let i = 0;
  while (i < lines.length) {
    const c = lines[i]!;
    if (c === ':' || c === ';' || c === ',' || c === '=') {
      lws = false;
      if (c === ':' && colon === -1) colon = out.length;
      out += c;
      sepSeen = true;
      i++;
    } else if (c === ' ' || c === '\t') {
      lws = true;
      i++;
    } else if (c === '\n' || c === '\r') {
      lws = false;
      const n = c === '\r' && lines[i + 1] === '\n' ? 2 : 1;
      const after = lines[i + n];
      if (after === undefined) {
        i += n;
        continue;
      }
      if (after === ' ' || after === '\t') {
        lws = true;
        i += n + 1;
      } else break;
    } else if (c === '"') {
      lws = false;
      const close = quotedEnd(lines, i);
      out += lines.slice(i, close);
      i = close;
    } else {
      if (sepSeen) sepSeen = false;
      else if (lws) out += ' ';
      lws = false;
      out += c;
      i++;
    }
  }
  return { text: out, colon };
}

/** Past the quoted string that starts at `i` (a backslash quotes the next character). */
function quotedEnd(s: string, i: number): number {
  let j = i + 1;
  while (j < s.length) {
    if (s[j] === '\\') j += 2;
    else if (s[j] === '"') return j + 1;
    else j++;
  }
  return s.length;
}

/** A Content-Type parameter's value, unquoted (ws_find_media_type_parameter); null when absent. */
export function mediaTypeParameter(parameters: string, name: string): string | null {
  let p = 0;
  while (p < parameters.length) {
    while (p < parameters.length && (parameters[p] === ' ' || parameters[p] === '\t' || parameters[p] === ';')) p++;
    const eq = parameters.indexOf('=', p);
    if (eq < 0) return null;
    const key = parameters.slice(p, eq).trim().toLowerCase();
    let v = eq + 1;
    let value: string;
    if (parameters[v] === '"') {
      const close = quotedEnd(parameters, v);
      value = parameters.slice(v + 1, close - 1).replace(/\\(.)/g, '$1');
      v = close;
    } else {
      const semi = parameters.indexOf(';', v);
      const end = semi < 0 ? parameters.length : semi;
      value = parameters.slice(v, end).trim();
      v = end;
    }
    if (key === name) return value;
    p = v;
  }
  return null;
}
