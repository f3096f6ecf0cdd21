/**
 * Migration checked by behaviour: the spec on the source provider and its translation on the
 * target provider are applied to private loopback emulators, the same events are published to
 * both, and each event's behaviour is compared (published or refused, which integrations matched,
 * which receivers got it). Every http target is pointed at a loopback recorder first, so a check
 * never sends to a URL of the user's. It must never run against a real cloud: publishing test
 * events to live routes would deliver them.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { applyPlan } from './apply.js';
import { cloudEventFromHttp } from '../model/cloudevents-http.js';
import { invalidArgument, PolybusError } from '../model/errors.js';
import { planChanges } from './plan/index.js';
import { collect } from '../runtime/resources.js';
import { type EventProvider } from '../contract/provider.js';
import type { CloudEvent, PublishResult } from '../model/events.js';
import type { TraceReport } from '../contract/publish.js';
import type { Target } from '../model/routing.js';
import type { Spec } from '../spec/schema.js';

/** One side of the comparison. */
export type VerifySideName = 'from' | 'to';

/** What one receiver got of one event on one side. */
export interface ReceiverOutcome {
  /** The receiver in neutral terms: `http <url as in the spec>`, `kafka topic <t>`, `function <ref>`, `log <ref>`. */
  receiver: string;
  /** Which integration routed the event there. */
  integration: string;
  /**
   * `delivered`: the loopback recorder answered 2xx to a delivery of this event. `routed`: the
   * integration matched and routes to a target kind the emulator does not run (kafka, function,
   * log), so routing is all that can be checked. Otherwise the emulator's delivery status.
   */
  status: 'delivered' | 'routed' | 'failed' | 'dead-lettered' | 'pending' | 'not-delivered';
  attempts: number;
}

/** How one event behaved on one provider. */
export interface SideBehaviour {
  provider: string;
  /** Whether the provider took the event; the refusal otherwise (field and rule). */
  published: boolean;
  refusal?: string;
  /** Names of the integrations that matched, sorted. */
  matched: string[];
  /** Sorted by receiver. */
  receivers: ReceiverOutcome[];
}

/** One event, both sides, and what differs. */
export interface VerifyEventRow {
  event: string;
  from: SideBehaviour;
  to: SideBehaviour;
  /** One line per difference; empty when the event behaved the same. */
  differences: string[];
}

/** The result of a behaviour check. */
export interface VerifyReport {
  from: string;
  to: string;
  bus: string;
  rows: VerifyEventRow[];
  same: number;
  different: number;
  /** What the check could not observe, said plainly. */
  notes: string[];
}

/** A receipt of the loopback recorder: which side's receiver got which event, and the answer. */
interface Receipt {
  side: VerifySideName;
  receiver: string;
  eventId: string;
}

/**
 * The loopback recorder every http target is pointed at during a check: it answers 204 to every
 * delivery (and allows the CloudEvents webhook validation handshake) and records which receiver
 * (by its original URL) got which event on which side.
 */
export class ReceiverRecorder {
  readonly receipts: Receipt[] = [];
  /** Original URL by path (`/from/0`), and path by side and original URL. */
  private readonly byPath = new Map<string, { side: VerifySideName; receiver: string }>();
  private readonly pathOf = new Map<string, string>();

  private readonly server: Server;
  private base = '';

