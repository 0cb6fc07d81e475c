import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EqlInvalidArgumentError, loadRules, parseRule, ruleFilter, selectRules, severityOf, SEVERITIES, type Rule, type RuleSelection } from '../../src/index.js';
import { listFiles, sharedPath } from '../helpers/shared.js';

const rule = (id: string, { severity, tags = [], buildingBlock = false }: { severity?: string; tags?: string[]; buildingBlock?: boolean }) =>
  parseRule(`[rule]
rule_id = "${id}"
name = "${id}"
type = "eql"
language = "eql"
risk_score = 1
${severity === undefined ? '' : `severity = "${severity}"`}
tags = [${tags.map((t) => JSON.stringify(t)).join(', ')}]
${buildingBlock ? 'building_block_type = "default"' : ''}
query = 'process where true'
`);

const RULES: Rule[] = [
  rule('low', { severity: 'low', tags: ['OS: Windows', 'Tactic: Execution'] }),
  rule('medium', { severity: 'medium', tags: ['OS: Linux'] }),
  rule('high', { severity: 'high', tags: ['OS: Windows'] }),
  rule('critical', { severity: 'critical', tags: [] }),
  rule('high-bb', { severity: 'high', tags: ['OS: Linux', 'Rule Type: BBR'], buildingBlock: true }),
  rule('upper', { severity: 'High', tags: ['os: windows'] }),
  rule('none', { tags: ['OS: Windows'] }),
  rule('odd', { severity: 'urgent', tags: ['OS: Windows'] }),
];

const ids = (selection: RuleSelection) => selectRules(RULES, selection).map((r) => r.ruleId);

describe('selectRules', () => {
  it.each<[string, RuleSelection, string[]]>([
    ['no condition: every rule', {}, ['low', 'medium', 'high', 'critical', 'high-bb', 'upper', 'none', 'odd']],
    ['at least low: every rule with a known severity', { minSeverity: 'low' }, ['low', 'medium', 'high', 'critical', 'high-bb', 'upper']],
    ['at least medium', { minSeverity: 'medium' }, ['medium', 'high', 'critical', 'high-bb', 'upper']],
    ['at least high (any case in the rule)', { minSeverity: 'high' }, ['high', 'critical', 'high-bb', 'upper']],
    ['at least critical', { minSeverity: 'critical' }, ['critical']],
    ['a tag, whole and in any case', { tags: ['os: WINDOWS'] }, ['low', 'high', 'upper', 'none', 'odd']],
    ['any of several tags', { tags: ['OS: Linux', 'Tactic: Execution'] }, ['low', 'medium', 'high-bb']],
    ['a tag no rule has', { tags: ['OS: macOS'] }, []],
    ['part of a tag is no match', { tags: ['Windows'] }, []],
    ['an empty tag list selects by no tag', { tags: [] }, ['low', 'medium', 'high', 'critical', 'high-bb', 'upper', 'none', 'odd']],
    ['no building blocks', { excludeBuildingBlocks: true }, ['low', 'medium', 'high', 'critical', 'upper', 'none', 'odd']],
    ['building blocks kept when asked not to exclude them', { excludeBuildingBlocks: false }, ['low', 'medium', 'high', 'critical', 'high-bb', 'upper', 'none', 'odd']],
    ['all three at once', { minSeverity: 'high', tags: ['OS: Linux', 'OS: Windows'], excludeBuildingBlocks: true }, ['high', 'upper']],
  ])('%s', (_, selection, expected) => {
    expect(ids(selection)).toEqual(expected);
  });

  it('is pure: the input is left as it was, and the same rule objects come back', () => {
    const before = [...RULES];
    const picked = selectRules(RULES, { minSeverity: 'critical' });
    expect(RULES).toEqual(before);
    expect(picked[0]).toBe(RULES[3]);
    expect(RULES.filter(ruleFilter({ minSeverity: 'critical' }))).toEqual(picked);
  });

  it('takes any iterable', () => {
    expect(selectRules(new Set(RULES), { minSeverity: 'critical' }).map((r) => r.ruleId)).toEqual(['critical']);
  });

  it.each<[string, RuleSelection, string, string]>([
    ['a severity that is not one', { minSeverity: 'urgent' as 'high' }, 'selection.minSeverity', 'a string'],
    ['a severity not in lower case', { minSeverity: 'High' as 'high' }, 'selection.minSeverity', 'a string'],
    ['a tag that is not text', { tags: ['OS: Windows', 7 as unknown as string] }, 'selection.tags', 'a number (7)'],
  ])('refuses %s with an EqlInvalidArgumentError', (_, selection, argument, received) => {
    const call = () => selectRules(RULES, selection);
    expect(call).toThrow(EqlInvalidArgumentError);
    try {
      call();
    } catch (e) {
      expect(e).toMatchObject({ code: 'EQL_INVALID_ARGUMENT', functionName: 'selectRules', argument, received });
    }
  });
});

