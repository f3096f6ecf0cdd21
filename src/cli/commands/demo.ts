/**
 * `polybus demo`: the main job. Starts the emulators in-process on loopback, applies the
 * example spec to each of its providers (plan, progress, outcomes), pauses and resumes a route,
 * shows that a second plan is empty, prints the capability matrix and a Tencent -> Huawei migration report
 * checked by behaviour, destroys what it
 * made, then publishes and traces events per provider (a loopback receiver gets the Huawei and
 * Azure webhook deliveries). Needs no credentials and no network beyond loopback.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { cloudEventFromHttp } from '../../core/model/cloudevents-http.js';
import type { EventProvider } from '../../core/contract/provider.js';
import type { CloudEvent } from '../../core/model/events.js';
import { buildMatrix } from '../../core/model/capabilities.js';
import { renderMatrixText } from '../render/capabilities.js';
import { exportSpec, translateSpec } from '../../core/engine/migrate.js';
import { type ApplyOutcome, applyPlan } from '../../core/engine/apply.js';
import type { VerifyReport } from '../../core/engine/verify.js';
import type { Spec } from '../../core/spec/schema.js';
import { collect } from '../../core/runtime/resources.js';
import { hasChanges, planChanges, summarize, validateSpec } from '../../core/engine/plan/index.js';
import { loadSpec } from '../../core/spec/load.js';
import { loadCapabilities } from '../../sdk/create.js';
import { type RunningEmulators, startEmulators } from '../../testing/all.js';
import { type Io, printJson } from '../render/output.js';
import { outputWidth, wrapText } from '../render/width.js';
import {
  openProviders,
  planSummaryLine,
  progressReporter,
  renderMigration,
  renderOutcomes,
  renderPlan,
} from './provision.js';
import { renderTrace } from './publish.js';
import { renderVerify, verifyOnEmulators } from './verify.js';

/** The bundled example spec. */
export const DEMO_SPEC = fileURLToPath(new URL('../../../examples/demo.yaml', import.meta.url));

/** Runs the demo; throws if any step fails (so the exit code tells). */
export async function runDemo(io: Io, json: boolean, specPath = DEMO_SPEC): Promise<void> {
  const emulators = await startEmulators();
  const env = { ...process.env, ...emulators.env };
  // Every line fits the terminal (or 100 columns off one): tables are fitted, prose is wrapped.
  const width = outputWidth();
  const say = (text: string) => {
    if (!json) io.out(wrapText(text, width));
  };
  const report: Record<string, unknown> = { emulators: emulators.endpoints };
  let spec: Awaited<ReturnType<typeof loadSpec>>;
  let open: Awaited<ReturnType<typeof openProviders>>;
  try {
    spec = await loadSpec(specPath, env);
    open = await openProviders(
      spec.targets.map((t) => t.provider),
      // each target as the emulators' environment points it, with its own options (Azure's case mode)
      { ...spec, targets: spec.targets.map(({ provider, options }) => ({ provider, options })) },
      env,
    );
  } catch (err) {
    // The emulators' servers would keep the process alive after the error is reported.
    await emulators.close();
    throw err;
  }
  const names = spec.targets.map((t) => t.provider);
  try {
    say('polybus demo: emulators on loopback');
    for (const [k, v] of Object.entries(emulators.endpoints)) say(`  ${k.padEnd(11)} ${v}`);
    say('');
    validateSpec(spec, open.providers);

    say(`== 1. plan: ${specPath} on ${names.join(', ')}`);
    const plan = await planChanges(spec, open.providers);
    say(renderPlan(plan));
    report.plan = { items: plan.items, summary: summarize(plan) };

    say('\n== 2. apply');
    const progress = progressReporter(io, json);
    const outcomes = await applyPlan(plan, open.providers, { onEvent: progress.onEvent });
    progress.stop();
    say(renderOutcomes(outcomes, { printed: progress.printed }));
    report.apply = outcomes;
    // an item left unmet (a route a target cannot express) fails the demo, as it fails `apply`
    const failed = outcomes.filter((o) => o.status === 'failed' || o.status === 'skipped' || o.unmet);

    report.routes = await routesStep(spec, open.providers, names, say);
    failed.push(...(await pauseResumeStep(spec, open.providers, say)));

    say('\n== 3. plan again: converged, nothing to do');
    const again = await planChanges(spec, open.providers);
    say(planSummaryLine(again));
    report.replan = summarize(again);

    say('\n== 4. capability matrix');
    const matrix = buildMatrix(await loadCapabilities(names));
    say(renderMatrixText(matrix, { notes: false, width }));
    say('(the notes behind each cell: polybus capabilities)');

    const verified = await migrationStep(open.providers, report, say);

    say('\n== 6. destroy');
    const teardown = await planChanges(spec, open.providers, { destroy: true });
    const destroyed = await applyPlan(teardown, open.providers);
    say(renderOutcomes(destroyed, { verb: 'destroy' }));
    report.destroy = destroyed;
    const left = await planChanges(spec, open.providers, { destroy: true });
    say(hasChanges(left) ? 'some resources are left behind' : 'everything the demo made is gone.');

    say('\n== 7. publish and trace: one matching and one non-matching order event per provider');
    report.publish = await publishStep(emulators, open.providers, say);

    if (json) printJson(io, report);
    if (
      failed.length ||
      destroyed.some((o) => o.status === 'failed') ||
      hasChanges(again) ||
      hasChanges(left) ||
      verified.different
    ) {
      throw new Error(
        `demo did not converge: ${failed.map((o) => `${o.key} ${o.status}`).join(', ') || 'see the plans above'}`,
      );
    }
  } finally {
    await open.close();
    await emulators.close();
  }
}

