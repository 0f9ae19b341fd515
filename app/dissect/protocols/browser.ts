// The Microsoft Windows Browser Protocol as tshark 4.0's packet-smb-browse.c shows it: the
// messages the SMB mailslot protocol (smb-mailslot.ts) hands on from \MAILSLOT\BROWSE (named
// dissector 'mailslot_browse') and \MAILSLOT\LANMAN ('mailslot_lanman'). Protocol "BROWSER",
// Info the command, then for announcements the host or domain name and the server types.
//   \MAILSLOT\BROWSE: host, domain/workgroup and local master announcements (update count,
//   periodicity, the 16-byte name, the Windows version its OS version names, the server type bits,
//   browser protocol version and signature, or a "Mysterious Field" in a domain announcement
//   without the 0xAA55 signature, then the comment or master browser name), request
//   announcement, election request (version, criteria with desire and OS bits, uptime, name), get
//   backup list request/response, become backup, master announcement, reset browser state.
//   \MAILSLOT\LANMAN: the older host and domain announcements (server type before the version,
//   a periodicity in seconds, NUL-terminated names); other commands show only the command.
// An unknown command shows only itself. Names in the announcements' 16-byte field are code
// page 437, as tshark reads them.
import { defineFields, type FieldDef } from '../field.js';
import { defineProtocol, registerDissector, type Protocol } from '../dispatch.js';
import type { PacketContext } from '../packet.js';
import { addBitmask, signedMsecsText, stringz } from '../smb-common.js';
import type { FieldNode } from '../tree.js';
import type { Tvb } from '../tvb.js';

const HOST_ANNOUNCE = 0x01;
const REQUEST_ANNOUNCE = 0x02;
const ELECTION_REQUEST = 0x08;
const BACKUP_LIST_REQUEST = 0x09;
const BACKUP_LIST_RESPONSE = 0x0a;
const BECOME_BACKUP = 0x0b;
const DOMAIN_ANNOUNCEMENT = 0x0c;
const MASTER_ANNOUNCEMENT = 0x0d;
const RESET_BROWSER_STATE = 0x0e;
const LOCAL_MASTER_ANNOUNCEMENT = 0x0f;
const HOST_NAME_LENGTH = 16;
const SIGNATURE = 0xaa55;

const COMMANDS: Record<number, string> = {
  [HOST_ANNOUNCE]: 'Host Announcement', [REQUEST_ANNOUNCE]: 'Request Announcement', [ELECTION_REQUEST]: 'Browser Election Request',
  [BACKUP_LIST_REQUEST]: 'Get Backup List Request', [BACKUP_LIST_RESPONSE]: 'Get Backup List Response', [BECOME_BACKUP]: 'Become Backup Browser',
  [DOMAIN_ANNOUNCEMENT]: 'Domain/Workgroup Announcement', [MASTER_ANNOUNCEMENT]: 'Master Announcement',
  [RESET_BROWSER_STATE]: 'Reset Browser State Announcement', [LOCAL_MASTER_ANNOUNCEMENT]: 'Local Master Announcement',
};
/** server_types: the names Info gives the server type bits. */
const SERVER_TYPES: Record<number, string> = {
  0: 'Workstation', 1: 'Server', 2: 'SQL Server', 3: 'Domain Controller', 4: 'Backup Controller', 5: 'Time Source', 6: 'Apple Server',
  7: 'Novell Server', 8: 'Domain Member Server', 9: 'Print Queue Server', 10: 'Dialin Server', 11: 'Xenix Server', 12: 'NT Workstation',
  13: 'Windows for Workgroups', 15: 'NT Server', 16: 'Potential Browser', 17: 'Backup Browser', 18: 'Master Browser',
  19: 'Domain Master Browser', 20: 'OSF', 21: 'VMS', 22: 'Windows 95 or above', 23: 'DFS server', 30: 'Local List Only', 31: 'Domain Enum',
};
const RESET_COMMANDS: Record<number, string> = {
  0x01: 'Stop being a master browser and become a backup browser', 0x02: 'Discard browse lists, stop being a master browser, and try again',
  0x04: 'Stop being a master browser for ever',
};
const tfs = (what: string, a = 'a'): readonly [string, string] => [`This is ${a} ${what}`, `This is NOT ${a} ${what}`];

