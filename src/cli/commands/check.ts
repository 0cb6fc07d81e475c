/** `eqlkit check [rules…]` */
import { codeFrame, type RuleLoadError } from '../../errors.js';
import { loadRules, readRuleText } from '../../rules/load.js';
import { bundledRulesDir } from '../../rules/bundled.js';
import { CHECK_HELP } from '../help.js';
import { type Io, parseOptions, readSchema } from '../common.js';
import { loadingLine } from '../loading.js';

/** The error with a frame from the TOML file itself, at the reported line and column. */
function describe(e: RuleLoadError): string {
  let frame = '';
  if (e.file && e.line !== null) {
    try {
      frame = `\n${codeFrame(readRuleText(e.file), e.line, e.column ?? 1)}`;
    } catch {
      // the file cannot be read again: no frame
    }
  }
  return `${e.file ?? '<rule>'}${e.line !== null ? `:${e.line}:${e.column ?? 1}` : ''}: ${e.code}: ${e.reason}${e.key ? ` [${e.key}]` : ''}${frame}`;
}

export async function checkCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseOptions(args, {
    json: { type: 'boolean' },
    mapping: { type: 'string' },
    quiet: { type: 'boolean', short: 'q' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout.write(`${CHECK_HELP}\n`);
    return 0;
  }
  const schema = readSchema(values.mapping as string | undefined);
  const loading = loadingLine(io.stderr, { quiet: values.quiet as boolean | undefined });
  const { rules, errors } = loadRules(positionals.length > 0 ? positionals : [bundledRulesDir()], { schema, onProgress: loading.update });
  loading.end();
  const ok = rules.filter((r) => r.executable).length;
  const notEql = rules.filter((r) => r.notExecutableCode === 'RULE_NOT_EQL');
  const unsupported = rules.filter((r) => r.notExecutableCode === 'RULE_NOT_SUPPORTED');
  const summary = `${ok} rules ok, ${errors.length} failed, ${notEql.length} not EQL${unsupported.length > 0 ? `, ${unsupported.length} not supported` : ''}`;
  if (values.json) {
    const report = {
      ok,
      failed: errors.length,
      not_eql: notEql.length,
      problems: errors.map((e) => ({ file: e.file, line: e.line, column: e.column, key: e.key, code: e.code, reason: e.reason })),
      not_eql_rules: notEql.map((r) => ({ file: r.file, rule_id: r.ruleId, name: r.name, reason: r.notExecutableReason })),
      not_supported: unsupported.length,
      not_supported_rules: unsupported.map((r) => ({ file: r.file, rule_id: r.ruleId, name: r.name, reason: r.notExecutableReason })),
    };
    io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    if (!values.quiet) {
      for (const e of errors) io.stdout.write(`${describe(e)}\n\n`);
      for (const r of [...notEql, ...unsupported]) io.stdout.write(`${r.file ?? r.name}: ${r.notExecutableReason}\n`);
    }
    io.stdout.write(`${summary}\n`);
  }
  return errors.length > 0 ? 1 : 0;
}
