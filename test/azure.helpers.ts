/**
 * Test plumbing for the Azure tests: official Azure SDK clients pointed at the emulator (the SDK's
 * bearer policy insists on https, so the token from the emulator's Entra endpoint is attached by a
 * small policy instead), and a WebHook receiver on loopback that answers the CloudEvents
 * abuse-protection handshake and records what it is sent.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventGridManagementClient } from '@azure/arm-eventgrid';
import {
  AZURE_EMULATOR_CLIENT,
  AZURE_EMULATOR_SUBSCRIPTION,
  type AzureEmulator,
} from '../src/adapters/azure/emulator/index.js';

/** A token from the emulator's client-credentials endpoint. */
export async function emulatorToken(
  emu: AzureEmulator,
  scope = 'https://management.azure.com/.default',
): Promise<string> {
  const c = AZURE_EMULATOR_CLIENT;
  const res = await fetch(`${emu.url}/${c.tenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      client_id: c.clientId,
      client_secret: c.clientSecret,
      scope,
      grant_type: 'client_credentials',
    }),
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

/** The official management client on the emulator. */
export async function armClient(emu: AzureEmulator): Promise<EventGridManagementClient> {
  const token = await emulatorToken(emu);
  const client = new EventGridManagementClient(
    { getToken: () => Promise.resolve({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) },
    AZURE_EMULATOR_SUBSCRIPTION,
    { endpoint: emu.url, allowInsecureConnection: true, retryOptions: { maxRetries: 0 } },
  );
  client.pipeline.removePolicy({ name: 'bearerTokenAuthenticationPolicy' });
  client.pipeline.addPolicy({
    name: 'emulatorBearer',
    sendRequest: (req, next) => {
      req.headers.set('authorization', `Bearer ${token}`);
      return next(req);
    },
  });
  return client;
}

/** A WebHook on loopback: answers the handshake (unless told not to) and records each delivery. */
export interface Receiver {
  url: string;
  received: Record<string, unknown>[];
  handshakes: number;
  /** Status answered to deliveries (default 200). */
  status: number;
  close(): Promise<void>;
}

export async function startReceiver(options: { handshake?: boolean } = {}): Promise<Receiver> {
  const r: Receiver = { url: '', received: [], handshakes: 0, status: 200, close: async () => undefined };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'OPTIONS') {
        r.handshakes++;
        if (options.handshake === false) res.writeHead(403).end();
        else
          res
            .writeHead(200, { 'WebHook-Allowed-Origin': String(req.headers['webhook-request-origin']) })
            .end();
        return;
      }
      const body: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      for (const e of Array.isArray(body) ? body : [body]) r.received.push(e as Record<string, unknown>);
      res.writeHead(r.status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  r.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return r;
}
