/** cidrMatch(ip, block, …): whether the address lies in any of the blocks. */
import type { ScriptValue } from '../null-logic.js';
import { type CidrBlock, inCidr, parseIp } from '../types/ip.js';

export function cidrMatch(ip: ScriptValue, blocks: readonly (CidrBlock | null)[]): ScriptValue {
  if (typeof ip !== 'string') return null;
  const addr = parseIp(ip);
  if (!addr) return null;
  for (const b of blocks) {
    if (b === null) return null;
    if (inCidr(addr, b)) return true;
  }
  return false;
}
