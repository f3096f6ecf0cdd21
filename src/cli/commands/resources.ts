/**
 * Ad-hoc resource commands, like a cloud's own CLI:
 * `polybus <buses|sources|connections|integrations> <list|get|create|update|delete> --provider P`.
 */
import type { Command } from 'commander';
import { resolveProvider } from '../../core/runtime/container.js';
import { invalidArgument } from '../../core/model/errors.js';
import type { ResourceKind } from '../../core/model/resources.js';
import { apiOf } from '../../core/runtime/resources.js';
import { type EventProvider } from '../../core/contract/provider.js';
import { parseYamlInput } from '../../core/spec/yaml.js';
import { readSpecText } from '../../core/spec/load.js';
import { createPolybus, providerNames } from '../../sdk/create.js';
import { openOneTarget } from '../target.js';
import { type Io, positiveInt, printJson, printRecord, printRows } from '../render/output.js';

const KINDS: [string, ResourceKind][] = [
  ['buses', 'bus'],
  ['sources', 'source'],
  ['connections', 'connection'],
  ['integrations', 'integration'],
];

interface ResourceFlags {
  provider?: string;
  target?: string;
  file?: string;
  id?: string;
  name?: string;
  bus?: string;
  description?: string;
  source?: string;
  kind?: string;
  endpoint?: string;
  retentionDays?: number;
  tag?: string[];
  vpcId?: string;
  subnetId?: string;
  input?: string;
  pageSize?: number;
}

/**
 * Runs `fn` with the provider the flags name (`--provider`, or `--target` of the spec `-f`), then
 * closes its connections.
 */
export async function withProvider<T>(
  flags: { provider?: string; target?: string; file?: string },
  fn: (provider: EventProvider) => Promise<T>,
): Promise<T> {
  if (flags.target !== undefined || flags.file !== undefined) {
    const open = await openOneTarget(flags, 'cli');
    try {
      return await fn(open.provider);
    } finally {
      await open.close();
    }
  }
  const name = flags.provider ?? '';
  if (!providerNames().includes(name)) {
    throw invalidArgument('polybus', 'cli', [
      {
        field: 'provider',
        rule:
          flags.provider === undefined
            ? `give --provider (${providerNames().join(', ')}) or --target <id> -f <spec>`
            : `must be one of ${providerNames().join(', ')}`,
      },
    ]);
  }
  const container = createPolybus();
  try {
    return await fn(await resolveProvider(container, name));
  } finally {
    await container.close();
  }
}

/** Builds create/update input from flags (and `--input file`, JSON or YAML). */
async function inputFrom(kind: ResourceKind, f: ResourceFlags): Promise<Record<string, unknown>> {
  const base = f.input
    ? ((parseYamlInput(await readSpecText(f.input), f.input) ?? {}) as Record<string, unknown>)
    : {};
  const tags = f.tag?.length
    ? Object.fromEntries(
        f.tag.map((t) => {
          const i = t.indexOf('=');
          if (i < 1) throw invalidArgument('polybus', 'cli', [{ field: 'tag', rule: 'must be key=value' }]);
          return [t.slice(0, i), t.slice(i + 1)];
        }),
      )
    : undefined;
  const input: Record<string, unknown> = {
    ...base,
    ...(f.name !== undefined ? { name: f.name } : {}),
    ...(f.description !== undefined ? { description: f.description } : {}),
    ...(tags ? { tags } : {}),
  };
  if (kind !== 'bus' && f.bus !== undefined) input.bus = f.bus;
  if (kind === 'bus' && f.retentionDays !== undefined) input.retentionDays = f.retentionDays;
  if (kind === 'integration' && f.source !== undefined) input.filter = { source: f.source };
  if ((kind === 'connection' || kind === 'source') && f.kind !== undefined) input.kind = f.kind;
  if (kind === 'connection' && f.endpoint !== undefined) input.endpoint = f.endpoint;
  if (kind === 'connection' && (f.vpcId || f.subnetId))
    input.network = { vpcId: f.vpcId, subnetId: f.subnetId };
  return input;
}

const needId = (f: ResourceFlags): string => {
  if (!f.id)
    throw invalidArgument('polybus', 'cli', [{ field: 'id', rule: '--id is required for this action' }]);
  return f.id;
};

/** Registers the resource commands on `program`. */
export function registerResourceCommands(
  program: Command,
  io: Io,
  run: (fn: (json: boolean) => Promise<void>, cmd: Command) => Promise<void>,
): void {
  for (const [plural, kind] of KINDS) {
    const group = program
      .command(plural)
      .description(`${kind} resources (${plural} list|get|create|update|delete)`);
    for (const action of ['list', 'get', 'create', 'update', 'delete'] as const) {
      const cmd = group
        .command(action)
        .description(`${action} ${action === 'list' ? plural : `a ${kind}`}`)
        .option('-p, --provider <name>', `provider (${providerNames().join(', ')})`)
        .option('--target <id>', 'a target of the spec given with -f (its region, endpoint and credentials)')
        .option('-f, --file <spec>', 'the spec whose target --target names')
        .option('--id <id>', 'native id (a child of a bus-scoped provider: BusId/ChildId)')
        .option('--name <name>', 'name')
        .option('--bus <id>', 'bus id (scope for list; parent for create)')
        .option('--description <text>', 'description')
        .option('--source <source>', 'integration: event source to filter on')
        .option('--kind <kind>', 'connection or source kind')
        .option('--endpoint <endpoint>', 'connection endpoint or resource description')
        .option('--retention-days <n>', 'bus: days to keep events', positiveInt('--retention-days'))
        .option('--tag <key=value...>', 'tags (repeatable)')
        .option('--vpc-id <id>', 'connection: VPC')
        .option('--subnet-id <id>', 'connection: subnet')
        .option('--input <file>', 'JSON or YAML file with the full input')
        .option(
          '--page-size <n>',
          'list: items per page request (a positive integer)',
          positiveInt('--page-size'),
        );
      cmd.action(async (f: ResourceFlags, c: Command) =>
        run(
          async (json) =>
            withProvider(f, async (provider) => {
              const api = apiOf(provider, kind);
              if (action === 'list') {
                const listed = api.list({
                  ...(f.bus ? { bus: f.bus } : {}),
                  ...(f.pageSize ? { pageSize: f.pageSize } : {}),
                }) as AsyncIterable<Record<string, unknown>>;
                const columns = ['id', 'name', 'status', 'description'];
                if (!json) return printRows(io, listed, columns);
                const rows = [];
                for await (const r of listed) rows.push(r);
                printJson(io, rows);
                return;
              }
              if (action === 'delete') {
                const id = needId(f);
                await api.delete(id);
                if (json) printJson(io, { deleted: { kind, provider: provider.name, id } });
                else io.out(`deleted ${kind} ${id}`);
                return;
              }
              const result =
                action === 'get'
                  ? await api.get(needId(f))
                  : action === 'create'
                    ? await api.create(await inputFrom(kind, f))
                    : await api.update(needId(f), await inputFrom(kind, f));
              if (json) printJson(io, result);
              else printRecord(io, result as unknown as Record<string, unknown>);
            }),
          c,
        ),
      );
    }
  }
}
