/**
 * The incremental re-scan: a whole-tree `medsec scan` after a few files were edited, added or deleted,
 * answered from the scan index (scan-index.ts) by checking just those files, instead of walking the tree
 * and re-resolving the project facts of every file. It applies when nothing but plain files changed: the
 * same configuration files, links and `.gitignore` files, folders that gained or lost only files, and no
 * file that makes or unmakes a project root (project-roots.ts). The changed and added files are discovered
 * as the walk would (discover.ts `asWalked`) and checked (through the result cache); the project facts are
 * kept counted per project (core/fact-counts.ts), so an edited file's old facts are subtracted and its new
 * ones added, and only findings whose conditions read a fact that changed are resolved again. Anything
 * else returns undefined, and the full scan runs.
 */
import * as path from 'path';
import { performance } from 'perf_hooks';
import type { ResultCache } from '../core/cache';
import type { ScanCache } from '../core/cache-scan';
import { pushAll } from '../core/arrays';
import { discoverFiles, type DiscoveredFile } from '../core/discover';
import { FactLedger, parseFactCounts } from '../core/fact-counts';
import type { FileOutcome } from '../core/file-outcome';
import { NestedConfigs } from '../core/nested-config';
import { isProjectFileName, ProjectRoots } from '../core/project-roots';
import { ReadAhead } from '../core/read-ahead';
import { checkDiscoveredFile } from '../core/scan';
import { isExpired } from '../core/suppressions';
import type { FileResult, ResolvedConfig, ScanResult, SkippedFile } from '../core/types';
import { linkState } from '../core/walk-record';
import { listingNow, sameAsked, stampNow, unchanged, type ScanAsked, type ScanIndex } from './scan-index';

/** Names whose change alters what the walk does with a whole folder, which only the full walk can redo. */
const WALK_FILES = new Set(['.gitignore', '.medsec.json', 'pyvenv.cfg']);

interface Changes {
  /** Per folder walked, its listing now. */
  folders: [string, string][];
  /** Files to discover and check again (edited, or new in a folder), relative to the root. */
  recheck: string[];
  /** Files gone from their folder. */
  removed: Set<string>;
}

/** The result of the whole-tree scan `asked`, from the index and the changed files only; undefined: run the full scan. */
export async function incrementalScan(
  config: ResolvedConfig,
  results: ResultCache,
  scanCache: ScanCache,
  asked: ScanAsked,
): Promise<ScanResult | undefined> {
  const started = performance.now();
  const index = parseIndex(results.index);
  const root = asked.root;
  if (!index || index.nested || path.resolve(config.root) !== path.resolve(root) || !sameAsked(index.asked, asked)) return undefined;
  // Without the counted facts (a scan of some files replaced entries since), the unchanged files' facts are not to hand.
  if (isExpired(index.expires, new Date()) || !scanCache.folder || !results.facts) return undefined;
  if (!index.configFiles.every(([file, stamp]) => stampNow(file) === stamp)) return undefined;
  if (!index.links.every(([link, state]) => state !== '' && linkState(path.join(root, link)) === state)) return undefined;
  const changes = changesSince(index, root, scanCache.folder);
  if (!changes || changes.recheck.some(throughLink(index))) return undefined;
  const gone = new Set([...changes.removed, ...changes.recheck]);
  // What was counted of each file before it changed: read before the fresh results replace the entries.
  const before = new Map([...gone].map((file) => [file, results.stored(file)]));
  // Also before: storing a fresh result drops the stored line (core/cache.ts).
  const factsLine = results.facts;

  const configs = new NestedConfigs(config);
  const discovery = await discoverFiles(
    root,
    changes.recheck.map((file) => path.join(root, file)),
    config,
    configs,
    {
      asWalked: true,
      seenBefore: scanCache.seenBefore,
      recordWalk: true,
      ownFolder: scanCache.folder,
    },
  );
  if (!discovery.walk || discovery.walk.unsettled) return undefined;
  scanCache.governBy(configs);
  const checked = await checkFiles(discovery.files, configs, scanCache);

  const projects = new ProjectRoots(root);
  for (const result of checked.files)
    if (result.facts || result.findings.some((finding) => finding.when || finding.unless)) result.project = projects.of(result.path);
  const settled = settleFacts(results, factsLine, before, checked.files);
  if (!settled) return undefined;

  const files = new Map(index.results.map((file) => [file.path, file]));
  for (const file of gone) files.delete(file);
  for (const [file, result] of settled.resolved) files.set(file, result);
  const skipped = [...index.skipped.filter((entry) => !gone.has(entry.path)), ...discovery.skipped, ...checked.skipped];
  scanCache.walk = {
    folders: changes.folders,
    // The walk record of the files checked again; the .gitignore files above them are in the index already (unchanged).
    files: [...index.files.filter(([file]) => !gone.has(file)), ...discovery.walk.files.filter(([file]) => gone.has(file))],
    links: index.links,
  };
  if (settled.ledger) scanCache.factCounts = settled.ledger.counts;
  else if (factsLine) scanCache.factCounts = factsLine;
  return {
    root: config.root,
    files: [...files.values()].sort((a, b) => compare(a.path, b.path)),
    skipped: skipped.sort((a, b) => compare(a.path, b.path)),
    config,
    durationMs: Math.round(performance.now() - started),
  };
}

