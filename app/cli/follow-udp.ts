// `read -z follow,udp,MODE,N`: one pass over the file feeding the UDP follower
// (app/stats/udp-follower.ts); the records are printed by the same printer as Follow TCP Stream
// (stats-taps.ts's writeFollow).
import type { FollowedStream } from '../session/contract.js';
import { udpFollowFieldIds, UdpFollower } from '../stats/udp-follower.js';
import { dissectEach } from './dissect-each.js';

/** The followed UDP streams by number (absent: no datagram of that stream). */
export function followUdpStreams(file: string, streams: ReadonlySet<number>, onError: (e: unknown) => void): Map<number, FollowedStream> {
  const follower = new UdpFollower(streams);
  dissectEach(file, { tree: false, wanted: udpFollowFieldIds() }, { onError }, (d) => follower.push(d, d.frame.number));
  return follower.streams;
}
