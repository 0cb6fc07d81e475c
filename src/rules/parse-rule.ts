/**
 * A rule from TOML text, apart from loading files (`load.ts`), so that what
 * needs no file system (a browser's bundle) reaches it without Node's.
 */
import { type LoadOptions, Rule } from './rule.js';

/** Parses a rule from TOML text. @throws RuleLoadError */
export function parseRule(text: string, options: LoadOptions & { file?: string } = {}): Rule {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return new Rule(body, options.file ?? null, options);
}