export const browserFields = defineFields([
  { name: 'browser.command', label: 'Command', type: 'uint8', base: 'hex', values: COMMANDS, description: 'Browse command opcode' },
  { name: 'browser.update_count', label: 'Update Count', type: 'uint8', description: 'Browse Update Count' },
  { name: 'browser.period', label: 'Update Periodicity', type: 'uint32', description: 'Update Periodicity in ms' },
  { name: 'browser.server', label: 'Server Name', type: 'string', description: 'BROWSE Server Name' },
  { name: 'browser.mb_server', label: 'Master Browser Server Name', type: 'string', description: 'BROWSE Master Browser Server Name' },
  { name: 'browser.reset_cmd', label: 'ResetBrowserState Command', type: 'uint8', base: 'hex', values: RESET_COMMANDS },
  { name: 'browser.reset_cmd.demote', label: 'Demote LMB', type: 'boolean', mask: 0x01, tf: ['Demote an LMB to a Backup Browser', 'Do not demote an LMB to a Backup Browser'] },
  { name: 'browser.reset_cmd.flush', label: 'Flush Browse List', type: 'boolean', mask: 0x02, tf: ['Flush the Browse List', 'Do not Flush the Browse List'] },
  { name: 'browser.reset_cmd.stop_lmb', label: 'Stop Being LMB', type: 'boolean', mask: 0x04, tf: ['Stop Being a Local Master Browser', 'Do not Stop Being a Local Master Browser'] },
  { name: 'browser.os_major', label: 'OS Major Version', type: 'uint8', description: 'Operating System Major Version' },
  { name: 'browser.os_minor', label: 'OS Minor Version', type: 'uint8', description: 'Operating System Minor Version' },
  { name: 'browser.server_type', label: 'Server Type', type: 'uint32', base: 'hex', description: 'Server Type Flags' },
  { name: 'browser.server_type.workstation', label: 'Workstation', type: 'boolean', mask: 1 << 0, tf: tfs('Workstation') },
  { name: 'browser.server_type.server', label: 'Server', type: 'boolean', mask: 1 << 1, tf: tfs('Server') },
  { name: 'browser.server_type.sql', label: 'SQL', type: 'boolean', mask: 1 << 2, tf: tfs('SQL server', 'an') },
  { name: 'browser.server_type.domain_controller', label: 'Domain Controller', type: 'boolean', mask: 1 << 3, tf: tfs('Domain Controller') },
  { name: 'browser.server_type.backup_controller', label: 'Backup Controller', type: 'boolean', mask: 1 << 4, tf: tfs('Backup Controller') },
  { name: 'browser.server_type.time', label: 'Time Source', type: 'boolean', mask: 1 << 5, tf: tfs('Time Source') },
  { name: 'browser.server_type.apple', label: 'Apple', type: 'boolean', mask: 1 << 6, tf: tfs('Apple host', 'an') },
  { name: 'browser.server_type.novell', label: 'Novell', type: 'boolean', mask: 1 << 7, tf: tfs('Novell server') },
  { name: 'browser.server_type.member', label: 'Member', type: 'boolean', mask: 1 << 8, tf: tfs('Domain Member server') },
  { name: 'browser.server_type.print', label: 'Print', type: 'boolean', mask: 1 << 9, tf: tfs('Print Queue server') },
  { name: 'browser.server_type.dialin', label: 'Dialin', type: 'boolean', mask: 1 << 10, tf: tfs('Dialin server') },
  { name: 'browser.server_type.xenix', label: 'Xenix', type: 'boolean', mask: 1 << 11, tf: tfs('Xenix server') },
  { name: 'browser.server_type.ntw', label: 'NT Workstation', type: 'boolean', mask: 1 << 12, tf: tfs('NT Workstation', 'an') },
  { name: 'browser.server_type.wfw', label: 'WfW', type: 'boolean', mask: 1 << 13, tf: tfs('WfW host') },
  { name: 'browser.server_type.nts', label: 'NT Server', type: 'boolean', mask: 1 << 15, tf: tfs('NT Server', 'an') },
  { name: 'browser.server_type.browser.potential', label: 'Potential Browser', type: 'boolean', mask: 1 << 16, tf: tfs('Potential Browser') },
  { name: 'browser.server_type.browser.backup', label: 'Backup Browser', type: 'boolean', mask: 1 << 17, tf: tfs('Backup Browser') },
  { name: 'browser.server_type.browser.master', label: 'Master Browser', type: 'boolean', mask: 1 << 18, tf: tfs('Master Browser') },
  { name: 'browser.server_type.browser.domain_master', label: 'Domain Master Browser', type: 'boolean', mask: 1 << 19, tf: tfs('Domain Master Browser') },
  { name: 'browser.server_type.osf', label: 'OSF', type: 'boolean', mask: 1 << 20, tf: tfs('OSF host', 'an') },
  { name: 'browser.server_type.vms', label: 'VMS', type: 'boolean', mask: 1 << 21, tf: tfs('VMS host') },
  { name: 'browser.server_type.w95', label: 'Windows 95+', type: 'boolean', mask: 1 << 22, tf: tfs('Windows 95 or above host') },
  // "THis": tshark's spelling.
  { name: 'browser.server_type.dfs', label: 'DFS', type: 'boolean', mask: 1 << 23, tf: ['This is a DFS server', 'THis is NOT a DFS server'] },
  { name: 'browser.server_type.local', label: 'Local', type: 'boolean', mask: 0x40000000, tf: tfs('local list only request') },
  { name: 'browser.server_type.domainenum', label: 'Domain Enum', type: 'boolean', mask: 0x80000000, tf: tfs('Domain Enum request') },
  { name: 'browser.election.version', label: 'Election Version', type: 'uint8' },
  { name: 'browser.proto_major', label: 'Browser Protocol Major Version', type: 'uint8' },
  { name: 'browser.proto_minor', label: 'Browser Protocol Minor Version', type: 'uint8' },
  { name: 'browser.sig', label: 'Signature', type: 'uint16', base: 'hex', description: 'Signature Constant' },
  { name: 'browser.comment', label: 'Host Comment', type: 'string', description: 'Server Comment' },
  { name: 'browser.unused', label: 'Unused flags', type: 'uint8', base: 'hex', description: 'Unused/unknown flags' },
  { name: 'browser.response_computer_name', label: 'Response Computer Name', type: 'string' },
  { name: 'browser.election.criteria', label: 'Election Criteria', type: 'uint32', base: 'hex' },
  { name: 'browser.election.desire', label: 'Election Desire', type: 'uint8', base: 'hex' },
  { name: 'browser.election.desire.backup', label: 'Backup', type: 'boolean', mask: 0x01, tf: ['Backup Browse Server', 'NOT Backup Browse Server'], description: 'Is this a backup server' },
  { name: 'browser.election.desire.standby', label: 'Standby', type: 'boolean', mask: 0x02, tf: ['Standby Browse Server', 'NOT Standby Browse Server'], description: 'Is this a standby server?' },
  { name: 'browser.election.desire.master', label: 'Master', type: 'boolean', mask: 0x04, tf: ['Master Browser', 'NOT Master Browser'], description: 'Is this a master server' },
  { name: 'browser.election.desire.domain_master', label: 'Domain Master', type: 'boolean', mask: 0x08, tf: ['Domain Master Browse Server', 'NOT Domain Master Browse Server'], description: 'Is this a domain master' },
  { name: 'browser.election.desire.wins', label: 'WINS', type: 'boolean', mask: 0x20, tf: ['WINS Client', 'NOT WINS Client'], description: 'Is this a WINS server' },
  { name: 'browser.election.desire.nt', label: 'NT', type: 'boolean', mask: 0x80, tf: ['Windows NT Advanced Server', 'NOT Windows NT Advanced Server'], description: 'Is this a NT server' },
  { name: 'browser.election.os', label: 'Election OS', type: 'uint8', base: 'hex' },
  { name: 'browser.election.os.wfw', label: 'WfW', type: 'boolean', mask: 0x01, tf: ['Windows for Workgroups', 'Not Windows for Workgroups'], description: 'Is this a WfW host?' },
  { name: 'browser.election.os.ntw', label: 'NT Workstation', type: 'boolean', mask: 0x10, tf: ['Windows NT Workstation', 'Not Windows NT Workstation'], description: 'Is this a NT Workstation?' },
  { name: 'browser.election.os.nts', label: 'NT Server', type: 'boolean', mask: 0x20, tf: ['Windows NT Server', 'Not Windows NT Server'], description: 'Is this a NT Server?' },
  { name: 'browser.uptime', label: 'Uptime', type: 'uint32', description: 'Server uptime in ms' },
  { name: 'browser.backup.count', label: 'Backup List Requested Count', type: 'uint8' },
  { name: 'browser.backup.token', label: 'Backup Request Token', type: 'uint32', description: 'Backup requested/response token' },
  { name: 'browser.backup.server', label: 'Backup Server', type: 'string', description: 'Backup Server Name' },
  { name: 'browser.browser_to_promote', label: 'Browser to Promote', type: 'string' },
  { name: 'browser.windows_version', label: 'Windows version', type: 'string' },
  { name: 'browser.mysterious_field', label: 'Mysterious Field', type: 'uint32', base: 'hex' },
] as const);
const F = browserFields;

