/**
 * `polybus demo`: the main job. Starts the three emulators in-process on loopback, applies the
 * example spec to all three providers (plan, progress, outcomes), pauses and resumes a route,
 * shows that a second plan is empty, prints the capability matrix and a Tencent -> Huawei migration report, then destroys what
 * it made. Needs no credentials and no network beyond loopback.
 */
import { fileURLToPath } from 'node:url';
import { buildMatrix, renderMatrixText } from '../core/capabilities.js';
import { exportSpec, translateSpec } from '../core/migrate.js';
import { applyPlan } from '../core/apply.js';
import { collect } from '../core/provider.js';
import { hasChanges, planChanges, summarize, validateSpec } from '../core/plan.js';
import { loadSpec } from '../core/spec.js';
import { loadCapabilities } from '../providers.js';
import { startEmulators } from './emulators.js';
import { type Io, printJson } from './output.js';
import {
  openProviders,
  planSummaryLine,
  progressReporter,
  renderMigration,
  renderOutcomes,
  renderPlan,
} from './provision.js';

/** The bundled example spec. */
export const DEMO_SPEC = fileURLToPath(new URL('../../examples/demo.yaml', import.meta.url));

/** Runs the demo; throws if any step fails (so the exit code tells). */
export async function runDemo(io: Io, json: boolean, specPath = DEMO_SPEC): Promise<void> {
  const emulators = await startEmulators();
  const env = { ...process.env, ...emulators.env };
  const say = (text: string) => {
    if (!json) io.out(text);
  };
  const report: Record<string, unknown> = { emulators: emulators.endpoints };
  const spec = await loadSpec(specPath, env);
  const names = spec.targets.map((t) => t.provider);
  const open = await openProviders(
    names,
    { ...spec, targets: spec.targets.map(({ provider }) => ({ provider })) },
    env,
  );
  try {
    say(
      `polybus demo: emulators on loopback (${Object.entries(emulators.endpoints)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')})\n`,
    );
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
    const failed = outcomes.filter((o) => o.status === 'failed' || o.status === 'skipped');

    say('\n== 2b. the route each provider holds (read back): filter -> targets, delivery');
    const routes: Record<string, unknown[]> = {};
    for (const name of names) {
      const live = await collect(open.providers[name]!.integrations.list());
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
    report.routes = routes;
    // Pause a route (enabled: false) and resume it; the plan below shows it converged again.
    const route = spec.integrations[0];
    if (route) {
      say(`\n== 2b. pause route ${route.name} (enabled: false), then resume it`);
      const paused = {
        ...spec,
        integrations: spec.integrations.map((i) => (i === route ? { ...i, enabled: false } : i)),
      };
      for (const [step, s] of [
        ['pause', paused],
        ['resume', spec],
      ] as const) {
        const p = await planChanges(s, open.providers);
        const done = await applyPlan(p, open.providers);
        failed.push(...done.filter((o) => o.status === 'failed' || o.status === 'skipped'));
        const updated = p.items.filter((i) => i.action === 'update' && i.kind === 'integration');
        say(`${step}: updated on ${updated.map((i) => i.provider).join(', ') || 'none'}`);
      }
    }

    say('\n== 3. plan again: converged, nothing to do');
    const again = await planChanges(spec, open.providers);
    say(planSummaryLine(again));
    report.replan = summarize(again);

    say('\n== 4. capability matrix');
    const matrix = buildMatrix(await loadCapabilities(names));
    say(renderMatrixText(matrix));

    say('\n== 5. migration report: tencent -> huawei (export live Tencent state, translate)');
    const exported = await exportSpec(open.providers.tencent!);
    const migration = translateSpec(exported, 'tencent', open.providers.huawei!);
    say(renderMigration(migration));
    report.migration = { rows: migration.rows, counts: migration.counts };

    say('\n== 6. destroy');
    const teardown = await planChanges(spec, open.providers, { destroy: true });
    const destroyed = await applyPlan(teardown, open.providers);
    say(renderOutcomes(destroyed, { verb: 'destroy' }));
    report.destroy = destroyed;
    const left = await planChanges(spec, open.providers, { destroy: true });
    say(hasChanges(left) ? 'some resources are left behind' : 'everything the demo made is gone.');

    if (json) printJson(io, report);
    if (
      failed.length ||
      destroyed.some((o) => o.status === 'failed') ||
      hasChanges(again) ||
      hasChanges(left)
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
