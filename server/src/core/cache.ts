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
 * Stored as one file per medsec build. The base: a header line (format, build, the base's length in bytes and a
 * random id), the scan index line (the last whole-tree scan as the warm re-scan replays it, cli/scan-index.ts;
 * `null` when there is none), the project facts line (what the index's files provide, counted per project,
 * for the incremental re-scan: core/fact-counts.ts; `null` when there is none; kept off the index line so that
 * the warm replay does not parse it), then per file a line of key fields and a line of the result's JSON, then
 * an end line with the count. Results stay text until a hit parses them. A save that changed little appends
 * a segment (cache-log.ts) of what changed: entries put or dropped, and the index and facts as patches
 * (keyed-patch.ts) — a one-file edit costs the write of that file's entry, not of the whole cache; once the
 * segments outgrow half the base, the next save writes the whole cache afresh (atomically: CacheStorage). A
 * file that is truncated, of another build or unreadable is an empty cache, and a segment cut short is
 * ignored with those after it: never a wrong result, never an error (`damaged` says whether the base was ours
 * and broken, which the CLI mentions).
 */
import { pushAll } from './arrays';
import { decodeSegments, encodeSegment, newBaseId } from './cache-log';
import { applyPatch, diffDoc, type DocPatch } from './keyed-patch';
import { conditionList } from './project-facts';
import { isExpired } from './suppressions';
import type { FileResult, LanguageId } from './types';

const FORMAT = 5;
/**
 * New stamps alone are written once there are this many: a few files hashed again next time cost far less
 * than a write, while a fresh checkout (every file restamped) is worth one.
 */
const RESTAMPS_WORTH_A_WRITE = 64;
/** Segments may grow to this share of the base before a save writes the whole cache afresh. */
const SEGMENTS_PER_BASE = 0.5;
const END_LINE_START = '\n{"end":';

/** Where the cache lives: the file system in the CLI (cache-storage.ts), memory in tests. */
export interface CacheStorage {
  /** The stored bytes, or undefined when there are none (or they cannot be read). */
  read(): Uint8Array | string | undefined;
  /** Replaces the stored text all at once: a reader sees the old text or the new, never a mix. */
  write(text: string): void;
  /**
   * Writes `bytes` after the first `length` bytes when the store is still the one last read or written and
   * exactly that long; false (nothing written) otherwise. Absent: every save writes the whole cache.
   */
  append?(bytes: Uint8Array, length: number): boolean;
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

/** The base on disk that segments extend: its id, its length and the length of base and sound segments. */
interface Persisted {
  id: string;
  base: number;
  length: number;
}

type Json = Record<string, unknown>;

/** One value of a JSON line (the scan index, the counted facts), as text, parsed, or both (each made on demand). */
class JsonValue {
  constructor(
    private text?: string,
    private doc?: Json,
  ) {}

  asText(): string {
    return (this.text ??= JSON.stringify(this.doc));
  }

  /** The parsed value; undefined when the text is not a JSON object. */
  asDoc(): Json | undefined {
    if (this.doc === undefined && this.text !== undefined) {
      try {
        const value: unknown = JSON.parse(this.text);
        if (value && typeof value === 'object' && !Array.isArray(value)) this.doc = value as Json;
      } catch {
        // not a JSON object: no document
      }
    }
    return this.doc;
  }

  sameTextAs(text: string | undefined): boolean {
    return text !== undefined && this.text === text;
  }

  /** The text, when it is to hand without serialising. */
  get knownText(): string | undefined {
    return this.text;
  }
}

/** A JSON line of the cache: what is stored (the base and segments read or written) and what the next save writes. */
class JsonLine {
  private stored: JsonValue | undefined;
  private current: JsonValue | undefined;

  constructor(text: string | undefined) {
    this.stored = this.current = text === undefined ? undefined : new JsonValue(text);
  }

  get text(): string | undefined {
    return this.current?.asText();
  }

  get doc(): Json | undefined {
    return this.current?.asDoc();
  }

  /** Sets the value; returns whether that may change it (the same text as now does not). */
  set(value: string | Json | undefined): boolean {
    if (value === undefined) {
      if (!this.current) return false;
      this.current = undefined;
    } else if (typeof value === 'string') {
      if (this.current?.sameTextAs(value)) return false;
      this.current = new JsonValue(value);
    } else this.current = new JsonValue(undefined, value);
    return true;
  }

