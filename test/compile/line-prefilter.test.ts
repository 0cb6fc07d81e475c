import { describe, expect, it } from 'vitest';
import { compile, type Event, type FieldSpec, type FieldType } from '../../src/index.js';
import { childNodes, fieldName, type Node, type Query } from '../../src/parser/ast.js';
import { queryNeedles } from '../../src/compile/line-prefilter.js';
import { bundledRuleQuery } from '../../bench/bundled-rule.js';
import { generateEvents, prng as random } from '../../bench/generate.js';

const needlesOf = (query: string) => {
  const needles = queryNeedles(compile(query).plan);
  return needles === null ? null : needles.map((n) => `${n.foldCase ? '~' : ''}${n.text}`).sort();
};

describe('needles a query requires of the raw line', () => {
  it.each<[string, string[] | null]>([
    ['process where process.name == "cmd.exe"', ['cmd.exe']],
    ['process where process.name : "CMD.exe"', ['~cmd.exe']],
    ['process where process.name like "CMD.exe"', ['CMD.exe']],
    ['process where process.name like~ "*Power*.exe"', ['~power']],
    ['process where process.name in ("a.exe", "b.exe")', ['a.exe', 'b.exe']],
    ['process where process.name in~ ("A.exe")', ['~a.exe']],
    // The longest literal run of a wildcard pattern.
    ['process where process.command_line : "*-enc* *frombase64string*"', ['~frombase64string']],
    // JSON escapes: a value with a backslash is written with two.
    ['any where file.path : "C:\\\\Windows\\\\*"', ['~c:\\\\windows\\\\']],
    // A telling field wins over a weak one; a disjunction needs all its branches.
    ['process where event.type == "start" and process.name == "svchost.exe"', ['svchost.exe']],
    ['process where process.name == "a.exe" or process.parent.name : "b.exe"', ['a.exe', '~b.exe']],
    // Every stage contributes, until and missing stages too.
    ['sequence by host.id with maxspan=1m [process where process.name == "a"] ![file where file.name == "b"] until [network where destination.domain == "c"]', ['a', 'b', 'c']],
    // A regex gives the text every match contains; regex~ gives it folded, unless a k or an s is in it.
    ['process where process.name regex "cmd.*"', ['cmd']],
    ['process where process.name regex~ ".*\\\\\\\\Temp\\\\\\\\x"', ['~\\\\temp\\\\x']],
    ['process where process.name regex~ ".*Task.*"', null],
    ['process where process.command_line regex~ ".*[ ]{3}.*"', ['~   ']],
    // Nothing to go on.
    ['process where process.name regex "c.*|d.*"', null],
    ['process where process.pid > 4', null],
    ['process where process.name != "a"', null],
    ['process where process.name not in ("a")', null],
    ['process where true', null],
    ['process where process.name == "a" or process.pid == 4', null],
    ['sequence [process where process.name == "a"] [file where true]', null],
    ['process where process.name : "*"', null],
    ['process where startsWith(process.name, "cmd")', null],
    // Text a number can print: 100 may be written 1e2.
    ['process where process.pid == "100"', null],
    ['process where process.pid : "1e*"', null],
    // The timestamp can be written in many ways.
    ['any where @timestamp == "2020-01-01"', null],
  ])('%s', (query, expected) => {
    expect(needlesOf(query)).toEqual(expected);
  });

  it('ignores fields a schema maps to something other than text, or gives a null_value', () => {
    const withSchema = (spec: FieldSpec | FieldType, value = 'a') =>
      queryNeedles(compile(`any where process.name == "${value}"`, { schema: { 'event.category': 'keyword', '@timestamp': 'date', 'process.name': spec } }).plan);
    expect(withSchema('version', '1.0.0-beta')).toBeNull();
    expect(withSchema('keyword', '1.0.0-beta')).toHaveLength(1);
    expect(withSchema({ type: 'keyword', nullValue: 'a' })).toBeNull();
    expect(withSchema('keyword')).toHaveLength(1);
  });
});

describe('LinePrefilter.mayMatch', () => {
  const prefilter = compile('process where process.name : "svchost.exe" or process.parent.name == "WmiPrvSE.exe"').linePrefilter()!;
  it.each<[string, boolean]>([
    ['{"process":{"name":"SVCHOST.EXE"}}', true],
    ['{"process":{"parent":{"name":"WmiPrvSE.exe"}}}', true],
    ['{"process":{"name":"explorer.exe"}}', false],
    // Case-sensitive needles are not folded.
    ['{"process":{"parent":{"name":"wmiprvse.exe"}}}', false],
    // Escapes could hide a needle: the line is parsed.
    ['{"process":{"name":"svc\\u0068ost.exe"}}', true],
    ['{"process":{"name":"a\\/b"}}', true],
    // Non-ASCII text may fold into a needle under Unicode rules: parsed.
    ['{"process":{"name":"explorer.exe","x":"é"}}', true],
    ['', false],
  ])('%s → %s', (line, expected) => {
    expect(prefilter.mayMatch(line)).toBe(expected);
  });

  it('uses one pass over the line for many needles, with the same answers', () => {
    const names = Array.from({ length: 40 }, (_, i) => `"tool${i}.exe"`);
    const many = compile(`process where process.name in (${names.join(', ')})`).linePrefilter()!;
    expect(many.mayMatch('{"process":{"name":"tool39.exe"}}')).toBe(true);
    expect(many.mayMatch('{"process":{"name":"tool40.exe"}}')).toBe(false);
  });

  it('is null when some query could match any line', () => {
    expect(compile('process where process.pid > 4').linePrefilter()).toBeNull();
  });
});

// ----------------------------------------------------------- property test

function walk(node: Node, visit: (n: Node) => void): void {
  visit(node);
  for (const c of childNodes(node)) walk(c, visit);
}

