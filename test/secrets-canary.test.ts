// Secrets canary: every CLI command and error path, and the library's errors, hooks and outputs,
// run with canary credentials for all three providers and canary passwords in a spec through
// `${env:...}`; no canary may appear anywhere a person or a log can see. Loopback emulators only.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsEmulator } from '../src/adapters/aws/emulator/index.js';
import {
  AZURE_EMULATOR_CLIENT,
  AZURE_EMULATOR_RESOURCE_GROUP,
  AZURE_EMULATOR_SUBSCRIPTION,
  AzureEmulator,
} from '../src/adapters/azure/emulator/index.js';
import { HUAWEI_EMULATOR_PROJECT, HuaweiEmulator } from '../src/adapters/huawei/emulator/index.js';
import { TencentEmulator } from '../src/adapters/tencent/emulator/index.js';
import { resolveProvider } from '../src/core/runtime/container.js';
import { isPolybusError } from '../src/core/model/errors.js';
import { exportSpec, translateSpec } from '../src/core/engine/migrate.js';
import { applyPlan } from '../src/core/engine/apply.js';
import { planChanges } from '../src/core/engine/plan/index.js';
import type { EventProvider } from '../src/core/contract/provider.js';
import { parseSpec } from '../src/core/spec/load.js';
import { createPolybus } from '../src/sdk/create.js';
import { runCli } from './helpers/cli.js';

/** Canary values: alphanumeric, so URL, JSON and header encodings leave them unchanged. */
const CANARY = {
  tencentKey: 'CANARYtencentSecretKey7f3a91',
  tencentToken: 'CANARYtencentSessionToken3c',
  huaweiPassword: 'CANARYhuaweiPassword91bc',
  huaweiToken: 'CANARYhuaweiAuthToken55de',
  awsSecret: 'CANARYawsSecretAccessKey0311',
  awsToken: 'CANARYawsSessionToken88aa',
  kafkaPassword: 'CANARYkafkaPassword42ff',
  connectionPassword: 'CANARYconnectionPassword77',
};
const FORMS = Object.values(CANARY).flatMap((c) => [c, Buffer.from(c).toString('base64')]);

/** Every canary form found in `text`, with where it was seen. */
const leaks = (where: string, text: string) =>
  FORMS.filter((c) => text.includes(c)).map((c) => `${where}: ${c}`);

const dir = mkdtempSync(join(tmpdir(), 'polybus-canary-'));
const SPEC = `version: 1
targets:
  - provider: tencent
  - provider: huawei
  - provider: aws
buses:
  - name: canary-orders
    description: canary bus
    providers: [tencent, huawei]
  - name: canary-aws
    providers: [aws]
connections:
  - name: canary-kafka
    bus: canary-orders
    kind: kafka
    providers: [huawei]
    network: { vpcId: vpc-canary, subnetId: subnet-canary }
    kafka:
      instanceId: kafka-canary
      address: 10.0.0.1:9093
      saslSsl: true
      username: canary-user
      password: \${env:CANARY_KAFKA_PASSWORD}
  - name: canary-kafka-2
    bus: canary-orders
    kind: kafka
    providers: [huawei]
    network: { vpcId: vpc-canary, subnetId: subnet-canary }
    kafka:
      instanceId: kafka-canary-2
      address: 10.0.0.2:9093
      saslSsl: true
      username: canary-user
      password: \${env:CANARY_CONNECTION_PASSWORD}
integrations:
  - name: canary-rule
    bus: canary-orders
    filter: { source: canary.app }
    providers: [tencent]
  - name: canary-int
    bus: canary-aws
    filter: { source: aws.partner/canary.example.com/x }
    providers: [aws]
`;

