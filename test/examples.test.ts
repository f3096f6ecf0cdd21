// The example specs are independent (issue 24): applying one never updates, replaces, blocks or
// deletes another's resources, because no two of them name the same bus, source, connection or
// integration (on any provider, overrides included). And examples/events.ndjson, the events the
// README's `migrate --verify` line uses, is a valid input for it.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../src/core/spec/load.js';
import { readVerifyEvents } from '../src/cli/commands/verify.js';

const dir = fileURLToPath(new URL('../examples/', import.meta.url));
const specs = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
const KINDS = ['buses', 'sources', 'connections', 'integrations'] as const;
const ONE = { buses: 'bus', sources: 'source', connections: 'connection', integrations: 'integration' };

/** Every name an example gives a resource of `kind`, on any provider (overrides may rename). */
async function names(file: string, kind: (typeof KINDS)[number]): Promise<Set<string>> {
  const spec = (await loadSpec(`${dir}${file}`, {})) as unknown as Record<
    string,
    { name: string; overrides?: Record<string, { name?: string } | undefined> }[] | undefined
  >;
  const out = new Set<string>();
  for (const item of spec[kind] ?? []) {
    out.add(item.name);
    for (const o of Object.values(item.overrides ?? {})) if (o?.name) out.add(o.name);
  }
  return out;
}

describe('examples', () => {
  it('there are several example specs to compare', () => {
    expect(specs).toEqual(expect.arrayContaining(['demo.yaml', 'fleet.yaml', 'routing.yaml']));
  });

  for (const kind of KINDS)
    it(`no two examples name the same ${ONE[kind]} (applying one never touches another's)`, async () => {
      const seen = new Map<string, string>();
      const clashes: string[] = [];
      for (const file of specs)
        for (const name of await names(file, kind)) {
          const other = seen.get(name);
          if (other) clashes.push(`${name}: ${other} and ${file}`);
          seen.set(name, file);
        }
      expect(clashes).toEqual([]);
    });

  it('examples/events.ndjson is a valid event file for migrate --verify, with events that match and that do not', async () => {
    const events = await readVerifyEvents(`${dir}events.ndjson`);
    expect(events.length).toBeGreaterThanOrEqual(3);
    expect(new Set(events.map((e) => e.source))).toEqual(new Set(['shop.orders', 'shop.returns']));
  });
});
