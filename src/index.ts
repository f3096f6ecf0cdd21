/**
 * polybus: one provider-neutral interface over cloud event-integration services. The user API
 * only: the core contract plus the bundled adapters' registry; adapters load lazily on first use.
 * Adapter-author helpers are in `polybus/adapter-kit` and must not be exported from here.
 */
export * from './core/index.js';
export {
  type AwsCredentials,
  type AwsOptions,
  BUNDLED_PROVIDERS,
  type BundledProvider,
  createPolybus,
  type HuaweiCredentials,
  type HuaweiOptions,
  isProviderName,
  loadCapabilities,
  type PolybusOptions,
  PROVIDER_NAMES,
  type ProviderCredentialsMap,
  type ProviderName,
  type ProviderOptionsMap,
  providerNames,
  type TencentCredentials,
  type TencentOptions,
} from './sdk/create.js';
export {
  apply,
  destroy,
  type OpenProviders,
  openProviders,
  plan,
  planDestroy,
  type ProvisionApplyOptions,
  type ProvisionOptions,
  type ProvisionPlan,
} from './sdk/provision.js';
