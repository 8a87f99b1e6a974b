/**
 * `--shard i/n`: a deterministic partition of the scanned files so a CI matrix can split a monorepo.
 * A file's shard depends only on its relative path (a hash of it), so adding or removing a file never
 * moves any other file to another shard, and every machine computes the same split.
 */
import { createHash } from 'crypto';
import { UsageError } from '../errors';

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

/** Parses `i/n` (1 <= i <= n); throws a UsageError that says what is expected. */
export function parseShard(text: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = match ? Number(match[1]) : NaN;
  const count = match ? Number(match[2]) : NaN;
  if (!match || !Number.isSafeInteger(index) || !Number.isSafeInteger(count) || count < 1 || index < 1 || index > count) {
    throw new UsageError(`--shard must be i/n with 1 <= i <= n, such as 2/4 (got "${text}")`);
  }
  return { index, count };
}

/** The 1-based shard that holds this path (forward slashes, relative to the config root). */
export function shardOf(relativePath: string, count: number): number {
  if (count <= 1) return 1;
  const digest = createHash('sha256').update(relativePath).digest();
  // 48 bits keep the modulo bias negligible for any realistic shard count.
  return (digest.readUIntBE(0, 6) % count) + 1;
}

export function inShard(relativePath: string, shard: Shard | undefined): boolean {
  return !shard || shardOf(relativePath, shard.count) === shard.index;
}

export function formatShard(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}
