import { isStorageKeyError, MemoryStorage } from '../../lib/index.node';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('MemoryStorage', () => {
  it('should read, write, check and delete records', async () => {
    const storage = new MemoryStorage();
    expect(await storage.read('a')).toBeUndefined();
    expect(await storage.exists('a')).toBe(false);
    const data = bytes('hello');
    await storage.write('a', data);
    expect(await storage.read('a')).toBe(data);
    expect(await storage.exists('a')).toBe(true);
    expect(storage.size).toBe(1);
    await storage.delete('a');
    await storage.delete('a');
    expect(await storage.exists('a')).toBe(false);
    await storage.write('b', data);
    storage.clear();
    expect(storage.size).toBe(0);
  });

  it('should drop the least recently written record past maxEntries', async () => {
    const storage = new MemoryStorage({ maxEntries: 2 });
    await storage.write('a', bytes('1'));
    await storage.write('b', bytes('2'));
    await storage.write('a', bytes('3'));
    await storage.write('c', bytes('4'));
    expect(await storage.exists('b')).toBe(false);
    expect(await storage.exists('a')).toBe(true);
    expect(await storage.exists('c')).toBe(true);
  });

  it('should reject bad keys, data and options with clear errors', async () => {
    const storage = new MemoryStorage();
    const error = await storage.read('').catch((e: unknown) => e);
    expect(isStorageKeyError(error)).toBe(true);
    expect((error as Error).message).toBe('MemoryStorage: expected a non-empty string key, got ""');
    await expect(storage.write('k', 'text' as never)).rejects.toThrow(
      "MemoryStorage: expected the data for 'k' to be a Uint8Array",
    );
    expect(() => new MemoryStorage({ maxEntries: 0 })).toThrow(
      'MemoryStorage: expected maxEntries to be a positive integer or Infinity, got 0',
    );
  });
});
