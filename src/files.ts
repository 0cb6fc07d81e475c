/**
 * Files for rules and events alike: walking folders, and reading small files
 * (rules, queries, mappings) whose paths come from the user.
 *
 * A walk goes in path order, follows symbolic links but never into the same
 * folder twice (a link loop cannot hang it), passes over hidden entries
 * (names that start with a dot: `.git`, editors' backups), and stops at fixed
 * limits of depth and size, saying so: a hostile tree cannot make it hold
 * more than a bounded number of paths or recurse without end.
 */
import { closeSync, constants, fstatSync, openSync, opendirSync, readSync, realpathSync, type Stats, statSync } from 'node:fs';
import { join } from 'node:path';

/** The deepest a walk goes: folders below the one it starts from. */
export const MAX_WALK_DEPTH = 64;

/** The most entries (files and folders, hidden ones not counted) a walk looks at. */
export const MAX_WALK_ENTRIES = 1_000_000;

export interface WalkLimits {
  readonly maxDepth: number;
  readonly maxEntries: number;
}

const WALK_LIMITS: WalkLimits = { maxDepth: MAX_WALK_DEPTH, maxEntries: MAX_WALK_ENTRIES };

/** A walk stopped at one of its limits; what lies beyond was not looked at. */
export class WalkLimitError extends Error {
  constructor(
    readonly code: 'WALK_TOO_DEEP' | 'WALK_TOO_MANY_ENTRIES',
    message: string,
  ) {
    super(message);
    this.name = 'WalkLimitError';
  }
}

/** An entry still to visit: a folder to read, or a file to give. */
interface Pending {
  readonly path: string;
  readonly folder: boolean;
  readonly depth: number;
}

/**
 * Every file below `dir` whose name `accept` takes, in path order (a
 * folder's files and subfolders by name, each subfolder's files where it
 * stands), hidden entries passed over. A folder that cannot be read goes to
 * `onError` and is passed over; a dangling link is passed over silently.
 * Limits go to `onError` as a {@link WalkLimitError}: folders deeper than the
 * depth limit are not read, and reported once, with the first of them; a
 * folder that would take the walk past the entry limit ends it there. The
 * walk keeps its own stack of the entries still to visit: no depth of
 * folders can overflow the call stack.
 */
export function filesUnder(dir: string, accept: (name: string) => boolean, onError: (folder: string, error: Error) => void, limits: WalkLimits = WALK_LIMITS): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  // The next entry on top: a folder's entries go on in reverse, so that they come off in order.
  const stack: Pending[] = [{ path: dir, folder: true, depth: 0 }];
  let entries = 0;
  // Folders below the depth limit are counted, and reported once at the end.
  let tooDeep = 0;
  let firstTooDeep = '';
  while (stack.length > 0) {
    const entry = stack.pop()!;
    if (!entry.folder) {
      out.push(entry.path);
      continue;
    }
    const { path: folder, depth } = entry;
    if (depth > limits.maxDepth) {
      if (tooDeep++ === 0) firstTooDeep = folder;
      continue;
    }
    let names: string[];
    try {
      const real = realpathSync(folder);
      if (seen.has(real)) continue;
      seen.add(real);
      names = visibleNames(folder, limits.maxEntries - entries);
    } catch (e) {
      onError(folder, e as Error);
      continue;
    }
    if (entries + names.length > limits.maxEntries) {
      onError(folder, new WalkLimitError('WALK_TOO_MANY_ENTRIES', `more than ${limits.maxEntries.toLocaleString('en')} files and folders below ${dir}: the walk stopped in this folder`));
      break;
    }
    entries += names.length;
    const start = stack.length;
    for (const name of names) {
      const p = join(folder, name);
      let sub: boolean;
      try {
        sub = statSync(p).isDirectory();
      } catch {
        continue;
      }
      if (sub || accept(name)) stack.push({ path: p, folder: sub, depth: depth + 1 });
    }
    reverseFrom(stack, start);
  }
  if (tooDeep > 0) {
    const which = tooDeep === 1 ? 'it was' : `${tooDeep.toLocaleString('en')} such folders were`;
    onError(firstTooDeep, new WalkLimitError('WALK_TOO_DEEP', `more than ${limits.maxDepth} levels of folders below ${dir}: ${which} not walked`));
  }
  return out;
}

