// `synscope ARGS | head` at its harshest: the reader of standard output is gone before the
// command writes anything, so its first write meets EPIPE.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './corpus.js';

/** Runs bin/synscope.cjs with its standard output closed at once; its stderr and exit status. */
export async function runWithClosedOutput(args: readonly string[]): Promise<{ stderr: string; status: number | null }> {
  const child = spawn(process.execPath, [join(repoRoot, 'bin', 'synscope.cjs'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { stderr, status };
}
