/**
 * A loopback Tencent EventBridge (API 3.0, 2021-04-16): POST JSON and GET query strings signed with
 * TC3 (scope `eb`, 5-minute window), GET and POST form bodies signed with HmacSHA1/HmacSHA256
 * (signature v1), documented name rules, paging, per-action rate limits, documented error bodies,
 * targets, transformations and a per-bus event log for SearchLog. State lives in memory. It must
 * never listen beyond 127.0.0.1. `server.ts` routes and checks each request (`signatures.ts`); each
 * resource's actions are in their own file (`buses.ts`, `rules.ts`, `targets.ts`, `tags.ts`...).
 */
export { TENCENT_EMULATOR_CREDENTIALS, TencentEmulator, type TencentEmulatorOptions } from './server.js';
export { unflatten } from './signatures.js';
export type { LogEntry } from './logs.js';
