/**
 * The result cache's appended segments (core/cache.ts, cache-log.ts, keyed-patch.ts): a small change is
 * appended, not the whole cache rewritten; a write cut short anywhere reads as the cache before it (never a
 * wrong result); segments of another base are ignored; the segments are folded into a new base once large.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { ResultCache, type CacheStorage } from '../../server/src/core/cache';
import { cacheFile, fileStorage, readCacheIndex } from '../../server/src/core/cache-storage';
import { applyPatch, diffDoc } from '../../server/src/core/keyed-patch';
import type { FileResult } from '../../server/src/core/types';

/** Storage in memory that appends as the file storage does: only at the length last read or written. */
function appending(initial?: Buffer): CacheStorage & { bytes?: Buffer; writes: number; appends: number } {
  const storage = {
    bytes: initial,
    writes: 0,
    appends: 0,
    read: () => storage.bytes,
    write: (text: string) => {
      storage.bytes = Buffer.from(text, 'utf8');
      storage.writes++;
    },
    append: (bytes: Uint8Array, length: number) => {
      if (!storage.bytes || storage.bytes.length !== length) return false;
      storage.bytes = Buffer.concat([storage.bytes, bytes]);
      storage.appends++;
      return true;
    },
  };
  return storage;
}

function result(file: string, lines: number): FileResult {
  return { path: file, language: 'c', findings: [], ruleFailures: [], notes: [], lines };
}

const key = (content: string) => ({ content, settings: 's1' });

/** An index shaped as the CLI's: keyed lists of folders, files and results, and a few plain fields. */
function indexOf(files: Record<string, number>) {
  const names = Object.keys(files).sort();
  return {
    asked: { root: '/p' },
    folders: [['', names.join('/')]],
    files: names.map((name) => [name, `stamp-${files[name]}`]),
    results: names.map((name) => result(name, files[name])),
    skipped: [],
  };
}

/** A cache of 40 files with an index, written whole. */
function baseCache() {
  const storage = appending();
  const cache = ResultCache.open(storage, 'v1');
  const files: Record<string, number> = {};
  for (let i = 0; i < 40; i++) {
    files[`src/f${i}.c`] = i;
    cache.put(`src/f${i}.c`, key(`c${i}`), result(`src/f${i}.c`, i));
  }
  cache.setIndex(indexOf(files));
  cache.setFacts('{"files":[["src/f1.c","p"]],"projects":[["p",[]]]}');
  cache.save();
  return { storage, files };
}

