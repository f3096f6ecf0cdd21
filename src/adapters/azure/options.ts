/**
 * The options a user may give the Azure provider (`createPolybus({ providers: { azure } })`), as
 * a strict zod schema the registry checks without loading the adapter, and the documented forms
 * of the values that become part of a host or an ARM path (region, subscription id, resource
 * group). zod only.
 */
import { z } from 'zod';
import { invalidArgument } from '../../core/model/errors.js';
import { originOption, type RegionForm, regionOption } from '../../core/runtime/options.js';

/** Azure region names as ARM takes them in `location`: westeurope, eastus2, swedencentral. */
export const AZURE_REGION: RegionForm = {
  provider: 'azure',
  pattern: /^[a-z][a-z0-9]{1,39}$/,
  example: 'westeurope',
};

/** A subscription id is a GUID (it is an ARM path segment). */
export const SUBSCRIPTION_ID =
  /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const SUBSCRIPTION_RULE = 'must be an Azure subscription id (a GUID); it is an ARM path segment';
/** Resource group names: 1-90 letters, digits, `_ - . ( )`, not ending in `.` (ARM naming rules). */
export const RESOURCE_GROUP = /^[-\w.()]{0,89}[-\w()]$/u;
const RESOURCE_GROUP_RULE =
  'must be a resource group name: 1-90 letters, digits, underscores, hyphens, periods and parentheses, not ending in a period';
/** A tenant id: a GUID or a domain name (it is a path segment of the token endpoint). */
export const TENANT_ID = /^(?:[0-9a-fA-F-]{36}|[A-Za-z0-9][A-Za-z0-9.-]{0,252})$/;
const TENANT_RULE =
  'must be a tenant id (GUID) or a verified domain name; it is a path segment of the token endpoint';

/** Checks a value against a documented form wherever it came from. */
export function checkedForm(value: string, form: RegExp, rule: string, field: string): string {
  if (!form.test(value)) throw invalidArgument('azure', 'configure', [{ field, rule }]);
  return value;
}
export const checkedSubscription = (v: string, field: string) =>
  checkedForm(v, SUBSCRIPTION_ID, SUBSCRIPTION_RULE, field);
export const checkedResourceGroup = (v: string, field: string) =>
  checkedForm(v, RESOURCE_GROUP, RESOURCE_GROUP_RULE, field);
export const checkedTenant = (v: string, field: string) => checkedForm(v, TENANT_ID, TENANT_RULE, field);

/** Options of the Azure Event Grid adapter: `createPolybus({ providers: { azure } })`. */
export interface AzureOptions {
  /** Azure subscription id; default `AZURE_SUBSCRIPTION_ID` (required one way or the other). */
  subscriptionId?: string;
  /** Resource group of the topics; default `AZURE_RESOURCE_GROUP` (required one way or the other). */
  resourceGroup?: string;
  /** Region (`location`) of new topics; default `AZURE_LOCATION`, else `westeurope`. */
  region?: string;
  /** ARM origin; default `POLYBUS_AZURE_ENDPOINT`, else `https://management.azure.com`. */
  endpoint?: string;
  /** Entra ID origin; default `AZURE_AUTHORITY_HOST`, else `https://login.microsoftonline.com`. */
  authorityHost?: string;
  /**
   * Whether Event Grid's case-insensitive string comparisons may stand for the neutral
   * (case-sensitive) ones: `refuse` (default) refuses a comparison whose value has letters,
   * except a subject prefix/suffix (made case-sensitive); `accept` translates it anyway, and an
   * event differing only in case is then routed too. Default `POLYBUS_AZURE_CASE_INSENSITIVE_MATCH`.
   */
  caseInsensitiveMatch?: 'refuse' | 'accept';
}

/** Checks {@link AzureOptions}; unknown keys are errors. */
export const AzureOptionsSchema = z.strictObject({
  subscriptionId: z.string().regex(SUBSCRIPTION_ID, SUBSCRIPTION_RULE).optional(),
  resourceGroup: z.string().regex(RESOURCE_GROUP, RESOURCE_GROUP_RULE).optional(),
  region: regionOption(AZURE_REGION),
  endpoint: originOption(),
  authorityHost: originOption(),
  caseInsensitiveMatch: z
    .enum(['refuse', 'accept'], { error: 'caseInsensitiveMatch must be refuse or accept' })
    .optional(),
}) satisfies z.ZodType<AzureOptions>;
