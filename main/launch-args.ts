// The capture file a launch names: `synscope trace.pcapng`, a double click on a file
// associated with SynScope (Linux/Windows pass it in argv; a second launch while one runs
// hands its argv and working directory to the first through 'second-instance').
import { statSync } from 'node:fs';
import { resolve } from 'node:path';

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * The first argument after the executable that is not a switch and names an existing file,
 * resolved against the launch's working directory. Chromium's own switches (`--flag`, `-x`)
 * and the app directory of a development run (`electron .`) are skipped.
 */
export function captureFileFromArgv(argv: readonly string[], cwd: string, exists: (path: string) => boolean = isFile): string | undefined {
  let switches = true;
  for (const arg of argv.slice(1)) {
    if (switches && arg === '--') {
      switches = false;
      continue;
    }
    if (switches && arg.startsWith('-')) continue;
    const path = resolve(cwd, arg);
    if (exists(path)) return path;
  }
  return undefined;
}
