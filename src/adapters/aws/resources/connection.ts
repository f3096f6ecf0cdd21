/**
 * AWS connections: AppIntegrations has none (an event integration has no targets of its own), so
 * every operation is refused as unsupported with the capability's note.
 */
import type { EventProvider } from '../../../core/contract/provider.js';
import { unsupportedApi } from '../../../core/runtime/resources.js';
import { awsCapabilities } from '../capabilities.js';
import { P } from './context.js';

/** The connections API: unsupported. */
export function createConnections(): EventProvider['connections'] {
  return unsupportedApi(P, 'connection', awsCapabilities.kinds.connection.operations.create.note);
}
