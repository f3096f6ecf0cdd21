// Redaction by value (issue 16): registered secrets and URL userinfo are masked in every text polybus
// emits. It must never print a real secret: every value here is made up for the test.
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { TencentClient } from '../src/adapters/tencent/client.js';
import { TencentEmulator } from '../src/adapters/tencent/emulator/index.js';
import { createContainer } from '../src/core/runtime/container.js';
import { isPolybusError, PolybusError } from '../src/core/model/errors.js';
import { bodyExcerpt } from '../src/core/runtime/parse.js';
import { createPolybus } from '../src/sdk/create.js';
import { runCli } from './helpers/cli.js';
import { startServer } from './helpers/server.js';
import {
  REDACTED,
  redactBody,
  redactCutText,
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

/** Every 5-character piece of a secret, lower-cased: none may appear in anything printed. */
const piecesOf = (secret: string) =>
  Array.from({ length: secret.length - 4 }, (_, i) => secret.slice(i, i + 5).toLowerCase());
const leaked = (secret: string, text: string) =>
  piecesOf(secret).filter((p) => text.toLowerCase().includes(p));

describe('issue 27, item 5: secrets are masked before a body is cut, in any letter case', () => {
  // 19 characters, letters a request id or a hex digest never holds.
  const TOKEN = 'zqXJwv7KPm3RtYb9Lq2';
  registerSecret(TOKEN);

  it('bodyExcerpt: 102 A then the token prints no piece of it (the token straddled the cut)', () => {
    const excerpt = bodyExcerpt(`${'A'.repeat(102)}${TOKEN}`);
    expect(leaked(TOKEN, excerpt)).toEqual([]);
    expect(excerpt).toBe(`${'A'.repeat(102)}${REDACTED}`);
  });

  it('a token echoed in lower or upper case is masked, in texts, excerpts and errors', () => {
    for (const echo of [TOKEN.toLowerCase(), TOKEN.toUpperCase()]) {
      expect(redactText(`token=${echo};`)).toBe(`token=${REDACTED};`);
      expect(bodyExcerpt(`gateway says ${echo}`)).toBe(`gateway says ${REDACTED}`);
      const err = new PolybusError({
        code: 'Unavailable',
        provider: 'tencent',
        operation: 'X',
        message: echo,
      });
      expect(leaked(TOKEN, `${err.message} ${JSON.stringify(err)} ${inspect(err)}`)).toEqual([]);
    }
    // percent-encoded with lower-case hex digits
    registerSecret('k3y/with+slash-27');
    expect(redactText('q=k3y%2fwith%2bslash-27')).toBe(`q=${REDACTED}`);
  });

  it('a body cut by the network inside the token masks the piece it ends with', () => {
    for (const n of [4, 12, 18]) {
      const excerpt = bodyExcerpt(`${'A'.repeat(30)}${TOKEN.slice(0, n).toLowerCase()}`);
      expect(excerpt).toBe(`${'A'.repeat(30)}${REDACTED}`);
    }
    expect(redactCutText('ends with zq')).toBe('ends with zq'); // shorter pieces are ordinary text
  });

  it('two secrets that overlap are masked whole, with nothing of either left between', () => {
    registerSecret('overlap-first-AB12');
    registerSecret('AB12-overlap-second');
    expect(redactText('x overlap-first-AB12-overlap-second y')).toBe(`x ${REDACTED} y`);
  });

  it('an excerpt never cuts a mask in two, and secret-named JSON fields are masked too', () => {
    const excerpt = bodyExcerpt(`${'B'.repeat(115)}${TOKEN}${'C'.repeat(50)}`);
    expect(excerpt).toBe(`${'B'.repeat(115)}${REDACTED}...`);
    expect(bodyExcerpt(JSON.stringify({ error: 'x', sessionToken: 'never-registered-27' }))).toBe(
      JSON.stringify({ error: 'x', sessionToken: REDACTED }),
    );
  });

  describe('through a fault proxy that echoes the session token it received', () => {
    const ID = 'AKIDitem5proxy000000000000000000000';
    const env = (url: string): Record<string, string> => ({
      POLYBUS_TENCENT_ENDPOINT: url,
      TENCENTCLOUD_SECRET_ID: ID,
      TENCENTCLOUD_SECRET_KEY: 'item5-secret-key-value-000000',
      TENCENTCLOUD_SESSION_TOKEN: TOKEN,
      TENCENTCLOUD_REGION: 'ap-guangzhou',
    });
    /** Answers as an attacker's proxy would, with the x-tc-token header it was sent. */
    const answers: Record<string, (token: string) => { status: number; body: string }> = {
      'a 502 of 102 A then the token': (t) => ({ status: 502, body: `${'A'.repeat(102)}${t}` }),
      'a 502 echoing it in lower case': (t) => ({ status: 502, body: `bad gateway: ${t.toLowerCase()}` }),
      'a body cut inside it': (t) => ({ status: 200, body: `{"Response": {"x": "${t.slice(0, 15)}` }),
      'a service error echoing it in lower case': (t) => ({
        status: 200,
        body: JSON.stringify({
          Response: {
            Error: { Code: 'AuthFailure.TokenFailure', Message: `token ${t.toLowerCase()} is invalid` },
            RequestId: 'req-1',
          },
        }),
      }),
    };

    for (const [name, answer] of Object.entries(answers)) {
      it(`${name}: the error (message, JSON, inspect) shows no piece of it`, async () => {
        const proxy = await startServer((req, _body, res) => {
          const { status, body } = answer(String(req.headers['x-tc-token']));
          res.writeHead(status, { 'content-type': 'text/plain' });
          res.end(body);
        });
        try {
          const polybus = createPolybus({
            env: env(proxy.url),
            transportOptions: { retry: { maxAttempts: 1 } },
          });
          const tencent = await polybus.provider('tencent');
          const err = await tencent.buses.get('eb-item5').catch((e: unknown) => e);
          expect(isPolybusError(err)).toBe(true);
          expect(proxy.requests[0]?.headers['x-tc-token']).toBe(TOKEN); // the proxy did see it
          const shown = `${(err as Error).message} ${JSON.stringify(err)} ${inspect(err, { depth: 5 })}`;
          expect(leaked(TOKEN, shown)).toEqual([]);
          await polybus.close();
        } finally {
          await proxy.close();
        }
      });
    }

    it('the CLI prints no piece of it either (exit 1, JSON and text)', async () => {
      const proxy = await startServer((req, _body, res) => {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`${'A'.repeat(102)}${String(req.headers['x-tc-token'])}`);
      });
      try {
        for (const args of [
          ['buses', 'get', '-p', 'tencent', '--id', 'eb-item5', '--json'],
          ['buses', 'get', '-p', 'tencent', '--id', 'eb-item5'],
        ]) {
          const r = await runCli(args, env(proxy.url));
          expect(r.code).toBe(1);
          expect(`${r.stdout}${r.stderr}`).toContain('body starts');
          expect(leaked(TOKEN, `${r.stdout}${r.stderr}`)).toEqual([]);
        }
      } finally {
        await proxy.close();
      }
    }, 60_000);
  });
});
