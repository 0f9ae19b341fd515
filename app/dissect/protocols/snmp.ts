// SNMP v1, v2c (RFC 1157, RFC 3416) and v3 with the User-based Security Model (RFC 3412,
// RFC 3414) on udp/161 and 162, as tshark 4.0 shows it without MIBs and without keys: the
// asn2wrs-generated part of packet-snmp.c (Message, PDUs, SNMPv3Message) is data for asn1.ts's
// walker; what packet-snmp.c writes by hand is here as functions: VarBind (the value labelled
// by its BER class and tag, "Value (Timeticks): 42", since no MIB says what the OID holds),
// SnmpEngineID (RFC 3411's conformance, enterprise and format), the request/response matching
// ("[Response To: 1]", "[Time: ...]") and the Info column ("get-response 1.3.6.1.2.1.1.5.0").
// BER that cannot be read ends the message with tshark's "BER Error" item and note; what was
// decoded before it stays.
import { berFields, BerWalker, DerError, intValue, oidText, readTlv, TagClass, U, uintValue, within, type Member, type Tlv } from '../asn1.js';
import { defineFields, type FieldDef } from '../field.js';
import { callProtocol, defineProtocol, isDecodeError, register, type ConversationOpener, type Protocol } from '../dispatch.js';
import { dataProtocol } from './data.js';
import { formatDisplayValue, printableText } from '../format.js';
import type { PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import { MalformedError, type Tvb } from '../tvb.js';

const VERSIONS: Record<number, string> = { 0: 'version-1', 1: 'v2c', 2: 'v2u', 3: 'snmpv3' };
/** The PDUs CHOICE: context tag = index (RFC 3416 3, RFC 1157 4.1). */
const PDU_NAMES: Record<number, string> = {
  0: 'get-request', 1: 'get-next-request', 2: 'get-response', 3: 'set-request', 4: 'trap', 5: 'getBulkRequest',
  6: 'informRequest', 7: 'snmpV2-trap', 8: 'report',
};
const ERROR_STATUS: Record<number, string> = {
  0: 'noError', 1: 'tooBig', 2: 'noSuchName', 3: 'badValue', 4: 'readOnly', 5: 'genErr', 6: 'noAccess', 7: 'wrongType',
  8: 'wrongLength', 9: 'wrongEncoding', 10: 'wrongValue', 11: 'noCreation', 12: 'inconsistentValue', 13: 'resourceUnavailable',
  14: 'commitFailed', 15: 'undoFailed', 16: 'authorizationError', 17: 'notWritable', 18: 'inconsistentName',
};
const GENERIC_TRAPS: Record<number, string> = {
  0: 'coldStart', 1: 'warmStart', 2: 'linkDown', 3: 'linkUp', 4: 'authenticationFailure', 5: 'egpNeighborLoss', 6: 'enterpriseSpecific',
};
const SECURITY_MODELS: Record<number, string> = { 0: 'Any', 1: 'V1', 2: 'V2C', 3: 'USM' };
const ENGINE_ID_FORMATS: Record<number, string> = {
  1: 'IPv4 address', 2: 'IPv6 address', 3: 'MAC address', 4: 'Text, administratively assigned', 5: 'Octets, administratively assigned',
};
/** The IANA enterprise numbers tshark names in an engine ID (its enterprises.tsv), the ones SNMP agents use most. */
const ENTERPRISES: Record<number, string> = {
  2: 'IBM (https://w3.ibm.com/standards )', 9: 'ciscoSystems', 11: 'Hewlett-Packard', 311: 'Microsoft', 2021: 'U.C. Davis, ECE Dept. Tom', 2636: 'Juniper Networks, Inc.', 8072: 'net-snmp',
};

export const snmpFields = defineFields([
  { name: 'snmp.response_in', label: 'Response In', type: 'framenum', description: 'The response to this SNMP request is in this frame' },
  { name: 'snmp.response_to', label: 'Response To', type: 'framenum', description: 'This is a response to the SNMP request in this frame' },
  { name: 'snmp.time', label: 'Time', type: 'reltime', description: 'The time between the Request and the Response' },
  { name: 'snmp.v3.flags.auth', label: 'Authenticated', type: 'boolean', mask: 0x01, tf: ['Set', 'Not set'] },
  { name: 'snmp.v3.flags.crypt', label: 'Encrypted', type: 'boolean', mask: 0x02, tf: ['Set', 'Not set'] },
  { name: 'snmp.v3.flags.report', label: 'Reportable', type: 'boolean', mask: 0x04, tf: ['Set', 'Not set'] },
  { name: 'snmp.engineid.conform', label: 'Engine ID Conformance', type: 'boolean', mask: 0x80, tf: ['RFC3411 (SNMPv3)', 'RFC1910 (Non-SNMPv3)'] },
  { name: 'snmp.engineid.enterprise', label: 'Engine Enterprise ID', type: 'uint32', base: 'dec' },
  { name: 'snmp.engineid.format', label: 'Engine ID Format', type: 'uint8', base: 'dec' },
  { name: 'snmp.engineid.ipv4', label: 'Engine ID Data: IPv4 address', type: 'ipv4' },
  { name: 'snmp.engineid.ipv6', label: 'Engine ID Data: IPv6 address', type: 'ipv6' },
  { name: 'snmp.engineid.cisco.type', label: 'Engine ID Data: Cisco type', type: 'uint8', base: 'hex', values: { 0: 'Agent', 1: 'Manager' } },
  { name: 'snmp.engineid.mac', label: 'Engine ID Data: MAC address', type: 'ether' },
  { name: 'snmp.engineid.text', label: 'Engine ID Data: Text', type: 'string' },
  { name: 'snmp.engineid.time', label: 'Engine ID Data: Creation Time', type: 'abstime', clock: 'utc' },
  { name: 'snmp.engineid.data', label: 'Engine ID Data', type: 'bytes' },
  { name: 'snmp.noSuchObject', label: 'noSuchObject', type: 'none' },
  { name: 'snmp.noSuchInstance', label: 'noSuchInstance', type: 'none' },
  { name: 'snmp.endOfMibView', label: 'endOfMibView', type: 'none' },
  { name: 'snmp.value.int', label: 'Value (Integer32)', type: 'int64', base: 'dec' },
  { name: 'snmp.value.octets', label: 'Value (OctetString)', type: 'bytes' },
  { name: 'snmp.value.oid', label: 'Value (OID)', type: 'string', description: 'An OID, as a string of its arcs' },
  { name: 'snmp.value.null', label: 'Value (Null)', type: 'none' },
  { name: 'snmp.value.ipv4', label: 'Value (IpAddress)', type: 'ipv4' },
  { name: 'snmp.value.ipv6', label: 'Value (IpAddress)', type: 'ipv6' },
  { name: 'snmp.value.addr', label: 'Value (IpAddress)', type: 'bytes' },
  { name: 'snmp.value.u32', label: 'Value (Unsigned32)', type: 'int64', base: 'dec' },
  { name: 'snmp.value.g32', label: 'Value (Gauge32)', type: 'int64', base: 'dec' },
  { name: 'snmp.value.unk', label: 'Value (Unknown)', type: 'bytes' },
  { name: 'snmp.value.counter', label: 'Value (Counter32)', type: 'uint64', base: 'dec' },
  { name: 'snmp.value.nsap', label: 'Value (NSAP)', type: 'uint64', base: 'dec' },
  { name: 'snmp.value.timeticks', label: 'Value (Timeticks)', type: 'uint64', base: 'dec' },
  { name: 'snmp.value.opaque', label: 'Value (Opaque)', type: 'bytes' },
  { name: 'snmp.name', label: 'Object Name', type: 'string', description: 'An OID, as a string of its arcs' },
  { name: 'snmp.var-bind_str', label: 'Variable-binding-string', type: 'string' },
  { name: 'snmp.agentid_trailer', label: 'AgentID Trailer', type: 'bytes' },
  { name: 'snmp.version', label: 'version', type: 'int32', base: 'dec', values: VERSIONS },
  { name: 'snmp.community', label: 'community', type: 'string' },
  { name: 'snmp.data', label: 'data', type: 'uint32', base: 'dec', values: PDU_NAMES },
  { name: 'snmp.msgVersion', label: 'msgVersion', type: 'int32', base: 'dec', values: VERSIONS },
  { name: 'snmp.msgGlobalData_element', label: 'msgGlobalData', type: 'none' },
  { name: 'snmp.msgID', label: 'msgID', type: 'uint32', base: 'dec' },
  { name: 'snmp.msgMaxSize', label: 'msgMaxSize', type: 'uint32', base: 'dec' },
  { name: 'snmp.msgFlags', label: 'msgFlags', type: 'bytes' },
  { name: 'snmp.msgSecurityModel', label: 'msgSecurityModel', type: 'uint32', base: 'dec', values: SECURITY_MODELS },
  { name: 'snmp.msgSecurityParameters', label: 'msgSecurityParameters', type: 'bytes' },
  { name: 'snmp.msgAuthoritativeEngineID', label: 'msgAuthoritativeEngineID', type: 'bytes' },
  { name: 'snmp.msgAuthoritativeEngineBoots', label: 'msgAuthoritativeEngineBoots', type: 'uint32', base: 'dec' },
  { name: 'snmp.msgAuthoritativeEngineTime', label: 'msgAuthoritativeEngineTime', type: 'uint32', base: 'dec' },
  { name: 'snmp.msgUserName', label: 'msgUserName', type: 'string' },
  { name: 'snmp.msgAuthenticationParameters', label: 'msgAuthenticationParameters', type: 'bytes' },
  { name: 'snmp.msgPrivacyParameters', label: 'msgPrivacyParameters', type: 'bytes' },
  { name: 'snmp.msgData', label: 'msgData', type: 'uint32', base: 'dec', values: { 0: 'plaintext', 1: 'encryptedPDU' } },
  { name: 'snmp.plaintext_element', label: 'plaintext', type: 'none' },
  { name: 'snmp.encryptedPDU', label: 'encryptedPDU', type: 'bytes' },
  { name: 'snmp.contextEngineID', label: 'contextEngineID', type: 'bytes' },
  { name: 'snmp.contextName', label: 'contextName', type: 'string' },
  { name: 'snmp.get_request_element', label: 'get-request', type: 'none' },
  { name: 'snmp.get_next_request_element', label: 'get-next-request', type: 'none' },
  { name: 'snmp.get_response_element', label: 'get-response', type: 'none' },
  { name: 'snmp.set_request_element', label: 'set-request', type: 'none' },
  { name: 'snmp.trap_element', label: 'trap', type: 'none' },
  { name: 'snmp.getBulkRequest_element', label: 'getBulkRequest', type: 'none' },
  { name: 'snmp.informRequest_element', label: 'informRequest', type: 'none' },
  { name: 'snmp.snmpV2_trap_element', label: 'snmpV2-trap', type: 'none' },
  { name: 'snmp.report_element', label: 'report', type: 'none' },
  { name: 'snmp.request_id', label: 'request-id', type: 'int32', base: 'dec' },
  { name: 'snmp.error_status', label: 'error-status', type: 'int32', base: 'dec', values: ERROR_STATUS },
  { name: 'snmp.error_index', label: 'error-index', type: 'int32', base: 'dec' },
  { name: 'snmp.variable_bindings', label: 'variable-bindings', type: 'uint32', base: 'dec' },
  { name: 'snmp.non_repeaters', label: 'non-repeaters', type: 'uint32', base: 'dec' },
  { name: 'snmp.max_repetitions', label: 'max-repetitions', type: 'uint32', base: 'dec' },
  { name: 'snmp.enterprise', label: 'enterprise', type: 'string', description: 'An OID, as a string of its arcs' },
  { name: 'snmp.agent_addr', label: 'agent-addr', type: 'ipv4' },
  { name: 'snmp.generic_trap', label: 'generic-trap', type: 'int32', base: 'dec', values: GENERIC_TRAPS },
  { name: 'snmp.specific_trap', label: 'specific-trap', type: 'int32', base: 'dec' },
  { name: 'snmp.time_stamp', label: 'time-stamp', type: 'uint32', base: 'dec' },
  { name: 'snmp.VarBind_element', label: 'VarBind', type: 'none' },
] as const);

const F = snmpFields;

/** The element item of each PDU, by the CHOICE's tag. */
const PDU_ELEMENTS: readonly FieldDef[] = [
  F['snmp.get_request_element'], F['snmp.get_next_request_element'], F['snmp.get_response_element'], F['snmp.set_request_element'],
  F['snmp.trap_element'], F['snmp.getBulkRequest_element'], F['snmp.informRequest_element'], F['snmp.snmpV2_trap_element'],
  F['snmp.report_element'],
];

/**
 * An OID's name as tshark resolves it with no MIB loaded: only the top arcs are named
 * ("iso.3.6.1.2.1.1.1.0").
 */
function oidName(oid: string): string {
  const dot = oid.indexOf('.');
  const first = dot < 0 ? oid : oid.slice(0, dot);
  const name = ({ 0: 'itu-t', 1: 'iso', 2: 'joint-iso-itu-t' } as Record<string, string>)[first];
  return name ? name + (dot < 0 ? '' : oid.slice(dot)) : oid;
}

/** Shows an OID value: "label: 1.3.6.1 (iso.3.6.1)". */
function addOid(w: BerWalker, parent: FieldNode, f: FieldDef, tlv: Tlv): string {
  const oid = oidText(w.tvb.slice(tlv.value, tlv.length));
  w.add(parent, f, tlv.value, tlv.length, oid, () => `${f.label}: ${oid} (${oidName(oid)})`);
  return oid;
}

/** An OCTET STRING shown as bytes; tshark writes "<MISSING>" for an empty one. */
function addBytes(w: BerWalker, parent: FieldNode, f: FieldDef, tlv: Tlv): FieldNode {
  const b = w.tvb.slice(tlv.value, tlv.length);
  return w.add(parent, f, tlv.value, tlv.length, b, b.length ? undefined : `${f.label}: <MISSING>`);
}

// ---- Per-message state the hand-written parts share (packet-snmp.c's globals) ----

class SnmpWalker extends BerWalker {
  requestId = 0;
  securityModel = 0;
  /** The OIDs of the variable bindings, for the Info column. */
  readonly infoOids: string[] = [];
  /** Values handed to a dissector by their OID ("Variable-binding-string"), called after the message. */
  readonly pending: Array<() => void> = [];
}

// ---- VarBind (packet-snmp.c dissect_snmp_VarBind, without MIBs) ----

/** A value's field; `label` where tshark gives two hfs one abbreviation (Counter64's is snmp.value.counter too). */
interface ValueKind { field: FieldDef; int?: 'signed' | 'unsigned'; label?: string }
const UNIVERSAL_VALUES: Record<number, ValueKind> = {
  [U.INTEGER]: { field: F['snmp.value.int'], int: 'signed' },
  [U.OCTET_STRING]: { field: F['snmp.value.octets'] },
  [U.OID]: { field: F['snmp.value.oid'] },
  [U.NULL]: { field: F['snmp.value.null'] },
};
/** Application-wide types (RFC 2578 7.1): Counter32, Gauge32/Unsigned32, TimeTicks, Opaque, NsapAddress, Counter64, UInteger32. */
const APPLICATION_VALUES: Record<number, ValueKind> = {
  1: { field: F['snmp.value.counter'], int: 'unsigned' }, 2: { field: F['snmp.value.g32'], int: 'signed' },
  3: { field: F['snmp.value.timeticks'], int: 'unsigned' }, 4: { field: F['snmp.value.opaque'] },
  5: { field: F['snmp.value.nsap'], int: 'unsigned' }, 6: { field: F['snmp.value.counter'], int: 'unsigned', label: 'Value (Counter64)' },
  7: { field: F['snmp.value.u32'], int: 'signed' },
};
const EXCEPTIONS: Record<number, FieldDef> = { 0: F['snmp.noSuchObject'], 1: F['snmp.noSuchInstance'], 2: F['snmp.endOfMibView'] };
/** OIDs whose string value tshark shows again as text (packet-snmp.c registers sysDescr.0 and sysName.0). */
const STRING_OIDS = new Set(['1.3.6.1.2.1.1.1.0', '1.3.6.1.2.1.1.5.0']);

/** An integer of up to 8 octets, as proto_tree_add_item reads it into an FT_INT64/FT_UINT64. */
function bigValue(b: Uint8Array, signed: boolean): number | bigint {
  let v = 0n;
  for (const c of b) v = (v << 8n) | BigInt(c);
  if (signed && b.length && b[0]! & 0x80) v -= 1n << BigInt(8 * b.length);
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

function showVarBind(w: BerWalker, tlv: Tlv, parent: FieldNode): void {
  const sw = w as SnmpWalker;
  const { tvb, ctx } = w;
  // A text item, as tshark's (its snmp.VarBind_element field is registered, never added).
  const node = ctx.addText(parent, tvb, tlv.value, tlv.length, F['snmp.VarBind_element'].label);
  within(node, () => {
    const name = readTlv(tvb, tlv.value, tlv.end);
    if (name.cls !== TagClass.Universal || name.tag !== U.OID || name.constructed) throw new DerError('ObjectName must be an OID in primitive encoding', tvb.abs(name.start));
    const oid = addOid(w, node, F['snmp.name'], name);
    const v = readPastContainer(tvb, name.end);
    if (v.end > tlv.end) throw new DerError(`BER Error: length of item (${v.length}) is not valid`, tvb.abs(v.start), true);
    if (v.constructed) throw new DerError('the value must be in primitive encoding', tvb.abs(v.start));
    const bytes = tvb.slice(v.value, v.length);
    let valueNode: FieldNode;
    let label: string;
    if (v.cls === TagClass.Context) {
      const f = EXCEPTIONS[v.tag];
      if (!f) throw new DerError(`Wrong tag for Error Value: expected 0, 1, or 2 but got: ${v.tag}`, tvb.abs(v.start));
      valueNode = w.add(node, f, v.value, v.length, null);
      // ei_snmp_varbind_response: tshark notes the exception under its own name.
      ctx.addExpert(valueNode, 'note', 'response', f.label);
      label = f.label;
    } else {
      const kind = v.cls === TagClass.Universal ? UNIVERSAL_VALUES[v.tag] : v.cls === TagClass.Application ? APPLICATION_VALUES[v.tag] : undefined;
      let f = kind?.field ?? F['snmp.value.unk'];
      if (v.cls === TagClass.Application && v.tag === 0) f = v.length === 4 ? F['snmp.value.ipv4'] : v.length === 16 ? F['snmp.value.ipv6'] : F['snmp.value.addr'];
      if (f === F['snmp.value.int'] && (v.length < 1 || v.length > 4) && v.length <= 8) {
        // tshark shows the value all the same, notes the missing MIB, and reads the TLV again below "Wrong value length".
        const value = bigValue(bytes, true);
        valueNode = w.add(node, f, v.value, v.length, value);
        ctx.addExpert(valueNode, 'note', 'undecoded', 'Unresolved value, Missing MIB');
        const wrong = ctx.addText(valueNode, tvb, v.value, 0, `Wrong value length: ${v.length}  expecting: 1 <= len <= 4`);
        ctx.addExpert(wrong, 'warn', 'malformed', 'Wrong length for SNMP VarBind/value');
        ctx.addText(wrong, tvb, v.start, v.end - v.start, `INTEGER: ${String(value)}`);
        if (v.length > 0 && STRING_OIDS.has(oid)) sw.pending.push(() => varBindString(sw, valueNode, v));
        finish(sw, node, oid, `${oid}: ${String(value)}`);
        return;
      }
      if (f === F['snmp.value.int'] && (v.length < 1 || v.length > 4)) throw wrongLength(v.length, 1, 4, tvb.abs(v.start));
      if (f === F['snmp.value.null'] && v.length !== 0) throw wrongLength(v.length, 0, 0, tvb.abs(v.start));
      if (f === F['snmp.value.oid'] && v.length < 1) throw wrongLength(v.length, 1, 0xffffff, tvb.abs(v.start));
      if (kind?.int && (v.length === 0 || v.length > 8)) {
        // A 9-octet unsigned value with a leading zero still fits; anything else is tshark's "too large".
        if (!(kind.int === 'unsigned' && v.length === 9 && bytes[0] === 0)) {
          const msg = v.length === 0 ? 'Integral value is zero-length' : kind.int === 'unsigned' ? 'Integral value too large' : 'Integral value too large or too small';
          const err = ctx.addText(node, tvb, v.value, v.length, msg);
          ctx.addExpert(err, 'warn', 'undecoded', msg);
          label = '';
          finish(sw, node, oid, `${oid}: `);
          return;
        }
      }
      if (f === F['snmp.value.oid']) {
        const value = oidText(bytes);
        valueNode = w.add(node, f, v.value, v.length, value, () => `${f.label}: ${value} (${oidName(value)})`);
      } else if (f === F['snmp.value.null']) {
        valueNode = w.add(node, f, v.value, v.length, null);
      } else if (f.type === 'ipv4') {
        valueNode = w.add(node, f, v.value, 4, tvb.u32(v.value));
      } else if (kind?.int) {
        const skip = v.length === 9 ? 1 : 0;
        const value = bigValue(bytes.subarray(skip), kind.int === 'signed');
        const label = kind.label;
        valueNode = w.add(node, f, v.value + skip, v.length - skip, value, label ? () => `${label}: ${String(value)}` : undefined);
      } else {
        valueNode = w.add(node, f, v.value, v.length, bytes, () => `${f.label}: ${octetsText(bytes)}`);
      }
      if (v.length > 0 && STRING_OIDS.has(oid)) {
        sw.pending.push(() => varBindString(sw, valueNode, v));
      }
      label = ctx.tree ? valueText(f, valueNode, bytes) : '';
    }
    finish(sw, node, oid, `${oid}: ${label}`);
  });
}

/** A dissector of SNMP's own called through the OID table: tshark lists snmp again in frame.protocols. */
function varBindString(w: BerWalker, valueNode: FieldNode, v: Tlv): void {
  w.ctx.layers.push('snmp');
  w.add(valueNode, F['snmp.var-bind_str'], v.value, v.length, asciiText(w.tvb.slice(v.value, v.length)));
}

/** A TLV that may run past its container (tshark reads on) but not past the datagram: that is tshark's exception. */
function readPastContainer(tvb: Tvb, o: number): Tlv {
  try {
    return readTlv(tvb, o, tvb.length);
  } catch (e) {
    if (e instanceof DerError && e.length) throw new MalformedError(e.message, e.offset);
    throw e;
  }
}

function finish(sw: SnmpWalker, node: FieldNode, oid: string, text: string): void {
  sw.infoOids.push(oid);
  if (sw.ctx.tree) sw.ctx.setText(node, text);
}

/** The value part of the value item's label (after its ": "), which the VarBind item repeats. */
function valueText(f: FieldDef, node: FieldNode, bytes: Uint8Array): string {
  if (f.type === 'none') return f.label;
  if (f === F['snmp.value.oid']) return `${node.value as string} (${oidName(node.value as string)})`;
  if (f.type === 'bytes') return octetsText(bytes);
  return formatDisplayValue(f, node.value);
}

/**
 * An OCTET STRING value as tshark 4.0's BASE_SHOW_ASCII_PRINTABLE shows it: in quotes when
 * every byte is printable ASCII (or white space), else in hex.
 */
function octetsText(b: Uint8Array): string {
  if (b.length === 0) return '<MISSING>';
  const printable = b.every((c) => (c >= 0x20 && c < 0x7f) || c === 0x09 || c === 0x0a || c === 0x0d);
  if (!printable) return formatDisplayValue(F['snmp.value.octets'], b);
  return `"${printableText(asciiText(b))}"`;
}

/** Bytes as ENC_ASCII text: bytes above 0x7f are U+FFFD. */
function asciiText(b: Uint8Array): string {
  let s = '';
  for (const c of b) s += c < 0x80 ? String.fromCharCode(c) : '\ufffd';
  return s;
}

function wrongLength(len: number, min: number, max: number, offset: number): DerError {
  return new DerError(`Wrong value length: ${len}  expecting: ${min} <= len <= ${max}`, offset);
}

// ---- PDUs ----

const varBindList: Member = {
  field: F['snmp.variable_bindings'],
  type: { t: 'of', item: { field: null, type: { t: 'fn', tag: U.SEQUENCE, fn: showVarBind } } },
};
const requestId: Member = {
  field: F['snmp.request_id'],
  type: { t: 'fn', tag: U.INTEGER, fn: (w, tlv, parent) => {
    (w as SnmpWalker).requestId = intValue(w.tvb.slice(tlv.value, tlv.length));
    w.add(parent, F['snmp.request_id'], tlv.value, tlv.length, (w as SnmpWalker).requestId);
  } },
};
const int = (field: FieldDef): Member => ({ field, type: { t: 'int' } });
const PDU: readonly Member[] = [requestId, int(F['snmp.error_status']), int(F['snmp.error_index']), varBindList];
const BULK_PDU: readonly Member[] = [requestId, int(F['snmp.non_repeaters']), int(F['snmp.max_repetitions']), varBindList];

/** Trap-PDU (RFC 1157 4.1.6): its NetworkAddress and TimeTicks are APPLICATION-tagged, so read by hand. */
function showTrap(w: BerWalker, node: FieldNode, o: number, end: number): void {
  const { tvb } = w;
  const ent = readTlv(tvb, o, end);
  if (ent.tag !== U.OID || ent.cls !== TagClass.Universal) throw new DerError('BER Error: enterprise is missing', tvb.abs(ent.start));
  const enterprise = addOid(w, node, F['snmp.enterprise'], ent);
  // Info names the enterprise as the OID resolves ("trap iso.3.6.1.4.1.8072.3.2.10 ...").
  (w as SnmpWalker).infoOids.push(oidName(enterprise));
  const addr = readTlv(tvb, ent.end, end);
  if (addr.cls !== TagClass.Application || addr.tag !== 0) throw new DerError('BER Error: agent-addr is missing', tvb.abs(addr.start));
  if (addr.length === 4) w.add(node, F['snmp.agent_addr'], addr.value, 4, tvb.u32(addr.value));
  else throw new DerError(`BER Error: agent-addr of ${addr.length} octets`, tvb.abs(addr.start));
  let p = w.member(node, int(F['snmp.generic_trap']), addr.end, end).end;
  p = w.member(node, int(F['snmp.specific_trap']), p, end).end;
  const ts = readTlv(tvb, p, end);
  if (ts.cls !== TagClass.Application || ts.tag !== 3) throw new DerError('BER Error: time-stamp is missing', tvb.abs(ts.start));
  w.add(node, F['snmp.time_stamp'], ts.value, ts.length, Number(bigValue(tvb.slice(ts.value, ts.length), false)));
  w.member(node, varBindList, ts.end, end);
}

/** The PDUs CHOICE: "data: get-request (0)", the PDU, the Info column, and the request/response match. */
function showPdus(w: BerWalker, tlv: Tlv, parent: FieldNode): void {
  const sw = w as SnmpWalker;
  const { ctx, tvb } = w;
  if (tlv.cls !== TagClass.Context || tlv.tag > 8) throw new DerError(`BER Error: no alternative of data has tag [${tlv.cls}:${tlv.tag}]`, tvb.abs(tlv.start));
  const choice = w.add(parent, F['snmp.data'], tlv.start, tlv.end - tlv.start, tlv.tag);
  ctx.info = '';
  within(choice, () => {
    const node = w.add(choice, PDU_ELEMENTS[tlv.tag]!, tlv.start, tlv.end - tlv.start, null);
    within(node, () => {
      try {
        if (tlv.tag === 4) showTrap(w, node, tlv.value, tlv.end);
        else w.members(node, tlv.tag === 5 ? BULK_PDU : PDU, tlv.value, tlv.end);
      } finally {
        // Each OID goes to Info as its VarBind is read (col_append_fstr), so a broken list keeps the ones before.
        for (const oid of sw.infoOids) ctx.info += ` ${oid}`;
        sw.infoOids.length = 0;
      }
    });
  });
  // The PDU's name goes before the OIDs once it is read: a PDU cut short shows no name (tshark).
  ctx.info = PDU_NAMES[tlv.tag]! + ctx.info;
  matchRequest(sw, parent, tlv.tag);
}

// ---- Request/response matching (packet-snmp.c snmp_match_request_response) ----

interface Transaction { request: number; sec: number; nsec: number; response: number }
type Verdict = { kind: 'request'; tx: Transaction } | { kind: 'response'; tx: Transaction } | null;

interface SnmpState { byConversation: Map<string, Map<number, Transaction>>; verdicts: Map<number, Verdict> }

/** Requests that wait for a get-response: get, get-next, set, getBulk, inform. */
const REQUESTS = new Set([0, 1, 3, 5, 6]);

/**
 * A request is remembered by its request-id in the conversation (both addresses and ports, either
 * way); a get-response with that id answers the latest one. One pass shows "Response To" and
 * "Time" on the response; a request shows "Response In" only when dissected again after it.
 */
function matchRequest(w: SnmpWalker, parent: FieldNode, pdu: number): void {
  const { ctx } = w;
  const st = ctx.capture.get<SnmpState>('snmp.transactions', () => ({ byConversation: new Map(), verdicts: new Map() }));
  const f = ctx.frame;
  const key = f.number * 16 + (ctx.scratch['snmp.index'] as number ?? 0);
  let v = st.verdicts.get(key);
  if (v === undefined) {
    const e = ctx.endpoints;
    const a = `${e.src}/${e.srcPort ?? 0}`, b = `${e.dst}/${e.dstPort ?? 0}`;
    const conv = a < b ? `${a}|${b}` : `${b}|${a}`;
    let txs = st.byConversation.get(conv);
    if (!txs) st.byConversation.set(conv, (txs = new Map()));
    v = null;
    if (REQUESTS.has(pdu)) {
      const tx = { request: f.number, sec: f.ts.sec, nsec: f.ts.nsec, response: 0 };
      txs.set(w.requestId, tx);
      v = { kind: 'request', tx };
    } else if (pdu === 2) {
      const tx = txs.get(w.requestId);
      if (tx) {
        tx.response = f.number;
        v = { kind: 'response', tx };
      }
    }
    if (ctx.capture.revisits) st.verdicts.set(key, v);
  }
  if (!v) return;
  if (v.kind === 'request') {
    if (v.tx.response) ctx.addGenerated(parent, F['snmp.response_in'], v.tx.response);
  } else if (v.tx.request !== f.number) {
    ctx.addGenerated(parent, F['snmp.response_to'], v.tx.request);
    ctx.addGenerated(parent, F['snmp.time'], f.ts.sec - v.tx.sec + (f.ts.nsec - v.tx.nsec) / 1e9);
  }
}

// ---- SNMPv3 (RFC 3412 6, RFC 3414 2.4) ----

/** SnmpEngineID (RFC 3411 5): conformance bit, enterprise, and by the format its data, as packet-snmp.c's dissect_snmp_engineid. */
function showEngineId(w: BerWalker, tree: FieldNode, o: number, len: number): void {
  const { tvb, ctx } = w;
  if (len < 1) return;
  const conform = (tvb.u8(o) & 0x80) !== 0;
  w.add(tree, F['snmp.engineid.conform'], o, 1, conform);
  if (len < 4) return;
  let enterprise = tvb.u32(o);
  if (conform) enterprise -= 0x80000000;
  w.add(tree, F['snmp.engineid.enterprise'], o, 4, enterprise, () => `Engine Enterprise ID: ${ENTERPRISES[enterprise] ?? 'Unknown'} (${enterprise})`);
  let p = o + 4;
  let left = len - 4;
  if (!conform) {
    // RFC 1910's 12-octet AgentID: the enterprise and an 8-octet trailer.
    if (left === 8) {
      w.add(tree, F['snmp.agentid_trailer'], p, 8, tvb.slice(p, 8));
      return;
    }
    const n = ctx.addText(tree, tvb, p, left, 'Data not conforming to RFC1910');
    ctx.addExpert(n, 'warn', 'protocol', 'Data not conforming to RFC1910');
    return;
  }
  if (left < 1) return;
  const format = tvb.u8(p);
  const formatName = ENGINE_ID_FORMATS[format] ?? 'Reserved/Enterprise-specific';
  const net = format === 128 && (enterprise === 2021 || enterprise === 8072) ? (enterprise === 2021 ? ': UCD-SNMP Random' : ': Net-SNMP Random') : '';
  w.add(tree, F['snmp.engineid.format'], p, 1, format, `Engine ID Format: ${formatName} (${format})${net}`);
  p++;
  left--;
  const data = () => {
    if (left <= 27) {
      w.add(tree, F['snmp.engineid.data'], p, left, tvb.slice(p, left));
      p += left;
      left = 0;
    }
  };
  switch (format) {
    case 1:
      if (left === 4) { w.add(tree, F['snmp.engineid.ipv4'], p, 4, tvb.u32(p)); left = 0; }
      break;
    case 2:
      if (left === 16) { w.add(tree, F['snmp.engineid.ipv6'], p, 16, tvb.slice(p, 16)); left = 0; }
      break;
    case 3:
      if (enterprise === 9 && left === 7) { w.add(tree, F['snmp.engineid.cisco.type'], p, 1, tvb.u8(p)); p++; left--; }
      if (left === 6) { w.add(tree, F['snmp.engineid.mac'], p, 6, tvb.slice(p, 6)); left = 0; }
      break;
    case 4:
      if (left <= 27) { w.add(tree, F['snmp.engineid.text'], p, left, asciiText(tvb.slice(p, left))); p += left; left = 0; }
      break;
    default:
      if (net && (left === 8 || left === 12)) {
        // Net-SNMP's engine ID: 4 random octets, then its creation time, little-endian seconds.
        w.add(tree, F['snmp.engineid.data'], p, 4, tvb.slice(p, 4));
        const lo = tvb.u8(p + 4) | (tvb.u8(p + 5) << 8) | (tvb.u8(p + 6) << 16);
        const sec = lo + tvb.u8(p + 7) * 0x1000000 + (left === 12 ? (tvb.u8(p + 8) | (tvb.u8(p + 9) << 8)) * 2 ** 32 : 0);
        w.add(tree, F['snmp.engineid.time'], p + 4, left - 4, { sec, nsec: 0 }, () => `Engine ID Data: Creation Time: ${localTime(sec)}`);
        p += left;
        left = 0;
      } else data();
  }
  if (left > 0) {
    const n = ctx.addText(tree, tvb, p, left, 'Data not conforming to RFC3411');
    ctx.addExpert(n, 'warn', 'protocol', 'Data not conforming to RFC3411');
  }
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** abs_time_secs_to_str(ABSOLUTE_TIME_LOCAL, with the zone) where local time is UTC, as in the tests' tshark. */
function localTime(sec: number): string {
  const d = new Date(sec * 1000);
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')}, ${d.getUTCFullYear()} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} UTC`;
}

/** An OCTET STRING holding an engine ID: its bytes, and the ID's parts under them. */
const engineId = (field: FieldDef): Member => ({
  field, type: { t: 'fn', tag: U.OCTET_STRING, fn: (w, tlv, parent) => {
    const node = addBytes(w, parent, field, tlv);
    showEngineId(w, node, tlv.value, tlv.length);
  } },
});
const octets = (field: FieldDef): Member => ({ field, type: { t: 'fn', tag: U.OCTET_STRING, fn: (w, tlv, parent) => { addBytes(w, parent, field, tlv); } } });
const str = (field: FieldDef): Member => ({ field, type: { t: 'str', tag: U.OCTET_STRING } });

const USM_PARAMETERS: readonly Member[] = [
  engineId(F['snmp.msgAuthoritativeEngineID']), int(F['snmp.msgAuthoritativeEngineBoots']), int(F['snmp.msgAuthoritativeEngineTime']),
  str(F['snmp.msgUserName']), octets(F['snmp.msgAuthenticationParameters']), octets(F['snmp.msgPrivacyParameters']),
];

const msgFlags: Member = {
  field: F['snmp.msgFlags'],
  type: { t: 'fn', tag: U.OCTET_STRING, fn: (w, tlv, parent) => {
    const node = addBytes(w, parent, F['snmp.msgFlags'], tlv);
    if (tlv.length < 1) return;
    const b = w.tvb.u8(tlv.value);
    for (const f of [F['snmp.v3.flags.report'], F['snmp.v3.flags.crypt'], F['snmp.v3.flags.auth']]) w.add(node, f, tlv.value, 1, (b & f.mask!) !== 0);
  } },
};

/** msgSecurityModel, kept: it says how msgSecurityParameters is read (3: USM). */
const securityModel: Member = {
  field: F['snmp.msgSecurityModel'],
  type: { t: 'fn', tag: U.INTEGER, fn: (w, tlv, parent) => {
    (w as SnmpWalker).securityModel = uintValue(w.tvb.slice(tlv.value, tlv.length));
    w.add(parent, F['snmp.msgSecurityModel'], tlv.value, tlv.length, (w as SnmpWalker).securityModel);
  } },
};

const HEADER_DATA: Member = {
  field: F['snmp.msgGlobalData_element'],
  type: { t: 'seq', members: [int(F['snmp.msgID']), int(F['snmp.msgMaxSize']), msgFlags, securityModel] },
};

/** Reads the PDUs CHOICE by hand: its alternatives are all context-tagged, which Member's one ctx cannot say. */
function pdusAt(w: BerWalker, node: FieldNode, o: number, end: number): number {
  const tlv = readTlv(w.tvb, o, end);
  showPdus(w, tlv, node);
  return tlv.end;
}

function showV3(w: BerWalker, node: FieldNode, o: number, end: number): void {
  const { tvb, ctx } = w;
  let p = w.member(node, int(F['snmp.msgVersion']), o, end).end;
  const header = w.member(node, HEADER_DATA, p, end);
  const model = (w as SnmpWalker).securityModel;
  p = header.end;
  const sec = readTlv(tvb, p, end);
  if (sec.tag !== U.OCTET_STRING) throw new DerError('BER Error: msgSecurityParameters expected', tvb.abs(sec.start));
  if (model === 3) {
    // USM's parameters are a SEQUENCE inside the OCTET STRING, shown in place (packet-snmp.c's msgSecurityParameters callback).
    const usm = readTlv(tvb, sec.value, sec.end);
    w.members(node, USM_PARAMETERS, usm.value, usm.end);
  } else {
    addBytes(w, node, F['snmp.msgSecurityParameters'], sec);
  }
  p = sec.end;
  const data = readTlv(tvb, p, end);
  if (data.cls === TagClass.Universal && data.tag === U.OCTET_STRING) {
    const choice = w.add(node, F['snmp.msgData'], data.start, data.end - data.start, 1);
    addBytes(w, choice, F['snmp.encryptedPDU'], data);
    ctx.info = 'encryptedPDU: privKey Unknown';
    return;
  }
  const choice = w.add(node, F['snmp.msgData'], data.start, data.end - data.start, 0);
  within(choice, () => {
    const scoped = w.add(choice, F['snmp.plaintext_element'], data.start, data.end - data.start, null);
    within(scoped, () => {
      w.members(scoped, [engineId(F['snmp.contextEngineID']), str(F['snmp.contextName'])], data.value, data.end);
      // Skip the two members just shown to the PDUs.
      let q = data.value;
      for (let i = 0; i < 2; i++) q = readTlv(tvb, q, data.end).end;
      pdusAt(w, scoped, q, data.end);
    });
  });
}

// ---- Entry ----

/**
 * tshark's check before it takes a datagram (dissect_snmp): a SEQUENCE whose length fits the
 * datagram, starting with an INTEGER. Anything else is not SNMP (UDP shows it as data).
 */
function looksLikeSnmp(tvb: Tvb): Tlv | null {
  try {
    const seq = readTlv(tvb, 0, tvb.length);
    if (seq.cls !== TagClass.Universal || seq.tag !== U.SEQUENCE) return null;
    const version = readTlv(tvb, seq.value, seq.end);
    if (version.cls !== TagClass.Universal || version.tag !== U.INTEGER) return null;
    return seq;
  } catch {
    return null;
  }
}

function dissectSnmp(tvb: Tvb, ctx: PacketContext, node: FieldNode): boolean {
  const seq = looksLikeSnmp(tvb);
  if (!seq) return false;
  // packet-snmp.c gives the endpoint pair a conversation of its own (for its request/response
  // table) when the one there is not SNMP's: UDP numbers the pair's next datagram anew.
  (ctx.scratch['conversation.open'] as ConversationOpener | undefined)?.(ctx, 'snmp');
  ctx.protocol = 'SNMP';
  ctx.setLength(node, seq.end);
  const w = new SnmpWalker(tvb, ctx, oidName);
  let ok = true;
  try {
    const vTlv = readTlv(tvb, seq.value, seq.end);
    const version = intValue(tvb.slice(vTlv.value, vTlv.length));
    if (version === 3) showV3(w, node, seq.value, seq.end);
    else if (version === 0 || version === 1) {
      const p = w.member(node, int(F['snmp.version']), seq.value, seq.end).end;
      const c = w.member(node, str(F['snmp.community']), p, seq.end).end;
      pdusAt(w, node, c, seq.end);
    } else {
      ctx.addExpert(node, 'warn', 'protocol', 'Unknown version');
      return true;
    }
  } catch (e) {
    if (!(e instanceof DerError)) {
      // Bytes past the datagram: tshark's exception, with Info as far as it got.
      if (isDecodeError(e)) ctx.info = ctx.info.trimStart();
      throw e;
    }
    ok = false;
    const der = e;
    const field = der?.length ? berFields['ber.error.length'] : berFields['ber.error.sequence.field_wrong'];
    const err = ctx.add(der?.node ?? node, field, tvb, der ? der.offset - tvb.abs(0) : 0, 0, null, e.message);
    ctx.addExpert(err, 'warn', 'malformed', e.message);
  }
  // Bytes after the message go to data; else the values handed on by OID are shown (dissect_snmp_pdu).
  if (seq.end < tvb.length) callProtocol(dataProtocol, tvb.sub(seq.end, tvb.length - seq.end), ctx, null);
  else if (ok) for (const f of w.pending) f();
  return true;
}

export const snmpProtocol: Protocol = { ...defineProtocol('snmp', 'Simple Network Management Protocol', dissectSnmp), opensConversations: true };

register('udp.port', 161, snmpProtocol);
register('udp.port', 162, snmpProtocol);
