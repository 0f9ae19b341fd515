// Where the real-capture corpus lives: ../shared/corpus beside the repository (as on the
// developers' machines and in CI), or SYNSCOPE_CORPUS. Missing corpus is an error, never a skip.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function corpusDir(): string {
  const dir = process.env.SYNSCOPE_CORPUS ?? resolve(repoRoot, '..', 'shared', 'corpus');
  if (!existsSync(join(dir, 'MANIFEST.tsv'))) {
    throw new Error(`real-capture corpus not found at ${dir} (set SYNSCOPE_CORPUS)`);
  }
  return dir;
}

/** Every capture file in the corpus, as paths relative to corpusDir(), sorted. */
export function corpusCaptures(): string[] {
  const root = corpusDir();
  const out: string[] = [];
  const visit = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) {
        if (name !== 'expected') visit(p);
      } else if (/\.(pcap|pcapng|cap)(\.gz|\.zst)?$/.test(name)) {
        out.push(relative(root, p));
      }
    }
  };
  visit(root);
  return out.sort();
}

export function corpusPath(rel: string): string {
  return join(corpusDir(), rel);
}
