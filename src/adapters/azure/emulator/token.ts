/**
 * The emulator's Microsoft Entra ID: the OAuth 2.0 client credentials grant at
 * `POST /{tenant}/oauth2/v2.0/token` (form body: `client_id`, `client_secret`, `scope`,
 * `grant_type=client_credentials`) answering `{ token_type, expires_in, access_token }` or an
 * AADSTS error, and the bearer check of each ARM or publishing request (audience by scope).
 */
import { randomBytes } from 'node:crypto';
import type { LoopbackRequest } from '../../../testing/loopback.js';
import { type Answer, ArmError } from './common.js';

/** The emulator's tenant (a GUID, like a real one). */
export const AZURE_EMULATOR_TENANT = '72f988bf-0000-4000-8000-00000000e1e1';
/** The emulator's Azure subscription id. */
export const AZURE_EMULATOR_SUBSCRIPTION = '00000000-0000-4000-8000-00000000a2e1';
/** The emulator's resource group. */
export const AZURE_EMULATOR_RESOURCE_GROUP = 'polybus-rg';
/** The emulator's app registration (test values, nobody's secret). */
export const AZURE_EMULATOR_CLIENT = {
  tenantId: AZURE_EMULATOR_TENANT,
  clientId: '11111111-2222-4333-8444-555555555555',
  clientSecret: 'emulator-client-secret-not-a-real-one',
};

/** The audiences a token is issued for, by the scope asked (`{resource}/.default`). */
export const AUDIENCES = {
  arm: 'https://management.azure.com',
  eventgrid: 'https://eventgrid.azure.net',
} as const;

interface Issued {
  expiresAt: number;
  audience: string;
}

/** Issues and checks tokens. */
export class EntraEmulator {
  readonly tokens = new Map<string, Issued>();
  /** Token requests answered (tests count them: a cached token is not asked for again). */
  issued = 0;
  constructor(
    private readonly clients: (typeof AZURE_EMULATOR_CLIENT)[],
    private readonly ttlSeconds: number,
  ) {}

  /** `POST /{tenant}/oauth2/v2.0/token`. */
  token(tenant: string, req: LoopbackRequest): Answer {
    const form = new URLSearchParams(req.body.toString('utf8'));
    const fail = (status: number, error: string, code: number, text: string): Answer => ({
      status,
      body: { error, error_description: `AADSTS${code}: ${text}`, error_codes: [code] },
    });
    if (!this.clients.some((c) => c.tenantId === tenant))
      return fail(400, 'invalid_request', 90002, `Tenant '${tenant}' not found.`);
    if (form.get('grant_type') !== 'client_credentials')
      return fail(400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.');
    const client = this.clients.find((c) => c.tenantId === tenant && c.clientId === form.get('client_id'));
    if (!client)
      return fail(
        400,
        'unauthorized_client',
        700016,
        `Application '${form.get('client_id') ?? ''}' was not found in the directory.`,
      );
    if (form.get('client_secret') !== client.clientSecret)
      return fail(401, 'invalid_client', 7000215, 'Invalid client secret provided.');
    const scope = form.get('scope') ?? '';
    const audience = Object.values(AUDIENCES).find(
      (a) => scope === `${a}/.default` || scope === `${a}//.default`,
    );
    if (!audience)
      return fail(400, 'invalid_scope', 1002012, `The provided value for scope ${scope} is not valid.`);
    const accessToken = `eyJ0eXAiOiJKV1QifQ.${randomBytes(24).toString('base64url')}.emulator`;
    this.tokens.set(accessToken, { expiresAt: Date.now() + this.ttlSeconds * 1000, audience });
    this.issued++;
    return {
      status: 200,
      body: {
        token_type: 'Bearer',
        expires_in: this.ttlSeconds,
        ext_expires_in: this.ttlSeconds,
        access_token: accessToken,
      },
    };
  }

  /** Checks a request's bearer token for `audience`; an ARM 401 otherwise. */
  authorize(req: LoopbackRequest, audience: string): void {
    const header = req.headers.authorization;
    if (!header)
      throw new ArmError(
        401,
        'AuthenticationFailed',
        "Authentication failed. The 'Authorization' header is missing.",
      );
    const m = /^Bearer (.+)$/.exec(header);
    const t = m ? this.tokens.get(m[1]!) : undefined;
    if (!t) throw new ArmError(401, 'InvalidAuthenticationToken', 'The access token is invalid.');
    if (t.expiresAt <= Date.now())
      throw new ArmError(
        401,
        'ExpiredAuthenticationToken',
        'The access token expiry UTC time is earlier than current UTC time.',
      );
    if (t.audience !== audience)
      throw new ArmError(
        401,
        'InvalidAuthenticationTokenAudience',
        `The access token has been obtained for wrong audience or resource '${t.audience}'.`,
      );
  }

  /** Expires every token now (a run past the tokens' lifetime). */
  expireAll(): void {
    for (const t of this.tokens.values()) t.expiresAt = 0;
  }
}