  /** Applies a stored segment's record to both the stored and the current value (they are the same on load). */
  load(record: { patch?: DocPatch; whole?: string | null }): boolean {
    let next: JsonValue | undefined;
    if (record.patch) {
      const doc = this.stored?.asDoc();
      if (!doc) return false;
      next = new JsonValue(undefined, applyPatch(doc, record.patch));
    } else next = record.whole === null || record.whole === undefined ? undefined : new JsonValue(record.whole);
    this.stored = this.current = next;
    return true;
  }

  /** The segment lines that turn the stored value into the current one (none when equal); afterwards both are the current. */
  takeChange(name: string): string[] {
    const { stored, current } = this;
    this.stored = current;
    if (stored === current || (stored && current?.sameTextAs(stored.knownText))) return [];
    const before = stored?.asDoc();
    const after = current?.asDoc();
    if (before && after) {
      const patch = diffDoc(before, after);
      return patch ? [JSON.stringify([name, patch])] : [];
    }
    if (!stored && !current) return [];
    return [JSON.stringify([`${name}-whole`]), current ? current.asText() : 'null'];
  }

  /** Marks the current value as stored (after the whole cache was written). */
  written(): void {
    this.stored = this.current;
  }
}

export class ResultCache {
  private readonly entries = new Map<string, Entry>();
  /** Files whose entry was put or dropped since the cache was read or last saved. */
  private readonly touched = new Set<string>();
  private changed = false;
  private restamps = 0;
  private readonly indexLine = new JsonLine(undefined);
  private readonly factsLine = new JsonLine(undefined);
  private persisted: Persisted | undefined;
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
    const stored = storage.read();
    cache.load(typeof stored === 'string' ? Buffer.from(stored, 'utf8') : stored);
    return cache;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The scan index (cli/scan-index.ts) as stored: opaque JSON text, or undefined when there is none. */
  get index(): string | undefined {
    return this.indexLine.text;
  }

  /** The scan index parsed (one parse, shared: callers must not change it), or undefined. */
  get indexDoc(): Record<string, unknown> | undefined {
    return this.indexLine.doc;
  }

  /** Replaces the scan index (text or the object itself); the cache is written only when it differs from the stored one. */
  setIndex(value: string | Record<string, unknown> | undefined): void {
    if (this.indexLine.set(value)) this.changed = true;
  }

  /** The project facts of the scan index (core/fact-counts.ts) as stored: opaque JSON text, or undefined. */
  get facts(): string | undefined {
    return this.factsLine.text;
  }

  setFacts(text: string | undefined): void {
    if (this.factsLine.set(text)) this.changed = true;
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
    this.touched.add(relativePath);
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
    this.factsLine.set(undefined);
    this.entries.set(relativePath, {
      ...key,
      ...seen,
      ...(expires ? { expires } : {}),
      ...(reads.length ? { reads } : {}),
      result: JSON.stringify(result),
    });
    this.touched.add(relativePath);
    this.changed = true;
  }

  /** Forgets every file not in `relativePaths` (after a scan of the whole tree: deleted and now-ignored files). */
  retainOnly(relativePaths: ReadonlySet<string>): void {
    for (const file of this.entries.keys()) {
      if (relativePaths.has(file)) continue;
      this.entries.delete(file);
      this.touched.add(file);
      this.changed = true;
    }
  }

  /**
   * Writes what changed (or many new stamps): a segment after the stored cache when the storage can append
   * and the segments stay small beside the base, the whole cache otherwise. Returns whether it wrote.
   * Throws what the storage throws.
   */
  save(): boolean {
    if (!this.changed && this.restamps < RESTAMPS_WORTH_A_WRITE) return false;
    const lines = this.changeLines();
    const wrote = lines.length === 0 ? false : this.appendSegment(lines) || this.writeWhole();
    this.touched.clear();
    this.changed = false;
    this.restamps = 0;
    return wrote;
  }

  /** The segment lines of what changed since the cache was read or saved (and marks it all as stored). */
  private changeLines(): string[] {
    const lines: string[] = [];
    for (const file of this.touched) {
      const entry = this.entries.get(file);
      if (!entry) lines.push(JSON.stringify(['drop', file]));
      else {
        const { result, ...key } = entry;
        lines.push(JSON.stringify(['put', { file, ...key }]), result);
      }
    }
    pushAll(lines, this.indexLine.takeChange('index'));
    pushAll(lines, this.factsLine.takeChange('facts'));
    return lines;
  }

