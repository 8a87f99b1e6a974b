/**
 * The result cache (`medsec scan` re-scans, as ESLint's `--cache` and Ruff's cache): one entry per file,
 * valid only for the same content, the same medsec build and the same effective configuration for that
 * file. A file's result is plain data (FileResult) and depends on nothing but those (project facts are
 * re-resolved from the cached per-file facts after every scan), so a hit is the result a check would give.
 *
 * An entry also remembers the file's stamp when it was read (file-stamp.ts: size, times, inode) and the
 * language discovery gave it, so a re-scan trusts an unchanged stamp as git's index does and neither opens
 * nor hashes the file; a file with another stamp is hashed, and a hit then takes its new stamp.
 *
 * Stored as one text file per medsec build: a header line, the scan index line (the last whole-tree scan as
 * the warm re-scan replays it, cli/scan-index.ts; `null` when there is none), the project facts line (what
 * the index's files provide, counted per project, for the incremental re-scan: core/fact-counts.ts; `null`
 * when there is none; kept off the index line so that the warm replay does not parse it), then per file a line of key
 * fields and a line of the result's JSON, then an end line with the count. Results stay text until a hit
 * parses them, so a hit costs its own parse and the entries of files that did not change are written back as
 * they were read. The file is replaced atomically (see CacheStorage), and a file that is truncated, of
 * another build or unreadable is an empty cache: never a wrong result, never an error (`damaged` says
 * whether it was ours and broken, which the CLI mentions).
 */
import { conditionList } from './project-facts';
import { isExpired } from './suppressions';
import type { FileResult, LanguageId } from './types';

const FORMAT = 4;
/**
 * New stamps alone are written once there are this many: a few files hashed again next time cost far less
 * than rewriting the whole cache, while a fresh checkout (every file restamped) is worth one write.
 */
const RESTAMPS_WORTH_A_WRITE = 64;

/** Where the cache text lives: the file system in the CLI (cache-storage.ts), memory in tests. */
export interface CacheStorage {
  /** The stored text, or undefined when there is none (or it cannot be read). */
  read(): string | undefined;
  /** Replaces the stored text all at once: a reader sees the old text or the new, never a mix. */
  write(text: string): void;
}

/** What a file's result depends on besides medsec itself. */
export interface EntryKey {
  /** Content hash of the file's bytes (cache-key.ts). */
  content: string;
  /** The effective configuration for the file (cache-key.ts). */
  settings: string;
}

/** How the file looked when the bytes behind an entry were read: its stamp (file-stamp.ts) and discovered language. */
export interface FileSeen {
  stamp: string;
  language: LanguageId;
}

interface Entry extends EntryKey, Partial<FileSeen> {
  /** The earliest `until` date of a suppression the result applied: after it, the result is stale. */
  expires?: string;
  /** The facts (`ruleId\0fact`) the result's conditional findings read (project-facts.ts); absent when none. */
  reads?: string[];
  result: string;
}

export class ResultCache {
  private readonly entries = new Map<string, Entry>();
  private changed = false;
  private restamps = 0;
  /** The scan index line as read or last set (see `index`). */
  private indexText: string | undefined;
  /** The project facts line as read or last set (see `facts`). */
  private factsText: string | undefined;
  /** Whether the stored text was a cache of this build that could not be read whole (cut short, a damaged line). */
  damaged = false;

  private constructor(
    private readonly storage: CacheStorage,
    private readonly build: string,
    private readonly today: Date,
  ) {}

