// The sentences a user sees when a capture cannot start, built from libpcap's status and text.
// They name the interface and say what to do, the way tcpdump and dumpcap do, and never carry
// a stack trace.
import { realpathSync } from 'node:fs';
import {
  PCAP_ERROR_IFACE_NOT_UP,
  PCAP_ERROR_NO_SUCH_DEVICE,
  PCAP_ERROR_PERM_DENIED,
  PCAP_ERROR_PROMISC_PERM_DENIED,
  type NativeOpenError,
} from './native.js';
import type { ErrorMessage } from './protocol.js';

/** The binary that needs the capabilities: the helper is a script run by this Node. */
export function captureBinary(): string {
  try {
    return realpathSync(process.execPath);
  } catch {
    return process.execPath;
  }
}

export function permissionMessage(iface: string, detail: string, electron = process.versions.electron !== undefined): string {
  // Inside the desktop app the helper runs as Electron-as-Node: setcap on that binary would
  // privilege the whole app. The deb installs a privileged launcher for the synscope group
  // instead (main/node-child-process.ts, resources/linux/synscope-capture.c).
  if (electron) {
    return (
      `You don't have permission to capture on ${iface} (${detail}). ` +
      `With the Debian package, add yourself to the synscope group (sudo usermod -aG synscope $USER, then log in again); ` +
      `otherwise start SynScope as root.`
    );
  }
  return (
    `You don't have permission to capture on ${iface} (${detail}). ` +
    `Run synscope as root, or give the Node binary that runs the capture helper the capture capabilities: ` +
    `sudo setcap cap_net_raw,cap_net_admin=eip ${captureBinary()}`
  );
}

/** Classifies what openLive threw. */
export function describeOpenError(e: NativeOpenError, iface: string, filter: string): ErrorMessage {
  const detail = e.message;
  if (e.stage === 'filter') {
    return { kind: 'bad-filter', message: `Invalid capture filter "${filter}": ${detail}`, detail };
  }
  switch (e.pcapStatus) {
    case PCAP_ERROR_PERM_DENIED:
    case PCAP_ERROR_PROMISC_PERM_DENIED:
      return { kind: 'permission', message: permissionMessage(iface, detail), detail };
    case PCAP_ERROR_NO_SUCH_DEVICE:
      return {
        kind: 'no-such-interface',
        message: `There is no capture interface named "${iface}" (${detail}). Run \`synscope interfaces\` to list the interfaces.`,
        detail,
      };
    case PCAP_ERROR_IFACE_NOT_UP:
      return { kind: 'other', message: `The interface ${iface} is down (${detail}); bring it up, e.g. \`ip link set ${iface} up\`.`, detail };
  }
  // Linux reports a missing permission for some steps only through errno text.
  if (/Operation not permitted|Permission denied/.test(detail)) {
    return { kind: 'permission', message: permissionMessage(iface, detail), detail };
  }
  return { kind: 'other', message: `Cannot capture on ${iface}: ${detail}`, detail };
}