describe('secrets canary: no credential or password is ever shown', () => {
  let good: { tencent: TencentEmulator; huawei: HuaweiEmulator; aws: AwsEmulator };
  let bad: { tencent: TencentEmulator; huawei: HuaweiEmulator; aws: AwsEmulator };
  let goodEnv: Record<string, string>;
  let badEnv: Record<string, string>;
  let tokenEnv: Record<string, string>;
  const found: string[] = [];

  const envFor = (e: typeof good): Record<string, string> => ({
    POLYBUS_TENCENT_ENDPOINT: e.tencent.url,
    TENCENTCLOUD_SECRET_ID: 'AKIDcanary0000000000000000000000000',
    TENCENTCLOUD_SECRET_KEY: CANARY.tencentKey,
    TENCENTCLOUD_SESSION_TOKEN: CANARY.tencentToken,
    TENCENTCLOUD_REGION: 'ap-guangzhou',
    POLYBUS_HUAWEI_ENDPOINT: e.huawei.url,
    POLYBUS_HUAWEI_IAM_ENDPOINT: e.huawei.url,
    HUAWEICLOUD_PROJECT_ID: HUAWEI_EMULATOR_PROJECT,
    HUAWEICLOUD_REGION: 'cn-north-4',
    HUAWEICLOUD_USERNAME: 'canary-user',
    HUAWEICLOUD_PASSWORD: CANARY.huaweiPassword,
    HUAWEICLOUD_DOMAIN_NAME: 'canary-domain',
    POLYBUS_AWS_ENDPOINT: e.aws.url,
    AWS_ACCESS_KEY_ID: 'ASIACANARY0000000000',
    AWS_SECRET_ACCESS_KEY: CANARY.awsSecret,
    AWS_SESSION_TOKEN: CANARY.awsToken,
    AWS_REGION: 'us-east-1',
    CANARY_KAFKA_PASSWORD: CANARY.kafkaPassword,
    CANARY_CONNECTION_PASSWORD: CANARY.connectionPassword,
  });

  beforeAll(async () => {
    good = {
      tencent: await TencentEmulator.start({
        credentials: [
          {
            secretId: 'AKIDcanary0000000000000000000000000',
            secretKey: CANARY.tencentKey,
            token: CANARY.tencentToken,
          },
        ],
      }),
      huawei: await HuaweiEmulator.start({
        users: [{ username: 'canary-user', password: CANARY.huaweiPassword, domainName: 'canary-domain' }],
        staticTokens: [CANARY.huaweiToken],
        connectionReadyMs: 0,
      }),
      aws: await AwsEmulator.start({
        credentials: [
          {
            accessKeyId: 'ASIACANARY0000000000',
            secretAccessKey: CANARY.awsSecret,
            sessionToken: CANARY.awsToken,
          },
        ],
      }),
    };
    // Emulators that know none of the canaries: every call is an authentication failure.
    bad = {
      tencent: await TencentEmulator.start(),
      huawei: await HuaweiEmulator.start(),
      aws: await AwsEmulator.start(),
    };
    goodEnv = envFor(good);
    badEnv = envFor(bad);
    const {
      HUAWEICLOUD_USERNAME: _u,
      HUAWEICLOUD_PASSWORD: _p,
      HUAWEICLOUD_DOMAIN_NAME: _d,
      ...rest
    } = goodEnv;
    tokenEnv = { ...rest, HUAWEICLOUD_AUTH_TOKEN: CANARY.huaweiToken };
  });
  afterAll(async () => {
    await Promise.all([...Object.values(good), ...Object.values(bad)].map((e) => e.close()));
  });

  it('library: errors (message, toJSON, util.inspect with causes), hook events, plan, apply, export and migrate', async () => {
    const events: unknown[] = [];
    const observer = {
      onRequest: (e: unknown) => events.push(e),
      onResponse: (e: unknown) => events.push(e),
      onRetry: (e: unknown) => events.push(e),
    };
    const spec = parseSpec(SPEC, 'canary.yaml', goodEnv);
    const applied: string[] = [];
    const seeErr = (where: string, err: unknown) => {
      expect(isPolybusError(err), `${where}: ${String(err)}`).toBe(true);
      found.push(
        ...leaks(`${where} message`, (err as Error).message),
        ...leaks(`${where} toJSON`, JSON.stringify(err)),
        ...leaks(`${where} inspect`, inspect(err, { depth: 20, showHidden: true })),
        ...leaks(`${where} stack`, String((err as Error).stack)),
      );
    };
    for (const env of [goodEnv, tokenEnv, badEnv]) {
      const container = createPolybus({
        env,
        transportOptions: { observers: [observer], retry: { maxAttempts: 2, baseDelayMs: 1 } },
      });
      const providers: Record<string, EventProvider> = {};
      for (const p of ['tencent', 'huawei', 'aws']) providers[p] = await resolveProvider(container, p);
      const applyEvents: unknown[] = [];
      try {
        const plan = await planChanges(spec, providers);
        found.push(
          ...leaks('plan', JSON.stringify(plan)),
          ...leaks('plan inspect', inspect(plan, { depth: 20 })),
        );
        const outcomes = await applyPlan(plan, providers, { onEvent: (e) => applyEvents.push(e) });
        found.push(...leaks('apply outcomes', inspect(outcomes, { depth: 20 })));
        if (env === goodEnv)
          applied.push(
            ...outcomes.filter((o) => o.status === 'ok').map((o) => `${o.provider} ${o.kind} ${o.name}`),
          );
        for (const o of outcomes)
          if (o.error) found.push(...leaks('apply outcome error', JSON.stringify(o.error)));
        for (const [name, p] of Object.entries(providers)) {
          const exported = await exportSpec(p);
          found.push(...leaks(`export ${name}`, JSON.stringify(exported)));
          const migration = translateSpec(exported, name, providers[name === 'aws' ? 'huawei' : 'aws']!);
          found.push(...leaks(`migrate ${name}`, inspect(migration, { depth: 20 })));
        }
      } catch (err) {
        seeErr(env === badEnv ? 'bad credentials' : 'plan/apply', err);
      }
      for (const [name, p] of Object.entries(providers)) {
        for (const call of [
          () => p.buses.get('missing-canary'),
          () => p.integrations.get(name === 'tencent' ? 'eb-missing/rule-missing' : 'missing-canary'),
          () =>
            p.connections.create({
              name: 'c',
              kind: 'kafka',
              kafka: { instanceId: 'i', address: 'a', saslSsl: true, password: CANARY.kafkaPassword },
            } as never),
          () => p.buses.create({ name: '' }),
        ])
          await call().then(
            (v) => found.push(...leaks(`${name} result`, inspect(v, { depth: 20 }))),
            (err: unknown) => seeErr(`${name} call`, err),
          );
      }
      found.push(...leaks('apply events', inspect(applyEvents, { depth: 20 })));
      await Promise.all(Object.values(providers).map((p) => p.close()));
    }
    found.push(
      ...leaks('hook events', JSON.stringify(events)),
      ...leaks('hook events inspect', inspect(events, { depth: 20 })),
    );
    // The canary credentials were accepted: the spec, Kafka passwords included, was applied.
    expect(applied).toEqual(
      expect.arrayContaining([
        'huawei connection canary-kafka',
        'huawei connection canary-kafka-2',
        'aws integration canary-int',
        'tencent integration canary-rule',
      ]),
    );
    expect(events.length).toBeGreaterThan(20);
    expect(JSON.stringify(events)).toContain('[REDACTED]');
    expect(found).toEqual([]);
  }, 60_000);

  it('CLI: every command and error path, with and without --json; generated files too', async () => {
    const spec = join(dir, 'canary.yaml');
    writeFileSync(spec, SPEC);
    const input = join(dir, 'kafka-input.yaml');
    writeFileSync(
      input,
      `name: canary-kafka-cli\nkind: kafka\nbus: missing\nnetwork: { vpcId: v, subnetId: s }\nkafka: { instanceId: i, address: a, saslSsl: true, password: ${CANARY.kafkaPassword} }\n`,
    );
    const out = (name: string) => join(dir, 'out', name);
    mkdirSync(join(dir, 'out'), { recursive: true });
    const unreachable = {
      ...goodEnv,
      POLYBUS_TENCENT_ENDPOINT: 'http://127.0.0.1:9',
      POLYBUS_HUAWEI_ENDPOINT: 'http://127.0.0.1:9',
      POLYBUS_HUAWEI_IAM_ENDPOINT: 'http://127.0.0.1:9',
      POLYBUS_AWS_ENDPOINT: 'http://127.0.0.1:9',
    };
    const perProvider = (p: string): string[][] => [
      ['buses', 'list', '-p', p],
      ['buses', 'create', '-p', p, '--name', `canary-cli-${p}`, '--tag', 'team=canary'],
      ['buses', 'get', '-p', p, '--id', p === 'tencent' ? 'eb-missing' : 'missing-canary'],
      ['buses', 'update', '-p', p, '--id', p === 'tencent' ? 'eb-missing' : 'missing-canary', '--tag', 'a=b'],
      ['buses', 'delete', '-p', p, '--id', p === 'tencent' ? 'eb-missing' : 'missing-canary'],
      ['integrations', 'list', '-p', p],
      ['integrations', 'create', '-p', p, '--name', 'canary-i', '--bus', 'missing', '--source', 's'],
      ['connections', 'list', '-p', p],
      ['connections', 'create', '-p', p, '--input', input],
      ['sources', 'list', '-p', p],
      ['sources', 'get', '-p', p, '--id', 'missing-canary'],
      ['export', '-p', p],
      ['export', '-p', p, '--format', 'json', '-o', out(`export-${p}.json`)],
    ];
    const commands: string[][] = [
      ['capabilities'],
      ['capabilities', '--format', 'markdown'],
      ['schema'],
      ['emulate', '--once'],
      ['demo'],
      ['plan', '-f', spec],
      ['plan', '-f', spec, '--detailed-exitcode'],
      ['apply', '-f', spec, '-y'],
      ['apply', '-f', spec, '-y', '--prune'],
      ['apply', '-f', spec],
      ['migrate', '--from', 'tencent', '--to', 'aws', '-f', spec, '-o', out('migrated.yaml')],
      ['migrate', '--from', 'huawei', '--to', 'tencent', '-o', out('migrated-live.yaml')],
      ['migrate', '--from', 'aws', '--to', 'huawei', '-f', spec, '--apply', '-y'],
      ['destroy', '-f', spec, '-y'],
      ['buses', 'list', '-p', 'nope'],
      ['plan', '-f', join(dir, 'missing.yaml')],
    ];
    const lifecycle = (p: string) => [
      ['buses', 'list', '-p', p],
      ['export', '-p', p],
      ['plan', '-f', spec],
    ];
    // Each command once per environment, alternating text and --json (and the other way round in the next).
    const envs: [string, Record<string, string>, string[][]][] = [
      ['good', goodEnv, commands],
      ...['tencent', 'huawei', 'aws'].map((p): [string, Record<string, string>, string[][]] => [
        'good',
        goodEnv,
        perProvider(p),
      ]),
      [
        'bad credentials',
        badEnv,
        [
          ['plan', '-f', spec],
          ['apply', '-f', spec, '-y'],
          ['destroy', '-f', spec, '-y'],
          ['migrate', '--from', 'huawei', '--to', 'aws', '-o', out('bad-migrated.yaml')],
          ...['tencent', 'huawei', 'aws'].flatMap((p) =>
            perProvider(p).filter((_, i) => [0, 1, 2, 8, 11].includes(i)),
          ),
        ],
      ],
      [
        'huawei token',
        tokenEnv,
        [...perProvider('huawei'), ['apply', '-f', spec, '-y'], ['destroy', '-f', spec, '-y']],
      ],
      [
        'unreachable',
        unreachable,
        [...['tencent', 'huawei', 'aws'].flatMap(lifecycle), ['apply', '-f', spec, '-y']],
      ],
      // A spec variable that is not set: the error names the variable, never another's value.
      [
        'unset spec variable',
        Object.fromEntries(Object.entries(goodEnv).filter(([k]) => k !== 'CANARY_KAFKA_PASSWORD')),
        [
          ['plan', '-f', spec],
          ['apply', '-f', spec, '-y'],
        ],
      ],
    ];
    const chains = envs.map(([label, env, list], e) =>
      list.map((args, i) => ({ label, env, args: (i + e) % 2 ? [...args, '--json'] : args })),
    );
    const codes = new Set<number>();
    const seen = new Map<string, { code: number; stdout: string; stderr: string }>();
    // Sequential per environment (apply before destroy), a few environments at a time.
    // Each chain in order (apply before destroy); four chains at a time (the machine is shared).
    const queue = [...chains];
    await Promise.all(
      [0, 1, 2, 3].map(async () => {
        for (let chain = queue.shift(); chain; chain = queue.shift()) {
          for (const r of chain) {
            const res = await runCli(r.args, r.env);
            codes.add(res.code);
            seen.set(`${r.label}: ${r.args.filter((a) => a !== '--json').join(' ')}`, res);
            found.push(...leaks(`${r.label}: ${r.args.join(' ')}`, res.stdout + res.stderr));
          }
        }
      }),
    );
    for (const f of readdirSync(join(dir, 'out')))
      found.push(...leaks(`file ${f}`, readFileSync(join(dir, 'out', f), 'utf8')));
    // The paths ran as intended: canaries accepted, refused, unreachable, unset.
    const text = (key: string) => {
      const r = seen.get(key);
      return r ? `${r.code} ${r.stdout} ${r.stderr}` : 'not run';
    };
    expect(seen.get(`good: apply -f ${spec} -y`)?.code).toBe(0);
    expect(text('bad credentials: buses list -p aws')).toContain('AuthenticationFailed');
    expect(text('bad credentials: buses list -p huawei')).toContain('AuthenticationFailed');
    expect(text('bad credentials: buses list -p tencent')).toContain('AuthenticationFailed');
    expect(text('huawei token: buses list -p huawei').startsWith('0 ')).toBe(true);
    expect(text('unreachable: buses list -p aws')).toContain('Network');
    expect(text(`unset spec variable: plan -f ${spec}`)).toContain('CANARY_KAFKA_PASSWORD is not set');
    // Both success and failure paths ran.
    expect([...codes].sort()).toEqual(expect.arrayContaining([0, 1]));
    expect(readdirSync(join(dir, 'out')).length).toBeGreaterThan(0);
    expect(found).toEqual([]);
  }, 300_000);
});

