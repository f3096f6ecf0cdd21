// AWS emulator fidelity: requests signed the way other official clients sign them (botocore, so
// boto3 and the AWS CLI: `content-type;host;x-amz-date`) pass, any change fails, and every emulated
// action answers in the shape the official JS SDK deserializers parse. Loopback only; never a cloud.
import {
  AppIntegrationsClient,
  CreateEventIntegrationCommand,
  DeleteEventIntegrationCommand,
  GetEventIntegrationCommand,
  ListEventIntegrationAssociationsCommand,
  ListEventIntegrationsCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateEventIntegrationCommand,
} from '@aws-sdk/client-appintegrations';
import {
  CreateEventBusCommand,
  DeleteEventBusCommand,
  DescribeEventBusCommand,
  EventBridgeClient,
  ListEventBusesCommand,
  ListTagsForResourceCommand as ListBusTagsCommand,
  TagResourceCommand as TagBusCommand,
  UntagResourceCommand as UntagBusCommand,
} from '@aws-sdk/client-eventbridge';
import { SignatureV4 } from '@smithy/signature-v4';
import { createHash, createHmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwsCredentials } from '../src/adapters/aws/auth.js';
import { AWS_EMULATOR_CREDENTIALS, AwsEmulator } from '../src/adapters/aws/emulator/index.js';
import { botocoreAvailable, runBotocore } from './helpers/botocore.js';

type Bytes = string | ArrayBuffer | ArrayBufferView;
const toBytes = (d: Bytes): string | Uint8Array =>
  typeof d === 'string'
    ? d
    : d instanceof ArrayBuffer
      ? new Uint8Array(d)
      : new Uint8Array(d.buffer, d.byteOffset, d.byteLength);

/** node:crypto as the Smithy checksum constructor the signer takes. */
class Sha256 {
  private h;
  constructor(private readonly secret?: Bytes) {
    this.h = secret === undefined ? createHash('sha256') : createHmac('sha256', toBytes(secret));
  }
  update(d: Bytes): void {
    this.h.update(toBytes(d));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.h.digest());
  }
  reset(): void {
    this.h = this.secret === undefined ? createHash('sha256') : createHmac('sha256', toBytes(this.secret));
  }
}

const SESSION: AwsCredentials = {
  accessKeyId: 'ASIAFIDELITYTEST0',
  secretAccessKey: 'fidelity-session-secret',
  sessionToken: 'fidelity-session-token',
};

interface Call {
  method: string;
  /** Path as sent on the wire (labels already percent-encoded, as the SDKs do). */
  path: string;
  query?: Record<string, string | string[]>;
  body?: unknown;
  service?: 'app-integrations' | 'events';
  target?: string;
  credentials?: AwsCredentials;
  signingDate?: Date;
  /** Sign `x-amz-content-sha256` too (the JS SDK does; botocore does not). */
  applyChecksum?: boolean;
  /** Changes the request after signing. */
  tamper?: (r: { headers: Record<string, string>; body: string; path: string }) => void;
}

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  json: Record<string, unknown>;
  signedHeaders: string;
}

