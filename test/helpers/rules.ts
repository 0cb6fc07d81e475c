/** Small EQL rules for tests, with the keys every rule needs; `extra` adds TOML lines to the [rule] table. */
import { parseRule, type Rule } from '../../src/index.js';

/** The TOML text of a rule, for tests that write rule files. */
export const ruleText = (id: string, query: string, extra = ''): string => `[rule]
rule_id = "${id}"
name = "${id}"
type = "eql"
language = "eql"
severity = "low"
risk_score = 1
${extra}
query = '''
${query}
'''
`;

export const testRule = (id: string, query: string, extra = ''): Rule => parseRule(ruleText(id, query, extra));
