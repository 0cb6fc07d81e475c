import { describe, expect, it } from 'vitest';
import { plural } from '../../src/cli/plural.js';
import { AlertSummary, countsLine, MatchSummary, type SummaryCounts } from '../../src/cli/summary.js';
import { alert, event } from './output-fixtures.js';

const counts = (more: Partial<SummaryCounts> = {}): SummaryCounts => ({ read: 43, evaluated: 40, skipped: 0, reported: 3, seconds: 0.5, ...more });
const on = (...hosts: string[]) => hosts.map((h, i) => event(String(i), { host: { name: h } }));

describe('plural', () => {
  it.each([
    [0, 'alert', undefined, '0 alerts'],
    [1, 'alert', undefined, '1 alert'],
    [2, 'alert', undefined, '2 alerts'],
    [1, 'match', undefined, '1 match'],
    [3, 'match', undefined, '3 matches'],
    [2, 'process', undefined, '2 processes'],
    [2, 'box', undefined, '2 boxes'],
    [2, 'entry', undefined, '2 entries'],
    [2, 'key', undefined, '2 keys'],
    [2, 'more rule', undefined, '2 more rules'],
    [2, 'child', 'children', '2 children'],
    [1, 'child', 'children', '1 child'],
    [1234, 'event', undefined, '1234 events'],
  ])('%d %s (%s) is %j', (n, word, words, text) => {
    expect(plural(n, word, words)).toBe(text);
  });
});

describe('the counts line', () => {
  it.each([
    ['everything parsed', counts(), 1, 'alert', '43 read, 40 evaluated, 3 reported; 1 alert in 0.50 s, 86 events/s\n'],
    [
      'lines skipped by the prefilter',
      counts({ read: 10_000, evaluated: 100, skipped: 9_900, reported: 0, seconds: 2 }),
      2,
      'alert',
      '10000 read, 100 evaluated, 9900 skipped by the prefilter, 0 reported; 2 alerts in 2.00 s, 5,000 events/s\n',
    ],
    ['fewer printed than found', counts({ printed: 2 }), 20, 'match', '43 read, 40 evaluated, 3 reported; 20 matches (2 printed) in 0.50 s, 86 events/s\n'],
    ['all printed', counts({ printed: 20 }), 20, 'match', '43 read, 40 evaluated, 3 reported; 20 matches in 0.50 s, 86 events/s\n'],
    ['no time measured', counts({ seconds: 0 }), 0, 'match', '43 read, 40 evaluated, 3 reported; 0 matches in 0.00 s\n'],
  ])('with %s', (_, c, found, word, line) => {
    expect(countsLine(c, found, word)).toBe(line);
  });
});

describe('MatchSummary', () => {
  it('counts the matches added and prints the counts line alone', () => {
    const s = new MatchSummary();
    s.add({});
    expect(s.found).toBe(1);
    expect(s.render(counts())).toBe('43 read, 40 evaluated, 3 reported; 1 match in 0.50 s, 86 events/s\n');
  });
});

describe('AlertSummary', () => {
  it('prints only the counts line when there is no alert', () => {
    expect(new AlertSummary().render(counts())).toBe('43 read, 40 evaluated, 3 reported; 0 alerts in 0.50 s, 86 events/s\n');
  });

  it('lists alerts by rule, the most first, by severity in order of urgency, and by host, above the counts line', () => {
    const s = new AlertSummary();
    for (const a of [
      alert('Lateral movement', 'medium', on('WIN-1', 'WIN-1')),
      alert('Credential dump', 'critical', on('WIN-2')),
      alert('Lateral movement', 'medium', on('WIN-2')),
      alert('Odd rule', null, []),
      alert('Discovery', 'low', on('WIN-1')),
      alert('Lateral movement', 'medium', on('WIN-1', 'WIN-3')),
      alert('Custom', 'informational', on('WIN-3')),
      alert('Credential dump', 'critical', on('WIN-1')),
      alert('Exfiltration', 'high', on('WIN-9')),
    ]) {
      s.add(a);
    }
    expect(s.found).toBe(9);
    expect(s.render(counts()).split('\n')).toEqual([
      'Alerts by rule:',
      '  3  Lateral movement',
      '  2  Credential dump',
      '  1  Custom',
      '  1  Discovery',
      '  1  Exfiltration',
      '  1  Odd rule',
      'Alerts by severity: 2 critical, 1 high, 3 medium, 1 low, 1 informational, 1 no severity',
      'Alerts by host: WIN-1 4, WIN-2 2, WIN-3 2, WIN-9 1',
      '43 read, 40 evaluated, 3 reported; 9 alerts in 0.50 s, 86 events/s',
      '',
    ]);
  });

  it('counts an alert once for each host among its events', () => {
    const s = new AlertSummary();
    s.add(alert('R', 'low', [...on('A', 'A', 'B'), null]));
    expect(s.render(counts())).toContain('Alerts by host: A 1, B 1\n');
  });

  it('shows the top rules and hosts and counts the rest', () => {
    const s = new AlertSummary({ topRules: 2, topHosts: 1 });
    for (const [name, n] of [
      ['a', 5],
      ['b', 4],
      ['c', 2],
      ['d', 1],
    ] as const) {
      for (let i = 0; i < n; i++) s.add(alert(name, 'high', on(`host-${name}`)));
    }
    const text = s.render(counts());
    expect(text).toContain('Alerts by rule:\n  5  a\n  4  b\n  …  2 more rules with 3 alerts\n');
    expect(text).toContain('Alerts by host: host-a 5, 3 more hosts\n');
  });

  it('keeps two rules of one name apart by their rule_id', () => {
    const s = new AlertSummary();
    s.add(alert('Same', 'high', [], [], 'id-1'));
    s.add(alert('Same', 'high', [], [], 'id-2'));
    s.add(alert('Same', 'high', [], [], 'id-2'));
    expect(s.render(counts())).toContain('Alerts by rule:\n  2  Same\n  1  Same\n');
  });

  it('right-aligns the counts of rules', () => {
    const s = new AlertSummary();
    for (let i = 0; i < 12; i++) s.add(alert('Many', 'high', []));
    s.add(alert('One', 'high', []));
    expect(s.render(counts())).toContain('Alerts by rule:\n  12  Many\n   1  One\n');
  });

  it('prints a host name with control characters escaped', () => {
    const s = new AlertSummary();
    s.add(alert('R', 'low', on('evil\u001b[2J')));
    expect(s.render(counts())).toContain('Alerts by host: evil\\u001b[2J 1\n');
  });
});
