/**
 * A loopback Huawei Cloud EventGrid v1 plus the IAM token endpoint: verifies AK/SK signatures
 * (`SDK-HMAC-SHA256` over exactly the headers the request signs, clock skew window, security
 * tokens) or checks X-Auth-Token (missing, unknown, expired -> 401), and the project id in the
 * path; enforces the documented name rules and per-tenant uniqueness, pages with offset/limit and
 * `fuzzy_name`, answers documented error bodies and the documents' timestamp format, and creates
 * connections asynchronously (CREATING -> CREATED). Serves every operation of polybus's Huawei
 * catalog (actions.ts), and channel PutEvents. Never listens beyond 127.0.0.1.
 */
export {
  HUAWEI_EMULATOR_PROJECT,
  HUAWEI_EMULATOR_PROJECT_2,
  HuaweiEmulator,
  type HuaweiEmulatorOptions,
} from './server.js';
export { HUAWEI_EMULATOR_ACCESS_KEY, HUAWEI_EMULATOR_USER, HUAWEI_MAX_CLOCK_SKEW_MS } from './iam.js';
export { huaweiTimestamp } from './common.js';