/** Step 2b: the route each provider holds, read back (filter -> targets, delivery). */
async function routesStep(
  spec: Spec,
  providers: Record<string, EventProvider>,
  names: string[],
  say: (text: string) => void,
): Promise<Record<string, unknown[]>> {
  say('\n== 2b. the route each provider holds (read back): filter -> targets, delivery');
  const routes: Record<string, unknown[]> = {};
  for (const name of names) {
    const live = await collect(providers[name]!.integrations.list());
    const declared = new Set(spec.integrations.map((i) => i.name));
    routes[name] = live.filter((i) => declared.has(i.name));
    for (const i of live.filter((x) => declared.has(x.name)))
      say(
        `  ${name.padEnd(8)} ${i.name}: filter ${JSON.stringify(i.filter ?? null)} -> ${
          i.targets?.length
            ? i.targets
                .map((t) =>
                  `${t.kind} ${t.kind === 'http' ? t.url : t.kind === 'kafka' ? `${t.topic}` : ''}`.trim(),
                )
                .join(', ')
            : name === 'aws'
              ? 'Amazon Connect (associations, reference-only)'
              : 'no targets'
        }${i.delivery?.retry ? `, retry ${i.delivery.retry.maxAttempts}x${i.delivery.retry.delaySeconds ? ` every ${i.delivery.retry.delaySeconds}s` : ''}` : ''}`,
      );
  }
  return routes;
}

/** Step 2c: pauses a route (enabled: false) and resumes it; returns the outcomes that failed. */
async function pauseResumeStep(
  spec: Spec,
  providers: Record<string, EventProvider>,
  say: (text: string) => void,
): Promise<ApplyOutcome[]> {
  const failed: ApplyOutcome[] = [];
  // Pause a route (enabled: false) and resume it; the plan below shows it converged again.
  const route = spec.integrations[0];
  if (route) {
    say(`\n== 2c. pause route ${route.name} (enabled: false), then resume it`);
    const paused = {
      ...spec,
      integrations: spec.integrations.map((i) => (i === route ? { ...i, enabled: false } : i)),
    };
    for (const [step, s] of [
      ['pause', paused],
      ['resume', spec],
    ] as const) {
      const p = await planChanges(s, providers);
      const done = await applyPlan(p, providers);
      failed.push(...done.filter((o) => o.status === 'failed' || o.status === 'skipped'));
      const updated = p.items.filter((i) => i.action === 'update' && i.kind === 'integration');
      say(`${step}: updated on ${updated.map((i) => i.provider).join(', ') || 'none'}`);
      // a provider whose route has no off switch keeps it running, and the plan says why
      for (const i of p.items)
        for (const w of i.warnings)
          if (i.kind === 'integration' && w.setting === 'enabled')
            say(`  not paused on ${i.provider}: ${w.detail}`);
    }
  }

  return failed;
}

