// Builds the CLI bundle once so tests can spawn `bin/synscope.cjs` like a user would.
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
}
