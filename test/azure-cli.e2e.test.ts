// The Azure provider through the registry-driven CLI commands: `polybus call azure <Operation>`
// (ARM operations by their REST operation ids, long-running ones polled), `polybus filter test -p
// azure` (the native form evaluated as Event Grid does) and the `polybus/azure` typed client.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAzureClient } from '../src/adapters/azure/public.js';
import { type RunningEmulators, startEmulators } from '../src/testing/all.js';
import { runCli } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'polybus-azure-cli-'));
const write = (name: string, text: string) => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};

let emu: RunningEmulators;
beforeAll(async () => {
  emu = await startEmulators();
});
afterAll(async () => emu.close());

describe('azure in the CLI and polybus/azure', () => {
  it('polybus call azure: create a topic (long-running), get it, list it', async () => {
    const input = write(
      'topic.json',
      JSON.stringify({
        topicName: 'called',
        body: { location: 'westeurope', properties: { inputSchema: 'CloudEventSchemaV1_0' } },
      }),
    );
    const created = await runCli(['call', 'azure', 'Topics_CreateOrUpdate', '--input', input], emu.env);
    expect(created.code, created.stderr).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({
      name: 'called',
      properties: { provisioningState: 'Succeeded' },
    });
    const listed = await runCli(['call', 'azure', 'Topics_ListByResourceGroup'], emu.env);
    expect((JSON.parse(listed.stdout) as { value: { name: string }[] }).value.map((t) => t.name)).toContain(
      'called',
    );
    const unknown = await runCli(['call', 'azure', 'Topics_Nope'], emu.env);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/Topics_Nope/);
  });

  it('polybus filter test -p azure: the translated filter evaluated by the Event Grid evaluator', async () => {
    const spec = write(
      'spec.yaml',
      `version: 1
targets: [{ provider: azure }]
buses: [{ name: b1 }]
integrations:
  - name: r1
    bus: b1
    filter: [{ prefix: { subject: orders/ } }, { exact: { data.n: "1" } }]
    targets: [{ kind: http, url: "https://x.example/h" }]
`,
    );
    const event = write(
      'e.json',
      JSON.stringify({
        specversion: '1.0',
        id: '1',
        source: 's',
        type: 't',
        subject: 'orders/9',
        data: { n: '1' },
      }),
    );
    const r = await runCli(['filter', 'test', '-f', spec, '-i', 'r1', '-e', event, '-p', 'azure'], emu.env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/"subjectBeginsWith":"orders\/","isSubjectCaseSensitive":true/);
    expect(r.stdout).toMatch(/^azure: match: every part of the filter holds$/m);
    const other = write(
      'o.json',
      JSON.stringify({
        specversion: '1.0',
        id: '2',
        source: 's',
        type: 't',
        subject: 'Orders/9',
        data: { n: '1' },
      }),
    );
    const miss = await runCli(
      ['filter', 'test', '-f', spec, '-i', 'r1', '-e', other, '-p', 'azure'],
      emu.env,
    );
    expect(miss.stdout).toMatch(/^azure: no match: subject does not begin with "orders\/"$/m);
  });

  it('polybus/azure opens the ARM client from the same environment', async () => {
    const { operate, close } = openAzureClient({ env: emu.env });
    try {
      const res = (await operate('Topics_Get', { topicName: 'called' })) as { name: string };
      expect(res.name).toBe('called');
    } finally {
      await close();
    }
  });
});