/** Steps 5 and 5b: the migration report (tencent -> huawei), then the migration checked by behaviour. */
async function migrationStep(
  providers: Record<string, EventProvider>,
  report: Record<string, unknown>,
  say: (text: string) => void,
): Promise<VerifyReport> {
  say('\n== 5. migration report: tencent -> huawei (export live Tencent state, translate)');
  const exported = await exportSpec(providers.tencent!);
  const migration = translateSpec(exported, 'tencent', providers.huawei!);
  say(renderMigration(migration));
  report.migration = { rows: migration.rows, counts: migration.counts };

  say('\n== 5b. the migration checked by behaviour: the same events on both sides (private emulators)');
  const order = (id: string, source: string, type: string): CloudEvent => ({
    specversion: '1.0',
    id,
    source,
    type,
    time: new Date().toISOString(),
    data: { order: id, total: 42 },
  });
  const verified = await verifyOnEmulators({
    source: exported,
    migration,
    bus: 'orders',
    events: [
      order('new-order', 'shop.orders', 'order.created'),
      order('a-return', 'shop.returns', 'order.created'),
      order('a-refund', 'shop.orders', 'refund.created'),
    ],
  });
  say(renderVerify(verified));
  report.verify = verified;
  // A route held back for input (a reference only the user can map) is never applied, so the
  // events it routes differ: that is the check doing its job. Anything else is a real difference.
  const heldBack = new Set(
    migration.rows.filter((r) => r.kind === 'integration' && r.outcome === 'needs-input').map((r) => r.name),
  );
  const unexplained = verified.rows.filter(
    (r) =>
      r.differences.length &&
      !(r.to.matched.length === 0 && r.from.matched.length && r.from.matched.every((m) => heldBack.has(m))),
  );
  report.heldBack = [...heldBack];
  if (heldBack.size)
    say(
      `held back for input, so not compared: ${[...heldBack].join(', ')} (map its references with migrate --map to move it)`,
    );
  return { ...verified, different: unexplained.length };
}

/**
 * Step 7 (issue 17): a route per provider for `shop.orders` (Huawei: an HTTPS target on a loopback
 * receiver the demo starts), one matching and one non-matching event published to each, what
 * arrived at the receiver, and each provider's trace. Removes what it made.
 */
async function publishStep(
  emulators: RunningEmulators,
  providers: Record<string, EventProvider>,
  say: (text: string) => void,
): Promise<Record<string, unknown>> {
  const arrived: Record<string, unknown>[] = [];
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      // The CloudEvents webhook validation handshake Azure Event Grid asks before it delivers.
      const origin = req.headers['webhook-request-origin'];
      if (req.method === 'OPTIONS' && typeof origin === 'string') {
        res.writeHead(200, { 'WebHook-Allowed-Origin': origin, Allow: 'POST' }).end();
        return;
      }
      arrived.push(cloudEventFromHttp(req.headers, Buffer.concat(chunks).toString('utf8')).event);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/orders`;
  const event = (id: string, source: string): CloudEvent => ({
    specversion: '1.0',
    id,
    source,
    type: 'order.created',
    time: new Date().toISOString(),
    data: { order: id, total: 42 },
  });
  const out: Record<string, unknown> = { receiver: url };
  const cleanup: (() => Promise<void>)[] = [];
  try {
    for (const [name, p] of Object.entries(providers)) {
      if (!p.publish || !p.trace) continue;
      const bus = await p.buses.create({ name: 'demo-publish' });
      cleanup.unshift(() => p.buses.delete(bus.id));
      // AppIntegrations routes partner event sources only (compared exactly).
      const source = name === 'aws' ? 'aws.partner/shop.example.com/orders' : 'shop.orders';
      const integration = await p.integrations.create({
        name: 'demo-orders',
        bus: name === 'aws' ? bus.name : bus.id,
        filter: { source },
        // The neutral route: a webhook with one retry (Huawei HTTPS target, retry_times 1; Azure
        // WebHook destination, maxDeliveryAttempts 1, after the receiver's validation handshake).
        ...(name === 'huawei' || name === 'azure'
          ? { targets: [{ kind: 'http' as const, url }], delivery: { retry: { maxAttempts: 1 } } }
          : {}),
      });
      cleanup.unshift(() => p.integrations.delete(integration.id));
      const events = [event(`${name}-match`, source), event(`${name}-other`, 'shop.returns')];
      const busRef = name === 'aws' ? bus.name : bus.id;
      const results = await p.publish(busRef, events);
      say(
        `${name}: published ${results.filter((r) => r.ok).length} of ${results.length}${results.some((r) => !r.ok) ? ` (${results.map((r) => (r.ok ? 'ok' : r.error.message)).join('; ')})` : ''}`,
      );
      await emulators.started[name]?.settle();
      const traces = [];
      for (const [k, r] of results.entries()) {
        const id = r.ok ? (r.providerId ?? r.id) : events[k]!.id;
        const t = await p.trace(id, { bus: busRef, event: events[k]! });
        traces.push(t);
        say(renderTrace(t));
      }
      out[name] = { results, traces };
    }
    say(
      `receiver ${url} got ${arrived.length} event(s): ${arrived.map((e) => String(e.id)).join(', ') || 'none'} (Huawei and Azure deliver to webhooks; Tencent has no http target type; the demo's AWS route, with no targets, is an Amazon Connect event integration)`,
    );
    out.arrived = arrived.map((e) => e.id);
  } finally {
    for (const c of cleanup) await c().catch(() => undefined);
    receiver.closeAllConnections();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  }
  return out;
}