const enc = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16)}`);

describe('AWS emulator SigV4: verifies exactly what the request signed', () => {
  let emu: AwsEmulator;
  let port: number;
  beforeAll(async () => {
    emu = await AwsEmulator.start({ credentials: [AWS_EMULATOR_CREDENTIALS, SESSION] });
    port = Number(new URL(emu.url).port);
  });
  afterAll(() => emu.close());

  /** Signs like botocore: exactly content-type, host, x-amz-date (+ x-amz-target on JSON 1.1, + the token). */
  async function send(c: Call): Promise<Reply> {
    const service = c.service ?? (c.target ? 'events' : 'app-integrations');
    const body = c.body === undefined ? '' : JSON.stringify(c.body);
    const headers: Record<string, string> = {
      host: `127.0.0.1:${port}`,
      'content-type': c.target ? 'application/x-amz-json-1.1' : 'application/json',
      ...(c.target ? { 'x-amz-target': c.target } : {}),
    };
    const signer = new SignatureV4({
      credentials: c.credentials ?? AWS_EMULATOR_CREDENTIALS,
      region: 'us-east-1',
      service,
      sha256: Sha256,
      applyChecksum: c.applyChecksum ?? false,
    });
    const signed = await signer.sign(
      {
        method: c.method,
        protocol: 'http:',
        hostname: '127.0.0.1',
        port,
        path: c.path,
        query: c.query ?? {},
        headers,
        ...(body ? { body } : {}),
      },
      c.signingDate ? { signingDate: c.signingDate } : {},
    );
    const qs = Object.entries(c.query ?? {})
      .flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => `${enc(k)}=${enc(x)}`))
      .join('&');
    const wire: { headers: Record<string, string>; body: string; path: string } = {
      headers: {
        ...(signed.headers as Record<string, string>),
        'user-agent': 'botocore/1.35 (fidelity test)',
      },
      body,
      path: `${c.path}${qs ? `?${qs}` : ''}`,
    };
    // Unsigned headers a proxy or client may add must not matter.
    wire.headers['x-forwarded-for'] = '127.0.0.1';
    c.tamper?.(wire);
    const signedHeaders = /SignedHeaders=([^,]+)/.exec(String(wire.headers.authorization))?.[1] ?? '';
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          method: c.method,
          path: wire.path,
          headers: { ...wire.headers, 'content-length': String(Buffer.byteLength(wire.body)) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (d: Buffer) => chunks.push(d));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              json: text ? (JSON.parse(text) as Record<string, unknown>) : {},
              signedHeaders,
            });
          });
        },
      );
      req.on('error', reject);
      req.end(wire.body);
    });
  }

  const ok = (r: Reply) => {
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    return r.json;
  };

  it('full AppIntegrations lifecycle signed over content-type;host;x-amz-date (botocore, boto3, AWS CLI)', async () => {
    // A name with `/` and `.` (the documented pattern allows both): the path label is encoded once
    // on the wire and once more in the canonical request.
    const name = 'team/orders.v1';
    const path = `/eventIntegrations/${enc(name)}`;
    const created = await send({
      method: 'POST',
      path: '/eventIntegrations',
      body: {
        Name: name,
        EventBridgeBus: 'default',
        EventFilter: { Source: 'aws.partner/example.com/orders' },
        ClientToken: 'fidelity-1',
        Tags: { a: '1' },
      },
    });
    expect(created.signedHeaders).toBe('content-type;host;x-amz-date');
    const arn = String(ok(created).EventIntegrationArn);
    expect(arn).toMatch(/:event-integration\/team\/orders\.v1$/);
    expect(ok(await send({ method: 'GET', path }))).toMatchObject({ Name: name, Tags: { a: '1' } });
    const page = ok(await send({ method: 'GET', path: '/eventIntegrations', query: { maxResults: '1' } }));
    expect(page.EventIntegrations).toHaveLength(1);
    ok(await send({ method: 'PATCH', path, body: { Description: 'with spaces & symbols +=/' } }));
    expect(emu.integrations.get(name)?.Description).toBe('with spaces & symbols +=/');
    emu.addAssociation(name, 'connect-1');
    const assoc = ok(
      await send({ method: 'GET', path: `${path}/associations`, query: { maxResults: '50' } }),
    );
    expect(assoc.EventIntegrationAssociations).toEqual([expect.objectContaining({ ClientId: 'connect-1' })]);
    emu.associations.delete(name);
    const tagsPath = `/tags/${enc(arn)}`;
    ok(await send({ method: 'POST', path: tagsPath, body: { tags: { b: '2', c: '3' } } }));
    expect(ok(await send({ method: 'GET', path: tagsPath })).tags).toEqual({ a: '1', b: '2', c: '3' });
    // Repeated query keys are sorted by value in the canonical query.
    ok(await send({ method: 'DELETE', path: tagsPath, query: { tagKeys: ['c', 'a'] } }));
    expect(emu.integrations.get(name)?.Tags).toEqual({ b: '2' });
    ok(await send({ method: 'DELETE', path }));
    expect(emu.integrations.has(name)).toBe(false);
  });

  it('EventBridge JSON 1.1 bus routes signed over content-type;host;x-amz-date;x-amz-target', async () => {
    const call = (action: string, body: unknown) =>
      send({ method: 'POST', path: '/', target: `AWSEvents.${action}`, body });
    const created = await call('CreateEventBus', { Name: 'fidelity-bus', Tags: [{ Key: 'k', Value: 'v' }] });
    expect(created.signedHeaders).toBe('content-type;host;x-amz-date;x-amz-target');
    const arn = String(ok(created).EventBusArn);
    // Timestamps as the JSON 1.1 protocol serializes them: epoch seconds (a JSON number).
    const times = { CreationTime: expect.any(Number), LastModifiedTime: expect.any(Number) };
    expect(ok(await call('DescribeEventBus', { Name: 'fidelity-bus' }))).toEqual({
      Name: 'fidelity-bus',
      Arn: arn,
      ...times,
    });
    const listed = ok(await call('ListEventBuses', { NamePrefix: 'fidelity', Limit: 10 }));
    expect(listed.EventBuses).toEqual([{ Name: 'fidelity-bus', Arn: arn, ...times }]);
    ok(await call('TagResource', { ResourceARN: arn, Tags: [{ Key: 'x', Value: 'y' }] }));
    ok(await call('UntagResource', { ResourceARN: arn, TagKeys: ['k'] }));
    expect(ok(await call('ListTagsForResource', { ResourceARN: arn })).Tags).toEqual([
      { Key: 'x', Value: 'y' },
    ]);
    ok(await call('DeleteEventBus', { Name: 'fidelity-bus' }));
    expect(emu.buses.has('fidelity-bus')).toBe(false);
  });

  it('temporary credentials: the session token is signed and checked', async () => {
    const r = await send({ method: 'GET', path: '/eventIntegrations', credentials: SESSION });
    expect(r.signedHeaders).toBe('content-type;host;x-amz-date;x-amz-security-token');
    ok(r);
    const wrong = await send({
      method: 'GET',
      path: '/eventIntegrations',
      credentials: { ...SESSION, sessionToken: 'another-token' },
    });
    expect(wrong.status).toBe(403);
    expect(wrong.headers['x-amzn-errortype']).toBe('UnrecognizedClientException');
  });

  it('payload hash from x-amz-content-sha256 when the client signs it (as the JS SDK does)', async () => {
    const r = await send({ method: 'GET', path: '/eventIntegrations', applyChecksum: true });
    expect(r.signedHeaders).toBe('content-type;host;x-amz-content-sha256;x-amz-date');
    ok(r);
    // The header was signed, but it does not describe the body that arrived.
    const lied = await send({
      method: 'PATCH',
      path: '/eventIntegrations/none',
      body: { Description: 'a' },
      applyChecksum: true,
      tamper: (w) => {
        w.body = JSON.stringify({ Description: 'b' });
      },
    });
    expect(lied.status).toBe(403);
    expect(lied.json.message).toContain('x-amz-content-sha256');
  });

  const rejected = async (c: Call, type: string, message: RegExp) => {
    const before = emu.integrations.size;
    const r = await send(c);
    expect(r.status).toBe(403);
    expect(r.headers['x-amzn-errortype']).toBe(type);
    expect(String(r.json.message)).toMatch(message);
    expect(emu.integrations.size).toBe(before);
  };
  const mismatch = /^The request signature we calculated does not match the signature you provided/;
  const create = {
    method: 'POST',
    path: '/eventIntegrations',
    body: { Name: 'never', EventBridgeBus: 'default', EventFilter: { Source: 's' } },
  };

  it('a changed signed header, body, path or query is InvalidSignatureException (403)', async () => {
    await rejected(
      { ...create, tamper: (w) => (w.headers['content-type'] = 'application/x-amz-json-1.1') },
      'InvalidSignatureException',
      mismatch,
    );
    await rejected(
      { ...create, tamper: (w) => (w.body = w.body.replace('never', 'other')) },
      'InvalidSignatureException',
      mismatch,
    );
    const list = { method: 'GET', path: '/eventIntegrations', query: { maxResults: '5' } };
    expect((await send(list)).status).toBe(200);
    await rejected(
      { ...list, tamper: (w) => (w.path = w.path.replace('maxResults=5', 'maxResults=6')) },
      'InvalidSignatureException',
      mismatch,
    );
    await rejected(
      { ...list, tamper: (w) => (w.path = w.path.replace('/eventIntegrations', '/eventIntegrations/x')) },
      'InvalidSignatureException',
      mismatch,
    );
    await rejected(
      { ...create, credentials: { ...AWS_EMULATOR_CREDENTIALS, secretAccessKey: 'wrong' } },
      'InvalidSignatureException',
      mismatch,
    );
    // Another header named in SignedHeaders that the request then drops.
    await rejected(
      {
        ...create,
        tamper: (w) => {
          w.headers.authorization = w.headers.authorization!.replace(
            'SignedHeaders=content-type;host;x-amz-date',
            'SignedHeaders=content-type;host;x-amz-date;x-amz-meta',
          );
        },
      },
      'InvalidSignatureException',
      mismatch,
    );
  });

  it('dates outside the 15-minute window answer as AWS does', async () => {
    await rejected(
      { ...create, signingDate: new Date(Date.now() - 20 * 60_000) },
      'InvalidSignatureException',
      /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/,
    );
    await rejected(
      { ...create, signingDate: new Date(Date.now() + 20 * 60_000) },
      'InvalidSignatureException',
      /^Signature not yet current: \d{8}T\d{6}Z is still later than/,
    );
  });

  it('scope and header rules: wrong service, host not signed, unknown key', async () => {
    await rejected(
      { ...create, service: 'events' },
      'InvalidSignatureException',
      /scoped to correct service/,
    );
    await rejected(
      {
        ...create,
        tamper: (w) => {
          w.headers.authorization = w.headers.authorization!.replace(';host;', ';');
        },
      },
      'IncompleteSignature',
      /'Host' or ':authority' must be a 'SignedHeader'/,
    );
    await rejected(
      { ...create, credentials: { accessKeyId: 'AKIAUNKNOWN', secretAccessKey: 'x' } },
      'UnrecognizedClientException',
      /security token included in the request is invalid/,
    );
  });
});

describe('AWS emulator answers in the shape the official SDK models parse', () => {
  let emu: AwsEmulator;
  let ai: AppIntegrationsClient;
  let eb: EventBridgeClient;
  beforeAll(async () => {
    emu = await AwsEmulator.start();
    const config = {
      region: 'us-east-1',
      endpoint: emu.url,
      credentials: AWS_EMULATOR_CREDENTIALS,
      maxAttempts: 1,
    };
    ai = new AppIntegrationsClient(config);
    eb = new EventBridgeClient(config);
  });
  afterAll(async () => {
    ai.destroy();
    eb.destroy();
    await emu.close();
  });

  it('every AppIntegrations action, through the SDK deserializers', async () => {
    const created = await ai.send(
      new CreateEventIntegrationCommand({
        Name: 'shape',
        Description: 'd',
        EventBridgeBus: 'default',
        EventFilter: { Source: 'aws.partner/x' },
        ClientToken: 'shape-1',
        Tags: { t: '1' },
      }),
    );
    expect(created.$metadata.httpStatusCode).toBe(200);
    expect(created.$metadata.requestId).toEqual(expect.any(String));
    const arn = created.EventIntegrationArn!;
    expect(arn).toBe('arn:aws:app-integrations:us-east-1:123456789012:event-integration/shape');
    const expected = {
      Name: 'shape',
      Description: 'd',
      EventIntegrationArn: arn,
      EventBridgeBus: 'default',
      EventFilter: { Source: 'aws.partner/x' },
      Tags: { t: '1' },
    };
    expect(await ai.send(new GetEventIntegrationCommand({ Name: 'shape' }))).toMatchObject(expected);
    const list = await ai.send(new ListEventIntegrationsCommand({ MaxResults: 1 }));
    expect(list.EventIntegrations).toEqual([expect.objectContaining(expected)]);
    await ai.send(new CreateEventIntegrationCommand({ ...expected, Name: 'shape-2', Tags: {} }));
    const first = await ai.send(new ListEventIntegrationsCommand({ MaxResults: 1 }));
    expect(first.NextToken).toEqual(expect.any(String));
    const second = await ai.send(
      new ListEventIntegrationsCommand({ MaxResults: 1, NextToken: first.NextToken! }),
    );
    expect(second.EventIntegrations?.[0]?.Name).toBe('shape-2');
    expect(second.NextToken).toBeUndefined();
    const updated = await ai.send(new UpdateEventIntegrationCommand({ Name: 'shape', Description: 'e' }));
    expect(updated.$metadata.httpStatusCode).toBe(200);
    emu.addAssociation('shape', 'client-9');
    const assoc = await ai.send(
      new ListEventIntegrationAssociationsCommand({ EventIntegrationName: 'shape' }),
    );
    expect(assoc.EventIntegrationAssociations).toEqual([
      expect.objectContaining({
        EventIntegrationName: 'shape',
        ClientId: 'client-9',
        EventIntegrationAssociationArn: expect.stringContaining(arn),
        EventIntegrationAssociationId: expect.any(String),
        EventBridgeRuleName: expect.any(String),
        ClientAssociationMetadata: {},
      }),
    ]);
    emu.associations.delete('shape');
    await ai.send(new TagResourceCommand({ resourceArn: arn, tags: { u: '2' } }));
    await ai.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['t'] }));
    expect((await ai.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual({ u: '2' });
    await ai.send(new DeleteEventIntegrationCommand({ Name: 'shape' }));
    // Modeled errors arrive as the SDK's typed exceptions with the documented status.
    const missing = await ai.send(new GetEventIntegrationCommand({ Name: 'shape' })).catch((e: unknown) => e);
    expect(missing).toMatchObject({
      name: 'ResourceNotFoundException',
      $fault: 'client',
      $metadata: { httpStatusCode: 404, requestId: expect.any(String) },
      message: expect.stringContaining('shape'),
    });
    const dup = await ai
      .send(new CreateEventIntegrationCommand({ ...expected, Name: 'shape-2', Tags: {} }))
      .catch((e: unknown) => e);
    expect(dup).toMatchObject({ name: 'DuplicateResourceException', $metadata: { httpStatusCode: 409 } });
    const bad = await ai
      .send(new UpdateEventIntegrationCommand({ Name: 'shape-2', Description: 'x'.repeat(1001) }))
      .catch((e: unknown) => e);
    expect(bad).toMatchObject({ name: 'InvalidRequestException', $metadata: { httpStatusCode: 400 } });
  });

  it('every EventBridge bus action, through the SDK deserializers', async () => {
    const created = await eb.send(
      new CreateEventBusCommand({ Name: 'shape-bus', Tags: [{ Key: 'a', Value: '1' }] }),
    );
    const arn = created.EventBusArn!;
    expect(arn).toBe('arn:aws:events:us-east-1:123456789012:event-bus/shape-bus');
    expect(await eb.send(new DescribeEventBusCommand({ Name: 'shape-bus' }))).toMatchObject({
      Name: 'shape-bus',
      Arn: arn,
    });
    const page = await eb.send(new ListEventBusesCommand({ Limit: 1 }));
    expect(page.EventBuses).toEqual([
      {
        Name: 'default',
        Arn: expect.stringContaining(':event-bus/default'),
        CreationTime: expect.any(Date),
        LastModifiedTime: expect.any(Date),
      },
    ]);
    expect(page.NextToken).toEqual(expect.any(String));
    const rest = await eb.send(new ListEventBusesCommand({ Limit: 100, NextToken: page.NextToken! }));
    expect(rest.EventBuses?.map((b) => b.Name)).toEqual(['shape-bus']);
    await eb.send(new TagBusCommand({ ResourceARN: arn, Tags: [{ Key: 'b', Value: '2' }] }));
    await eb.send(new UntagBusCommand({ ResourceARN: arn, TagKeys: ['a'] }));
    expect((await eb.send(new ListBusTagsCommand({ ResourceARN: arn }))).Tags).toEqual([
      { Key: 'b', Value: '2' },
    ]);
    await eb.send(new DeleteEventBusCommand({ Name: 'shape-bus' }));
    const missing = await eb
      .send(new DescribeEventBusCommand({ Name: 'shape-bus' }))
      .catch((e: unknown) => e);
    expect(missing).toMatchObject({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 400 } });
    const exists = await eb.send(new CreateEventBusCommand({ Name: 'default' })).catch((e: unknown) => e);
    expect(exists).toMatchObject({ name: 'ResourceAlreadyExistsException' });
  });

  it('signature errors parse as the SDK names them', async () => {
    const wrong = new AppIntegrationsClient({
      region: 'us-east-1',
      endpoint: emu.url,
      credentials: { ...AWS_EMULATOR_CREDENTIALS, secretAccessKey: 'wrong' },
      maxAttempts: 1,
    });
    const err = await wrong.send(new ListEventIntegrationsCommand({})).catch((e: unknown) => e);
    wrong.destroy();
    expect(err).toMatchObject({
      name: 'InvalidSignatureException',
      $metadata: { httpStatusCode: 403 },
      message: expect.stringMatching(/^The request signature we calculated does not match/),
    });
  });
});

/** botocore (boto3 and the AWS CLI sign through it), when this machine has it; CI may not. */
const botocoreHere = await botocoreAvailable;

describe.skipIf(!botocoreHere)(
  'AWS emulator against real botocore (skipped where Python botocore is absent)',
  () => {
    let emu: AwsEmulator;
    beforeAll(async () => {
      emu = await AwsEmulator.start();
    });
    afterAll(() => emu.close());
    /** Runs a Python script with botocore: argv are the emulator URL and the emulator's keys. */
    const botocore = (script: string) => runBotocore(script, emu.url, AWS_EMULATOR_CREDENTIALS);

    it('a botocore client runs the lifecycle: REST-JSON integrations and JSON 1.1 buses', async () => {
      const script = `
