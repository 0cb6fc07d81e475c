/** `eqlkit parse '<eql>' [--ast]` */
import { parse } from '../../parser/parse.js';
import { format } from '../../parser/format.js';
import { PARSE_HELP } from '../help.js';
import { type Io, parseOptions, reportQueryError } from '../common.js';
import { UsageError } from '../output.js';

export async function parseCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseOptions(args, { ast: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    io.stdout.write(`${PARSE_HELP}\n`);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('parse takes exactly one query');
  try {
    const ast = parse(positionals[0]!);
    io.stdout.write(values.ast ? `${JSON.stringify(ast, null, 2)}\n` : `${format(ast)}\n`);
    return 0;
  } catch (e) {
    if (reportQueryError(e, io)) return 2;
    throw e;
  }
}
