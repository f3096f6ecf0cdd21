// `npm run check:package`: packs polybus and checks the tarball as the registry would serve it:
// publint, attw, then a consumer in a temp dir (ESM import, CommonJS require, strict nodenext
// type-check that must pass, and one that must fail). It never publishes and never edits the repo.
//
//   --prebuilt  pack without the prepack build (dist/ was just built, as in `npm test`)
//   --install   install the tarball's dependencies from the registry (npm cache) instead of
//               linking the repo's copies of exactly the declared dependencies (faster)
import { execFileSync } from 'node:child_process';
import {
  closeSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const started = Date.now();
const bin = (pkg, file) => join(root, 'node_modules', pkg, file);
const step = (name) => console.log(`\n== ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);

/** Runs a command; its output goes to ours. Throws on a non-zero exit. */
const run = (cmd, argv, options = {}) => execFileSync(cmd, argv, { stdio: 'inherit', ...options });
/** Runs a command and returns its exit status and output (stdout + stderr). */
const capture = (cmd, argv, options = {}) => {
  try {
    return { status: 0, output: execFileSync(cmd, argv, { encoding: 'utf8', stdio: 'pipe', ...options }) };
  } catch (err) {
    return { status: err.status ?? 1, output: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
};

const work = mkdtempSync(join(tmpdir(), 'polybus-package-'));
try {
  step('npm pack');
  const packArgs = [
    'pack',
    '--pack-destination',
    work,
    '--json',
    ...(args.has('--prebuilt') ? ['--ignore-scripts'] : []),
  ];
  const [packed] = JSON.parse(
    execFileSync('npm', packArgs, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }),
  );
  const tarball = join(work, packed.filename);
  const files = packed.files.map((f) => f.path);
  console.log(`${packed.filename}: ${files.length} files, ${(packed.size / 1024).toFixed(0)} KiB`);
  for (const required of [
    'LICENSE',
    'README.md',
    'dist/index.js',
    'dist/index.d.ts',
    'docs/capabilities.md',
    'docs/spec.schema.json',
  ])
    if (!files.includes(required)) throw new Error(`the tarball lacks ${required}`);
  const leaked = files.filter(
    (f) => /^(src|test|scripts|docs\/api)\//.test(f) || f.endsWith('.tsbuildinfo') || /\/soak\./.test(f),
  );
  if (leaked.length) throw new Error(`the tarball ships files it should not: ${leaked.join(', ')}`);

  step('publint');
  run(process.execPath, [bin('publint', 'src/cli.js'), 'run', '--strict', tarball]);

  step('attw');
  // polybus is ESM-only (docs/decisions.md): no `require` condition, and `require('polybus')`
  // works through Node's require(esm) (>= 20.19, our engines floor), which smoke.cjs and good.cts
  // prove below. attw models TypeScript 5.6, where a CommonJS importer reaches ESM only by dynamic
  // import (cjs-resolves-to-esm, shown as "ESM (dynamic import only)"): that one problem is
  // expected on every entry, and any other problem fails.
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  if (pkg.type !== 'module') throw new Error('package.json must say "type": "module" (ESM-only)');
  const conditions = JSON.stringify(pkg.exports);
  if (/"require"/.test(conditions)) throw new Error('ESM-only: exports must have no "require" condition');
  // to a file: attw exits before a large piped output is flushed
  const attwJson = join(work, 'attw.json');
  const fd = openSync(attwJson, 'w');
  try {
    execFileSync(
      process.execPath,
      [bin('@arethetypeswrong/cli', 'dist/index.js'), tarball, '--format', 'json'],
      {
        stdio: ['ignore', fd, 'inherit'],
      },
    );
  } catch {
    // a non-zero exit only says that problems were found: they are read and judged below
  } finally {
    closeSync(fd);
  }
  const problems = JSON.parse(readFileSync(attwJson, 'utf8')).analysis?.problems ?? [];
  const unexpected = problems.filter((p) => p.kind !== 'CJSResolvesToESM');
  if (unexpected.length) throw new Error(`attw: ${JSON.stringify(unexpected, null, 2)}`);
  const entries = Object.keys(pkg.exports).filter((e) => e !== './package.json');
  const cjsOnly = new Set(problems.map((p) => p.entrypoint));
  if (entries.some((e) => !cjsOnly.has(e)))
    throw new Error(
      `attw: expected "ESM (dynamic import only)" for CommonJS importers on every entry, got ${[...cjsOnly]}`,
    );
  console.log(`attw: ESM-only as decided (${entries.length} entries; CommonJS importers use require(esm))`);

  step('consumer');
  const consumer = join(work, 'consumer');
  mkdirSync(consumer);
  cpSync(join(root, 'scripts/consumer'), consumer, { recursive: true });
  // The README's library example, type-checked against the tarball as a user's file would be.
  cpSync(join(root, 'examples/library.ts'), join(consumer, 'library.mts'));
  writeFileSync(
    join(consumer, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
  );
  writeFileSync(
    join(consumer, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        module: 'nodenext',
        moduleResolution: 'nodenext',
        target: 'es2022',
        types: ['node'],
        noEmit: true,
        skipLibCheck: false,
      },
    }),
  );
  if (args.has('--install')) {
    const ts = JSON.parse(readFileSync(bin('typescript', 'package.json'), 'utf8')).version;
    run(
      'npm',
      [
        'install',
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        '--ignore-scripts',
        tarball,
        `typescript@${ts}`,
        '@types/node@20',
      ],
      {
        cwd: consumer,
      },
    );
  } else {
    // The package from the tarball; beside it, the repo's copies of exactly its declared
    // dependencies (an undeclared import fails here as it would after `npm install`).
    const modules = join(consumer, 'node_modules');
    mkdirSync(join(modules, '@types'), { recursive: true });
    run('tar', ['-xzf', tarball, '-C', work]);
    cpSync(join(work, 'package'), join(modules, 'polybus'), { recursive: true });
    const { dependencies } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    for (const dep of [...Object.keys(dependencies), 'typescript', '@types/node']) {
      mkdirSync(dirname(join(modules, dep)), { recursive: true });
      symlinkSync(join(root, 'node_modules', dep), join(modules, dep), 'dir');
    }
  }
  const tsc = join(consumer, 'node_modules/typescript/bin/tsc');

  // A Tencent-only user: the AWS SDK is an optional peer dependency, not installed. Tencent works,
  // and AWS fails with an error naming the package to install.
  const installed = readdirSync(join(consumer, 'node_modules'));
  if (installed.includes('@aws-sdk') || installed.includes('@smithy'))
    throw new Error('the AWS SDK is installed without being asked for: it must be an optional peer');
  const noAws = capture(process.execPath, ['no-aws.mjs'], { cwd: consumer });
  process.stdout.write(noAws.output);
  if (noAws.status) throw new Error('polybus without the AWS SDK failed');
  const tsFlags = [
    '--strict',
    '--module',
    'nodenext',
    '--moduleResolution',
    'nodenext',
    '--target',
    'es2022',
  ];
  const noAwsTypes = capture(
    process.execPath,
    [
      tsc,
      ...tsFlags,
      '--types',
      'node',
      '--noEmit',
      '--skipLibCheck',
      'false',
      '--pretty',
      'false',
      'tencent-only.mts',
    ],
    { cwd: consumer },
  );
  if (noAwsTypes.status)
    throw new Error(`a Tencent-only program does not type-check without the AWS SDK:\n${noAwsTypes.output}`);
  console.log('types: tencent-only.mts compiles without the AWS SDK installed');

  // An AWS user installs the peers; the rest of the checks use every provider.
  const peers = Object.entries(pkg.peerDependencies ?? {});
  if (args.has('--install'))
    run(
      'npm',
      [
        'install',
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        '--ignore-scripts',
        ...peers.map(([n, r]) => `${n}@${r}`),
      ],
      {
        cwd: consumer,
      },
    );
  else
    for (const [dep] of peers) {
      mkdirSync(dirname(join(consumer, 'node_modules', dep)), { recursive: true });
      symlinkSync(join(root, 'node_modules', dep), join(consumer, 'node_modules', dep), 'dir');
    }

  const esm = capture(process.execPath, ['smoke.mjs'], { cwd: consumer });
  process.stdout.write(esm.output);
  if (esm.status) throw new Error('the ESM smoke test failed');
  const cjs = capture(process.execPath, ['smoke.cjs'], { cwd: consumer });
  process.stdout.write(cjs.output);
  if (cjs.status) throw new Error('require("polybus") failed');

  const good = capture(process.execPath, [tsc, '-p', '.', '--pretty', 'false'], {
    cwd: consumer,
    env: { ...process.env },
  });
  // One run covers every .mts/.cts here: bad.mts must fail (checked below), the others must not.
  const goodErrors = good.output.split('\n').filter((l) => /error TS/.test(l) && !l.startsWith('bad.mts'));
  if (goodErrors.length) throw new Error(`the consumer does not compile:\n${goodErrors.join('\n')}`);
  console.log(
    'types: good.mts, good.cts, probe.mts and library.mts (the README example) compile (strict, nodenext)',
  );

  const expected = readFileSync(join(consumer, 'bad.mts'), 'utf8')
    .split('\n')
    .flatMap((line, i) => (line.includes('// expect-error') ? [i + 1] : []));
  const reported = [...good.output.matchAll(/^bad\.mts\((\d+),\d+\): error (TS\d+)/gm)].map((m) =>
    Number(m[1]),
  );
  const missing = expected.filter((line) => !reported.includes(line));
  if (missing.length || !expected.length)
    throw new Error(`bad.mts compiled where it must not, at line(s) ${missing.join(', ')}:\n${good.output}`);
  console.log(`types: bad.mts is rejected at lines ${expected.join(', ')} as it must be`);

  // No source maps ship (docs/decisions.md): they were half the unpacked size, and the shipped
  // JavaScript is tsc's readable output with its comments.
  const maps = files.filter((f) => f.endsWith('.map'));
  if (maps.length) throw new Error(`the tarball ships source maps: ${maps.slice(0, 3).join(', ')}...`);
  const internal = readFileSync(join(consumer, 'node_modules/polybus/dist/sdk/provision.d.ts'), 'utf8');
  if (/@internal/.test(internal)) throw new Error('@internal declarations reach the .d.ts (stripInternal)');
  console.log('no source maps, no @internal declarations in the .d.ts');
  step('done');
} finally {
  rmSync(work, { recursive: true, force: true });
}
