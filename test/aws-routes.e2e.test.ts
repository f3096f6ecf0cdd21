// Routes on AWS (issue 23), end to end through the built CLI on the emulators: one neutral route
// (prefix on type, suffix on a data field, any across fields, not on an optional data field, a
// function target and an http target, a retry) applied with `polybus apply`, read back with the
// official AWS SDK for JavaScript, planned empty right after, paused and resumed in place, and
// published to: the http target (an API destination on the emulator) gets exactly the matching
// events, and the trace says why. It never asserts on time.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateConnectionCommand,
  DescribeRuleCommand,
  EventBridgeClient,
  ListTargetsByRuleCommand,
} from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AWS_EMULATOR_CREDENTIALS } from '../src/adapters/aws/emulator/index.js';
import { openProviders } from '../src/cli/commands/provision.js';
import { hasChanges, planChanges } from '../src/core/engine/plan/index.js';
import { parseSpec } from '../src/core/spec/load.js';
import { type RunningEmulators, startEmulators } from '../src/testing/all.js';
import { runCli } from './helpers/cli.js';
import { startServer } from './helpers/server.js';

const dir = mkdtempSync(join(tmpdir(), 'polybus-aws-routes-'));
const write = (name: string, text: string) => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};
const LAMBDA = 'arn:aws:lambda:us-east-1:123456789012:function:fulfil';
const ROLE = 'arn:aws:iam::123456789012:role/invoke-api-destinations';

let emu: RunningEmulators;
let receiver: Awaited<ReturnType<typeof startServer>>;
let official: EventBridgeClient;

const specText = (enabled: boolean) => `version: 1
targets:
  - provider: aws
    region: us-east-1
buses:
  - name: shop
integrations:
  - name: eu-orders
    bus: shop
    description: EU orders
    enabled: ${enabled}
    filter:
      - prefix: { type: order. }
      - suffix: { data.sku: -eu }
      - any:
          - exact: { source: shop.web }
          - exact: { data.channel: web }
      - not: { exact: { data.test: "yes" } }
    targets:
      - kind: function
        function: ${LAMBDA}
      - kind: http
        url: ${receiver.url}/hook
        connection: hook-auth
        extensions:
          aws: { RoleArn: "${ROLE}" }
    delivery:
      retry: { maxAttempts: 2 }
`;

beforeAll(async () => {
  emu = await startEmulators();
  receiver = await startServer((_req, _body, res) => res.writeHead(200).end());
  official = new EventBridgeClient({
    region: 'us-east-1',
    endpoint: emu.aws.url,
    credentials: AWS_EMULATOR_CREDENTIALS,
  });
  // The connection holds the authorization; polybus names it and never invents one.
  await official.send(
    new CreateConnectionCommand({
      Name: 'hook-auth',
      AuthorizationType: 'API_KEY',
      AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: 'not-printed' } },
    }),
  );
});
afterAll(async () => {
  official?.destroy();
  await receiver?.close();
  await emu?.close();
  rmSync(dir, { recursive: true, force: true });
});

const planOf = async (text: string) => {
  const spec = parseSpec(text, 'spec.yaml', {});
  const open = await openProviders(['aws'], spec, emu.env);
  try {
    return await planChanges(spec, open.providers);
  } finally {
    await open.close();
  }
};

