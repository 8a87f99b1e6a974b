/**
 * Whether git tracks a path, read from the repository's index file itself (`.git/index`): medsec never runs
 * git in a tree it scans (a hostile repository's configuration could make git run its commands). The result
 * cache uses it to refuse a cache folder that a commit put there: every key of a cache entry (a content
 * hash, a settings hash, the build) can be computed from a public release, so a committed cache could
 * hand "no findings" to a CI job that scans the checkout. A cache that CI restores (`actions/cache`) is not
 * tracked, and is read as usual.
 *
 * The index format (git's Documentation/gitformat-index.txt): "DIRC", version 2, 3 or 4, an entry count,
 * then the entries sorted by path; version 4 stores each path as the number of bytes to drop from the
 * previous path and the rest. A split index keeps most entries in a shared file named by its `link`
 * extension, which is read too. Anything not understood counts as "cannot tell", which the caller treats as
 * tracked: the cost is a cold scan, never a forged result.
 */
import * as fs from 'fs';
import * as path from 'path';

export type Tracked = 'tracked' | 'untracked' | 'cannot tell';

/** Bytes of an entry before its flags: ctime, mtime, dev, ino, mode, uid, gid, size (4 bytes each, times 8), then the object id. */
const STAT_BYTES = 40;
const EXTENDED_FLAG = 0x4000;
const NAME_LENGTH_MASK = 0x0fff;

/**
 * Whether the index of the repository whose work tree holds `target` tracks `target` itself, anything
 * below it, or a sparse folder entry that holds it. `untracked` outside a repository or before its first `git add`.
 */
export function gitTracks(target: string): Tracked {
  const repository = repositoryOf(path.resolve(target));
  if (!repository) return 'untracked';
  const relative = path.relative(repository.workTree, path.resolve(target)).split(path.sep).join('/');
  let index: Buffer;
  try {
    index = fs.readFileSync(path.join(repository.gitDir, 'index'));
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'untracked' : 'cannot tell';
  }
  const hashBytes = objectIdBytes(repository.gitDir);
  if (holdsNoPath(index, relative, hashBytes)) return 'untracked';
  const matches = (name: string) =>
    name === relative || name.startsWith(`${relative}/`) || (name.endsWith('/') && `${relative}/`.startsWith(name));
  const own = indexNames(index, hashBytes);
  if (!own) return 'cannot tell';
  if (own.names.some(matches)) return 'tracked';
  if (!own.sharedIndex) return 'untracked';
  let shared: Buffer;
  try {
    shared = fs.readFileSync(path.join(repository.gitDir, `sharedindex.${own.sharedIndex}`));
  } catch {
    return 'cannot tell';
  }
  const base = indexNames(shared, hashBytes);
  // The shared index's entries include ones the split index deleted: counting them as tracked only errs toward a cold scan.
  return !base ? 'cannot tell' : base.names.some(matches) ? 'tracked' : 'untracked';
}

/** What git tracks under a scanned folder, for discovery: a committed file is scanned even when `.gitignore` lists it. */
export interface TrackedTree {
  /** Whether git tracks the file, or for a folder a file below it; `relative` to the scanned folder, '/'-separated. */
  tracks(relative: string, isDirectory: boolean): boolean;
  /** The index file read, so a walk record can notice it change. */
  indexFile: string;
}

/**
 * The tracked files under `root`, read from the index once; undefined outside a repository, before the first
 * `git add`, or when the index cannot be read (discovery then goes by `.gitignore` alone, as without git).
 * Where the index keeps its paths whole and in git's order (versions 2 and 3, no split or sparse index), a path
 * is looked up among the entries' bytes by binary search, with no path decoded (gitTracks' fast path is of the
 * same kind); otherwise the entries are decoded into sets.
 */
export function trackedUnder(root: string): TrackedTree | undefined {
  const absoluteRoot = path.resolve(root);
  const repository = repositoryOf(absoluteRoot);
  if (!repository) return undefined;
  const indexFile = path.join(repository.gitDir, 'index');
  const hashBytes = objectIdBytes(repository.gitDir);
  const index = readOrUndefined(indexFile);
  if (!index) return undefined;
  const prefix = path.relative(repository.workTree, absoluteRoot).split(path.sep).join('/');
  const fromWorkTree = (relative: string) => (prefix ? `${prefix}/${relative}` : relative);
  const paths = wholePaths(index, hashBytes);
  if (paths) {
    const tracks = (relative: string, isDirectory: boolean) =>
      isDirectory ? paths.holdsBelow(fromWorkTree(relative)) : paths.holds(fromWorkTree(relative));
    return { tracks, indexFile };
  }
  const decoded = decodeTracked(index, prefix, repository.gitDir, hashBytes);
  return decoded && { tracks: (relative, isDirectory) => decoded.has(relative, isDirectory), indexFile };
}