function fieldsAndStrings(query: Query): { fields: string[]; strings: string[] } {
  const fields = new Set<string>();
  const strings = new Set<string>();
  walk(query, (n) => {
    if (n.type === 'Field') fields.add(fieldName(n));
    if (n.type === 'String') strings.add(n.value);
  });
  return { fields: [...fields], strings: [...strings] };
}

/** JSON as another writer might produce it: string characters as \u escapes, slashes as \/. */
function escapingStringify(value: unknown, rnd: () => number): string {
  if (typeof value === 'string') {
    let out = '"';
    for (let i = 0; i < value.length; i++) {
      const ch = value[i]!;
      const code = value.charCodeAt(i);
      if (ch === '/' && rnd() < 0.5) out += '\\/';
      else if (code > 0x7e || code < 0x20 || rnd() < 0.05) out += `\\u${code.toString(16).padStart(4, '0')}`;
      else out += JSON.stringify(ch).slice(1, -1);
    }
    return `${out}"`;
  }
  if (Array.isArray(value)) return `[${value.map((v) => escapingStringify(v, rnd)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}:${escapingStringify(v, rnd)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

const TRICKY = ['\u212a', '\u0130', '\u017f', 'Σ', 'é', '"', '\\', '/', '\n', '1e2', '100', 'null', 'true'];

function randomValue(strings: string[], rnd: () => number): unknown {
  const r = rnd();
  if (r < 0.08) return Math.floor(rnd() * 200);
  if (r < 0.12) return rnd() < 0.5;
  if (r < 0.15) return null;
  let s = strings.length > 0 && rnd() < 0.8 ? strings[Math.floor(rnd() * strings.length)]! : TRICKY[Math.floor(rnd() * TRICKY.length)]!;
  // Wildcards in a pattern stand for text; case flips exercise folding.
  s = s.replace(/[*?]/g, () => (rnd() < 0.5 ? '' : TRICKY[Math.floor(rnd() * TRICKY.length)]!));
  s = [...s].map((c) => (rnd() < 0.3 ? (rnd() < 0.5 ? c.toUpperCase() : c.toLowerCase()) : c)).join('');
  if (rnd() < 0.3) s = `${TRICKY[Math.floor(rnd() * TRICKY.length)]}${s}`;
  if (rnd() < 0.3) s = `${s}${TRICKY[Math.floor(rnd() * TRICKY.length)]}`;
  return s;
}

function randomEvent(fields: string[], strings: string[], rnd: () => number): Event {
  const event: Event = {};
  for (const f of fields) {
    if (rnd() < 0.3) continue;
    const value = rnd() < 0.2 ? [randomValue(strings, rnd), randomValue(strings, rnd)] : randomValue(strings, rnd);
    if (rnd() < 0.2) {
      event[f] = value; // a literal dotted key
      continue;
    }
    let node = event;
    const parts = f.split('.');
    for (const p of parts.slice(0, -1)) node = (node[p] ??= {}) as Event;
    node[parts[parts.length - 1]!] = value;
  }
  return event;
}

const PROPERTY_QUERIES = [
  'any where process.name : ("svchost.exe", "WmiPrvSE.exe") and process.args : "*-Enc*"',
  'any where process.name == "Cmd.exe" or process.parent.name like~ "*k\u212aernel*"',
  'any where file.path : "C:\\\\Users\\\\*\\\\AppData\\\\*" and file.extension in~ ("EXE", "dll")',
  'any where dns.question.name like "*.Evil.com" or url.original : "http://*/x/*"',
  'any where process.name in ("a\\"b", "σ\u03a3", "İstanbul", "ſtrange")',
  'any where destination.domain : "*Ünicode*" and source.ip != "127.0.0.1"',
  // The pattern's own text matches it, so the generated values hit it.
  'any where process.name regex "C:.Temp.*" or process.args : "*-x*"',
  'any where process.name regex~ "C:.TEMP.*" or process.args : "*-x*"',
];

describe('the prefilter never drops a line whose event matches', () => {
  it.each(PROPERTY_QUERIES)('%s', (query) => {
    const q = compile(query);
    const prefilter = q.linePrefilter();
    expect(prefilter).not.toBeNull();
    const { fields, strings } = fieldsAndStrings(q.query);
    const rnd = random(query.length * 7919);
    let matched = 0;
    let skipped = 0;
    for (let i = 0; i < 4000; i++) {
      const event = randomEvent(fields, strings, rnd);
      const line = rnd() < 0.3 ? escapingStringify(event, rnd) : JSON.stringify(event);
      expect(JSON.parse(line)).toEqual(event);
      const may = prefilter!.mayMatch(line);
      if (q.matches(event)) {
        matched++;
        if (!may) expect.fail(`dropped a matching line: ${line}`);
      } else if (!may) skipped++;
    }
    // The property is only worth something if both sides occur.
    expect(matched).toBeGreaterThan(20);
    expect(skipped).toBeGreaterThan(20);
  });
});

describe('a stream read with the prefilter gives the same matches', () => {
  it('for the bundled rule over events with planted positives', () => {
    const events = [...generateEvents({ count: 20_000, hosts: 200, seed: 11, plantRate: 0.01 })];
    const q = compile(bundledRuleQuery());
    const prefilter = q.linePrefilter()!;
    const kept = events.filter((e) => prefilter.mayMatch(JSON.stringify(e)));
    const ids = (ms: readonly { readonly events: readonly (Event | null)[] }[]) => ms.map((m) => m.events.map((e) => JSON.stringify(e)).join('|'));
    const all = q.search(events);
    expect(all.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(events.length / 2);
    expect(ids(q.search(kept))).toEqual(ids(all));
  });
});
