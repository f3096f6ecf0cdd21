/** The core contract, importable on its own: `polybus/core`. No adapter is reachable from here. */
export * from './capabilities.js';
export * from './container.js';
export * from './errors.js';
export * from './migrate.js';
export * from './model.js';
export * from './plan.js';
export * from './apply.js';
export * from './provider.js';
export * from './redact.js';
export * from './spec.js';
export * from './transport.js';