  private constructor() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const where = this.byPath.get(new URL(req.url ?? '/', 'http://x').pathname);
        // The CloudEvents webhook validation handshake (HTTP 1.1 Web Hooks spec, abuse protection):
        // a sender that asks before delivering (Azure Event Grid) is allowed, as a receiver would.
        const origin = req.headers['webhook-request-origin'];
        if (req.method === 'OPTIONS' && where && typeof origin === 'string') {
          res.writeHead(200, { 'WebHook-Allowed-Origin': origin, Allow: 'POST' }).end();
          return;
        }
        try {
          const { event } = cloudEventFromHttp(req.headers, Buffer.concat(chunks).toString('utf8'));
          if (where) this.receipts.push({ ...where, eventId: String(event.id) });
          res.writeHead(where ? 204 : 404).end();
        } catch {
          res.writeHead(400).end();
        }
      });
    });
  }

  /** `http://127.0.0.1:<port>`. */
  get url(): string {
    return this.base;
  }

  /** Starts a recorder on 127.0.0.1, port 0. */
  static async start(): Promise<ReceiverRecorder> {
    const recorder = new ReceiverRecorder();
    await new Promise<void>((resolve) => recorder.server.listen(0, '127.0.0.1', resolve));
    recorder.base = `http://127.0.0.1:${(recorder.server.address() as AddressInfo).port}`;
    return recorder;
  }

  /** The recorder URL that stands for `original` on `side` (the same URL for the same receiver). */
  urlFor(side: VerifySideName, original: string): string {
    const key = `${side} ${original}`;
    let path = this.pathOf.get(key);
    if (!path) {
      path = `/${side}/${this.pathOf.size}`;
      this.pathOf.set(key, path);
      this.byPath.set(path, { side, receiver: original });
    }
    return `${this.url}${path}`;
  }

  /** The original URL a recorder URL stands for, or undefined. */
  originalOf(url: string): string | undefined {
    if (!url.startsWith(this.url)) return undefined;
    return this.byPath.get(url.slice(this.url.length))?.receiver;
  }

  /** Stops the server. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }
}

/**
 * A copy of `spec` whose http URLs under integrations (neutral `targets[].url` and any `url` in
 * their extensions) point at the recorder, each standing for its original URL.
 */
export function pointReceiversAt(spec: Spec, side: VerifySideName, recorder: ReceiverRecorder): Spec {
  const rewrite = (value: unknown, key?: string): unknown => {
    if (Array.isArray(value)) return value.map((v) => rewrite(v));
    if (value && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewrite(v, k)]));
    if (key === 'url' && typeof value === 'string' && /^https?:\/\//i.test(value))
      return recorder.urlFor(side, value);
    return value;
  };
  return { ...spec, integrations: spec.integrations.map((i) => rewrite(i) as typeof i) };
}

/** A neutral target as a receiver key (the original URL for http). */
export function receiverOf(t: Target, recorder?: ReceiverRecorder): string {
  switch (t.kind) {
    case 'http':
      return `http ${recorder?.originalOf(t.url) ?? t.url}`;
    case 'kafka':
      return `kafka topic ${t.topic}`;
    case 'function':
      return `function ${t.function}`;
    case 'log':
      return `log ${t.log}`;
  }
}

/** Applies `spec` on `provider` (its only target) and throws with the items that failed. */
async function applyOn(spec: Spec, provider: EventProvider, signal?: AbortSignal): Promise<void> {
  const own: Spec = { ...spec, targets: [{ provider: provider.name }] };
  const plan = await planChanges(own, { [provider.name]: provider }, signal ? { signal } : {});
  const outcomes = await applyPlan(plan, { [provider.name]: provider }, signal ? { signal } : {});
  const failed = outcomes.filter((o) => o.status === 'failed' || o.status === 'skipped');
  const unreadable = plan.items.filter((i) => i.action === 'error' || i.action === 'blocked');
  if (failed.length || unreadable.length)
    throw new PolybusError({
      code: 'Conflict',
      provider: 'polybus',
      operation: 'migrate --verify',
      message: `the spec could not be applied to the ${provider.name} emulator: ${[
        ...failed.map((o) => `${o.kind} ${o.name}: ${o.error?.message ?? o.status}`),
        ...unreadable.map((i) => `${i.kind} ${i.name}: ${i.action}`),
      ].join('; ')}`,
    });
}

/** Everything {@link verifyMigration} needs; the providers must be backed by loopback emulators. */
export interface VerifyInput {
  /** The provider the spec comes from, and the spec as it sees it. */
  from: { provider: EventProvider; spec: Spec };
  /** The provider migrated to, and the translated spec (`Migration.spec`). */
  to: { provider: EventProvider; spec: Spec };
  /** The bus (by name) the events are published to on both sides. */
  bus: string;
  events: CloudEvent[];
  /** Waits until each side's emulator has ended every delivery in flight. */
  settle(): Promise<void>;
  signal?: AbortSignal;
}

