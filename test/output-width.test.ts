// Output for people fits the terminal (issue 24): tables and prose are fitted to the width the
// terminal, COLUMNS or the off-terminal default gives; a plan change shows where the two sides differ;
// the demo prints no line wider than 100 columns and numbers each section once.
import { describe, expect, it } from 'vitest';
import type { Plan } from '../src/core/engine/plan/index.js';
import { buildMatrix } from '../src/core/model/capabilities.js';
import { renderMatrixText } from '../src/cli/render/capabilities.js';
import { changeSides, renderPlan } from '../src/cli/render/plan.js';
import { renderTrace } from '../src/cli/render/publish.js';
import { DEFAULT_WIDTH, MIN_WIDTH, fitColumns, outputWidth, wrapText } from '../src/cli/render/width.js';
import { loadCapabilities } from '../src/sdk/create.js';
import { runCli } from './helpers/cli.js';

const widest = (text: string) => Math.max(...text.split('\n').map((l) => [...l].length));

const OLD = 'qcs::ckafka:ap-guangzhou:uin/100000000001:ckafkaId/uin/100000000001/ckafka-aaaaaaaa';
const NEW = 'qcs::ckafka:ap-guangzhou:uin/100000000001:ckafkaId/uin/100000000001/ckafka-bbbbbbbb';

const plan: Plan = {
  items: [
    {
      key: 'tencent/connection/orders/orders-ckafka',
      target: 'tencent',
      provider: 'tencent',
      kind: 'connection',
      name: 'orders-ckafka',
      action: 'replace',
      changes: [{ field: 'endpoint', from: OLD, to: NEW, mutability: 'replace' }],
      warnings: [
        {
          type: 'unsupported-setting',
          detail: 'a long warning that says a great deal about why this setting is ignored on this provider',
        },
      ],
      dependsOn: [],
    },
  ],
};

describe('output width', () => {
  it('COLUMNS, then the terminal, then 100 off a terminal; never below the minimum', () => {
    expect(outputWidth({ isTTY: false }, {})).toBe(DEFAULT_WIDTH);
    expect(outputWidth({ isTTY: true, columns: 80 }, {})).toBe(80);
    expect(outputWidth({ isTTY: true, columns: 200 }, { COLUMNS: '90' })).toBe(90);
    expect(outputWidth({ isTTY: false, columns: 80 }, {})).toBe(DEFAULT_WIDTH);
    expect(outputWidth({ isTTY: false }, { COLUMNS: 'abc' })).toBe(DEFAULT_WIDTH);
    expect(outputWidth({ isTTY: true, columns: 20 }, {})).toBe(MIN_WIDTH);
  });

  it('fitted columns never exceed the width and keep short columns whole', () => {
    const rows = [['a', 'name', 'x'.repeat(300)]];
    const widths = fitColumns(rows, 80);
    expect(widths.reduce((a, b) => a + b, 0) + widths.length + 1).toBe(80);
    expect(widths.slice(0, 2)).toEqual([3, 6]);
  });

  it('wrapping keeps every character and the indentation', () => {
    const line = `  note: ${'word '.repeat(40)}${'y'.repeat(120)}`;
    const wrapped = wrapText(line, 60);
    expect(widest(wrapped)).toBeLessThanOrEqual(60);
    expect(wrapped.replace(/\n +/g, ' ').replace(/ +/g, ' ')).toContain('y'.repeat(50));
    expect(wrapped.replace(/\s+/g, '')).toBe(line.replace(/\s+/g, ''));
  });

  it('a plan change shows the part that differs, not the same cut of both sides', () => {
    const [from, to] = changeSides(OLD, NEW);
    expect(from).not.toBe(to);
    expect(from).toContain('ckafka-aaaa');
    expect(to).toContain('ckafka-bbbb');
    expect(from.length).toBeLessThanOrEqual(40);
    // Short values are shown whole.
    expect(changeSides('a', 'b')).toEqual(['a', 'b']);
    expect(changeSides(undefined, 'x'.repeat(10))).toEqual(['(unset)', 'x'.repeat(10)]);
  });

  it('the plan table fits 80 and 100 columns (it was 134 wide whatever the terminal)', () => {
    for (const w of [80, 100, 132]) {
      const text = renderPlan(plan, w);
      const [table] = text.split('\nPlan: ');
      expect(widest(table!)).toBeLessThanOrEqual(w);
      expect(text.replace(/[│\s]/g, '')).toContain('ckafka-bbbb');
      expect(text).toContain('(forces replace)');
      expect(text).toMatch(/^Plan: 0 to create, 0 to update, 1 to replace, .* 0 unreadable\.$/m);
    }
  });

  it('capabilities text has the notes, fitted', async () => {
    const matrix = buildMatrix(await loadCapabilities());
    const text = renderMatrixText(matrix, { width: 80 });
    expect(widest(text)).toBeLessThanOrEqual(80);
    expect(text).toContain('Notes:');
    const row = matrix.rows[0]!;
    const note = row.cells.tencent!.note;
    expect(text.replace(/\n\s+/g, ' ')).toContain(note.replace(/\n\s+/g, ' ').slice(0, 30));
    expect(renderMatrixText(matrix, { width: 80, notes: false })).not.toContain('Notes:');
  });

  it('a trace names the destination once ("Amazon Connect instances ...", not "Amazon Connect Amazon Connect")', () => {
    const text = renderTrace(
      {
        eventId: 'e1',
        provider: 'aws',
        found: true,
        exact: true,
        matches: [],
        deliveries: [
          {
            integration: 'i',
            target: 'Amazon Connect',
            destination: 'Amazon Connect instances associated with x',
            attempts: 0,
            status: 'not-delivered',
            attemptLog: [],
          },
        ],
        notes: [],
      } as unknown as Parameters<typeof renderTrace>[0],
      100,
    );
    expect(text).toContain('-> Amazon Connect instances associated with x');
    expect(text).not.toContain('Amazon Connect Amazon Connect');
  });

  it('the demo prints no line wider than 100 columns and numbers each section once', async () => {
    const r = await runCli(['demo']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines.filter((l) => [...l].length > 100)).toEqual([]);
    const sections = lines.filter((l) => l.startsWith('== ')).map((l) => l.split(' ')[1]);
    expect(sections.length).toBeGreaterThan(5);
    expect(new Set(sections).size).toBe(sections.length);
    expect(r.stdout).not.toContain('Amazon Connect Amazon Connect');
    // Azure is walked too: applied, its route not paused (no off switch), its webhook delivered.
    expect(r.stdout).toMatch(/== 1\. plan: .* on tencent, huawei, aws, azure\n/);
    expect(r.stdout).toContain('not paused on azure: an event subscription has no off switch');
    expect(r.stdout).toMatch(
      /trace azure-match on azure: found[^\n]*\n[^\n]*\n\s+-> WebHook [^\n]*: delivered/,
    );
  });

  it('COLUMNS=80 fits the tables of the CLI to 80 columns', async () => {
    const r = await runCli(['capabilities'], { COLUMNS: '80' });
    expect(r.code).toBe(0);
    expect(widest(r.stdout)).toBeLessThanOrEqual(80);
  });
});