  /** The cache of medsec build `build` (version and build id) in `storage`; empty when absent or unusable. */
  static open(storage: CacheStorage, build: string, today = new Date()): ResultCache {
    const cache = new ResultCache(storage, build, today);
    cache.load(storage.read());
    return cache;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The scan index (cli/scan-index.ts) as stored: opaque JSON text, or undefined when there is none. */
  get index(): string | undefined {
    return this.indexText;
  }

  /** Replaces the scan index; the cache is written only when it differs from the stored one. */
  setIndex(text: string | undefined): void {
    if (text === this.indexText) return;
    this.indexText = text;
    this.changed = true;
  }

  /** The project facts of the scan index (core/fact-counts.ts) as stored: opaque JSON text, or undefined. */
  get facts(): string | undefined {
    return this.factsText;
  }

  setFacts(text: string | undefined): void {
    if (text === this.factsText) return;
    this.factsText = text;
    this.changed = true;
  }

  /**
   * The entry of `relativePath` whatever its key: the content hash its result is of, the facts its conditional
   * findings read, and the result (undefined when its line is damaged). For the incremental re-scan, which
   * checks the content hash against the one it counted.
   */
  stored(relativePath: string): { content: string; reads: readonly string[]; result: () => FileResult | undefined } | undefined {
    const entry = this.entries.get(relativePath);
    if (!entry) return undefined;
    const result = () => {
      try {
        return JSON.parse(entry.result) as FileResult;
      } catch {
        return undefined;
      }
    };
    return { content: entry.content, reads: entry.reads ?? [], result };
  }

  /** The cached result of the file at `relativePath`, when its key matches and no suppression in it expired since. */
  get(relativePath: string, key: EntryKey): FileResult | undefined {
    const entry = this.entries.get(relativePath);
    if (!entry || entry.content !== key.content || entry.settings !== key.settings) return undefined;
    if (entry.expires && isExpired(entry.expires, this.today)) return undefined;
    try {
      return JSON.parse(entry.result) as FileResult;
    } catch {
      return undefined; // a damaged line: check the file again
    }
  }

  has(relativePath: string): boolean {
    return this.entries.has(relativePath);
  }

  /** The content hash and discovered language of the file when `stamp` is the stamp it had when last read. */
  seen(relativePath: string, stamp: string): { content: string; language: LanguageId } | undefined {
    const entry = this.entries.get(relativePath);
    return entry?.stamp === stamp && entry.language ? { content: entry.content, language: entry.language } : undefined;
  }

  /** Remembers the stamp of a file whose entry matched by its content hash, so the next scan need not hash it. */
  restamp(relativePath: string, seen: FileSeen): void {
    const entry = this.entries.get(relativePath);
    if (!entry || (entry.stamp === seen.stamp && entry.language === seen.language)) return;
    this.entries.set(relativePath, { ...entry, ...seen });
    this.restamps++;
  }

  /**
   * Records a file's result, with how the file looked when read (`seen`) when its stamp can be trusted. A
   * result with a rule failure is not kept: the failure may be a time budget running out, which another run
   * may not hit.
   */
  put(relativePath: string, key: EntryKey, result: FileResult, seen?: FileSeen): void {
    if (result.ruleFailures.length > 0) return;
    const expires = result.findings
      .map((finding) => finding.suppression?.until)
      .filter((until): until is string => !!until)
      .sort()[0];
    const reads = conditionReads(result);
    // The counted project facts were counted from the entries as they were: a whole-tree scan counts them
    // again when it saves (cli/result-cache.ts), any other scan leaves none.
    this.factsText = undefined;
    this.entries.set(relativePath, {
      ...key,
      ...seen,
      ...(expires ? { expires } : {}),
      ...(reads.length ? { reads } : {}),
      result: JSON.stringify(result),
    });
    this.changed = true;
  }

  /** Forgets every file not in `relativePaths` (after a scan of the whole tree: deleted and now-ignored files). */
  retainOnly(relativePaths: ReadonlySet<string>): void {
    for (const file of this.entries.keys()) {
      if (relativePaths.has(file)) continue;
      this.entries.delete(file);
      this.changed = true;
    }
  }

  /** Writes the cache when it changed (or took many new stamps); returns whether it wrote. Throws what the storage throws. */
  save(): boolean {
    if (!this.changed && this.restamps < RESTAMPS_WORTH_A_WRITE) return false;
    const lines = [headerLine(this.build), this.indexText ?? 'null', this.factsText ?? 'null'];
    for (const [file, { result, ...key }] of this.entries) lines.push(JSON.stringify({ file, ...key }), result);
    lines.push(JSON.stringify({ end: this.entries.size }));
    this.storage.write(`${lines.join('\n')}\n`);
    this.changed = false;
    this.restamps = 0;
    return true;
  }

  private load(text: string | undefined): void {
    if (!text) return;
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    const header = parseLine(lines[0]);
    // Another build's or format's cache: start empty, quietly (the next save replaces it).
    if (header && (header.format !== FORMAT || header.build !== this.build)) return;
    const end = parseLine(lines[lines.length - 1]);
    const count = (lines.length - 4) / 2;
    // Cut short or damaged: start empty (the next save replaces it), and say so.
    this.damaged = !header || end?.end !== count || !isIndexLine(lines[1]) || !isIndexLine(lines[2]);
    if (this.damaged) return;
    for (let i = 3; i < lines.length - 1; i += 2) {
      const key = parseLine(lines[i]);
      if (typeof key?.file !== 'string' || typeof key.content !== 'string' || typeof key.settings !== 'string') {
        this.entries.clear();
        this.damaged = true;
        return;
      }
      this.entries.set(key.file, { content: key.content, settings: key.settings, ...optionalFields(key), result: lines[i + 1] });
    }
    if (lines[1] !== 'null') this.indexText = lines[1];
    if (lines[2] !== 'null') this.factsText = lines[2];
  }
}

function headerLine(build: string): string {
  return JSON.stringify({ format: FORMAT, build });
}

/** An index line is `null` or a JSON object; its content is for cli/scan-index.ts to judge (it is parsed only there). */
function isIndexLine(line: string | undefined): boolean {
  return line === 'null' || (!!line && line.startsWith('{') && line.endsWith('}'));
}

/**
 * The scan index of build `build` from the first two lines of a cache file: what the warm re-scan reads,
 * without the per-file results after it. Undefined for another build's cache or one without an index.
 */
export function indexFromHead([header, index]: readonly string[], build: string): string | undefined {
  return header === headerLine(build) && index && index !== 'null' ? index : undefined;
}

/** The facts a result's conditional findings read, as `ruleId\0fact` (what project-facts.ts looks up). */
function conditionReads(result: FileResult): string[] {
  const reads = new Set<string>();
  for (const finding of result.findings)
    for (const condition of [...conditionList(finding.when), ...conditionList(finding.unless)])
      reads.add(`${finding.ruleId}\u0000${condition.fact}`);
  return [...reads];
}

/** The key line's optional fields of the right types (anything else there is left out, never trusted). */
function optionalFields(key: Record<string, unknown>): Partial<FileSeen> & { expires?: string; reads?: string[] } {
  const fields: Partial<FileSeen> & { expires?: string; reads?: string[] } = {};
  if (typeof key.expires === 'string') fields.expires = key.expires;
  if (Array.isArray(key.reads) && key.reads.every((read) => typeof read === 'string')) fields.reads = key.reads as string[];
  if (typeof key.stamp === 'string' && typeof key.language === 'string') {
    fields.stamp = key.stamp;
    fields.language = key.language as LanguageId;
  }
  return fields;
}

function parseLine(line: string | undefined): Record<string, unknown> | undefined {
  if (!line) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