/** Reverses the end of an array, from `start` on, in place. */
function reverseFrom<T>(items: T[], start: number): void {
  for (let i = start, j = items.length - 1; i < j; i++, j--) [items[i], items[j]] = [items[j]!, items[i]!];
}

/**
 * The names in a folder, sorted, without hidden ones, which are read one at a
 * time and never held; at most `max` + 1 of them (one more says there are
 * more than `max`).
 */
function visibleNames(folder: string, max: number): string[] {
  const names: string[] = [];
  const handle = opendirSync(folder);
  try {
    for (let entry = handle.readSync(); entry !== null && names.length <= max; entry = handle.readSync()) {
      if (entry.name.charCodeAt(0) !== 46 /* . */) names.push(entry.name);
    }
  } finally {
    handle.closeSync();
  }
  return names.sort();
}

export function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** A file that {@link readRegularFile} will not read, or could not. */
export class FileReadError extends Error {
  constructor(
    readonly code: 'FILE_NOT_REGULAR' | 'FILE_TOO_LARGE' | 'FILE_UNREADABLE',
    /** What is wrong, without the path. */
    readonly reason: string,
    readonly path: string,
  ) {
    super(`${path}: ${reason}`);
    this.name = 'FileReadError';
  }
}

/** What a file that is not a regular file is, for the message that refuses it. */
function fileKind(st: Stats): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a named pipe';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * The bytes of a small file named by a user, read safely whatever the path
 * names: anything but a regular file (a device such as /dev/zero, a named
 * pipe, a socket, a link to one of them) is refused before a byte is read,
 * and so is a file over `maxBytes`; at most `maxBytes` are read, even from a
 * file that grows meanwhile. A first look by path spares opening a device at
 * all (opening some has effects of its own). The file is then opened without
 * blocking (a named pipe with no writer would otherwise wait forever), and
 * what was opened is checked again, so that nothing swapped in between is
 * read.
 *
 * @throws FileReadError
 */
export function readRegularFile(path: string, maxBytes: number): Buffer {
  const refuse = (st: Stats): FileReadError => new FileReadError('FILE_NOT_REGULAR', `${fileKind(st)}, not a regular file: not read`, path);
  const tooLarge = (size: number | string): FileReadError => new FileReadError('FILE_TOO_LARGE', `the file is ${size} bytes; files over ${maxBytes} bytes are refused`, path);
  const unreadable = (e: unknown): FileReadError => new FileReadError('FILE_UNREADABLE', `cannot read the file: ${(e as Error).message}`, path);
  let named: Stats;
  try {
    named = statSync(path);
  } catch (e) {
    throw unreadable(e);
  }
  if (!named.isFile()) throw refuse(named);
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    throw unreadable(e);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw refuse(st);
    if (st.size > maxBytes) throw tooLarge(st.size);
    // Room for one byte more than the file holds, to see that it ended; a file that grows meanwhile gets more, up to the limit.
    let bytes = Buffer.allocUnsafe(st.size + 1);
    let length = 0;
    for (;;) {
      if (length === bytes.length) {
        if (length > maxBytes) throw tooLarge(`more than ${maxBytes} (it grew while it was read)`);
        const larger = Buffer.allocUnsafe(Math.min(2 * length, maxBytes + 1));
        bytes.copy(larger, 0, 0, length);
        bytes = larger;
      }
      let n: number;
      try {
        n = readSync(fd, bytes, length, bytes.length - length, null);
      } catch (e) {
        throw unreadable(e);
      }
      if (n === 0) break;
      length += n;
    }
    return bytes.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}