import botocore.session, json, sys
s = botocore.session.get_session()
kw = dict(region_name='us-east-1', endpoint_url=sys.argv[1], aws_access_key_id=sys.argv[2], aws_secret_access_key=sys.argv[3])
ai = s.create_client('appintegrations', **kw)
eb = s.create_client('events', **kw)
arn = ai.create_event_integration(Name='boto/orders.v1', EventFilter={'Source': 'aws.partner/x'}, EventBridgeBus='default', Tags={'a': '1'})['EventIntegrationArn']
got = ai.get_event_integration(Name='boto/orders.v1')
ai.update_event_integration(Name='boto/orders.v1', Description='d e')
ai.tag_resource(resourceArn=arn, tags={'b': '2'})
ai.untag_resource(resourceArn=arn, tagKeys=['a'])
tags = ai.list_tags_for_resource(resourceArn=arn)['tags']
listed = [i['Name'] for i in ai.list_event_integrations(MaxResults=50)['EventIntegrations']]
assoc = ai.list_event_integration_associations(EventIntegrationName='boto/orders.v1')['EventIntegrationAssociations']
ai.delete_event_integration(Name='boto/orders.v1')
eb.create_event_bus(Name='boto-bus')
bus = eb.describe_event_bus(Name='boto-bus')['Name']
eb.delete_event_bus(Name='boto-bus')
print(json.dumps({'arn': arn, 'desc': got.get('Name'), 'tags': tags, 'listed': listed, 'assoc': assoc, 'bus': bus}))
`;
      const out = await botocore(script);
      expect(JSON.parse(out)).toEqual({
        arn: 'arn:aws:app-integrations:us-east-1:123456789012:event-integration/boto/orders.v1',
        desc: 'boto/orders.v1',
        tags: { b: '2' },
        listed: ['boto/orders.v1'],
        assoc: [],
        bus: 'boto-bus',
      });
      expect(emu.integrations.size).toBe(0);
      expect(emu.requestCounts.get('DeleteEventBus')).toBe(1);
    }, 60_000);

    it('botocore PutEvents (JSON 1.1): per-entry EventIds, MalformedDetail per entry, the matching integration logged', async () => {
      const script = `
