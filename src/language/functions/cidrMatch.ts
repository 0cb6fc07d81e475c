/**
 * `cidrMatch(ip, block, …)`: whether the address lies in any of the blocks
 * (IPv4 and IPv6; host bits may be set). The blocks must be constants, and
 * the first argument an `ip`-typed field: text that is not a field (a
 * literal, a computed string) is keyword to Elasticsearch, which refuses it.
 * On a field it is Elasticsearch's terms query on an ip field.
 */
import type { ScriptValue } from '../../semantics/null-logic.js';
import { type CidrBlock, inCidr, parseCidr, parseIp } from '../../semantics/types/ip.js';
import { ordinal, signature } from './signature.js';
import type { FunctionDefinition } from './types.js';

export function cidrMatchOf(ip: ScriptValue, blocks: readonly (CidrBlock | null)[]): ScriptValue {
  if (typeof ip !== 'string') return null;
  const addr = parseIp(ip);
  if (!addr) return null;
  for (const b of blocks) {
    if (b === null) return null;
    if (inCidr(addr, b)) return true;
  }
  return false;
}

const notABlock = (v: ScriptValue): string => `[${String(v)}] is not a valid CIDR block or IP address`;

export const cidrMatch: FunctionDefinition = {
  name: 'cidrMatch',
  summary: 'whether the address lies in any of the blocks',
  signature: signature(2, Infinity, ['ip', 'string'], 'boolean'),
  check: (args, context) => {
    const { call } = context;
    if (call.args[0]!.type !== 'Field' && args[0]!.kind === 'string') context.typeError(0, 'ip', 'string');
    args.slice(1).forEach((a, i) => {
      if (!a.constant) context.fail('EQL_TYPE', `${ordinal(i + 1)} argument of [${context.textOf(call.location)}] must be a constant`, call.args[i + 1]!.location);
    });
  },
  script: (args, context) => {
    const { call } = context;
    const blocks = args.slice(1).map((a, i) => {
      const at = call.args[i + 1]!.location;
      const v = context.fold(a.fn);
      if (v === null) return null;
      const block = typeof v === 'string' ? parseCidr(v) : null;
      if (!block) context.fail('EQL_INVALID_VALUE', notABlock(v), at);
      return block;
    });
    const a0 = args[0]!.fn;
    return (s) => cidrMatchOf(a0(s), blocks);
  },
  indexQuery: {
    on: 'ip',
    query: 'terms',
    test: (literals, _caseInsensitive, invalid) => {
      const blocks = literals.map((v, i) => parseCidr(String(v)) ?? invalid(notABlock(v), i + 1));
      return (addr) => blocks.some((b) => inCidr(addr, b));
    },
  },
};