  private appendSegment(lines: string[]): boolean {
    const persisted = this.persisted;
    if (!persisted || !this.storage.append) return false;
    const segment = encodeSegment(`${lines.join('\n')}\n`, persisted.length, persisted.id);
    if (persisted.length - persisted.base + segment.length > persisted.base * SEGMENTS_PER_BASE) return false;
    if (!this.storage.append(segment, persisted.length)) return false;
    persisted.length += segment.length;
    return true;
  }

  private writeWhole(): boolean {
    const id = newBaseId();
    const lines = [this.indexLine.text ?? 'null', this.factsLine.text ?? 'null'];
    for (const [file, { result, ...key }] of this.entries) lines.push(JSON.stringify({ file, ...key }), result);
    lines.push(JSON.stringify({ end: this.entries.size }));
    const body = `${lines.join('\n')}\n`;
    const bodyBytes = Buffer.byteLength(body, 'utf8');
    // The header holds the base's length, its own included: grow the number until it counts itself.
    let base = bodyBytes;
    let header = '';
    for (let i = 0; i < 3; i++) {
      header = `${headerLine(this.build, base, id)}\n`;
      base = bodyBytes + Buffer.byteLength(header, 'utf8');
    }
    this.storage.write(header + body);
    this.persisted = { id, base, length: base };
    this.indexLine.written();
    this.factsLine.written();
    return true;
  }

  private load(bytes: Uint8Array | undefined): void {
    if (!bytes || bytes.length === 0) return;
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const firstNewline = buffer.indexOf(10);
    const header = parseHeader(buffer.toString('utf8', 0, firstNewline < 0 ? Math.min(buffer.length, 4096) : firstNewline));
    // Another build's or format's cache: start empty, quietly (the next save replaces it).
    if (header && !header.damaged && (header.format !== FORMAT || header.build !== this.build)) return;
    // The base ends with its end line (no line of JSON holds a newline, so the first such line is the base's);
    // the header's length is for the warm re-scan's reader, which reads the head and segments alone.
    const endLine = buffer.indexOf(END_LINE_START);
    const base = endLine < 0 ? -1 : buffer.indexOf(10, endLine + 1) + 1;
    if (!header || header.damaged || base <= 0) {
      this.damaged = true;
      return;
    }
    const lines = buffer.toString('utf8', 0, base).split('\n');
    lines.pop();
    const end = parseLine(lines[lines.length - 1]);
    const count = (lines.length - 4) / 2;
    // Cut short or damaged: start empty (the next save replaces it), and say so.
    this.damaged = end?.end !== count || !isIndexLine(lines[1]) || !isIndexLine(lines[2]);
    if (this.damaged) return;
    for (let i = 3; i < lines.length - 1; i += 2) {
      const key = parseLine(lines[i]);
      if (!this.loadEntry(key, lines[i + 1])) {
        this.entries.clear();
        this.damaged = true;
        return;
      }
    }
    this.indexLine.load({ whole: lines[1] === 'null' ? null : lines[1] });
    this.factsLine.load({ whole: lines[2] === 'null' ? null : lines[2] });
    const segments = decodeSegments(buffer.subarray(base), base, header.id);
    this.persisted = { id: header.id, base, length: segments.end };
    for (const body of segments.bodies) {
      if (this.loadSegment(body)) continue;
      // A sound segment we cannot read is not ours to guess at: no cache, written afresh next time.
      this.entries.clear();
      this.indexLine.load({ whole: null });
      this.factsLine.load({ whole: null });
      this.persisted = undefined;
      this.damaged = true;
      return;
    }
  }

  private loadEntry(key: Record<string, unknown> | undefined, result: string | undefined): boolean {
    if (typeof key?.file !== 'string' || typeof key.content !== 'string' || typeof key.settings !== 'string') return false;
    if (result === undefined) return false;
    this.entries.set(key.file, { content: key.content, settings: key.settings, ...optionalFields(key), result });
    return true;
  }

