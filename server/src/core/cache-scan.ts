/**
 * The result cache's part in a scan (scan.ts): discovery takes the language of a file whose stamp is
 * unchanged from its entry instead of opening it; before checking, a file whose stamp is unchanged keeps its
 * entry's content hash, any other file is read and hashed, and a file whose entry matches is not checked
 * again; after checking, fresh results are stored under the hash of exactly the bytes that were checked.
 */
import * as fs from 'fs';
import type { FileSeen, ResultCache } from './cache';
import { settingsKeyer } from './cache-key';
import { contentHash } from './content-hash';
import type { DiscoveredFile, SeenBefore } from './discover';
import type { FactCounts } from './fact-counts';
import type { FileOutcome } from './file-outcome';
import { readFile } from './read-ahead';
import type { NestedConfigs } from './nested-config';
import { testCodeKey } from './test-code';
import type { EffectiveRule, ResolvedConfig } from './types';
import type { WalkRecord } from './walk-record';

/** Files re-read at once to store what worker threads checked. */
const STORE_CONCURRENCY = 16;

export class ScanCache {
  /** What the scan's walk saw (discover.ts), for the scan index the CLI keeps with the cache. */
  walk?: WalkRecord;
  /**
   * The project facts of this scan counted per project (fact-counts.ts), when the incremental re-scan edited
   * them, or their stored line when it left them as they were; undefined: counted from the scan's files when saved.
   */
  factCounts?: FactCounts | string;
  /** Where the cache lives when that is inside the tree (absolute): the scan leaves that folder out. */
  folder?: string;
  /**
   * The content hash of the bytes behind each file's result in this scan (a hit's, or exactly what was
   * checked), by relative path: the scan index vouches for a file changed too recently to trust its stamp by it.
   */
  readonly resultHashes = new Map<string, string>();
  private settingsKey: (file: DiscoveredFile) => string;
  /** Content hash of each discovered file as looked up, by index; undefined when it could not be read. */
  private hashes: (string | undefined)[] = [];

  constructor(
    private readonly results: ResultCache,
    config: ResolvedConfig,
  ) {
    const keyer = settingsKeyer(config);
    // rulesFor returns one shared list per distinct set of overrides, so the keyer hashes each list once.
    // The test-code policy comes with presets and extended files, which the rule list alone does not show.
    this.settingsKey = (file) => `${keyer(config.rulesFor(file.relativePath))}:${testCodeKey(config.testCodeFor(file.relativePath))}`;
  }

  /**
   * A scan with nested `.medsec.json` files (scan.ts): a file's entry holds only under the configuration
   * that governs it, so a change to a nested file checks its folder again.
   */
  governBy(configs: NestedConfigs): void {
    const keyers = new Map<ResolvedConfig, (rules: readonly EffectiveRule[]) => string>();
    this.settingsKey = (file) => {
      const config = configs.ofFile(file.path);
      if (!config) return 'not governed';
      let keyer = keyers.get(config);
      if (!keyer) keyers.set(config, (keyer = settingsKeyer(config)));
      return `${keyer(configs.rulesFor(file.path))}:${testCodeKey(configs.testCodeFor(file.path))}`;
    };
  }

  /** For discovery: the language of a file last read with the stamp it still has, so it need not be opened. */
  readonly seenBefore: SeenBefore = {
    has: (relativePath) => this.results.has(relativePath),
    language: (relativePath, stamp) => this.results.seen(relativePath, stamp)?.language,
  };

  /**
   * Records every file whose cached result is still valid; the others are left to check. A file whose stamp
   * is unchanged is not read; the others are read synchronously: nothing else runs yet, and a synchronous
   * read costs a third of the CPU of an asynchronous one.
   */
  recordHits(files: readonly DiscoveredFile[], record: (index: number, outcome: FileOutcome) => void): void {
    this.hashes = new Array(files.length);
    files.forEach((file, index) => {
      const seen = file.stamp ? this.results.seen(file.relativePath, file.stamp) : undefined;
      const content = seen?.content ?? hashOf(file.path);
      if (content === undefined) return; // checking it will say why it cannot be read
      this.hashes[index] = content;
      const result = this.results.get(file.relativePath, { content, settings: this.settingsKey(file) });
      if (!result) return;
      this.resultHashes.set(file.relativePath, content);
      if (!seen && file.stamp) this.results.restamp(file.relativePath, seenOf(file)!);
      record(index, { kind: 'checked', result });
    });
  }

  /** Stores the result of checking exactly `bytes`, read after discovery took the file's stamp. */
  store(file: DiscoveredFile, bytes: Uint8Array, outcome: FileOutcome): void {
    // A file not analysed (over its time budget, a crash) is checked again next time, not remembered as such.
    if (outcome.kind !== 'checked' || outcome.result.notAnalysed) return;
    const key = { content: contentHash(bytes), settings: this.settingsKey(file) };
    this.resultHashes.set(file.relativePath, key.content);
    this.results.put(file.relativePath, key, outcome.result, seenOf(file));
  }

  /**
   * Stores results checked elsewhere (worker threads read the file themselves): only when the file still
   * hashes as it did at look-up, so a file edited during the scan is never stored under the wrong content.
   */
  async storeFromWorkers(
    files: readonly DiscoveredFile[],
    indexes: readonly number[],
    outcomes: readonly (FileOutcome | undefined)[],
  ): Promise<void> {
    let next = 0;
    const storeNext = async (): Promise<void> => {
      for (let i = next++; i < indexes.length; i = next++) {
        const index = indexes[i];
        const outcome = outcomes[index];
        if (outcome?.kind !== 'checked' || !this.hashes[index]) continue;
        const read = await readFile(files[index].path);
        if ('bytes' in read && contentHash(read.bytes) === this.hashes[index]) this.store(files[index], read.bytes, outcome);
      }
    };
    await Promise.all(Array.from({ length: STORE_CONCURRENCY }, storeNext));
  }
}

function hashOf(file: string): string | undefined {
  try {
    return contentHash(fs.readFileSync(file));
  } catch {
    return undefined;
  }
}

/**
 * The stamp discovery took before the bytes were read. Should the file change in between, the entry holds
 * the new bytes under the old stamp, which the file no longer has: the next scan hashes it, never trusts it.
 */
function seenOf(file: DiscoveredFile): FileSeen | undefined {
  return file.stamp ? { stamp: file.stamp, language: file.language } : undefined;
}
