// A CommonJS TypeScript consumer (`require` of the ESM package, Node 20.19+): must compile.
import { createPolybus, PROVIDER_NAMES } from 'polybus';

export const names: readonly string[] = PROVIDER_NAMES;
export const container = createPolybus({ env: {} });
