/**
 * Tencent event sources: EventBridge has no event-source resource, so every call is refused with
 * the capability's note.
 */
import { unsupportedApi } from '../../../core/runtime/resources.js';
import type { EventProvider } from '../../../core/contract/provider.js';
import { tencentCapabilities } from '../capabilities.js';
import { P } from './context.js';

/** The `sources` member of the provider. */
export function createSources(): EventProvider['sources'] {
  return unsupportedApi(P, 'source', tencentCapabilities.kinds.source.operations.create.note);
}
