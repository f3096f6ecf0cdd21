/**
 * Connectors of a bus in the Tencent emulator: CreateConnection, ListConnections, UpdateConnection
 * and DeleteConnection; a new connector is `Creating` for `connectionReadyMs`, then `Active`.
 */
import { randomId } from '../../../testing/loopback.js';
import { connectionStatus } from './briefs.js';
import { busOf } from './buses.js';
import {
  type Actions,
  checkDescription,
  type EmulatorContext,
  isoNow,
  page,
  type Params,
  qcsDescription,
  required,
  type Row,
  TcError,
} from './common.js';

/** The connector named by ConnectionId on the bus named by EventBusId (ResourceNotFound.Connection). */
function connectionOf(emu: EmulatorContext, p: Params): Row {
  busOf(emu, p);
  const c = emu.connections.get(String(p.ConnectionId));
  if (!c || c.EventBusId !== p.EventBusId) {
    throw new TcError('ResourceNotFound.Connection', 'The specified `Connection` was not found.');
  }
  return c;
}

/** A connector as ListConnections shows it: its Status from its age. */
function connectionView(emu: EmulatorContext, c: Row): Row {
  const { _created, ...rest } = c;
  return { ...rest, Status: connectionStatus(emu, c) };
}

/** The connector actions. */
export const connectionActions = (emu: EmulatorContext): Actions => ({
  CreateConnection: (p) => {
    busOf(emu, p);
    required(p, 'ConnectionName', 'ConnectionDescription');
    if (typeof p.ConnectionName !== 'string' || p.ConnectionName.length > 60) {
      throw new TcError('InvalidParameterValue.ConnectionName', 'The value of `ConnectionName` is invalid.');
    }
    checkDescription(p.Description);
    const desc = qcsDescription(p.ConnectionDescription, 'ConnectionDescription');
    const id = `connection-${randomId()}`;
    const t = isoNow(emu.now());
    emu.connections.set(id, {
      ConnectionId: id,
      ConnectionName: p.ConnectionName,
      EventBusId: p.EventBusId,
      ConnectionDescription: { APIGWParams: null, ...desc },
      Description: p.Description ?? '',
      Enable: p.Enable ?? false,
      Type: p.Type ?? 'tdmq',
      AddTime: t,
      ModTime: t,
      _created: emu.now(),
    });
    return { ConnectionId: id };
  },
  ListConnections: (p) => {
    busOf(emu, p);
    const rows = [...emu.connections.values()].filter((c) => c.EventBusId === p.EventBusId);
    const { TotalCount, items } = page(p, rows);
    return { TotalCount, Connections: items.map((c) => connectionView(emu, c)) };
  },
  UpdateConnection: (p) => {
    const c = connectionOf(emu, p);
    checkDescription(p.Description);
    for (const k of ['Enable', 'Description', 'ConnectionName']) if (p[k] !== undefined) c[k] = p[k];
    c.ModTime = isoNow(emu.now());
    return {};
  },
  DeleteConnection: (p) => {
    emu.connections.delete(String(connectionOf(emu, p).ConnectionId));
    return {};
  },
});
