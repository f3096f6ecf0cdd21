// Module resolve hook: appends every resolved URL to the file named by POLYBUS_IMPORT_LOG.
import { appendFileSync } from 'node:fs';

export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (process.env.POLYBUS_IMPORT_LOG) appendFileSync(process.env.POLYBUS_IMPORT_LOG, `${result.url}\n`);
  return result;
}
