// Issue 16: human-readable lists scale. Beyond a screenful, rows stream as plain aligned lines as
// pages arrive: the first row is out before the last page is fetched, and 100,000 rows are cheap.
import { expect, it } from 'vitest';
import { type Io, printRows, SCREENFUL } from '../src/cli/render/output.js';

/** 100,000 resources in pages of 100, recording how many pages were fetched when output happens. */
function pages(total: number, fetched: { pages: number }) {
  return {
    async *[Symbol.asyncIterator]() {
      for (let p = 0; p * 100 < total; p++) {
        fetched.pages++;
        await new Promise((r) => setImmediate(r));
        for (let i = p * 100; i < Math.min(total, (p + 1) * 100); i++)
          yield { id: `eb-${i}`, name: `bus-${i}`, status: 'Active', description: 'x'.repeat(i % 90) };
      }
    },
  };
}

it('streams 100,000 rows as aligned lines, the first before the last page is fetched', async () => {
  const fetched = { pages: 0 };
  const out: string[] = [];
  let pagesAtFirstOutput = -1;
  const io: Io = {
    out: (t) => {
      if (pagesAtFirstOutput < 0) pagesAtFirstOutput = fetched.pages;
      out.push(t);
    },
    err: () => {},
    isTTY: false,
  };
  await printRows(io, pages(100_000, fetched), ['id', 'name', 'status', 'description']);
  expect(pagesAtFirstOutput).toBe(1);
  expect(fetched.pages).toBe(1000);
  const lines = out.join('\n').split('\n');
  expect(lines[0]).toMatch(/^id\s+name\s+status\s+description$/);
  expect(lines).toHaveLength(1 + 100_000 + 1);
  expect(lines.at(-1)).toBe('(100000 rows)');
  // aligned on the widths of the first screenful; ids and names are never cut
  const at = lines[1]!.indexOf('bus-0');
  expect(lines[5_001]!.indexOf('bus-5000')).toBe(at);
  expect(lines[50_001]).toMatch(/^eb-50000\s+bus-50000\s+Active/);
});

it('a short list is still a table', async () => {
  const out: string[] = [];
  const io: Io = { out: (t) => out.push(t), err: () => {}, isTTY: false };
  await printRows(io, pages(SCREENFUL, { pages: 0 }), ['id', 'name']);
  expect(out).toHaveLength(1);
  expect(out[0]).toContain('│');
});
