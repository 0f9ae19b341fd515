// Argument validation for every channel of the contract. The renderer is untrusted (DESIGN.md
// "Security"): the Electron IPC layer and the web server both call validateArgs before
// Session.handle, so a handler only ever sees arguments of the declared shape — known
// channel, known keys, right types, integers where integers are meant, sane ranges. Errors
// name the channel and the argument, so the UI can show them as they are.
import { CHANNELS, type ArgsOf, type Channel } from './contract.js';

export class ValidationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ValidationError';
  }
}

/** Rows one packets.rows call may ask for (the list asks for a screenful or two). */
export const MAX_ROWS_PER_CALL = 10_000;
export const MAX_FILTER_LENGTH = 10_000;
export const MAX_PATH_LENGTH = 4096;
/** Frame numbers and similar counters: within what a Float64 holds exactly. */
const MAX_INT = Number.MAX_SAFE_INTEGER;

type Check = (v: unknown, at: string) => unknown;

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return v.length > 40 ? `a string of ${v.length} characters` : JSON.stringify(v);
  if (typeof v === 'number') return String(v);
  return typeof v === 'object' ? 'an object' : typeof v;
}

const fail = (at: string, what: string, v: unknown): never => {
  throw new ValidationError(`${at} must be ${what} (got ${describe(v)})`);
};

function int(min: number, max = MAX_INT): Check {
  return (v, at) => {
    if (typeof v !== 'number' || !Number.isInteger(v)) return fail(at, 'an integer', v);
    if (v < min || v > max) return fail(at, max === MAX_INT ? `an integer ≥ ${min}` : `an integer from ${min} to ${max}`, v);
    return v;
  };
}

function str(maxLength: number, nonEmpty = false): Check {
  return (v, at) => {
    if (typeof v !== 'string') return fail(at, 'a string', v);
    if (nonEmpty && v.length === 0) return fail(at, 'a non-empty string', v);
    if (v.length > maxLength) return fail(at, `a string of at most ${maxLength} characters`, v);
    return v;
  };
}

/** A file-system path: a non-empty string without NUL bytes (which would cut it short in C). */
const path: Check = (v, at) => {
  const s = str(MAX_PATH_LENGTH, true)(v, at) as string;
  if (s.includes('\0')) fail(at, 'a path without NUL characters', v);
  return s;
};

const bool: Check = (v, at) => (typeof v === 'boolean' ? v : fail(at, 'true or false', v));

function oneOf<T extends string>(...values: T[]): Check {
  return (v, at) => (typeof v === 'string' && (values as string[]).includes(v) ? v : fail(at, `one of ${values.map((x) => JSON.stringify(x)).join(', ')}`, v));
}

function arrayOf(item: Check, maxItems: number): Check {
  return (v, at) => {
    if (!Array.isArray(v)) return fail(at, 'an array', v);
    if (v.length > maxItems) return fail(at, `an array of at most ${maxItems} items`, v);
    return v.map((x, i) => item(x, `${at}[${i}]`));
  };
}

interface Shape {
  [key: string]: { check: Check; optional?: boolean };
}

const req = (check: Check) => ({ check });
const opt = (check: Check) => ({ check, optional: true });

function object(shape: Shape): Check {
  return (v, at) => {
    if (v === undefined && Object.values(shape).every((f) => f.optional)) v = {};
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail(at, 'an object', v);
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return fail(at, 'a plain object', v);
    const out: Record<string, unknown> = {};
    const given = v as Record<string, unknown>;
    for (const key of Object.keys(given)) {
      if (!Object.hasOwn(shape, key)) throw new ValidationError(`${at}: unknown argument "${key}"`);
    }
    for (const [key, f] of Object.entries(shape)) {
      const x = given[key];
      if (x === undefined) {
        if (!f.optional) throw new ValidationError(`${at}.${key} is required`);
        continue;
      }
      out[key] = f.check(x, `${at}.${key}`);
    }
    return out;
  };
}

const none = object({});
const frameNumber = int(1, 0xffffffff);
const stream = int(0, 0xffffffff);

