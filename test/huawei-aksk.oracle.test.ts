// Huawei AK/SK oracle tests: polybus's SDK-HMAC-SHA256 signer against the official
// @huaweicloud/huaweicloud-sdk-core signer, and the official client against the emulator. Never calls a real cloud.
import { BasicCredentials } from '@huaweicloud/huaweicloud-sdk-core';
import type { HcClient } from '@huaweicloud/huaweicloud-sdk-core/HcClient.js';
import { HttpRequestBuilder } from '@huaweicloud/huaweicloud-sdk-core/http/IHttpRequestBuilder.js';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { egCall, officialFailure, officialHuaweiClient } from './helpers/huawei-official.js';
import {
  type HuaweiAccessKeyCredentials,
  huaweiCanonicalRequest,
  parseHuaweiSdkDate,
  signHuaweiRequest,
} from '../src/adapters/huawei/auth.js';
import {
  HUAWEI_EMULATOR_ACCESS_KEY,
  HUAWEI_EMULATOR_PROJECT,
  HuaweiEmulator,
} from '../src/adapters/huawei/emulator/index.js';

const ENDPOINT = 'https://eg.cn-north-4.myhuaweicloud.com';

interface Generated {
  method: string;
  segments: string[];
  query: [string, string | string[]][];
  headers: Record<string, string>;
  data?: Record<string, unknown>;
  creds: HuaweiAccessKeyCredentials;
  projectId: string;
}

/** What the official signer produces for a request (through BasicCredentials, as its clients do). */
async function officialSign(g: Generated): Promise<Record<string, string>> {
  let cred = new BasicCredentials()
    .withAk(g.creds.accessKey)
    .withSk(g.creds.secretKey)
    .withProjectId(g.projectId);
  if (g.creds.securityToken) cred = cred.withSecurityToken(g.creds.securityToken);
  const request = new HttpRequestBuilder()
    .withEndpoint(ENDPOINT)
    .withUrl(['/v1/{project_id}', ...g.segments].join('/'))
    .withMethod(g.method)
    .withHeaders({ ...g.headers })
    .withQueryParams(Object.fromEntries(g.query))
    .withData(g.data)
    .build();
  // The first argument (an HcClient) is only used for federated tokens, which these are not.
  const signed = await cred.processAuthRequest(undefined as unknown as HcClient, request);
  return signed.headers as Record<string, string>;
}

/** What polybus signs for the same request, built the way its client builds URLs and bodies. */
function polybusSign(g: Generated, sdkDate: string): Record<string, string> {
  const url = new URL(
    `${ENDPOINT}/v1/${encodeURIComponent(g.projectId)}${g.segments.map((s) => `/${encodeURIComponent(s)}`).join('')}`,
  );
  for (const [k, v] of g.query) for (const one of [v].flat()) url.searchParams.append(k, one);
  return signHuaweiRequest(
    {
      method: g.method,
      url,
      headers: g.headers,
      body: g.data === undefined ? undefined : JSON.stringify(g.data),
    },
    g.creds,
    { now: parseHuaweiSdkDate(sdkDate)!, projectId: g.projectId },
  );
}

// Path characters: unreserved, sub-delims and non-ASCII. Excluded: the characters that Node's
// legacy url.parse escapes before the official Node signer encodes the segment again (space,
// quote, <, >, ^, `, {, |, }, backslash): there the Node SDK double-encodes, unlike the Go and
// Python signers and the service, which decode the path first (as polybus does).
const PATH_CHARS = [...'abcxyzABCXYZ0189-._~', ...'!()*$,;:@=&+', ...['é', '中', 'ß', '😀']];
// Dot segments are left out too: URLs resolve them before anything is sent.
const segment = fc
  .string({ unit: fc.constantFrom(...PATH_CHARS), minLength: 1, maxLength: 12 })
  .filter((s) => s !== '.' && s !== '..');
