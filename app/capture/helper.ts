// The capture helper: a small process that alone opens the libpcap handle (and so alone needs
// capture privileges), applies the BPF filter in the kernel and streams batches to its parent
// over fd 3 (protocol.ts). The parent stops it by writing to (or closing) its stdin; when the
// parent dies, stdin closes and the helper stops too.
//
//   node capture-helper.mjs '<HelperRequest JSON>'   capture
//   node capture-helper.mjs --interfaces             print pcap_findalldevs as JSON on stdout
import { existsSync } from 'node:fs';
import { Socket } from 'node:net';
import { loadCap, type NativeCap, type NativeOpenError } from './native.js';
import {
  FRAME_BATCH,
  FRAME_END,
  FRAME_ERROR,
  FRAME_HELLO,
  FRAME_STATS,
  RECORD_HEADER,
  jsonFrame,
  type EndMessage,
  type ErrorMessage,
  type HelloMessage,
  type HelperRequest,
  type StatsMessage,
} from './protocol.js';
import { linkTypeFromDlt } from './link-types.js';
import { describeOpenError } from './start-errors.js';

/** Records of one batch stay below half of this (the addon flushes at half). */
const BATCH_BUFFER = 4 << 20;
/** Bytes queued towards a slow parent before we stop reading pcap (the kernel then drops and counts). */
const MAX_QUEUED = 64 << 20;

function listInterfaces(): void {
  const cap = loadCap();
  process.stdout.write(JSON.stringify(cap.deviceList()) + '\n');
}

