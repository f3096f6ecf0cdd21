// `node --import ./test/helpers/import-recorder.mjs app.js` records every module the app loads:
// ESM resolutions through the hook, and CommonJS modules (require, createRequire) at exit.
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';

register('./import-hooks.mjs', import.meta.url);

const cache = createRequire(import.meta.url).cache;
process.on('exit', () => {
  const log = process.env.POLYBUS_IMPORT_LOG;
  if (!log) return;
  const urls = Object.keys(cache).map((path) => pathToFileURL(path).href);
  appendFileSync(log, urls.map((u) => `${u}\n`).join(''));
});
