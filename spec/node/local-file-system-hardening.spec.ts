import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import {
  link,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  symlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { isStorageKeyError, task } from '../../lib/index.node';
import { LocalFileSystem } from '../../lib/node/index';
import { captureReports } from '../engine/support';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (data: Uint8Array | undefined) =>
  data === undefined ? undefined : new TextDecoder().decode(data);

/** Every file under `root`, as paths relative to it, sorted. */
async function files(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(root, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(path.relative(root, path.join(entry.parentPath ?? entry.path, entry.name)));
  }
  return out.sort();
}

describe('LocalFileSystem hardening', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'rxflow-lfs-hard-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  describe('keys rendered from parameters', () => {
    it("should never let 'notes/{title}' touch the record of 'invoices/{id}'", async () => {
      const storage = new LocalFileSystem({ basePath: dir });
      let calls = 0;
      const invoice = task(
        { name: 'invoice', resultStorageKey: 'invoices/{id}', resultStorage: storage },
        (id: number) => {
          calls++;
          return { id, total: 100 };
        },
      );
      const note = task(
        { name: 'note', resultStorageKey: 'notes/{title}', resultStorage: storage },
        (title: string) => `note ${title}`,
      );
      await invoice(42);
      const record = await readFile(path.join(dir, 'invoices/42'));
      expect(await note('../invoices/42')).toBe('note ../invoices/42');
      expect(await readFile(path.join(dir, 'invoices/42'))).toEqual(record);
      expect(await files(dir)).toEqual(['invoices/42', 'notes/%2E.%2Finvoices%2F42']);
      // And the invoice is still served from its own record.
      expect(await invoice(42)).toEqual({ id: 42, total: 100 });
      expect(calls).toBe(1);
    });

    it('should keep every rendered title in one file directly under notes/ (property)', async () => {
      const storage = new LocalFileSystem({ basePath: dir });
      const note = task(
        { name: 'note', resultStorageKey: 'notes/{title}', resultStorage: storage },
        (title: string) => title,
      );
      const title = fc.oneof(
        fc.string(),
        fc.constantFrom('..', '.', '/', '../..', '..\\..', '%2F', '.rxflow-tmp-1-ab', 'a/../../b'),
        fc.array(fc.constantFrom('..', '/', '.', '\\', 'a', '%'), { maxLength: 6 }).map((a) => a.join('')),
      );
      const seen = new Set<string>();
      await fc.assert(
        fc.asyncProperty(title, async (t) => {
          fc.pre(t !== '');
          await note(t);
          seen.add(t);
          const all = await files(dir);
          expect(all.every((f) => f.startsWith(`notes${path.sep}`) && !f.slice(6).includes(path.sep))).toBe(
            true,
          );
          // Distinct titles, distinct files.
          expect(all).toHaveLength(seen.size);
        }),
        { numRuns: 60 },
      );
    });
    it("should keep an empty parameter from collapsing a path segment: 'reports/{region}/{day}' with region '' is not 'reports/{day}'", async () => {
      const storage = new LocalFileSystem({ basePath: dir });
      const byRegion = task(
        { name: 'by-region', resultStorageKey: 'reports/{region}/{day}', resultStorage: storage },
        (region: string, day: string) => `region '${region}' ${day}`,
      );
      const byName = task(
        { name: 'by-name', resultStorageKey: 'reports/{name}', resultStorage: storage },
        (name: string) => `name ${name}`,
      );
      const empty = task(
        { name: 'empty', resultStorageKey: 'notes/{title}', resultStorage: storage },
        (title: string) => `title '${title}'`,
      );
      expect(await byName('x')).toBe('name x');
      expect(await byRegion('', 'x')).toBe("region '' x");
      expect(await empty('')).toBe("title ''");
      expect(await files(dir)).toEqual(['notes/%-', 'reports/%-/x', 'reports/x']);
      expect(await byName('x')).toBe('name x'); // its own record, untouched
    });

    it('should refuse a key with an empty, . or .. segment, or a trailing separator', async () => {
      const storage = new LocalFileSystem({ basePath: dir });
      for (const key of ['a//b', 'a/', 'a/./b', 'a/../b', './a'])
        await expect(storage.write(key, new Uint8Array([1]))).rejects.toThrow(
          `LocalFileSystem: the key ${JSON.stringify(key)} has an empty, '.' or '..' path segment`,
        );
      expect(await files(dir)).toEqual([]);
    });
  });

  describe('symbolic links inside the base path', () => {
    it('should refuse a key whose directory is a link leading outside, and touch nothing there', async () => {
      const base = path.join(dir, 'base');
      const outside = path.join(dir, 'outside');
      await mkdir(base);
      await mkdir(outside);
      await writeFile(path.join(outside, 'x'), 'secret');
      await symlink(outside, path.join(base, 'link'));
      const storage = new LocalFileSystem({ basePath: base });
      const outcomes = await Promise.all(
        [
          storage.write('link/x', bytes('overwritten')),
          storage.write('link/new/y', bytes('new')),
          storage.read('link/x'),
          storage.exists('link/x'),
          storage.delete('link/x'),
        ].map((p) =>
          (p as Promise<unknown>).then(
            () => 'done',
            (e: unknown) => (isStorageKeyError(e) ? 'refused' : e),
          ),
        ),
      );
      expect(outcomes).toEqual(['refused', 'refused', 'refused', 'refused', 'refused']);
      expect(await readFile(path.join(outside, 'x'), 'utf8')).toBe('secret');
      expect(await readdir(outside)).toEqual(['x']);
    });

    it('should not follow a record file that is a link leading outside: reads refuse, writes replace the link', async () => {
      const base = path.join(dir, 'base');
      const target = path.join(dir, 'target');
      await mkdir(base);
      await writeFile(target, 'secret');
      await symlink(target, path.join(base, 'record'));
      const storage = new LocalFileSystem({ basePath: base });
      await expect(storage.read('record')).rejects.toThrow('is a symbolic link; refusing to follow it');
      await expect(storage.exists('record')).rejects.toThrow('is a symbolic link');
      await storage.write('record', bytes('mine'));
      expect(await readFile(target, 'utf8')).toBe('secret');
      expect(text(await storage.read('record'))).toBe('mine');
    });

    it('should accept links that stay inside, and a base path that is itself a link', async () => {
      const real = path.join(dir, 'real');
      await mkdir(path.join(real, 'inner'), { recursive: true });
      await symlink(real, path.join(dir, 'alias'));
      await symlink(path.join(real, 'inner'), path.join(real, 'shortcut'));
      const storage = new LocalFileSystem({ basePath: path.join(dir, 'alias') });
      await storage.write('shortcut/a', bytes('one'));
      expect(await readFile(path.join(real, 'inner/a'), 'utf8')).toBe('one');
      expect(text(await storage.read('shortcut/a'))).toBe('one');
    });
  });

  describe('writes', () => {
    it('should write a new file and rename it over the record, never write the record in place', async () => {
      const storage = new LocalFileSystem({ basePath: dir });
      await storage.write('r', bytes('old'));
      // A hard link shares the record's inode: writing in place would change it too.
      await link(path.join(dir, 'r'), path.join(dir, 'snapshot'));
      await storage.write('r', bytes('new'));
      expect(await readFile(path.join(dir, 'snapshot'), 'utf8')).toBe('old');
      expect(await readFile(path.join(dir, 'r'), 'utf8')).toBe('new');
    });

    it('should leave no temporary file behind when a write fails', async () => {
      const storage = new LocalFileSystem({ basePath: dir });
      // The rename cannot replace a directory holding a file.
      await mkdir(path.join(dir, 'busy'));
      await writeFile(path.join(dir, 'busy', 'inside'), 'x');
      await expect(storage.write('busy', bytes('data'))).rejects.toThrow();
      expect((await readdir(dir)).sort()).toEqual(['busy']);
    });

    it('should remove temporary files a killed writer left, once their process is gone or they are old, on the first write into their directory', async () => {
      const dead = spawnSync(process.execPath, ['-e', '']).pid;
      const nested = path.join(dir, 'nested');
      await mkdir(nested);
      const leftovers = {
        deadOld: `.rxflow-tmp-${dead}-aaaa`,
        deadFresh: `.rxflow-tmp-${dead}-bbbb`,
        liveOld: `.rxflow-tmp-${process.pid}-cccc`,
        liveRecent: `.rxflow-tmp-${process.pid}-dddd`,
        ancient: '.rxflow-tmp-0123456789abcdef',
      };
      const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);
      const ages = { deadOld: 2, deadFresh: 0, liveOld: 2, liveRecent: 30, ancient: 120 };
      for (const where of [dir, nested]) {
        for (const [which, name] of Object.entries(leftovers)) {
          await writeFile(path.join(where, name), 'partial');
          const at = minutesAgo(ages[which as keyof typeof ages]);
          await utimes(path.join(where, name), at, at);
        }
      }
      const storage = new LocalFileSystem({ basePath: dir });
      await storage.write('a', bytes('x'));
      const kept = [leftovers.deadFresh, leftovers.liveOld, leftovers.liveRecent];
      expect((await readdir(dir)).sort()).toEqual(['a', 'nested', ...kept].sort());
      // Another directory: cleaned on the first write into it.
      expect(await readdir(nested)).toHaveLength(5);
      await storage.write('nested/b', bytes('y'));
      expect((await readdir(nested)).sort()).toEqual(['b', ...kept].sort());
    });

    it('should fail a write under /proc with an error instead of hanging in mkdir', async () => {
      if (process.platform !== 'linux' || !existsSync('/proc/self')) return;
      const storage = new LocalFileSystem({ basePath: '/proc/self/x' });
      await expect(storage.write('k', bytes('v'))).rejects.toThrow(
        /could not create the directory \/proc\/self\/x/,
      );
      expect(await storage.read('k')).toBeUndefined();
    });
  });

  it('should refuse a base path holding a NUL character at construction', () => {
    expect(() => new LocalFileSystem({ basePath: 'results\u0000x' })).toThrow(
      'LocalFileSystem: options.basePath "results\\u0000x" holds a NUL character, which no path can hold',
    );
  });

  it('should create its base path on the first write, and read nothing before', async () => {
    const storage = new LocalFileSystem({ basePath: path.join(dir, 'a', 'b') });
    expect(await storage.read('k')).toBeUndefined();
    expect(await storage.exists('k')).toBe(false);
    await storage.delete('k');
    expect(existsSync(path.join(dir, 'a'))).toBe(false);
    await storage.write('k', bytes('v'));
    expect((await stat(path.join(dir, 'a', 'b', 'k'))).isFile()).toBe(true);
  });

  it('should report, not hang, a run whose storage sits under /proc', async () => {
    if (process.platform !== 'linux' || !existsSync('/proc/self')) return;
    const reports = captureReports();
    try {
      const save = task(
        {
          name: 'save',
          persistResult: true,
          resultStorage: new LocalFileSystem({ basePath: '/proc/self/x' }),
        },
        () => 'value',
      );
      expect(await save()).toBe('value');
      expect(reports.reports.map((r) => r.message)).toEqual([
        expect.stringContaining('could not create the directory /proc/self/x'),
      ]);
    } finally {
      reports.restore();
    }
  });
});