const anyText = fc.string({ unit: 'grapheme', maxLength: 16 });
const RESERVED_HEADERS = new Set([
  'host',
  'authorization',
  'content-type',
  'x-sdk-date',
  'x-project-id',
  'x-security-token',
  'x-sdk-content-sha256',
]);
const headerName = fc.stringMatching(/^x-[a-z][a-z0-9-]{0,12}$/).filter((n) => !RESERVED_HEADERS.has(n));
// Header values as they survive HTTP: visible ASCII, no surrounding whitespace.
const headerValue = fc.stringMatching(/^[!-~]([ -~]{0,20}[!-~])?$/);

const generated: fc.Arbitrary<Generated> = fc
  .record(
    {
      method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'),
      segments: fc.array(segment, { minLength: 1, maxLength: 4 }),
      query: fc.uniqueArray(
        fc.tuple(anyText, fc.oneof(anyText, fc.array(anyText, { minLength: 1, maxLength: 3 }))),
        {
          selector: ([k]) => k,
          maxLength: 5,
        },
      ),
      headers: fc.dictionary(headerName, headerValue, { maxKeys: 4 }),
      json: fc.boolean(),
      data: fc.option(fc.dictionary(anyText, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }), {
        nil: undefined,
      }),
      creds: fc.record(
        {
          accessKey: fc.stringMatching(/^[A-Z0-9]{20}$/),
          secretKey: fc.stringMatching(/^[A-Za-z0-9]{40}$/),
          securityToken: fc.stringMatching(/^[A-Za-z0-9+/=]{8,64}$/),
        },
        { requiredKeys: ['accessKey', 'secretKey'] },
      ),
      projectId: fc.stringMatching(/^[0-9a-f]{32}$/),
    },
    { requiredKeys: ['method', 'segments', 'query', 'headers', 'json', 'creds', 'projectId'] },
  )
  .map(({ json, ...g }) => ({
    ...g,
    // The official clients send JSON with content-type application/json (any other content type
    // makes them send X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD, covered below).
    headers: json || g.data !== undefined ? { ...g.headers, 'content-type': 'application/json' } : g.headers,
  }));

describe('SDK-HMAC-SHA256: polybus signs exactly as the official signer (huawei-eventgrid.md, AK/SK request signing)', () => {
  it('same Authorization (SignedHeaders and Signature) on generated requests: methods, paths, queries, headers, bodies, temporary credentials', async () => {
    await fc.assert(
      fc.asyncProperty(generated, async (g) => {
        const official = await officialSign(g);
        const ours = polybusSign(g, official['X-Sdk-Date']!);
        expect(official['X-Sdk-Date']).toMatch(/^\d{8}T\d{6}Z$/);
        expect(ours['X-Sdk-Date']).toBe(official['X-Sdk-Date']);
        expect(ours['X-Project-Id']).toBe(official['X-Project-Id']);
        expect(ours['X-Security-Token']).toBe(official['X-Security-Token']);
        expect(ours.Authorization).toBe(official.Authorization);
      }),
      { numRuns: 300 },
    );
  });

  it('fixed cases: empty body hash, X-Sdk-Content-Sha256 replaces the body hash, sorted repeated query values', async () => {
    const base: Generated = {
      method: 'GET',
      segments: ['channels'],
      query: [
        ['offset', '0'],
        ['limit', '100'],
        ['provider_type', 'CUSTOM'],
        ['fuzzy_name', 'a b'],
      ],
      headers: {},
      creds: HUAWEI_EMULATOR_ACCESS_KEY,
      projectId: HUAWEI_EMULATOR_PROJECT,
    };
    const cases: Generated[] = [
      base,
      { ...base, method: 'DELETE', segments: ['channels', 'c-1'], query: [] },
      { ...base, query: [['k', ['b', 'a', 'c']]] },
      {
        ...base,
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        data: { ignored: true },
      },
    ];
    for (const g of cases) {
      const official = await officialSign(g);
      expect(
        polybusSign(
          { ...g, headers: { ...g.headers, ...pick(official, 'X-Sdk-Content-Sha256') } },
          official['X-Sdk-Date']!,
        ).Authorization,
      ).toBe(official.Authorization);
    }
    // The documented constants, checked on the canonical request itself.
    const canonical = huaweiCanonicalRequest(
      { method: 'get', url: `${ENDPOINT}/v1/p/channels?b=2&a=1`, headers: { Host: 'h' } },
      ['host'],
    );
    expect(canonical).toBe(
      'GET\n/v1/p/channels/\na=1&b=2\nhost:h\n\nhost\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    const unsigned = huaweiCanonicalRequest(
      {
        method: 'POST',
        url: `${ENDPOINT}/`,
        headers: { 'X-Sdk-Content-Sha256': 'UNSIGNED-PAYLOAD' },
        body: '{}',
      },
      ['x-sdk-content-sha256'],
    );
    expect(unsigned.endsWith('\nUNSIGNED-PAYLOAD')).toBe(true);
  });
});

