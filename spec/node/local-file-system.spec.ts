import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { INPUTS, isStorageKeyError, task } from '../../lib/index.node';
import { LocalFileSystem } from '../../lib/node/index';
import { captureReports, collect, names } from '../engine/support';

const ROOT = path.resolve(__dirname, '../..');
const CHILD = path.join(__dirname, 'fixtures', 'cache-child.ts');
const bytes = (text: string) => new TextEncoder().encode(text);

/** Runs the cache fixture as its own Node process on `dir`; resolves with its stdout lines. */
function runChild(dir: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', CHILD, dir],
      { cwd: ROOT, timeout: 30_000, env: { ...process.env, NODE_OPTIONS: '' } },
      (error, stdout, stderr) => {
        if (error || stderr !== '')
          reject(new Error(`the child failed: ${String(error)}\n${stdout}\n${stderr}`));
        else resolve(stdout.trim().split('\n'));
      },
    );
  });
}

describe('LocalFileSystem', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'rxflow-lfs-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('should read, write, check and delete files under its base path, creating directories', async () => {
    const storage = new LocalFileSystem({ basePath: dir });
    expect(await storage.read('a')).toBeUndefined();
    expect(await storage.exists('a')).toBe(false);
    await storage.write('nested/deeper/a.json', bytes('one'));
    await storage.write('nested/deeper/a.json', bytes('two'));
    expect(new TextDecoder().decode(await storage.read('nested/deeper/a.json'))).toBe('two');
    expect(await readFile(path.join(dir, 'nested/deeper/a.json'), 'utf8')).toBe('two');
    expect(await storage.exists('nested/deeper/a.json')).toBe(true);
    expect(await storage.exists('nested')).toBe(false);
    await storage.delete('nested/deeper/a.json');
    await storage.delete('nested/deeper/a.json');
    expect(await storage.exists('nested/deeper/a.json')).toBe(false);
    // Atomic writes leave no temporary files behind.
    expect(await readdir(path.join(dir, 'nested/deeper'))).toEqual([]);
    expect(storage.basePath).toBe(path.resolve(dir));
  });

  it('should refuse keys that resolve outside its base path, and touch nothing', async () => {
    const storage = new LocalFileSystem({ basePath: path.join(dir, 'store') });
    const refused = await Promise.all(
      ['../escape', 'a/../../escape', '/etc/passwd', '..', '', 'a\u0000b'].map((key) =>
        storage.write(key, bytes('x')).then(
          () => 'written',
          (error: unknown) =>
            isStorageKeyError(error) ? (error as Error).message.replace(dir, '<dir>') : String(error),
        ),
      ),
    );
    expect(refused).toMatchInlineSnapshot(`
     [
       "LocalFileSystem: the key "../escape" resolves outside the storage directory <dir>/store; refusing to read or write it",
       "LocalFileSystem: the key "a/../../escape" resolves outside the storage directory <dir>/store; refusing to read or write it",
       "LocalFileSystem: the key "/etc/passwd" resolves outside the storage directory <dir>/store; refusing to read or write it",
       "LocalFileSystem: the key ".." resolves outside the storage directory <dir>/store; refusing to read or write it",
       "LocalFileSystem: expected a non-empty string key, got """,
       "LocalFileSystem: the key "a\\u0000b" holds a NUL character",
     ]
    `);
    await expect(storage.read('../escape')).rejects.toThrow('resolves outside the storage directory');
    expect(await readdir(dir)).toEqual([]);
    expect(() => new LocalFileSystem({ basePath: '' })).toThrow(
      'LocalFileSystem: expected options.basePath to be a non-empty string, got ""',
    );
  });

  it('should keep a resultStorageKey built from a parameter holding ../ in its template directory, escaped', async () => {
    const reports = captureReports();
    try {
      const storage = new LocalFileSystem({ basePath: path.join(dir, 'store') });
      const save = task(
        { name: 'save', resultStorageKey: 'out/{file}', resultStorage: storage },
        (file: string) => `saved ${file}`,
      );
      expect(await save('../../evil')).toBe('saved ../../evil');
      expect(await save('fine.json')).toBe('saved fine.json');
      expect(await save('../../evil')).toBe('saved ../../evil'); // Cached, from its own file
      expect(await readdir(dir)).toEqual(['store']);
      expect(await readdir(path.join(dir, 'store'))).toEqual(['out']);
      expect((await readdir(path.join(dir, 'store/out'))).sort()).toEqual(['%2E.%2F..%2Fevil', 'fine.json']);
      expect(reports.reports).toEqual([]);
    } finally {
      reports.restore();
    }
  });

  it('should treat a corrupt or truncated file as a miss, report it, and replace it with the recomputed result', async () => {
    const reports = captureReports();
    try {
      const storage = new LocalFileSystem({ basePath: dir });
      let calls = 0;
      const square = task({ name: 'square', cachePolicy: INPUTS, resultStorage: storage }, (n: number) => {
        calls++;
        return n * n;
      });
      const first = await collect(square.run$(4));
      const file = path.join(dir, first.at(-1)!.details!.cacheKey!);
      expect(names(await collect(square.run$(4)))).toEqual(['Pending', 'Cached']);
      const good = await readFile(file);
      await writeFile(file, good.subarray(0, good.length - 5));
      expect(names(await collect(square.run$(4)))).toEqual(['Pending', 'Running', 'Completed']);
      expect(names(await collect(square.run$(4)))).toEqual(['Pending', 'Cached']); // rewritten whole
      await writeFile(file, 'not a record at all');
      expect(await square(4)).toBe(16);
      expect(names(await collect(square.run$(4)))).toEqual(['Pending', 'Cached']);
      expect(calls).toBe(3);
      expect(reports.reports).toHaveLength(2);
      expect(reports.reports.map((r) => r.message)).toEqual([
        expect.stringContaining(
          'is truncated or damaged: its checksum does not match; treating it as a cache miss',
        ),
        expect.stringContaining('is truncated or not an rxflow result record; treating it as a cache miss'),
      ]);
    } finally {
      reports.restore();
    }
  });

  it('should serve every cached task from the files of an earlier process, without calling its function', async () => {
    // The two extract runs write their files concurrently: their lines may come in either order.
    const first = await runChild(dir);
    expect([...first.slice(0, 2)].sort()).toEqual(['extract-mon Completed', 'extract-tue Completed']);
    // Their cache lookups miss concurrently too, so their bodies may be called in either order.
    const called = first[5]!.replace(
      'called: extract tue, extract mon,',
      'called: extract mon, extract tue,',
    );
    expect([...first.slice(2, 5), called, ...first.slice(6)]).toEqual([
      'total Completed',
      'report-7 Completed',
      'per-run Completed',
      'called: extract mon, extract tue, total, report 7, per-run',
      'result: ["total 7",7]',
    ]);
    const second = await runChild(dir);
    expect([...second.slice(0, 2)].sort()).toEqual(['extract-mon Cached', 'extract-tue Cached']);
    expect(second.slice(2)).toEqual([
      'total Cached',
      'report-7 Cached',
      'per-run Completed', // DEFAULT keys by flow run: a new run computes again
      'called: per-run',
      'result: ["total 7",7]',
    ]);
    expect((await readdir(dir)).filter((f) => f.startsWith('.'))).toEqual([]);
  }, 60_000);
});
