// The native escape hatch (issue 16): `polybus call <provider> <Action>` against the in-process
// emulators, and the `polybus/<provider>` factories. It never reaches a real cloud.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeMatches } from '../src/sdk/native.js';
import { HUAWEI_OPERATION_NAMES, openHuaweiClient } from '../src/adapters/huawei/public.js';
import { openTencentClient, TENCENT_ACTIONS } from '../src/adapters/tencent/public.js';
import {
  AWS_ACTIONS,
  AWS_APPINTEGRATIONS_ACTIONS,
  AWS_EVENTBRIDGE_ACTIONS,
  openAwsClient,
} from '../src/adapters/aws/public.js';
import { type RunningEmulators, startEmulators } from '../src/testing/all.js';

const bin = new URL('../dist/cli/bin.js', import.meta.url).pathname;

let emulators: RunningEmulators;
beforeAll(async () => {
  emulators = await startEmulators();
});
afterAll(async () => {
  await emulators.close();
});

/** Runs the built CLI with the emulators' environment, `stdin` piped in (async: the emulators share this loop). */
function cli(args: string[], stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [bin, ...args],
      { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...emulators.env } },
      (err, stdout, stderr) =>
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(stdin);
  });
}

/** `polybus call` with a JSON input from stdin; the parsed native response. */
async function call(provider: string, action: string, input: object): Promise<Record<string, unknown>> {
  const r = await cli(['call', provider, action, '--input', '-'], JSON.stringify(input));
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

describe('polybus call tencent', () => {
  it("`echo '{}' | polybus call tencent ListEventBuses --input -` prints the native response (TotalCount, EventBuses)", async () => {
    const res = await call('tencent', 'ListEventBuses', {});
    expect(res).toMatchObject({ TotalCount: expect.any(Number), EventBuses: expect.any(Array) });
    expect(typeof res.RequestId).toBe('string');
  });

  it('SearchLog and DescribeLogTagValue read the events PutEvents sent (native names throughout)', async () => {
    const { EventBusId } = (await call('tencent', 'CreateEventBus', { EventBusName: 'escape-log' })) as {
      EventBusId: string;
    };
    const now = Date.now();
    await call('tencent', 'PutEvents', {
      EventBusId,
      EventList: [
        { Source: 'orders.app', Data: '{"n":1}', Type: 'order:created', Subject: 'o-1' },
        { Source: 'billing.app', Data: '{"n":2}', Type: 'bill:paid', Subject: 'b-1' },
      ],
    });
    const window = { EventBusId, StartTime: now - 60_000, EndTime: now + 60_000, Page: 1, Limit: 10 };
    const log = await call('tencent', 'SearchLog', window);
    expect(log.Total).toBe(2);
    expect((log.Results as { Source: string }[]).map((r) => r.Source).sort()).toEqual([
      'billing.app',
      'orders.app',
    ]);
    const tags = await call('tencent', 'DescribeLogTagValue', { ...window, GroupField: 'Source' });
    expect((tags.Results as string[]).sort()).toEqual(['billing.app', 'orders.app']);
  });

  it('a native error keeps its provider code and exits 1', async () => {
    const r = await cli(['call', 'tencent', 'GetEventBus', '--input', '-'], '{"EventBusId":"eb-missing"}');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/ResourceNotFound/);
  });

  it('a misspelled action is a usage error (exit 2) naming the close matches, before any request', async () => {
    const r = await cli(['call', 'tencent', 'ListEventBusses']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('did you mean ListEventBuses');
    const h = await cli(['call', 'huawei', 'ListChanels']);
    expect(h.code).toBe(2);
    expect(h.stderr).toContain('ListChannels');
  });

  it('an input that is not a JSON object is a usage error', async () => {
    const r = await cli(['call', 'tencent', 'ListEventBuses', '--input', '-'], '[1]');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/input: must be a JSON object/);
  });

  it('--input reads a file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'polybus-call-'));
    writeFileSync(join(dir, 'in.json'), '{"Limit": 1}');
    const r = await cli(['call', 'tencent', 'ListEventBuses', '--input', join(dir, 'in.json')]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveProperty('EventBuses');
  });
});

