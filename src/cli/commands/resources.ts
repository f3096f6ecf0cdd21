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
async function inputFrom(
  kind: ResourceKind,
  f: ResourceFlags,
  update = false,
): Promise<Record<string, unknown>> {
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
    // On update, --name names the resource (instead of --id); it renames nothing.
    ...(f.name !== undefined && !(update && f.id === undefined) ? { name: f.name } : {}),
    ...(f.description !== undefined ? { description: f.description } : {}),
    ...(tags ? { tags } : {}),
  };
  if (kind !== 'bus' && f.bus !== undefined && !update) input.bus = f.bus;
  if (kind === 'bus' && f.retentionDays !== undefined) input.retentionDays = f.retentionDays;
  if (kind === 'integration' && f.source !== undefined) input.filter = { source: f.source };
  if ((kind === 'connection' || kind === 'source') && f.kind !== undefined) input.kind = f.kind;
  if (kind === 'connection' && f.endpoint !== undefined) input.endpoint = f.endpoint;
  if (kind === 'connection' && (f.vpcId || f.subnetId))
    input.network = { vpcId: f.vpcId, subnetId: f.subnetId };
  return input;
}

/** A bus reference (`--bus`, or a bus's `--id`) as the provider's id: an id as is, a name looked up. */
async function busId(provider: EventProvider, ref: string): Promise<string> {
  const named: string[] = [];
  for await (const b of provider.buses.list()) {
    if (b.id === ref) return ref;
    if (b.name === ref) named.push(b.id);
  }
  if (named.length > 1)
    throw invalidArgument('polybus', 'cli', [
      { field: 'bus', rule: `${named.length} buses are named ${ref} (${named.join(', ')}): give the id` },
    ]);
  // Not found by name either: the provider's own answer for the reference says so.
  return named[0] ?? ref;
}

/**
 * The id of the resource a get/update/delete names: `--id`, or `--name` (with `--bus` for a
 * child), looked up in the provider's list.
 */
async function targetId(provider: EventProvider, kind: ResourceKind, f: ResourceFlags): Promise<string> {
  // An --id is the provider's id, sent as it is (its checks refuse a malformed one before any request).
  if (f.id) return f.id;
  if (kind === 'bus' && f.name) return busId(provider, f.name);
  if (!f.name)
    throw invalidArgument('polybus', 'cli', [
      { field: 'id', rule: 'give --id <id>, or --name <name> (with --bus <bus> for a resource on a bus)' },
    ]);
  const bus = f.bus !== undefined ? await busId(provider, f.bus) : undefined;
  const listed = apiOf(provider, kind).list(bus !== undefined ? { bus } : {}) as AsyncIterable<{
    id: string;
    name: string;
  }>;
  const ids: string[] = [];
  for await (const r of listed) if (r.name === f.name) ids.push(r.id);
  if (ids.length === 1) return ids[0]!;
  throw invalidArgument('polybus', 'cli', [
    {
      field: 'name',
      rule: ids.length
        ? `${ids.length} ${kind}s are named ${f.name} (${ids.join(', ')}): give --id`
        : `no ${kind} named ${f.name}${f.bus !== undefined ? ` on bus ${f.bus}` : ''}`,
    },
  ]);
}

type Action = 'list' | 'get' | 'create' | 'update' | 'delete';

/** Runs one resource action and prints its result. */
async function resourceAction(
  io: Io,
  provider: EventProvider,
  kind: ResourceKind,
  action: Action,
  f: ResourceFlags,
  json: boolean,
): Promise<void> {
  const api = apiOf(provider, kind);
  if (action === 'list') {
    const bus = kind !== 'bus' && f.bus !== undefined ? await busId(provider, f.bus) : undefined;
    const listed = api.list({
      ...(bus !== undefined ? { bus } : {}),
      ...(f.pageSize ? { pageSize: f.pageSize } : {}),
    }) as AsyncIterable<Record<string, unknown>>;
    const columns = ['id', 'name', 'status', 'description'];
    if (!json) return printRows(io, listed, columns);
    const rows = [];
    for await (const r of listed) rows.push(r);
    return printJson(io, rows);
  }
  if (action === 'create') {
    const input = await inputFrom(kind, f);
    if (typeof input.bus === 'string') input.bus = await busId(provider, input.bus);
    const created = await api.create(input);
    return json ? printJson(io, created) : printRecord(io, created as unknown as Record<string, unknown>);
  }
  const id = await targetId(provider, kind, f);
  if (action === 'delete') {
    await api.delete(id);
    if (json) printJson(io, { deleted: { kind, provider: provider.name, id } });
    else io.out(`deleted ${kind} ${id}`);
    return;
  }
  const result = action === 'get' ? await api.get(id) : await api.update(id, await inputFrom(kind, f, true));
  if (json) printJson(io, result);
  else printRecord(io, result as unknown as Record<string, unknown>);
}

/** `a bus`, `an integration`. */
const article = (word: string) => `${/^[aeiou]/.test(word) ? 'an' : 'a'} ${word}`;

/** Adds to `cmd` the flags `action` takes for `kind`, and only those. */
function addFlags(cmd: Command, kind: ResourceKind, action: Action): void {
  cmd
    .option('-p, --provider <name>', `provider (${providerNames().join(', ')})`)
    .option('--target <id>', 'a target of the spec given with -f (its region, endpoint and credentials)')
    .option('-f, --file <spec>', 'the spec whose target --target names');
  const child = kind !== 'bus';
  if (action === 'list') {
    if (child) cmd.option('--bus <bus>', 'only those on this bus (name or id)');
    cmd.option('--page-size <n>', 'items per page request (a positive integer)', positiveInt('--page-size'));
    return;
  }
  if (action !== 'create')
    cmd.option('--id <id>', child ? 'id (on a bus-scoped provider: BusId/ChildId)' : 'bus id');
  cmd.option('--name <name>', action === 'create' ? 'name' : `${kind} name (instead of --id)`);
  if (child)
    cmd.option('--bus <bus>', action === 'create' ? 'parent bus (name or id)' : 'bus of --name (name or id)');
  if (action === 'get' || action === 'delete') return;
  cmd.option('--description <text>', 'description').option('--tag <key=value...>', 'tags (repeatable)');
  if (kind === 'bus')
    cmd.option('--retention-days <n>', 'days to keep events', positiveInt('--retention-days'));
  if (kind === 'integration') cmd.option('--source <source>', 'event source to filter on');
  if (kind === 'connection' || kind === 'source') cmd.option('--kind <kind>', `${kind} kind`);
  if (kind === 'connection')
    cmd
      .option('--endpoint <endpoint>', 'endpoint or resource description')
      .option('--vpc-id <id>', 'VPC')
      .option('--subnet-id <id>', 'subnet');
  cmd.option('--input <file>', 'JSON or YAML file with the full input');
}

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
        .description(`${action} ${action === 'list' ? plural : article(kind)}`);
      addFlags(cmd, kind, action);
      cmd.action(async (f: ResourceFlags, c: Command) =>
        run(
          async (json) => withProvider(f, (provider) => resourceAction(io, provider, kind, action, f, json)),
          c,
        ),
      );
    }
  }
}
