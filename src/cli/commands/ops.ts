/**
 * `accio ops [name]`: the operators an agent offers, by category, or one in detail.
 */
import { Args, Flags } from '@oclif/core';
import { ClientApi } from '../../api/service';
import { OperatorDef, PortDef } from '../../core/operator';
import { formatType } from '../../core/types';
import { formatValue } from '../../core/values';
import { ClientCommand } from '../shared/accio-command';
import { colour } from '../shared/format';
import { Io } from '../shared/io';
import { renderFields, renderTable } from '../shared/table';

/** Either the list (no name given) or the one operator asked for. */
export type OpsResult = { operators: OperatorDef[] } | { operator: OperatorDef };

export interface OpsOptions {
  /** Show this operator in detail; unknown names fail with NotFoundError. */
  name?: string;
  /** List deprecated operators too. */
  includeDeprecated?: boolean;
}

export async function showOperators(client: Pick<ClientApi, 'getOperator' | 'listOperators'>, options: OpsOptions, io: Io): Promise<OpsResult> {
  if (options.name !== undefined) {
    const op = await client.getOperator(options.name);
    for (const line of operatorDetail(op, io.color)) io.out(line);
    return { operator: op };
  }
  const operators = (await client.listOperators({ includeDeprecated: options.includeDeprecated ?? false }))
    .slice()
    .sort((a, b) => a.category.localeCompare(b.category) || a.name.localeCompare(b.name));
  const lines = renderTable<OperatorDef>(
    [
      { header: 'name', cell: (o) => o.name },
      { header: 'category', cell: (o) => o.category },
      { header: 'help', cell: (o) => (o.deprecation ? `(deprecated) ${o.help}` : o.help), maxWidth: 80 },
    ],
    operators,
  );
  for (const line of lines) io.out(line);
  return { operators };
}

function portRows(ports: readonly PortDef[], withDefaults: boolean): string[] {
  if (ports.length === 0) return ['  (none)'];
  return renderTable<PortDef>(
    [
      { header: 'name', cell: (p) => p.name },
      { header: 'type', cell: (p) => formatType(p.type) },
      ...(withDefaults
        ? [
            { header: 'default', cell: (p: PortDef) => (p.default === undefined ? '' : formatValue(p.type, p.default)) },
            { header: 'optional', cell: (p: PortDef) => (p.optional ? 'yes' : '') },
          ]
        : []),
      { header: 'help', cell: (p) => p.help ?? '', maxWidth: 80 },
    ],
    ports,
    { indent: '  ' },
  );
}

/** The detail view of one operator. */
export function operatorDetail(op: OperatorDef, color: boolean): string[] {
  const lines = [`${colour(op.name, 'bold', color)} (${op.category})`];
  if (op.deprecation) lines.push(colour(`Deprecated: ${op.deprecation}`, 'yellow', color));
  lines.push(op.help);
  if (op.description) lines.push('', op.description);
  lines.push(
    '',
    ...renderFields([
      ['Version', op.version],
      ['Resources', `cpu ${op.resources.cpu}, memory ${op.resources.memoryMb} MB, disk ${op.resources.diskMb} MB`],
      ['Unstable', op.unstable ? 'yes (receives a seed, which enters its cache key)' : 'no'],
    ]),
    '',
    'Inputs:',
    ...portRows(op.inputs, true),
    '',
    'Outputs:',
    ...portRows(op.outputs, false),
  );
  return lines;
}

export default class Ops extends ClientCommand<OpsResult> {
  static override summary = 'List operators by category, or show one operator in detail.';
  static override description =
    'Without a name, lists the operators the agent offers (deprecated ones only with --deprecated). ' +
    'With a name, shows its inputs and outputs (type, default, whether optional), resources, whether it is ' +
    'unstable (needs a seed) and its deprecation. An unknown name exits with code 3.';
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --deprecated',
    '<%= config.bin %> <%= command.id %> Transform',
    '<%= config.bin %> <%= command.id %> Transform --json',
  ];
  static override args = {
    name: Args.string({ description: 'Operator to show in detail.', required: false }),
  };
  static override flags = {
    deprecated: Flags.boolean({ summary: 'List deprecated operators too.', default: false }),
  };

  async run(): Promise<OpsResult> {
    const { args, flags } = await this.parse(Ops);
    const client = await this.connect(flags.addr);
    return showOperators(client, { name: args.name, includeDeprecated: flags.deprecated }, this.io);
  }
}