function parseIndex(text: string | undefined): ScanIndex | undefined {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as ScanIndex;
  } catch {
    return undefined;
  }
}

/** What changed since the index was written, when only plain files did; undefined otherwise. */
function changesSince(index: ScanIndex, root: string, cacheFolder: string): Changes | undefined {
  const folders: [string, string][] = [];
  const recheck: string[] = [];
  const removed = new Set<string>();
  for (const [folder, listing] of index.folders) {
    const now = listingNow(path.join(root, folder), cacheFolder);
    if (now === undefined) return undefined;
    folders.push([folder, now]);
    if (now === listing) continue;
    const diff = plainFilesDiff(listing, now);
    if (!diff) return undefined;
    const inFolder = (name: string) => (folder ? `${folder}/${name}` : name);
    pushAll(recheck, diff.added.map(inFolder));
    for (const name of diff.removed) removed.add(inFolder(name));
  }
  for (const [file, vouch] of index.files) {
    if (removed.has(file) || unchanged(path.join(root, file), vouch)) continue;
    const name = path.posix.basename(file);
    // A CMakeLists.txt makes a project root by what it says; the other project files by being there.
    // Git's index (inside .git, or above the root) says which ignored files are tracked, hence walked (core/discover).
    if (WALK_FILES.has(name) || name === 'CMakeLists.txt' || file.startsWith('../') || file.split('/').includes('.git')) return undefined;
    recheck.push(file);
  }
  return { folders, recheck, removed };
}

/**
 * Whether a file is reached through a symbolic link (a linked file, or a file in a linked folder): the walk
 * takes such files after all others and keeps one path per real file, an order a few files alone cannot keep.
 */
function throughLink(index: ScanIndex): (file: string) => boolean {
  const links = index.links.map(([link]) => link);
  return (file) => links.some((link) => file === link || file.startsWith(`${link}/`));
}

/** The plain files a folder gained and lost between two listings (walk-record.ts), or undefined for any other change. */
function plainFilesDiff(before: string, now: string): { added: string[]; removed: string[] } | undefined {
  const entries = (listing: string) => new Set(listing ? listing.split('/') : []);
  const old = entries(before);
  const fresh = entries(now);
  const added = [...fresh].filter((entry) => !old.has(entry));
  const removed = [...old].filter((entry) => !fresh.has(entry));
  const plain = (entry: string) =>
    entry[0] === 'f' && !WALK_FILES.has(entry.slice(1)) && !isProjectFileName(entry.slice(1)) && !entry.includes('\uFFFD');
  if (!added.every(plain) || !removed.every(plain)) return undefined;
  return { added: added.map((entry) => entry.slice(1)), removed: removed.map((entry) => entry.slice(1)) };
}