// Azure (issue: the next provider): its client secret (AZURE_CLIENT_SECRET) and its topics'
// access keys never appear in any output or error, on the library's and the CLI's paths.
describe('secrets canary: Azure client secret and topic keys', () => {
  const AZURE_SECRET = 'CANARYazureClientSecret5e1d';
  let good: AzureEmulator;
  let bad: AzureEmulator;
  const client = { ...AZURE_EMULATOR_CLIENT, clientSecret: AZURE_SECRET };
  const envFor = (e: AzureEmulator): Record<string, string> => ({
    POLYBUS_AZURE_ENDPOINT: e.url,
    AZURE_AUTHORITY_HOST: e.url,
    AZURE_TENANT_ID: client.tenantId,
    AZURE_CLIENT_ID: client.clientId,
    AZURE_CLIENT_SECRET: AZURE_SECRET,
    AZURE_SUBSCRIPTION_ID: AZURE_EMULATOR_SUBSCRIPTION,
    AZURE_RESOURCE_GROUP: AZURE_EMULATOR_RESOURCE_GROUP,
  });
  beforeAll(async () => {
    good = await AzureEmulator.start({ clients: [client] });
    // Knows none of the canaries: every token request is refused.
    bad = await AzureEmulator.start();
  });
  afterAll(async () => {
    await Promise.all([good.close(), bad.close()]);
  });

  it('CLI: resources, plan/apply/destroy, export, migrate, publish and native calls (listKeys too), good and bad credentials', async () => {
    const spec = join(dir, 'azure-canary.yaml');
    writeFileSync(
      spec,
      `version: 1
targets: [{ provider: azure }]
buses: [{ name: canary-topic }]
integrations:
  - name: canary-sub
    bus: canary-topic
    filter: { source: "1.0" }
    targets: [{ kind: http, url: "https://canary.example.com/hook" }]
`,
    );
    const keysInput = join(dir, 'azure-keys.json');
    writeFileSync(keysInput, JSON.stringify({ topicName: 'canary-topic' }));
    const event = join(dir, 'azure-event.json');
    writeFileSync(event, JSON.stringify({ specversion: '1.0', id: 'e1', source: '1.0', type: 't' }));
    const goodEnv = envFor(good);
    const commands: string[][] = [
      ['buses', 'create', '-p', 'azure', '--name', 'canary-cli'],
      ['buses', 'list', '-p', 'azure'],
      ['buses', 'get', '-p', 'azure', '--id', 'missing-canary'],
      ['apply', '-f', spec, '-y'],
      ['plan', '-f', spec],
      ['integrations', 'list', '-p', 'azure'],
      ['export', '-p', 'azure'],
      ['publish', '-p', 'azure', '--bus', 'canary-topic', '--event', event],
      ['call', 'azure', 'Topics_ListSharedAccessKeys', '--input', keysInput],
      ['call', 'azure', 'Topics_Get', '--input', keysInput],
      ['migrate', '--from', 'azure', '--to', 'huawei', '-f', spec],
      ['destroy', '-f', spec, '-y'],
    ];
    const runs: { label: string; args: string[]; res: Awaited<ReturnType<typeof runCli>> }[] = [];
    // The topic keys, as the emulator holds them after each command (destroy removes them).
    const keys = new Set<string>();
    for (const [label, env] of [
      ['good', goodEnv],
      ['bad credentials', envFor(bad)],
      [
        'unreachable',
        {
          ...goodEnv,
          POLYBUS_AZURE_ENDPOINT: 'http://127.0.0.1:9',
          AZURE_AUTHORITY_HOST: 'http://127.0.0.1:9',
        },
      ],
    ] as const)
      for (const [i, args] of commands.entries()) {
        const full = i % 2 ? [...args, '--json'] : args;
        runs.push({ label, args: full, res: await runCli(full, env) });
        for (const k of good.state.keys.values()) [k.key1, k.key2].forEach((v) => keys.add(v));
      }
    expect(keys.size).toBeGreaterThanOrEqual(4);
    const forms = [AZURE_SECRET, ...keys].flatMap((c) => [c, Buffer.from(c).toString('base64')]);
    const found = runs.flatMap(({ label, args, res }) =>
      forms
        .filter((c) => (res.stdout + res.stderr).includes(c))
        .map((c) => `${label}: ${args.join(' ')}: ${c}`),
    );
    const text = (label: string, start: string) => {
      const r = runs.find((x) => x.label === label && x.args.join(' ').startsWith(start))!.res;
      return `${r.code} ${r.stdout} ${r.stderr}`;
    };
    // The paths ran as intended: accepted, refused, unreachable.
    expect(text('good', `apply -f ${spec}`).startsWith('0 ')).toBe(true);
    expect(text('good', 'call azure Topics_ListSharedAccessKeys')).toMatch(/^0 [^]*key1[^]*\[REDACTED\]/);
    expect(text('bad credentials', 'buses list')).toContain('AuthenticationFailed');
    expect(text('unreachable', 'buses list')).toContain('Network');
    expect(found).toEqual([]);
  }, 120_000);
});
