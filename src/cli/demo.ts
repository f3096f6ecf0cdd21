/**
 * `polybus demo`: the main job. Starts the emulators in-process and drives the neutral API end to
 * end against them, then removes what it made. Needs no account and no network beyond loopback.
 */
import { buildMatrix, renderMatrixText } from '../core/capabilities.js';
import { resolveProvider, TYPES } from '../core/container.js';
import type { Transport } from '../core/transport.js';
import { createPolybus, loadCapabilities } from '../providers.js';
import { startEmulators } from './emulators.js';
import { type Io, printJson } from './output.js';

/** Runs the demo. */
export async function runDemo(io: Io, json: boolean): Promise<void> {
  const emulators = await startEmulators();
  const container = createPolybus({ env: { ...process.env, ...emulators.env } });
  const log: Record<string, unknown>[] = [];
  const say = (line: string, data?: Record<string, unknown>) => {
    if (json) log.push({ step: line, ...data });
    else io.out(line);
  };
  try {
    say(
      `emulators: ${Object.entries(emulators.endpoints)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')}`,
    );
    const tencent = await resolveProvider(container, 'tencent');
    const bus = await tencent.buses.create({ name: 'demo-orders', description: 'polybus demo bus' });
    say(`created bus ${bus.name} (${bus.id})`, { bus });
    const integ = await tencent.integrations.create({
      name: 'demo-orders-shop',
      bus: bus.id,
      filter: { source: 'shop.orders' },
    });
    say(`created integration ${integ.name} (${integ.id}) filtering source ${integ.filter.source}`, {
      integration: integ,
    });
    await tencent.integrations.delete(integ.id);
    await tencent.buses.delete(bus.id);
    say('destroyed everything the demo made');
    const matrix = buildMatrix(await loadCapabilities());
    if (json) printJson(io, { steps: log, capabilities: matrix });
    else io.out(`\n${renderMatrixText(matrix)}`);
  } finally {
    await container.get<Transport>(TYPES.Transport).close();
    await emulators.close();
  }
}
