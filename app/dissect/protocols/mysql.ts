// MySQL client/server protocol on TCP port 3306, as tshark 4.0's packet-mysql.c shows it.
//   packets            a 3-byte little-endian length and a sequence number ("Packet Number"),
//                      several to a segment, or one over several segments (reassembled the way
//                      tcp_dissect_pdus asks TCP to: the length is known from the header)
//   server greeting    "Server Greeting  proto=10 version=8.0.32 ": capabilities as bit lists,
//                      collation, status, the salt in two parts, the authentication plugin
//   login request      "Login Request user=root db=test ": client capabilities, charset,
//                      password, schema, plugin, connection attributes; with CLIENT_SSL
//                      "Response: SSL Handshake" and the connection is TLS from the next frame
//   requests           "Request Query": the command and what it carries
//   responses          "Response  OK ", "Response  Error 1064 ", "Response TABULAR ": what a
//                      response is depends on the conversation's state (what was asked, how many
//                      field packets are still to come), kept per connection and remembered per
//                      packet so a frame dissected again reads as it did the first time
// Every length-encoded integer shows its "Prefix" and "Length" items, as tshark 4.0's
// tvb_get_fle adds them. A packet whose bytes run out shows "[Malformed Packet: MySQL]" and the
// segment's next packets are still dissected (tcp_dissect_pdus catches the exception per PDU).
// Not done: the compressed protocol, binlog events after a dump request, MariaDB bulk execution.
import { defineFields, type FieldDef } from '../field.js';
import { defineProtocol, handOver, MATCH_PORT_SCRATCH, register, registerDissector } from '../dispatch.js';
import { addPduSize, canDesegment, DESEGMENT_ONE_MORE_SEGMENT, fencedInfo, requestDesegment } from '../desegment.js';
import { conversationState } from '../conversation.js';
import { addTruncationNote } from '../exception.js';
import { printableText } from '../format.js';
import { wsFields, type PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import { MalformedError, TruncatedError, Tvb } from '../tvb.js';

const MYSQL_PORT = 3306;
/** The packet header: a 3-byte length and the sequence number. */
const HEADER = 4;

/** packet-mysql.c's mysql_command_vals. */
const COMMANDS: Record<number, string> = {
  0: 'SLEEP', 1: 'Quit', 2: 'Use Database', 3: 'Query', 4: 'Show Fields', 5: 'Create Database', 6: 'Drop Database', 7: 'Refresh',
  8: 'Shutdown', 9: 'Statistics', 10: 'Process List', 11: 'Connect', 12: 'Kill Server Thread', 13: 'Dump Debuginfo', 14: 'Ping',
  15: 'Time', 16: 'Insert Delayed', 17: 'Change User', 18: 'Send Binlog', 19: 'Send Table', 20: 'Slave Connect', 21: 'Register Slave',
  22: 'Prepare Statement', 23: 'Execute Statement', 24: 'Send BLOB', 25: 'Close Statement', 26: 'Reset Statement', 27: 'Set Option',
  28: 'Fetch Data', 29: 'Daemon', 30: 'Send Binlog GTID', 31: 'Reset Connection', 250: 'Execute Bulk Statement',
};
const RESPONSE_CODES: Record<number, string> = { 0x00: 'OK Packet', 0xff: 'ERR Packet', 0xfe: 'EOF Packet' };
const FIELD_TYPES: Record<number, string> = {
  0x00: 'FIELD_TYPE_DECIMAL', 0x01: 'FIELD_TYPE_TINY', 0x02: 'FIELD_TYPE_SHORT', 0x03: 'FIELD_TYPE_LONG', 0x04: 'FIELD_TYPE_FLOAT',
  0x05: 'FIELD_TYPE_DOUBLE', 0x06: 'FIELD_TYPE_NULL', 0x07: 'FIELD_TYPE_TIMESTAMP', 0x08: 'FIELD_TYPE_LONGLONG', 0x09: 'FIELD_TYPE_INT24',
  0x0a: 'FIELD_TYPE_DATE', 0x0b: 'FIELD_TYPE_TIME', 0x0c: 'FIELD_TYPE_DATETIME', 0x0d: 'FIELD_TYPE_YEAR', 0x0e: 'FIELD_TYPE_NEWDATE',
  0x0f: 'FIELD_TYPE_VARCHAR', 0x10: 'FIELD_TYPE_BIT', 0xf6: 'FIELD_TYPE_NEWDECIMAL', 0xf7: 'FIELD_TYPE_ENUM', 0xf8: 'FIELD_TYPE_SET',
  0xf9: 'FIELD_TYPE_TINY_BLOB', 0xfa: 'FIELD_TYPE_MEDIUM_BLOB', 0xfb: 'FIELD_TYPE_LONG_BLOB', 0xfc: 'FIELD_TYPE_BLOB',
  0xfd: 'FIELD_TYPE_VAR_STRING', 0xfe: 'FIELD_TYPE_STRING', 0xff: 'FIELD_TYPE_GEOMETRY',
};
const SHUTDOWN_LEVELS: Record<number, string> = {
  0: 'default', 1: 'wait for connections to finish', 2: 'wait for transactions to finish', 8: 'wait for updates to finish',
  16: 'wait flush all buffers', 17: 'wait flush critical buffers', 254: 'kill running queries', 255: 'kill connections',
};
const OPTIONS: Record<number, string> = { 0: 'multi statements on', 1: 'multi statements off' };
const EXEC_FLAGS: Record<number, string> = { 0: 'Defaults', 1: 'Read-only cursor', 2: 'Cursor for update', 4: 'Scrollable cursor' };
const NEW_PARAMETER_BOUND: Record<number, string> = { 0: 'Subsequent call', 1: 'First call or rebound' };
const TIME_SIGNS: Record<number, string> = { 0: 'Positive', 1: 'Negative' };
const SESSION_TRACK_TYPES: Record<number, string> = {
  0: 'SESSION_SYSVARS_TRACKER', 1: 'CURRENT_SCHEMA_TRACKER', 2: 'SESSION_STATE_CHANGE_TRACKER', 3: 'SESSION_TRACK_GTIDS',
  4: 'SESSION_TRACK_TRANSACTION_CHARACTERISTICS', 5: 'SESSION_TRACK_TRANSACTION_STATE',
};

/** mysql_collation_vals as tshark 4.0 names them (MySQL 8.0.20's list). */
const MYSQL_COLLATIONS: Record<number, string> = {
  3: 'dec8 COLLATE dec8_swedish_ci', 4: 'cp850 COLLATE cp850_general_ci', 5: 'latin1 COLLATE latin1_german1_ci', 6: 'hp8 COLLATE hp8_english_ci',
  7: 'koi8r COLLATE koi8r_general_ci', 8: 'latin1 COLLATE latin1_swedish_ci', 9: 'latin2 COLLATE latin2_general_ci', 10: 'swe7 COLLATE swe7_swedish_ci',
  11: 'ascii COLLATE ascii_general_ci', 14: 'cp1251 COLLATE cp1251_bulgarian_ci', 15: 'latin1 COLLATE latin1_danish_ci', 16: 'hebrew COLLATE hebrew_general_ci',
  20: 'latin7 COLLATE latin7_estonian_cs', 21: 'latin2 COLLATE latin2_hungarian_ci', 22: 'koi8u COLLATE koi8u_general_ci', 23: 'cp1251 COLLATE cp1251_ukrainian_ci',
  25: 'greek COLLATE greek_general_ci', 26: 'cp1250 COLLATE cp1250_general_ci', 27: 'latin2 COLLATE latin2_croatian_ci', 29: 'cp1257 COLLATE cp1257_lithuanian_ci',
  30: 'latin5 COLLATE latin5_turkish_ci', 31: 'latin1 COLLATE latin1_german2_ci', 32: 'armscii8 COLLATE armscii8_general_ci', 33: 'utf8 COLLATE utf8_general_ci',
  36: 'cp866 COLLATE cp866_general_ci', 37: 'keybcs2 COLLATE keybcs2_general_ci', 38: 'macce COLLATE macce_general_ci', 39: 'macroman COLLATE macroman_general_ci',
  40: 'cp852 COLLATE cp852_general_ci', 41: 'latin7 COLLATE latin7_general_ci', 42: 'latin7 COLLATE latin7_general_cs', 43: 'macce COLLATE macce_bin',
  44: 'cp1250 COLLATE cp1250_croatian_ci', 45: 'utf8mb4 COLLATE utf8mb4_general_ci', 46: 'utf8mb4 COLLATE utf8mb4_bin', 47: 'latin1 COLLATE latin1_bin',
  48: 'latin1 COLLATE latin1_general_ci', 49: 'latin1 COLLATE latin1_general_cs', 50: 'cp1251 COLLATE cp1251_bin', 51: 'cp1251 COLLATE cp1251_general_ci',
  52: 'cp1251 COLLATE cp1251_general_cs', 53: 'macroman COLLATE macroman_bin', 57: 'cp1256 COLLATE cp1256_general_ci', 58: 'cp1257 COLLATE cp1257_bin',
  59: 'cp1257 COLLATE cp1257_general_ci', 63: 'binary COLLATE binary', 64: 'armscii8 COLLATE armscii8_bin', 65: 'ascii COLLATE ascii_bin',
  66: 'cp1250 COLLATE cp1250_bin', 67: 'cp1256 COLLATE cp1256_bin', 68: 'cp866 COLLATE cp866_bin', 69: 'dec8 COLLATE dec8_bin', 70: 'greek COLLATE greek_bin',
  71: 'hebrew COLLATE hebrew_bin', 72: 'hp8 COLLATE hp8_bin', 73: 'keybcs2 COLLATE keybcs2_bin', 74: 'koi8r COLLATE koi8r_bin', 75: 'koi8u COLLATE koi8u_bin',
  77: 'latin2 COLLATE latin2_bin', 78: 'latin5 COLLATE latin5_bin', 79: 'latin7 COLLATE latin7_bin', 80: 'cp850 COLLATE cp850_bin', 81: 'cp852 COLLATE cp852_bin',
  82: 'swe7 COLLATE swe7_bin', 83: 'utf8 COLLATE utf8_bin', 92: 'geostd8 COLLATE geostd8_general_ci', 93: 'geostd8 COLLATE geostd8_bin',
  94: 'latin1 COLLATE latin1_spanish_ci', 99: 'cp1250 COLLATE cp1250_polish_ci', 192: 'utf8 COLLATE utf8_unicode_ci', 193: 'utf8 COLLATE utf8_icelandic_ci',
  194: 'utf8 COLLATE utf8_latvian_ci', 195: 'utf8 COLLATE utf8_romanian_ci', 196: 'utf8 COLLATE utf8_slovenian_ci', 197: 'utf8 COLLATE utf8_polish_ci',
  198: 'utf8 COLLATE utf8_estonian_ci', 199: 'utf8 COLLATE utf8_spanish_ci', 200: 'utf8 COLLATE utf8_swedish_ci', 201: 'utf8 COLLATE utf8_turkish_ci',
  202: 'utf8 COLLATE utf8_czech_ci', 203: 'utf8 COLLATE utf8_danish_ci', 204: 'utf8 COLLATE utf8_lithuanian_ci', 205: 'utf8 COLLATE utf8_slovak_ci',
  206: 'utf8 COLLATE utf8_spanish2_ci', 207: 'utf8 COLLATE utf8_roman_ci', 208: 'utf8 COLLATE utf8_persian_ci', 209: 'utf8 COLLATE utf8_esperanto_ci',
  210: 'utf8 COLLATE utf8_hungarian_ci', 211: 'utf8 COLLATE utf8_sinhala_ci', 212: 'utf8 COLLATE utf8_german2_ci', 213: 'utf8 COLLATE utf8_croatian_ci',
  214: 'utf8 COLLATE utf8_unicode_520_ci', 215: 'utf8 COLLATE utf8_vietnamese_ci', 223: 'utf8 COLLATE utf8_general_mysql500_ci',
  224: 'utf8mb4 COLLATE utf8mb4_unicode_ci', 225: 'utf8mb4 COLLATE utf8mb4_icelandic_ci', 226: 'utf8mb4 COLLATE utf8mb4_latvian_ci',
  227: 'utf8mb4 COLLATE utf8mb4_romanian_ci', 228: 'utf8mb4 COLLATE utf8mb4_slovenian_ci', 229: 'utf8mb4 COLLATE utf8mb4_polish_ci',
  230: 'utf8mb4 COLLATE utf8mb4_estonian_ci', 231: 'utf8mb4 COLLATE utf8mb4_spanish_ci', 232: 'utf8mb4 COLLATE utf8mb4_swedish_ci',
  233: 'utf8mb4 COLLATE utf8mb4_turkish_ci', 234: 'utf8mb4 COLLATE utf8mb4_czech_ci', 235: 'utf8mb4 COLLATE utf8mb4_danish_ci',
  236: 'utf8mb4 COLLATE utf8mb4_lithuanian_ci', 237: 'utf8mb4 COLLATE utf8mb4_slovak_ci', 238: 'utf8mb4 COLLATE utf8mb4_spanish2_ci',
  239: 'utf8mb4 COLLATE utf8mb4_roman_ci', 240: 'utf8mb4 COLLATE utf8mb4_persian_ci', 241: 'utf8mb4 COLLATE utf8mb4_esperanto_ci',
  242: 'utf8mb4 COLLATE utf8mb4_hungarian_ci', 243: 'utf8mb4 COLLATE utf8mb4_sinhala_ci', 244: 'utf8mb4 COLLATE utf8mb4_german2_ci',
  245: 'utf8mb4 COLLATE utf8mb4_croatian_ci', 246: 'utf8mb4 COLLATE utf8mb4_unicode_520_ci', 247: 'utf8mb4 COLLATE utf8mb4_vietnamese_ci',
  248: 'gb18030 COLLATE gb18030_chinese_ci', 249: 'gb18030 COLLATE gb18030_bin', 250: 'gb18030 COLLATE gb18030_unicode_520_ci',
  255: 'utf8mb4 COLLATE utf8mb4_0900_ai_ci', 256: 'utf8mb4 COLLATE utf8mb4_de_pb_0900_ai_ci', 257: 'utf8mb4 COLLATE utf8mb4_is_0900_ai_ci',
  258: 'utf8mb4 COLLATE utf8mb4_lv_0900_ai_ci', 259: 'utf8mb4 COLLATE utf8mb4_ro_0900_ai_ci', 260: 'utf8mb4 COLLATE utf8mb4_sl_0900_ai_ci',
  261: 'utf8mb4 COLLATE utf8mb4_pl_0900_ai_ci', 262: 'utf8mb4 COLLATE utf8mb4_et_0900_ai_ci', 263: 'utf8mb4 COLLATE utf8mb4_es_0900_ai_ci',
  264: 'utf8mb4 COLLATE utf8mb4_sv_0900_ai_ci', 265: 'utf8mb4 COLLATE utf8mb4_tr_0900_ai_ci', 266: 'utf8mb4 COLLATE utf8mb4_cs_0900_ai_ci',
  267: 'utf8mb4 COLLATE utf8mb4_da_0900_ai_ci', 268: 'utf8mb4 COLLATE utf8mb4_lt_0900_ai_ci', 269: 'utf8mb4 COLLATE utf8mb4_sk_0900_ai_ci',
  270: 'utf8mb4 COLLATE utf8mb4_es_trad_0900_ai_ci', 271: 'utf8mb4 COLLATE utf8mb4_la_0900_ai_ci', 273: 'utf8mb4 COLLATE utf8mb4_eo_0900_ai_ci',
  274: 'utf8mb4 COLLATE utf8mb4_hu_0900_ai_ci', 275: 'utf8mb4 COLLATE utf8mb4_hr_0900_ai_ci', 277: 'utf8mb4 COLLATE utf8mb4_vi_0900_ai_ci',
  278: 'utf8mb4 COLLATE utf8mb4_0900_as_cs', 279: 'utf8mb4 COLLATE utf8mb4_de_pb_0900_as_cs', 280: 'utf8mb4 COLLATE utf8mb4_is_0900_as_cs',
  281: 'utf8mb4 COLLATE utf8mb4_lv_0900_as_cs', 282: 'utf8mb4 COLLATE utf8mb4_ro_0900_as_cs', 283: 'utf8mb4 COLLATE utf8mb4_sl_0900_as_cs',
  284: 'utf8mb4 COLLATE utf8mb4_pl_0900_as_cs', 285: 'utf8mb4 COLLATE utf8mb4_et_0900_as_cs', 286: 'utf8mb4 COLLATE utf8mb4_es_0900_as_cs',
  287: 'utf8mb4 COLLATE utf8mb4_sv_0900_as_cs', 288: 'utf8mb4 COLLATE utf8mb4_tr_0900_as_cs', 289: 'utf8mb4 COLLATE utf8mb4_cs_0900_as_cs',
  290: 'utf8mb4 COLLATE utf8mb4_da_0900_as_cs', 291: 'utf8mb4 COLLATE utf8mb4_lt_0900_as_cs', 292: 'utf8mb4 COLLATE utf8mb4_sk_0900_as_cs',
  293: 'utf8mb4 COLLATE utf8mb4_es_trad_0900_as_cs', 294: 'utf8mb4 COLLATE utf8mb4_la_0900_as_cs', 296: 'utf8mb4 COLLATE utf8mb4_eo_0900_as_cs',
  297: 'utf8mb4 COLLATE utf8mb4_hu_0900_as_cs', 298: 'utf8mb4 COLLATE utf8mb4_hr_0900_as_cs', 300: 'utf8mb4 COLLATE utf8mb4_vi_0900_as_cs',
  303: 'utf8mb4 COLLATE utf8mb4_ja_0900_as_cs', 304: 'utf8mb4 COLLATE utf8mb4_ja_0900_as_cs_ks', 305: 'utf8mb4 COLLATE utf8mb4_0900_as_ci',
  306: 'utf8mb4 COLLATE utf8mb4_ru_0900_ai_ci', 307: 'utf8mb4 COLLATE utf8mb4_ru_0900_as_cs', 308: 'utf8mb4 COLLATE utf8mb4_zh_0900_as_cs',
  309: 'utf8mb4 COLLATE utf8mb4_0900_bin',
};

/** mariadb_collation_vals: a MariaDB server's collations (MariaDB 10.5.4's list), for the server language and the client's charset. */
const MARIADB_COLLATIONS: Record<number, string> = {
  1: 'big5 COLLATE big5_chinese_ci', 2: 'latin2 COLLATE latin2_czech_cs', 3: 'dec8 COLLATE dec8_swedish_ci',
  4: 'cp850 COLLATE cp850_general_ci', 5: 'latin1 COLLATE latin1_german1_ci', 6: 'hp8 COLLATE hp8_english_ci',
  7: 'koi8r COLLATE koi8r_general_ci', 8: 'latin1 COLLATE latin1_swedish_ci', 9: 'latin2 COLLATE latin2_general_ci',
  10: 'swe7 COLLATE swe7_swedish_ci', 11: 'ascii COLLATE ascii_general_ci', 12: 'ujis COLLATE ujis_japanese_ci',
  13: 'sjis COLLATE sjis_japanese_ci', 14: 'cp1251 COLLATE cp1251_bulgarian_ci',
  15: 'latin1 COLLATE latin1_danish_ci', 16: 'hebrew COLLATE hebrew_general_ci', 18: 'tis620 COLLATE tis620_thai_ci',
  19: 'euckr COLLATE euckr_korean_ci', 20: 'latin7 COLLATE latin7_estonian_cs',
  21: 'latin2 COLLATE latin2_hungarian_ci', 22: 'koi8u COLLATE koi8u_general_ci',
  23: 'cp1251 COLLATE cp1251_ukrainian_ci', 24: 'gb2312 COLLATE gb2312_chinese_ci',
  25: 'greek COLLATE greek_general_ci', 26: 'cp1250 COLLATE cp1250_general_ci',
  27: 'latin2 COLLATE latin2_croatian_ci', 28: 'gbk COLLATE gbk_chinese_ci',
  29: 'cp1257 COLLATE cp1257_lithuanian_ci', 30: 'latin5 COLLATE latin5_turkish_ci',
  31: 'latin1 COLLATE latin1_german2_ci', 32: 'armscii8 COLLATE armscii8_general_ci',
  33: 'utf8 COLLATE utf8_general_ci', 34: 'cp1250 COLLATE cp1250_czech_cs', 35: 'ucs2 COLLATE ucs2_general_ci',
  36: 'cp866 COLLATE cp866_general_ci', 37: 'keybcs2 COLLATE keybcs2_general_ci',
  38: 'macce COLLATE macce_general_ci', 39: 'macroman COLLATE macroman_general_ci',
  40: 'cp852 COLLATE cp852_general_ci', 41: 'latin7 COLLATE latin7_general_ci',
  42: 'latin7 COLLATE latin7_general_cs', 43: 'macce COLLATE macce_bin', 44: 'cp1250 COLLATE cp1250_croatian_ci',
  45: 'utf8mb4 COLLATE utf8mb4_general_ci', 46: 'utf8mb4 COLLATE utf8mb4_bin', 47: 'latin1 COLLATE latin1_bin',
  48: 'latin1 COLLATE latin1_general_ci', 49: 'latin1 COLLATE latin1_general_cs', 50: 'cp1251 COLLATE cp1251_bin',
  51: 'cp1251 COLLATE cp1251_general_ci', 52: 'cp1251 COLLATE cp1251_general_cs',
  53: 'macroman COLLATE macroman_bin', 54: 'utf16 COLLATE utf16_general_ci', 55: 'utf16 COLLATE utf16_bin',
  56: 'utf16le COLLATE utf16le_general_ci', 57: 'cp1256 COLLATE cp1256_general_ci', 58: 'cp1257 COLLATE cp1257_bin',
  59: 'cp1257 COLLATE cp1257_general_ci', 60: 'utf32 COLLATE utf32_general_ci', 61: 'utf32 COLLATE utf32_bin',
  62: 'utf16le COLLATE utf16le_bin', 63: 'binary COLLATE binary', 64: 'armscii8 COLLATE armscii8_bin',
  65: 'ascii COLLATE ascii_bin', 66: 'cp1250 COLLATE cp1250_bin', 67: 'cp1256 COLLATE cp1256_bin',
  68: 'cp866 COLLATE cp866_bin', 69: 'dec8 COLLATE dec8_bin', 70: 'greek COLLATE greek_bin',
  71: 'hebrew COLLATE hebrew_bin', 72: 'hp8 COLLATE hp8_bin', 73: 'keybcs2 COLLATE keybcs2_bin',
  74: 'koi8r COLLATE koi8r_bin', 75: 'koi8u COLLATE koi8u_bin', 77: 'latin2 COLLATE latin2_bin',
  78: 'latin5 COLLATE latin5_bin', 79: 'latin7 COLLATE latin7_bin', 80: 'cp850 COLLATE cp850_bin',
  81: 'cp852 COLLATE cp852_bin', 82: 'swe7 COLLATE swe7_bin', 83: 'utf8 COLLATE utf8_bin',
  84: 'big5 COLLATE big5_bin', 85: 'euckr COLLATE euckr_bin', 86: 'gb2312 COLLATE gb2312_bin',
  87: 'gbk COLLATE gbk_bin', 88: 'sjis COLLATE sjis_bin', 89: 'tis620 COLLATE tis620_bin',
  90: 'ucs2 COLLATE ucs2_bin', 91: 'ujis COLLATE ujis_bin', 92: 'geostd8 COLLATE geostd8_general_ci',
  93: 'geostd8 COLLATE geostd8_bin', 94: 'latin1 COLLATE latin1_spanish_ci', 95: 'cp932 COLLATE cp932_japanese_ci',
  96: 'cp932 COLLATE cp932_bin', 97: 'eucjpms COLLATE eucjpms_japanese_ci', 98: 'eucjpms COLLATE eucjpms_bin',
  99: 'cp1250 COLLATE cp1250_polish_ci', 101: 'utf16 COLLATE utf16_unicode_ci',
  102: 'utf16 COLLATE utf16_icelandic_ci', 103: 'utf16 COLLATE utf16_latvian_ci',
  104: 'utf16 COLLATE utf16_romanian_ci', 105: 'utf16 COLLATE utf16_slovenian_ci',
  106: 'utf16 COLLATE utf16_polish_ci', 107: 'utf16 COLLATE utf16_estonian_ci',
  108: 'utf16 COLLATE utf16_spanish_ci', 109: 'utf16 COLLATE utf16_swedish_ci',
  110: 'utf16 COLLATE utf16_turkish_ci', 111: 'utf16 COLLATE utf16_czech_ci', 112: 'utf16 COLLATE utf16_danish_ci',
  113: 'utf16 COLLATE utf16_lithuanian_ci', 114: 'utf16 COLLATE utf16_slovak_ci',
  115: 'utf16 COLLATE utf16_spanish2_ci', 116: 'utf16 COLLATE utf16_roman_ci', 117: 'utf16 COLLATE utf16_persian_ci',
  118: 'utf16 COLLATE utf16_esperanto_ci', 119: 'utf16 COLLATE utf16_hungarian_ci',
  120: 'utf16 COLLATE utf16_sinhala_ci', 121: 'utf16 COLLATE utf16_german2_ci',
  122: 'utf16 COLLATE utf16_croatian_mysql561_ci', 123: 'utf16 COLLATE utf16_unicode_520_ci',
  124: 'utf16 COLLATE utf16_vietnamese_ci', 128: 'ucs2 COLLATE ucs2_unicode_ci',
  129: 'ucs2 COLLATE ucs2_icelandic_ci', 130: 'ucs2 COLLATE ucs2_latvian_ci', 131: 'ucs2 COLLATE ucs2_romanian_ci',
  132: 'ucs2 COLLATE ucs2_slovenian_ci', 133: 'ucs2 COLLATE ucs2_polish_ci', 134: 'ucs2 COLLATE ucs2_estonian_ci',
  135: 'ucs2 COLLATE ucs2_spanish_ci', 136: 'ucs2 COLLATE ucs2_swedish_ci', 137: 'ucs2 COLLATE ucs2_turkish_ci',
  138: 'ucs2 COLLATE ucs2_czech_ci', 139: 'ucs2 COLLATE ucs2_danish_ci', 140: 'ucs2 COLLATE ucs2_lithuanian_ci',
  141: 'ucs2 COLLATE ucs2_slovak_ci', 142: 'ucs2 COLLATE ucs2_spanish2_ci', 143: 'ucs2 COLLATE ucs2_roman_ci',
  144: 'ucs2 COLLATE ucs2_persian_ci', 145: 'ucs2 COLLATE ucs2_esperanto_ci', 146: 'ucs2 COLLATE ucs2_hungarian_ci',
  147: 'ucs2 COLLATE ucs2_sinhala_ci', 148: 'ucs2 COLLATE ucs2_german2_ci',
  149: 'ucs2 COLLATE ucs2_croatian_mysql561_ci', 150: 'ucs2 COLLATE ucs2_unicode_520_ci',
  151: 'ucs2 COLLATE ucs2_vietnamese_ci', 159: 'ucs2 COLLATE ucs2_general_mysql500_ci',
  160: 'utf32 COLLATE utf32_unicode_ci', 161: 'utf32 COLLATE utf32_icelandic_ci',
  162: 'utf32 COLLATE utf32_latvian_ci', 163: 'utf32 COLLATE utf32_romanian_ci',
  164: 'utf32 COLLATE utf32_slovenian_ci', 165: 'utf32 COLLATE utf32_polish_ci',
  166: 'utf32 COLLATE utf32_estonian_ci', 167: 'utf32 COLLATE utf32_spanish_ci',
  168: 'utf32 COLLATE utf32_swedish_ci', 169: 'utf32 COLLATE utf32_turkish_ci', 170: 'utf32 COLLATE utf32_czech_ci',
  171: 'utf32 COLLATE utf32_danish_ci', 172: 'utf32 COLLATE utf32_lithuanian_ci',
  173: 'utf32 COLLATE utf32_slovak_ci', 174: 'utf32 COLLATE utf32_spanish2_ci', 175: 'utf32 COLLATE utf32_roman_ci',
  176: 'utf32 COLLATE utf32_persian_ci', 177: 'utf32 COLLATE utf32_esperanto_ci',
  178: 'utf32 COLLATE utf32_hungarian_ci', 179: 'utf32 COLLATE utf32_sinhala_ci',
  180: 'utf32 COLLATE utf32_german2_ci', 181: 'utf32 COLLATE utf32_croatian_mysql561_ci',
  182: 'utf32 COLLATE utf32_unicode_520_ci', 183: 'utf32 COLLATE utf32_vietnamese_ci',
  192: 'utf8 COLLATE utf8_unicode_ci', 193: 'utf8 COLLATE utf8_icelandic_ci', 194: 'utf8 COLLATE utf8_latvian_ci',
  195: 'utf8 COLLATE utf8_romanian_ci', 196: 'utf8 COLLATE utf8_slovenian_ci', 197: 'utf8 COLLATE utf8_polish_ci',
  198: 'utf8 COLLATE utf8_estonian_ci', 199: 'utf8 COLLATE utf8_spanish_ci', 200: 'utf8 COLLATE utf8_swedish_ci',
  201: 'utf8 COLLATE utf8_turkish_ci', 202: 'utf8 COLLATE utf8_czech_ci', 203: 'utf8 COLLATE utf8_danish_ci',
  204: 'utf8 COLLATE utf8_lithuanian_ci', 205: 'utf8 COLLATE utf8_slovak_ci', 206: 'utf8 COLLATE utf8_spanish2_ci',
  207: 'utf8 COLLATE utf8_roman_ci', 208: 'utf8 COLLATE utf8_persian_ci', 209: 'utf8 COLLATE utf8_esperanto_ci',
  210: 'utf8 COLLATE utf8_hungarian_ci', 211: 'utf8 COLLATE utf8_sinhala_ci', 212: 'utf8 COLLATE utf8_german2_ci',
  213: 'utf8 COLLATE utf8_croatian_mysql561_ci', 214: 'utf8 COLLATE utf8_unicode_520_ci',
  215: 'utf8 COLLATE utf8_vietnamese_ci', 223: 'utf8 COLLATE utf8_general_mysql500_ci',
  224: 'utf8mb4 COLLATE utf8mb4_unicode_ci', 225: 'utf8mb4 COLLATE utf8mb4_icelandic_ci',
  226: 'utf8mb4 COLLATE utf8mb4_latvian_ci', 227: 'utf8mb4 COLLATE utf8mb4_romanian_ci',
  228: 'utf8mb4 COLLATE utf8mb4_slovenian_ci', 229: 'utf8mb4 COLLATE utf8mb4_polish_ci',
  230: 'utf8mb4 COLLATE utf8mb4_estonian_ci', 231: 'utf8mb4 COLLATE utf8mb4_spanish_ci',
  232: 'utf8mb4 COLLATE utf8mb4_swedish_ci', 233: 'utf8mb4 COLLATE utf8mb4_turkish_ci',
  234: 'utf8mb4 COLLATE utf8mb4_czech_ci', 235: 'utf8mb4 COLLATE utf8mb4_danish_ci',
  236: 'utf8mb4 COLLATE utf8mb4_lithuanian_ci', 237: 'utf8mb4 COLLATE utf8mb4_slovak_ci',
  238: 'utf8mb4 COLLATE utf8mb4_spanish2_ci', 239: 'utf8mb4 COLLATE utf8mb4_roman_ci',
  240: 'utf8mb4 COLLATE utf8mb4_persian_ci', 241: 'utf8mb4 COLLATE utf8mb4_esperanto_ci',
  242: 'utf8mb4 COLLATE utf8mb4_hungarian_ci', 243: 'utf8mb4 COLLATE utf8mb4_sinhala_ci',
  244: 'utf8mb4 COLLATE utf8mb4_german2_ci', 245: 'utf8mb4 COLLATE utf8mb4_croatian_mysql561_ci',
  246: 'utf8mb4 COLLATE utf8mb4_unicode_520_ci', 247: 'utf8mb4 COLLATE utf8mb4_vietnamese_ci',
  576: 'utf8 COLLATE utf8_croatian_ci', 577: 'utf8 COLLATE utf8_myanmar_ci', 578: 'utf8 COLLATE utf8_thai_520_w2',
  608: 'utf8mb4 COLLATE utf8mb4_croatian_ci', 609: 'utf8mb4 COLLATE utf8mb4_myanmar_ci',
  610: 'utf8mb4 COLLATE utf8mb4_thai_520_w2', 640: 'ucs2 COLLATE ucs2_croatian_ci',
  641: 'ucs2 COLLATE ucs2_myanmar_ci', 642: 'ucs2 COLLATE ucs2_thai_520_w2', 672: 'utf16 COLLATE utf16_croatian_ci',
  673: 'utf16 COLLATE utf16_myanmar_ci', 674: 'utf16 COLLATE utf16_thai_520_w2',
  736: 'utf32 COLLATE utf32_croatian_ci', 737: 'utf32 COLLATE utf32_myanmar_ci',
  738: 'utf32 COLLATE utf32_thai_520_w2', 1025: 'big5 COLLATE big5_chinese_nopad_ci',
  1027: 'dec8 COLLATE dec8_swedish_nopad_ci', 1028: 'cp850 COLLATE cp850_general_nopad_ci',
  1030: 'hp8 COLLATE hp8_english_nopad_ci', 1031: 'koi8r COLLATE koi8r_general_nopad_ci',
  1032: 'latin1 COLLATE latin1_swedish_nopad_ci', 1033: 'latin2 COLLATE latin2_general_nopad_ci',
  1034: 'swe7 COLLATE swe7_swedish_nopad_ci', 1035: 'ascii COLLATE ascii_general_nopad_ci',
  1036: 'ujis COLLATE ujis_japanese_nopad_ci', 1037: 'sjis COLLATE sjis_japanese_nopad_ci',
  1040: 'hebrew COLLATE hebrew_general_nopad_ci', 1042: 'tis620 COLLATE tis620_thai_nopad_ci',
  1043: 'euckr COLLATE euckr_korean_nopad_ci', 1046: 'koi8u COLLATE koi8u_general_nopad_ci',
  1048: 'gb2312 COLLATE gb2312_chinese_nopad_ci', 1049: 'greek COLLATE greek_general_nopad_ci',
  1050: 'cp1250 COLLATE cp1250_general_nopad_ci', 1052: 'gbk COLLATE gbk_chinese_nopad_ci',
  1054: 'latin5 COLLATE latin5_turkish_nopad_ci', 1056: 'armscii8 COLLATE armscii8_general_nopad_ci',
  1057: 'utf8 COLLATE utf8_general_nopad_ci', 1059: 'ucs2 COLLATE ucs2_general_nopad_ci',
  1060: 'cp866 COLLATE cp866_general_nopad_ci', 1061: 'keybcs2 COLLATE keybcs2_general_nopad_ci',
  1062: 'macce COLLATE macce_general_nopad_ci', 1063: 'macroman COLLATE macroman_general_nopad_ci',
  1064: 'cp852 COLLATE cp852_general_nopad_ci', 1065: 'latin7 COLLATE latin7_general_nopad_ci',
  1067: 'macce COLLATE macce_nopad_bin', 1069: 'utf8mb4 COLLATE utf8mb4_general_nopad_ci',
  1070: 'utf8mb4 COLLATE utf8mb4_nopad_bin', 1071: 'latin1 COLLATE latin1_nopad_bin',
  1074: 'cp1251 COLLATE cp1251_nopad_bin', 1075: 'cp1251 COLLATE cp1251_general_nopad_ci',
  1077: 'macroman COLLATE macroman_nopad_bin', 1078: 'utf16 COLLATE utf16_general_nopad_ci',
  1079: 'utf16 COLLATE utf16_nopad_bin', 1080: 'utf16le COLLATE utf16le_general_nopad_ci',
  1081: 'cp1256 COLLATE cp1256_general_nopad_ci', 1082: 'cp1257 COLLATE cp1257_nopad_bin',
  1083: 'cp1257 COLLATE cp1257_general_nopad_ci', 1084: 'utf32 COLLATE utf32_general_nopad_ci',
  1085: 'utf32 COLLATE utf32_nopad_bin', 1086: 'utf16le COLLATE utf16le_nopad_bin',
  1088: 'armscii8 COLLATE armscii8_nopad_bin', 1089: 'ascii COLLATE ascii_nopad_bin',
  1090: 'cp1250 COLLATE cp1250_nopad_bin', 1091: 'cp1256 COLLATE cp1256_nopad_bin',
  1092: 'cp866 COLLATE cp866_nopad_bin', 1093: 'dec8 COLLATE dec8_nopad_bin', 1094: 'greek COLLATE greek_nopad_bin',
  1095: 'hebrew COLLATE hebrew_nopad_bin', 1096: 'hp8 COLLATE hp8_nopad_bin',
  1097: 'keybcs2 COLLATE keybcs2_nopad_bin', 1098: 'koi8r COLLATE koi8r_nopad_bin',
  1099: 'koi8u COLLATE koi8u_nopad_bin', 1101: 'latin2 COLLATE latin2_nopad_bin',
  1102: 'latin5 COLLATE latin5_nopad_bin', 1103: 'latin7 COLLATE latin7_nopad_bin',
  1104: 'cp850 COLLATE cp850_nopad_bin', 1105: 'cp852 COLLATE cp852_nopad_bin', 1106: 'swe7 COLLATE swe7_nopad_bin',
  1107: 'utf8 COLLATE utf8_nopad_bin', 1108: 'big5 COLLATE big5_nopad_bin', 1109: 'euckr COLLATE euckr_nopad_bin',
  1110: 'gb2312 COLLATE gb2312_nopad_bin', 1111: 'gbk COLLATE gbk_nopad_bin', 1112: 'sjis COLLATE sjis_nopad_bin',
  1113: 'tis620 COLLATE tis620_nopad_bin', 1114: 'ucs2 COLLATE ucs2_nopad_bin', 1115: 'ujis COLLATE ujis_nopad_bin',
  1116: 'geostd8 COLLATE geostd8_general_nopad_ci', 1117: 'geostd8 COLLATE geostd8_nopad_bin',
  1119: 'cp932 COLLATE cp932_japanese_nopad_ci', 1120: 'cp932 COLLATE cp932_nopad_bin',
  1121: 'eucjpms COLLATE eucjpms_japanese_nopad_ci', 1122: 'eucjpms COLLATE eucjpms_nopad_bin',
  1125: 'utf16 COLLATE utf16_unicode_nopad_ci', 1147: 'utf16 COLLATE utf16_unicode_520_nopad_ci',
  1152: 'ucs2 COLLATE ucs2_unicode_nopad_ci', 1174: 'ucs2 COLLATE ucs2_unicode_520_nopad_ci',
  1184: 'utf32 COLLATE utf32_unicode_nopad_ci', 1206: 'utf32 COLLATE utf32_unicode_520_nopad_ci',
  1216: 'utf8 COLLATE utf8_unicode_nopad_ci', 1238: 'utf8 COLLATE utf8_unicode_520_nopad_ci',
  1248: 'utf8mb4 COLLATE utf8mb4_unicode_nopad_ci', 1270: 'utf8mb4 COLLATE utf8mb4_unicode_520_nopad_ci',
};

const SET: readonly [string, string] = ['Set', 'Not set'];

export const mysqlFields = defineFields([
  { name: 'mysql.packet_length', label: 'Packet Length', type: 'uint24', base: 'dec' },
  { name: 'mysql.packet_number', label: 'Packet Number', type: 'uint8', base: 'dec', description: 'Packet Number (now called: Sequence ID)' },
  { name: 'mysql.request', label: 'Request Command', type: 'none' },
  { name: 'mysql.command', label: 'Command', type: 'uint8', base: 'dec', values: COMMANDS },
  { name: 'mysql.response_code', label: 'Response Code', type: 'uint8', base: 'hex', values: RESPONSE_CODES },
  { name: 'mysql.error_code', label: 'Error Code', type: 'uint16', base: 'dec' },
  { name: 'mysql.error.message', label: 'Error message', type: 'string', description: 'Error string in case of MySQL error message' },
  { name: 'mysql.sqlstate', label: 'SQL state', type: 'string' },
  { name: 'mysql.message', label: 'Message', type: 'string' },
  { name: 'mysql.server_greeting', label: 'Server Greeting', type: 'none' },
  { name: 'mysql.protocol', label: 'Protocol', type: 'uint8', base: 'dec', description: 'Protocol Version' },
  { name: 'mysql.version', label: 'Version', type: 'string', description: 'MySQL Version' },
  { name: 'mysql.session_track', label: 'Session Track', type: 'none' },
  { name: 'mysql.session_track.type', label: 'Session tracking type', type: 'uint8', base: 'dec', values: SESSION_TRACK_TYPES },
  { name: 'mysql.session_track.length', label: 'Session tracking length', type: 'uint64', base: 'dec' },
  { name: 'mysql.session_track.data', label: 'Session tracking data', type: 'none' },
  { name: 'mysql.session_track.data.length', label: 'Session tracking data length', type: 'uint64', base: 'dec' },
  { name: 'mysql.session_track.sysvar.length', label: 'System variable change Length', type: 'uint64', base: 'dec' },
  { name: 'mysql.session_track.sysvar.name', label: 'System variable change Name', type: 'string' },
  { name: 'mysql.session_track.sysvar.value', label: 'System variable change Value', type: 'string' },
  { name: 'mysql.session_track.schema.length', label: 'Schema change length', type: 'uint64', base: 'dec' },
  { name: 'mysql.session_track.schema', label: 'Schema change', type: 'string' },
  { name: 'mysql.session_track.state_change', label: 'State change', type: 'string' },
  { name: 'mysql.session_track.gtids.encoding', label: 'GTIDs encoding', type: 'uint8', base: 'dec' },
  { name: 'mysql.session_track.gtids.length', label: 'GTIDs length', type: 'uint64', base: 'dec' },
  { name: 'mysql.session_track.gtids', label: 'GTIDs', type: 'string' },
  { name: 'mysql.session_track.transaction_characteristics.length', label: 'Transaction characteristics length', type: 'uint64', base: 'dec' },
  { name: 'mysql.session_track.transaction_characteristics', label: 'Transaction characteristics', type: 'string' },
  { name: 'mysql.session_track.transaction_state.length', label: 'Transaction state length', type: 'uint64', base: 'dec' },
  { name: 'mysql.session_track.transaction_state', label: 'Transaction state', type: 'string' },
  { name: 'mysql.caps.server', label: 'Server Capabilities', type: 'uint16', base: 'hex', description: 'MySQL Capabilities' },
  { name: 'mysql.caps.client', label: 'Client Capabilities', type: 'uint16', base: 'hex', description: 'MySQL Capabilities' },
  { name: 'mysql.caps.lp', label: 'Long Password', type: 'boolean', mask: 0x0001, tf: SET },
  { name: 'mysql.caps.fr', label: 'Found Rows', type: 'boolean', mask: 0x0002, tf: SET },
  { name: 'mysql.caps.lf', label: 'Long Column Flags', type: 'boolean', mask: 0x0004, tf: SET },
  { name: 'mysql.caps.cd', label: 'Connect With Database', type: 'boolean', mask: 0x0008, tf: SET },
  { name: 'mysql.caps.ns', label: "Don't Allow database.table.column", type: 'boolean', mask: 0x0010, tf: SET },
  { name: 'mysql.caps.cp', label: 'Can use compression protocol', type: 'boolean', mask: 0x0020, tf: SET },
  { name: 'mysql.caps.ob', label: 'ODBC Client', type: 'boolean', mask: 0x0040, tf: SET },
  { name: 'mysql.caps.li', label: 'Can Use LOAD DATA LOCAL', type: 'boolean', mask: 0x0080, tf: SET },
  { name: 'mysql.caps.is', label: "Ignore Spaces before '('", type: 'boolean', mask: 0x0100, tf: SET },
  { name: 'mysql.caps.cu', label: 'Speaks 4.1 protocol (new flag)', type: 'boolean', mask: 0x0200, tf: SET },
  { name: 'mysql.caps.ia', label: 'Interactive Client', type: 'boolean', mask: 0x0400, tf: SET },
  { name: 'mysql.caps.sl', label: 'Switch to SSL after handshake', type: 'boolean', mask: 0x0800, tf: SET },
  { name: 'mysql.caps.ii', label: 'Ignore sigpipes', type: 'boolean', mask: 0x1000, tf: SET },
  { name: 'mysql.caps.ta', label: 'Knows about transactions', type: 'boolean', mask: 0x2000, tf: SET },
  { name: 'mysql.caps.rs', label: 'Speaks 4.1 protocol (old flag)', type: 'boolean', mask: 0x4000, tf: SET },
  { name: 'mysql.caps.sc', label: 'Can do 4.1 authentication', type: 'boolean', mask: 0x8000, tf: SET },
  { name: 'mysql.extcaps.server', label: 'Extended Server Capabilities', type: 'uint16', base: 'hex', description: 'MySQL Extended Capabilities' },
  { name: 'mysql.extcaps.client', label: 'Extended Client Capabilities', type: 'uint16', base: 'hex', description: 'MySQL Extended Capabilities' },
  { name: 'mysql.caps.ms', label: 'Multiple statements', type: 'boolean', mask: 0x0001, tf: SET },
  { name: 'mysql.caps.mr', label: 'Multiple results', type: 'boolean', mask: 0x0002, tf: SET },
  // tshark 4.0 registers "Plugin Auth LENENC Client Data" (0x0020) under this name too: a
  // filter on it matches both bits, and -T fields lists both.
  { name: 'mysql.caps.pm', label: 'PS Multiple results', type: 'boolean', mask: 0x0004, tf: SET },
  { name: 'mysql.caps.pa', label: 'Plugin Auth', type: 'boolean', mask: 0x0008, tf: SET },
  { name: 'mysql.caps.ca', label: 'Connect attrs', type: 'boolean', mask: 0x0010, tf: SET },
  { name: 'mysql.caps.ep', label: 'Client can handle expired passwords', type: 'boolean', mask: 0x0040, tf: SET },
  { name: 'mysql.caps.session_track', label: 'Session variable tracking', type: 'boolean', mask: 0x0080, tf: SET },
  { name: 'mysql.caps.deprecate_eof', label: 'Deprecate EOF', type: 'boolean', mask: 0x0100, tf: SET },
  { name: 'mysql.caps.optional_metadata', label: 'Client can hanle optional resultset metadata', type: 'boolean', mask: 0x0200, tf: SET },
  { name: 'mysql.caps.compress_zsd', label: 'ZSTD Compression Algorithm', type: 'boolean', mask: 0x0400, tf: SET },
  { name: 'mysql.caps.query_attrs', label: 'Query Attributes', type: 'boolean', mask: 0x0800, tf: SET },
  { name: 'mysql.caps.mf_auth', label: 'Multifactor Authentication', type: 'boolean', mask: 0x1000, tf: SET },
  { name: 'mysql.caps.cap_ext', label: 'Capability Extension', type: 'boolean', mask: 0x2000, tf: SET },
  { name: 'mysql.caps.unused', label: 'Unused', type: 'uint16', base: 'hex', mask: 0xc000 },
  { name: 'mysql.login_request', label: 'Login Request', type: 'none' },
  { name: 'mysql.max_packet', label: 'MAX Packet', type: 'uint32', base: 'dec', description: 'MySQL Max packet' },
  { name: 'mysql.charset', label: 'Charset', type: 'uint8', base: 'dec', values: MYSQL_COLLATIONS, description: 'MySQL Charset' },
  { name: 'mariadb.charset', label: 'Charset', type: 'uint8', base: 'dec', values: MARIADB_COLLATIONS, description: 'MySQL Charset' },
  { name: 'mysql.table_name', label: 'Table Name', type: 'string' },
  { name: 'mysql.user', label: 'Username', type: 'string', description: 'Login Username' },
  { name: 'mysql.schema', label: 'Schema', type: 'string', description: 'Login Schema' },
  { name: 'mysql.client_auth_plugin', label: 'Client Auth Plugin', type: 'string' },
  { name: 'mysql.connattrs', label: 'Connection Attributes', type: 'none' },
  { name: 'mysql.connattrs.length', label: 'Connection Attributes length', type: 'uint64', base: 'dec' },
  { name: 'mysql.connattrs.attr', label: 'Connection Attribute', type: 'none' },
  { name: 'mysql.connattrs.name.length', label: 'Connection Attribute Name Length', type: 'uint64', base: 'dec' },
  { name: 'mysql.connattrs.name', label: 'Connection Attribute Name', type: 'string' },
  { name: 'mysql.connattrs.value.length', label: 'Connection Attribute Value Length', type: 'uint64', base: 'dec' },
  { name: 'mysql.connattrs.value', label: 'Connection Attribute Value', type: 'string' },
  { name: 'mysql.salt', label: 'Salt', type: 'string' },
  { name: 'mysql.salt2', label: 'Salt', type: 'string' },
  { name: 'mysql.auth_plugin.length', label: 'Authentication Plugin Length', type: 'uint8', base: 'dec' },
  { name: 'mysql.auth_plugin', label: 'Authentication Plugin', type: 'string' },
  { name: 'mysql.thread_id', label: 'Thread ID', type: 'uint32', base: 'dec', description: 'MySQL Thread ID' },
  { name: 'mysql.server_language', label: 'Server Language', type: 'uint8', base: 'dec', values: MYSQL_COLLATIONS, description: 'MySQL Charset' },
  { name: 'mariadb.server_language', label: 'Server Language', type: 'uint8', base: 'dec', values: MARIADB_COLLATIONS, description: 'MySQL Charset' },
  { name: 'mysql.server_status', label: 'Server Status', type: 'uint16', base: 'hex', description: 'MySQL Status' },
  { name: 'mysql.stat.it', label: 'In transaction', type: 'boolean', mask: 0x0001, tf: SET },
  { name: 'mysql.stat.ac', label: 'AUTO_COMMIT', type: 'boolean', mask: 0x0002, tf: SET },
  { name: 'mysql.stat.mr', label: 'More results', type: 'boolean', mask: 0x0008, tf: SET },
  { name: 'mysql.stat.mu', label: 'Multi query / Unused', type: 'boolean', mask: 0x0004, tf: SET, description: 'Multi query / Unused with MySQL >= 5.6' },
  { name: 'mysql.stat.bi', label: 'Bad index used', type: 'boolean', mask: 0x0010, tf: SET },
  { name: 'mysql.stat.ni', label: 'No index used', type: 'boolean', mask: 0x0020, tf: SET },
  { name: 'mysql.stat.cr', label: 'Cursor exists', type: 'boolean', mask: 0x0040, tf: SET },
  { name: 'mysql.stat.lr', label: 'Last row sent', type: 'boolean', mask: 0x0080, tf: SET },
  { name: 'mysql.stat.dr', label: 'Database dropped', type: 'boolean', mask: 0x0100, tf: SET },
  { name: 'mysql.stat.bs', label: 'No backslash escapes', type: 'boolean', mask: 0x0200, tf: SET },
  { name: 'mysql.stat.mc', label: 'Metadata changed', type: 'boolean', mask: 0x0400, tf: SET },
  { name: 'mysql.stat.session_state_changed', label: 'Session state changed', type: 'boolean', mask: 0x4000, tf: SET },
  { name: 'mysql.stat.query_was_slow', label: 'Query was slow', type: 'boolean', mask: 0x0800, tf: SET },
  { name: 'mysql.stat.ps_out_params', label: 'PS Out Params', type: 'boolean', mask: 0x1000, tf: SET },
  { name: 'mysql.stat.trans_readonly', label: 'In Trans Readonly', type: 'boolean', mask: 0x2000, tf: SET },
  { name: 'mysql.refresh', label: 'Refresh Option', type: 'uint8', base: 'hex' },
  { name: 'mysql.rfsh.grants', label: 'reload permissions', type: 'boolean', mask: 0x01, tf: SET },
  { name: 'mysql.rfsh.log', label: 'flush logfiles', type: 'boolean', mask: 0x02, tf: SET },
  { name: 'mysql.rfsh.tables', label: 'flush tables', type: 'boolean', mask: 0x04, tf: SET },
  { name: 'mysql.rfsh.hosts', label: 'flush hosts', type: 'boolean', mask: 0x08, tf: SET },
  { name: 'mysql.rfsh.status', label: 'reset statistics', type: 'boolean', mask: 0x10, tf: SET },
  { name: 'mysql.rfsh.threads', label: 'empty thread cache', type: 'boolean', mask: 0x20, tf: SET },
  { name: 'mysql.rfsh.slave', label: 'flush slave status', type: 'boolean', mask: 0x40, tf: SET },
  { name: 'mysql.rfsh.master', label: 'flush master status', type: 'boolean', mask: 0x80, tf: SET },
  { name: 'mysql.unused', label: 'Unused', type: 'bytes' },
  { name: 'mysql.passwd', label: 'Password', type: 'bytes' },
  { name: 'mysql.payload', label: 'Payload', type: 'bytes', description: 'Additional Payload' },
  { name: 'mysql.affected_rows', label: 'Affected Rows', type: 'uint64', base: 'dec' },
  { name: 'mysql.insert_id', label: 'Last INSERT ID', type: 'uint64', base: 'dec' },
  { name: 'mysql.warnings', label: 'Warnings', type: 'uint16', base: 'dec' },
  { name: 'mysql.stmt_id', label: 'Statement ID', type: 'uint32', base: 'dec' },
  { name: 'mysql.query_attrs', label: 'Query Attributes', type: 'none' },
  { name: 'mysql.query_attrs_count', label: 'Count', type: 'uint8', base: 'dec' },
  { name: 'mysql.query_attrs_send_types_to_server', label: 'Send types to server', type: 'boolean' },
  { name: 'mysql.query_attr_name_type', label: 'Attribute Name Type', type: 'uint16', base: 'hex' },
  { name: 'mysql.query_attr_name', label: 'Attribute Name', type: 'string' },
  { name: 'mysql.query_attr_value', label: 'Attribute Value', type: 'string' },
  { name: 'mysql.query', label: 'Statement', type: 'string' },
  { name: 'mysql.shutdown', label: 'Shutdown Level', type: 'uint8', base: 'dec', values: SHUTDOWN_LEVELS },
  { name: 'mysql.option', label: 'Option', type: 'uint16', base: 'dec', values: OPTIONS },
  { name: 'mysql.param', label: 'Parameter', type: 'uint16', base: 'dec' },
  { name: 'mysql.num_params', label: 'Number of parameter', type: 'uint16', base: 'dec' },
  { name: 'mysql.num_rows', label: 'Rows to fetch', type: 'uint32', base: 'dec' },
  // Shown as "Flags (unused)" without value names to a server before 5.0 (hf_mysql_exec_flags4, same name).
  { name: 'mysql.exec_flags', label: 'Flags', type: 'uint8', base: 'dec', values: EXEC_FLAGS },
  { name: 'mysql.new_parameter_bound_flag', label: 'New parameter bound flag', type: 'uint8', base: 'dec', values: NEW_PARAMETER_BOUND },
  { name: 'mysql.exec_iter', label: 'Iterations (unused)', type: 'uint32', base: 'dec' },
  { name: 'mysql.binlog.position', label: 'Binlog Position', type: 'uint32', base: 'dec', description: 'Position to start at' },
  { name: 'mysql.binlog.flags', label: 'Binlog Flags', type: 'uint16', base: 'hex', description: '(currently not used; always 0)' },
  { name: 'mysql.binlog.server_id', label: 'Binlog server id', type: 'uint32', base: 'hex', description: 'server_id of the slave' },
  { name: 'mysql.binlog.slave_hostname_length', label: 'Slave hostname length', type: 'uint8', base: 'dec', description: 'slave_hostname field length' },
  { name: 'mysql.binlog.slave_hostname', label: 'Slave hostname', type: 'string', description: 'slave_hostname' },
  { name: 'mysql.binlog.slave_user_length', label: 'Slave user length', type: 'uint8', base: 'dec', description: 'slave_hostname field length' },
  { name: 'mysql.binlog.slave_user', label: 'Slave user', type: 'string', description: 'slave_user' },
  { name: 'mysql.binlog.slave_password_length', label: 'Slave password length', type: 'uint8', base: 'dec', description: 'slave_password field length' },
  { name: 'mysql.binlog.slave_password', label: 'Slave password', type: 'string', description: 'slave_password' },
  { name: 'mysql.binlog.slave_mysql_port', label: 'Slave MySQL port', type: 'uint16', base: 'dec', description: "slave's mysql port" },
  { name: 'mysql.binlog.replication_rank', label: 'Replication rank', type: 'uint32', base: 'dec', description: 'ignored' },
  { name: 'mysql.binlog.master_id', label: 'Master id', type: 'uint32', base: 'hex', description: 'master_id of the slave' },
  { name: 'mysql.binlog.file_name', label: 'Binlog file name', type: 'string' },
  { name: 'mysql.eof', label: 'EOF marker', type: 'uint8', base: 'dec' },
  { name: 'mysql.num_fields', label: 'Number of fields', type: 'uint64', base: 'dec' },
  { name: 'mysql.extra', label: 'Extra data', type: 'uint64', base: 'dec' },
  { name: 'mysql.field.catalog', label: 'Catalog', type: 'string', description: 'Field: catalog' },
  { name: 'mysql.field.db', label: 'Database', type: 'string', description: 'Field: database' },
  { name: 'mysql.field.table', label: 'Table', type: 'string', description: 'Field: table' },
  { name: 'mysql.field.org_table', label: 'Original table', type: 'string', description: 'Field: original table' },
  { name: 'mysql.field.name', label: 'Name', type: 'string', description: 'Field: name' },
  { name: 'mysql.field.org_name', label: 'Original name', type: 'string', description: 'Field: original name' },
  { name: 'mysql.field.charsetnr', label: 'Charset number', type: 'uint16', base: 'dec', values: MYSQL_COLLATIONS, description: 'Field: charset number' },
  { name: 'mysql.field.length', label: 'Length', type: 'uint32', base: 'dec', description: 'Field: length' },
  { name: 'mysql.field.type', label: 'Type', type: 'uint8', base: 'dec', values: FIELD_TYPES, description: 'Field: type' },
  { name: 'mysql.field.flags', label: 'Flags', type: 'uint16', base: 'hex', description: 'Field: flags' },
  { name: 'mysql.field.flags.not_null', label: 'Not null', type: 'boolean', mask: 0x0001, tf: SET, description: 'Field: flag not null' },
  { name: 'mysql.field.flags.primary_key', label: 'Primary key', type: 'boolean', mask: 0x0002, tf: SET, description: 'Field: flag primary key' },
  { name: 'mysql.field.flags.unique_key', label: 'Unique key', type: 'boolean', mask: 0x0004, tf: SET, description: 'Field: flag unique key' },
  { name: 'mysql.field.flags.multiple_key', label: 'Multiple key', type: 'boolean', mask: 0x0008, tf: SET, description: 'Field: flag multiple key' },
  { name: 'mysql.field.flags.blob', label: 'Blob', type: 'boolean', mask: 0x0010, tf: SET, description: 'Field: flag blob' },
  { name: 'mysql.field.flags.unsigned', label: 'Unsigned', type: 'boolean', mask: 0x0020, tf: SET, description: 'Field: flag unsigned' },
  { name: 'mysql.field.flags.zero_fill', label: 'Zero fill', type: 'boolean', mask: 0x0040, tf: SET, description: 'Field: flag zero fill' },
  { name: 'mysql.field.flags.enum', label: 'Enum', type: 'boolean', mask: 0x0100, tf: SET, description: 'Field: flag enum' },
  { name: 'mysql.field.flags.auto_increment', label: 'Auto increment', type: 'boolean', mask: 0x0200, tf: SET, description: 'Field: flag auto increment' },
  { name: 'mysql.field.flags.timestamp', label: 'Timestamp', type: 'boolean', mask: 0x0400, tf: SET, description: 'Field: flag timestamp' },
  { name: 'mysql.field.flags.set', label: 'Set', type: 'boolean', mask: 0x0800, tf: SET, description: 'Field: flag set' },
  { name: 'mysql.row.nullbuffer', label: 'Row null buffer', type: 'bytes' },
  { name: 'mysql.field.decimals', label: 'Decimals', type: 'uint8', base: 'dec', description: 'Field: decimals' },
  { name: 'mysql.field.default', label: 'Default', type: 'string', description: 'Field: default' },
  { name: 'mysql.row.text', label: 'text', type: 'string', description: 'Field: row packet text' },
  { name: 'mysql.exec_param', label: 'Parameter', type: 'none' },
  { name: 'mysql.exec.unsigned', label: 'Unsigned', type: 'uint8', base: 'dec' },
  { name: 'mysql.exec.field.longlong', label: 'Value (INT64)', type: 'int64', base: 'dec' },
  { name: 'mysql.exec.field.unsigned_longlong', label: 'Value (UINT64)', type: 'uint64', base: 'dec' },
  { name: 'mysql.exec.field.string', label: 'Value (String)', type: 'string' },
  { name: 'mysql.exec.field.double', label: 'Value (Double)', type: 'double' },
  { name: 'mysql.exec.field.datetime.length', label: 'Length', type: 'int8', base: 'dec' },
  { name: 'mysql.exec.field.year', label: 'Year', type: 'int16', base: 'dec' },
  { name: 'mysql.exec.field.month', label: 'Month', type: 'int8', base: 'dec' },
  { name: 'mysql.exec.field.day', label: 'Day', type: 'int8', base: 'dec' },
  { name: 'mysql.exec.field.hour', label: 'Hour', type: 'int8', base: 'dec' },
  { name: 'mysql.exec.field.minute', label: 'Minute', type: 'int8', base: 'dec' },
  { name: 'mysql.exec.field.second', label: 'Second', type: 'int8', base: 'dec' },
  { name: 'mysql.exec.field.secondb', label: 'Billionth of a second', type: 'int32', base: 'dec' },
  { name: 'mysql.exec.field.long', label: 'Value (INT32)', type: 'int32', base: 'dec' },
  { name: 'mysql.exec.field.unsigned_long', label: 'Value (UINT32)', type: 'uint32', base: 'dec' },
  { name: 'mysql.exec.field.tiny', label: 'Value (INT8)', type: 'int8', base: 'dec' },
  { name: 'mysql.exec.field.unsigned_tiny', label: 'Value (UINT8)', type: 'uint8', base: 'dec' },
  { name: 'mysql.exec.field.short', label: 'Value (INT16)', type: 'int16', base: 'dec' },
  { name: 'mysql.exec.field.unsigned_short', label: 'Value (UINT16)', type: 'uint16', base: 'dec' },
  { name: 'mysql.exec.field.float', label: 'Value (Float)', type: 'float' },
  { name: 'mysql.exec.field.null', label: 'Value: -NULL-', type: 'none' },
  { name: 'mysql.exec.field.time.length', label: 'Length', type: 'int8', base: 'dec' },
  { name: 'mysql.exec.field.time.sign', label: 'Flags', type: 'uint8', base: 'dec', values: TIME_SIGNS },
  { name: 'mysql.exec.field.time.days', label: 'Days', type: 'int32', base: 'dec' },
  { name: 'mysql.auth_switch_request.status', label: 'Status', type: 'uint8', base: 'hex' },
  { name: 'mysql.auth_switch_request.name', label: 'Auth Method Name', type: 'string' },
  { name: 'mysql.auth_switch_request.data', label: 'Auth Method Data', type: 'bytes' },
  { name: 'mysql.auth_switch_response.data', label: 'Auth Method Data', type: 'bytes' },
  { name: 'mariadb.caps.pr', label: 'Progress indication', type: 'boolean', mask: 0x01, tf: SET },
  { name: 'mariadb.caps.cm', label: 'Multi commands', type: 'boolean', mask: 0x02, tf: SET },
  { name: 'mariadb.caps.bo', label: 'Bulk Operations', type: 'boolean', mask: 0x04, tf: SET },
  { name: 'mariadb.caps.em', label: 'Extended metadata', type: 'boolean', mask: 0x08, tf: SET },
  { name: 'mariadb.caps.me', label: 'Cache metadata', type: 'boolean', mask: 0x10, tf: SET },
  { name: 'mariadb.extcaps.server', label: 'MariaDB Extended Server Capabilities', type: 'uint32', base: 'hex' },
  { name: 'mariadb.extcaps.client', label: 'MariaDB Extended Client Capabilities', type: 'uint32', base: 'hex' },
  // tvb_get_fle's items: every length-encoded integer shows its first byte and its value.
  { name: 'mariadb.prefix', label: 'Prefix', type: 'uint8', base: 'dec' },
  { name: 'mariadb.length', label: 'Length', type: 'uint64', base: 'dec' },
] as const);

const F = mysqlFields;

const CAPS_FLAGS = [
  F['mysql.caps.lp'], F['mysql.caps.fr'], F['mysql.caps.lf'], F['mysql.caps.cd'], F['mysql.caps.ns'], F['mysql.caps.cp'], F['mysql.caps.ob'],
  F['mysql.caps.li'], F['mysql.caps.is'], F['mysql.caps.cu'], F['mysql.caps.ia'], F['mysql.caps.sl'], F['mysql.caps.ii'], F['mysql.caps.ta'],
  F['mysql.caps.rs'], F['mysql.caps.sc'],
];
/** The extended capabilities in tshark's order; null is the LENENC bit registered as mysql.caps.pm again. */
const EXTCAPS_FLAGS = [
  F['mysql.caps.ms'], F['mysql.caps.mr'], F['mysql.caps.pm'], F['mysql.caps.pa'], F['mysql.caps.ca'], null, F['mysql.caps.ep'],
  F['mysql.caps.session_track'], F['mysql.caps.deprecate_eof'], F['mysql.caps.optional_metadata'], F['mysql.caps.compress_zsd'],
  F['mysql.caps.query_attrs'], F['mysql.caps.mf_auth'], F['mysql.caps.cap_ext'], F['mysql.caps.unused'],
];
const STATUS_FLAGS = [
  F['mysql.stat.it'], F['mysql.stat.ac'], F['mysql.stat.mu'], F['mysql.stat.mr'], F['mysql.stat.bi'], F['mysql.stat.ni'], F['mysql.stat.cr'],
  F['mysql.stat.lr'], F['mysql.stat.dr'], F['mysql.stat.bs'], F['mysql.stat.mc'], F['mysql.stat.query_was_slow'], F['mysql.stat.ps_out_params'],
  F['mysql.stat.trans_readonly'], F['mysql.stat.session_state_changed'],
];
const REFRESH_FLAGS = [
  F['mysql.rfsh.grants'], F['mysql.rfsh.log'], F['mysql.rfsh.tables'], F['mysql.rfsh.hosts'], F['mysql.rfsh.status'], F['mysql.rfsh.threads'],
  F['mysql.rfsh.slave'], F['mysql.rfsh.master'],
];
const FIELD_FLAGS = [
  F['mysql.field.flags.not_null'], F['mysql.field.flags.primary_key'], F['mysql.field.flags.unique_key'], F['mysql.field.flags.multiple_key'],
  F['mysql.field.flags.blob'], F['mysql.field.flags.unsigned'], F['mysql.field.flags.zero_fill'], F['mysql.field.flags.enum'],
  F['mysql.field.flags.auto_increment'], F['mysql.field.flags.timestamp'], F['mysql.field.flags.set'],
];
const MARIADB_CAPS_FLAGS = [F['mariadb.caps.pr'], F['mariadb.caps.cm'], F['mariadb.caps.bo'], F['mariadb.caps.em'], F['mariadb.caps.me']];

// Capability bits the dissection depends on (mysql_com.h).
const CAPS_LP = 0x0001, CAPS_CD = 0x0008, CAPS_CU = 0x0200, CAPS_SL = 0x0800, CAPS_SC = 0x8000;
const EXT_PA = 0x0008, EXT_CA = 0x0010, EXT_AL = 0x0020, EXT_ST = 0x0080, EXT_DE = 0x0100, EXT_QA = 0x0800;
const STAT_SESSION_STATE_CHANGED = 0x4000;
const FLD_UNSIGNED = 0x0020;
/** A parameter type's "unsigned" byte (mysql_dissect_exec_param). */
const PARAM_UNSIGNED = 0x80;
const PARAM_STREAMED = 0x01;

/** What the next packet of a connection is expected to be (packet-mysql.c's mysql_state_t). */
const enum State {
  Undefined, Login, Request, ResponseOk, ResponseMessage, ResponseTabular, ResponseShowFields, FieldPacket, RowPacket,
  ResponsePrepare, PreparedParameters, PreparedFields, AuthSwitchRequest, AuthSwitchResponse,
}

/** The texts tshark appends to the "MySQL Protocol" item of a response (state_vals). */
const SUFFIX = {
  ok: 'response OK', error: 'response ERROR', eof: 'response EOF', intermediateEof: 'intermediate EOF', columnCount: 'column count',
  field: 'field packet', row: 'row packet', showFields: 'response to SHOW FIELDS', prepare: 'response to PREPARE',
  parameters: 'parameters in response to PREPARE', fields: 'fields in response to PREPARE', authSwitch: 'authentication switch request',
} as const;

/** A result set's columns as their field packets described them (type and flags), for binary rows. */
interface FieldMetas {
  types: number[];
  flags: number[];
}

interface Statement {
  params: number;
  fields: number;
  /** Per parameter: streamed with Send BLOB. */
  paramFlags: number[];
}

/** What a packet of the connection starts from (mysql_frame_data), kept per packet for revisits. */
interface Snapshot {
  state: State;
  remaining: number;
  metas: FieldMetas | null;
  stmtId: number;
}

interface MysqlSession {
  state: State;
  srvCaps: number;
  srvCapsExt: number;
  clntCaps: number;
  clntCapsExt: number;
  mariadbServer: boolean;
  mariadbClient: boolean;
  majorVersion: number;
  /** The login frame that asked for TLS: later frames are TLS (ssl_starttls_ack). */
  frameStartSsl: number;
  /** Field packets still to come in the current list (remaining_field_packet_count). */
  remaining: number;
  metas: FieldMetas | null;
  stmtId: number;
  stmts: Map<number, Statement>;
  snapshots: Map<string, Snapshot>;
}

function newSession(): MysqlSession {
  return {
    state: State.Undefined, srvCaps: 0, srvCapsExt: 0, clntCaps: 0, clntCapsExt: 0, mariadbServer: false, mariadbClient: false, majorVersion: 0,
    frameStartSsl: 0, remaining: 0, metas: null, stmtId: 0, stmts: new Map(), snapshots: new Map(),
  };
}

/**
 * The Info column as Wireshark keeps it: text set or appended after a fence, the fence moved on
 * by col_set_fence. A packet's col_set_str replaces only what follows the fence.
 */
class Column {
  constructor(private fenced = '') {}

  private current = '';
  touched = false;

  set(s: string): void {
    this.current = s;
    this.touched = true;
  }

  append(s: string): void {
    this.current += s;
    this.touched = true;
  }

  fence(): void {
    this.fenced += this.current;
    this.current = '';
  }

  get text(): string {
    return this.fenced + this.current;
  }
}

/** One packet being dissected: its tree, the session, the state it started from, and whether it may change the session. */
interface Pdu {
  tvb: Tvb;
  ctx: PacketContext;
  /** The "MySQL Protocol" item, which a response's kind is appended to. */
  item: FieldNode;
  s: MysqlSession;
  snap: Snapshot;
  first: boolean;
  col: Column;
}

function setState(p: Pdu, state: State): void {
  if (p.first) p.s.state = state;
}

function setRemaining(p: Pdu, n: number): void {
  if (p.first) p.s.remaining = n;
}

/** mysql_dec_remaining_field_packet_count: true when this was the last field packet. */
function decRemaining(p: Pdu): boolean {
  if (!p.first) return false;
  p.s.remaining--;
  return p.s.remaining === 0;
}

function appendKind(p: Pdu, kind: string): void {
  p.ctx.setText(p.item, `${itemText(p.item)} - ${kind}`);
}

function itemText(node: FieldNode): string {
  return node.text ?? node.field.label;
}

function dissectMysql(tvb: Tvb, ctx: PacketContext, node: FieldNode): boolean {
  const s = conversationState<MysqlSession>(ctx, 'mysql.sessions', newSession);
  // After a login that asked for SSL the conversation is TLS (ssl_starttls_ack); MySQL is no
  // layer of those frames.
  if (s.frameStartSsl !== 0 && ctx.frame.number > s.frameStartSsl) {
    handOver('tls', tvb, ctx, node);
    return true;
  }
  // After a reassembled packet in this segment, its Info stays in front (TCP fences it).
  const col = new Column(fencedInfo(ctx));
  const can = canDesegment(ctx);
  let o = 0;
  let item: FieldNode | null = node;
  // tcp_dissect_pdus: one call per packet, each its own "MySQL Protocol" item.
  while (o < tvb.reportedLength) {
    const captured = tvb.length - o;
    if (can && captured < HEADER) {
      requestDesegment(ctx, o, DESEGMENT_ONE_MORE_SEGMENT);
      break;
    }
    const plen = HEADER + (tvb.u8(o) | (tvb.u8(o + 1) << 8) | (tvb.u8(o + 2) << 16));
    if (can && plen > captured) {
      requestDesegment(ctx, o, plen - captured);
      break;
    }
    addPduSize(ctx, plen);
    const pdu = new Tvb(tvb.bytes, tvb.abs(o), Math.min(plen, captured), plen);
    const pduItem: FieldNode = item ?? ctx.add(ctx.upperParent, mysqlProtocol.field, pdu, 0, plen, null);
    if (item) ctx.setLength(item, Math.min(plen, captured));
    item = null;
    try {
      dissectPdu(pdu, ctx, pduItem, s, col);
    } catch (e) {
      if (!(e instanceof TruncatedError || e instanceof MalformedError)) throw e;
      showException(ctx, e, col);
    }
    o += plen;
  }
  if (col.touched) ctx.info = col.text;
  return true;
}

/** What tcp_dissect_pdus shows for a packet whose bytes ran out (show_exception): the segment goes on. */
function showException(ctx: PacketContext, e: TruncatedError | MalformedError, col: Column): void {
  if (e instanceof TruncatedError) {
    ctx.truncated = true;
    col.append('[Packet size limited during capture]');
    ctx.addGenerated(ctx.upperParent, wsFields['_ws.short'], null, 'Packet size limited during capture: MySQL truncated');
    addTruncationNote(ctx, 'MySQL');
    return;
  }
  ctx.malformed = true;
  col.append('[Malformed Packet]');
  const node = ctx.addGenerated(ctx.upperParent, wsFields['_ws.malformed'], null, 'Malformed Packet: MySQL');
  ctx.addExpert(node, 'error', 'malformed', 'Malformed Packet (Exception occurred)', false, e.message);
}

/** dissect_mysql_pdu: the header, then a greeting, login, request or response by direction and state. */
function dissectPdu(tvb: Tvb, ctx: PacketContext, item: FieldNode, s: MysqlSession, col: Column): void {
  const key = `${ctx.frame.number}:${tvb.bytes === ctx.frame.data ? '' : 'r'}${tvb.abs(0)}`;
  let snap = s.snapshots.get(key);
  const first = snap === undefined;
  if (!snap) {
    snap = { state: s.state, remaining: s.remaining, metas: s.metas, stmtId: s.stmtId };
    if (ctx.capture.revisits) s.snapshots.set(key, snap);
  }
  const p: Pdu = { tvb, ctx, item, s, snap, first, col };
  ctx.add(item, F['mysql.packet_length'], tvb, 0, 3, tvb.u8(0) | (tvb.u8(1) << 8) | (tvb.u8(2) << 16));
  ctx.protocol = 'MySQL';
  // A request when the port MySQL was found by is the destination (pinfo->match_uint).
  const isResponse = ctx.endpoints.dstPort !== ctx.scratch[MATCH_PORT_SCRATCH];
  const number = tvb.u8(3);
  ctx.add(item, F['mysql.packet_number'], tvb, 3, 1, number);
  let o = HEADER;
  if (isResponse) {
    if (number === 0 && snap.state === State.Undefined) {
      col.set('Server Greeting ');
      o = greeting(p, o);
    } else {
      col.set('Response ');
      o = response(p, o);
    }
  } else if (snap.state === State.Login && number === 1) {
    col.set('Login Request');
    o = login(p, o);
  } else {
    col.set('Request');
    o = request(p, o);
  }
  // What the packet holds beyond what was read is shown, and noted.
  if (o < tvb.reportedLength) {
    const n = ensureRest(tvb, o);
    const payload = ctx.add(item, F['mysql.payload'], tvb, o, n, tvb.slice(o, Math.min(n, tvb.length - o)));
    ctx.addExpert(payload, 'warn', 'undecoded', 'FIXME - dissector is incomplete');
  }
}

// ---- reading helpers (tvb_* as packet-mysql.c uses them) ----

/** Bytes from `o` to the end, as a -1 length resolves: at least one, or the packet ran out (ReportedBoundsError). */
function ensureRest(tvb: Tvb, o: number): number {
  const n = tvb.reportedLength - o;
  if (n <= 0) throw new MalformedError('item extends past the end of the packet', tvb.abs(o));
  return n;
}

/** my_tvb_strsize: a string's length with its NUL, or to the end of the packet when it has none. */
function strsizeOrRest(tvb: Tvb, o: number): number {
  const nul = o <= tvb.length ? tvb.indexOf(0, o) : -1;
  return nul < 0 ? Math.max(0, tvb.reportedLength - o) : nul - o + 1;
}

/** tvb_strsize: a NUL-terminated string's length with its NUL; a string without one is malformed. */
function strsize(tvb: Tvb, o: number): number {
  const nul = o < tvb.length ? tvb.indexOf(0, o) : -1;
  if (nul < 0) {
    // Past the captured bytes: truncated if the packet was cut short, malformed otherwise.
    tvb.check(o, Math.max(0, tvb.length - o) + 1);
    throw new MalformedError('string without its NUL', tvb.abs(o));
  }
  return nul - o + 1;
}

/** An ASCII string item's value (ENC_ASCII): up to a NUL, bytes above 0x7f as U+FFFD. */
function text(tvb: Tvb, o: number, n: number): string {
  const s = tvb.ascii(o, n);
  const nul = s.indexOf('\0');
  return (nul < 0 ? s : s.slice(0, nul)).replace(/[\x80-\xff]/g, '\ufffd');
}

/** tvb_format_text of `n` bytes (-1: to the end) for the Info column. */
function formatText(tvb: Tvb, o: number, n: number): string {
  const len = n < 0 ? Math.max(0, tvb.length - o) : n;
  return printableText(text(tvb, o, len));
}

function addString(p: Pdu, parent: FieldNode, field: FieldDef, o: number, n: number): FieldNode {
  return p.ctx.add(parent, field, p.tvb, o, n, text(p.tvb, o, n));
}

function addBytes(p: Pdu, parent: FieldNode, field: FieldDef, o: number, n: number): FieldNode {
  return p.ctx.add(parent, field, p.tvb, o, n, p.tvb.slice(o, n));
}

function u24le(tvb: Tvb, o: number): number {
  return tvb.u8(o) | (tvb.u8(o + 1) << 8) | (tvb.u8(o + 2) << 16);
}

function u64le(tvb: Tvb, o: number): bigint {
  return (BigInt(tvb.u32le(o + 4)) << 32n) | BigInt(tvb.u32le(o));
}

/** A 64-bit value as a number when it is exact, as FieldValue wants it. */
function int64Value(v: bigint): number | bigint {
  return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/** A flags word and its bits (proto_tree_add_bitmask_with_flags, BMT_NO_APPEND). */
function bitmask(p: Pdu, parent: FieldNode, header: FieldDef, flags: ReadonlyArray<FieldDef | null>, o: number, size: number, value: number): void {
  const node = p.ctx.add(parent, header, p.tvb, o, size, value);
  for (const f of flags) {
    if (f === null) {
      // Plugin Auth LENENC Client Data: registered as mysql.caps.pm a second time.
      const on = (value & EXT_AL) !== 0;
      p.ctx.add(node, F['mysql.caps.pm'], p.tvb, o, size, on, `.... .... ..${on ? 1 : 0}. .... = Plugin Auth LENENC Client Data: ${on ? 'Set' : 'Not set'}`);
      continue;
    }
    const mask = f.mask!;
    if (f.type === 'boolean') p.ctx.add(node, f, p.tvb, o, size, (value & mask) !== 0);
    else p.ctx.add(node, f, p.tvb, o, size, Math.floor((value & mask) / (mask & -mask)));
  }
}

interface Fle {
  value: number | bigint;
  size: number;
  isNull: boolean;
}

/** tvb_get_fle: a length-encoded integer, shown as its "Prefix" and "Length" items under `tree`. */
function fle(p: Pdu, tree: FieldNode, o: number): Fle {
  const prefix = p.tvb.u8(o);
  if (prefix === 251) {
    p.ctx.add(tree, F['mariadb.prefix'], p.tvb, o, 1, prefix, 'Prefix: 251(NULL)');
    return { value: 0, size: 1, isNull: true };
  }
  const wide: Record<number, number> = { 252: 2, 253: 3, 254: 8 };
  const lenLen = wide[prefix] ?? 0;
  p.ctx.add(tree, F['mariadb.prefix'], p.tvb, o, 1, prefix, lenLen ? `Prefix: ${prefix} Length in following ${lenLen} bytes` : undefined);
  let value: number | bigint;
  let at = o;
  if (lenLen === 0) {
    value = prefix;
  } else {
    at = o + 1;
    value = lenLen === 2 ? p.tvb.u16le(at) : lenLen === 3 ? u24le(p.tvb, at) : int64Value(u64le(p.tvb, at));
  }
  p.ctx.add(tree, F['mariadb.length'], p.tvb, at, lenLen || 1, value);
  return { value, size: lenLen ? 1 + lenLen : 1, isNull: false };
}

/** A length as an offset step (lengths past any packet fail where they are used). */
function asLength(v: number | bigint): number {
  return typeof v === 'bigint' ? Number.MAX_SAFE_INTEGER : v;
}

/** A length-encoded integer and the field that shows its value (proto_tree_add_uint64 after tvb_get_fle). */
function fleItem(p: Pdu, tree: FieldNode, field: FieldDef, o: number): Fle {
  const v = fle(p, tree, o);
  p.ctx.add(tree, field, p.tvb, o, v.size, v.value);
  return v;
}

/** mysql_field_add_lestring: a subtree named after the field with the length and the string ("NULL" for 251). */
function lestring(p: Pdu, tree: FieldNode, field: FieldDef, o: number): number {
  const start = o;
  ensureRest(p.tvb, o);
  const sub = p.ctx.addText(tree, p.tvb, o, p.tvb.reportedLength - o, field.label);
  const v = fle(p, sub, o);
  o += v.size;
  if (v.isNull) {
    p.ctx.add(sub, field, p.tvb, o, 0, 'NULL');
  } else {
    const n = asLength(v.value);
    addString(p, sub, field, o, n);
    o += n;
  }
  p.ctx.setLength(sub, o - start);
  return o;
}

// ---- server greeting and login ----

/** mysql_dissect_greeting. */
function greeting(p: Pdu, o: number): number {
  const { tvb, ctx, s, col } = p;
  const protocol = tvb.u8(o);
  if (protocol === 0xff) return errorPacket(p, o + 1);
  setState(p, State.Login);
  const tree = ctx.add(p.item, F['mysql.server_greeting'], tvb, o, ensureRest(tvb, o), null);
  col.append(` proto=${protocol}`);
  ctx.add(tree, F['mysql.protocol'], tvb, o, 1, protocol);
  o += 1;
  let len = strsize(tvb, o);
  // MariaDB 10 sends its version after "5.5.5-" (replication needs a one-digit major version).
  const rplHack = len > 6 && tvb.ascii(o, 6) === '5.5.5-';
  if (rplHack) s.mariadbServer = true;
  col.append(rplHack ? ` version=${formatText(tvb, o + 6, len - 7)} ` : ` version=${formatText(tvb, o, len - 1)} `);
  col.fence();
  addString(p, tree, F['mysql.version'], o, len);
  // The digits before the first dot, in a byte (conn_data->major_version).
  let major = 0;
  for (let i = 0; i < len; i++) {
    const c = tvb.u8(o + i);
    if (c === 0x2e) break;
    major = (major * 10 + c - 0x30) & 0xff;
  }
  s.majorVersion = major;
  o += len;
  ctx.add(tree, F['mysql.thread_id'], tvb, o, 4, tvb.u32le(o));
  o += 4;
  len = strsize(tvb, o);
  addString(p, tree, F['mysql.salt'], o, len);
  o += len;
  if (o >= tvb.reportedLength) return o;
  s.srvCaps = tvb.u16le(o);
  bitmask(p, tree, F['mysql.caps.server'], CAPS_FLAGS, o, 2, s.srvCaps);
  o += 2;
  // A MariaDB server does not set CLIENT_LONG_PASSWORD (CLIENT_MYSQL).
  if (!(s.srvCaps & CAPS_LP)) s.mariadbServer = true;
  if (o >= tvb.reportedLength) return o;
  ctx.add(tree, s.mariadbServer ? F['mariadb.server_language'] : F['mysql.server_language'], tvb, o, 1, tvb.u8(o));
  o += 1;
  o = serverStatus(p, tree, o);
  s.srvCapsExt = tvb.u16le(o);
  bitmask(p, tree, F['mysql.extcaps.server'], EXTCAPS_FLAGS, o, 2, s.srvCapsExt);
  o += 2;
  ctx.add(tree, F['mysql.auth_plugin.length'], tvb, o, 1, tvb.u8(o));
  o += 1;
  if (s.mariadbServer) {
    addBytes(p, tree, F['mysql.unused'], o, 6);
    o += 6;
    bitmask(p, tree, F['mariadb.extcaps.server'], MARIADB_CAPS_FLAGS, o, 4, tvb.u32le(o));
    o += 4;
  } else {
    addBytes(p, tree, F['mysql.unused'], o, 10);
    o += 10;
  }
  if (o < tvb.reportedLength) {
    len = strsize(tvb, o);
    addString(p, tree, F['mysql.salt2'], o, len);
    o += len;
  }
  if (o < tvb.reportedLength) {
    len = strsize(tvb, o);
    addString(p, tree, F['mysql.auth_plugin'], o, len);
    o += len;
  }
  return o;
}

/** mysql_dissect_login. */
function login(p: Pdu, o: number): number {
  const { tvb, ctx, s, col } = p;
  // After a login comes OK or an error (or, with a plugin, an authentication switch).
  setState(p, State.ResponseOk);
  const tree = ctx.add(p.item, F['mysql.login_request'], tvb, o, ensureRest(tvb, o), null);
  s.clntCaps = tvb.u16le(o);
  bitmask(p, tree, F['mysql.caps.client'], CAPS_FLAGS, o, 2, s.clntCaps);
  o += 2;
  // A MariaDB client does not set CLIENT_LONG_PASSWORD (CLIENT_MYSQL).
  if (!(s.clntCaps & CAPS_LP)) s.mariadbClient = true;
  // The login that turns TLS on (tshark's !frame_start_ssl, kept true for that frame when it is
  // dissected again, so a revisit reads as the first pass did).
  if ((s.frameStartSsl === 0 || s.frameStartSsl === ctx.frame.number) && s.clntCaps & CAPS_SL) {
    col.set('Response: SSL Handshake');
    if (p.first) s.frameStartSsl = ctx.frame.number;
  }
  if (s.clntCaps & CAPS_CU) {
    s.clntCapsExt = tvb.u16le(o);
    bitmask(p, tree, F['mysql.extcaps.client'], EXTCAPS_FLAGS, o, 2, s.clntCapsExt);
    o += 2;
    ctx.add(tree, F['mysql.max_packet'], tvb, o, 4, tvb.u32le(o));
    o += 4;
    ctx.add(tree, s.mariadbServer ? F['mariadb.charset'] : F['mysql.charset'], tvb, o, 1, tvb.u8(o));
    o += 1;
    if (s.mariadbClient) {
      addBytes(p, tree, F['mysql.unused'], o, 19);
      o += 19;
      bitmask(p, tree, F['mariadb.extcaps.client'], MARIADB_CAPS_FLAGS, o, 4, tvb.u32le(o));
      o += 4;
    } else {
      addBytes(p, tree, F['mysql.unused'], o, 23);
      o += 23;
    }
  } else {
    ctx.add(tree, F['mysql.max_packet'], tvb, o, 3, u24le(tvb, o));
    o += 3;
  }
  let len = strsizeOrRest(tvb, o);
  col.append(` user=${formatText(tvb, o, len - 1)} `);
  addString(p, tree, F['mysql.user'], o, len);
  o += len;
  if (o >= tvb.reportedLength) {
    col.fence();
    return o;
  }
  if (s.clntCaps & CAPS_SC) {
    len = tvb.u8(o);
    o += 1;
  } else {
    len = strsizeOrRest(tvb, o);
  }
  if (len > 1) addBytes(p, tree, F['mysql.passwd'], o, len);
  o += len;
  if (s.clntCaps & CAPS_CD) {
    len = strsizeOrRest(tvb, o);
    col.append(`db=${formatText(tvb, o, len - 1)} `);
    col.fence();
    addString(p, tree, F['mysql.schema'], o, len);
    o += len;
  }
  if (s.clntCapsExt & EXT_PA) {
    setState(p, State.AuthSwitchRequest);
    len = strsizeOrRest(tvb, o);
    addString(p, tree, F['mysql.client_auth_plugin'], o, len);
    o += len;
  }
  if (s.clntCapsExt & EXT_CA && o < tvb.reportedLength) o = connectionAttributes(p, tree, o);
  return o;
}

/** The connection attributes: a length, then name/value pairs ("Connection Attribute - _os: Linux"). */
function connectionAttributes(p: Pdu, tree: FieldNode, o: number): number {
  const { tvb, ctx } = p;
  const total = fle(p, tree, o);
  const attrs = ctx.add(tree, F['mysql.connattrs'], tvb, o, asLength(total.value), null);
  ctx.add(attrs, F['mysql.connattrs.length'], tvb, o, total.size, total.value);
  o += total.size;
  let left = asLength(total.value);
  while (left > 0) {
    const start = o;
    const attr = ctx.add(attrs, F['mysql.connattrs.attr'], tvb, o, 1, null);
    let v = fle(p, attr, o);
    ctx.add(attr, F['mysql.connattrs.name.length'], tvb, o, v.size, v.value);
    o += v.size;
    const name = text(tvb, o, asLength(v.value));
    addString(p, attr, F['mysql.connattrs.name'], o, asLength(v.value));
    o += asLength(v.value);
    v = fle(p, attr, o);
    ctx.add(attr, F['mysql.connattrs.value.length'], tvb, o, v.size, v.value);
    o += v.size;
    const value = text(tvb, o, asLength(v.value));
    addString(p, attr, F['mysql.connattrs.value'], o, asLength(v.value));
    o += asLength(v.value);
    ctx.setText(attr, `Connection Attribute - ${printableText(name)}: ${printableText(value)}`);
    ctx.setLength(attr, o - start);
    left -= o - start;
  }
  return o;
}

// ---- requests ----

/** mysql_dissect_request: the command and its arguments; what it asks for sets the state. */
function request(p: Pdu, o: number): number {
  const { tvb, ctx, s, col, snap } = p;
  if (snap.state === State.AuthSwitchResponse) return authSwitchResponse(p, o);
  const start = o;
  const req = ctx.add(p.item, F['mysql.request'], tvb, o, ensureRest(tvb, o), null);
  const opcode = tvb.u8(o);
  const name = COMMANDS[opcode];
  col.append(` ${name ?? `Unknown (${opcode}) `}`);
  ctx.add(req, F['mysql.command'], tvb, o, 1, opcode);
  ctx.setText(req, `Request Command ${name ?? `Unknown (${opcode})`}`);
  o += 1;
  let len: number;
  switch (opcode) {
    case 1: // Quit
      break;
    case 10: // Process List
      setState(p, State.ResponseTabular);
      break;
    case 13: // Dump Debuginfo
    case 14: // Ping
      setState(p, State.ResponseOk);
      break;
    case 9: // Statistics
      setState(p, State.ResponseMessage);
      break;
    case 2: // Use Database
    case 5: // Create Database
    case 6: // Drop Database
      len = strsizeOrRest(tvb, o);
      addString(p, req, F['mysql.schema'], o, len);
      o += len;
      setState(p, State.ResponseOk);
      break;
    case 3: // Query
      // With query attributes on both sides the statement comes after them (MySQL 8.0.23).
      if (s.clntCapsExt & EXT_QA && s.srvCapsExt & EXT_QA) o = queryAttributes(p, req, o);
      len = strsizeOrRest(tvb, o);
      addString(p, req, F['mysql.query'], o, len);
      o += len;
      setState(p, State.ResponseTabular);
      break;
    case 22: // Prepare Statement
      len = strsizeOrRest(tvb, o);
      addString(p, req, F['mysql.query'], o, len);
      o += len;
      setState(p, State.ResponsePrepare);
      break;
    case 25: // Close Statement
      ctx.add(req, F['mysql.stmt_id'], tvb, o, 4, tvb.u32le(o));
      o += 4;
      setState(p, State.Request);
      break;
    case 26: // Reset Statement
      ctx.add(req, F['mysql.stmt_id'], tvb, o, 4, tvb.u32le(o));
      o += 4;
      setState(p, State.ResponseOk);
      break;
    case 4: // Show Fields
      len = strsizeOrRest(tvb, o);
      addString(p, req, F['mysql.table_name'], o, len);
      o += len;
      setState(p, State.ResponseShowFields);
      break;
    case 12: // Kill Server Thread
      ctx.add(req, F['mysql.thread_id'], tvb, o, 4, tvb.u32le(o));
      o += 4;
      setState(p, State.ResponseOk);
      break;
    case 17: // Change User
      o = changeUser(p, req, o);
      break;
    case 7: // Refresh
      bitmask(p, req, F['mysql.refresh'], REFRESH_FLAGS, o, 1, tvb.u8(o));
      o += 1;
      setState(p, State.ResponseOk);
      break;
    case 8: // Shutdown
      ctx.add(req, F['mysql.shutdown'], tvb, o, 1, tvb.u8(o));
      o += 1;
      setState(p, State.ResponseOk);
      break;
    case 27: // Set Option
      ctx.add(req, F['mysql.option'], tvb, o, 2, tvb.u16le(o));
      o += 2;
      setState(p, State.ResponseOk);
      break;
    case 28: // Fetch Data
      ctx.add(req, F['mysql.stmt_id'], tvb, o, 4, tvb.u32le(o));
      o += 4;
      ctx.add(req, F['mysql.num_rows'], tvb, o, 4, tvb.u32le(o));
      o += 4;
      setState(p, State.ResponseTabular);
      break;
    case 24: { // Send BLOB
      const id = tvb.u32le(o);
      ctx.add(req, F['mysql.stmt_id'], tvb, o, 4, id);
      o += 4;
      const stmt = s.stmts.get(id);
      const param = tvb.u16le(o);
      if (stmt && stmt.params > param) stmt.paramFlags[param]! |= PARAM_STREAMED;
      ctx.add(req, F['mysql.param'], tvb, o, 2, param);
      o += 2;
      len = tvb.reportedLength - o;
      if (len > 0) addBytes(p, req, F['mysql.payload'], o, len);
      o += Math.max(0, len);
      setState(p, State.Request);
      break;
    }
    case 250: { // Execute Bulk Statement (MariaDB): without the statement's PREPARE response nothing more is read
      ctx.add(req, F['mysql.stmt_id'], tvb, o, 4, tvb.u32le(o));
      o += 4;
      break;
    }
    case 23: // Execute Statement
      o = executeStatement(p, req, o);
      setState(p, State.ResponseTabular);
      break;
    case 18: // Send Binlog
    case 30: // Send Binlog GTID
      ctx.add(req, F['mysql.binlog.position'], tvb, o, 4, tvb.u32le(o));
      o += 4;
      ctx.add(req, F['mysql.binlog.flags'], tvb, o, 2, tvb.u16(o));
      o += 2;
      ctx.add(req, F['mysql.binlog.server_id'], tvb, o, 4, tvb.u32le(o));
      o += 4;
      len = tvb.reportedLength - o;
      if (len > 0) addString(p, req, F['mysql.binlog.file_name'], o, len);
      o += Math.max(0, len);
      setState(p, State.Request);
      break;
    case 21: // Register Slave
      o = registerSlave(p, req, o);
      setState(p, State.Request);
      break;
    case 19: // Send Table
    case 20: { // Slave Connect
      const n = ensureRest(tvb, o);
      const payload = addBytes(p, req, F['mysql.payload'], o, n);
      ctx.addExpert(payload, 'warn', 'undecoded', 'FIXME: implement replication packets');
      o += n;
      setState(p, State.Request);
      break;
    }
    default: {
      const n = ensureRest(tvb, o);
      const payload = addBytes(p, req, F['mysql.payload'], o, n);
      ctx.addExpert(payload, 'warn', 'protocol', 'Unknown/invalid command code');
      o += n;
      setState(p, State.Undefined);
    }
  }
  ctx.setLength(req, o - start);
  return o;
}

/** tshark 4.0's query attributes in front of a statement: their count, then (if any) a null bitmap, types, names and values. */
function queryAttributes(p: Pdu, req: FieldNode, o: number): number {
  const { tvb, ctx } = p;
  const start = o;
  const tree = ctx.add(req, F['mysql.query_attrs'], tvb, o, ensureRest(tvb, o), null);
  const count = tvb.u8(o);
  ctx.add(tree, F['mysql.query_attrs_count'], tvb, o, 1, count);
  // The count and the parameter set count (always 1).
  o += 2;
  if (count > 0) {
    const nulls = Math.floor((count + 7) / 8);
    addBytes(p, tree, F['mysql.unused'], o, nulls);
    o += nulls;
    const sendTypes = tvb.u8(o);
    ctx.add(tree, F['mysql.query_attrs_send_types_to_server'], tvb, o, 1, sendTypes !== 0);
    o += 1;
    if (sendTypes) {
      for (let i = 0; i < count; i++) {
        ctx.add(tree, F['mysql.query_attr_name_type'], tvb, o, 2, tvb.u16(o));
        o += 2;
        o = lestring(p, tree, F['mysql.query_attr_name'], o);
      }
    }
    for (let i = 0; i < count; i++) o = lestring(p, tree, F['mysql.query_attr_value'], o);
  }
  ctx.setLength(tree, o - start);
  return o;
}

/** COM_CHANGE_USER: user, password, schema, charset, then plugin and attributes as in a login. */
function changeUser(p: Pdu, req: FieldNode, o: number): number {
  const { tvb, ctx, s } = p;
  let len = strsize(tvb, o);
  addString(p, req, F['mysql.user'], o, len);
  o += len;
  if (s.clntCaps & CAPS_SC) {
    len = tvb.u8(o);
    o += 1;
  } else {
    len = strsize(tvb, o);
  }
  addBytes(p, req, F['mysql.passwd'], o, len);
  o += len;
  len = strsizeOrRest(tvb, o);
  addString(p, req, F['mysql.schema'], o, len);
  o += len;
  if (o < tvb.reportedLength) {
    ctx.add(req, s.mariadbServer ? F['mariadb.charset'] : F['mysql.charset'], tvb, o, 1, tvb.u8(o));
    o += 2;
  }
  setState(p, State.ResponseOk);
  if (s.clntCapsExt & EXT_PA) {
    setState(p, State.AuthSwitchRequest);
    len = strsizeOrRest(tvb, o);
    addString(p, req, F['mysql.client_auth_plugin'], o, len);
    o += len;
  }
  // Unlike a login, tshark 4.0 reads the attributes even when the packet has ended (malformed).
  if (s.clntCapsExt & EXT_CA) o = connectionAttributes(p, req, o);
  return o;
}

function registerSlave(p: Pdu, req: FieldNode, o: number): number {
  const { tvb, ctx } = p;
  ctx.add(req, F['mysql.binlog.server_id'], tvb, o, 4, tvb.u32le(o));
  o += 4;
  const strings: Array<[FieldDef, FieldDef]> = [
    [F['mysql.binlog.slave_hostname_length'], F['mysql.binlog.slave_hostname']],
    [F['mysql.binlog.slave_user_length'], F['mysql.binlog.slave_user']],
    [F['mysql.binlog.slave_password_length'], F['mysql.binlog.slave_password']],
  ];
  for (const [lengthField, field] of strings) {
    const len = tvb.u8(o);
    ctx.add(req, lengthField, tvb, o, 1, len);
    o += 1;
    addString(p, req, field, o, len);
    o += len;
  }
  ctx.add(req, F['mysql.binlog.slave_mysql_port'], tvb, o, 2, tvb.u16le(o));
  o += 2;
  ctx.add(req, F['mysql.binlog.replication_rank'], tvb, o, 4, tvb.u32le(o));
  o += 4;
  ctx.add(req, F['mysql.binlog.master_id'], tvb, o, 4, tvb.u32le(o));
  return o + 4;
}

/** COM_STMT_EXECUTE: with the statement's PREPARE response seen, its bound parameters; otherwise the bytes. */
function executeStatement(p: Pdu, req: FieldNode, o: number): number {
  const { tvb, ctx, s } = p;
  const id = tvb.u32le(o);
  ctx.add(req, F['mysql.stmt_id'], tvb, o, 4, id);
  o += 4;
  const flags = tvb.u8(o);
  ctx.add(req, F['mysql.exec_flags'], tvb, o, 1, flags, s.majorVersion >= 5 ? undefined : `Flags (unused): ${flags}`);
  o += 1;
  ctx.add(req, F['mysql.exec_iter'], tvb, o, 4, tvb.u32le(o));
  o += 4;
  const stmt = s.stmts.get(id);
  if (!stmt) {
    const len = tvb.reportedLength - o;
    if (len > 0) {
      const payload = addBytes(p, req, F['mysql.payload'], o, len);
      ctx.addExpert(payload, 'warn', 'undecoded', 'PREPARE Response packet is needed to dissect the payload');
    }
    return o + Math.max(0, len);
  }
  if (stmt.params === 0) return o;
  // The NULL bitmap, then whether types follow.
  o += Math.floor((stmt.params + 7) / 8);
  const bound = tvb.u8(o);
  ctx.add(req, F['mysql.new_parameter_bound_flag'], tvb, o, 1, bound);
  o += 1;
  if (bound !== 1) return o;
  const values = { at: o + stmt.params * 2 };
  for (let i = 0; i < stmt.params; i++) {
    const param = ctx.add(req, F['mysql.exec_param'], tvb, o, 2, null);
    const type = tvb.u8(o);
    ctx.add(param, F['mysql.field.type'], tvb, o, 1, type);
    o += 1;
    const unsignedByte = tvb.u8(o);
    ctx.add(param, F['mysql.exec.unsigned'], tvb, o, 1, unsignedByte);
    o += 1;
    if (stmt.paramFlags[i]! & PARAM_STREAMED) {
      ctx.addExpert(param, 'chat', 'sequence', 'This parameter was streamed, its value can be found in Send BLOB packets');
      continue;
    }
    if (!binaryValue(p, param, values, type, (unsignedByte & PARAM_UNSIGNED) !== 0)) break;
  }
  return values.at;
}

// ---- values of the binary protocol (parameters and binary rows) ----

/**
 * mysql_exec_dissectors: a value of a column type in the binary protocol, at `at.at`; false for
 * a type tshark 4.0 has no reader for (the rest stays undecoded).
 */
function binaryValue(p: Pdu, tree: FieldNode, at: { at: number }, type: number, unsigned: boolean): boolean {
  const { tvb, ctx } = p;
  const o = at.at;
  const integer = (size: number, signed: FieldDef, unsignedField: FieldDef): void => {
    const raw = size === 1 ? tvb.u8(o) : size === 2 ? tvb.u16le(o) : tvb.u32le(o);
    const value = unsigned ? raw : size === 1 ? (raw << 24) >> 24 : size === 2 ? (raw << 16) >> 16 : raw | 0;
    ctx.add(tree, unsigned ? unsignedField : signed, tvb, o, size, value);
    at.at += size;
  };
  switch (type) {
    case 0x01: integer(1, F['mysql.exec.field.tiny'], F['mysql.exec.field.unsigned_tiny']); return true;
    case 0x02: integer(2, F['mysql.exec.field.short'], F['mysql.exec.field.unsigned_short']); return true;
    case 0x03: integer(4, F['mysql.exec.field.long'], F['mysql.exec.field.unsigned_long']); return true;
    case 0x08: {
      const raw = u64le(tvb, o);
      ctx.add(tree, unsigned ? F['mysql.exec.field.unsigned_longlong'] : F['mysql.exec.field.longlong'], tvb, o, 8, int64Value(unsigned ? raw : BigInt.asIntN(64, raw)));
      at.at += 8;
      return true;
    }
  }
  if (unsigned) return false;
  switch (type) {
    case 0x04: {
      tvb.check(o, 4);
      const v = new DataView(tvb.bytes.buffer, tvb.bytes.byteOffset + tvb.abs(o), 4).getFloat32(0, true);
      // The value as tshark prints it (%g with FLT_DIG digits), in the tree and for -T fields.
      const shown = formatG(v, 6);
      ctx.add(tree, F['mysql.exec.field.float'], tvb, o, 4, Number(shown), `Value (Float): ${shown}`);
      at.at += 4;
      return true;
    }
    case 0x05: {
      tvb.check(o, 8);
      const v = new DataView(tvb.bytes.buffer, tvb.bytes.byteOffset + tvb.abs(o), 8).getFloat64(0, true);
      const shown = formatG(v, 15);
      ctx.add(tree, F['mysql.exec.field.double'], tvb, o, 8, Number(shown), `Value (Double): ${shown}`);
      at.at += 8;
      return true;
    }
    case 0x06: // NULL: no bytes
      return true;
    case 0x07: case 0x0a: case 0x0c: {
      const len = tvb.u8(o);
      ctx.add(tree, F['mysql.exec.field.datetime.length'], tvb, o, 1, (len << 24) >> 24);
      const d = o + 1;
      if (len >= 2) ctx.add(tree, F['mysql.exec.field.year'], tvb, d, 2, (tvb.u16le(d) << 16) >> 16);
      if (len >= 4) {
        ctx.add(tree, F['mysql.exec.field.month'], tvb, d + 2, 1, (tvb.u8(d + 2) << 24) >> 24);
        ctx.add(tree, F['mysql.exec.field.day'], tvb, d + 3, 1, (tvb.u8(d + 3) << 24) >> 24);
      }
      if (len >= 7) {
        ctx.add(tree, F['mysql.exec.field.hour'], tvb, d + 4, 1, (tvb.u8(d + 4) << 24) >> 24);
        ctx.add(tree, F['mysql.exec.field.minute'], tvb, d + 5, 1, (tvb.u8(d + 5) << 24) >> 24);
        ctx.add(tree, F['mysql.exec.field.second'], tvb, d + 6, 1, (tvb.u8(d + 6) << 24) >> 24);
      }
      if (len >= 11) ctx.add(tree, F['mysql.exec.field.secondb'], tvb, d + 7, 4, tvb.u32le(d + 7) | 0);
      at.at += 1 + len;
      return true;
    }
    case 0x0b: {
      const len = tvb.u8(o);
      ctx.add(tree, F['mysql.exec.field.time.length'], tvb, o, 1, (len << 24) >> 24);
      const d = o + 1;
      if (len >= 1) ctx.add(tree, F['mysql.exec.field.time.sign'], tvb, d, 1, tvb.u8(d));
      if (len >= 5) ctx.add(tree, F['mysql.exec.field.time.days'], tvb, d + 1, 4, tvb.u32le(d + 1) | 0);
      if (len >= 8) {
        ctx.add(tree, F['mysql.exec.field.hour'], tvb, d + 5, 1, (tvb.u8(d + 5) << 24) >> 24);
        ctx.add(tree, F['mysql.exec.field.minute'], tvb, d + 6, 1, (tvb.u8(d + 6) << 24) >> 24);
        ctx.add(tree, F['mysql.exec.field.second'], tvb, d + 7, 1, (tvb.u8(d + 7) << 24) >> 24);
      }
      if (len >= 12) ctx.add(tree, F['mysql.exec.field.secondb'], tvb, d + 8, 4, tvb.u32le(d + 8) | 0);
      at.at += 1 + len;
      return true;
    }
    case 0xf6: case 0xfc: case 0xfd: case 0xfe: {
      // A counted string (FT_UINT_STRING): its count in 1 byte, or after 0xfc/0xfd in 2 or 3.
      const first = tvb.u8(o);
      const countSize = first === 0xfc ? 2 : first === 0xfd ? 3 : 1;
      const c = countSize === 1 ? o : o + 1;
      const n = countSize === 1 ? first : countSize === 2 ? tvb.u16le(c) : u24le(tvb, c);
      ctx.add(tree, F['mysql.exec.field.string'], tvb, c, countSize + n, text(tvb, c + countSize, n));
      at.at = c + countSize + n;
      return true;
    }
  }
  return false;
}

/** C's printf("%.{precision}g"), as tshark shows FT_FLOAT (6 digits) and FT_DOUBLE (15). */
function formatG(v: number, precision: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const [mantissa, e] = v.toExponential(precision - 1).split('e') as [string, string];
  const exp = Number(e);
  const trim = (s: string): string => (s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s);
  if (exp < -4 || exp >= precision) return `${trim(mantissa)}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return trim(v.toFixed(Math.max(0, precision - 1 - exp)));
}

// ---- responses ----

/** mysql_dissect_response: by the first byte and what the connection expects. */
function response(p: Pdu, o: number): number {
  const { tvb, ctx, snap, s } = p;
  const code = tvb.u8(o);
  if (code === 0xff) {
    ctx.add(p.item, F['mysql.response_code'], tvb, o, 1, code);
    appendKind(p, SUFFIX.error);
    o = errorPacket(p, o + 1);
    setState(p, State.Request);
    return o;
  }
  if (code === 0xfe) {
    ctx.add(p.item, F['mysql.response_code'], tvb, o, 1, code);
    ctx.add(p.item, F['mysql.eof'], tvb, o, 1, code);
    o += 1;
    const rest = tvb.reportedLength - o;
    if (rest <= 5) {
      // A real EOF packet: warnings and status.
      ctx.add(p.item, F['mysql.warnings'], tvb, o, 2, tvb.u16le(o));
      o = serverStatus(p, p.item, o + 2);
      o = tvb.reportedLength;
      const stmt = s.stmts.get(snap.stmtId);
      if (snap.state === State.PreparedParameters && stmt && stmt.fields > 0) {
        appendKind(p, SUFFIX.intermediateEof);
        setRemaining(p, stmt.fields);
        setState(p, State.PreparedFields);
      } else if (snap.state === State.FieldPacket) {
        appendKind(p, SUFFIX.intermediateEof);
        setState(p, State.RowPacket);
      } else {
        appendKind(p, SUFFIX.eof);
        setState(p, State.Request);
      }
      return o;
    }
    if (rest < 0xffffff) {
      if (snap.state === State.AuthSwitchRequest) {
        appendKind(p, SUFFIX.authSwitch);
        return authSwitchRequest(p, o);
      }
      // CLIENT_DEPRECATE_EOF: an OK packet with the EOF's header ends a result set.
      appendKind(p, SUFFIX.ok);
      o = okPacket(p, o);
      setState(p, State.Request);
      return o;
    }
    appendKind(p, SUFFIX.row);
    setState(p, State.RowPacket);
    return textRow(p, o);
  }
  if (code === 0x00) {
    if (snap.state === State.ResponsePrepare) {
      ctx.add(p.item, F['mysql.response_code'], tvb, o, 1, code);
      appendKind(p, SUFFIX.prepare);
      return prepareResponse(p, o + 1);
    }
    if (snap.state === State.RowPacket) {
      // tshark 4.0 takes any row starting with 0x00 for a binary one (an empty first text value too).
      appendKind(p, SUFFIX.row);
      ctx.add(p.item, F['mysql.response_code'], tvb, o, 1, code);
      return binaryRow(p, o + 1);
    }
    ctx.add(p.item, F['mysql.response_code'], tvb, o, 1, code);
    appendKind(p, SUFFIX.ok);
    return okPacket(p, o + 1);
  }
  switch (snap.state) {
    case State.ResponseMessage: {
      const len = tvb.reportedLength - o;
      if (len > 0) addString(p, p.item, F['mysql.message'], o, len);
      setState(p, State.Request);
      return o + Math.max(0, len);
    }
    case State.ResponseTabular:
    case State.Request:
      // A request in state REQUEST: two requests in a row, or a result set after pipelining.
      appendKind(p, SUFFIX.columnCount);
      return resultHeader(p, o);
    case State.PreparedParameters: {
      appendKind(p, SUFFIX.parameters);
      o = fieldPacket(p, o);
      if (decRemaining(p) && s.clntCapsExt & EXT_DE) {
        const stmt = s.stmts.get(snap.stmtId);
        if (stmt && stmt.fields > 0) {
          setRemaining(p, stmt.fields);
          setState(p, State.PreparedFields);
        } else {
          setState(p, State.Request);
        }
      }
      return o;
    }
    case State.FieldPacket:
    case State.ResponseShowFields:
      appendKind(p, snap.state === State.FieldPacket ? SUFFIX.field : SUFFIX.showFields);
      o = fieldPacket(p, o);
      if (decRemaining(p) && s.clntCapsExt & EXT_DE) setState(p, State.RowPacket);
      return o;
    case State.RowPacket:
      appendKind(p, SUFFIX.row);
      return textRow(p, o);
    case State.PreparedFields:
      appendKind(p, SUFFIX.fields);
      o = fieldPacket(p, o);
      if (decRemaining(p) && s.clntCapsExt & EXT_DE) setState(p, State.Request);
      return o;
    case State.AuthSwitchRequest:
      appendKind(p, SUFFIX.authSwitch);
      return authSwitchRequest(p, o);
    default: {
      const n = ensureRest(tvb, o);
      const payload = addBytes(p, p.item, F['mysql.payload'], o, n);
      ctx.addExpert(payload, 'warn', 'undecoded', 'unknown/invalid response');
      setState(p, State.Undefined);
      return o + n;
    }
  }
}

/** mysql_dissect_error_packet: "Error 1064", the SQL state after '#', the message. */
function errorPacket(p: Pdu, o: number): number {
  const { tvb, ctx, col } = p;
  const code = tvb.u16le(o);
  col.append(` Error ${code} `);
  col.fence();
  ctx.add(p.item, F['mysql.error_code'], tvb, o, 2, code);
  o += 2;
  if (tvb.u8(o) === 0x23) {
    o += 1;
    addString(p, p.item, F['mysql.sqlstate'], o, 5);
    o += 5;
  }
  const n = ensureRest(tvb, o);
  addString(p, p.item, F['mysql.error.message'], o, n);
  return o + n;
}

function serverStatus(p: Pdu, tree: FieldNode, o: number): number {
  bitmask(p, tree, F['mysql.server_status'], STATUS_FLAGS, o, 2, p.tvb.u16le(o));
  return o + 2;
}

/** mysql_dissect_ok_packet as tshark 4.0 has it (the message's length read from the warnings, big-endian, without session tracking). */
function okPacket(p: Pdu, o: number): number {
  const { tvb, ctx, s, col } = p;
  col.append(' OK ');
  col.fence();
  let v = fleItem(p, p.item, F['mysql.affected_rows'], o);
  o += v.size;
  v = fle(p, p.item, o);
  if (v.value !== 0) ctx.add(p.item, F['mysql.insert_id'], tvb, o, v.size, v.value);
  o += v.size;
  let status = 0;
  let messageLength: number | bigint = 0;
  if (o < tvb.reportedLength) {
    status = tvb.u16le(o);
    o = serverStatus(p, p.item, o);
    if (s.clntCaps & s.srvCaps & CAPS_CU) {
      ctx.add(p.item, F['mysql.warnings'], tvb, o, 2, tvb.u16le(o));
      messageLength = tvb.u16(o);
      o += 2;
    }
  }
  if (s.clntCapsExt & EXT_ST) {
    if (o < tvb.reportedLength) {
      const m = fle(p, p.item, o);
      o += m.size;
      if (m.value !== 0) {
        addString(p, p.item, F['mysql.message'], o, asLength(m.value));
        o += asLength(m.value);
      }
      if (status & STAT_SESSION_STATE_CHANGED) o = sessionTracking(p, o);
    }
  } else if (o < tvb.reportedLength) {
    const n = Math.min(asLength(messageLength), tvb.reportedLength - o);
    addString(p, p.item, F['mysql.message'], o, n);
    o += n;
  }
  setState(p, State.Request);
  return o;
}

/** The session state changes of an OK packet (CLIENT_SESSION_TRACK). */
function sessionTracking(p: Pdu, o: number): number {
  const { tvb, ctx } = p;
  const total = fle(p, p.item, o);
  const data = ctx.add(p.item, F['mysql.session_track.data'], tvb, o, ensureRest(tvb, o), null);
  ctx.add(data, F['mysql.session_track.data.length'], tvb, o, total.size, total.value);
  o += total.size;
  let left = asLength(total.value);
  while (left > 0) {
    const start = o;
    const entry = ctx.add(data, F['mysql.session_track'], tvb, o, 1, null);
    const type = tvb.u8(o);
    ctx.add(entry, F['mysql.session_track.type'], tvb, o, 1, type);
    o += 1;
    const length = fleItem(p, entry, F['mysql.session_track.length'], o);
    o += length.size;
    const counted = (lengthField: FieldDef, field: FieldDef): void => {
      const v = fleItem(p, entry, lengthField, o);
      o += v.size;
      addString(p, entry, field, o, asLength(v.value));
      o += asLength(v.value);
    };
    switch (type) {
      case 0:
        counted(F['mysql.session_track.sysvar.length'], F['mysql.session_track.sysvar.name']);
        counted(F['mysql.session_track.sysvar.length'], F['mysql.session_track.sysvar.value']);
        break;
      case 1:
        counted(F['mysql.session_track.schema.length'], F['mysql.session_track.schema']);
        break;
      case 2:
        addString(p, entry, F['mysql.session_track.state_change'], o, 1);
        o += 1;
        break;
      case 3:
        ctx.add(entry, F['mysql.session_track.gtids.encoding'], tvb, o, 1, tvb.u8(o));
        o += 1;
        counted(F['mysql.session_track.gtids.length'], F['mysql.session_track.gtids']);
        break;
      case 4:
        counted(F['mysql.session_track.transaction_characteristics.length'], F['mysql.session_track.transaction_characteristics']);
        break;
      case 5:
        counted(F['mysql.session_track.transaction_state.length'], F['mysql.session_track.transaction_state']);
        break;
      default: {
        const n = asLength(length.value);
        const payload = addBytes(p, entry, F['mysql.payload'], o, n);
        ctx.addExpert(payload, 'warn', 'undecoded', 'FIXME: unrecognized session tracker data');
        o += n;
      }
    }
    ctx.setLength(entry, o - start);
    left -= o - start;
  }
  return o;
}

/** mysql_dissect_result_header: the number of columns ("TABULAR"); their field packets follow. */
function resultHeader(p: Pdu, o: number): number {
  const { tvb, col } = p;
  col.append('TABULAR ');
  col.fence();
  const count = fleItem(p, p.item, F['mysql.num_fields'], o);
  o += count.size;
  const n = asLength(count.value);
  if (p.first) p.s.metas = { types: new Array<number>(Math.min(n, 4096)).fill(0), flags: new Array<number>(Math.min(n, 4096)).fill(0) };
  if (o < tvb.reportedLength) {
    const extra = fleItem(p, p.item, F['mysql.extra'], o);
    o += extra.size;
  }
  if (n) {
    setState(p, State.FieldPacket);
    setRemaining(p, n);
  } else {
    setState(p, State.RowPacket);
  }
  return o;
}

/** mysql_dissect_field_packet: a column's description. */
function fieldPacket(p: Pdu, o: number): number {
  const { tvb, ctx, snap } = p;
  o = lestring(p, p.item, F['mysql.field.catalog'], o);
  if (o >= tvb.reportedLength) return o;
  for (const f of [F['mysql.field.db'], F['mysql.field.table'], F['mysql.field.org_table'], F['mysql.field.name'], F['mysql.field.org_name']]) {
    o = lestring(p, p.item, f, o);
  }
  o += 1; // filler
  ctx.add(p.item, F['mysql.field.charsetnr'], tvb, o, 2, tvb.u16le(o));
  o += 2;
  ctx.add(p.item, F['mysql.field.length'], tvb, o, 4, tvb.u32le(o));
  o += 4;
  const type = tvb.u8(o);
  ctx.add(p.item, F['mysql.field.type'], tvb, o, 1, type);
  o += 1;
  const flags = tvb.u16le(o);
  bitmask(p, p.item, F['mysql.field.flags'], FIELD_FLAGS, o, 2, flags);
  o += 2;
  ctx.add(p.item, F['mysql.field.decimals'], tvb, o, 1, tvb.u8(o));
  o += 1;
  o += 2; // filler
  // The column's type and flags, for the binary rows that follow.
  const metas = snap.metas;
  if (p.first && metas && (snap.state === State.FieldPacket || snap.state === State.PreparedFields)) {
    const at = metas.types.length - snap.remaining;
    if (at >= 0 && at < metas.types.length) {
      metas.types[at] = type;
      metas.flags[at] = flags;
    }
  }
  // A default value (COM_FIELD_LIST's answer).
  if (o < tvb.reportedLength) o = lestring(p, p.item, F['mysql.field.default'], o);
  return o;
}

function textRow(p: Pdu, o: number): number {
  while (o < p.tvb.reportedLength) o = lestring(p, p.item, F['mysql.row.text'], o);
  return o;
}

/** A row of the binary protocol: a NULL bitmap (offset by two bits), then the values not NULL by column type. */
function binaryRow(p: Pdu, o: number): number {
  const { tvb, ctx, snap } = p;
  const metas = snap.metas;
  if (!metas || metas.types.length === 0) return o;
  const count = metas.types.length;
  const nullLen = Math.floor((count + 9) / 8);
  const nulls = tvb.slice(o, nullLen);
  ctx.add(p.item, F['mysql.row.nullbuffer'], tvb, o, nullLen, nulls);
  const at = { at: o + nullLen };
  for (let i = 0; i < count; i++) {
    if ((nulls[(i + 2) >> 3]! & (1 << ((i + 2) & 7))) === 0) {
      if (at.at < tvb.reportedLength && !binaryValue(p, p.item, at, metas.types[i]!, (metas.flags[i]! & FLD_UNSIGNED) !== 0)) break;
    } else {
      ctx.add(p.item, F['mysql.exec.field.null'], tvb, at.at, 0, null);
    }
  }
  return at.at;
}

/** The answer to COM_STMT_PREPARE: the statement's id and how many parameter and column packets follow. */
function prepareResponse(p: Pdu, o: number): number {
  const { tvb, ctx, s } = p;
  const id = tvb.u32le(o);
  ctx.add(p.item, F['mysql.stmt_id'], tvb, o, 4, id);
  o += 4;
  const fields = tvb.u16le(o);
  ctx.add(p.item, F['mysql.num_fields'], tvb, o, 2, fields);
  o += 2;
  const params = tvb.u16le(o);
  ctx.add(p.item, F['mysql.num_params'], tvb, o, 2, params);
  if (p.first) {
    s.stmtId = id;
    s.stmts.set(id, { params, fields, paramFlags: new Array<number>(params).fill(0) });
    s.metas = { types: new Array<number>(fields).fill(0), flags: new Array<number>(fields).fill(0) };
  }
  o += 2;
  o += 1; // filler
  ctx.add(p.item, F['mysql.warnings'], tvb, o, 2, tvb.u16le(o));
  if (params > 0) {
    setRemaining(p, params);
    setState(p, State.PreparedParameters);
  } else if (fields > 0) {
    setRemaining(p, fields);
    setState(p, State.PreparedFields);
  } else {
    setRemaining(p, 0);
    setState(p, State.Request);
  }
  return tvb.reportedLength;
}

/** mysql_dissect_auth_switch_request (the client announced a plugin): the method's name and data. */
function authSwitchRequest(p: Pdu, o: number): number {
  const { tvb, col } = p;
  col.set('Auth Switch Request ');
  col.fence();
  setState(p, State.AuthSwitchResponse);
  let len = strsizeOrRest(tvb, o);
  addString(p, p.item, F['mysql.auth_switch_request.name'], o, len);
  o += len;
  len = strsizeOrRest(tvb, o);
  addBytes(p, p.item, F['mysql.auth_switch_request.data'], o, len);
  return tvb.reportedLength;
}

function authSwitchResponse(p: Pdu, o: number): number {
  const { tvb, col } = p;
  col.set('Auth Switch Response ');
  col.fence();
  const len = strsizeOrRest(tvb, o);
  addBytes(p, p.item, F['mysql.auth_switch_response.data'], o, len);
  return tvb.reportedLength;
}

export const mysqlProtocol = defineProtocol('mysql', 'MySQL Protocol', dissectMysql, 'MySQL');
register('tcp.port', MYSQL_PORT, mysqlProtocol);
// By name: TLS hands its decrypted application data here by port.
registerDissector(mysqlProtocol);