describe('a neutral route on AWS: an EventBridge rule with targets', () => {
  it('polybus apply makes the rule and targets the official client reads back; plan right after is empty', async () => {
    const applied = await runCli(['apply', '-f', write('on.yaml', specText(true)), '--yes'], emu.env);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(applied.stdout + applied.stderr).not.toContain('not-printed');
    const rule = await official.send(new DescribeRuleCommand({ Name: 'eu-orders', EventBusName: 'shop' }));
    expect(rule.State).toBe('ENABLED');
    expect(rule.Description).toBe('EU orders');
    const notTest = [
      { detail: { test: [{ exists: false }] } },
      { detail: { test: [{ 'anything-but': 'yes' }] } },
    ];
    const pattern = JSON.parse(rule.EventPattern!) as { $or: unknown[] };
    // (source = shop.web or channel = web) and (test absent or not "yes"): four alternatives,
    // each with the type prefix and the sku suffix.
    expect(pattern.$or).toHaveLength(4);
    for (const alt of pattern.$or as Record<string, unknown>[]) {
      expect(alt['detail-type']).toEqual([{ prefix: 'order.' }]);
      expect((alt.detail as Record<string, unknown>).sku).toEqual([{ suffix: '-eu' }]);
      const test = (alt.detail as Record<string, unknown>).test;
      expect(notTest.map((n) => n.detail.test)).toContainEqual(test);
    }
    const targets = (
      await official.send(new ListTargetsByRuleCommand({ Rule: 'eu-orders', EventBusName: 'shop' }))
    ).Targets!;
    expect(targets.map((t) => t.Id)).toEqual(['target-1', 'target-2']);
    expect(targets[0]).toMatchObject({ Arn: LAMBDA, RetryPolicy: { MaximumRetryAttempts: 2 } });
    expect(targets[1]!.Arn).toMatch(/^arn:aws:events:us-east-1:123456789012:api-destination\/polybus-/);
    expect(targets[1]).toMatchObject({ RoleArn: ROLE, RetryPolicy: { MaximumRetryAttempts: 2 } });
    const plan = await planOf(specText(true));
    expect(hasChanges(plan), JSON.stringify(plan.items.filter((i) => i.action !== 'noop'))).toBe(false);
  }, 60_000);

  it('enabled: false then true flips the rule State in place (DisableRule / EnableRule, no new rule)', async () => {
    const before = emu.aws.received.length;
    expect((await runCli(['apply', '-f', write('off.yaml', specText(false)), '--yes'], emu.env)).code).toBe(
      0,
    );
    const off = await official.send(new DescribeRuleCommand({ Name: 'eu-orders', EventBusName: 'shop' }));
    expect(off.State).toBe('DISABLED');
    expect((await runCli(['apply', '-f', write('on2.yaml', specText(true)), '--yes'], emu.env)).code).toBe(0);
    const on = await official.send(new DescribeRuleCommand({ Name: 'eu-orders', EventBusName: 'shop' }));
    expect(on.State).toBe('ENABLED');
    const ops = emu.aws.received.slice(before).map((r) => r.operation);
    expect(ops).toContain('DisableRule');
    expect(ops).toContain('EnableRule');
    expect(ops).not.toContain('PutRule');
    expect(ops).not.toContain('DeleteRule');
  }, 60_000);

  it('publish: the API destination gets exactly the matching events, and trace says why', async () => {
    const ce = (id: string, type: string, data: Record<string, unknown>, source = 'shop.app') => ({
      specversion: '1.0',
      id,
      source,
      type,
      datacontenttype: 'application/json',
      data,
    });
    const events = [
      ce('m-web', 'order.created', { sku: 'a-eu' }, 'shop.web'), // source web: matches
      ce('m-channel', 'order.paid', { sku: 'b-eu', channel: 'web', test: 'no' }), // channel web: matches
      ce('n-test', 'order.created', { sku: 'c-eu', channel: 'web', test: 'yes' }), // a test order: not
      ce('n-sku', 'order.created', { sku: 'c-us' }, 'shop.web'), // sku suffix fails: not
      ce('n-type', 'invoice.created', { sku: 'c-eu' }, 'shop.web'), // type prefix fails: not
    ];
    const input = write('events.ndjson', events.map((e) => JSON.stringify(e)).join('\n'));
    const r = await runCli(['publish', '--provider', 'aws', '--bus', 'shop', input, '--trace'], emu.env);
    expect(r.code, r.stderr).toBe(0);
    await emu.aws.delivery.settle();
    const delivered = receiver.requests.map((q) => JSON.parse(q.body) as { detail: { sku: string } });
    expect(delivered.map((d) => d.detail.sku).sort()).toEqual(['a-eu', 'b-eu']);
    const blocks = r.stdout.split(/\n(?=trace )/).filter((b) => b.startsWith('trace '));
    expect(blocks).toHaveLength(5);
    expect(blocks[0]).toMatch(/matched +eu-orders/);
    expect(blocks[0]).toContain(`${receiver.url}/hook`);
    expect(blocks[2]).toMatch(/not matched eu-orders/);
    expect(blocks[2]).toContain('detail.test');
    expect(blocks[3]).toContain('detail.sku');
    expect(blocks[4]).toContain('detail-type');
  }, 60_000);
});