/**
 * Applies both specs (http receivers pointed at a loopback recorder), publishes `events` to `bus`
 * on both providers, waits for deliveries, and compares each event's behaviour.
 */
export async function verifyMigration(input: VerifyInput): Promise<VerifyReport> {
  checkCanVerify(input);
  const recorder = await ReceiverRecorder.start();
  try {
    const sides = { from: input.from, to: input.to } as const;
    checkBus(input);
    // A bus the migration could not carry: every event is refused on the target, said per event.
    const lostBus = !input.to.spec.buses.some((b) => b.name === input.bus);
    for (const name of ['from', 'to'] as const) {
      const { provider, spec } = sides[name];
      await applyOn(pointReceiversAt(spec, name, recorder), provider, input.signal);
    }
    const published = {
      from: await input.from.provider.publish!(input.bus, input.events),
      to: lostBus ? refusedForLostBus(input) : await input.to.provider.publish!(input.bus, input.events),
    };
    await input.settle();
    const from = await behaviourOn('from', input, published.from, recorder);
    const to = await behaviourOn('to', input, published.to, recorder);
    return reportOf(input, from, to);
  } finally {
    await recorder.close();
  }
}

/** Refuses a check that cannot run: no events, or a side that cannot publish and trace. */
function checkCanVerify(input: VerifyInput): void {
  if (!input.events.length)
    throw invalidArgument('polybus', 'migrate --verify', [
      { field: 'events', rule: 'give at least one event to publish on both sides' },
    ]);
  for (const side of [input.from, input.to])
    if (!side.provider.publish || !side.provider.trace)
      throw new PolybusError({
        code: 'Unsupported',
        provider: side.provider.name,
        operation: 'migrate --verify',
        message: `${side.provider.name} has no publish and trace: behaviour cannot be compared`,
      });
}

/** Refuses a bus that the source spec does not have. */
function checkBus(input: VerifyInput): void {
  if (!input.from.spec.buses.some((b) => b.name === input.bus))
    throw invalidArgument('polybus', 'migrate --verify', [
      {
        field: 'bus',
        rule: `bus ${input.bus} is not in the spec as ${input.from.provider.name} sees it (buses: ${input.from.spec.buses.map((b) => b.name).join(', ') || 'none'})`,
      },
    ]);
}

/** The publish results of the target side when the migration lost the bus: every event refused. */
function refusedForLostBus(input: VerifyInput): PublishResult[] {
  return input.events.map((e, index): PublishResult => ({
    index,
    ok: false,
    id: e.id,
    error: {
      code: 'NotFound',
      field: 'bus',
      message: `bus ${input.bus} is not in the translated spec (see the migration report)`,
      retryable: false,
    },
  }));
}

/** How each event behaved on one side, from its publish result and its trace. */
async function behaviourOn(
  name: VerifySideName,
  input: VerifyInput,
  published: PublishResult[],
  recorder: ReceiverRecorder,
): Promise<SideBehaviour[]> {
  const provider = input[name].provider;
  const targetsOf = await targetsByIntegration(provider);
  const out: SideBehaviour[] = [];
  for (const [k, event] of input.events.entries()) {
    const r = published[k]!;
    if (!r.ok) {
      out.push({
        provider: provider.name,
        published: false,
        refusal: `${r.error.field ? `${r.error.field}: ` : ''}${r.error.message}`,
        matched: [],
        receivers: [],
      });
      continue;
    }
    const trace: TraceReport = await provider.trace!(r.providerId ?? r.id, { bus: input.bus, event });
    const hits = trace.matches.filter((m) => m.matched);
    const matched = hits.map((m) => m.name ?? m.integration);
    const receivers: ReceiverOutcome[] = [];
    for (const m of hits) receivers.push(...receiversOf(name, m, trace, targetsOf, event, recorder));
    out.push({
      provider: provider.name,
      published: true,
      matched: [...new Set(matched)].sort(),
      receivers: receivers.sort((a, b) => a.receiver.localeCompare(b.receiver)),
    });
  }
  return out;
}