const SERVER_TYPE_BITS: readonly FieldDef[] = Object.values(F).filter((f) => f.name.startsWith('browser.server_type.'));
const DESIRE_BITS = [F['browser.election.desire.backup'], F['browser.election.desire.standby'], F['browser.election.desire.master'],
  F['browser.election.desire.domain_master'], F['browser.election.desire.wins'], F['browser.election.desire.nt']];
const OS_BITS = [F['browser.election.os.wfw'], F['browser.election.os.ntw'], F['browser.election.os.nts']];
const RESET_BITS = [F['browser.reset_cmd.demote'], F['browser.reset_cmd.flush'], F['browser.reset_cmd.stop_lmb']];

/** The upper half of code page 437 (bytes 0x80-0xff), how tshark's ENC_CP437 reads names. */
const CP437_HIGH = 'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0';

function cp437(tvb: Tvb, o: number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) {
    const b = tvb.u8(o + i);
    s += b < 0x80 ? String.fromCharCode(b) : CP437_HIGH[b - 0x80];
  }
  return s;
}

/** SET_WINDOWS_VERSION_STRING: the Windows an OS version is (OSVERSIONINFO), or nothing. */
function windowsVersion(major: number, minor: number): string {
  if (major === 6 && minor === 1) return 'Windows 7 or Windows Server 2008 R2';
  if (major === 6 && minor === 0) return 'Windows Vista or Windows Server 2008';
  if (major === 5 && minor === 2) return 'Windows Server 2003 R2 or Windows Server 2003';
  if (major === 5 && minor === 1) return 'Windows XP';
  if (major === 5 && minor === 0) return 'Windows 2000';
  return '';
}

