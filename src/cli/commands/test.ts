/** `eqlkit test [paths…]` */
import { writeFileSync } from 'node:fs';
import { bundledRulesDir } from '../../rules/bundled.js';
import { runRuleTests } from '../../testing/run.js';
import { TEST_HELP } from '../help.js';
import { type Io, parseOptions, readSchema } from '../common.js';
import { UsageError } from '../output.js';
import { jsonReport, junitReport, TEST_REPORT_FORMATS, type TestReportFormat, textReport } from '../test-report.js';
import { isFolder } from '../../files.js';

/** A case failed. */
const EXIT_FAILED = 1;
/** A path named no test file, or a test file (or its rule) could not be run. */
const EXIT_NOT_RUN = 2;

function reportFormat(value: string | undefined): TestReportFormat {
  if (value === undefined) return 'text';
  if (!(TEST_REPORT_FORMATS as readonly string[]).includes(value)) throw new UsageError(`--format must be one of ${TEST_REPORT_FORMATS.join(', ')}, not ${JSON.stringify(value)}`);
  return value as TestReportFormat;
}

export async function testCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseOptions(args, {
    'rules-dir': { type: 'string' },
    mapping: { type: 'string' },
    format: { type: 'string', short: 'F' },
    output: { type: 'string', short: 'o' },
    quiet: { type: 'boolean', short: 'q' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout.write(`${TEST_HELP}\n`);
    return 0;
  }
  const format = reportFormat(values.format as string | undefined);
  const rulesDir = values['rules-dir'] as string | undefined;
  if (rulesDir !== undefined && !isFolder(rulesDir)) throw new UsageError(`--rules-dir: no such folder: ${rulesDir}`);
  const schema = readSchema(values.mapping as string | undefined);
  const report = runRuleTests(positionals.length > 0 ? positionals : [bundledRulesDir()], { rulesDir, schema });
  const text = format === 'json' ? jsonReport(report) : format === 'junit' ? junitReport(report) : textReport(report, { quiet: values.quiet === true });
  const target = values.output as string | undefined;
  if (target === undefined) {
    io.stdout.write(text);
  } else {
    try {
      writeFileSync(target, text);
    } catch (e) {
      throw new UsageError(`-o: cannot write ${target}: ${(e as Error).message}`);
    }
    // The report went to a file: the summary still comes to the terminal.
    if (values.quiet !== true) io.stderr.write(textReport(report, { quiet: true }));
  }
  return report.errors > 0 ? EXIT_NOT_RUN : report.failed > 0 ? EXIT_FAILED : 0;
}
