/**
 * A loopback Amazon Connect AppIntegrations (event integrations), REST-JSON as the SDK calls it.
 * Verifies SigV4 over exactly what each request signed, enforces the documented constraints, ClientToken
 * idempotency, DuplicateResourceException, a quota, NextToken paging and AWS-shaped errors
 * (`x-amzn-errortype`). New ground: neither moto nor LocalStack community emulates this service.
 *
 * Split by API: `server.ts` (credentials, routing, faults, dispatch), `sigv4.ts`, `state.ts`
 * (per account x region), `appintegrations.ts`, `buses.ts`, `events.ts` (PutEvents), `tags.ts`.
 */
export {
  AWS_EMULATOR_CREDENTIALS,
  AWS_EMULATOR_CREDENTIALS_2,
  AwsEmulator,
  type AwsEmulatorOptions,
} from './server.js';
