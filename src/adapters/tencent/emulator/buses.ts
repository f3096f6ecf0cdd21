/**
 * Event buses in the Tencent emulator: CreateEventBus (names need not be unique: the API documents
 * no duplicate-name error), GetEventBus, ListEventBuses (with ConnectionBriefs and TargetBriefs),
 * UpdateEventBus and DeleteEventBus (ResourceInUse.EventBus while rules or connectors remain), and
 * the finder every child resource checks its bus with.
 */
import { randomId } from '../../../testing/loopback.js';
import {
  type Actions,
  checkDescription,
  checkName,
  type EmulatorContext,
  isoNow,
  page,
  type Params,
  required,
  type Row,
  TcError,
} from './common.js';
import { untagDeleted } from './tags.js';
import { connectionBriefs, targetBriefs } from './briefs.js';

/** The bus named by EventBusId (ResourceNotFound.EventBus). */
export function busOf(emu: EmulatorContext, p: Params): Row {
  required(p, 'EventBusId');
  const bus = emu.buses.get(String(p.EventBusId));
  if (!bus)
    throw new TcError(
      'ResourceNotFound.EventBus',
      'The specified event bus was not found. Please create it and try again.',
    );
  return bus;
}

/** The bus actions. */
export const busActions = (emu: EmulatorContext): Actions => ({
  CreateEventBus: (p) => {
    required(p, 'EventBusName');
    checkName(p.EventBusName, 'InvalidParameterValue.EventBusName', 'EventBusName');
    checkDescription(p.Description);
    const id = `eb-${randomId()}`;
    const t = isoNow(emu.now());
    emu.buses.set(id, {
      EventBusId: id,
      EventBusName: p.EventBusName,
      Description: p.Description ?? '',
      SaveDays: p.SaveDays ?? null,
      EnableStore: p.EnableStore ?? false,
      LinkMode: 'Disorder',
      Type: 'Custom',
      PayMode: '',
      ClsLogsetId: '',
      ClsTopicId: '',
      LogTopicId: null,
      AddTime: t,
      ModTime: t,
    });
    return { EventBusId: id };
  },
  GetEventBus: (p) => ({ ...busOf(emu, p) }),
  // The EventBus data type of ListEventBuses: the bus's summary with ConnectionBriefs (Type and
  // Status of each connector) and TargetBriefs (TargetId and Type of each target of its rules).
  ListEventBuses: (p) => {
    const { TotalCount, items } = page(p, [...emu.buses.values()]);
    return {
      TotalCount,
      EventBuses: items.map(
        ({ SaveDays, EnableStore, LinkMode, ClsLogsetId, ClsTopicId, LogTopicId, ...b }) => ({
          ...b,
          ConnectionBriefs: connectionBriefs(emu, b.EventBusId),
          TargetBriefs: targetBriefs(emu, (t) => t.EventBusId === b.EventBusId),
        }),
      ),
    };
  },
  UpdateEventBus: (p) => {
    const bus = busOf(emu, p);
    if (p.EventBusName !== undefined)
      checkName(p.EventBusName, 'InvalidParameterValue.EventBusName', 'EventBusName');
    checkDescription(p.Description);
    for (const k of ['Description', 'EventBusName', 'SaveDays', 'LogTopicId', 'EnableStore'])
      if (p[k] !== undefined) bus[k] = p[k];
    bus.ModTime = isoNow(emu.now());
    return {};
  },
  DeleteEventBus: (p) => {
    const bus = busOf(emu, p);
    const busy =
      [...emu.rules.values()].some((r) => r.EventBusId === bus.EventBusId) ||
      [...emu.connections.values()].some((c) => c.EventBusId === bus.EventBusId);
    if (busy)
      throw new TcError(
        'ResourceInUse.EventBus',
        'Failed to delete the event bus. Please first delete all rules, connectors and archives of it.',
      );
    emu.buses.delete(String(bus.EventBusId));
    untagDeleted(emu, 'eventbusid', String(bus.EventBusId));
    return {};
  },
});
