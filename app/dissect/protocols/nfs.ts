// NFS versions 3 (RFC 1813) and 2 (RFC 1094) as tshark 4.0's packet-nfs.c shows them, reached from
// ONC-RPC through the `rpc.program` table (program 100003): each procedure's arguments and
// results in XDR, file handles with their CRC-32 hash ("[hash (CRC-32): 0x89686ab3]"), fattr3 with
// its mode bits and times, wcc_data, post_op_attr, sattr3, directory entries (v2: fattr, sattr
// with "no value", timevals, statfs), and the Info text packet-nfs.c appends after RPC's "V3 WRITE
// Call" (", FH: 0x89686ab3 Offset: 73728 Len: 8192 UNSTABLE"). What a reply needs of its call
// (ACCESS's requested bits) is noted on the call RPC matched it to. Not read: v2 ROOT, WRITECACHE,
// LINK and SYMLINK (their bytes are data), NFSv4 (RPC shows proc-N and data).
import { defineFields, fieldByName, type FieldDef } from '../field.js';
import { callProtocol, defineProtocol, register } from '../dispatch.js';
import { registerRpcProgram, rpcMessage, type RpcMessage } from '../rpc-program.js';
import type { PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import type { Tvb } from '../tvb.js';
import { dataProtocol } from './data.js';

const NFS_PROGRAM = 100003;

/** RFC 1813 procedure names, by number (packet-nfs.c nfs3_proc_vals). */
const V3_PROCEDURES = [
  'NULL', 'GETATTR', 'SETATTR', 'LOOKUP', 'ACCESS', 'READLINK', 'READ', 'WRITE', 'CREATE', 'MKDIR', 'SYMLINK', 'MKNOD', 'REMOVE', 'RMDIR',
  'RENAME', 'LINK', 'READDIR', 'READDIRPLUS', 'FSSTAT', 'FSINFO', 'PATHCONF', 'COMMIT',
];
const V3_PROC_VALUES: Record<number, string> = Object.fromEntries(V3_PROCEDURES.map((n, i) => [i, n]));

/** RFC 1094 procedure names (nfs2_proc_vals). */
const V2_PROCEDURES = [
  'NULL', 'GETATTR', 'SETATTR', 'ROOT', 'LOOKUP', 'READLINK', 'READ', 'WRITECACHE', 'WRITE', 'CREATE', 'REMOVE', 'RENAME', 'LINK', 'SYMLINK',
  'MKDIR', 'RMDIR', 'READDIR', 'STATFS',
];
const V2_PROC_VALUES: Record<number, string> = Object.fromEntries(V2_PROCEDURES.map((n, i) => [i, n]));
const STATUS2: Record<number, string> = {
  0: 'NFS_OK', 1: 'NFS2ERR_PERM', 2: 'NFS2ERR_NOENT', 5: 'NFS2ERR_IO', 6: 'NFS2ERR_NXIO', 11: 'NFS2ERR_EAGAIN',
  13: 'NFS2ERR_ACCES', 17: 'NFS2ERR_EXIST', 18: 'NFS2ERR_XDEV', 19: 'NFS2ERR_NODEV', 20: 'NFS2ERR_NOTDIR',
  21: 'NFS2ERR_ISDIR', 22: 'NFS2ERR_INVAL', 26: 'NFS2ERR_TXTBSY', 27: 'NFS2ERR_FBIG', 28: 'NFS2ERR_NOSPC',
  30: 'NFS2ERR_ROFS', 31: 'NFS2ERR_MLINK', 45: 'NFS2ERR_OPNOTSUPP', 63: 'NFS2ERR_NAMETOOLONG',
  66: 'NFS2ERR_NOTEMPTY', 69: 'NFS2ERR_DQUOT', 70: 'NFS2ERR_STALE', 71: 'NFS2ERR_REMOTE', 99: 'NFS2ERR_WFLUSH',
  10001: 'NFS2ERR_BADHANDLE', 10002: 'NFS2ERR_NOT_SYNC', 10003: 'NFS2ERR_BAD_COOKIE', 10004: 'NFS2ERR_NOTSUPP',
  10005: 'NFS2ERR_TOOSMALL', 10006: 'NFS2ERR_SERVERFAULT', 10007: 'NFS2ERR_BADTYPE', 10008: 'NFS2ERR_JUKEBOX',
  10009: 'NFS2ERR_SAME', 10010: 'NFS2ERR_DENIED', 10011: 'NFS2ERR_EXPIRED', 10012: 'NFS2ERR_LOCKED',
  10013: 'NFS2ERR_GRACE', 10014: 'NFS2ERR_FHEXPIRED', 10015: 'NFS2ERR_SHARE_DENIED', 10016: 'NFS2ERR_WRONGSEC',
  10017: 'NFS2ERR_CLID_INUSE', 10018: 'NFS2ERR_RESOURCE', 10019: 'NFS2ERR_MOVED', 10020: 'NFS2ERR_NOFILEHANDLE',
  10021: 'NFS2ERR_MINOR_VERS_MISMATCH', 10022: 'NFS2ERR_STALE_CLIENTID', 10023: 'NFS2ERR_STALE_STATEID',
  10024: 'NFS2ERR_OLD_STATEID', 10025: 'NFS2ERR_BAD_STATEID', 10026: 'NFS2ERR_BAD_SEQID', 10027: 'NFS2ERR_NOT_SAME',
  10028: 'NFS2ERR_LOCK_RANGE', 10029: 'NFS2ERR_SYMLINK', 10030: 'NFS2ERR_RESTOREFH', 10031: 'NFS2ERR_LEASE_MOVED',
  10032: 'NFS2ERR_ATTRNOTSUPP', 10033: 'NFS2ERR_NO_GRACE', 10034: 'NFS2ERR_RECLAIM_BAD',
  10035: 'NFS2ERR_RECLAIM_CONFLICT', 10036: 'NFS2ERR_BAD_XDR', 10037: 'NFS2ERR_LOCKS_HELD',
  10038: 'NFS2ERR_OPENMODE', 10039: 'NFS2ERR_BADOWNER', 10040: 'NFS2ERR_BADCHAR', 10041: 'NFS2ERR_BADNAME',
  10042: 'NFS2ERR_BAD_RANGE', 10043: 'NFS2ERR_LOCK_NOTSUPP', 10044: 'NFS2ERR_OP_ILLEGAL', 10045: 'NFS2ERR_DEADLOCK',
  10046: 'NFS2ERR_FILE_OPEN', 10047: 'NFS2ERR_ADMIN_REVOKED', 10048: 'NFS2ERR_CB_PATH_DOWN',
  10049: 'NFS2ERR_REPLAY_ME',
};

const STATUS3: Record<number, string> = {
  0: 'NFS3_OK', 1: 'NFS3ERR_PERM', 2: 'NFS3ERR_NOENT', 5: 'NFS3ERR_IO', 6: 'NFS3ERR_NXIO', 13: 'NFS3ERR_ACCES', 17: 'NFS3ERR_EXIST', 18: 'NFS3ERR_XDEV',
  19: 'NFS3ERR_NODEV', 20: 'NFS3ERR_NOTDIR', 21: 'NFS3ERR_ISDIR', 22: 'NFS3ERR_INVAL', 27: 'NFS3ERR_FBIG', 28: 'NFS3ERR_NOSPC', 30: 'NFS3ERR_ROFS',
  31: 'NFS3ERR_MLINK', 63: 'NFS3ERR_NAMETOOLONG', 66: 'NFS3ERR_NOTEMPTY', 69: 'NFS3ERR_DQUOT', 70: 'NFS3ERR_STALE', 71: 'NFS3ERR_REMOTE',
  10001: 'NFS3ERR_BADHANDLE', 10002: 'NFS3ERR_NOT_SYNC', 10003: 'NFS3ERR_BAD_COOKIE', 10004: 'NFS3ERR_NOTSUPP', 10005: 'NFS3ERR_TOOSMALL',
  10006: 'NFS3ERR_SERVERFAULT', 10007: 'NFS3ERR_BADTYPE', 10008: 'NFS3ERR_JUKEBOX',
};
/** The hidden generic nfs.status: the v3 names without their "NFS3" ("OK", "ERR_NOENT"). */
/** nfs.status, the hidden status of every version: tshark names it with NFSv4's status names. */
const STATUS: Record<number, string> = {
  0: 'OK', 1: 'ERR_PERM', 2: 'ERR_NOENT', 5: 'ERR_IO', 6: 'ERR_NXIO', 11: 'ERR_EAGAIN', 13: 'ERR_ACCESS',
  17: 'ERR_EXIST', 18: 'ERR_XDEV', 19: 'ERR_NODEV', 20: 'ERR_NOTDIR', 21: 'ERR_ISDIR', 22: 'ERR_INVAL',
  26: 'ERR_TXTBSY', 27: 'ERR_FBIG', 28: 'ERR_NOSPC', 30: 'ERR_ROFS', 31: 'ERR_MLINK', 45: 'ERR_OPNOTSUPP',
  63: 'ERR_NAMETOOLONG', 66: 'ERR_NOTEMPTY', 69: 'ERR_DQUOT', 70: 'ERR_STALE', 71: 'ERR_REMOTE', 99: 'ERR_WFLUSH',
  10001: 'ERR_BADHANDLE', 10002: 'ERR_NOT_SYNC', 10003: 'ERR_BAD_COOKIE', 10004: 'ERR_NOTSUPP',
  10005: 'ERR_TOOSMALL', 10006: 'ERR_SERVERFAULT', 10007: 'ERR_BADTYPE', 10008: 'ERR_DELAY', 10009: 'ERR_SAME',
  10010: 'ERR_DENIED', 10011: 'ERR_EXPIRED', 10012: 'ERR_LOCKED', 10013: 'ERR_GRACE', 10014: 'ERR_FHEXPIRED',
  10015: 'ERR_SHARE_DENIED', 10016: 'ERR_WRONGSEC', 10017: 'ERR_CLID_INUSE', 10018: 'ERR_RESOURCE',
  10019: 'ERR_MOVED', 10020: 'ERR_NOFILEHANDLE', 10021: 'ERR_MINOR_VERS_MISMATCH', 10022: 'ERR_STALE_CLIENTID',
  10023: 'ERR_STALE_STATEID', 10024: 'ERR_OLD_STATEID', 10025: 'ERR_BAD_STATEID', 10026: 'ERR_BAD_SEQID',
  10027: 'ERR_NOT_SAME', 10028: 'ERR_LOCK_RANGE', 10029: 'ERR_SYMLINK', 10030: 'ERR_READDIR_NOSPC',
  10031: 'ERR_LEASE_MOVED', 10032: 'ERR_ATTRNOTSUPP', 10033: 'ERR_NO_GRACE', 10034: 'ERR_RECLAIM_BAD',
  10035: 'ERR_RECLAIM_CONFLICT', 10036: 'ERR_BADXDR', 10037: 'ERR_LOCKS_HELD', 10038: 'ERR_OPENMODE',
  10039: 'ERR_BADOWNER', 10040: 'ERR_BADCHAR', 10041: 'ERR_BADNAME', 10042: 'ERR_BAD_RANGE',
  10043: 'ERR_LOCK_NOTSUPP', 10044: 'ERR_OP_ILLEGAL', 10045: 'ERR_DEADLOCK', 10046: 'ERR_FILE_OPEN',
  10047: 'ERR_ADMIN_REVOKED', 10048: 'ERR_CB_PATH_DOWN', 10049: 'ERR_REPLAY_ME_or_BADIOMODE', 10050: 'ERR_BADLAYOUT',
  10051: 'ERR_BAD_SESSION_DIGEST', 10052: 'ERR_BADSESSION', 10053: 'ERR_BADSLOT', 10054: 'ERR_COMPLETE_ALREADY',
  10055: 'ERR_CONN_NOT_BOUND_TO_SESSION', 10056: 'ERR_DELEG_ALREADY_WANTED', 10057: 'ERR_BACK_CHAN_BUSY',
  10058: 'ERR_LAYOUTTRYLATER', 10059: 'ERR_LAYOUTUNAVAILABLE', 10060: 'ERR_NOMATCHING_LAYOUT',
  10061: 'ERR_RECALLCONFLICT', 10062: 'ERR_UNKNOWN_LAYOUTTYPE', 10063: 'ERR_SEQ_MISORDERED',
  10064: 'ERR_SEQUENCE_POS', 10065: 'ERR_REQ_TOO_BIG', 10066: 'ERR_REP_TOO_BIG', 10067: 'ERR_REP_TOO_BIG_TO_CACHE',
  10068: 'ERR_RETRY_UNCACHED_REP', 10069: 'ERR_UNSAFE_COMPOUND', 10070: 'ERR_TOO_MANY_OPS',
  10071: 'ERR_OP_NOT_IN_SESSION', 10072: 'ERR_HASH_ALG_UNSUPP', 10073: 'NFS4ERR_CONN_BINDING_NOT_ENFORCED',
  10074: 'ERR_CLIENTID_BUSY', 10075: 'ERR_PNFS_IO_HOLE', 10076: 'ERR_SEQ_FALSE_RETRY', 10077: 'ERR_BAD_HIGH_SLOT',
  10078: 'ERR_DEADSESSION', 10079: 'ERR_ENCR_ALG_UNSUPP', 10080: 'ERR_PNFS_NO_LAYOUT', 10081: 'ERR_NOT_ONLY_OP',
  10082: 'ERR_WRONG_CRED', 10083: 'ERR_WRONG_TYPE', 10084: 'ERR_DIRDELEG_UNAVAIL', 10085: 'ERR_REJECT_DELEG',
  10086: 'ERR_RETURNCONFLICT', 10087: 'ERR_DELEG_REVOKED', 10088: 'ERR_PARTNER_NOTSUPP',
  10089: 'ERR_PARTNER_NO_AUTH', 10090: 'ERR_UNION_NOTSUPP', 10091: 'ERR_OFFLOAD_DENIED', 10092: 'ERR_WRONG_LFS',
  10093: 'ERR_BADLABEL', 10094: 'ERR_OFFLOAD_NO_REQS',
};
const FTYPES: Record<number, string> = {
  1: 'Regular File', 2: 'Directory', 3: 'Block Special Device', 4: 'Character Special Device', 5: 'Symbolic Link', 6: 'Socket', 7: 'Named Pipe',
};
/** NFSv2's file types (ftype), which nfs.ftype shows. */
const FTYPES2: Record<number, string> = {
  0: 'Non-File', 1: 'Regular File', 2: 'Directory', 3: 'Block Special Device', 4: 'Character Special Device',
  5: 'Symbolic Link',
};
const STABLE: Record<number, string> = { 0: 'UNSTABLE', 1: 'DATA_SYNC', 2: 'FILE_SYNC' };
const CREATE_MODES: Record<number, string> = { 0: 'UNCHECKED', 1: 'GUARDED', 2: 'EXCLUSIVE' };
const VALUE_FOLLOWS: Record<number, string> = { 0: 'no value', 1: 'value follows' };
const TIME_HOW: Record<number, string> = { 0: "don't change", 1: 'set to server time', 2: 'set to client time' };

const yesNo = ['Yes', 'No'] as const;
export const nfsFields = defineFields([
  { name: 'nfs.procedure_v3', label: 'V3 Procedure', type: 'uint32', base: 'dec', values: V3_PROC_VALUES },
  { name: 'nfs.status3', label: 'Status', type: 'uint32', base: 'dec', values: STATUS3, description: 'Reply status' },
  { name: 'nfs.status', label: 'Status', type: 'uint32', base: 'dec', values: STATUS, description: 'Reply status' },
  { name: 'nfs.fh.length', label: 'length', type: 'uint32', base: 'dec', description: 'file handle length' },
  { name: 'nfs.fh.hash', label: 'hash (CRC-32)', type: 'uint32', base: 'hex', description: 'file handle hash' },
  { name: 'nfs.fhandle', label: 'FileHandle', type: 'bytes', description: 'Opaque nfs filehandle' },
  { name: 'nfs.fattr3.type', label: 'Type', type: 'uint32', base: 'dec', values: FTYPES },
  { name: 'nfs.mode3', label: 'Mode', type: 'uint32', base: 'dec' },
  { name: 'nfs.mode3.suid', label: 'S_ISUID', type: 'boolean', mask: 0x800, tf: yesNo },
  { name: 'nfs.mode3.sgid', label: 'S_ISGID', type: 'boolean', mask: 0x400, tf: yesNo },
  { name: 'nfs.mode3.sticky', label: 'S_ISVTX', type: 'boolean', mask: 0x200, tf: yesNo },
  { name: 'nfs.mode3.rusr', label: 'S_IRUSR', type: 'boolean', mask: 0x100, tf: yesNo },
  { name: 'nfs.mode3.wusr', label: 'S_IWUSR', type: 'boolean', mask: 0x80, tf: yesNo },
  { name: 'nfs.mode3.xusr', label: 'S_IXUSR', type: 'boolean', mask: 0x40, tf: yesNo },
  { name: 'nfs.mode3.rgrp', label: 'S_IRGRP', type: 'boolean', mask: 0x20, tf: yesNo },
  { name: 'nfs.mode3.wgrp', label: 'S_IWGRP', type: 'boolean', mask: 0x10, tf: yesNo },
  { name: 'nfs.mode3.xgrp', label: 'S_IXGRP', type: 'boolean', mask: 0x8, tf: yesNo },
  { name: 'nfs.mode3.roth', label: 'S_IROTH', type: 'boolean', mask: 0x4, tf: yesNo },
  { name: 'nfs.mode3.woth', label: 'S_IWOTH', type: 'boolean', mask: 0x2, tf: yesNo },
  { name: 'nfs.mode3.xoth', label: 'S_IXOTH', type: 'boolean', mask: 0x1, tf: yesNo },
  { name: 'nfs.fattr3.nlink', label: 'nlink', type: 'uint32', base: 'dec' },
  { name: 'nfs.fattr3.uid', label: 'uid', type: 'uint32', base: 'dec' },
  { name: 'nfs.fattr3.gid', label: 'gid', type: 'uint32', base: 'dec' },
  { name: 'nfs.fattr3.size', label: 'size', type: 'uint64', base: 'dec' },
  { name: 'nfs.fattr3.used', label: 'used', type: 'uint64', base: 'dec' },
  { name: 'nfs.specdata1', label: 'specdata1', type: 'uint32', base: 'dec' },
  { name: 'nfs.specdata2', label: 'specdata2', type: 'uint32', base: 'dec' },
  { name: 'nfs.fattr3.fsid', label: 'fsid', type: 'uint64', base: 'hex_dec' },
  { name: 'nfs.fattr3.fileid', label: 'fileid', type: 'uint64', base: 'dec' },
  { name: 'nfs.atime', label: 'atime', type: 'abstime', clock: 'utc', description: 'Access Time' },
  { name: 'nfs.atime.sec', label: 'seconds', type: 'uint32', base: 'dec' },
  { name: 'nfs.atime.nsec', label: 'nano seconds', type: 'uint32', base: 'dec' },
  { name: 'nfs.mtime', label: 'mtime', type: 'abstime', clock: 'utc', description: 'Modify Time' },
  { name: 'nfs.mtime.sec', label: 'seconds', type: 'uint32', base: 'dec' },
  { name: 'nfs.mtime.nsec', label: 'nano seconds', type: 'uint32', base: 'dec' },
  { name: 'nfs.ctime', label: 'ctime', type: 'abstime', clock: 'utc', description: 'Creation Time' },
  { name: 'nfs.ctime.sec', label: 'seconds', type: 'uint32', base: 'dec' },
  { name: 'nfs.ctime.nsec', label: 'nano seconds', type: 'uint32', base: 'dec' },
  { name: 'nfs.dtime', label: 'time delta', type: 'reltime' },
  { name: 'nfs.dtime.sec', label: 'seconds', type: 'uint32', base: 'dec' },
  { name: 'nfs.dtime.nsec', label: 'nano seconds', type: 'uint32', base: 'dec' },
  { name: 'nfs.set_it', label: 'set_it', type: 'uint32', base: 'dec', description: 'How To Set Time' },
  { name: 'nfs.uid3', label: 'uid', type: 'uint32', base: 'dec' },
  { name: 'nfs.gid3', label: 'gid', type: 'uint32', base: 'dec' },
  { name: 'nfs.set_size', label: 'size', type: 'uint64', base: 'dec' },
  { name: 'nfs.sattrguard3', label: 'check', type: 'uint32', base: 'dec', values: VALUE_FOLLOWS },
  { name: 'nfs.attributes_follow', label: 'attributes_follow', type: 'uint32', base: 'dec', values: VALUE_FOLLOWS },
  { name: 'nfs.handle_follow', label: 'handle_follow', type: 'uint32', base: 'dec', values: VALUE_FOLLOWS },
  { name: 'nfs.wcc_attr.size', label: 'size', type: 'uint64', base: 'dec' },
  { name: 'nfs.name', label: 'Name', type: 'string' },
  { name: 'nfs.readlink.data', label: 'Data', type: 'string', description: 'Symbolic Link Data' },
  { name: 'nfs.offset3', label: 'offset', type: 'uint64', base: 'dec' },
  { name: 'nfs.count3', label: 'count', type: 'uint32', base: 'dec' },
  { name: 'nfs.count3_dircount', label: 'dircount', type: 'uint32', base: 'dec' },
  { name: 'nfs.count3_maxcount', label: 'maxcount', type: 'uint32', base: 'dec' },
  { name: 'nfs.read.eof', label: 'EOF', type: 'boolean', tf: yesNo },
  { name: 'nfs.data', label: 'Data', type: 'bytes' },
  { name: 'nfs.write.stable', label: 'Stable', type: 'uint32', base: 'dec', values: STABLE },
  { name: 'nfs.write.committed', label: 'Committed', type: 'uint32', base: 'dec', values: STABLE },
  { name: 'nfs.symlink.to', label: 'To', type: 'string', description: 'Symbolic link destination name' },
  { name: 'nfs.type', label: 'Type', type: 'uint32', base: 'dec', values: FTYPES, description: 'File Type' },
  { name: 'nfs.verifier', label: 'Verifier', type: 'bytes' },
  { name: 'nfs.createmode', label: 'Create Mode', type: 'uint32', base: 'dec', values: CREATE_MODES },
  { name: 'nfs.cookie3', label: 'cookie', type: 'uint64', base: 'dec' },
  { name: 'nfs.readdir.entry', label: 'Entry', type: 'none', description: 'Directory Entry' },
  { name: 'nfs.readdir.entry3.fileid', label: 'File ID', type: 'uint64', base: 'dec' },
  { name: 'nfs.readdir.entry3.name', label: 'Name', type: 'string' },
  { name: 'nfs.readdir.entry3.cookie', label: 'Cookie', type: 'uint64', base: 'dec' },
  { name: 'nfs.readdirplus.entry.fileid', label: 'File ID', type: 'uint64', base: 'dec' },
  { name: 'nfs.readdirplus.entry.name', label: 'Name', type: 'string' },
  { name: 'nfs.readdirplus.entry.cookie', label: 'Cookie', type: 'uint64', base: 'dec' },
  { name: 'nfs.readdir.eof', label: 'EOF', type: 'uint32', base: 'dec' },
  { name: 'nfs.fsstat3_resok.tbytes', label: 'Total bytes', type: 'uint64', base: 'dec' },
  { name: 'nfs.fsstat3_resok.fbytes', label: 'Free bytes', type: 'uint64', base: 'dec' },
  { name: 'nfs.fsstat3_resok.abytes', label: 'Available free bytes', type: 'uint64', base: 'dec' },
  { name: 'nfs.fsstat3_resok.tfiles', label: 'Total file slots', type: 'uint64', base: 'dec' },
  { name: 'nfs.fsstat3_resok.ffiles', label: 'Free file slots', type: 'uint64', base: 'dec' },
  { name: 'nfs.fsstat3_resok.afiles', label: 'Available free file slots', type: 'uint64', base: 'dec' },
  { name: 'nfs.fsstat.invarsec', label: 'invarsec', type: 'uint32', base: 'dec' },
  { name: 'nfs.fsinfo.rtmax', label: 'rtmax', type: 'uint32', base: 'dec' },
  { name: 'nfs.fsinfo.rtpref', label: 'rtpref', type: 'uint32', base: 'dec' },
  { name: 'nfs.fsinfo.rtmult', label: 'rtmult', type: 'uint32', base: 'dec' },
  { name: 'nfs.fsinfo.wtmax', label: 'wtmax', type: 'uint32', base: 'dec' },
  { name: 'nfs.fsinfo.wtpref', label: 'wtpref', type: 'uint32', base: 'dec' },
  { name: 'nfs.fsinfo.wtmult', label: 'wtmult', type: 'uint32', base: 'dec' },
  { name: 'nfs.fsinfo.dtpref', label: 'dtpref', type: 'uint32', base: 'dec' },
  { name: 'nfs.fsinfo.maxfilesize', label: 'maxfilesize', type: 'uint64', base: 'dec' },
  { name: 'nfs.fsinfo.properties', label: 'Properties', type: 'uint32', base: 'hex' },
  { name: 'nfs.fsinfo.properties.setattr', label: 'SETATTR can set time on server', type: 'boolean', mask: 0x10, tf: yesNo },
  { name: 'nfs.fsinfo.properties.pathconf', label: 'PATHCONF', type: 'boolean', mask: 0x8, tf: ['is valid for all files', 'should be get for every single file'] },
  { name: 'nfs.fsinfo.properties.symlinks', label: 'File System supports symbolic links', type: 'boolean', mask: 0x2, tf: yesNo },
  { name: 'nfs.fsinfo.properties.hardlinks', label: 'File System supports hard links', type: 'boolean', mask: 0x1, tf: yesNo },
  { name: 'nfs.pathconf.linkmax', label: 'linkmax', type: 'uint32', base: 'dec' },
  { name: 'nfs.pathconf.name_max', label: 'name_max', type: 'uint32', base: 'dec' },
  { name: 'nfs.pathconf.no_trunc', label: 'no_trunc', type: 'boolean', tf: yesNo },
  { name: 'nfs.pathconf.chown_restricted', label: 'chown_restricted', type: 'boolean', tf: yesNo },
  { name: 'nfs.pathconf.case_insensitive', label: 'case_insensitive', type: 'boolean', tf: yesNo },
  { name: 'nfs.pathconf.case_preserving', label: 'case_preserving', type: 'boolean', tf: yesNo },
  { name: 'nfs.access_check', label: 'Check access', type: 'uint8', base: 'hex' },
  { name: 'nfs.access_rights', label: 'Access rights (of requested)', type: 'uint8', base: 'hex' },
  { name: 'nfs.access_read', label: '0x001 READ', type: 'boolean', mask: 0x1 },
  { name: 'nfs.access_lookup', label: '0x002 LOOKUP', type: 'boolean', mask: 0x2 },
  { name: 'nfs.access_modify', label: '0x004 MODIFY', type: 'boolean', mask: 0x4 },
  { name: 'nfs.access_extend', label: '0x008 EXTEND', type: 'boolean', mask: 0x8 },
  { name: 'nfs.access_delete', label: '0x010 DELETE', type: 'boolean', mask: 0x10 },
  { name: 'nfs.access_execute', label: '0x020 EXECUTE', type: 'boolean', mask: 0x20 },
  // NFS version 2 (RFC 1094)
  { name: 'nfs.procedure_v2', label: 'V2 Procedure', type: 'uint32', base: 'dec', values: V2_PROC_VALUES },
  { name: 'nfs.status2', label: 'Status', type: 'uint32', base: 'dec', values: STATUS2, description: 'Reply status' },
  { name: 'nfs.ftype', label: 'type', type: 'uint32', base: 'dec', values: FTYPES2 },
  { name: 'nfs.mode', label: 'mode', type: 'uint32', base: 'dec' },
  { name: 'nfs.mode.name', label: 'Name', type: 'uint32', base: 'dec', mask: 0xe000, values: {} },
  { name: 'nfs.mode.set_user_id', label: 'Set user id on exec', type: 'boolean', mask: 0x800, tf: yesNo },
  { name: 'nfs.mode.set_group_id', label: 'Set group id on exec', type: 'boolean', mask: 0x400, tf: yesNo },
  { name: 'nfs.mode.save_swap_text', label: 'Save swapped text even after use', type: 'boolean', mask: 0x200, tf: yesNo },
  { name: 'nfs.mode.read_owner', label: 'Read permission for owner', type: 'boolean', mask: 0x100, tf: yesNo },
  { name: 'nfs.mode.write_owner', label: 'Write permission for owner', type: 'boolean', mask: 0x80, tf: yesNo },
  { name: 'nfs.mode.exec_owner', label: 'Execute permission for owner', type: 'boolean', mask: 0x40, tf: yesNo },
  { name: 'nfs.mode.read_group', label: 'Read permission for group', type: 'boolean', mask: 0x20, tf: yesNo },
  { name: 'nfs.mode.write_group', label: 'Write permission for group', type: 'boolean', mask: 0x10, tf: yesNo },
  { name: 'nfs.mode.exec_group', label: 'Execute permission for group', type: 'boolean', mask: 0x8, tf: yesNo },
  { name: 'nfs.mode.read_other', label: 'Read permission for others', type: 'boolean', mask: 0x4, tf: yesNo },
  { name: 'nfs.mode.write_other', label: 'Write permission for others', type: 'boolean', mask: 0x2, tf: yesNo },
  { name: 'nfs.mode.exec_other', label: 'Execute permission for others', type: 'boolean', mask: 0x1, tf: yesNo },
  { name: 'nfs.fattr.nlink', label: 'nlink', type: 'uint32', base: 'dec' },
  { name: 'nfs.fattr.uid', label: 'uid', type: 'uint32', base: 'dec' },
  { name: 'nfs.fattr.gid', label: 'gid', type: 'uint32', base: 'dec' },
  { name: 'nfs.fattr.size', label: 'size', type: 'uint32', base: 'dec' },
  { name: 'nfs.fattr.blocksize', label: 'blocksize', type: 'uint32', base: 'dec' },
  { name: 'nfs.fattr.rdev', label: 'rdev', type: 'uint32', base: 'dec' },
  { name: 'nfs.fattr.blocks', label: 'blocks', type: 'uint32', base: 'dec' },
  { name: 'nfs.fattr.fsid', label: 'fsid', type: 'uint32', base: 'hex' },
  { name: 'nfs.fattr.fileid', label: 'fileid', type: 'uint32', base: 'dec' },
  { name: 'nfs.atime.usec', label: 'micro seconds', type: 'uint32', base: 'dec' },
  { name: 'nfs.mtime.usec', label: 'micro seconds', type: 'uint32', base: 'dec' },
  { name: 'nfs.ctime.usec', label: 'micro seconds', type: 'uint32', base: 'dec' },
  { name: 'nfs.read.offset', label: 'Offset', type: 'uint32', base: 'dec' },
  { name: 'nfs.read.count', label: 'Count', type: 'uint32', base: 'dec' },
  { name: 'nfs.read.totalcount', label: 'Total Count', type: 'uint32', base: 'dec' },
  { name: 'nfs.write.beginoffset', label: 'Begin Offset', type: 'uint32', base: 'dec' },
  { name: 'nfs.write.offset', label: 'Offset', type: 'uint32', base: 'dec' },
  { name: 'nfs.write.totalcount', label: 'Total Count', type: 'uint32', base: 'dec' },
  { name: 'nfs.readdir.cookie', label: 'Cookie', type: 'uint32', base: 'dec' },
  { name: 'nfs.readdir.count', label: 'Count', type: 'uint32', base: 'dec' },
  { name: 'nfs.readdir.entry.fileid', label: 'File ID', type: 'uint32', base: 'dec' },
  { name: 'nfs.readdir.entry.name', label: 'Name', type: 'string' },
  { name: 'nfs.readdir.entry.cookie', label: 'Cookie', type: 'uint32', base: 'dec' },
  { name: 'nfs.statfs.tsize', label: 'Transfer Size', type: 'uint32', base: 'dec' },
  { name: 'nfs.statfs.bsize', label: 'Block Size', type: 'uint32', base: 'dec' },
  { name: 'nfs.statfs.blocks', label: 'Total Blocks', type: 'uint32', base: 'dec' },
  { name: 'nfs.statfs.bfree', label: 'Free Blocks', type: 'uint32', base: 'dec' },
  { name: 'nfs.statfs.bavail', label: 'Available Blocks', type: 'uint32', base: 'dec' },
] as const);
const F = nfsFields;

/** RPC's fields NFS adds too (dissect_rpc_string / opaque: "length", "fill bytes"; "Value Follows"). */
const rpcField = (name: string): FieldDef => {
  const f = fieldByName(name);
  if (!f) throw new Error(`${name} is RPC's and RPC is not loaded`);
  return f;
};

// ---- CRC-32 of a file handle (packet-nfs.c: crc32_ccitt over the handle's bytes) ----

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(b: Uint8Array): number {
  let c = 0xffffffff;
  for (const x of b) c = CRC_TABLE[(c ^ x) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const hex8 = (v: number) => `0x${v.toString(16).padStart(8, '0')}`;

// ---- XDR reading with tree output ----

/** One NFS message being read: the tvb, the context, and the Info/item text it builds. */
class Reader {
  /** Text appended to the Info column (after RPC's "V3 WRITE Call"). */
  info = '';
  /** Text appended to the NFS item ("Network File System, WRITE Call ..."). */
  item = '';
  constructor(readonly tvb: Tvb, readonly ctx: PacketContext, readonly msg: RpcMessage) {}

  u32(parent: FieldNode, f: FieldDef, o: number, text?: () => string): number {
    const v = this.tvb.u32(o);
    this.ctx.add(parent, f, this.tvb, o, 4, v, text);
    return v;
  }

  u64(parent: FieldNode, f: FieldDef, o: number): bigint {
    const v = this.tvb.u64(o);
    this.ctx.add(parent, f, this.tvb, o, 8, v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v);
    return v;
  }

  bool(parent: FieldNode, f: FieldDef, o: number): boolean {
    const v = this.tvb.u32(o) !== 0;
    this.ctx.add(parent, f, this.tvb, o, 4, v);
    return v;
  }

  /** An XDR opaque/string (dissect_rpc_opaque_data): "Label: value", its length, contents and fill bytes. */
  string(parent: FieldNode, f: FieldDef, o: number, label: string, asData = false): { o: number; s: string } {
    const { tvb, ctx } = this;
    const len = tvb.u32(o);
    const padded = len + ((4 - (len % 4)) % 4);
    // Cut short by the capture (not past the message): shown as far as captured, marked
    // "<TRUNCATED>", then the exception (dissect_rpc_opaque_data).
    const have = o + 4 + len > tvb.length && o + 4 + len <= tvb.reportedLength ? tvb.remaining(o + 4) : len;
    tvb.check(o + 4, have);
    const s = asData ? '' : tvb.ascii(o + 4, have);
    const shown = (asData ? '<DATA>' : len === 0 ? '<EMPTY>' : s) + (have < len ? '<TRUNCATED>' : '');
    const t = ctx.addText(parent, tvb, o, 4 + padded, `${label}: ${shown}`);
    ctx.add(t, rpcField('rpc.opaque_length'), tvb, o, 4, len);
    ctx.add(t, f, tvb, o + 4, have, asData ? tvb.slice(o + 4, have) : s, `contents: ${shown}`);
    tvb.check(o + 4, len);
    if (padded > len) {
      tvb.check(o + 4 + len, padded - len);
      ctx.add(t, rpcField('rpc.fill_bytes'), tvb, o + 4 + len, padded - len, tvb.slice(o + 4 + len, padded - len), 'fill bytes: opaque data');
    }
    return { o: o + 4 + padded, s };
  }

  /** nfs_fh3: a subtree titled `label` with the length, the hash and the handle. */
  fh(parent: FieldNode, o: number, label: string): { o: number; hash: number } {
    const { tvb, ctx } = this;
    const len = tvb.u32(o);
    const padded = len + ((4 - (len % 4)) % 4);
    const t = ctx.addText(parent, tvb, o, 4 + padded, label);
    ctx.add(t, F['nfs.fh.length'], tvb, o, 4, len);
    const bytes = tvb.slice(o + 4, len);
    const hash = crc32(bytes);
    ctx.addGenerated(t, F['nfs.fh.hash'], hash);
    ctx.add(t, F['nfs.fhandle'], tvb, o + 4, len, bytes);
    tvb.check(o + 4, padded);
    return { o: o + 4 + padded, hash };
  }

  /** nfstime3 under its field: "mtime: <UTC time>" with seconds and nano seconds. */
  time(parent: FieldNode, o: number, which: 'atime' | 'mtime' | 'ctime'): number {
    const { tvb, ctx } = this;
    const sec = tvb.u32(o), nsec = tvb.u32(o + 4);
    const t = ctx.add(parent, F[`nfs.${which}`], tvb, o, 8, { sec, nsec });
    ctx.add(t, F[`nfs.${which}.sec`], tvb, o, 4, sec);
    ctx.add(t, F[`nfs.${which}.nsec`], tvb, o + 4, 4, nsec);
    return o + 8;
  }

  /** mode3 as a bitmask: "Mode: 0100644, S_IRUSR, ..." and one line per bit. */
  mode(parent: FieldNode, o: number): number {
    const { tvb, ctx } = this;
    const mode = tvb.u32(o);
    const bits = MODE_BITS();
    const set = bits.filter((f) => mode & f.mask!).map((f) => f.label);
    const t = ctx.add(parent, F['nfs.mode3'], tvb, o, 4, mode, () => `Mode: ${mode === 0 ? '0' : '0' + mode.toString(8)}${set.map((n) => `, ${n}`).join('')}`);
    for (const f of bits) ctx.add(t, f, tvb, o, 4, (mode & f.mask!) !== 0);
    return mode;
  }

  /** fattr3 (RFC 1813 2.5): a subtree titled with the type, mode and owner; returns that summary. */
  fattr(parent: FieldNode, o: number, label: string): { o: number; summary: string } {
    const { tvb, ctx } = this;
    const type = tvb.u32(o), mode = tvb.u32(o + 4), uid = tvb.u32(o + 12), gid = tvb.u32(o + 16);
    const summary = `${FTYPES[type] ?? 'Unknown'} mode: ${(mode & 0o7777).toString(8).padStart(4, '0')} uid: ${uid} gid: ${gid}`;
    tvb.check(o, 84);
    const t = ctx.addText(parent, tvb, o, 84, `${label}  ${summary}`);
    this.u32(t, F['nfs.fattr3.type'], o);
    this.mode(t, o + 4);
    this.u32(t, F['nfs.fattr3.nlink'], o + 8);
    this.u32(t, F['nfs.fattr3.uid'], o + 12);
    this.u32(t, F['nfs.fattr3.gid'], o + 16);
    this.u64(t, F['nfs.fattr3.size'], o + 20);
    this.u64(t, F['nfs.fattr3.used'], o + 28);
    const d1 = tvb.u32(o + 36), d2 = tvb.u32(o + 40);
    const rdev = ctx.addText(t, tvb, o + 36, 8, `rdev: ${d1},${d2}`);
    ctx.add(rdev, F['nfs.specdata1'], tvb, o + 36, 4, d1);
    ctx.add(rdev, F['nfs.specdata2'], tvb, o + 40, 4, d2);
    this.u64(t, F['nfs.fattr3.fsid'], o + 44);
    this.u64(t, F['nfs.fattr3.fileid'], o + 52);
    this.time(t, o + 60, 'atime');
    this.time(t, o + 68, 'mtime');
    this.time(t, o + 76, 'ctime');
    return { o: o + 84, summary };
  }

  /** post_op_attr: "label  <summary>" when attributes follow, with attributes_follow and the fattr3. */
  postOpAttr(parent: FieldNode, o: number, label: string): { o: number; summary: string } {
    const { tvb, ctx } = this;
    const follows = tvb.u32(o);
    const t = ctx.addText(parent, tvb, o, 4, label);
    ctx.add(t, F['nfs.attributes_follow'], tvb, o, 4, follows);
    if (follows !== 1) return { o: o + 4, summary: '' };
    const a = this.fattr(t, o + 4, 'attributes');
    if (ctx.tree) ctx.setText(t, `${label}  ${a.summary}`);
    ctx.setLength(t, 88);
    return { o: a.o, summary: a.summary };
  }

  /** pre_op_attr "before": attributes_follow, then size, mtime and ctime (wcc_attr). */
  preOpAttr(parent: FieldNode, o: number): number {
    const { tvb, ctx } = this;
    const follows = tvb.u32(o);
    const t = ctx.addText(parent, tvb, o, follows === 1 ? 28 : 4, 'before');
    ctx.add(t, F['nfs.attributes_follow'], tvb, o, 4, follows);
    if (follows !== 1) return o + 4;
    const a = ctx.addText(t, tvb, o + 4, 24, 'attributes');
    this.u64(a, F['nfs.wcc_attr.size'], o + 4);
    this.time(a, o + 12, 'mtime');
    this.time(a, o + 20, 'ctime');
    return o + 28;
  }

  wccData(parent: FieldNode, o: number, label: string): number {
    const start = o;
    const t = this.ctx.addText(parent, this.tvb, o, 0, label);
    o = this.preOpAttr(t, o);
    o = this.postOpAttr(t, o, 'after').o;
    this.ctx.setLength(t, o - start);
    return o;
  }

  /** post_op_fh3: handle_follow and the handle. */
  postOpFh(parent: FieldNode, o: number, label: string): { o: number; hash: number | null } {
    const { tvb, ctx } = this;
    const follows = tvb.u32(o);
    const t = ctx.addText(parent, tvb, o, 4, label);
    ctx.add(t, F['nfs.handle_follow'], tvb, o, 4, follows);
    if (follows !== 1) return { o: o + 4, hash: null };
    const h = this.fh(t, o + 4, 'handle');
    ctx.setLength(t, h.o - o);
    return h;
  }

  /** diropargs3: the directory's handle ("dir") and the name. */
  dirop(parent: FieldNode, o: number, label: string): { o: number; hash: number; name: string } {
    const start = o;
    const t = this.ctx.addText(parent, this.tvb, o, 0, label);
    const h = this.fh(t, o, 'dir');
    const n = this.string(t, F['nfs.name'], h.o, 'Name');
    this.ctx.setLength(t, n.o - start);
    return { o: n.o, hash: h.hash, name: n.s };
  }

  /** set_mode3/uid3/gid3/size3: "label: value follows" with set_it and the value. */
  private setValue(parent: FieldNode, o: number, label: string, value: (t: FieldNode, o: number) => number): number {
    const { tvb, ctx } = this;
    const it = tvb.u32(o);
    const t = ctx.addText(parent, tvb, o, 4, `${label}: ${VALUE_FOLLOWS[it] ?? 'Unknown'}`);
    ctx.add(t, F['nfs.set_it'], tvb, o, 4, it, () => `set_it: ${VALUE_FOLLOWS[it] ?? 'Unknown'} (${it})`);
    if (it !== 1) return o + 4;
    const end = value(t, o + 4);
    ctx.setLength(t, end - o);
    return end;
  }

  /** set_atime/set_mtime: "label: set to client time" with set_it and the time (tshark labels both times "atime"). */
  private setTime(parent: FieldNode, o: number, label: string): number {
    const { tvb, ctx } = this;
    const how = tvb.u32(o);
    const t = ctx.addText(parent, tvb, o, how === 2 ? 12 : 4, `${label}: ${TIME_HOW[how] ?? 'Unknown'}`);
    ctx.add(t, F['nfs.set_it'], tvb, o, 4, how, () => `set_it: ${TIME_HOW[how] ?? 'Unknown'} (${how})`);
    if (how !== 2) return o + 4;
    return this.time(t, o + 4, 'atime');
  }

  /** sattr3 (RFC 1813 2.6). */
  sattr(parent: FieldNode, o: number, label: string): number {
    const start = o;
    const t = this.ctx.addText(parent, this.tvb, o, 0, label);
    o = this.setValue(t, o, 'mode', (n, p) => { this.mode(n, p); return p + 4; });
    o = this.setValue(t, o, 'uid', (n, p) => { this.u32(n, F['nfs.uid3'], p); return p + 4; });
    o = this.setValue(t, o, 'gid', (n, p) => { this.u32(n, F['nfs.gid3'], p); return p + 4; });
    o = this.setValue(t, o, 'size', (n, p) => { this.u64(n, F['nfs.set_size'], p); return p + 8; });
    o = this.setTime(t, o, 'atime');
    o = this.setTime(t, o, 'mtime');
    this.ctx.setLength(t, o - start);
    return o;
  }

  verifier(parent: FieldNode, o: number): number {
    this.ctx.add(parent, F['nfs.verifier'], this.tvb, o, 8, this.tvb.slice(o, 8), 'Verifier: Opaque Data');
    return o + 8;
  }

  /** nfsstat3, and for an error the Info's " Error: NFS3ERR_..." (two spaces before it in the item). */
  status(parent: FieldNode, o: number): number {
    const { tvb, ctx } = this;
    const st = tvb.u32(o);
    const v2 = this.msg.call.vers === 2;
    ctx.add(parent, v2 ? F['nfs.status2'] : F['nfs.status3'], tvb, o, 4, st);
    ctx.addHidden(parent, F['nfs.status'], tvb, o, 4, st);
    if (st !== 0) {
      const name = (v2 ? STATUS2 : STATUS3)[st] ?? `Unknown (${st})`;
      this.info += ` Error: ${name}`;
      this.item += `  Error: ${name}`;
    }
    return st;
  }
}

// ---- NFS version 2 (RFC 1094 2.3) ----

const MODE2_BITS = () => [
  F['nfs.mode.set_user_id'], F['nfs.mode.set_group_id'], F['nfs.mode.save_swap_text'], F['nfs.mode.read_owner'], F['nfs.mode.write_owner'],
  F['nfs.mode.exec_owner'], F['nfs.mode.read_group'], F['nfs.mode.write_group'], F['nfs.mode.exec_group'], F['nfs.mode.read_other'],
  F['nfs.mode.write_other'], F['nfs.mode.exec_other'],
];

/** fhandle: 32 opaque bytes under `label`, with their hash. */
function fh2(r: Reader, parent: FieldNode, o: number, label: string): { o: number; hash: number } {
  const { tvb, ctx } = r;
  const bytes = tvb.slice(o, 32);
  const hash = crc32(bytes);
  const t = ctx.addText(parent, tvb, o, 32, label);
  ctx.addGenerated(t, F['nfs.fh.hash'], hash);
  ctx.add(t, F['nfs.fhandle'], tvb, o, 32, bytes);
  return { o: o + 32, hash };
}

/**
 * mode as a bitmask: "mode: 0100644, Name: Unknown, Read permission for owner, ...". The type
 * bits (0xe000) are named from a table of unshifted values, so tshark always says "Unknown".
 */
function mode2(r: Reader, parent: FieldNode, o: number): void {
  const { tvb, ctx } = r;
  const mode = tvb.u32(o);
  const bits = MODE2_BITS();
  const set = bits.filter((f) => mode & f.mask!).map((f) => `, ${f.label}`).join('');
  const t = ctx.add(parent, F['nfs.mode'], tvb, o, 4, mode, () => `mode: ${mode === 0 ? '0' : '0' + mode.toString(8)}, Name: Unknown${set}`);
  ctx.add(t, F['nfs.mode.name'], tvb, o, 4, (mode & 0xe000) >>> 13);
  for (const f of bits) ctx.add(t, f, tvb, o, 4, (mode & f.mask!) !== 0);
}

/** timeval: seconds and microseconds under the time's field. */
function timeval(r: Reader, parent: FieldNode, o: number, which: 'atime' | 'mtime' | 'ctime'): void {
  const { tvb, ctx } = r;
  const sec = tvb.u32(o), usec = tvb.u32(o + 4);
  const t = ctx.add(parent, F[`nfs.${which}`], tvb, o, 8, { sec, nsec: usec * 1000 });
  ctx.add(t, F[`nfs.${which}.sec`], tvb, o, 4, sec);
  ctx.add(t, F[`nfs.${which}.usec`], tvb, o + 4, 4, usec);
}

function fattr2(r: Reader, parent: FieldNode, o: number): number {
  const { tvb, ctx } = r;
  tvb.check(o, 68);
  const t = ctx.addText(parent, tvb, o, 68, 'attributes');
  r.u32(t, F['nfs.ftype'], o);
  mode2(r, t, o + 4);
  const fields = ['nlink', 'uid', 'gid', 'size', 'blocksize', 'rdev', 'blocks', 'fsid', 'fileid'] as const;
  fields.forEach((f, i) => r.u32(t, F[`nfs.fattr.${f}`], o + 8 + 4 * i));
  timeval(r, t, o + 44, 'atime');
  timeval(r, t, o + 52, 'mtime');
  timeval(r, t, o + 60, 'ctime');
  return o + 68;
}

/** sattr: each value, or "no value" for all ones (RFC 1094 2.3.6). */
function sattr2(r: Reader, parent: FieldNode, o: number): number {
  const { tvb, ctx } = r;
  tvb.check(o, 32);
  const t = ctx.addText(parent, tvb, o, 32, 'attributes');
  const none = (p: number) => tvb.u32(p) === 0xffffffff;
  if (none(o)) ctx.add(t, F['nfs.mode'], tvb, o, 4, tvb.u32(o), 'mode: no value');
  else mode2(r, t, o);
  for (const [i, f] of (['uid', 'gid', 'size'] as const).entries()) {
    const p = o + 4 + 4 * i;
    const field = F[`nfs.fattr.${f}`];
    r.u32(t, field, p, none(p) ? () => `${f}: no value` : undefined);
  }
  for (const [i, w] of (['atime', 'mtime'] as const).entries()) {
    const p = o + 16 + 8 * i;
    if (none(p) || none(p + 4)) ctx.add(t, F[`nfs.${w}`], tvb, p, 8, { sec: tvb.u32(p), nsec: 0 }, `${w}: no value`);
    else timeval(r, t, p, w);
  }
  return o + 32;
}

function fh2Call(label: string): Body {
  return (r, node, o) => {
    const h = fh2(r, node, o, label);
    r.info += `, FH: ${hex8(h.hash)}`;
    r.item += ` FH: ${hex8(h.hash)}`;
    return h.o;
  };
}

function dirop2(r: Reader, parent: FieldNode, o: number, label: string): { o: number; hash: number; name: string } {
  const start = o;
  const t = r.ctx.addText(parent, r.tvb, o, 0, label);
  const h = fh2(r, t, o, 'dir');
  const n = r.string(t, F['nfs.name'], h.o, 'Name');
  r.ctx.setLength(t, n.o - start);
  return { o: n.o, hash: h.hash, name: n.s };
}

function dirop2Call(label: string): Body {
  return (r, node, o) => {
    const d = dirop2(r, node, o, label);
    r.info += `, DH: ${hex8(d.hash)}/${d.name}`;
    r.item += ` DH: ${hex8(d.hash)}/${d.name}`;
    return d.o;
  };
}

const V2_CALLS: Record<number, Body> = {
  1: fh2Call('object'),
  2: (r, node, o) => sattr2(r, node, fh2Call('file')(r, node, o)),
  4: dirop2Call('where'),
  5: fh2Call('object'),
  6: (r, node, o) => {
    const h = fh2(r, node, o, 'file');
    const off = r.u32(node, F['nfs.read.offset'], h.o);
    const count = r.u32(node, F['nfs.read.count'], h.o + 4);
    const total = r.u32(node, F['nfs.read.totalcount'], h.o + 8);
    const text = ` FH: ${hex8(h.hash)} Offset: ${off} Count: ${count} TotalCount: ${total}`;
    r.info += `,${text}`;
    r.item += text;
    return h.o + 12;
  },
  8: (r, node, o) => {
    const h = fh2(r, node, o, 'file');
    const begin = r.u32(node, F['nfs.write.beginoffset'], h.o);
    const off = r.u32(node, F['nfs.write.offset'], h.o + 4);
    const total = r.u32(node, F['nfs.write.totalcount'], h.o + 8);
    const text = ` FH: ${hex8(h.hash)} BeginOffset: ${begin} Offset: ${off} TotalCount: ${total}`;
    r.info += `,${text}`;
    r.item += text;
    return r.string(node, F['nfs.data'], h.o + 12, 'Data', true).o;
  },
  9: (r, node, o) => sattr2(r, node, dirop2Call('where')(r, node, o)),
  10: dirop2Call('where'),
  11: (r, node, o) => {
    const from = dirop2(r, node, o, 'from');
    const to = dirop2(r, node, from.o, 'to');
    const text = ` From DH: ${hex8(from.hash)}/${from.name} To DH: ${hex8(to.hash)}/${to.name}`;
    r.info += `,${text}`;
    r.item += text;
    return to.o;
  },
  14: (r, node, o) => sattr2(r, node, dirop2Call('where')(r, node, o)),
  15: dirop2Call('where'),
  16: (r, node, o) => {
    o = fh2Call('dir')(r, node, o);
    r.u32(node, F['nfs.readdir.cookie'], o);
    r.u32(node, F['nfs.readdir.count'], o + 4);
    return o + 8;
  },
  17: fh2Call('object'),
};

/** attrstat: the status and, when it is NFS_OK, the attributes. */
const attrstat: Body = (r, node, o) => (r.status(node, o) !== 0 ? o + 4 : fattr2(r, node, o + 4));
/** diropres: the status and, when it is NFS_OK, the handle and its attributes. */
const diropres: Body = (r, node, o) => {
  if (r.status(node, o) !== 0) return o + 4;
  const h = fh2(r, node, o + 4, 'file');
  r.info += `, FH: ${hex8(h.hash)}`;
  r.item += ` FH: ${hex8(h.hash)}`;
  return fattr2(r, node, h.o);
};
const statOnly: Body = (r, node, o) => { r.status(node, o); return o + 4; };

const V2_REPLIES: Record<number, Body> = {
  1: attrstat,
  2: attrstat,
  4: diropres,
  5: (r, node, o) => {
    if (r.status(node, o) !== 0) return o + 4;
    const p = r.string(node, F['nfs.readlink.data'], o + 4, 'Data');
    r.info += ` Path: ${p.s}`;
    r.item += ` Path: ${p.s}`;
    return p.o;
  },
  6: (r, node, o) => (r.status(node, o) !== 0 ? o + 4 : r.string(node, F['nfs.data'], fattr2(r, node, o + 4), 'Data', true).o),
  8: attrstat,
  9: diropres,
  10: statOnly,
  11: statOnly,
  14: diropres,
  15: statOnly,
  16: (r, node, o) => {
    if (r.status(node, o) !== 0) return o + 4;
    const { tvb, ctx } = r;
    o += 4;
    for (;;) {
      const more = tvb.u32(o) !== 0;
      ctx.add(node, rpcField('rpc.value_follows'), tvb, o, 4, more);
      o += 4;
      if (!more) break;
      const start = o;
      const e = ctx.add(node, F['nfs.readdir.entry'], tvb, o, 0, null);
      const fileid = r.u32(e, F['nfs.readdir.entry.fileid'], o);
      const n = r.string(e, F['nfs.readdir.entry.name'], o + 4, 'Name');
      if (ctx.tree) ctx.setText(e, `Entry: file ID ${fileid}, name ${n.s}`);
      r.u32(e, F['nfs.readdir.entry.cookie'], n.o);
      o = n.o + 4;
      ctx.setLength(e, o - start);
    }
    r.u32(node, F['nfs.readdir.eof'], o);
    return o + 4;
  },
  17: (r, node, o) => {
    if (r.status(node, o) !== 0) return o + 4;
    (['tsize', 'bsize', 'blocks', 'bfree', 'bavail'] as const).forEach((f, i) => r.u32(node, F[`nfs.statfs.${f}`], o + 4 + 4 * i));
    return o + 24;
  },
};

const MODE_BITS = () => [
  F['nfs.mode3.suid'], F['nfs.mode3.sgid'], F['nfs.mode3.sticky'], F['nfs.mode3.rusr'], F['nfs.mode3.wusr'], F['nfs.mode3.xusr'],
  F['nfs.mode3.rgrp'], F['nfs.mode3.wgrp'], F['nfs.mode3.xgrp'], F['nfs.mode3.roth'], F['nfs.mode3.woth'], F['nfs.mode3.xoth'],
];

// ---- ACCESS (RFC 1813 3.3.4) ----

const ACCESS_BITS: ReadonlyArray<[mask: number, abbrev: string, field: FieldDef]> = [
  [0x01, 'RD', F['nfs.access_read']], [0x02, 'LU', F['nfs.access_lookup']], [0x04, 'MD', F['nfs.access_modify']],
  [0x08, 'XT', F['nfs.access_extend']], [0x10, 'DL', F['nfs.access_delete']], [0x20, 'XE', F['nfs.access_execute']],
];

/** "Check access: 0x1f" with a line per requested right ("allowed?"). */
function accessCheck(r: Reader, parent: FieldNode, o: number): number {
  const { tvb, ctx } = r;
  const mask = tvb.u32(o);
  const t = ctx.add(parent, F['nfs.access_check'], tvb, o, 4, mask & 0xff, () => `Check access: 0x${(mask & 0xff).toString(16).padStart(2, '0')}`);
  for (const [bit, , f] of ACCESS_BITS) {
    if (mask & bit) ctx.add(t, f, tvb, o, 4, true, () => `${bitLine(mask, bit)} = ${f.label}: allowed?`);
  }
  const names = ACCESS_BITS.filter(([bit]) => mask & bit).map(([, n]) => n);
  r.info += `, [Check: ${names.join(' ')}]`;
  r.item += `, [Check: ${names.join(' ')}]`;
  return mask;
}

/** The 8-bit picture packet-nfs.c draws for an access right ("...1 ...."). */
function bitLine(value: number, bit: number): string {
  let s = '';
  for (let i = 7; i >= 0; i--) {
    s += 1 << i === bit ? (value & bit ? '1' : '0') : '.';
    if (i === 4) s += ' ';
  }
  return s;
}

/** "Access rights (of requested): 0x0f": each requested right allowed or "*Access Denied*". */
function accessRights(r: Reader, parent: FieldNode, o: number, requested: number): void {
  const { tvb, ctx } = r;
  const rights = tvb.u32(o);
  const t = ctx.add(parent, F['nfs.access_rights'], tvb, o, 4, rights & 0xff, () => `Access rights (of requested): 0x${(rights & 0xff).toString(16).padStart(2, '0')}`);
  const allowed: string[] = [], denied: string[] = [];
  for (const [bit, abbrev, f] of ACCESS_BITS) {
    if (!(requested & bit)) continue;
    const ok = (rights & bit) !== 0;
    (ok ? allowed : denied).push(abbrev);
    ctx.add(t, f, tvb, o, 4, ok, () => `${bitLine(rights, bit)} = ${f.label}: ${ok ? 'allowed' : '*Access Denied*'}`);
  }
  const text = `${denied.length ? `, [Access Denied: ${denied.join(' ')}]` : ''}${allowed.length ? `, [Allowed: ${allowed.join(' ')}]` : ''}`;
  r.info += text;
  r.item += text;
}

// ---- Procedures ----

type Body = (r: Reader, node: FieldNode, o: number) => number;

/** A call's "FH: 0x..." (item) / ", FH: 0x..." (Info) text after one file handle. */
function fhCall(label: string, itemWord = 'FH'): Body {
  return (r, node, o) => {
    const h = r.fh(node, o, label);
    r.info += `, FH: ${hex8(h.hash)}`;
    r.item += ` ${itemWord}: ${hex8(h.hash)}`;
    return h.o;
  };
}

function diropCall(label: string): Body {
  return (r, node, o) => {
    const d = r.dirop(node, o, label);
    r.info += `, DH: ${hex8(d.hash)}/${d.name}`;
    r.item += ` DH: ${hex8(d.hash)}/${d.name}`;
    return d.o;
  };
}

const CALLS: Record<number, Body> = {
  1: fhCall('object'),
  2: (r, node, o) => {
    o = fhCall('object')(r, node, o);
    o = r.sattr(node, o, 'new_attributes');
    const check = r.tvb.u32(o);
    const t = r.ctx.addText(node, r.tvb, o, check ? 12 : 4, `guard: ${VALUE_FOLLOWS[check] ?? 'Unknown'}`);
    r.u32(t, F['nfs.sattrguard3'], o);
    return check ? r.time(t, o + 4, 'ctime') : o + 4;
  },
  3: diropCall('what'),
  4: (r, node, o) => {
    const h = r.fh(node, o, 'object');
    r.info += `, FH: ${hex8(h.hash)}`;
    r.item += `, FH: ${hex8(h.hash)}`;
    r.msg.call.notes['access'] = accessCheck(r, node, h.o);
    return h.o + 4;
  },
  5: fhCall('object'),
  6: (r, node, o) => {
    const h = r.fh(node, o, 'file');
    const off = r.u64(node, F['nfs.offset3'], h.o);
    const count = r.u32(node, F['nfs.count3'], h.o + 8);
    const text = ` Offset: ${off} Len: ${count}`;
    r.info += `, FH: ${hex8(h.hash)}${text}`;
    r.item += ` FH: ${hex8(h.hash)}${text}`;
    return h.o + 12;
  },
  7: (r, node, o) => {
    const h = r.fh(node, o, 'file');
    const off = r.u64(node, F['nfs.offset3'], h.o);
    const count = r.u32(node, F['nfs.count3'], h.o + 8);
    const stable = r.u32(node, F['nfs.write.stable'], h.o + 12);
    const text = ` Offset: ${off} Len: ${count} ${STABLE[stable] ?? `Unknown (${stable})`}`;
    r.info += `, FH: ${hex8(h.hash)}${text}`;
    r.item += ` FH: ${hex8(h.hash)}${text}`;
    return r.string(node, F['nfs.data'], h.o + 16, 'Data', true).o;
  },
  8: (r, node, o) => {
    o = diropCall('where')(r, node, o);
    const mode = r.u32(node, F['nfs.createmode'], o);
    const text = ` Mode: ${CREATE_MODES[mode] ?? `Unknown (${mode})`}`;
    r.info += text;
    r.item += text;
    if (mode === 2) return r.verifier(node, o + 4);
    return r.sattr(node, o + 4, 'obj_attributes');
  },
  9: (r, node, o) => r.sattr(node, diropCall('where')(r, node, o), 'attributes'),
  10: (r, node, o) => {
    const d = r.dirop(node, o, 'where');
    o = r.sattr(node, d.o, 'symlink_attributes');
    const to = r.string(node, F['nfs.symlink.to'], o, 'To');
    const text = ` From DH: ${hex8(d.hash)}/${d.name} To ${to.s}`;
    r.info += `,${text}`;
    r.item += text;
    return to.o;
  },
  11: (r, node, o) => {
    const d = r.dirop(node, o, 'where');
    const type = r.u32(node, F['nfs.type'], d.o);
    const text = ` FH: ${hex8(d.hash)}/${d.name} ${FTYPES[type] ?? 'Unknown'}`;
    r.info += `,${text}`;
    r.item += text;
    o = d.o + 4;
    if (type === 3 || type === 4) {
      o = r.sattr(node, o, 'dev_attributes');
      const { tvb, ctx } = r;
      const d1 = tvb.u32(o), d2 = tvb.u32(o + 4);
      const spec = ctx.addText(node, tvb, o, 8, `spec: ${d1},${d2}`);
      ctx.add(spec, F['nfs.specdata1'], tvb, o, 4, d1);
      ctx.add(spec, F['nfs.specdata2'], tvb, o + 4, 4, d2);
      return o + 8;
    }
    if (type === 6 || type === 7) return r.sattr(node, o, 'pipe_attributes');
    return o;
  },
  12: diropCall('object'),
  13: diropCall('object'),
  15: (r, node, o) => {
    const h = r.fh(node, o, 'file');
    const d = r.dirop(node, h.o, 'link');
    const text = ` From DH: ${hex8(h.hash)} To DH: ${hex8(d.hash)}/${d.name}`;
    r.info += `,${text}`;
    r.item += text;
    return d.o;
  },
  14: (r, node, o) => {
    const from = r.dirop(node, o, 'from');
    const to = r.dirop(node, from.o, 'to');
    const text = ` From DH: ${hex8(from.hash)}/${from.name} To DH: ${hex8(to.hash)}/${to.name}`;
    r.info += `,${text}`;
    r.item += text;
    return to.o;
  },
  16: (r, node, o) => {
    o = fhCall('dir')(r, node, o);
    r.u64(node, F['nfs.cookie3'], o);
    o = r.verifier(node, o + 8);
    r.u32(node, F['nfs.count3'], o);
    return o + 4;
  },
  17: (r, node, o) => {
    o = fhCall('dir')(r, node, o);
    r.u64(node, F['nfs.cookie3'], o);
    o = r.verifier(node, o + 8);
    r.u32(node, F['nfs.count3_dircount'], o);
    r.u32(node, F['nfs.count3_maxcount'], o + 4);
    return o + 8;
  },
  18: fhCall('object', 'DH'),
  19: fhCall('object', 'DH'),
  20: fhCall('object', 'DH'),
  21: (r, node, o) => {
    o = fhCall('file')(r, node, o);
    r.u64(node, F['nfs.offset3'], o);
    r.u32(node, F['nfs.count3'], o + 8);
    return o + 12;
  },
};

/** Directory entries (entry3 / entryplus3) after READDIR's or READDIRPLUS's verifier, then eof. */
function entries(r: Reader, node: FieldNode, o: number, plus: boolean): number {
  const { tvb, ctx } = r;
  const follows = rpcField('rpc.value_follows');
  const [fidF, nameF, cookieF] = plus
    ? [F['nfs.readdirplus.entry.fileid'], F['nfs.readdirplus.entry.name'], F['nfs.readdirplus.entry.cookie']]
    : [F['nfs.readdir.entry3.fileid'], F['nfs.readdir.entry3.name'], F['nfs.readdir.entry3.cookie']];
  for (;;) {
    const more = tvb.u32(o) !== 0;
    ctx.add(node, follows, tvb, o, 4, more);
    o += 4;
    if (!more) break;
    const start = o;
    const e = ctx.add(node, F['nfs.readdir.entry'], tvb, o, 0, null);
    r.u64(e, fidF, o);
    const n = r.string(e, nameF, o + 8, 'Name');
    if (ctx.tree) ctx.setText(e, `Entry: name ${n.s}`);
    r.info += ` ${n.s}`;
    o = n.o;
    r.u64(e, cookieF, o);
    o += 8;
    if (plus) {
      o = r.postOpAttr(e, o, 'name_attributes').o;
      o = r.postOpFh(e, o, 'name_handle').o;
    }
    ctx.setLength(e, o - start);
  }
  const eof = tvb.u32(o);
  ctx.add(node, F['nfs.readdir.eof'], tvb, o, 4, eof);
  return o + 4;
}

const REPLIES: Record<number, Body> = {
  1: (r, node, o) => {
    if (r.status(node, o) !== 0) return o + 4;
    const a = r.fattr(node, o + 4, 'obj_attributes');
    r.info += `  ${a.summary}`;
    r.item += `  ${a.summary}`;
    return a.o;
  },
  2: (r, node, o) => { r.status(node, o); return r.wccData(node, o + 4, 'obj_wcc'); },
  3: (r, node, o) => {
    if (r.status(node, o) !== 0) return r.postOpAttr(node, o + 4, 'dir_attributes').o;
    const h = r.fh(node, o + 4, 'object');
    r.info += `, FH: ${hex8(h.hash)}`;
    r.item += ` FH: ${hex8(h.hash)}`;
    o = r.postOpAttr(node, h.o, 'obj_attributes').o;
    return r.postOpAttr(node, o, 'dir_attributes').o;
  },
  4: (r, node, o) => {
    const st = r.status(node, o);
    o = r.postOpAttr(node, o + 4, 'obj_attributes').o;
    if (st !== 0) return o;
    accessRights(r, node, o, (r.msg.call.notes['access'] as number | undefined) ?? 0);
    return o + 4;
  },
  5: (r, node, o) => {
    const st = r.status(node, o);
    o = r.postOpAttr(node, o + 4, 'symlink_attributes').o;
    if (st !== 0) return o;
    const p = r.string(node, F['nfs.readlink.data'], o, 'Data');
    r.info += ` Path: ${p.s}`;
    r.item += ` Path: ${p.s}`;
    return p.o;
  },
  6: (r, node, o) => {
    const st = r.status(node, o);
    o = r.postOpAttr(node, o + 4, 'file_attributes').o;
    if (st !== 0) return o;
    const count = r.u32(node, F['nfs.count3'], o);
    r.bool(node, F['nfs.read.eof'], o + 4);
    r.info += ` Len: ${count}`;
    r.item += ` Len: ${count}`;
    return r.string(node, F['nfs.data'], o + 8, 'Data', true).o;
  },
  7: (r, node, o) => {
    const st = r.status(node, o);
    o = r.wccData(node, o + 4, 'file_wcc');
    if (st !== 0) return o;
    const count = r.u32(node, F['nfs.count3'], o);
    const committed = r.u32(node, F['nfs.write.committed'], o + 4);
    const text = ` Len: ${count} ${STABLE[committed] ?? `Unknown (${committed})`}`;
    r.info += text;
    r.item += text;
    return r.verifier(node, o + 8);
  },
  8: createReply,
  9: createReply,
  10: createReply,
  11: createReply,
  15: (r, node, o) => {
    r.status(node, o);
    return r.wccData(node, r.postOpAttr(node, o + 4, 'file_attributes').o, 'linkdir_wcc');
  },
  12: (r, node, o) => { r.status(node, o); return r.wccData(node, o + 4, 'dir_wcc'); },
  13: (r, node, o) => { r.status(node, o); return r.wccData(node, o + 4, 'dir_wcc'); },
  14: (r, node, o) => { r.status(node, o); return r.wccData(node, r.wccData(node, o + 4, 'fromdir_wcc'), 'todir_wcc'); },
  16: (r, node, o) => readdirReply(r, node, o, false),
  17: (r, node, o) => readdirReply(r, node, o, true),
  18: (r, node, o) => {
    const st = r.status(node, o);
    o = r.postOpAttr(node, o + 4, 'obj_attributes').o;
    if (st !== 0) return o;
    for (const f of ['tbytes', 'fbytes', 'abytes', 'tfiles', 'ffiles', 'afiles'] as const) {
      r.u64(node, F[`nfs.fsstat3_resok.${f}`], o);
      o += 8;
    }
    r.u32(node, F['nfs.fsstat.invarsec'], o);
    return o + 4;
  },
  19: (r, node, o) => {
    const { tvb, ctx } = r;
    const st = r.status(node, o);
    o = r.postOpAttr(node, o + 4, 'obj_attributes').o;
    if (st !== 0) return o;
    for (const f of ['rtmax', 'rtpref', 'rtmult', 'wtmax', 'wtpref', 'wtmult', 'dtpref'] as const) {
      r.u32(node, F[`nfs.fsinfo.${f}`], o);
      o += 4;
    }
    r.u64(node, F['nfs.fsinfo.maxfilesize'], o);
    o += 8;
    const sec = tvb.u32(o), nsec = tvb.u32(o + 4);
    const d = ctx.add(node, F['nfs.dtime'], tvb, o, 8, sec + nsec / 1e9);
    ctx.add(d, F['nfs.dtime.sec'], tvb, o, 4, sec);
    ctx.add(d, F['nfs.dtime.nsec'], tvb, o + 4, 4, nsec);
    o += 8;
    const props = tvb.u32(o);
    const bits = [F['nfs.fsinfo.properties.setattr'], F['nfs.fsinfo.properties.pathconf'], F['nfs.fsinfo.properties.symlinks'], F['nfs.fsinfo.properties.hardlinks']];
    const set = bits.filter((f) => props & f.mask!).map((f) => f.label);
    const p = ctx.add(node, F['nfs.fsinfo.properties'], tvb, o, 4, props, () => `Properties: ${hex8(props)}${set.map((n) => `, ${n}`).join('')}`);
    for (const f of bits) ctx.add(p, f, tvb, o, 4, (props & f.mask!) !== 0);
    return o + 4;
  },
  20: (r, node, o) => {
    const st = r.status(node, o);
    o = r.postOpAttr(node, o + 4, 'obj_attributes').o;
    if (st !== 0) return o;
    r.u32(node, F['nfs.pathconf.linkmax'], o);
    r.u32(node, F['nfs.pathconf.name_max'], o + 4);
    r.bool(node, F['nfs.pathconf.no_trunc'], o + 8);
    r.bool(node, F['nfs.pathconf.chown_restricted'], o + 12);
    r.bool(node, F['nfs.pathconf.case_insensitive'], o + 16);
    r.bool(node, F['nfs.pathconf.case_preserving'], o + 20);
    return o + 24;
  },
  21: (r, node, o) => {
    const st = r.status(node, o);
    o = r.wccData(node, o + 4, 'file_wcc');
    return st === 0 ? r.verifier(node, o) : o;
  },
};

function createReply(r: Reader, node: FieldNode, o: number): number {
  if (r.status(node, o) !== 0) return r.wccData(node, o + 4, 'dir_wcc');
  o = r.postOpFh(node, o + 4, 'obj').o;
  o = r.postOpAttr(node, o, 'obj_attributes').o;
  return r.wccData(node, o, 'dir_wcc');
}

function readdirReply(r: Reader, node: FieldNode, o: number, plus: boolean): number {
  const st = r.status(node, o);
  o = r.postOpAttr(node, o + 4, 'dir_attributes').o;
  if (st !== 0) return o;
  o = r.verifier(node, o);
  return entries(r, node, o, plus);
}

function dissectNfs(tvb: Tvb, ctx: PacketContext, node: FieldNode): boolean {
  const msg = rpcMessage(ctx);
  if (!msg) return false;
  ctx.protocol = 'NFS';
  const { call } = msg;
  ctx.addGenerated(node, msg.versionField, call.vers);
  if (call.vers === 3) ctx.addGenerated(node, F['nfs.procedure_v3'], call.proc);
  else if (call.vers === 2) ctx.addGenerated(node, F['nfs.procedure_v2'], call.proc);
  // packet-rpc.c calls the procedure's dissector only when bytes are left (NULL has none).
  if (tvb.reportedLength === 0) return true;
  const tables = call.vers === 3 ? [CALLS, REPLIES] : call.vers === 2 ? [V2_CALLS, V2_REPLIES] : undefined;
  const body = tables?.[msg.isCall ? 0 : 1]![call.proc];
  if (!body) {
    callProtocol(dataProtocol, tvb, ctx, node);
    return true;
  }
  const r = new Reader(tvb, ctx, msg);
  let end = -1;
  try {
    end = body(r, node, 0);
  } finally {
    // What was read before an exception still goes to the columns (col_append_fstr as it reads),
    // and the item's text when some was appended to it (proto_item_append_text).
    ctx.info += r.info;
    if (ctx.tree && (end >= 0 || r.item)) ctx.setText(node, `Network File System, ${msg.procName} ${msg.isCall ? 'Call' : 'Reply'}${r.item}`);
  }
  // Bytes the procedure did not read are data, under NFS (packet-rpc.c after the call).
  if (end < tvb.reportedLength) callProtocol(dataProtocol, tvb.sub(end), ctx, node);
  return true;
}

export const nfsProtocol = defineProtocol('nfs', 'Network File System', dissectNfs);

registerRpcProgram(NFS_PROGRAM, { name: 'NFS', procedures: { 2: V2_PROCEDURES, 3: V3_PROCEDURES } });
register('rpc.program', NFS_PROGRAM, nfsProtocol);
