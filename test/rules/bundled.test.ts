import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundledRules, bundledRulesDir, type Event, runRuleTests } from '../../src/index.js';
import { listFiles } from '../helpers/shared.js';

describe('bundled rules', () => {
  const rules = bundledRules();

  it('start with WMI Incoming Lateral Movement', () => {
    expect(rules[0]).toMatchObject({ ruleId: 'f3475224-b179-4f78-8877-c2bd64c26b88', name: 'WMI Incoming Lateral Movement', executable: true });
  });

  const tests = listFiles(bundledRulesDir(), '.test.toml');

  it('each ship their own rule tests, beside them', () => {
    expect(tests.map((t) => t.replace(/\.test\.toml$/, '.toml')).sort()).toEqual(rules.map((r) => r.file).sort());
  });

  describe.each(tests)('%s', (file) => {
    it('passes, with positives that alert', () => {
      const report = runRuleTests(file);
      const [result] = report.files;
      expect(result!.error).toBeNull();
      expect(result!.cases.length).toBeGreaterThan(0);
      expect(result!.cases.filter((c) => !c.passed).map((c) => c.name)).toEqual([]);
      expect(result!.cases.some((c) => c.found.length > 0)).toBe(true);
      expect(report.ok).toBe(true);
    });
  });

  it('produce alerts with the rule, the events, the join keys and the times', () => {
    const rule = rules[0]!;
    const file = join(bundledRulesDir(), 'windows', 'lateral_movement_incoming_wmi.events.ndjson');
    const events = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Event);
    const [alert] = rule.run(events);
    expect(alert).toMatchObject({
      schema: 'eqlkit/alert@1',
      kind: 'sequence',
      rule: { rule_id: rule.ruleId, name: 'WMI Incoming Lateral Movement', severity: 'medium', risk_score: 47, type: 'eql' },
      join_keys: ['host-01'],
      first_event_time: '2026-01-15T10:01:00.000Z',
      last_event_time: '2026-01-15T10:01:01.000Z',
    });
    expect(alert!.rule.threat.map((t) => t.tactic.id)).toEqual(['TA0008', 'TA0002']);
    expect(alert!.id).toMatch(/^[0-9a-f]{32}$/);
    expect(rule.run(events)[0]!.id).toBe(alert!.id);
  });

  it('stream the same alerts as they run in batch', async () => {
    const rule = rules[0]!;
    const file = join(bundledRulesDir(), 'windows', 'lateral_movement_incoming_wmi.events.ndjson');
    const events = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Event);
    const streamed = [];
    for await (const a of rule.stream(events)) streamed.push(a.id);
    expect(streamed).toEqual(rule.run(events).map((a) => a.id));
  });
});
