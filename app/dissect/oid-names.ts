// The names OIDs are shown with, as Wireshark's one oid table gives them (oid_resolved): every
// protocol with ASN.1 syntaxes registers the names of its OIDs here, and any of them names an
// OID it meets by the whole table, as tshark does (an OCSP response's signature algorithm by
// x509's name, a certificate's by the same). SNMP keeps its own: tshark loads no MIB there.

const names = new Map<string, string>();

/** Adds `table` (dotted OID -> name) to the names. */
export function registerOidNames(table: Readonly<Record<string, string>>): void {
  for (const [oid, name] of Object.entries(table)) names.set(oid, name);
}

/**
 * An OID's name: its own, else the name of its longest named prefix and the remaining arcs
 * ("iso.3.6.1.4.1.6449.1.2.1.3.4", "ISO assigned OIDs, USA.113549.1.1.99").
 */
export function oidName(oid: string): string {
  for (let cut = oid.length; cut > 0; cut = oid.lastIndexOf('.', cut - 1)) {
    const name = names.get(oid.slice(0, cut));
    if (name !== undefined) return name + oid.slice(cut);
  }
  return oid;
}
