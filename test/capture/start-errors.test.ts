// The permission sentence names the interface and a fix that fits how the helper was started.
import { describe, expect, it } from 'vitest';
import { captureBinary, permissionMessage } from '../../app/capture/start-errors.js';

describe('permissionMessage', () => {
  it('from the command line: root, or setcap on the Node binary that runs the helper', () => {
    const m = permissionMessage('eth0', 'socket: Operation not permitted', false);
    expect(m).toContain('capture on eth0 (socket: Operation not permitted)');
    expect(m).toContain(`sudo setcap cap_net_raw,cap_net_admin=eip ${captureBinary()}`);
  });

  it('inside the desktop app: the deb\'s synscope group, never setcap on Electron', () => {
    const m = permissionMessage('eth0', 'socket: Operation not permitted', true);
    expect(m).toContain('capture on eth0');
    expect(m).toContain('sudo usermod -aG synscope $USER');
    expect(m).not.toContain('setcap');
  });
});
