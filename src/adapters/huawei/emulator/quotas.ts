/**
 * The emulator's ListQuotas: the EG quota types with this project's usage; only the targets per
 * subscription are enforced (by the subscription checks).
 */
import { bad, type Handlers, type HuaweiEmulatorScope, type ProjectState, type Row } from './common.js';

/**
 * ListQuotas: the quota types of the EG API reference ("Querying Quotas", QuotaItemInfo: name,
 * type, max, min, quota, used). Only SUBSCRIPTION_TARGET is a limit the emulator enforces (a
 * subscription has 1-5 targets, huawei-eventgrid.md); the other quota values are the emulator's
 * nominal ones, reported and not enforced, and fixed (max = quota). `used` counts this project's
 * resources; for the per-channel and per-subscription types, the fullest channel or subscription.
 */
const QUOTAS: {
  type: string;
  name: string;
  quota: number;
  min: number;
  used: (p: ProjectState) => number;
}[] = [
  {
    type: 'CHANNEL',
    name: 'custom event channels',
    quota: 100,
    min: 0,
    used: (p) => [...p.channels.values()].filter((c) => c.provider_type === 'CUSTOM').length,
  },
  {
    type: 'CHANNEL_SUBSCRIPTION',
    name: 'event subscriptions per event channel',
    quota: 100,
    min: 0,
    used: (p) => Math.max(0, ...countBy(p.subscriptions, (s) => String(s.channel_id)).values()),
  },
  { type: 'SOURCE', name: 'custom event sources', quota: 100, min: 0, used: (p) => p.sources.size },
  {
    type: 'SUBSCRIPTION',
    name: 'event subscriptions',
    quota: 500,
    min: 0,
    used: (p) => p.subscriptions.size,
  },
  {
    type: 'SUBSCRIPTION_TARGET',
    name: 'event targets per event subscription',
    quota: 5,
    min: 1,
    used: (p) => Math.max(0, ...[...p.subscriptions.values()].map((s) => (s.targets as Row[]).length)),
  },
  { type: 'CONNECTION', name: 'connections', quota: 100, min: 0, used: (p) => p.connections.size },
  { type: 'PRIVATE_ENDPOINT', name: 'private access endpoints', quota: 10, min: 0, used: () => 0 },
  {
    type: 'SOURCE_RABBITMQ',
    name: 'custom event sources (RabbitMQ)',
    quota: 10,
    min: 0,
    used: (p) => [...p.sources.values()].filter((s) => s.type === 'RABBITMQ').length,
  },
  {
    type: 'SOURCE_ROCKETMQ',
    name: 'custom event sources (RocketMQ)',
    quota: 10,
    min: 0,
    used: (p) => [...p.sources.values()].filter((s) => s.type === 'ROCKETMQ').length,
  },
];
/** Types the EG SDKs' ListQuotas `type` enum also takes; the emulator has no schemas, so none are listed. */
const QUOTA_TYPES_WITHOUT_ROWS = ['SCHEMA', 'SCHEMA_VERSION'];

function countBy(rows: Map<string, Row>, key: (r: Row) => string): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of rows.values()) out.set(key(r), (out.get(key(r)) ?? 0) + 1);
  return out;
}

/** ListQuotas: `GET /v1/{project_id}/quotas[?type=T]` answers `{quotas: {resources: [...]}}`. */
function listQuotas(emu: HuaweiEmulatorScope, q: URLSearchParams) {
  const type = q.get('type');
  const known = [...QUOTAS.map((r) => r.type), ...QUOTA_TYPES_WITHOUT_ROWS];
  if (type !== null && !known.includes(type))
    throw bad(`Bad request: type must be one of ${known.join(', ')}`);
  const state = emu.projects.current;
  const resources = QUOTAS.filter((r) => type === null || r.type === type).map((r) => ({
    name: r.name,
    type: r.type,
    max: r.quota,
    min: r.min,
    quota: r.quota,
    used: r.used(state),
  }));
  return { status: 200, body: { quotas: { resources } } };
}

/** The quota operation over the current project. */
export function quotaHandlers(emu: HuaweiEmulatorScope): Pick<Handlers, 'ListQuotas'> {
  return {
    ListQuotas: (_id, _req, q) => listQuotas(emu, q),
  };
}