function pick(headers: Record<string, string>, name: string): Record<string, string> {
  return headers[name] !== undefined ? { [name]: headers[name] } : {};
}

describe('the official Node client (AK/SK) against the emulator', () => {
  const temporary: HuaweiAccessKeyCredentials = {
    accessKey: 'POLYBUSTEMPORARYAK01',
    secretKey: 'temporary-secret-key-for-the-emulator',
    securityToken: 'temporary-security-token-for-the-emulator',
  };
  let emu: HuaweiEmulator;
  beforeAll(async () => {
    emu = await HuaweiEmulator.start({ accessKeys: [HUAWEI_EMULATOR_ACCESS_KEY, temporary] });
  });
  afterAll(() => emu.close());

  const official = (c: HuaweiAccessKeyCredentials, projectId = HUAWEI_EMULATOR_PROJECT): HcClient =>
    officialHuaweiClient(emu.url, c, projectId);
  const call = egCall;
  const failure = officialFailure;

  it('runs a channel lifecycle (create, get, list, update, delete) with requests the official signer signed', async () => {
    for (const creds of [HUAWEI_EMULATOR_ACCESS_KEY, temporary]) {
      const hc = official(creds);
      const name = `oracle-${creds.accessKey.slice(-4).toLowerCase()}`;
      const created = await call(hc, 'POST', '/channels', {
        data: { name, description: 'by the official client' },
      });
      expect(created).toMatchObject({ httpStatusCode: 200, name, provider_type: 'CUSTOM' });
      const channel_id = String(created.id);
      const got = await call(hc, 'GET', '/channels/{channel_id}', { pathParams: { channel_id } });
      expect(got).toMatchObject({ id: channel_id, description: 'by the official client' });
      const listed = await call(hc, 'GET', '/channels', {
        query: { provider_type: 'CUSTOM', fuzzy_name: name.toUpperCase(), offset: 0, limit: 10 },
      });
      expect(listed).toMatchObject({ total: 1, items: [{ id: channel_id }] });
      const updated = await call(hc, 'PUT', '/channels/{channel_id}', {
        pathParams: { channel_id },
        data: { description: 'updated' },
      });
      expect(updated).toMatchObject({ id: channel_id, description: 'updated' });
      const deleted = await call(hc, 'DELETE', '/channels/{channel_id}', { pathParams: { channel_id } });
      expect(deleted.httpStatusCode).toBe(204);
      expect(
        await failure(call(hc, 'GET', '/channels/{channel_id}', { pathParams: { channel_id } })),
      ).toMatchObject({
        httpStatusCode: 404,
        errorCode: 'EG.00014040',
      });
    }
    // The emulator saw what the official client sends: signed X-Project-Id, the security token for
    // temporary keys, and an unsigned User-Agent the verification had to leave out.
    const signed = emu.received.filter((r) => String(r.headers.authorization).startsWith('SDK-HMAC-SHA256'));
    expect(signed.length).toBeGreaterThanOrEqual(12);
    const last = signed.at(-1)!;
    expect(last.headers['x-security-token']).toBe(temporary.securityToken);
    expect(String(last.headers.authorization)).toMatch(
      /SignedHeaders=[^,]*x-project-id;x-sdk-date;x-security-token/,
    );
    expect(String(last.headers.authorization)).not.toContain('user-agent');
    expect(last.headers['user-agent']).toBeDefined();
  });

  it('publishes with PutEvents the way the official client sends it: per-event ids back, at most 20 a request, a missing source refused', async () => {
    const hc = official(HUAWEI_EMULATOR_ACCESS_KEY);
    const channel = await call(hc, 'POST', '/channels', { data: { name: 'oracle-publish' } });
    const channel_id = String(channel.id);
    const ev = (id: string, extra: Record<string, unknown> = {}) => ({
      id,
      source: 'app.orders',
      specversion: '1.0',
      type: 'order.created',
      datacontenttype: 'application/json',
      time: '2026-11-28T00:00:00Z',
      data: { n: id },
      ...extra,
    });
    const put = (events: unknown[]) =>
      call(hc, 'POST', '/channels/{channel_id}/events', { pathParams: { channel_id }, data: { events } });
    expect(await put([ev('o-1'), ev('o-2')])).toMatchObject({
      httpStatusCode: 200,
      failed_count: 0,
      events: [{ event_id: 'o-1' }, { event_id: 'o-2' }],
    });
    const logged = emu.delivery.records.filter((r) => r.bus === channel_id).map((r) => r.event);
    expect(logged).toEqual([expect.objectContaining(ev('o-1')), expect.objectContaining(ev('o-2'))]);
    expect(await failure(put(Array.from({ length: 21 }, (_, i) => ev(`many-${i}`))))).toMatchObject({
      httpStatusCode: 400,
      errorCode: 'EG.00533007',
    });
    const { source: _missing, ...noSource } = ev('o-3');
    expect(await failure(put([noSource]))).toMatchObject({ httpStatusCode: 400 });
    expect(emu.delivery.records.filter((r) => r.bus === channel_id)).toHaveLength(2);
  });

  it('a wrong SK, an unknown AK, or a missing security token: 401 APIGW.0301 with the IAM error body', async () => {
    const wrongSk = await failure(
      call(official({ ...HUAWEI_EMULATOR_ACCESS_KEY, secretKey: 'not-the-secret-key' }), 'GET', '/channels'),
    );
    expect(wrongSk).toMatchObject({
      httpStatusCode: 401,
      errorCode: 'APIGW.0301',
      errorMsg: 'Incorrect IAM authentication information: verify aksk signature fail',
    });
    const unknown = await failure(
      call(official({ accessKey: 'UNKNOWNAK', secretKey: 'x' }), 'GET', '/channels'),
    );
    expect(unknown).toMatchObject({
      httpStatusCode: 401,
      errorCode: 'APIGW.0301',
      errorMsg: 'Incorrect IAM authentication information: ak UNKNOWNAK not exist',
    });
    const noToken = await failure(
      call(official({ accessKey: temporary.accessKey, secretKey: temporary.secretKey }), 'GET', '/channels'),
    );
    expect(noToken).toMatchObject({ httpStatusCode: 401, errorCode: 'APIGW.0301' });
  });

  it('a request signed for another project is refused (403)', async () => {
    const other = 'ffffffffffffffffffffffffffffffff';
    expect(
      await failure(call(official(HUAWEI_EMULATOR_ACCESS_KEY, other), 'GET', '/channels')),
    ).toMatchObject({
      httpStatusCode: 403,
      errorCode: 'EG.00014030',
    });
  });

  it('clock skew: X-Sdk-Date more than 15 minutes from the server clock is refused, within is accepted', async () => {
    const skewed = async (offsetMs: number) => {
      const e = await HuaweiEmulator.start({ now: () => Date.now() + offsetMs });
      try {
        const hc = officialHuaweiClient(e.url, HUAWEI_EMULATOR_ACCESS_KEY, HUAWEI_EMULATOR_PROJECT);
        return await call(hc, 'GET', '/channels').catch((err: unknown) => err);
      } finally {
        await e.close();
      }
    };
    expect(await skewed(16 * 60_000)).toMatchObject({ httpStatusCode: 401, errorCode: 'APIGW.0301' });
    expect(await skewed(-16 * 60_000)).toMatchObject({ httpStatusCode: 401, errorCode: 'APIGW.0301' });
    expect(await skewed(10 * 60_000)).toMatchObject({ httpStatusCode: 200 });
  });
});
