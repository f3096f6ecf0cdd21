/**
 * The brief views of a bus's children that list actions embed (seed 001 data types): a
 * connector's Status (ConnectionBrief) and TargetBrief. Apart from the resource files so that
 * buses, rules, connections and targets can all use them without importing one another.
 */
import type { EmulatorContext, Row } from './common.js';

/** A connector's Status from its age: `Creating` for `connectionReadyMs`, then `Active`. */
export function connectionStatus(emu: EmulatorContext, c: Row): string {
  return emu.now() - Number(c._created) >= emu.connectionReadyMs ? 'Active' : 'Creating';
}

/** The ConnectionBrief (Type, Status) of each connector of the bus `busId` (ListEventBuses). */
export function connectionBriefs(emu: EmulatorContext, busId: unknown): Row[] {
  return [...emu.connections.values()]
    .filter((c) => c.EventBusId === busId)
    .map((c) => ({ Type: c.Type, Status: connectionStatus(emu, c) }));
}

/** The TargetBrief (TargetId, Type) of each target `which` selects (ListEventBuses, ListRules). */
export function targetBriefs(emu: EmulatorContext, which: (t: Row) => boolean): Row[] {
  return [...emu.targets.values()].filter(which).map((t) => ({ TargetId: t.TargetId, Type: t.Type }));
}
