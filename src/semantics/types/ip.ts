/**
 * IP addresses as Elasticsearch's `ip` type sees them: IPv4 and IPv6 in one
 * 128-bit space (IPv4 as IPv4-mapped IPv6), compared as numbers.
 */

/** A parsed address: 16 bytes. */
export type IpBytes = Uint8Array;

function parseIpv4(text: string): number[] | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    out.push(n);
  }
  return out;
}

/** Parses an IPv4 or IPv6 address, or returns null. */
export function parseIp(text: string): IpBytes | null {
  if (typeof text !== 'string' || text.length === 0 || text.length > 64) return null;
  const v4 = parseIpv4(text);
  if (v4) return Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...v4]);
  if (!text.includes(':')) return null;
  let body = text;
  const percent = body.indexOf('%');
  if (percent >= 0) body = body.slice(0, percent); // a zone id does not change the address
  let tailV4: number[] | null = null;
  const lastColon = body.lastIndexOf(':');
  if (body.slice(lastColon + 1).includes('.')) {
    tailV4 = parseIpv4(body.slice(lastColon + 1));
    if (!tailV4) return null;
    body = `${body.slice(0, lastColon + 1)}0:0`;
  }
  const halves = body.split('::');
  if (halves.length > 2) return null;
  const group = (s: string): number[] | null => {
    if (s === '') return [];
    const out: number[] = [];
    for (const g of s.split(':')) {
      if (!/^[0-9A-Fa-f]{1,4}$/.test(g)) return null;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = group(halves[0]!);
  const tail = halves.length === 2 ? group(halves[1]!) : [];
  if (!head || !tail) return null;
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || (halves.length === 2 && missing < 1)) return null;
  const groups = [...head, ...Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    bytes[2 * i] = g >> 8;
    bytes[2 * i + 1] = g & 0xff;
  });
  if (tailV4) bytes.set(tailV4, 12);
  return bytes;
}

/** A string whose order and equality are those of the addresses (32 hex digits). */
export function ipKey(bytes: IpBytes): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

/** The comparable key of an address in text, or null when it is not an address. */
export function ipKeyOf(text: string): string | null {
  const bytes = parseIp(text);
  return bytes ? ipKey(bytes) : null;
}

/**
 * An address as Elasticsearch prints an `ip` value (Java's InetAddress text,
 * through its InetAddresses): IPv4-mapped addresses as IPv4, others in the
 * RFC 5952 form (lower case, no leading zeros, the longest run of two or more
 * zero groups, the first of equals, as `::`).
 */
export function formatIp(bytes: IpBytes): string {
  if (bytes.subarray(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) return bytes.subarray(12).join('.');
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((bytes[i]! << 8) | bytes[i + 1]!);
  let runStart = -1;
  let runLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > runLength) {
      runStart = i;
      runLength = j - i;
    }
    i = j;
  }
  const hex = (from: number, to: number) =>
    groups
      .slice(from, to)
      .map((g) => g.toString(16))
      .join(':');
  return runStart < 0 ? hex(0, 8) : `${hex(0, runStart)}::${hex(runStart + runLength, 8)}`;
}

/** A CIDR block such as `10.0.0.0/8` or `2001:db8::/32`. Host bits may be set. */
export interface CidrBlock {
  readonly bytes: IpBytes;
  /** Prefix length in the 128-bit space. */
  readonly bits: number;
}

export function parseCidr(text: string): CidrBlock | null {
  const slash = text.indexOf('/');
  const addr = slash < 0 ? text : text.slice(0, slash);
  const bytes = parseIp(addr);
  if (!bytes) return null;
  const isV4 = !addr.includes(':');
  const max = isV4 ? 32 : 128;
  let bits = max;
  if (slash >= 0) {
    const p = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(p) || Number(p) > max) return null;
    bits = Number(p);
  }
  return { bytes, bits: isV4 ? bits + 96 : bits };
}

/** Whether an address lies in a block. */
export function inCidr(addr: IpBytes, block: CidrBlock): boolean {
  let bits = block.bits;
  for (let i = 0; i < 16 && bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((addr[i]! & mask) !== (block.bytes[i]! & mask)) return false;
  }
  return true;
}
