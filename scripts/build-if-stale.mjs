// Builds dist/ only when it is missing or older than what it is built from (src/, the tsconfig
// files, package.json), so `npm run demo` does not rebuild on every run and a fresh clone still
// builds once. A successful build leaves dist/.build-stamp; its time is what "built" means, so a
// build that failed half-way is not taken for a good one.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// The package root: this script's parent folder, or the folder given as the argument (tests).
const root = process.argv[2] ?? new URL('..', import.meta.url).pathname;
const stamp = join(root, 'dist', '.build-stamp');

/** The newest modification time under `path` (a file or a folder). */
function newest(path) {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let max = s.mtimeMs; // a deleted or renamed file changes its folder's time
  for (const e of readdirSync(path)) max = Math.max(max, newest(join(path, e)));
  return max;
}

const inputs = ['src', 'tsconfig.json', 'tsconfig.build.json', 'package.json'].map((p) => join(root, p));
const built = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
const changed = Math.max(...inputs.filter((p) => existsSync(p)).map(newest));
if (changed > built) {
  if (built) process.stderr.write('polybus: sources changed since the last build: building dist/\n');
  else process.stderr.write('polybus: building dist/ (first run)\n');
  execSync('npm run build --silent', { cwd: root, stdio: 'inherit' });
  writeFileSync(stamp, `${new Date().toISOString()}\n`);
}
