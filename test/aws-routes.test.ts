// Routes on AWS through the adapter (issue 23), against the AWS emulator: bad input is refused
// before any request with the field and AWS's documented rule; every PutRule / PutTargets field
// polybus models is sent, read back and diffed (the table below, as test/targets.test.ts does for
// the other providers); a target entry that fails alone (HTTP 200) is reported as that entry's
// failure; a rule another service manages is never changed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AWS_EMULATOR_CREDENTIALS, AwsEmulator } from '../src/adapters/aws/emulator/index.js';
import { createAwsProvider } from '../src/adapters/aws/index.js';
import type { EventProvider } from '../src/core/contract/provider.js';
import { Transport } from '../src/core/runtime/transport.js';
import { VirtualClock } from './helpers/clock.js';

const LAMBDA = (n: string) => `arn:aws:lambda:us-east-1:123456789012:function:${n}`;
const LOGS = 'arn:aws:logs:us-east-1:123456789012:log-group:/orders';
const DLQ = 'arn:aws:sqs:us-east-1:123456789012:orders-dlq';

let emu: AwsEmulator;
let transport: Transport;
let provider: EventProvider;
beforeAll(async () => {
  emu = await AwsEmulator.start();
  transport = new Transport({ clock: new VirtualClock(), retry: { maxAttempts: 2 } });
  provider = createAwsProvider({
    transport,
    endpoint: emu.url,
    region: 'us-east-1',
    credentials: async () => AWS_EMULATOR_CREDENTIALS,
    env: {},
  });
  await provider.buses.create({ name: 'orders' });
});
afterAll(async () => {
  provider.close();
  await transport.close();
  await emu.close();
});

const total = () => [...emu.requestCounts.values()].reduce((a, b) => a + b, 0);
const route = (extra: Record<string, unknown> = {}) => ({
  name: 'r1',
  bus: 'orders',
  filter: { prefix: { type: 'order.' } },
  targets: [{ kind: 'function', function: LAMBDA('f') }],
  ...extra,
});

describe('bad input is refused before any request, naming the field and the rule', () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    [
      'a sixth target',
      route({ targets: [1, 2, 3, 4, 5, 6].map((i) => ({ kind: 'function', function: LAMBDA(`f${i}`) })) }),
      /at most 5 targets per rule/,
    ],
    ['a rule name outside [\\.\\-_A-Za-z0-9]{1,64}', route({ name: 'bad name!' }), /PutRule Name/],
    [
      'a target id outside the pattern',
      route({ targets: [{ kind: 'function', function: LAMBDA('f'), name: 'bad id!' }] }),
      /target Id: 1-64 characters/,
    ],
    ['retry.maxAttempts over 185', route({ delivery: { retry: { maxAttempts: 186 } } }), /0-185/],
    [
      'a native pattern with an unknown operator',
      route({ filter: undefined, extensions: { aws: { EventPattern: { source: [{ startswith: 'a' }] } } } }),
      /unknown operator `startswith`/,
    ],
    [
      'a kafka target',
      route({ targets: [{ kind: 'kafka', connection: 'c', topic: 't' }] }),
      /no Kafka target/,
    ],
    [
      'an http target without its connection',
      route({
        targets: [
          {
            kind: 'http',
            url: 'https://example.com/h',
            extensions: { aws: { RoleArn: 'arn:aws:iam::123456789012:role/r' } },
          },
        ],
      }),
      /needs input: connection/,
    ],
    [
      'an http target without the role that invokes API destinations',
      route({ targets: [{ kind: 'http', url: 'https://example.com/h', connection: 'c' }] }),
      /needs input: extensions\.aws\.RoleArn/,
    ],
    [
      'a filter on the CloudEvents id',
      route({ filter: { exact: { id: 'x' } } }),
      /`id` has no place in an EventBridge event/,
    ],
  ];
  for (const [name, input, rule] of cases)
    it(name, async () => {
      const before = total();
      const problems = provider.validateInput!('integration', input).map((i) => `${i.field}: ${i.rule}`);
      const routing = provider.routingProblems!(input).map((p) => `${p.field}: ${p.rule}`);
      const err = (await provider.integrations.create(input as never).catch((e: unknown) => e)) as Error;
      expect([...problems, ...routing].join('\n') + '\n' + err.message).toMatch(rule);
      expect(err).toBeInstanceOf(Error);
      expect(total()).toBe(before);
    });
});

