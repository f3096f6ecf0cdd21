/**
 * Amazon Connect AppIntegrations' cells of the capability matrix. Data only: importing this never
 * loads the AWS SDK.
 */
import { type CapabilitySet, cell, unsupportedKind } from '../../core/capabilities.js';
import type { MutabilityTable, ReplaceStrategy } from '../../core/provider.js';

const REF_BUS =
  'AppIntegrations references an existing EventBridge bus by name; manage the bus with EventBridge';
const REF_SOURCE =
  'the partner event source is referenced by name in EventFilter.Source; AppIntegrations does not manage sources';

/** What AWS AppIntegrations supports. */
export const awsCapabilities: CapabilitySet = {
  provider: 'aws',
  displayName: 'AWS AppIntegrations',
  kinds: {
    bus: {
      operations: {
        create: cell('unsupported', REF_BUS),
        get: cell('reference-only', 'returns a reference to the EventBridge bus name, without a request'),
        list: cell('unsupported', REF_BUS),
        update: cell('unsupported', REF_BUS),
        delete: cell('unsupported', REF_BUS),
      },
      features: {},
    },
    source: {
      operations: {
        create: cell('unsupported', REF_SOURCE),
        get: cell(
          'reference-only',
          'returns a reference to the partner event source name, without a request',
        ),
        list: cell('unsupported', REF_SOURCE),
        update: cell('unsupported', REF_SOURCE),
        delete: cell('unsupported', REF_SOURCE),
      },
      features: {},
    },
    connection: unsupportedKind('AppIntegrations event integrations have no connection resource'),
    integration: {
      operations: {
        create: cell(
          'native',
          'EventIntegration (metadata only); answers just the ARN, so polybus follows with a Get',
          'CreateEventIntegration',
          'GetEventIntegration',
        ),
        get: cell('native', 'by Name (the identifier)', 'GetEventIntegration'),
        list: cell('native', 'optionally filtered by EventBridge bus client-side', 'ListEventIntegrations'),
        update: cell(
          'native',
          'Description in place, tags via Tag/UntagResource; Name, EventBridgeBus and EventFilter.Source are replace-only',
          'UpdateEventIntegration',
          'TagResource',
          'UntagResource',
        ),
        delete: cell(
          'native',
          'refused while clients are associated (checked first with ListEventIntegrationAssociations)',
          'DeleteEventIntegration',
          'ListEventIntegrationAssociations',
        ),
      },
      features: {
        pagination: cell('native', 'NextToken/MaxResults (1-50), iterated lazily', 'ListEventIntegrations'),
        filterBySource: cell('native', 'EventFilter.Source', 'CreateEventIntegration'),
        tags: cell(
          'native',
          'Tags on create; TagResource/UntagResource on update (lowercase tags/tagKeys)',
          'TagResource',
          'UntagResource',
          'ListTagsForResource',
        ),
        idempotencyToken: cell(
          'native',
          'ClientToken, derived from the desired resource unless given',
          'CreateEventIntegration',
        ),
      },
    },
  },
};

/** Mutability: only Description updates in place; tags go through tag calls. */
export const awsMutability: MutabilityTable = {
  integration: {
    description: 'update',
    tags: 'tags',
    name: 'replace',
    bus: 'replace',
    'filter.source': 'replace',
  },
};

/** Name is the identifier, so a replacement deletes first (blocked while associations exist). */
export const awsReplaceStrategy: Partial<
  Record<'bus' | 'source' | 'connection' | 'integration', ReplaceStrategy>
> = {
  integration: 'delete-before-create',
};
