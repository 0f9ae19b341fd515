// node:child_process as the engine sees it inside the Electron main bundle. The engine starts
// its capture helper as `spawn(process.execPath, [capture-helper.mjs, ...])`, meaning "run
// Node". Under Electron, process.execPath is the Electron binary, which starts a whole second
// app unless told to behave as Node: ELECTRON_RUN_AS_NODE=1, set here for that child only
// (never on our own environment, which Chromium's own subprocesses inherit).
//
// On a Linux install the deb also ships synscope-capture beside the executable: a small
// launcher that alone holds cap_net_raw,cap_net_admin (resources/linux/synscope-capture.c, like
// Wireshark's dumpcap). When it is there, capture-helper runs through it, so capturing works
// without root while the app itself has no privileges.
//
// scripts/build-main.mjs points the engine's `node:child_process` imports at this module; the
// app's own code and the engine's CLI bundle keep the real one.
import * as childProcess from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export * from 'node:child_process';

export const CAPTURE_HELPER_SCRIPT = 'capture-helper.mjs';
export const CAPTURE_LAUNCHER = 'synscope-capture';

export interface NodeChildPlan {
  command: string;
  args: string[];
  /** The child's environment; undefined = inherit ours unchanged. */
  env: NodeJS.ProcessEnv | undefined;
}

/**
 * How to start what the engine asked for. Only children of process.execPath change; the
 * capture helper goes through the privileged launcher when one is installed.
 */
export function planNodeChild(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv | undefined,
  execPath: string = process.execPath,
  exists: (path: string) => boolean = existsSync,
): NodeChildPlan {
  if (command !== execPath) return { command, args: [...args], env };
  if (args.length > 0 && basename(args[0]) === CAPTURE_HELPER_SCRIPT) {
    const launcher = join(dirname(execPath), CAPTURE_LAUNCHER);
    // The launcher knows where the helper script is (beside itself, never from us) and builds
    // its own clean environment.
    if (exists(launcher)) return { command: launcher, args: args.slice(1), env };
  }
  return { command, args: [...args], env: { ...(env ?? process.env), ELECTRON_RUN_AS_NODE: '1' } };
}

function spawnAsNode(command: string, argsOrOptions?: readonly string[] | childProcess.SpawnOptions, maybeOptions?: childProcess.SpawnOptions): childProcess.ChildProcess {
  const args = Array.isArray(argsOrOptions) ? argsOrOptions : [];
  const options = (Array.isArray(argsOrOptions) ? maybeOptions : argsOrOptions as childProcess.SpawnOptions | undefined) ?? {};
  const plan = planNodeChild(command, args, options.env);
  return childProcess.spawn(plan.command, plan.args, { ...options, env: plan.env });
}

export const spawn = spawnAsNode as typeof childProcess.spawn;
