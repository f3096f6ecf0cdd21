/** The spec's JSON Schema (`polybus schema`), for editor completion. */
import { z } from 'zod';
import { SpecSchema } from './schema.js';

/** The JSON Schema of the spec file, for editor completion (`polybus schema`). */
export function specJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(SpecSchema, { io: 'input' }) as unknown as Record<string, unknown> & {
    properties: { integrations: { items: { properties: Record<string, unknown> } } };
  };
  // The filter is checked by a refinement (recursive, one dialect per expression): describe it here.
  schema.properties.integrations.items.properties.filter = {
    description:
      "A neutral filter expression, a list of them (all must hold), or the shorthand { source } (= exact: { source }). Required unless the item carries the provider's native filter in extensions.<provider> instead (capability row filter.native); never both",
    anyOf: [
      { $ref: '#/$defs/filterExpression' },
      { type: 'array', minItems: 1, items: { $ref: '#/$defs/filterExpression' } },
      {
        type: 'object',
        properties: { source: { type: 'string', minLength: 1 } },
        required: ['source'],
        additionalProperties: false,
      },
    ],
  };
  const comparison = {
    type: 'object',
    minProperties: 1,
    maxProperties: 1,
    description:
      'one attribute (source, type, subject, an extension, or data.<path>) and the string it is compared with',
    additionalProperties: { type: 'string' },
  };
  const one = (dialect: string, body: unknown) => ({
    type: 'object',
    properties: { [dialect]: body },
    required: [dialect],
    additionalProperties: false,
  });
  const list = { type: 'array', minItems: 1, items: { $ref: '#/$defs/filterExpression' } };
  schema.$defs = {
    ...(schema.$defs as Record<string, unknown> | undefined),
    filterExpression: {
      anyOf: [
        one('exact', comparison),
        one('prefix', comparison),
        one('suffix', comparison),
        one('all', list),
        one('any', list),
        one('not', { $ref: '#/$defs/filterExpression' }),
      ],
    },
  };
  return {
    ...schema,
    title: 'polybus spec',
    $id: 'https://polybus.dev/spec.schema.json',
  };
}
