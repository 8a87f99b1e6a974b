/** `--shard i/n`: a stable partition of the discovered files by a hash of each relative path. */
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../server/src/core/config';
import { inShard, parseShard, shardOf } from '../server/src/core/pool/shard';
import { scan } from '../server/src/core/scan';
import { useTempProject } from './helpers/project';
import { BUILTIN } from './helpers/registry';

const PATHS = Array.from({ length: 240 }, (_, i) => `src/module${i % 7}/file_${i}.${['c', 'py', 'ts', 'java'][i % 4]}`);

describe('shardOf', () => {
  it('puts every file in exactly one shard, for n = 1..5', () => {
    for (let count = 1; count <= 5; count++) {
      const shards = Array.from({ length: count }, (_, i) => PATHS.filter((p) => inShard(p, { index: i + 1, count })));
      expect(shards.flat().sort()).toEqual([...PATHS].sort());
      expect(new Set(shards.flat()).size).toBe(PATHS.length);
      for (const shard of shards) expect(shard.length).toBeGreaterThan(PATHS.length / count / 2); // no shard starves
    }
  });

  it('keeps every other file where it was when a file is added or removed', () => {
    for (let count = 2; count <= 5; count++) {
      const before = new Map(PATHS.map((p) => [p, shardOf(p, count)]));
      const after = [...PATHS, 'src/new/added.c'].filter((p) => p !== PATHS[17]);
      for (const p of after) if (before.has(p)) expect(shardOf(p, count)).toBe(before.get(p));
    }
  });

  it('is the same on every run and machine (a fixed hash, not a random seed)', () => {
    expect(PATHS.slice(0, 8).map((p) => shardOf(p, 3))).toEqual(PATHS.slice(0, 8).map((p) => shardOf(p, 3)));
    expect(shardOf('firmware/ota/update.c', 1)).toBe(1);
  });
});

describe('parseShard', () => {
  it('reads i/n', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(parseShard(' 1 / 1 ')).toEqual({ index: 1, count: 1 });
  });

  it.each(['0/3', '4/3', '1/0', '2', 'a/b', '1/2/3', '-1/2', '1.5/3'])('refuses %s with a message that shows the form', (text) => {
    expect(() => parseShard(text)).toThrow(/--shard must be i\/n with 1 <= i <= n, such as 2\/4/);
  });
});

describe('scan --shard', () => {
  const project = useTempProject('shard');

  it('scans exactly its share, skipped files included, and the shards add up to the whole scan', async () => {
    for (let i = 0; i < 30; i++) project.write(`src/part${i % 3}/unit_${i}.c`, `const char *password = "Pump${i}Secret!";\n`);
    project.write('src/blob.c', new Uint8Array([0x69, 0x6e, 0x74, 0, 0, 1]));
    const config = loadConfig(project.dir, undefined, BUILTIN);
    const whole = await scan({ root: project.dir, paths: [], config, workers: 1 });
    const parts = [];
    for (let index = 1; index <= 3; index++)
      parts.push(await scan({ root: project.dir, paths: [], config, workers: 1, shard: { index, count: 3 } }));
    for (const [i, part] of parts.entries()) {
      expect(part.shard).toEqual({ index: i + 1, count: 3 });
      for (const file of part.files) expect(shardOf(file.path, 3)).toBe(i + 1);
    }
    const union = parts.flatMap((part) => part.files).sort((a, b) => (a.path < b.path ? -1 : 1));
    expect(union).toEqual(whole.files);
    expect(parts.flatMap((part) => part.skipped).map((s) => s.path)).toEqual(whole.skipped.map((s) => s.path));
    expect(whole.files).toHaveLength(30);
    expect(whole.skipped.map((s) => path.basename(s.path))).toEqual(['blob.c']);
  });
});
