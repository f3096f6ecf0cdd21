// The AWS routing cells of the capability matrix, each held to what it declares (the contract
// suite's rule, for routing): every cell that claims support (native, partial, emulated) is
// exercised through the guarded provider on the emulator, and the route reads back with the same
// filter; every unsupported cell throws the normalized Unsupported error before any request.
import { CreateConnectionCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCapabilities } from '../src/adapters/aws/capabilities.js';
import { AWS_EMULATOR_CREDENTIALS, AwsEmulator } from '../src/adapters/aws/emulator/index.js';
import type { EventProvider } from '../src/core/contract/provider.js';
import { type Cell, isCallable } from '../src/core/model/capabilities.js';
import { serializeFilter, type Filter } from '../src/core/model/filter.js';
import { resolveProvider } from '../src/core/runtime/container.js';
import { createPolybus } from '../src/sdk/create.js';

const LAMBDA = 'arn:aws:lambda:us-east-1:123456789012:function:f';
const fn = { kind: 'function', function: LAMBDA };
const ROLE = 'arn:aws:iam::123456789012:role/invoke';

/** A route using exactly the feature of each routing cell. */
const ROUTES: Record<string, Record<string, unknown>> = {
  'filter.exact.context': { filter: { exact: { source: 'shop' } } },
  'filter.exact.data': { filter: { exact: { 'data.region': 'eu' } } },
  'filter.prefix.context': { filter: { prefix: { type: 'order.' } } },
  'filter.prefix.data': { filter: { prefix: { 'data.sku': 'a-' } } },
  'filter.suffix.context': { filter: { suffix: { subject: '/eu' } } },
  'filter.suffix.data': { filter: { suffix: { 'data.sku': '-eu' } } },
  'filter.all.context': { filter: { all: [{ exact: { source: 'shop' } }, { prefix: { type: 'order.' } }] } },
  'filter.all.data': { filter: { all: [{ exact: { 'data.a': 'x' } }, { suffix: { 'data.b': 'y' } }] } },
  'filter.any.context': { filter: { any: [{ exact: { source: 'shop' } }, { prefix: { type: 'order.' } }] } },
  'filter.any.data': { filter: { any: [{ exact: { 'data.a': 'x' } }, { exact: { 'data.b': 'y' } }] } },
  'filter.not.context': { filter: { not: { exact: { type: 'order.test' } } } },
  'filter.not.data': {
    filter: { all: [{ exact: { source: 's' } }, { not: { exact: { 'data.test': 'yes' } } }] },
  },
  'filter.native': {
    filter: undefined,
    extensions: { aws: { EventPattern: { detail: { total: [{ numeric: ['>', 100] }] } } } },
  },
  'target.http': {
    targets: [
      {
        kind: 'http',
        url: 'https://example.com/hook',
        connection: 'cells',
        extensions: { aws: { RoleArn: ROLE } },
      },
    ],
  },
  'target.function': { targets: [fn] },
  'target.log': { targets: [{ kind: 'log', log: 'arn:aws:logs:us-east-1:123456789012:log-group:/x' }] },
  'target.kafka': { targets: [{ kind: 'kafka', connection: 'c', topic: 't' }] },
  'delivery.retry': { delivery: { retry: { maxAttempts: 3 } } },
  'delivery.deadLetter': {
    targets: [
      { ...fn, extensions: { aws: { DeadLetterConfig: { Arn: 'arn:aws:sqs:us-east-1:123456789012:dlq' } } } },
    ],
  },
  'delivery.transform': { targets: [{ ...fn, transform: { kind: 'path', path: '$.data' } }] },
};

let emu: AwsEmulator;
let provider: EventProvider;
beforeAll(async () => {
  emu = await AwsEmulator.start();
  provider = await resolveProvider(
    createPolybus({
      env: {},
      providers: { aws: { endpoint: emu.url, region: 'us-east-1' } },
      credentials: { aws: async () => AWS_EMULATOR_CREDENTIALS },
    }),
    'aws',
  );
  const official = new EventBridgeClient({
    region: 'us-east-1',
    endpoint: emu.url,
    credentials: AWS_EMULATOR_CREDENTIALS,
  });
  await official.send(
    new CreateConnectionCommand({
      Name: 'cells',
      AuthorizationType: 'BASIC',
      AuthParameters: { BasicAuthParameters: { Username: 'u', Password: 'p' } },
    }),
  );
  official.destroy();
});
afterAll(async () => {
  await provider.close();
  await emu.close();
});

const total = () => [...emu.requestCounts.values()].reduce((a, b) => a + b, 0);

describe('aws routing cells are honoured as declared', () => {
  it('every routing cell has a route here', () => {
    expect(Object.keys(awsCapabilities.routing ?? {}).sort()).toEqual(Object.keys(ROUTES).sort());
  });
  let n = 0;
  for (const [key, route] of Object.entries(ROUTES)) {
    const cell = (awsCapabilities.routing as Record<string, Cell>)[key]!;
    it(`${key} (${cell.support})`, async () => {
      const input = {
        name: `cell-${++n}`,
        bus: 'default',
        filter: { prefix: { type: 'order.' } },
        targets: [fn],
        ...route,
      };
      if (!isCallable(cell)) {
        const before = total();
        const err = (await provider.integrations.create(input as never).catch((e: unknown) => e)) as {
          code: string;
        };
        expect(err.code).toBe('Unsupported');
        expect(total()).toBe(before);
        return;
      }
      const made = await provider.integrations.create(input as never);
      const got = await provider.integrations.get(made.id);
      if (input.filter) expect(serializeFilter(got.filter!)).toBe(serializeFilter(input.filter as Filter));
      else expect(got.extensions?.aws?.EventPattern).toBeDefined();
      expect(got.targets).toHaveLength((input.targets as unknown[]).length);
      expect(got.targets![0]!.kind).toBe((input.targets as { kind: string }[])[0]!.kind);
      if (key === 'delivery.retry') expect(got.delivery).toEqual({ retry: { maxAttempts: 3 } });
      if (key === 'delivery.transform')
        expect(got.targets![0]!.transform).toEqual({ kind: 'path', path: '$.data' });
      await provider.integrations.delete(made.id);
    });
  }
  it('delivery.deadLetter (partial): the neutral Kafka dead letter is Unsupported, before any request', async () => {
    const before = total();
    const err = (await provider.integrations
      .create({
        name: 'dl-kafka',
        bus: 'default',
        filter: { exact: { source: 's' } },
        targets: [fn],
        delivery: { deadLetter: { kind: 'kafka', connection: 'c', topic: 't' } },
      } as never)
      .catch((e: unknown) => e)) as { code: string; message: string };
    expect(err.code).toBe('Unsupported');
    expect(err.message).toContain('DeadLetterConfig is an SQS queue');
    expect(total()).toBe(before);
  });
});