/** Checks the files through the result cache, as the scan does in-process. */
async function checkFiles(
  discovered: DiscoveredFile[],
  configs: NestedConfigs,
  scanCache: ScanCache,
): Promise<{ files: FileResult[]; skipped: SkippedFile[] }> {
  const outcomes = new Array<FileOutcome | undefined>(discovered.length);
  scanCache.recordHits(discovered, (index, outcome) => (outcomes[index] = outcome));
  const toCheck = discovered.flatMap((_, index) => (outcomes[index] ? [] : [index]));
  const reads = new ReadAhead(toCheck.map((index) => discovered[index].path));
  for (let i = 0; i < toCheck.length; i++) {
    const file = discovered[toCheck[i]];
    const read = await reads.take(i);
    const outcome = await checkDiscoveredFile(file, configs, read);
    if ('bytes' in read) scanCache.store(file, read.bytes, outcome);
    outcomes[toCheck[i]] = outcome;
  }
  const files: FileResult[] = [];
  const skipped: SkippedFile[] = [];
  for (const outcome of outcomes) {
    if (outcome?.kind === 'checked') files.push(outcome.result);
    else if (outcome) skipped.push(outcome.skipped);
  }
  return { files, skipped };
}

type Stored = ReturnType<ResultCache['stored']>;

/**
 * The fresh results with their conditional findings settled, and the unchanged files whose findings read a
 * project fact that the change altered, resolved again. The counted facts (`factsLine`) are read only when
 * the changed files provided or read facts differently before and after. Undefined when they are needed
 * and there are none (a scan of some files replaced entries since they were counted).
 */
function settleFacts(
  results: ResultCache,
  factsLine: string | undefined,
  before: ReadonlyMap<string, Stored>,
  fresh: readonly FileResult[],
): { resolved: Map<string, FileResult>; ledger?: FactLedger } | undefined {
  const resolved = new Map(fresh.map((file) => [file.path, file]));
  const oldResults = new Map<string, FileResult | undefined>([...before].map(([file, stored]) => [file, stored?.result()]));
  if (factsUnchanged(before, oldResults, fresh)) return { resolved };
  const counts = parseFactCounts(factsLine);
  if (!counts) return undefined;
  const ledger = new FactLedger(counts);
  for (const [file, old] of oldResults) {
    if (ledger.counted(file) === undefined) continue;
    if (!old) return undefined;
    ledger.remove(file, old);
  }
  for (const file of fresh) ledger.add(file.path, file);
  const changed = ledger.changed();
  for (const file of fresh) if (file.project !== undefined) resolved.set(file.path, ledger.resolve(file, file.project));
  for (const [file, project] of ledger.counts.files) {
    const keys = changed.get(project);
    if (!keys || resolved.has(file)) continue;
    const stored = results.stored(file);
    if (!stored) return undefined;
    if (!stored.reads.some((key) => keys.has(key))) continue;
    const result = stored.result();
    if (!result) return undefined;
    resolved.set(file, ledger.resolve({ ...result, project }, project));
  }
  return { resolved, ledger };
}

/**
 * Whether the change leaves the project facts as they were: no changed file reads facts, before or after, and
 * each provides exactly what it provided before (an edit that touches no fact, the common case).
 */
function factsUnchanged(
  before: ReadonlyMap<string, Stored>,
  oldResults: ReadonlyMap<string, FileResult | undefined>,
  fresh: readonly FileResult[],
): boolean {
  if ([...before.values()].some((stored) => stored?.reads.length)) return false;
  if (fresh.some((file) => file.findings.some((finding) => finding.when || finding.unless))) return false;
  const provided = (result: FileResult | undefined) => JSON.stringify(result?.facts ?? null);
  const freshPaths = new Set(fresh.map((file) => file.path));
  for (const [file, old] of oldResults) if (!freshPaths.has(file) && old?.facts) return false;
  return fresh.every((file) => provided(file) === provided(oldResults.get(file.path)));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
