// The names a field's values show in the tree ("Cipher Suite: TLS_AES_128_GCM_SHA256 (0x1301)")
// against tshark's own tables, as `tshark -G values` prints them: every name SynScope has for a
// value is tshark's name for it, and the tables listed in COMPLETE have every name tshark has
// (a table that stops at what the corpus happens to contain shows "Unknown (0xccaa)" on the
// first capture of a real client that offers one more suite).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { allFields } from '../app/dissect/field.js';
import '../app/dissect/driver.js';

/** tshark's value tables by field name: one per registration of the name (some names have several). */
function tsharkValueTables(): Map<string, Array<Map<number, string>>> {
  const r = spawnSync('tshark', ['-G', 'values'], { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.error) throw new Error(`cannot run tshark: ${r.error.message}`);
  const tables = new Map<string, Array<Map<number, string>>>();
  let previous = '';
  for (const line of r.stdout.split('\n')) {
    const [kind, name, value, text] = line.split('\t');
    if (kind !== 'V' || name === undefined || value === undefined || text === undefined) {
      previous = '';
      continue;
    }
    const key = Number(value);
    let list = tables.get(name);
    if (!list) tables.set(name, (list = []));
    // A registration's entries come together; the same key again is the name's next registration.
    if (name !== previous || list.at(-1)!.has(key)) list.push(new Map());
    list.at(-1)!.set(key, text);
    previous = name;
  }
  return tables;
}

/** Fields whose tables have every value tshark names. */
const COMPLETE = [
  'tls.handshake.ciphersuite', 'tls.handshake.extensions_supported_group', 'tls.handshake.extensions_key_share_group',
  'tls.handshake.extensions_key_share_selected_group', 'tls.handshake.server_named_curve', 'tls.handshake.sig_hash_alg',
  'tls.handshake.sig_hash_hash', 'tls.handshake.extension.type', 'tls.record.version', 'tls.handshake.extensions.supported_version',
  'tls.alert_message.desc', 'tls.extension.psk_ke_mode', 'tls.handshake.comp_method',
  'tcp.option_kind', 'arp.hw.type', 'arp.proto.type', 'arp.opcode', 'dhcp.hw.type', 'icmpv6.type', 'igmp.type', 'gre.proto',
  'ip.checksum.status', 'icmp.checksum.status', 'icmpv6.checksum.status', 'igmp.checksum.status', 'tcp.checksum.status', 'udp.checksum.status',
  'eth.fcs.status', 'wlan.fcs.status', 'cdp.checksum.status', 'vrrp.checksum.status', 'icmp.ext.checksum.status',
  'wlan.fc.type_subtype', 'frame.encap_type', 'frame.p2p_dir', 'null.family', 'netlink.error', 'nflog.hook', 'icmp.int_ident.afi',
  'vrrp.auth_type', 'ocsp.version', 'pppoed.tags.access_loop_encap.encap_1', 'mariadb.charset', 'nfs.status', 'nfs.status2', 'nfs.ftype', 'pim.addr_address_family', 'syslog.facility', 'syslog.level',
];

describe('value names: the tree names a field value as tshark does', () => {
  const theirs = tsharkValueTables();
  const ours = allFields().filter((f) => f.values !== undefined && theirs.has(f.name));

  it('compares hundreds of tables', () => {
    expect(ours.length).toBeGreaterThan(300);
  });

  it('every name SynScope gives a value is tshark\'s', () => {
    const wrong: string[] = [];
    for (const f of ours) {
      const tables = theirs.get(f.name)!;
      for (const [key, name] of Object.entries(f.values!)) {
        // tshark prints a signed field's negative values as their unsigned 32-bit pattern.
        const known = tables.map((t) => t.get(Number(key) >>> 0)).filter((n) => n !== undefined);
        if (known.length > 0 && !known.includes(name)) wrong.push(`${f.name} ${key}: "${name}", tshark "${known.join('" or "')}"`);
      }
    }
    expect(wrong).toEqual([]);
  });

  for (const name of COMPLETE) {
    it(`${name} names every value tshark names`, () => {
      const f = ours.find((x) => x.name === name);
      expect(f, `${name} has a value table`).toBeDefined();
      const missing = [...theirs.get(name)!.at(-1)!].filter(([key]) => f!.values![key] === undefined && f!.values![key | 0] === undefined)
        .map(([key, text]) => `${key}: ${text}`);
      expect(missing).toEqual([]);
    });
  }
});
