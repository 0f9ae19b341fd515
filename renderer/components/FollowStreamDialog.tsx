// Analyze › Follow › TCP Stream (or TLS Stream: what the TLS records decrypted to): each side's
// payload in order, client in red and server in blue as Wireshark shows it, as ASCII or as a hex
// dump (renderer/panels/FollowStreamView).
import type { FollowedStream } from '../../app/session/contract.js';
import { FollowStreamView } from '../panels/FollowStreamView.js';
import { Dialog } from './Dialog.js';

export function FollowStreamDialog({ stream, tls, onClose }: { stream: FollowedStream; tls: boolean; onClose(): void }) {
  return (
    <Dialog title={`Follow ${tls ? 'TLS' : 'TCP'} Stream (tcp.stream eq ${stream.stream})`} onClose={onClose} wide>
      <FollowStreamView stream={stream} />
    </Dialog>
  );
}
