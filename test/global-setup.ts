// Builds the CLI bundle once so tests can spawn `bin/synscope.cjs` like a user would. Each
// vitest project (vitest.config.ts) runs its global setup in the one main process: the first
// builds, the others find it done.
import { execFileSync } from 'node:child_process';

const BUILT = 'SYNSCOPE_TEST_BUNDLE_BUILT';

export default function setup(): void {
  if (process.env[BUILT]) return;
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  process.env[BUILT] = '1';
}