describe('appended segments', () => {
  it('append a one-file edit, and read back as the whole cache would', () => {
    const { storage, files } = baseCache();
    const baseLength = storage.bytes!.length;
    const cache = ResultCache.open(storage, 'v1');
    cache.put('src/f3.c', key('c3-edited'), result('src/f3.c', 300));
    cache.retainOnly(new Set(Object.keys(files).filter((file) => file !== 'src/f7.c')));
    const edited = { ...files, 'src/f3.c': 300, 'src/new.c': 5 };
    delete (edited as Record<string, number>)['src/f7.c'];
    cache.put('src/new.c', key('n'), result('src/new.c', 5));
    cache.setIndex(indexOf(edited));
    cache.setFacts('{"files":[["src/f1.c","p"]],"projects":[["p",[]]]}');
    expect(cache.save()).toBe(true);
    expect(storage.writes).toBe(1);
    expect(storage.appends).toBe(1);
    // The segment holds the change, not the cache: far smaller than the base.
    expect(storage.bytes!.length - baseLength).toBeLessThan(baseLength / 4);

    const reopened = ResultCache.open(storage, 'v1');
    expect(reopened.damaged).toBe(false);
    expect(reopened.get('src/f3.c', key('c3-edited'))?.lines).toBe(300);
    expect(reopened.get('src/f3.c', key('c3'))).toBeUndefined();
    expect(reopened.has('src/f7.c')).toBe(false);
    expect(reopened.get('src/new.c', key('n'))?.lines).toBe(5);
    expect(JSON.parse(reopened.index!)).toEqual(indexOf(edited));
    expect(reopened.facts).toBe('{"files":[["src/f1.c","p"]],"projects":[["p",[]]]}');
  });

  it('read a write cut short at any byte as the cache before it, never as a mix', () => {
    const { storage, files } = baseCache();
    const before = storage.bytes!;
    const cache = ResultCache.open(storage, 'v1');
    cache.put('src/f3.c', key('c3-edited'), result('src/f3.c', 300));
    cache.setIndex(indexOf({ ...files, 'src/f3.c': 300 }));
    cache.save();
    const after = storage.bytes!;
    expect(after.length).toBeGreaterThan(before.length);
    for (let cut = before.length; cut < after.length; cut++) {
      const torn = appending(after.subarray(0, cut));
      const reopened = ResultCache.open(torn, 'v1');
      expect(reopened.damaged).toBe(false);
      expect(reopened.get('src/f3.c', key('c3'))?.lines).toBe(3);
      expect(reopened.get('src/f3.c', key('c3-edited'))).toBeUndefined();
      expect(JSON.parse(reopened.index!)).toEqual(indexOf(files));
    }
    // A segment whose bytes were damaged in place (a crash's zero-filled block) fails its hash the same way.
    const zeroed = Buffer.from(after);
    zeroed.fill(0, before.length + 120, before.length + 160);
    expect(ResultCache.open(appending(zeroed), 'v1').get('src/f3.c', key('c3-edited'))).toBeUndefined();
  });

  it('write the whole cache afresh after a torn tail, so that later segments are never lost behind it', () => {
    const { storage, files } = baseCache();
    const cache = ResultCache.open(storage, 'v1');
    cache.put('src/f3.c', key('c3-edited'), result('src/f3.c', 300));
    cache.save();
    const torn = appending(storage.bytes!.subarray(0, storage.bytes!.length - 3));
    const next = ResultCache.open(torn, 'v1');
    next.put('src/f4.c', key('c4-edited'), result('src/f4.c', 400));
    next.setIndex(indexOf({ ...files, 'src/f4.c': 400 }));
    next.save();
    expect(torn.writes).toBe(1);
    expect(torn.appends).toBe(0);
    const reopened = ResultCache.open(torn, 'v1');
    expect(reopened.get('src/f4.c', key('c4-edited'))?.lines).toBe(400);
    expect(reopened.get('src/f3.c', key('c3'))?.lines).toBe(3);
  });

  it('ignore a segment written for another base, and fold segments into a new base once they outgrow it', () => {
    const { storage } = baseCache();
    const cache = ResultCache.open(storage, 'v1');
    cache.put('src/f3.c', key('c3-edited'), result('src/f3.c', 300));
    cache.save();
    const segment = storage.bytes!.subarray(baseCache().storage.bytes!.length);
    // The same segment after another base of the same length (another id): not applied.
    const other = baseCache().storage.bytes!;
    const grafted = Buffer.concat([other, segment]);
    expect(ResultCache.open(appending(grafted), 'v1').get('src/f3.c', key('c3-edited'))).toBeUndefined();

    const growing = baseCache().storage;
    for (let round = 0; round < 60; round++) {
      const next = ResultCache.open(growing, 'v1');
      next.put(`src/f${round % 40}.c`, key(`round-${round}`), result(`src/f${round % 40}.c`, round));
      next.save();
    }
    expect(growing.writes).toBeGreaterThan(1);
    const final = ResultCache.open(growing, 'v1');
    for (let round = 20; round < 60; round++) expect(final.get(`src/f${round % 40}.c`, key(`round-${round}`))?.lines).toBe(round);
  });

  it('are read by the warm re-scan, which applies the index patches from the file', () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'medsec-segments-'));
    try {
      const file = cacheFile(folder, 'v1');
      const storage = fileStorage(file);
      const cache = ResultCache.open(storage, 'v1');
      // Enough entries that one file's change is appended rather than the cache written afresh.
      for (let i = 0; i < 40; i++) cache.put(`src/f${i}.c`, key(`c${i}`), result(`src/f${i}.c`, i));
      cache.put('a.c', key('a'), result('a.c', 1));
      cache.setIndex(indexOf({ 'a.c': 1, 'b.c': 2 }));
      cache.save();
      expect(readCacheIndex(file, 'v1')).toBe(JSON.stringify(indexOf({ 'a.c': 1, 'b.c': 2 })));
      const size = fs.statSync(file).size;
      const next = ResultCache.open(fileStorage(file), 'v1');
      next.put('b.c', key('b'), result('b.c', 20));
      next.setIndex(indexOf({ 'a.c': 1, 'b.c': 20 }));
      next.save();
      expect(fs.statSync(file).size).toBeGreaterThan(size);
      expect(readCacheIndex(file, 'v1')).toEqual(indexOf({ 'a.c': 1, 'b.c': 20 }));
      expect(readCacheIndex(file, 'v2')).toBeUndefined();
      // Cut short: the index before the write.
      fs.truncateSync(file, fs.statSync(file).size - 1);
      const stored = readCacheIndex(file, 'v1');
      expect(typeof stored === 'string' ? JSON.parse(stored) : stored).toEqual(indexOf({ 'a.c': 1, 'b.c': 2 }));
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  it('are appended to the file only while it is the one read and of the length read', () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'medsec-segments-'));
    try {
      const file = cacheFile(folder, 'v1');
      const first = ResultCache.open(fileStorage(file), 'v1');
      first.put('a.c', key('a'), result('a.c', 1));
      first.save();
      // Two scans read the same cache; the second appends after the first did: it must not append blindly.
      const one = ResultCache.open(fileStorage(file), 'v1');
      const two = ResultCache.open(fileStorage(file), 'v1');
      one.put('b.c', key('b'), result('b.c', 2));
      one.save();
      two.put('c.c', key('c'), result('c.c', 3));
      two.save();
      const reopened = ResultCache.open(fileStorage(file), 'v1');
      expect(reopened.damaged).toBe(false);
      expect(reopened.get('c.c', key('c'))?.lines).toBe(3);
      expect(reopened.get('a.c', key('a'))?.lines).toBe(1);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('keyed patches', () => {
  it('turn the old document into the new one, order included, for random edits', () => {
    let seed = 7;
    const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n) >>> 0;
    for (let trial = 0; trial < 300; trial++) {
      const before = Array.from({ length: random(12) + 1 }, (_, i) => [`k${i}`, random(3)]);
      let after = before.filter(() => random(5) > 0).map((item) => (random(4) === 0 ? [item[0], 9] : item));
      for (let i = 0; i < random(4); i++) after.splice(random(after.length + 1), 0, [`new${trial}-${i}`, i]);
      if (random(6) === 0) after = [...after].reverse();
      const docs = [
        { list: before, flag: 1 },
        { list: after, flag: random(2) },
      ];
      const patch = diffDoc(docs[0], docs[1]);
      const applied = patch ? applyPatch(docs[0], patch) : docs[0];
      expect(JSON.stringify(applied)).toBe(JSON.stringify(docs[1]));
    }
  });

  it('name only the items that changed', () => {
    const before = { results: [result('a.c', 1), result('b.c', 2), result('c.c', 3)] };
    const after = { results: [before.results[0], result('b.c', 20), { ...before.results[2] }] };
    expect(diffDoc(before, after)).toEqual({ lists: { results: { upd: [result('b.c', 20)] } } });
    expect(diffDoc(before, { results: [...before.results] })).toBeUndefined();
  });
});