describe('polybus call huawei (operation table, huawei-eventgrid.md Paths)', () => {
  it('CreateChannel, ListChannels and ShowChannel by operation name; {channel_id} comes from the input', async () => {
    const created = await call('huawei', 'CreateChannel', { name: 'escape-channel' });
    const list = await call('huawei', 'ListChannels', { name: 'escape-channel' });
    expect(list).toMatchObject({ total: 1, items: [{ id: created.id, name: 'escape-channel' }] });
    const shown = await call('huawei', 'ShowChannel', { channel_id: created.id });
    expect(shown).toMatchObject({ id: created.id, name: 'escape-channel' });
  });

  it('UpdateSubscriptionTarget --input f.json: the path ids come from the file, the rest is the body; the target keeps its id (EG API reference)', async () => {
    const channel = await call('huawei', 'CreateChannel', { name: 'escape-parts' });
    const target = (url: string) => ({
      name: 'HTTPS',
      provider_type: 'CUSTOM',
      detail: { url },
      transform: { type: 'ORIGINAL' },
    });
    const sub = await call('huawei', 'CreateSubscription', {
      name: 'escape-parts',
      channel_id: channel.id,
      sources: [
        {
          name: 'escape-src',
          provider_type: 'CUSTOM',
          filter: { source: [{ op: 'StringIn', values: ['a'] }] },
        },
      ],
      targets: [target('https://old.example/hook')],
    });
    const targetId = (sub.targets as { id: string }[])[0]!.id;
    const dir = mkdtempSync(join(tmpdir(), 'polybus-call-'));
    const file = join(dir, 'f.json');
    writeFileSync(
      file,
      JSON.stringify({
        subscription_id: sub.id,
        target_id: targetId,
        ...target('https://new.example/hook'),
        retry_times: 2,
      }),
    );
    const r = await cli(['call', 'huawei', 'UpdateSubscriptionTarget', '--input', file]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      id: targetId,
      detail: { url: 'https://new.example/hook' },
      retry_times: 2,
    });
    const shown = await call('huawei', 'ShowSubscription', { subscription_id: sub.id });
    expect(shown.targets).toEqual([{ id: targetId, ...target('https://new.example/hook'), retry_times: 2 }]);

    writeFileSync(
      file,
      JSON.stringify({ subscription_id: sub.id, target_id: 'no-such-target', ...target('x') }),
    );
    const missing = await cli(['call', 'huawei', 'UpdateSubscriptionTarget', '--input', file]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('EG.00014040');

    const quotas = await call('huawei', 'ListQuotas', { type: 'SUBSCRIPTION_TARGET' });
    expect(quotas).toMatchObject({ quotas: { resources: [{ type: 'SUBSCRIPTION_TARGET', quota: 5 }] } });
  });

  it('a path parameter missing from the input is a usage error naming it', async () => {
    const r = await cli(['call', 'huawei', 'ShowChannel']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('channel_id');
  });
});

describe('polybus call aws', () => {
  it('ListEventIntegrations by command name shows an integration CreateEventIntegration made', async () => {
    await call('aws', 'CreateEventIntegration', {
      Name: 'escape-integration',
      EventBridgeBus: 'default',
      EventFilter: { Source: 'aws.partner/example.com/1' },
    });
    const res = await call('aws', 'ListEventIntegrations', {});
    expect((res.EventIntegrations as { Name: string }[]).map((i) => i.Name)).toContain('escape-integration');
  });
});

describe('polybus call aws reaches every command of both SDK clients (issue 26, item 6)', () => {
  it('PutEvents goes to EventBridge and answers with its entries', async () => {
    const res = await call('aws', 'PutEvents', {
      Entries: [{ Source: 'app.orders', DetailType: 'order.created', Detail: '{"id":1}' }],
    });
    expect(res).toMatchObject({ FailedEntryCount: 0, Entries: [{ EventId: expect.any(String) }] });
  });

  it("the tag commands go to the service that owns the ARN: an EventBridge bus's tags by its ARN", async () => {
    const bus = await call('aws', 'CreateEventBus', { Name: 'escape-tags' });
    const arn = String(bus.EventBusArn);
    await call('aws', 'TagResource', { ResourceARN: arn, Tags: [{ Key: 'team', Value: 'orders' }] });
    const tags = await call('aws', 'ListTagsForResource', { ResourceARN: arn });
    expect(tags.Tags).toEqual([{ Key: 'team', Value: 'orders' }]);
  });

  it('an input the SDK cannot serialize is a usage error naming it (exit 2), not a network error', async () => {
    const r = await cli(['call', 'aws', 'ListTagsForResource', '--input', '-'], '{}');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('InvalidArgument');
    expect(r.stderr).not.toContain('Network');
  });

  it('dates and bytes in a native answer print as values, not {} (the output path redacts them)', async () => {
    const { redactValue } = await import('../src/core/runtime/redact.js');
    const when = new Date('2026-01-02T03:04:05.000Z');
    expect(redactValue({ CreationTime: when, Blob: new Uint8Array([104, 105]) })).toEqual({
      CreationTime: '2026-01-02T03:04:05.000Z',
      Blob: 'aGk=',
    });
  });

  it('the action list is every command of both SDK clients, each once', async () => {
    const names = (m: Record<string, unknown>) =>
      Object.keys(m)
        .filter(
          (k) => k.endsWith('Command') && k !== 'Command' && !k.startsWith('$') && typeof m[k] === 'function',
        )
        .map((k) => k.slice(0, -'Command'.length));
    const appIntegrations = names(
      (await import('@aws-sdk/client-appintegrations')) as Record<string, unknown>,
    );
    const eventBridge = names((await import('@aws-sdk/client-eventbridge')) as Record<string, unknown>);
    expect([...AWS_ACTIONS].sort()).toEqual([...new Set([...appIntegrations, ...eventBridge])].sort());
  });
});

describe('polybus/<provider> entries', () => {
  it('openTencentClient signs with the credentials of the environment and sends typed calls', async () => {
    const { client, close } = openTencentClient({ env: emulators.env });
    try {
      const { EventBusId } = await client.createEventBus({ EventBusName: 'escape-typed' });
      const got = await client.getEventBus({ EventBusId });
      expect(got.EventBusName).toBe('escape-typed');
      expect(TENCENT_ACTIONS).toContain('SearchLog');
    } finally {
      await close();
    }
  });

  it('openHuaweiClient: the typed methods and operate() go through the same client', async () => {
    const { client, close } = openHuaweiClient({ env: emulators.env });
    try {
      const ch = await client.createChannel({ name: 'escape-typed-channel' });
      const viaTable = await client.operate('ShowChannel', { channel_id: ch.id });
      expect(viaTable).toMatchObject({ id: ch.id, name: 'escape-typed-channel' });
      expect(HUAWEI_OPERATION_NAMES).toEqual(expect.arrayContaining(['ListChannels', 'OperateSubscription']));
    } finally {
      await close();
    }
  });

  it('openAwsClient: callNative sends an AppIntegrations command by name', async () => {
    const { client, close } = openAwsClient({ env: emulators.env });
    try {
      const out = (await client.callNative('ListEventIntegrations', {})) as { EventIntegrations?: unknown[] };
      expect(Array.isArray(out.EventIntegrations)).toBe(true);
    } finally {
      await close();
    }
  });
});

describe('closeMatches', () => {
  it('suggests by edit distance, nearest first, and nothing for an unrelated word', () => {
    expect(closeMatches('ListRule', TENCENT_ACTIONS)[0]).toBe('ListRules');
    expect(closeMatches('zzzzzzzzzzzz', TENCENT_ACTIONS)).toEqual([]);
  });
});

describe('declared action lists', () => {
  it('every AWS action names a command of the SDK client it is sent with', async () => {
    const appIntegrations = (await import('@aws-sdk/client-appintegrations')) as Record<string, unknown>;
    const eventBridge = (await import('@aws-sdk/client-eventbridge')) as Record<string, unknown>;
    expect(
      AWS_APPINTEGRATIONS_ACTIONS.filter((a) => typeof appIntegrations[`${a}Command`] !== 'function'),
    ).toEqual([]);
    expect(AWS_EVENTBRIDGE_ACTIONS.filter((a) => typeof eventBridge[`${a}Command`] !== 'function')).toEqual(
      [],
    );
  });

  it('every Tencent action has its lowerCamelCase method on TencentClient (seed 001 + official SDK list)', async () => {
    const { TencentClient } = await import('../src/adapters/tencent/public.js');
    const missing = TENCENT_ACTIONS.filter(
      (a) =>
        typeof (TencentClient.prototype as unknown as Record<string, unknown>)[
          a[0]!.toLowerCase() + a.slice(1)
        ] !== 'function',
    );
    expect(missing).toEqual([]);
  });
});