import botocore.session, json, sys
s = botocore.session.get_session()
kw = dict(region_name='us-east-1', endpoint_url=sys.argv[1], aws_access_key_id=sys.argv[2], aws_secret_access_key=sys.argv[3])
ai = s.create_client('appintegrations', **kw)
eb = s.create_client('events', **kw)
eb.create_event_bus(Name='boto-publish')
ai.create_event_integration(Name='boto-int', EventFilter={'Source': 'aws.partner/shop.example.com/orders'}, EventBridgeBus='boto-publish')
r = eb.put_events(Entries=[
  {'Source': 'aws.partner/shop.example.com/orders', 'DetailType': 'order.created', 'Detail': '{"n": 1}', 'EventBusName': 'boto-publish'},
  {'Source': 'shop.returns', 'DetailType': 'order.created', 'Detail': 'not json', 'EventBusName': 'boto-publish'},
  {'Source': 'shop.returns', 'DetailType': 'order.created', 'Detail': '{"n": 3}', 'EventBusName': 'boto-publish'},
])
print(json.dumps({'failed': r['FailedEntryCount'], 'entries': r['Entries']}))
`;
      const out = await botocore(script);
      const r = JSON.parse(out) as { failed: number; entries: { EventId?: string; ErrorCode?: string }[] };
      expect(r.failed).toBe(1);
      expect(r.entries[0]!.EventId).toMatch(/^[0-9a-f-]{36}$/);
      expect(r.entries[1]).toEqual({ ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' });
      expect(r.entries[2]!.EventId).toMatch(/^[0-9a-f-]{36}$/);
      const report = emu.delivery.report(r.entries[0]!.EventId!);
      expect(report.matches).toEqual([expect.objectContaining({ name: 'boto-int', matched: true })]);
      expect(emu.delivery.report(r.entries[2]!.EventId!).matches).toEqual([
        expect.objectContaining({ name: 'boto-int', matched: false }),
      ]);
    }, 60_000);
  },
);
