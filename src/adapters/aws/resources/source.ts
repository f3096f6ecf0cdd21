/**
 * AWS sources: AppIntegrations does not manage sources, it names a partner event source
 * (`aws.partner/...`) in EventFilter.Source; `get` answers that reference, the rest is unsupported.
 */
import type { EventProvider } from '../../../core/contract/provider.js';
import { unsupportedApi } from '../../../core/runtime/resources.js';
import { awsCapabilities } from '../capabilities.js';
import { sourceReference } from '../mapping.js';
import { P } from './context.js';

/** The sources API: references by name. */
export function createSources(): EventProvider['sources'] {
  const sources = {
    ...unsupportedApi<never, never, never>(P, 'source', awsCapabilities.kinds.source.operations.create.note),
    get: async (id: string) => sourceReference(id),
  };
  return sources as unknown as EventProvider['sources'];
}