/** The neutral targets of each live integration, by name (undefined where the model does not read them back). */
async function targetsByIntegration(provider: EventProvider): Promise<Map<string, Target[] | undefined>> {
  const integrations = await collect(provider.integrations.list());
  const targetsOf = new Map<string, Target[] | undefined>();
  for (const i of integrations) {
    // A summary list may leave targets out (listOmits): get reads them.
    const full = i.targets === undefined ? await provider.integrations.get(i.id) : i;
    targetsOf.set(i.name, full.targets);
  }
  return targetsOf;
}

/** What each receiver of one matched integration got of `event` on side `name`. */
function receiversOf(
  name: VerifySideName,
  m: TraceReport['matches'][number],
  trace: TraceReport,
  targetsOf: Map<string, Target[] | undefined>,
  event: CloudEvent,
  recorder: ReceiverRecorder,
): ReceiverOutcome[] {
  const receivers: ReceiverOutcome[] = [];
  const integration = m.name ?? m.integration;
  const targets = targetsOf.get(integration);
  if (!targets) {
    // Targets the neutral model does not read back: the trace's own description of each.
    for (const d of trace.deliveries.filter((x) => x.integration === m.integration))
      receivers.push({
        receiver: d.destination ?? d.target,
        integration,
        status: d.status,
        attempts: d.attempts,
      });
    return receivers;
  }
  for (const t of targets) {
    const receiver = receiverOf(t, recorder);
    if (t.kind !== 'http') {
      receivers.push({ receiver, integration, status: 'routed', attempts: 0 });
      continue;
    }
    const got = recorder.receipts.filter(
      (x) => x.side === name && `http ${x.receiver}` === receiver && x.eventId === event.id,
    ).length;
    const d = trace.deliveries.find((x) => x.integration === m.integration && x.destination === t.url);
    receivers.push({
      receiver,
      integration,
      status: got ? 'delivered' : (d?.status ?? 'not-delivered'),
      attempts: d?.attempts ?? got,
    });
  }
  return receivers;
}

/** The report: one row per event, both sides and their differences, with the counts and notes. */
function reportOf(input: VerifyInput, from: SideBehaviour[], to: SideBehaviour[]): VerifyReport {
  const rows = input.events.map((e, k) => {
    const row = { event: e.id, from: from[k]!, to: to[k]! };
    return { ...row, differences: differencesOf(row.from, row.to) };
  });
  const different = rows.filter((r) => r.differences.length).length;
  return {
    from: input.from.provider.name,
    to: input.to.provider.name,
    bus: input.bus,
    rows,
    same: rows.length - different,
    different,
    notes: [
      'Both specs ran on private loopback emulators; every http target was pointed at a loopback recorder that accepts each delivery, so no URL of the spec was called.',
      'kafka, function and log targets are not run by the emulators: for them the check compares routing (the integration matched and routes there), not a delivery.',
    ],
  };
}

/** The differences between two sides' behaviour of one event, one line each. */
export function differencesOf(a: SideBehaviour, b: SideBehaviour): string[] {
  const out: string[] = [];
  if (a.published !== b.published) {
    const [took, refused] = a.published ? [a, b] : [b, a];
    out.push(`published on ${took.provider}, refused on ${refused.provider} (${refused.refusal ?? ''})`);
    return out;
  }
  const only = (x: string[], y: string[]) => x.filter((v) => !y.includes(v));
  for (const [x, y] of [
    [a, b],
    [b, a],
  ] as const)
    for (const name of only(x.matched, y.matched))
      out.push(`matched ${name} on ${x.provider}, no integration of that name matched on ${y.provider}`);
  const key = (r: ReceiverOutcome) => `${r.receiver} (${r.status})`;
  const ka = a.receivers.map(key);
  const kb = b.receivers.map(key);
  for (const [x, kx, ky] of [
    [a, ka, kb],
    [b, kb, ka],
  ] as const)
    for (const k of only(kx, ky)) out.push(`${k} on ${x.provider} only`);
  return out;
}