const SCHEMAS: { [C in Channel]: Check } = {
  'session.summary': none,
  'file.open': object({ path: req(path) }),
  'file.close': none,
  'tls.keylog': object({ path: req((v, at) => (v === null ? null : path(v, at))) }),
  'file.save': (v, at) => {
    const a = object({
      path: req(path),
      format: req(oneOf('pcap', 'pcapng')),
      which: req(oneOf('all', 'displayed', 'selected', 'range')),
      frames: opt(arrayOf(frameNumber, 10_000_000)),
      range: opt(object({ first: req(frameNumber), last: req(frameNumber) })),
    })(v, at) as ArgsOf<'file.save'>;
    if (a.which === 'selected' && !a.frames) throw new ValidationError(`${at}.frames is required when which is "selected"`);
    if (a.which === 'range') {
      if (!a.range) throw new ValidationError(`${at}.range is required when which is "range"`);
      if (a.range.first > a.range.last) throw new ValidationError(`${at}.range: first (${a.range.first}) is after last (${a.range.last})`);
    }
    return a;
  },
  'capture.interfaces': none,
  'capture.start': object({
    interface: req(str(256, true)),
    filter: opt(str(MAX_FILTER_LENGTH)),
    snaplen: opt(int(1, 262_144)),
    promiscuous: opt(bool),
    bufferSize: opt(int(4096, 2 ** 31 - 1)),
    ringBytes: opt(int(1 << 20, 2 ** 40)),
    stopAfter: opt(object({ packets: opt(int(1)), seconds: opt(int(1)), bytes: opt(int(1)) })),
    rotate: opt(object({ path: req(path), filesizeKB: opt(int(1, 2 ** 31)), files: opt(int(1, 100_000)), durationS: opt(int(1)) })),
  }),
  'capture.stop': none,
  'capture.stats': none,
  'capture.traffic': none,
  'filter.apply': object({ text: req(str(MAX_FILTER_LENGTH)) }),
  'filter.check': object({ text: req(str(MAX_FILTER_LENGTH)) }),
  'filter.fields': object({ prefix: req(str(256)), limit: opt(int(1, 10_000)) }),
  'filter.values': object({ field: req(str(256, true)), prefix: req(str(1024)), limit: opt(int(1, 10_000)) }),
  'packets.rows': (v, at) => {
    const a = object({
      start: req(int(0, 0xffffffff)),
      end: req(int(0, 0xffffffff)),
      timeFormat: opt(oneOf('relative', 'absolute', 'utc', 'delta', 'epoch')),
    })(v, at) as ArgsOf<'packets.rows'>;
    if (a.end < a.start) throw new ValidationError(`${at}: end (${a.end}) is before start (${a.start})`);
    if (a.end - a.start > MAX_ROWS_PER_CALL) throw new ValidationError(`${at}: at most ${MAX_ROWS_PER_CALL} rows per call (asked for ${a.end - a.start})`);
    return a;
  },
  'packets.find': object({ number: req(frameNumber) }),
  'packets.sort': (v, at) => {
    const column: Check = (c, where) => (c === null ? null : oneOf('number', 'time', 'source', 'destination', 'protocol', 'length', 'info')(c, where));
    const a = object({ column: req(column), descending: opt(bool) })(v, at) as { column: string | null; descending?: boolean };
    if (a.column === null && a.descending !== undefined) throw new ValidationError(`${at}.descending is meaningless without a column`);
    return a;
  },
  'packet.detail': object({ number: req(frameNumber) }),
  'tcp.connections': object({ soFar: opt(bool) }),
  'tcp.lifecycle': object({ stream: req(stream) }),
  'tcp.follow': object({ stream: req(stream) }),
  'tls.follow': object({ stream: req(stream) }),
  'udp.follow': object({ frame: req(frameNumber) }),
  'tcp.alerts': none,
  'stats.conversations': object({ proto: req(oneOf('TCP', 'UDP')) }),
  'stats.endpoints': none,
  'stats.expert': object({ soFar: opt(bool) }),
  'stats.hierarchy': none,
};

export function isChannel(channel: unknown): channel is Channel {
  return typeof channel === 'string' && (CHANNELS as readonly string[]).includes(channel);
}

/**
 * The arguments of `channel`, checked and copied (only the declared keys survive). Throws a
 * ValidationError for an unknown channel or arguments of the wrong shape.
 */
export function validateArgs<C extends Channel>(channel: C, args: unknown): ArgsOf<C>;
export function validateArgs(channel: string, args: unknown): ArgsOf<Channel>;
export function validateArgs(channel: string, args: unknown): ArgsOf<Channel> {
  if (!isChannel(channel)) throw new ValidationError(`unknown channel ${describe(channel)}`);
  return SCHEMAS[channel](args, channel) as ArgsOf<Channel>;
}