/** dissect_smb_server_type_flags: the item and its bits, the types appended to Info. */
function serverType(tvb: Tvb, ctx: PacketContext, tree: FieldNode, o: number): number {
  const flags = tvb.u32le(o);
  for (let i = 0; i < 32; i++) if ((flags >>> i) & 1) ctx.info += `, ${SERVER_TYPES[i] ?? `Unknown server type:${i}`}`;
  addBitmask(ctx, tree, F['browser.server_type'], SERVER_TYPE_BITS, tvb, o, 4, flags);
  return o + 4;
}

/** The OS version's two bytes: Windows version over both, then major and minor. */
function osVersion(tvb: Tvb, ctx: PacketContext, tree: FieldNode, o: number): number {
  const major = tvb.u8(o), minor = tvb.u8(o + 1);
  ctx.add(tree, F['browser.windows_version'], tvb, o, 2, windowsVersion(major, minor));
  ctx.add(tree, F['browser.os_major'], tvb, o, 1, major);
  ctx.add(tree, F['browser.os_minor'], tvb, o + 1, 1, minor);
  return o + 2;
}

function addStringz(tvb: Tvb, ctx: PacketContext, tree: FieldNode, o: number, field: FieldDef): number {
  const s = stringz(tvb, o);
  ctx.add(tree, field, tvb, o, s.size, s.text);
  return o + s.size;
}

