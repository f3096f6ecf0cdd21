// Redaction by value (issue 16): registered secrets and URL userinfo are masked in every text polybus
// emits. It must never print a real secret: every value here is made up for the test.
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { TencentClient } from '../src/adapters/tencent/client.js';
import { TencentEmulator } from '../src/adapters/tencent/emulator/index.js';
import { createContainer } from '../src/core/runtime/container.js';
import { PolybusError } from '../src/core/model/errors.js';
import {
  REDACTED,
  redactBody,
  redactHeaders,
  redactText,
  redactUrlUserinfo,
  redactValue,
  registerSecret,
  registerSecretsFromEnv,
} from '../src/core/runtime/redact.js';
import { type RequestEvent, type ResponseEvent, Transport } from '../src/core/runtime/transport.js';

const URL_WITH_PASSWORD = 'https://alice:hunter2-url-pass@hooks.example.com/path?q=1';
const MASKED = 'https://alice:***@hooks.example.com/path?q=1';

describe('URL userinfo', () => {
  it('masks the password of a URL, keeping user, host and path', () => {
    expect(redactUrlUserinfo(`POST ${URL_WITH_PASSWORD} failed`)).toBe(`POST ${MASKED} failed`);
  });

  it('masks a userinfo without password whole (often a token), and any scheme', () => {
    expect(redactText('clone https://ghp_tokenvalue123@git.example.com/repo.git')).toBe(
      'clone https://***@git.example.com/repo.git',
    );
    expect(redactText('amqp://svc:pw-in-amqp@mq.local:5672/vhost')).toBe(
      'amqp://svc:***@mq.local:5672/vhost',
    );
  });

  it('masks a password holding an unencoded @ whole', () => {
    expect(redactText('https://bob:p@ss@host.example/x')).toBe('https://bob:***@host.example/x');
  });

  it('leaves URLs without userinfo and e-mail addresses in queries alone', () => {
    const text = 'see https://host.example/a?mail=a@b.example and ops@example.com';
    expect(redactText(text)).toBe(text);
  });

  it('masks userinfo inside JSON values, bodies and headers', () => {
    expect(redactValue({ target: { url: URL_WITH_PASSWORD } })).toEqual({ target: { url: MASKED } });
    expect(redactBody(JSON.stringify({ Endpoint: URL_WITH_PASSWORD }))).toBe(
      JSON.stringify({ Endpoint: MASKED }),
    );
    expect(redactBody(`url=${URL_WITH_PASSWORD}`)).toBe(`url=${MASKED}`);
    expect(redactHeaders({ location: URL_WITH_PASSWORD })).toEqual({ location: MASKED });
  });
});

describe('registered secret values', () => {
  it('masks a registered value as is, percent-encoded and JSON-escaped', () => {
    const secret = 'k3y/with+special"chars';
    registerSecret(secret);
    expect(redactText(`key=${secret}`)).toBe(`key=${REDACTED}`);
    expect(redactText(`key=${encodeURIComponent(secret)}`)).toBe(`key=${REDACTED}`);
    expect(redactBody(JSON.stringify({ note: `the key is ${secret}` }))).toBe(
      JSON.stringify({ note: `the key is ${REDACTED}` }),
    );
  });

  it('masks a longer secret whole when it contains a shorter one', () => {
    registerSecret('abcd-short');
    registerSecret('abcd-short-and-longer');
    expect(redactText('x abcd-short-and-longer y')).toBe(`x ${REDACTED} y`);
  });

  it('registers secret-named environment values, not identifiers or paths', () => {
    const env = {
      TENCENTCLOUD_SECRET_KEY: 'env-tencent-secret-key-value',
      HUAWEICLOUD_SDK_SK: 'env-huawei-sk-value',
      HW_SECRET_KEY: 'env-hw-secret-key-value',
      AWS_SESSION_TOKEN: 'env-aws-session-token-value',
      KAFKA_PASSWORD: 'env-kafka-password-value',
      TENCENTCLOUD_SECRET_ID: 'AKIDnot-a-secret-id',
      TENCENTCLOUD_CREDENTIALS_FILE: '/home/u/.tencentcloud/credentials',
    };
    expect(registerSecretsFromEnv(env)).toBe(5);
    const text = Object.values(env).join(' ');
    expect(redactText(text)).toBe(
      `${Array(5).fill(REDACTED).join(' ')} AKIDnot-a-secret-id /home/u/.tencentcloud/credentials`,
    );
  });

  it('a value seen under a secret field name is masked wherever it appears afterwards', () => {
    expect(redactValue({ kafka: { apiKey: 'seen-as-api-key-value', pass: 'seen-as-pass-value' } })).toEqual({
      kafka: { apiKey: REDACTED, pass: REDACTED },
    });
    expect(redactText('echo seen-as-api-key-value seen-as-pass-value')).toBe(`echo ${REDACTED} ${REDACTED}`);
  });

  it('createContainer registers the environment it is given', () => {
    createContainer({ env: { POLYBUS_TEST_TOKEN: 'container-env-token-value' } });
    expect(redactText('t=container-env-token-value')).toBe(`t=${REDACTED}`);
  });
});

describe('PolybusError never shows a URL password or a secret', () => {
  const make = () =>
    new PolybusError({
      code: 'Unavailable',
      provider: 'tencent',
      operation: 'CreateTarget',
      resource: URL_WITH_PASSWORD,
      message: `delivery to ${URL_WITH_PASSWORD} failed`,
      issues: [{ field: 'url', rule: `must be reachable: ${URL_WITH_PASSWORD}` }],
      cause: new Error(`connect ECONNREFUSED ${URL_WITH_PASSWORD}`),
    });

  it('in its message and toJSON', () => {
    const err = make();
    expect(err.message).toBe(`delivery to ${MASKED} failed`);
    const json = JSON.stringify(err);
    expect(json).not.toContain('hunter2');
    expect(json).toContain(MASKED);
  });

  it('in util.inspect / console.log output, the cause included', () => {
    const printed = inspect(make(), { depth: 5 });
    expect(printed).not.toContain('hunter2');
    expect(printed).toContain(MASKED);
    expect(printed).toContain('cause: Error: connect ECONNREFUSED');
  });
});

describe('hook events', () => {
  it('carry neither URL userinfo nor a key given in code (not through a credential source)', async () => {
    const keyInCode = 'key-given-in-code-only-0001';
    const strict = await TencentEmulator.start({
      credentials: [{ secretId: 'AKIDincode', secretKey: keyInCode }],
    });
    const transport = new Transport({ retry: { maxAttempts: 1 } });
    const events: (RequestEvent | ResponseEvent)[] = [];
    transport.observe({ onRequest: (e) => events.push(e), onResponse: (e) => events.push(e) });
    // An endpoint written with userinfo, as a proxy-style URL would be.
    const endpoint = strict.url.replace('http://', 'http://proxyuser:proxy-pass-in-url@');
    const client = new TencentClient({
      transport,
      endpoint,
      region: 'ap-guangzhou',
      credentials: async () => ({ secretId: 'AKIDincode', secretKey: keyInCode }),
    });
    const err = await client
      .createEventBus({ EventBusName: 'hook-bus', Description: `hook ${URL_WITH_PASSWORD} and ${keyInCode}` })
      .then(() => undefined)
      .catch((e: unknown) => e);
    expect(err).toBeUndefined();
    const seen = JSON.stringify(events);
    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(seen).not.toContain('hunter2');
    expect(seen).not.toContain('proxy-pass-in-url');
    expect(seen).not.toContain(keyInCode);
    expect(seen).toContain('proxyuser:***@');
    await transport.close();
    await strict.close();
  });
});
