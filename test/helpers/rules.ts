/** A small EQL rule for tests, with the keys every rule needs; `extra` adds TOML lines to the [rule] table. */
import { parseRule, type Rule } from '../../src/index.js';

export const testRule = (id: string, query: string, extra = ''): Rule =>
  parseRule(`[rule]
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
`);