/** The first lines both mailslots show: Protocol, Info, the item over the message and its command. */
function start(tvb: Tvb, ctx: PacketContext, node: FieldNode): number {
  ctx.protocol = 'BROWSER';
  ctx.info = '';
  const cmd = tvb.u8(0);
  ctx.info = COMMANDS[cmd] ?? `Unknown command:0x${cmd.toString(16).padStart(2, '0')}`;
  ctx.add(node, F['browser.command'], tvb, 0, 1, cmd);
  return cmd;
}

function announcement(tvb: Tvb, ctx: PacketContext, tree: FieldNode, cmd: number): void {
  let o = 1;
  ctx.add(tree, F['browser.update_count'], tvb, o, 1, tvb.u8(o));
  o++;
  const period = tvb.u32le(o);
  ctx.add(tree, F['browser.period'], tvb, o, 4, period, () => `Update Periodicity: ${signedMsecsText(period)}`);
  o += 4;
  // tvb_get_stringzpad: up to the first NUL of the 16 bytes.
  const raw = cp437(tvb, o, HOST_NAME_LENGTH);
  const name = raw.split('\0')[0]!;
  ctx.info += ` ${name}`;
  ctx.add(tree, F['browser.server'], tvb, o, HOST_NAME_LENGTH, name, `${cmd === DOMAIN_ANNOUNCEMENT ? 'Domain/Workgroup' : 'Host Name'}: ${name}`);
  o += HOST_NAME_LENGTH;
  o = osVersion(tvb, ctx, tree, o);
  o = serverType(tvb, ctx, tree, o);
  if (cmd === DOMAIN_ANNOUNCEMENT && tvb.u16le(o + 2) !== SIGNATURE) {
    // Network Monitor's "Comment Pointer", tshark's "Mysterious Field".
    ctx.add(tree, F['browser.mysterious_field'], tvb, o, 4, tvb.u32le(o));
    o += 4;
  } else {
    ctx.add(tree, F['browser.proto_major'], tvb, o, 1, tvb.u8(o));
    ctx.add(tree, F['browser.proto_minor'], tvb, o + 1, 1, tvb.u8(o + 1));
    ctx.add(tree, F['browser.sig'], tvb, o + 2, 2, tvb.u16le(o + 2));
    o += 4;
  }
  addStringz(tvb, ctx, tree, o, cmd === DOMAIN_ANNOUNCEMENT ? F['browser.mb_server'] : F['browser.comment']);
}

function electionRequest(tvb: Tvb, ctx: PacketContext, tree: FieldNode): void {
  ctx.add(tree, F['browser.election.version'], tvb, 1, 1, tvb.u8(1));
  const criteria = ctx.add(tree, F['browser.election.criteria'], tvb, 2, 4, tvb.u32le(2));
  addBitmask(ctx, criteria, F['browser.election.desire'], DESIRE_BITS, tvb, 2, 1, tvb.u8(2));
  ctx.add(criteria, F['browser.proto_major'], tvb, 3, 1, tvb.u8(3));
  ctx.add(criteria, F['browser.proto_minor'], tvb, 4, 1, tvb.u8(4));
  addBitmask(ctx, criteria, F['browser.election.os'], OS_BITS, tvb, 5, 1, tvb.u8(5));
  const uptime = tvb.u32le(6);
  ctx.add(tree, F['browser.uptime'], tvb, 6, 4, uptime, () => `Uptime: ${signedMsecsText(uptime)}`);
  // Four bytes that must be zero, then the name.
  addStringz(tvb, ctx, tree, 14, F['browser.server']);
}

