/**
 * polybus: one provider-neutral interface over cloud event-integration services. The core
 * contract plus the bundled adapters' registry; adapters load lazily on first use.
 */
export * from './core/index.js';
export {
  BUNDLED_PROVIDERS,
  createPolybus,
  loadCapabilities,
  type PolybusOptions,
  providerNames,
} from './providers.js';