  /** Applies a segment's records (see changeLines); false when one is not a record of this format. */
  private loadSegment(body: string): boolean {
    for (const record of segmentRecords(body)) {
      if (!record) return false;
      const { kind, value, payload } = record;
      if (kind === 'put') {
        if (!this.loadEntry(value as Record<string, unknown>, payload)) return false;
      } else if (kind === 'drop' && typeof value === 'string') this.entries.delete(value);
      else if (kind === 'index' || kind === 'facts') {
        if (!isPatch(value) || !this.lineNamed(kind).load({ patch: value })) return false;
      } else if (kind === 'index-whole' || kind === 'facts-whole') {
        if (!isIndexLine(payload)) return false;
        this.lineNamed(kind === 'index-whole' ? 'index' : 'facts').load({ whole: payload === 'null' ? null : payload });
      } else return false;
    }
    return true;
  }

  private lineNamed(name: 'index' | 'facts'): JsonLine {
    return name === 'index' ? this.indexLine : this.factsLine;
  }
}

interface Header {
  format: unknown;
  build: unknown;
  base: number;
  id: string;
  /** A header of this format whose base or id is missing or malformed. */
  damaged?: true;
}

function headerLine(build: string, base: number, id: string): string {
  return JSON.stringify({ format: FORMAT, build, base, id });
}

function parseHeader(line: string): Header | undefined {
  const header = parseLine(line);
  if (!header) return undefined;
  const { format, build, base, id } = header;
  if (format !== FORMAT) return { format, build, base: 0, id: '' };
  if (typeof id !== 'string') return { format, build, base: 0, id: '', damaged: true };
  return { format, build, base: typeof base === 'number' && Number.isSafeInteger(base) && base > 0 ? base : 0, id };
}

/** An index line is `null` or a JSON object; its content is for cli/scan-index.ts to judge (it is parsed only there). */
function isIndexLine(line: string | undefined): boolean {
  return line === 'null' || (!!line && line.startsWith('{') && line.endsWith('}'));
}

/** Records that the next line belongs to: an entry's result, a whole index or facts line. */
const WITH_PAYLOAD = new Set(['put', 'index-whole', 'facts-whole']);

interface SegmentRecord {
  kind: string;
  value: unknown;
  /** The line after the record, for a record that has one. */
  payload?: string;
}

/** A segment's records in order (see changeLines), each with its payload line; undefined for a line that is not a record. */
function* segmentRecords(body: string): Generator<SegmentRecord | undefined> {
  const lines = body.split('\n');
  lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const record = parseRecord(lines[i]);
    if (!record) {
      yield undefined;
      return;
    }
    const [kind, value] = record;
    yield { kind, value, ...(WITH_PAYLOAD.has(kind) ? { payload: lines[++i] } : {}) };
  }
}

function parseRecord(line: string): [string, unknown] | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return Array.isArray(value) && typeof value[0] === 'string' ? [value[0], value[1]] : undefined;
  } catch {
    return undefined;
  }
}

function isPatch(value: unknown): value is DocPatch {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

/**
 * The scan index of build `build` from the head of a cache file (its first two lines) and, when the file holds
 * segments after its base, the segments (`tail` reads them: the file's bytes from the given offset on): what the
 * warm re-scan reads, without the per-file results. Undefined for another build's cache or one without an index.
 */
export function indexFromHead(
  [headerText, index]: readonly string[],
  build: string,
  tail?: (from: number) => Uint8Array | undefined,
): string | Record<string, unknown> | undefined {
  const header = headerText === undefined ? undefined : parseHeader(headerText);
  if (!header || header.damaged || header.format !== FORMAT || header.build !== build || !isIndexLine(index)) return undefined;
  const line = new JsonLine(index === 'null' ? undefined : index);
  const bytes = header.base > 0 ? tail?.(header.base) : undefined;
  if (bytes && bytes.length > 0) {
    for (const body of decodeSegments(bytes, header.base, header.id).bodies) if (!indexRecords(body, line)) return undefined;
    return line.doc;
  }
  return line.text;
}

/** Applies a segment's index records to `line`, stepping over the others; false for a record it cannot read. */
function indexRecords(body: string, line: JsonLine): boolean {
  for (const record of segmentRecords(body)) {
    if (!record) return false;
    const { kind, value, payload: text } = record;
    if (kind === 'index' && (!isPatch(value) || !line.load({ patch: value }))) return false;
    else if (kind === 'index-whole') {
      if (!isIndexLine(text)) return false;
      line.load({ whole: text === 'null' ? null : text });
    }
  }
  return true;
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
