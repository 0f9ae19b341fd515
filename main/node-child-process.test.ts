// The engine's "run Node" children under Electron, planned without starting anything.
import { describe, expect, it } from 'vitest';
import { planNodeChild } from './node-child-process.js';

const electron = '/opt/SynScope/synscope';
const helper = '/opt/SynScope/resources/app.asar.unpacked/dist/capture-helper.mjs';

describe('planNodeChild', () => {
  it('runs the Electron binary as Node for children of process.execPath, in the child only', () => {
    const env = { PATH: '/usr/bin' };
    const plan = planNodeChild(electron, [helper, '--interfaces'], env, electron, () => false, undefined);
    expect(plan).toEqual({ command: electron, args: [helper, '--interfaces'], env: { PATH: '/usr/bin', ELECTRON_RUN_AS_NODE: '1' } });
    expect(env).toEqual({ PATH: '/usr/bin' });
  });

  it('sends the capture helper through the privileged launcher when the package installed one we may run', () => {
    const exists = (p: string) => p === '/opt/SynScope/synscope-capture';
    expect(planNodeChild(electron, [helper, '{"device":"lo"}'], undefined, electron, exists, undefined))
      .toEqual({ command: '/opt/SynScope/synscope-capture', args: ['{"device":"lo"}'], env: undefined });
  });

  it('uses the system Node in a development run (addons built for it, not for Electron)', () => {
    expect(planNodeChild(electron, [helper, '--interfaces'], undefined, electron, () => true, '/usr/bin/node'))
      .toEqual({ command: '/usr/bin/node', args: [helper, '--interfaces'], env: undefined });
  });

  it('leaves every other command alone', () => {
    expect(planNodeChild('tshark', ['-r', 'x.pcap'], undefined, electron, () => true))
      .toEqual({ command: 'tshark', args: ['-r', 'x.pcap'], env: undefined });
  });
});
