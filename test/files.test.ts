/** Walking folders (path order, hidden entries passed over, limits said) and reading small files safely. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileReadError, filesUnder, readRegularFile, WalkLimitError } from '../src/files.js';

const dir = mkdtempSync(join(tmpdir(), 'eqlkit-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function tree(name: string, paths: readonly string[]): string {
  const root = join(dir, name);
  for (const p of paths) {
    const full = join(root, p);
    if (p.endsWith('/')) mkdirSync(full, { recursive: true });
    else {
      mkdirSync(join(full, '..'), { recursive: true });
      writeFileSync(full, '');
    }
  }
  return root;
}

const walk = (root: string, limits?: { maxDepth: number; maxEntries: number }) => {
  const errors: Array<[string, Error]> = [];
  const files = filesUnder(
    root,
    (n) => n.endsWith('.toml'),
    (folder, e) => errors.push([relative(root, folder), e]),
    limits,
  ).map((f) => relative(root, f));
  return { files, errors };
};

describe('filesUnder', () => {
  it('gives files in path order, each folder where its name sorts', () => {
    const root = tree('order', ['b.toml', 'a/z.toml', 'a/b/c.toml', 'c/', 'a.toml', 'ab.toml', 'x.txt']);
    // Names sort as strings: the folder `a` before `a.toml`.
    expect(walk(root)).toEqual({ files: ['a/b/c.toml', 'a/z.toml', 'a.toml', 'ab.toml', 'b.toml'], errors: [] });
  });

  it('passes over hidden files and folders at any depth', () => {
    const root = tree('hidden', ['.git/r.toml', '.r.toml', 'r.toml', 'a/.hidden/r.toml', 'a/.r.toml', 'a/r.toml']);
    expect(walk(root).files).toEqual(['a/r.toml', 'r.toml']);
  });

  it('stops at the depth limit and says so once, naming the first folder beyond it', () => {
    const root = tree('deep', ['0.toml', 'a/1.toml', 'a/b/2.toml', 'a/b/c/3.toml', 'a/b/c/d/4.toml', 'x/y/z/5.toml']);
    const { files, errors } = walk(root, { maxDepth: 2, maxEntries: 100 });
    expect(files).toEqual(['0.toml', 'a/1.toml', 'a/b/2.toml']);
    expect(errors).toHaveLength(1);
    const [folder, error] = errors[0]!;
    expect(folder).toBe(join('a', 'b', 'c'));
    expect(error).toBeInstanceOf(WalkLimitError);
    expect(error).toMatchObject({ code: 'WALK_TOO_DEEP' });
    expect(error.message).toBe(`more than 2 levels of folders below ${root}: 2 such folders were not walked`);
  });

  it('stops at the entry limit and says so', () => {
    const root = tree('many', ['a.toml', 'b.toml', 'c/d.toml', 'c/e.toml', 'c/f.toml', 'g.toml', '.h1.toml', '.h2.toml']);
    const { files, errors } = walk(root, { maxDepth: 10, maxEntries: 5 });
    // The top folder's four entries fit (hidden ones do not count); c's three do not.
    expect(files).toEqual(['a.toml', 'b.toml']);
    expect(errors.map(([f, e]) => [f, (e as WalkLimitError).code])).toEqual([['c', 'WALK_TOO_MANY_ENTRIES']]);
  });
});

describe('readRegularFile', () => {
  it('reads a regular file, through a link too', () => {
    writeFileSync(join(dir, 'small.txt'), 'hello');
    symlinkSync(join(dir, 'small.txt'), join(dir, 'small-link.txt'));
    expect(readRegularFile(join(dir, 'small.txt'), 5).toString()).toBe('hello');
    expect(readRegularFile(join(dir, 'small-link.txt'), 5).toString()).toBe('hello');
  });

  it('refuses a file over the limit before reading it', () => {
    expect(() => readRegularFile(join(dir, 'small.txt'), 4)).toThrow(expect.objectContaining({ code: 'FILE_TOO_LARGE', reason: 'the file is 5 bytes; files over 4 bytes are refused' }));
  });

  it.each([
    ['/dev/zero', 'a character device'],
    ['/dev/null', 'a character device'],
  ])('refuses %s, and a link to it, as %s', (device, kind) => {
    if (!existsSync(device)) return;
    const link = join(dir, `link-to-${device.replaceAll('/', '-')}`);
    symlinkSync(device, link);
    for (const path of [device, link]) {
      const error = (() => {
        try {
          readRegularFile(path, 100);
        } catch (e) {
          return e;
        }
        return null;
      })();
      expect(error).toBeInstanceOf(FileReadError);
      expect(error).toMatchObject({ code: 'FILE_NOT_REGULAR', reason: `${kind}, not a regular file: not read` });
    }
  });

  it('refuses a named pipe without waiting for a writer, and a folder', () => {
    const fifo = join(dir, 'pipe');
    try {
      execFileSync('mkfifo', [fifo]);
    } catch {
      return; // no mkfifo here
    }
    expect(() => readRegularFile(fifo, 100)).toThrow(expect.objectContaining({ code: 'FILE_NOT_REGULAR', reason: 'a named pipe, not a regular file: not read' }));
    expect(() => readRegularFile(dir, 100)).toThrow(expect.objectContaining({ code: 'FILE_NOT_REGULAR', reason: 'a folder, not a regular file: not read' }));
    expect(() => readRegularFile(join(dir, 'missing'), 100)).toThrow(expect.objectContaining({ code: 'FILE_UNREADABLE' }));
  });
});
