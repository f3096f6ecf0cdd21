/**
 * The bundled providers, in registry order. Adding a provider is one folder under
 * `src/adapters/` with its `definition.ts`, and one entry here (see docs/architecture.md).
 */
import { aws } from './aws/definition.js';
import { azure } from './azure/definition.js';
import { huawei } from './huawei/definition.js';
import { tencent } from './tencent/definition.js';

/** Every bundled provider's definition. */
export const PROVIDERS = [tencent, huawei, aws, azure] as const;