function capture(req: HelperRequest): void {
  const out = new Socket({ fd: 3, readable: false, writable: true });
  const send = (type: number, value: unknown): boolean => out.write(jsonFrame(type, value));
  const fail = (msg: ErrorMessage): void => {
    send(FRAME_ERROR, msg);
    out.end(() => process.exit(1));
  };

  let cap: NativeCap;
  try {
    cap = new (loadCap().Cap)();
  } catch (e) {
    fail({ kind: 'other', message: (e as Error).message });
    return;
  }
  const shared = Buffer.allocUnsafe(Math.max(BATCH_BUFFER, req.snaplen + RECORD_HEADER));
  let opened;
  try {
    opened = cap.openLive(
      {
        device: req.device,
        filter: req.filter,
        snaplen: req.snaplen,
        promisc: req.promisc,
        bufferSize: req.bufferSize,
        immediate: req.immediate,
        timeoutMs: req.timeoutMs,
        nano: true,
      },
      shared,
    );
  } catch (e) {
    fail(describeOpenError(e as NativeOpenError, req.device, req.filter));
    return;
  }
  const hello: HelloMessage = { linkType: linkTypeFromDlt(opened.linkType), snaplen: opened.snaplen, nano: opened.nano };
  if (opened.warning !== undefined) hello.warning = opened.warning;
  send(FRAME_HELLO, hello);

  const limits = req.stopAfter;
  let captured = 0;
  let capturedBytes = 0;
  let stopping = false;
  let done = false;
  /** After a stop request: packets stamped later than this (ns since the epoch) are not ours. */
  let cutoffNs = Infinity;

  const stats = (): StatsMessage => {
    const s = cap.stats();
    return { captured, received: s.received, dropped: s.dropped, ifDropped: s.ifDropped };
  };

  let finishing = false;
  let limitWhileDraining = false;
  const finish = (reason: EndMessage['reason']): void => {
    if (finishing) {
      if (reason === 'limit') limitWhileDraining = true;
      return;
    }
    finishing = true;
    clearInterval(statsTimer);
    clearTimeout(durationTimer);
    // After a stop request: what the ring still holds from before the stop (the cutoff drops
    // later packets). Not after a packet or byte limit: those cut exactly already.
    if (cutoffNs !== Infinity) {
      try {
        cap.drain();
      } catch {
        // the handle failed; the error was reported
      }
    }
    done = true;
    if (limitWhileDraining) reason = 'limit';
    let last: StatsMessage | null = null;
    try {
      last = stats();
    } catch {
      // the handle failed; the error was reported
    }
    cap.close();
    if (last) send(FRAME_STATS, last);
    send(FRAME_END, { reason } satisfies EndMessage);
    out.end(() => process.exit(0));
  };

  const requestStop = (reason: EndMessage['reason']): void => {
    if (stopping) return;
    stopping = true;
    cutoffNs = Date.now() * 1e6;
    // Without immediate mode the kernel hands over a partly filled block only when the read
    // timeout expires: wait for it so packets that arrived before the stop are not lost.
    if (req.immediate) finish(reason);
    else setTimeout(() => finish(reason), req.timeoutMs + 50);
  };

  cap.on('batch', (bytes, count) => {
    if (done) return;
    let end = bytes;
    let n = count;
    let limitHit = false;
    if (limits.packets !== undefined || limits.bytes !== undefined || stopping) {
      // Cut the batch at the first packet past a limit (dumpcap -a / tcpdump -c are exact).
      let o = 0;
      let k = 0;
      let b = capturedBytes;
      for (; k < count; k++) {
        if (limits.packets !== undefined && captured + k >= limits.packets) {
          limitHit = true;
          break;
        }
        if (stopping && shared.readUInt32LE(o) * 1e9 + shared.readUInt32LE(o + 4) > cutoffNs) break;
        const len = shared.readUInt32LE(o + 8);
        b += len;
        o += RECORD_HEADER + len;
        if (limits.bytes !== undefined && b >= limits.bytes) {
          k++;
          limitHit = true;
          break;
        }
      }
      end = o;
      n = k;
    }
    if (n > 0) {
      // The addon refills `shared` as soon as we return: copy into the frame we send.
      const f = Buffer.allocUnsafe(9 + end);
      f.writeUInt32LE(4 + end, 0);
      f[4] = FRAME_BATCH;
      f.writeUInt32LE(n, 5);
      shared.copy(f, 9, 0, end);
      out.write(f);
      captured += n;
      for (let o = 0, k = 0; k < n; k++) {
        const len = shared.readUInt32LE(o + 8);
        capturedBytes += len;
        o += RECORD_HEADER + len;
      }
      if (out.writableLength > MAX_QUEUED) {
        cap.pause();
        out.once('drain', () => {
          if (!done) cap.resume();
        });
      }
    }
    if (limits.packets !== undefined && captured >= limits.packets) limitHit = true;
    if (limitHit) {
      stopping = true;
      finish('limit');
    }
  });
  cap.on('error', (e) => {
    if (done) return;
    // libpcap says "The interface disappeared" when its read sees the device go; a read racing
    // the removal can fail first with another error ("bad file descriptor"): name the cause.
    const message = interfaceGoneSoon(req.device) ? 'The interface disappeared' : e.message;
    send(FRAME_ERROR, { kind: 'other', message: `Capture on ${req.device} failed: ${message}` } satisfies ErrorMessage);
    finish('stopped');
  });

  const statsTimer = setInterval(() => {
    if (!done) send(FRAME_STATS, stats());
  }, req.statsIntervalMs);
  const durationTimer = limits.seconds !== undefined ? setTimeout(() => requestStop('limit'), limits.seconds * 1000) : undefined;

  // Any byte on stdin, or its end (the parent went away), stops the capture.
  process.stdin.on('data', () => requestStop('stopped'));
  process.stdin.on('end', () => requestStop('stopped'));
  process.stdin.on('error', () => requestStop('stopped'));
  // Ctrl-C in a terminal reaches the whole process group: the parent decides, we wait for it.
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => requestStop('stopped'));
  out.on('error', () => process.exit(1));
}

const arg = process.argv[2];
if (arg === '--interfaces') {
  try {
    listInterfaces();
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exitCode = 1;
  }
} else if (arg !== undefined) {
  capture(JSON.parse(arg) as HelperRequest);
} else {
  process.stderr.write('usage: capture-helper <request JSON> | --interfaces\n');
  process.exitCode = 2;
}

/** Whether a Linux network device that was captured on is no longer there (sysfs lists every one). */
function interfaceGone(device: string): boolean {
  return process.platform === 'linux' && device !== 'any' && existsSync('/sys/class/net') && !existsSync(`/sys/class/net/${device}`);
}

/**
 * interfaceGone, looked at again for a moment: the kernel fails the capture's socket while it
 * takes the device down, and removes the device's /sys entry a little later (on a loaded
 * machine, after the read failed: about one capture in ten said "bad file descriptor"). An
 * error on a device that stays is reported that much later, and it ends the capture anyway.
 */
function interfaceGoneSoon(device: string): boolean {
  if (process.platform !== 'linux' || device === 'any') return false;
  for (let waited = 0; waited < GONE_WAIT_MS; waited += GONE_POLL_MS) {
    if (interfaceGone(device)) return true;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, GONE_POLL_MS);
  }
  return interfaceGone(device);
}

const GONE_WAIT_MS = 500, GONE_POLL_MS = 10;