describe('every modeled argument of aws_cloudwatch_event_rule / aws_cloudwatch_event_target is sent, read back and diffed', () => {
  // [terraform argument, neutral field that carries it, native field, value written, value after update]
  const created = {
    name: 'table',
    bus: 'orders',
    description: 'first',
    tags: { team: 'a' },
    enabled: true,
    filter: { all: [{ prefix: { type: 'order.' } }, { not: { exact: { 'data.test': 'yes' } } }] },
    targets: [
      {
        kind: 'function',
        name: 'fn',
        function: LAMBDA('f'),
        transform: { kind: 'path', path: '$.data' },
        extensions: { aws: { MaximumEventAgeInSeconds: 600, DeadLetterConfig: { Arn: DLQ } } },
      },
      {
        kind: 'log',
        log: LOGS,
        transform: { kind: 'template', template: 'order ${id}', variables: { id: '$.data.id' } },
      },
    ],
    delivery: { retry: { maxAttempts: 4 } },
  };
  it('create sends each field; get reads each back as written', async () => {
    const i = await provider.integrations.create(created as never);
    const rule = emu.rules.get('orders/table')!;
    // aws_cloudwatch_event_rule: name, event_bus_name, description, event_pattern, state, tags
    expect(rule).toMatchObject({
      Name: 'table',
      EventBusName: 'orders',
      Description: 'first',
      State: 'ENABLED',
      Tags: { team: 'a' },
    });
    expect(JSON.parse(rule.EventPattern!)).toEqual({
      $or: [
        { 'detail-type': [{ prefix: 'order.' }], detail: { test: [{ exists: false }] } },
        { 'detail-type': [{ prefix: 'order.' }], detail: { test: [{ 'anything-but': 'yes' }] } },
      ],
    });
    // aws_cloudwatch_event_target: target_id, arn, input_path, input_transformer, retry_policy, dead_letter_config
    expect(rule.Targets).toEqual([
      {
        Id: 'fn',
        Arn: LAMBDA('f'),
        InputPath: '$.detail',
        RetryPolicy: { MaximumRetryAttempts: 4, MaximumEventAgeInSeconds: 600 },
        DeadLetterConfig: { Arn: DLQ },
      },
      {
        Id: 'target-2',
        Arn: LOGS,
        InputTransformer: { InputPathsMap: { id: '$.detail.id' }, InputTemplate: 'order <id>' },
        RetryPolicy: { MaximumRetryAttempts: 4 },
      },
    ]);
    expect(i).toMatchObject({
      id: 'orders:table',
      description: 'first',
      tags: { team: 'a' },
      enabled: true,
      targets: created.targets,
      delivery: created.delivery,
    });
    expect(i.filter).toEqual({
      all: [{ not: { exact: { 'data.test': 'yes' } } }, { prefix: { type: 'order.' } }],
    });
  });

  it('update changes each field in place: PutRule for pattern and description, targets by Id, tags by tag calls', async () => {
    const before = new Map(emu.requestCounts);
    const i = await provider.integrations.update('orders:table', <never>{
      description: 'second',
      tags: { team: 'b' },
      filter: { prefix: { type: 'invoice.' } },
      targets: [created.targets[0], { kind: 'function', name: 'fn2', function: LAMBDA('g') }] as never,
      delivery: { retry: { maxAttempts: 0 } },
    });
    const rule = emu.rules.get('orders/table')!;
    expect(rule.Description).toBe('second');
    expect(rule.Tags).toEqual({ team: 'b' });
    expect(JSON.parse(rule.EventPattern!)).toEqual({ 'detail-type': [{ prefix: 'invoice.' }] });
    expect(
      rule.Targets.map((t) => [
        t.Id,
        (t.RetryPolicy as { MaximumRetryAttempts: number }).MaximumRetryAttempts,
      ]),
    ).toEqual([
      ['fn', 0],
      ['fn2', 0],
    ]);
    const sent = (op: string) => (emu.requestCounts.get(op) ?? 0) - (before.get(op) ?? 0);
    expect(sent('PutRule')).toBe(1);
    expect(sent('RemoveTargets')).toBe(1);
    expect(sent('PutTargets')).toBe(1);
    expect(sent('DeleteRule')).toBe(0);
    expect(i).toMatchObject({
      description: 'second',
      tags: { team: 'b' },
      delivery: { retry: { maxAttempts: 0 } },
    });
  });

  it('a target entry that fails alone is reported as that entry; a managed rule is never changed', async () => {
    emu.failingTargets.add('bad');
    const err = (await provider.integrations
      .update('orders:table', { targets: [{ kind: 'function', name: 'bad', function: LAMBDA('h') }] })
      .catch((e: unknown) => e)) as { code: string; message: string };
    emu.failingTargets.clear();
    expect(err.code).toBe('Conflict');
    expect(err.message).toContain('PutTargets failed for 1 target(s): bad (InternalException');
    emu.addManagedRule('orders', 'managed', 'app-integrations.amazonaws.com', { source: ['aws.partner/x'] });
    const listed = [];
    for await (const x of provider.integrations.list({ bus: 'orders' })) listed.push(x.id);
    expect(listed).not.toContain('orders:managed');
    const refused = (await provider.integrations.delete('orders:managed').catch((e: unknown) => e)) as {
      code: string;
    };
    expect(refused.code).toBe('PermissionDenied');
    expect(emu.rules.has('orders/managed')).toBe(true);
  });

  it('delete removes the targets before DeleteRule', async () => {
    await provider.integrations.delete('orders:table');
    expect(emu.rules.has('orders/table')).toBe(false);
    const ops = emu.received.map((r) => r.operation);
    expect(ops.lastIndexOf('RemoveTargets')).toBeLessThan(ops.lastIndexOf('DeleteRule'));
  });
});
