/**
 * Values to try for fields: texts that fill wildcard patterns, values near a
 * constant, plausible values for a field by its name, addresses in a block.
 * Nothing here decides whether a value fits; the engine's own tests do.
 */
import { parseCidr, formatIp, parseIp } from '../semantics/types/ip.js';
import type { Random } from './random.js';

/** A JSON value an event field can hold. */
export type Value = string | number | boolean | null | Value[];

/** Words to fill wildcards and unconstrained text: short, readable, and unlikely to match a rule's literal by chance. */
const WORDS = [
  'alpha',
  'bravo',
  'cedar',
  'delta',
  'ember',
  'fjord',
  'gamma',
  'harbor',
  'indigo',
  'juniper',
  'kestrel',
  'lumen',
  'meadow',
  'nimbus',
  'orchid',
  'pebble',
  'quartz',
  'raven',
  'sierra',
  'tundra',
];

export function word(rng: Random): string {
  return rng.pick(WORDS);
}

/**
 * A text that an EQL wildcard pattern (`*` any run, `?` one character)
 * matches: `*` filled with a word or nothing, `?` with a letter (a drive
 * letter before `:`).
 */
export function fillWildcards(pattern: string, rng: Random, fill: 'word' | 'empty' = 'word'): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') out += fill === 'empty' && pattern !== '*' ? '' : word(rng);
    else if (c === '?') out += pattern[i + 1] === ':' ? 'C' : rng.pick(['a', 'e', 'k', 'm', 'x', '7']);
    else out += c;
  }
  return out;
}

/** ECS event categories, for an event of another category than a stage asks for. */
const ECS_CATEGORIES = [
  'process',
  'file',
  'network',
  'registry',
  'authentication',
  'library',
  'driver',
  'iam',
  'configuration',
  'host',
  'session',
  'web',
  'api',
  'database',
  'intrusion_detection',
  'malware',
  'package',
];

/** Categories other than `category`, the nearest in ECS first (a file event for a process one). */
export function otherCategories(category: string, rng: Random): string[] {
  return [
    ...rng.sample(
      ECS_CATEGORIES.filter((c) => c !== category),
      3,
    ),
    `${category}-${word(rng)}`,
  ];
}

/** Text as a Lucene wildcard query reads it: a backslash makes the next character plain. */
export function luceneUnescaped(text: string): string {
  return text.replace(/\\(.)/gs, '$1');
}

/** Texts that are close to `text` but not it: what a near miss changes a value to. */
export function textVariants(text: string, rng: Random): string[] {
  const w = word(rng);
  const dot = text.lastIndexOf('.');
  const out: string[] = [];
  if (dot > 0 && dot > text.length - 6) out.push(`${text.slice(0, dot)}-${w}${text.slice(dot)}`);
  if (text.length > 0) out.push(`${w}-${text}`, `${text}-${w}`);
  out.push(w, `${w}-${word(rng)}`);
  return out;
}

/** Numbers close to `n` but not it. */
function numberVariants(n: number, rng: Random): number[] {
  const step = Number.isInteger(n) ? 1 : 0.5;
  return [n + step, n - step, n + rng.int(2, 50) * step];
}

/** Values other than `value`, of its kind. */
export function variantsOf(value: Value, rng: Random): Value[] {
  if (typeof value === 'string') return textVariants(value, rng);
  if (typeof value === 'number') return numberVariants(value, rng);
  if (typeof value === 'boolean') return [!value];
  return [word(rng)];
}

/**
 * A plausible value for a field of this name, when nothing asks for a
 * particular one (a join key, a field that must exist): an address for
 * `*.ip`, a number for `*.pid` and `*.port`, a word otherwise.
 */
export function valueForField(name: string, rng: Random): Value {
  const lower = name.toLowerCase();
  const last = lower.slice(lower.lastIndexOf('.') + 1);
  if (last === 'ip' || last === 'ips' || last === 'address') return `10.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
  if (/^(?:entity_id|guid|uuid|hash|sha256|sha1|md5)$/.test(last)) return hexText(rng, 16);
  if (last === 'port') return rng.int(1024, 65535);
  if (last === 'pid' || last === 'ppid') return rng.int(100, 30000);
  if (/^(?:count|bytes|size|length|uid|gid|packets|exit_code|duration)$/.test(last)) return rng.int(1, 9999);
  if (lower === 'user.name' || lower.endsWith('.user.name')) return `${word(rng)}.${word(rng)}`;
  return `${word(rng)}-${rng.int(1, 99)}`;
}

function hexText(rng: Random, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += '0123456789abcdef'[rng.int(0, 15)];
  return out;
}

/** An address inside a CIDR block (or the address itself, for a plain address); null when the block does not parse. */
export function addressIn(block: string, rng: Random): string | null {
  const cidr = parseCidr(block);
  if (!cidr) return null;
  const bytes = Uint8Array.from(cidr.bytes);
  // Host bits at random, away from the network and broadcast addresses when there is room.
  for (let bit = cidr.bits; bit < 128; bit++) {
    const i = bit >> 3;
    const mask = 0x80 >> (bit & 7);
    if (rng.chance(0.5)) bytes[i]! |= mask;
    else bytes[i]! &= ~mask;
  }
  const text = formatIp(bytes);
  return parseIp(text) ? text : null;
}

/** Addresses in common public and private ranges, to try where an address must lie outside some blocks. */
export function someAddresses(rng: Random): string[] {
  return [
    `203.0.113.${rng.int(1, 254)}`,
    `198.51.100.${rng.int(1, 254)}`,
    `10.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`,
    `8.8.${rng.int(0, 8)}.${rng.int(1, 254)}`,
    `2001:db8::${rng.int(1, 0xfff).toString(16)}`,
  ];
}

/** A text of exactly `n` characters. */
export function textOfLength(n: number, rng: Random): string {
  let out = '';
  while (out.length < n) out += word(rng);
  return out.slice(0, n);
}

/** Deep equality of JSON values. */
export function sameValue(a: Value | undefined, b: Value | undefined): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  return false;
}
