import fc from 'fast-check';
// The official signer, a devDependency used only here as an independent reference.
import * as signModule from 'tencentcloud-sdk-nodejs-common/tencentcloud/common/sign.js';
import { describe, expect, it } from 'vitest';
import { Tc3Signer, tc3Date } from '../src/adapters/tencent/auth.js';

type OfficialSign = { sign3(args: Record<string, unknown>): string };
// CommonJS `exports.default = Sign`: depending on the loader's interop it sits one or two levels down.
const loaded = signModule as unknown as { default: OfficialSign & { default?: OfficialSign } };
const Sign: OfficialSign =
  typeof loaded.default.sign3 === 'function' ? loaded.default : loaded.default.default!;

// The worked example of the Signature v3 section (seed 001). The document prints the SecretId and
// SecretKey with five asterisks; the signature it shows is reproduced with seven in the key.
const VECTOR = {
  secretId: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******',
  secretKey: 'Gu5t9xGARNpq86cd98joQYCN3*******',
  service: 'cvm',
  host: 'cvm.tencentcloudapi.com',
  contentType: 'application/json; charset=utf-8',
  payload: '{"Limit": 1, "Filters": [{"Values": ["unnamed"], "Name": "instance-name"}]}',
  timestamp: 1551113065,
};

describe('TC3-HMAC-SHA256 (Signature v3 worked example)', () => {
  const signed = new Tc3Signer().sign(VECTOR);

  it('hashes the payload as the document shows', () => {
    expect(signed.canonicalRequest.split('\n').at(-1)).toBe(
      '99d58dfbc6745f6747f36bfca17dee5e6881dc0428a0a36f96199342bc5b4907',
    );
  });

  it('builds the canonical request and its hash', () => {
    expect(signed.canonicalRequest).toBe(
      'POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\ncontent-type;host\n99d58dfbc6745f6747f36bfca17dee5e6881dc0428a0a36f96199342bc5b4907',
    );
    expect(signed.hashedCanonicalRequest).toBe(
      '2815843035062fffda5fd6f2a44ea8a34818b0dc46f024b8b3786976a3adda7a',
    );
  });

  it('uses the UTC date, not the local one, in the credential scope', () => {
    expect(tc3Date(1551113065)).toBe('2019-02-25'); // 00:44 on 02-26 in UTC+8
    expect(signed.credentialScope).toBe('2019-02-25/cvm/tc3_request');
  });

  it('reproduces the documented signature and Authorization header', () => {
    expect(signed.signature).toBe('c492e8e41437e97a620b728c301bb8d17e7dc0c17eeabce80c20cd70fc3a78ff');
    expect(signed.authorization).toBe(
      'TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=c492e8e41437e97a620b728c301bb8d17e7dc0c17eeabce80c20cd70fc3a78ff',
    );
  });

  it('caches the derived key per date and service, and follows a key change', () => {
    const signer = new Tc3Signer();
    const a = signer.signingKey('id', 'k1', '2024-01-01', 'eb');
    expect(signer.signingKey('id', 'k1', '2024-01-01', 'eb')).toBe(a);
    expect(signer.signingKey('id', 'k1', '2024-01-02', 'eb')).not.toEqual(a);
    expect(signer.signingKey('id', 'k2', '2024-01-01', 'eb')).not.toEqual(a);
  });
});

describe('cross-check with the official tencentcloud-sdk-nodejs signer', () => {
  it('official signer reproduces the document vector too', () => {
    const sig = Sign.sign3({
      method: 'POST',
      url: 'https://cvm.tencentcloudapi.com/',
      payload: Buffer.from(VECTOR.payload),
      timestamp: VECTOR.timestamp,
      service: 'cvm',
      secretId: VECTOR.secretId,
      secretKey: VECTOR.secretKey,
      multipart: false,
      boundary: '',
      headers: { 'Content-Type': VECTOR.contentType },
    });
    expect(sig).toContain('Signature=c492e8e41437e97a620b728c301bb8d17e7dc0c17eeabce80c20cd70fc3a78ff');
  });

  it('polybus and the official signer agree on generated requests', () => {
    const signer = new Tc3Signer();
    const label = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/);
    fc.assert(
      fc.property(
        fc.record({
          service: fc.constantFrom('eb', 'cvm', 'cam'),
          region: fc.option(label, { nil: undefined }),
          secretId: fc.stringMatching(/^AKID[A-Za-z0-9]{4,32}$/),
          secretKey: fc.string({ minLength: 1, maxLength: 40 }),
          payload: fc.json(),
          timestamp: fc.integer({ min: 1_000_000_000, max: 4_000_000_000 }),
        }),
        (r) => {
          const host = `${r.service}.${r.region ? `${r.region}.` : ''}tencentcloudapi.com`;
          const payload = Buffer.from(r.payload);
          const ours = signer.sign({ ...r, host, contentType: 'application/json', payload });
          const official = Sign.sign3({
            method: 'POST',
            url: `https://${host}/`,
            payload,
            timestamp: r.timestamp,
            service: r.service,
            secretId: r.secretId,
            secretKey: r.secretKey,
            multipart: false,
            boundary: '',
            headers: { 'Content-Type': 'application/json' },
          });
          expect(ours.authorization).toBe(official);
        },
      ),
      { numRuns: 300 },
    );
  });
});