/** dissect_mailslot_browse. */
function dissectBrowse(tvb: Tvb, ctx: PacketContext, tree: FieldNode): void {
  const cmd = start(tvb, ctx, tree);
  switch (cmd) {
    case DOMAIN_ANNOUNCEMENT:
    case LOCAL_MASTER_ANNOUNCEMENT:
    case HOST_ANNOUNCE:
      announcement(tvb, ctx, tree, cmd);
      break;
    case REQUEST_ANNOUNCE: {
      ctx.add(tree, F['browser.unused'], tvb, 1, 1, tvb.u8(1));
      const name = stringz(tvb, 2);
      ctx.add(tree, F['browser.response_computer_name'], tvb, 2, name.size, name.text);
      ctx.info += ` ${name.text}`;
      break;
    }
    case ELECTION_REQUEST:
      electionRequest(tvb, ctx, tree);
      break;
    case BACKUP_LIST_REQUEST:
      ctx.add(tree, F['browser.backup.count'], tvb, 1, 1, tvb.u8(1));
      ctx.add(tree, F['browser.backup.token'], tvb, 2, 4, tvb.u32le(2));
      break;
    case BACKUP_LIST_RESPONSE: {
      const count = tvb.u8(1);
      ctx.add(tree, F['browser.backup.count'], tvb, 1, 1, count);
      ctx.add(tree, F['browser.backup.token'], tvb, 2, 4, tvb.u32le(2));
      let o = 6;
      for (let i = 0; i < count; i++) o = addStringz(tvb, ctx, tree, o, F['browser.backup.server']);
      break;
    }
    case MASTER_ANNOUNCEMENT:
      addStringz(tvb, ctx, tree, 1, F['browser.mb_server']);
      break;
    case RESET_BROWSER_STATE:
      addBitmask(ctx, tree, F['browser.reset_cmd'], RESET_BITS, tvb, 1, 1, tvb.u8(1));
      break;
    case BECOME_BACKUP:
      addStringz(tvb, ctx, tree, 1, F['browser.browser_to_promote']);
      break;
    default:
      break;
  }
}

/** dissect_mailslot_lanman: the older announcements \MAILSLOT\LANMAN carries. */
function dissectLanman(tvb: Tvb, ctx: PacketContext, tree: FieldNode): void {
  const cmd = start(tvb, ctx, tree);
  if (cmd !== DOMAIN_ANNOUNCEMENT && cmd !== LOCAL_MASTER_ANNOUNCEMENT && cmd !== HOST_ANNOUNCE) return;
  ctx.add(tree, F['browser.update_count'], tvb, 1, 1, tvb.u8(1));
  let o = serverType(tvb, ctx, tree, 2);
  o = osVersion(tvb, ctx, tree, o);
  // In seconds here.
  const period = tvb.u16le(o) * 1000;
  ctx.add(tree, F['browser.period'], tvb, o, 2, period, () => `Update Periodicity: ${signedMsecsText(period)}`);
  o += 2;
  const name = stringz(tvb, o);
  ctx.info += ` ${cp437(tvb, o, name.size - 1)}`;
  o = addStringz(tvb, ctx, tree, o, F['browser.server']);
  const comment = stringz(tvb, o);
  ctx.add(tree, cmd === DOMAIN_ANNOUNCEMENT ? F['browser.mb_server'] : F['browser.comment'], tvb, o, comment.size, cp437(tvb, o, comment.size - 1));
}

export const browserProtocol = defineProtocol('browser', 'Microsoft Windows Browser Protocol', dissectBrowse, 'BROWSER');
/** The same protocol's entry for \MAILSLOT\LANMAN. */
const lanmanProtocol: Protocol = { ...browserProtocol, dissect: dissectLanman };
registerDissector(browserProtocol, 'mailslot_browse');
registerDissector(lanmanProtocol, 'mailslot_lanman');
