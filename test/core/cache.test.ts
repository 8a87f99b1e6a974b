/** The result cache (core/cache.ts): what makes an entry valid, and what a damaged or foreign cache is. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { indexFromHead, ResultCache, type CacheStorage } from '../../server/src/core/cache';
import { contentHash, settingsKeyer } from '../../server/src/core/cache-key';
import { cacheFile, fileStorage } from '../../server/src/core/cache-storage';
import { trustedStamp } from '../../server/src/core/file-stamp';
import { resolveConfig } from '../../server/src/core/config';
import type { FileResult } from '../../server/src/core/types';
import { builtinRegistry } from '../../server/src/builtin-registry';

function memory(initial?: string): CacheStorage & { text?: string; writes: number } {
  const storage = {
    text: initial,
    writes: 0,
    read: () => storage.text,
    write: (text: string) => {
      storage.text = text;
      storage.writes++;
    },
  };
  return storage;
}

function result(overrides: Partial<FileResult> = {}): FileResult {
  return { path: 'src/a.c', language: 'c', findings: [], ruleFailures: [], notes: [], lines: 3, ...overrides };
}

const KEY = { content: 'c1', settings: 's1' };

describe('ResultCache', () => {
  it('serves a stored result only for the same content and settings', () => {
    const storage = memory();
    const cache = ResultCache.open(storage, 'v1');
    cache.put('src/a.c', KEY, result({ lines: 42 }));
    expect(cache.save()).toBe(true);
    const reopened = ResultCache.open(storage, 'v1');
    expect(reopened.get('src/a.c', KEY)?.lines).toBe(42);
    expect(reopened.get('src/a.c', { ...KEY, content: 'c2' })).toBeUndefined();
    expect(reopened.get('src/a.c', { ...KEY, settings: 's2' })).toBeUndefined();
    expect(reopened.get('src/b.c', KEY)).toBeUndefined();
  });

  it('is never shared across builds', () => {
    const storage = memory();
    const cache = ResultCache.open(storage, '0.1.0+aaaa');
    cache.put('src/a.c', KEY, result());
    cache.save();
    expect(ResultCache.open(storage, '0.1.0+bbbb').get('src/a.c', KEY)).toBeUndefined();
    expect(ResultCache.open(storage, '0.2.0+aaaa').size).toBe(0);
  });

  it('goes stale when a suppression the result applied expires', () => {
    const suppressed = result({
      findings: [
        {
          ruleId: 'weak-hash',
          message: 'm',
          severity: 'medium',
          confidence: 'high',
          path: 'src/a.c',
          language: 'c',
          span: { start: 0, end: 1 },
          range: { start: { line: 0, column: 0 }, end: { line: 0, column: 1 } },
          snippet: 's',
          fixes: [],
          suppression: { justification: 'cache key only', until: '2030-01-31', source: 'in-source' },
        },
      ],
    });
    const storage = memory();
    const cache = ResultCache.open(storage, 'v1');
    cache.put('src/a.c', KEY, suppressed);
    cache.save();
    expect(ResultCache.open(storage, 'v1', new Date('2030-01-31T12:00:00Z')).get('src/a.c', KEY)).toBeDefined();
    expect(ResultCache.open(storage, 'v1', new Date('2030-02-01T00:00:01Z')).get('src/a.c', KEY)).toBeUndefined();
  });

  it('does not keep a result with a rule failure (it may be a time budget that ran out)', () => {
    const cache = ResultCache.open(memory(), 'v1');
    cache.put('src/a.c', KEY, result({ ruleFailures: [{ ruleId: 'x', path: 'src/a.c', error: 'time budget exceeded' }] }));
    expect(cache.get('src/a.c', KEY)).toBeUndefined();
  });

  it('hands out copies: changing a served result does not change the cache', () => {
    const storage = memory();
    const cache = ResultCache.open(storage, 'v1');
    cache.put('src/a.c', KEY, result());
    cache.get('src/a.c', KEY)!.notes.push('changed by a caller');
    expect(cache.get('src/a.c', KEY)!.notes).toEqual([]);
  });

  it('writes only when something changed, and forgets files a whole-tree scan no longer saw', () => {
    const storage = memory();
    const cache = ResultCache.open(storage, 'v1');
    expect(cache.save()).toBe(false);
    cache.put('src/a.c', KEY, result());
    cache.put('src/gone.c', KEY, result({ path: 'src/gone.c' }));
    cache.save();
    const next = ResultCache.open(storage, 'v1');
    next.get('src/a.c', KEY);
    expect(next.save()).toBe(false);
    next.retainOnly(new Set(['src/a.c']));
    expect(next.save()).toBe(true);
    expect(ResultCache.open(storage, 'v1').size).toBe(1);
    expect(storage.writes).toBe(2);
  });

  it('remembers the stamp a file had when read, and takes a new one when the content still matches', () => {
    const storage = memory();
    const cache = ResultCache.open(storage, 'v1');
    cache.put('src/a.c', KEY, result(), { stamp: 's1', language: 'c' });
    cache.put('src/b.c', KEY, result({ path: 'src/b.c' }));
    cache.save();
    const reopened = ResultCache.open(storage, 'v1');
    expect(reopened.seen('src/a.c', 's1')).toEqual({ content: KEY.content, language: 'c' });
    expect(reopened.seen('src/a.c', 's2')).toBeUndefined();
    expect(reopened.seen('src/b.c', 's1')).toBeUndefined();
    // One new stamp is not worth rewriting the cache for; it is kept when the cache is written anyway.
    reopened.restamp('src/b.c', { stamp: 's3', language: 'c' });
    expect(reopened.save()).toBe(false);
    reopened.put('src/c.c', KEY, result({ path: 'src/c.c' }));
    expect(reopened.save()).toBe(true);
    expect(ResultCache.open(storage, 'v1').seen('src/b.c', 's3')?.content).toBe(KEY.content);
  });

  it('treats a cache cut short, or with a damaged line, as no cache rather than failing', () => {
    const storage = memory();
    const cache = ResultCache.open(storage, 'v1');
    cache.put('src/a.c', KEY, result());
    cache.put('src/b.c', KEY, result({ path: 'src/b.c' }));
    cache.save();
    const whole = storage.text!;
    for (let cut = 1; cut < whole.length - 1; cut += 7) {
      expect(ResultCache.open(memory(whole.slice(0, cut)), 'v1').get('src/b.c', KEY)).toBeUndefined();
    }
    const damaged = whole.replace('"lines":3', '"lines":3,,');
    expect(ResultCache.open(memory(damaged), 'v1').get('src/a.c', KEY)).toBeUndefined();
    expect(ResultCache.open(memory('not a cache'), 'v1').size).toBe(0);
  });
});

describe('the scan index line', () => {
  it('round-trips, is written only when it changes, and is read from the head alone', () => {
    const storage = memory();
    const cache = ResultCache.open(storage, 'v1');
    cache.put('src/a.c', KEY, result());
    cache.setIndex('{"asked":1}');
    cache.save();
    const reopened = ResultCache.open(storage, 'v1');
    expect(reopened.index).toBe('{"asked":1}');
    reopened.setIndex('{"asked":1}');
    expect(reopened.save()).toBe(false);
    reopened.setIndex(undefined);
    expect(reopened.save()).toBe(true);
    expect(ResultCache.open(storage, 'v1').index).toBeUndefined();
    const again = ResultCache.open(storage, 'v1');
    again.setIndex('{"asked":1}');
    again.save();
    expect(indexFromHead(storage.text!.split('\n', 2), 'v1')).toBe('{"asked":1}');
    expect(indexFromHead(storage.text!.split('\n', 2), 'v2')).toBeUndefined();
  });

  it("calls a cache of this build that cannot be read whole damaged, and another build's cache not", () => {
    const storage = memory();
    const cache = ResultCache.open(storage, 'v1');
    cache.put('src/a.c', KEY, result());
    cache.save();
    const whole = storage.text!;
    expect(ResultCache.open(memory(whole), 'v1').damaged).toBe(false);
    expect(ResultCache.open(memory(whole.slice(0, whole.length - 5)), 'v1').damaged).toBe(true);
    expect(ResultCache.open(memory(whole.slice(0, 10)), 'v1').damaged).toBe(true);
    expect(ResultCache.open(memory(whole), 'v2').damaged).toBe(false);
    expect(ResultCache.open(memory(undefined), 'v1').damaged).toBe(false);
  });
});

describe('file stamps', () => {
  const stats = (mtimeMs: number, ctimeMs = mtimeMs) => ({ size: 10, mtimeMs, ctimeMs, ino: 7, dev: 1 }) as fs.Stats;

  it('differ when any of size, times, inode or device differ', () => {
    const now = Date.parse('2030-01-01T00:00:00Z');
    const base = trustedStamp(stats(now - 60_000), now);
    expect(base).toBeDefined();
    expect(trustedStamp({ ...stats(now - 60_000), size: 11 } as fs.Stats, now)).not.toBe(base);
    expect(trustedStamp(stats(now - 60_000, now - 30_000), now)).not.toBe(base);
    expect(trustedStamp({ ...stats(now - 60_000), ino: 8 } as fs.Stats, now)).not.toBe(base);
  });

  it('are not taken of a file changed within 2 s, which a later edit could leave with the same times', () => {
    const now = Date.parse('2030-01-01T00:00:00Z');
    expect(trustedStamp(stats(now - 1_000), now)).toBeUndefined();
    expect(trustedStamp(stats(now - 60_000, now - 500), now)).toBeUndefined();
  });
});

describe('cache keys', () => {
  it('hashes content', () => {
    expect(contentHash(Buffer.from('int x;\n'))).toBe(contentHash(Buffer.from('int x;\n')));
    expect(contentHash(Buffer.from('int x;\n'))).not.toBe(contentHash(Buffer.from('int y;\n')));
  });

  it('changes with a rule, its severity, its options and any setting outside the rules; not with ignore', () => {
    const keyOf = (raw: object, file = 'src/a.c') => {
      const config = resolveConfig(raw, undefined, '/project', { registry: builtinRegistry });
      return settingsKeyer(config)(config.rulesFor(file));
    };
    const base = { extends: ['medsec:recommended'] };
    const key = keyOf(base);
    expect(keyOf(base)).toBe(key);
    expect(keyOf({ ...base, ignore: ['vendor/**'] })).toBe(key);
    // cleartext-protocol is in medsec:recommended; weak-hash (medsec:strict) is turned on by naming a severity.
    expect(keyOf({ ...base, rules: { 'cleartext-protocol': 'off' } })).not.toBe(key);
    expect(keyOf({ ...base, rules: { 'weak-hash': 'critical' } })).not.toBe(key);
    expect(
      keyOf({ ...base, rules: { 'hardcoded-credential': { severity: 'critical', options: { extraNames: ['pairing_code'] } } } }),
    ).not.toBe(keyOf({ ...base, rules: { 'hardcoded-credential': { severity: 'critical' } } }));
    expect(keyOf({ ...base, overrides: [{ files: ['test/**'], rules: { 'cleartext-protocol': 'off' } }] })).toBe(key);
    expect(keyOf({ ...base, overrides: [{ files: ['test/**'], rules: { 'cleartext-protocol': 'off' } }] }, 'test/a.c')).not.toBe(key);
    expect(keyOf({ extends: ['medsec:strict'] })).not.toBe(key);
  });
});

describe('the cache on disk', () => {
  it('replaces the file by rename, leaves no temporary file, and ignores itself in git', () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'medsec-cache-'));
    try {
      const file = cacheFile(path.join(folder, '.medsec-cache'), '0.1.0+abc/def');
      expect(path.basename(file)).toBe('0.1.0_abc_def.cache');
      const storage = fileStorage(file);
      expect(storage.read()).toBeUndefined();
      storage.write('first\n');
      // What a crash between writing and renaming leaves: a partial temporary file, which nothing reads.
      fs.writeFileSync(`${file}.999.1.tmp`, 'par');
      storage.write('second\n');
      expect(String(storage.read())).toBe('second\n');
      expect(fs.readFileSync(path.join(path.dirname(file), '.gitignore'), 'utf8')).toMatch(/^\*$/m);
      expect(fs.readdirSync(path.dirname(file)).filter((name) => name.endsWith('.tmp') && !name.includes('.999.'))).toEqual([]);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});
