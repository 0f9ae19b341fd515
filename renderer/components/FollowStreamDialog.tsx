// Analyze › Follow › TCP Stream (TLS Stream: what the TLS records decrypted to; UDP Stream: its datagrams): each side's
// payload in order, client in red and server in blue as Wireshark shows it, as ASCII or as a hex
// dump (renderer/panels/FollowStreamView).
import type { FollowedStream } from '../../app/session/contract.js';
import { FollowStreamView } from '../panels/FollowStreamView.js';
import { Dialog } from './Dialog.js';

export function FollowStreamDialog({ stream, proto, onClose }: { stream: FollowedStream; proto: 'tcp' | 'tls' | 'udp'; onClose(): void }) {
  return (
    <Dialog title={`Follow ${proto.toUpperCase()} Stream (${proto === 'udp' ? 'udp' : 'tcp'}.stream eq ${stream.stream})`} onClose={onClose} wide>
      <FollowStreamView stream={stream} />
    </Dialog>
  );
}