interface DecodedTree {
  has(relative: string, isDirectory: boolean): boolean;
}

/** The index's entries (and a split index's shared ones) below `prefix`, as files and the folders that hold them. */
function decodeTracked(index: Buffer, prefix: string, gitDir: string, hashBytes: number): DecodedTree | undefined {
  const own = indexNames(index, hashBytes);
  if (!own) return undefined;
  const shared = own.sharedIndex ? readIndex(path.join(gitDir, `sharedindex.${own.sharedIndex}`), hashBytes) : undefined;
  const files = new Set<string>();
  const folders = new Set<string>();
  for (const name of [...own.names, ...(shared?.names ?? [])]) {
    const below = !prefix ? name : name.startsWith(`${prefix}/`) ? name.slice(prefix.length + 1) : undefined;
    if (!below) continue;
    // A sparse-checkout folder entry (`dir/`) names a folder, not a file.
    if (below.endsWith('/')) folders.add(below.slice(0, -1));
    else files.add(below);
    for (let cut = below.lastIndexOf('/', below.length - 2); cut > 0; cut = below.lastIndexOf('/', cut - 1)) {
      const folder = below.slice(0, cut);
      if (folders.has(folder)) break;
      folders.add(folder);
    }
  }
  return { has: (relative, isDirectory) => (isDirectory ? folders : files).has(relative) };
}

