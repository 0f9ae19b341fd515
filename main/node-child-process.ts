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
// In a development run (`npm start`, unpackaged) native addons in node_modules are built for
// the system's Node, not Electron's, so there the children run on that Node instead
// (index.ts calls useSystemNodeForChildren). A packaged app has its addons rebuilt for
// Electron by electron-builder.
//
// scripts/build-main.mjs points the engine's `node:child_process` imports at this module; the
// app's own code and the engine's CLI bundle keep the real one.
import * as childProcess from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { basename, delimiter, dirname, join } from 'node:path';

export * from 'node:child_process';

export const CAPTURE_HELPER_SCRIPT = 'capture-helper.mjs';
export const CAPTURE_LAUNCHER = 'synscope-capture';

/** Executable by us: the deb lets only root and the 'synscope' group run the launcher. */
function isRunnable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

let systemNode: string | undefined;

/** Runs the engine's Node children on this Node binary instead of Electron-as-Node. */
export function useSystemNodeForChildren(nodePath: string | undefined): void {
  systemNode = nodePath;
}

/** The first `node` on PATH, if any. */
export function findNodeOnPath(path: string | undefined = process.env.PATH, exists: (p: string) => boolean = existsSync): string | undefined {
  const name = process.platform === 'win32' ? 'node.exe' : 'node';
  for (const dir of (path ?? '').split(delimiter)) {
    if (dir !== '' && exists(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

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
  runnable: (path: string) => boolean = isRunnable,
  node: string | undefined = systemNode,
): NodeChildPlan {
  if (command !== execPath) return { command, args: [...args], env };
  if (node !== undefined) return { command: node, args: [...args], env };
  if (args.length > 0 && basename(args[0]) === CAPTURE_HELPER_SCRIPT) {
    const launcher = join(dirname(execPath), CAPTURE_LAUNCHER);
    // The launcher knows where the helper script is (beside itself, never from us) and builds
    // its own clean environment. Users outside the group go on without it, unprivileged, and
    // the helper's permission error tells them what to do.
    if (runnable(launcher)) return { command: launcher, args: args.slice(1), env };
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
