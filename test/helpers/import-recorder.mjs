// `node --import ./test/helpers/import-recorder.mjs app.js` records every module the app loads.
import { register } from 'node:module';

register('./import-hooks.mjs', import.meta.url);