function readOrUndefined(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

function readIndex(file: string, hashBytes: number): ReturnType<typeof indexNames> {
  const index = readOrUndefined(file);
  return index && indexNames(index, hashBytes);
}

interface Repository {
  workTree: string;
  gitDir: string;
}

/** The nearest `.git` above `start`: a folder, or a file saying `gitdir: <path>` (a linked worktree, a submodule). */
function repositoryOf(start: string): Repository | undefined {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const dotGit = path.join(dir, '.git');
    const stats = statOrUndefined(dotGit);
    if (stats?.isDirectory()) return { workTree: dir, gitDir: dotGit };
    if (stats?.isFile()) {
      const pointer = readSmall(dotGit)?.trim();
      if (pointer?.startsWith('gitdir:')) return { workTree: dir, gitDir: path.resolve(dir, pointer.slice('gitdir:'.length).trim()) };
      return undefined;
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** 32 bytes in a SHA-256 repository (`extensions.objectFormat = sha256`), 20 otherwise. */
function objectIdBytes(gitDir: string): number {
  // A linked worktree's git folder shares the main one's config through `commondir`.
  const common = readSmall(path.join(gitDir, 'commondir'))?.trim();
  const config = readSmall(path.join(common ? path.resolve(gitDir, common) : gitDir, 'config')) ?? '';
  const sha256 = config.split('\n').some((line) => line.replace(/[ \t]/g, '').toLowerCase() === 'objectformat=sha256');
  return sha256 ? 32 : 20;
}

/** The paths an index file holds, and the shared index it points to (split index); undefined when it cannot be read. */
export function indexNames(index: Buffer, hashBytes = 20): { names: string[]; sharedIndex?: string } | undefined {
  if (index.length < 12 || index.toString('latin1', 0, 4) !== 'DIRC') return undefined;
  const version = index.readUInt32BE(4);
  const count = index.readUInt32BE(8);
  if (version < 2 || version > 4) return undefined;
  const names: string[] = [];
  let at = 12;
  let previous: Buffer = Buffer.alloc(0);
  const flagsAt = STAT_BYTES + hashBytes;
  for (let i = 0; i < count; i++) {
    const start = at;
    if (start + flagsAt + 2 > index.length) return undefined;
    const flags = index.readUInt16BE(start + flagsAt);
    at = start + flagsAt + 2 + (version >= 3 && flags & EXTENDED_FLAG ? 2 : 0);
    let name: Buffer;
    if (version === 4) {
      const strip = readVarint(index, at);
      if (!strip || strip.value > previous.length) return undefined;
      const end = index.indexOf(0, strip.next);
      if (end < 0) return undefined;
      name = Buffer.concat([previous.subarray(0, previous.length - strip.value), index.subarray(strip.next, end)]);
      at = end + 1;
    } else {
      const length = flags & NAME_LENGTH_MASK;
      const end = length < NAME_LENGTH_MASK ? at + length : index.indexOf(0, at);
      if (end < 0 || end > index.length) return undefined;
      name = index.subarray(at, end);
      // Padded with 1 to 8 NULs to a multiple of 8 bytes from the entry's start.
      at = start + Math.ceil((end - start + 1) / 8) * 8;
    }
    names.push(name.toString('utf8'));
    previous = name;
  }
  return { names, ...sharedIndexOf(index, at, hashBytes) };
}

/**
 * Whether the index surely holds no entry that is `relative` or below it, told without decoding its paths
 * (the full read costs ~14 ms per 2,000 entries, more than the whole warm re-scan on a large repository).
 */
function holdsNoPath(index: Buffer, relative: string, hashBytes: number): boolean {
  const paths = wholePaths(index, hashBytes);
  return !!paths && !paths.holds(relative) && !paths.holdsBelow(relative);
}

/** The index's paths, read in place: whether one is there, or one below a folder. */
interface WholePaths {
  holds(relative: string): boolean;
  holdsBelow(folder: string): boolean;
}

/**
 * The entries' paths as offsets into the index, when each stands whole and they are in git's order (by their
 * bytes): versions 2 and 3. Undefined for a sparse index (folder entries that may hold a path), a split index
 * (entries in another file) or anything that does not walk cleanly or is out of order: those are left to the
 * full read.
 */
function wholePaths(index: Buffer, hashBytes: number): WholePaths | undefined {
  if (index.length < 12 || index.toString('latin1', 0, 4) !== 'DIRC') return undefined;
  const version = index.readUInt32BE(4);
  if (version !== 2 && version !== 3) return undefined;
  const count = index.readUInt32BE(8);
  const starts = new Uint32Array(count);
  const ends = new Uint32Array(count);
  const flagsAt = STAT_BYTES + hashBytes;
  let at = 12;
  for (let i = 0; i < count; i++) {
    if (at + flagsAt + 2 > index.length) return undefined;
    const flags = index.readUInt16BE(at + flagsAt);
    const nameAt = at + flagsAt + 2 + (version === 3 && flags & EXTENDED_FLAG ? 2 : 0);
    const length = flags & NAME_LENGTH_MASK;
    const end = length < NAME_LENGTH_MASK ? nameAt + length : index.indexOf(0, nameAt);
    if (end < 0 || end > index.length) return undefined;
    if (i > 0 && index.compare(index, starts[i - 1], ends[i - 1], nameAt, end) < 0) return undefined;
    [starts[i], ends[i]] = [nameAt, end];
    at += Math.ceil((end - at + 1) / 8) * 8;
  }
  if (at > index.length || hasExtension(index, at, hashBytes, ['link', 'sdir'])) return undefined;
  /** The first entry whose path is not before `key`'s bytes. */
  const firstFrom = (key: Buffer): number => {
    let [low, high] = [0, count];
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (index.compare(key, 0, key.length, starts[middle], ends[middle]) < 0) low = middle + 1;
      else high = middle;
    }
    return low;
  };
  const startsWith = (i: number, key: Buffer) =>
    i < count && ends[i] - starts[i] >= key.length && index.compare(key, 0, key.length, starts[i], starts[i] + key.length) === 0;
  return {
    holds: (relative) => {
      const key = Buffer.from(relative, 'utf8');
      const i = firstFrom(key);
      return startsWith(i, key) && ends[i] - starts[i] === key.length;
    },
    holdsBelow: (folder) => {
      const key = Buffer.from(`${folder}/`, 'utf8');
      return startsWith(firstFrom(key), key);
    },
  };
}

/** Whether one of the extensions after the entries (from `at`) has one of the `signatures`; true when they do not walk cleanly. */
function hasExtension(index: Buffer, at: number, hashBytes: number, signatures: string[]): boolean {
  while (at + 8 <= index.length - hashBytes) {
    if (signatures.includes(index.toString('latin1', at, at + 4))) return true;
    at += 8 + index.readUInt32BE(at + 4);
  }
  return at !== index.length - hashBytes;
}

/** The `link` extension after the entries (a split index), naming the shared index by its object id. */
function sharedIndexOf(index: Buffer, at: number, hashBytes: number): { sharedIndex?: string } {
  while (at + 8 <= index.length - hashBytes) {
    const signature = index.toString('latin1', at, at + 4);
    const size = index.readUInt32BE(at + 4);
    if (signature === 'link') return { sharedIndex: index.toString('hex', at + 8, at + 8 + hashBytes) };
    at += 8 + size;
  }
  return {};
}

/** Git's offset varint (as in pack files): 7 bits a byte, each continuation adding one before the shift. */
function readVarint(buffer: Buffer, at: number): { value: number; next: number } | undefined {
  if (at >= buffer.length) return undefined;
  let byte = buffer[at++];
  let value = byte & 0x7f;
  while (byte & 0x80) {
    if (at >= buffer.length || value > 0xffffff) return undefined;
    byte = buffer[at++];
    value = ((value + 1) << 7) | (byte & 0x7f);
  }
  return { value, next: at };
}

function statOrUndefined(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch {
    return undefined; // absent, or a file on the way (ENOTDIR)
  }
}

function readSmall(file: string): string | undefined {
  try {
    const stats = fs.statSync(file);
    return stats.isFile() && stats.size < 1_000_000 ? fs.readFileSync(file, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}