describe('severityOf', () => {
  it.each<[unknown, string | null]>([
    ['low', 'low'],
    ['CRITICAL', 'critical'],
    ['Medium', 'medium'],
    [' high', null],
    ['urgent', null],
    ['', null],
    [null, null],
    [3, null],
  ])('%j is %j', (value, expected) => {
    expect(severityOf(value)).toBe(expected);
  });

  it('orders the four lowest first', () => {
    expect(SEVERITIES).toEqual(['low', 'medium', 'high', 'critical']);
  });
});

const corpus = sharedPath('the rule selection corpus test', 'corpus', 'detection-rules');

describe.skipIf(!corpus)('selecting from the detection-rules corpus', () => {
  it('counts what reading the TOML text counts', () => {
    // Counted here from the files' text, without the loader's TOML parser.
    const texts = listFiles(corpus!, '.toml').map((f) => readFileSync(f, 'utf8'));
    const severity = (text: string) => /^severity = "([a-z]+)"$/m.exec(text)?.[1];
    const buildingBlock = (text: string) => /^building_block_type = "/m.test(text);
    const tags = (text: string) => [...(/^tags = \[([^\]]*)\]/m.exec(text)?.[1] ?? '').matchAll(/"([^"]*)"/g)].map((m) => m[1]!);
    const count = (test: (text: string) => boolean) => texts.filter(test).length;
    const highOrCritical = (text: string) => ['high', 'critical'].includes(severity(text) ?? '');
    const windows = (text: string) => tags(text).includes('OS: Windows');

    const { rules, errors } = loadRules(corpus!);
    expect(errors).toEqual([]);
    expect(rules).toHaveLength(texts.length);

    const expected = {
      buildingBlocks: count(buildingBlock),
      highOrCritical: count(highOrCritical),
      highOrCriticalNotBuildingBlock: count((t) => highOrCritical(t) && !buildingBlock(t)),
      critical: count((t) => severity(t) === 'critical'),
      windowsHigh: count((t) => windows(t) && highOrCritical(t)),
    };
    // The numbers as counted with grep and Python's tomllib on the corpus, so that a broken count above shows too.
    // No building block of the corpus is high or critical.
    expect(expected).toEqual({ buildingBlocks: 74, highOrCritical: 297, highOrCriticalNotBuildingBlock: 297, critical: 4, windowsHigh: 133 });

    expect(rules.length - selectRules(rules, { excludeBuildingBlocks: true }).length).toBe(expected.buildingBlocks);
    expect(selectRules(rules, { minSeverity: 'high' })).toHaveLength(expected.highOrCritical);
    expect(selectRules(rules, { minSeverity: 'high', excludeBuildingBlocks: true })).toHaveLength(expected.highOrCriticalNotBuildingBlock);
    expect(selectRules(rules, { minSeverity: 'critical' })).toHaveLength(expected.critical);
    expect(selectRules(rules, { minSeverity: 'high', tags: ['os: windows'] })).toHaveLength(expected.windowsHigh);
  });
});
