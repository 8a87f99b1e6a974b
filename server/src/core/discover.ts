/**
 * Finds the files to scan: walks folders, honours every `.gitignore` and the config's `ignore` globs,
 * leaves out folders that hold other people's code or tool state and files that no enabled rule reads,
 * and notes (rather than silently drops) files that are too large or binary.
 */
import * as fs from 'fs';
import * as path from 'path';
import ignore, { type Ignore } from 'ignore';
import { UsageError } from './errors';
import { trustedStamp } from './file-stamp';
import { trackedUnder, type TrackedTree } from './git-index';
import { detectLanguage, isBinaryName, isTextName } from './language';
import { recognizeKeyContainer } from './key-container';
import { isProjectFileName } from './project-roots';
import { NestedConfigs } from './nested-config';
import { looksBinary, looksLikeText } from './text';
import type { EffectiveRule, LanguageId, ResolvedConfig, SkippedFile } from './types';
import { linkState, listingOf, sortByName, withoutOwnFolder, type WalkRecord } from './walk-record';

export interface DiscoveredFile {
  /** Absolute. */
  path: string;
  /** Forward slashes, relative to the config root. */
  relativePath: string;
  language: LanguageId;
  /** Its stamp (file-stamp.ts) when discovery took one that can be trusted: the result cache's quick check. */
  stamp?: string;
}

export interface Discovery {
  files: DiscoveredFile[];
  skipped: SkippedFile[];
  /** Per folder walked (relative path), the files in it that may make it a project root (project-roots.ts). */
  projectFiles: Map<string, Set<string>>;
  /** With `DiscoveryOptions.recordWalk`: what the walk saw, for the warm re-scan (walk-record.ts). */
  walk?: WalkRecord;
}

/**
 * Folders that are never walked into: version-control state, installed packages and build caches.
 * A folder holding `pyvenv.cfg` (a Python virtual environment, whatever its name) is skipped too.
 * Vendored source such as `third_party/` is scanned unless the config's `ignore` lists it.
 * A folder named explicitly on the command line is scanned even if it is one of these.
 */
export const SKIPPED_DIRECTORIES: readonly string[] = [
  '.git',
  '.hg',
  '.svn',
  'node_modules',
  'bower_components',
  '__pycache__',
  '.venv',
  '.tox',
  '.gradle',
  '.mypy_cache',
  '.pytest_cache',
];

const OUTSIDE_ROOT = 'a symbolic link to a path outside the scanned folder; pass --follow-symlinks to scan it';

/** SARIF reports (`results.sarif`, `shard-1.sarif.json`): never read as text. */
const SARIF_REPORT = /\.sarif(?:\.json)?$/i;

/** Files that list path patterns for tools; they hold no values (a secret has nowhere to be in them). */
const PATTERN_FILES: ReadonlySet<string> = new Set([
  '.gitignore',
  '.gitattributes',
  '.dockerignore',
  '.npmignore',
  '.eslintignore',
  '.prettierignore',
  '.vscodeignore',
  '.editorconfig',
]);

/** How many bytes `looksBinary` and shebang detection read from each file. */
const HEAD_BYTES = 8000;
/**
 * The walk lists folders and stats files synchronously, cheaper than through promises; it gives the event loop
 * a turn (the language server's requests) whenever this many milliseconds passed without one.
 */
const TURN_MS = 8;
/** Files examined at once (each holds a file descriptor for a moment). */
const CONCURRENCY = 32;

export interface DiscoveryOptions {
  /**
   * Read through symbolic links whose real path leaves the root (`--follow-symlinks`). Off by default: a
   * hostile repository's link to `/etc` or a home folder must not put those files, with snippets, in a report.
   */
  followSymlinks?: boolean;
  /**
   * Files an earlier scan read (the result cache): a file whose stamp is unchanged since then gets the
   * language found then, and is not opened again.
   */
  seenBefore?: SeenBefore;
  /** Keep what the walk saw (`Discovery.walk`): the result cache stores it for the next scan. */
  recordWalk?: boolean;
  /**
   * A folder that is medsec's own state, not part of the tree (the result cache, absolute): neither walked
   * nor listed, so writing it never makes the tree look changed.
   */
  ownFolder?: string;
  /**
   * The paths are files the walk of their folders would meet (the incremental re-scan's changed and added
   * files, cli/incremental.ts): judged as the walk judges them, silently left out where it would leave them
   * out, after the ignore rules of every folder above them.
   */
  asWalked?: boolean;
}

export interface SeenBefore {
  has(relativePath: string): boolean;
  /** The language found when the file last had this stamp; undefined when it had another. */
  language(relativePath: string, stamp: string): LanguageId | undefined;
}

/**
 * Lists the files under `paths` (relative to the current directory; `root` itself when empty), sorted by
 * relative path. `configs` finds nested `.medsec.json` files on the way (nested-config.ts); by default
 * `config` alone governs every file.
 */
export async function discoverFiles(
  root: string,
  paths: string[],
  config: ResolvedConfig,
  configs: NestedConfigs = new NestedConfigs(config),
  options: DiscoveryOptions = {},
): Promise<Discovery> {
  const absoluteRoot = path.resolve(root);
  const realRoot = await fs.promises.realpath(absoluteRoot).catch(() => absoluteRoot);
  const targets: { absolute: string; isDirectory: boolean }[] = [];
  for (const target of paths.length > 0 ? paths : [absoluteRoot]) {
    const absolute = path.resolve(target);
    const stat = await fs.promises.stat(absolute).catch(() => undefined);
    if (!stat) throw new UsageError(`path not found: ${target} (paths are relative to the current directory)`);
    targets.push({ absolute, isDirectory: stat.isDirectory() });
  }

  const walker = new Walker(absoluteRoot, configs, options.followSymlinks ? undefined : realRoot, options.seenBefore, options.ownFolder);
  if (options.recordWalk) walker.walk = { folders: [], files: [], links: [] };
  for (const target of targets) {
    if (target.isDirectory) await walker.walkDirectory(target.absolute);
    else if (options.asWalked) walker.addWalkedFile(target.absolute);
    else walker.addExplicitFile(target.absolute);
  }
  return walker.finish();
}

interface Candidate {
  absolute: string;
  relativePath: string;
  /** Named on the command line: a reason is recorded when it is not scanned. */
  explicit: boolean;
  /** Its real path, when the walk knows it without asking: a plain entry of a folder whose real path it took. */
  real?: string;
}

type Examined = { language: LanguageId; real: string; stamp?: string };

/** One `.gitignore` on the way to a folder, and the path from its folder to that one ('' or ending in '/'). */
type IgnoreLayer = { rules: Ignore; prefix: string };

class Walker {
  private readonly candidates: Candidate[] = [];
  private readonly skipped: SkippedFile[] = [];
  private readonly visitedDirectories = new Set<string>();
  private readonly gitignores = new Map<string, Ignore | null>();
  private readonly ignoreChains = new Map<string, readonly IgnoreLayer[]>();
  private readonly projectFiles = new Map<string, Set<string>>();
  private readonly turns = new EventLoopTurns();
  private readonly readsLanguage = new WeakMap<readonly EffectiveRule[], Map<LanguageId, boolean>>();
  /** What git tracks under the root: read once, when `.gitignore` first excludes something (null: no repository). */
  private tracked: TrackedTree | null | undefined;
  /** Folders `.gitignore` excludes that the walk enters because they hold tracked files (absolute). */
  private readonly ignoredFolders = new Set<string>();
  /** What the walk saw, when asked to keep it. */
  walk?: WalkRecord;

  /** `containedIn`: the real path of the root, when links must not lead out of it. */
  constructor(
    private readonly root: string,
    private readonly configs: NestedConfigs,
    private readonly containedIn?: string,
    private readonly seenBefore?: SeenBefore,
    private readonly ownFolder?: string,
  ) {}

  async walkDirectory(start: string): Promise<void> {
    // A folder given explicitly is still subject to the .gitignore files and globs above it.
    const reason = this.ignoredBecause(start, true, true);
    if (reason) {
      this.skipped.push({ path: this.relative(start), reason });
      return;
    }
    // Symlinked folders and files come after everything reached without one, so a file is listed under
    // its real path when it has one inside the scan.
    const pending = [start];
    const linkedDirectories: string[] = [];
    const linkedFiles: Candidate[] = [];
    // The real path of a plain subfolder is its folder's real path and its name: asked of the system only through links.
    const realOfPlain = new Map<string, string>();
    while (pending.length > 0 || linkedDirectories.length > 0) {
      const directory = (pending.pop() ?? linkedDirectories.shift()) as string;
      const known = realOfPlain.get(directory);
      realOfPlain.delete(directory);
      const real = known ?? (await fs.promises.realpath(directory).catch(() => undefined));
      if (!real || this.visitedDirectories.has(real)) continue; // a symlink loop or a folder seen already
      if (this.leavesRoot(real)) {
        this.skipped.push({ path: this.relative(directory), reason: OUTSIDE_ROOT });
        continue;
      }
      this.visitedDirectories.add(real);
      await this.turns.take();
      let entries: fs.Dirent[];
      try {
        entries = sortByName(withoutOwnFolder(directory, fs.readdirSync(directory, { withFileTypes: true }), this.ownFolder));
      } catch (error) {
        this.skipped.push({ path: this.relative(directory), reason: `cannot read folder (${errorCode(error)})` });
        this.unsettle('a folder could not be read');
        continue;
      }
      this.walk?.folders.push([this.relative(directory), listingOf(entries)]);
      // A folder listed without a .gitignore has none to read (gitignoreOf).
      if (!entries.some((entry) => entry.name === '.gitignore')) this.gitignores.set(directory, null);
      if (directory !== start && entries.some((entry) => entry.name === 'pyvenv.cfg')) continue;
      const subdirectories: string[] = [];
      const projectFiles = new Set<string>();
      this.projectFiles.set(this.relative(directory), projectFiles);
      const undecodable = await undecodableNames(directory, entries);
      for (const entry of entries) {
        const absolute = path.join(directory, entry.name);
        const rawName = undecodable.get(entry.name);
        if (rawName !== undefined) {
          this.skipUndecodable(absolute, entry, rawName);
          continue;
        }
        const isLink = entry.isSymbolicLink();
        // What a link leads to can change with no change to any listing: the walk record keeps where it led.
        if (isLink) this.walk?.links.push([this.relative(absolute), linkState(absolute, Date.now())]);
        let isDirectory = entry.isDirectory();
        let isFile = entry.isFile();
        if (isLink) {
          const target = await fs.promises.stat(absolute).catch(() => undefined); // broken links are left out
          isDirectory = !!target?.isDirectory();
          isFile = !!target?.isFile();
        }
        if (isDirectory) {
          if (SKIPPED_DIRECTORIES.includes(entry.name) || this.ignoredBecause(absolute, true, false)) continue;
          if (!this.configs.ofFolder(absolute)) {
            this.skipped.push({ path: this.relative(absolute), reason: 'its .medsec.json is invalid; fix it to scan this folder' });
            continue;
          }
          if (isLink) linkedDirectories.push(absolute);
          else {
            subdirectories.push(absolute);
            realOfPlain.set(absolute, path.join(real, entry.name));
          }
          continue;
        }
        if (isFile && isProjectFileName(entry.name)) projectFiles.add(entry.name);
        if (isFile && !this.ignoredBecause(absolute, false, false)) {
          const relativePath = this.relative(absolute);
          if (isLink) linkedFiles.push({ absolute, relativePath, explicit: false });
          else this.candidates.push({ absolute, relativePath, explicit: false, real: path.join(real, entry.name) });
        }
      }
      // Depth-first, in name order: push in reverse so the first name is walked first. Loops, not
      // push(...array): a spread passes every element as an argument, which overflows the stack for a
      // folder with a few hundred thousand entries.
      for (let i = subdirectories.length - 1; i >= 0; i--) pending.push(subdirectories[i]);
    }
    for (const file of linkedFiles) this.candidates.push(file);
  }

  /**
   * A name that is not valid UTF-8 reaches JavaScript with U+FFFD in place of its bytes, and no file has
   * that name: it cannot be opened by it. Reported, bytes shown, unless an ignore glob leaves it out anyway.
   */
  private skipUndecodable(absolute: string, entry: fs.Dirent, rawName: string): void {
    this.unsettle('a name that is not valid UTF-8');
    const isDirectory = entry.isDirectory();
    if (this.ignoredBecause(absolute, isDirectory, false)) return;
    const reason = isDirectory
      ? `the folder name is not valid UTF-8 (${rawName}); its files were not scanned: rename it to scan them`
      : `its name is not valid UTF-8 (${rawName}); rename it to scan it`;
    this.skipped.push({ path: this.relative(absolute), reason });
  }

  addExplicitFile(absolute: string): void {
    const reason = this.ignoredBecause(absolute, false, true);
    if (reason) this.skipped.push({ path: this.relative(absolute), reason });
    else this.candidates.push({ absolute, relativePath: this.relative(absolute), explicit: true });
  }

  /** A file the walk of its folder would meet, judged by the ignore rules of every folder above it. */
  addWalkedFile(absolute: string): void {
    if (!this.ignoredBecause(absolute, false, true))
      this.candidates.push({ absolute, relativePath: this.relative(absolute), explicit: false });
  }

  async finish(): Promise<Discovery> {
    const files: DiscoveredFile[] = [];
    const seen = new Set<string>();
    const examined = await mapWithLimit(this.candidates, CONCURRENCY, async (candidate) => {
      await this.turns.take();
      return this.examine(candidate);
    });
    examined.forEach((outcome, index) => {
      if (!outcome) return;
      if ('reason' in outcome) {
        this.skipped.push(outcome);
        return;
      }
      // The same file reached twice (overlapping paths, a symlink) is scanned once.
      if (seen.has(outcome.real)) return;
      seen.add(outcome.real);
      const { absolute, relativePath } = this.candidates[index];
      files.push({ path: absolute, relativePath, language: outcome.language, ...(outcome.stamp ? { stamp: outcome.stamp } : {}) });
    });
    files.sort((a, b) => compareStrings(a.relativePath, b.relativePath));
    const skipped = dedupeSkipped(this.skipped).sort((a, b) => compareStrings(a.path, b.path));
    return { files, skipped, projectFiles: this.projectFiles, ...(this.walk ? { walk: this.walk } : {}) };
  }

  /** Notes a file whose stamp (or '' for none to trust) decided its outcome, for the walk record. */
  private probed(relativePath: string, stamp: string | undefined): void {
    this.walk?.files.push([relativePath, stamp ?? '']);
  }

  private unsettle(reason: string): void {
    if (this.walk) this.walk.unsettled ??= reason;
  }

  /**
   * The language of a candidate, a reason it is skipped, or undefined when it is silently left out. A file of
   * no known language is `text` (read by the secrets checks only); such a file that turns out binary is left
   * out silently unless its magic number makes it a key container (PKCS#12, JKS, DER private key).
   */
  private async examine(candidate: Candidate): Promise<Examined | SkippedFile | undefined> {
    const { absolute, relativePath, explicit } = candidate;
    const extensionless = !path.basename(absolute).includes('.');
    let language = detectLanguage(absolute);
    let asText = false;
    if (!language && !extensionless) {
      if (isBinaryName(absolute)) return explicit ? { path: relativePath, reason: 'binary file (by its extension)' } : undefined;
      // A SARIF report is a tool's output (medsec's own shards among them, with the rule docs' example secrets).
      if (SARIF_REPORT.test(absolute)) return explicit ? { path: relativePath, reason: 'SARIF report (tool output)' } : undefined;
      if (!explicit && PATTERN_FILES.has(path.basename(absolute))) return undefined;
      language = 'text';
      asText = true;
    }
    if (language && !this.isChecked(absolute, language) && !(asText && this.isChecked(absolute, 'key-container'))) {
      return explicit ? this.noRuleFor(relativePath, language) : undefined;
    }
    // A text format by its name: its size and real path suffice here; the scan checks the bytes it reads.
    if (asText && isTextName(absolute)) return this.examineText(candidate);
    const seen = await this.examineSeen(candidate);
    if (seen) return seen;
    let head: Uint8Array;
    let size: number;
    let real: string;
    let stamp: string | undefined;
    try {
      real = candidate.real ?? (await fs.promises.realpath(absolute));
      if (this.leavesRoot(real)) return { path: relativePath, reason: OUTSIDE_ROOT };
      const handle = await fs.promises.open(absolute, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
      try {
        const stat = await handle.stat();
        // Opened without blocking: a FIFO named on the command line (or linked) must not hang the scan.
        if (!stat.isFile()) return { path: relativePath, reason: 'not a regular file (a FIFO, socket or device)' };
        size = stat.size;
        stamp = trustedStamp(stat);
        this.probed(relativePath, stamp);
        const buffer = new Uint8Array(Math.min(HEAD_BYTES, size));
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
        head = buffer.subarray(0, bytesRead);
      } finally {
        await handle.close();
      }
    } catch (error) {
      this.probed(relativePath, undefined);
      return { path: relativePath, reason: `cannot read file (${errorCode(error)})` };
    }
    if (!language) {
      // An extensionless script may say what it is on its first line (`#!/usr/bin/env python3`).
      const firstLine = looksBinary(head) ? undefined : new TextDecoder().decode(head).split('\n', 1)[0];
      language = (firstLine !== undefined ? detectLanguage(absolute, firstLine) : undefined) ?? 'text';
      asText = language === 'text';
      if (!this.isChecked(absolute, language) && !(asText && this.isChecked(absolute, 'key-container'))) {
        return explicit ? this.noRuleFor(relativePath, language) : undefined;
      }
    }
    // A DER or JKS header is never text, NUL bytes or not (a small PKCS#12 file may have none in its head).
    if (asText && recognizeKeyContainer(head) && this.isChecked(absolute, 'key-container'))
      return { language: 'key-container', real, stamp };
    if (looksBinary(head)) {
      if (!asText) return { path: relativePath, reason: 'binary file (NUL bytes in its first 8 KB)' };
      return explicit ? { path: relativePath, reason: 'binary file (NUL bytes in its first 8 KB)' } : undefined;
    }
    if (asText && !this.isChecked(absolute, 'text')) return explicit ? this.noRuleFor(relativePath, language) : undefined;
    // A file of no known language that is not text after all (design files, packed data): left out like a binary.
    if (asText && !looksLikeText(head)) return explicit ? { path: relativePath, reason: 'binary file (not text)' } : undefined;
    return this.tooLarge(candidate, size) ?? { language, real, stamp };
  }

  /**
   * A file an earlier scan read, unchanged since (the same stamp): the language found then, checked against
   * today's rules and size limit, without opening it. Undefined when that does not settle it.
   */
  private async examineSeen(candidate: Candidate): Promise<Examined | SkippedFile | undefined> {
    const { absolute, relativePath } = candidate;
    if (!this.seenBefore?.has(relativePath)) return undefined;
    // Synchronously: one stat per file is the whole cost of an unchanged file, and the promise costs more than the call.
    const stat = statOrUndefined(absolute);
    const stamp = stat?.isFile() ? trustedStamp(stat) : undefined;
    const language = stamp && this.seenBefore.language(relativePath, stamp);
    if (!stat || !stamp || !language || !this.isChecked(absolute, language)) return undefined;
    const real = candidate.real ?? (await fs.promises.realpath(absolute).catch(() => undefined));
    if (!real) return undefined;
    this.probed(relativePath, stamp);
    if (this.leavesRoot(real)) return { path: relativePath, reason: OUTSIDE_ROOT };
    return this.tooLarge(candidate, stat.size) ?? { language, real, stamp };
  }

  /** Why a file of `size` bytes is skipped under the size limit of its configuration, or undefined. */
  private tooLarge(candidate: Candidate, size: number): SkippedFile | undefined {
    const maxFileSize = this.maxFileSizeOf(candidate.absolute);
    if (size <= maxFileSize) return undefined;
    return {
      path: candidate.relativePath,
      reason: `larger than maxFileSize (${size} > ${maxFileSize} bytes); raise maxFileSize in .medsec.json to scan it`,
    };
  }

  /** Whether a real path lies outside the root while links must not lead out of it. */
  private leavesRoot(real: string): boolean {
    if (!this.containedIn) return false;
    if (real.startsWith(this.containedIn) && real[this.containedIn.length] === path.sep) return false; // the common case, cheaply
    const relativePath = path.relative(this.containedIn, real);
    return relativePath === '..' || relativePath.startsWith(`..${path.sep}`) || path.isAbsolute(relativePath);
  }

  /** A file whose name says it is text: its real path, kind and size decide, without opening it. */
  private async examineText(candidate: Candidate): Promise<Examined | SkippedFile | undefined> {
    const { absolute, relativePath, explicit } = candidate;
    if (!this.isChecked(absolute, 'text')) return explicit ? this.noRuleFor(relativePath, 'text') : undefined;
    try {
      const real = candidate.real ?? (await fs.promises.realpath(absolute));
      if (this.leavesRoot(real)) return { path: relativePath, reason: OUTSIDE_ROOT };
      const stat = fs.statSync(real); // synchronously: the call is cheaper than its promise
      const stamp = trustedStamp(stat);
      this.probed(relativePath, stamp);
      if (!stat.isFile()) return { path: relativePath, reason: 'not a regular file (a FIFO, socket or device)' };
      return this.tooLarge(candidate, stat.size) ?? { language: 'text', real, stamp };
    } catch (error) {
      this.probed(relativePath, undefined);
      return { path: relativePath, reason: `cannot read file (${errorCode(error)})` };
    }
  }

  /** The size limit of the configuration that governs the file (the root's when that one is broken). */
  private maxFileSizeOf(absolute: string): number {
    return (this.configs.ofFile(absolute) ?? this.configs.root).maxFileSize;
  }

  /** Whether any rule enabled for this file reads its language (no rule asks for most JSON files). */
  private isChecked(absolute: string, language: LanguageId): boolean {
    // Files share a few rule lists (one per distinct set of overrides), so each answers once per language.
    const rules = this.configs.rulesFor(absolute);
    let byLanguage = this.readsLanguage.get(rules);
    if (!byLanguage) this.readsLanguage.set(rules, (byLanguage = new Map()));
    let reads = byLanguage.get(language);
    if (reads === undefined) byLanguage.set(language, (reads = rules.some((effective) => ruleReads(effective, language))));
    return reads;
  }

  private noRuleFor(relativePath: string, language: LanguageId): SkippedFile {
    return { path: relativePath, reason: `no enabled rule checks ${language} files` };
  }

  /**
   * Why a path is ignored, or undefined. `withAncestors` also checks the folders between the root and
   * the path, which a walk has already checked on its way down but an explicit path has not.
   */
  private ignoredBecause(absolute: string, isDirectory: boolean, withAncestors: boolean): string | undefined {
    const ignoredByConfig = withAncestors ? this.configs.isIgnoredOnTheWay(absolute) : this.configs.isIgnored(absolute);
    if (ignoredByConfig) return 'ignored by the ignore globs of the configuration';
    const chain = withAncestors ? this.ancestorsWithin(absolute) : [];
    const gitignored =
      this.ignoredFolders.has(path.dirname(absolute)) ||
      chain.some((ancestor) => this.isGitignored(ancestor, true)) ||
      this.isGitignored(absolute, isDirectory);
    if (!gitignored) return undefined;
    // A committed file is in every clone whatever .gitignore says (a secret in it is exposed): git ignores only
    // untracked files, and so does the walk. A folder that holds tracked files is entered, its other files skipped.
    if (!this.isTracked(absolute, isDirectory)) return 'ignored by .gitignore';
    if (isDirectory) this.ignoredFolders.add(absolute);
    return undefined;
  }

  /** Whether git tracks the file (or a file below the folder); no repository or no index: not tracked. */
  private isTracked(absolute: string, isDirectory: boolean): boolean {
    if (this.tracked === undefined) {
      this.tracked = trackedUnder(this.root) ?? null;
      // The index decides what is scanned now: a later `git add` or `git rm --cached` must show as a change.
      if (this.tracked && this.walk) this.probed(this.relative(this.tracked.indexFile), indexStamp(this.tracked.indexFile));
    }
    if (!this.tracked) return false;
    return this.tracked.tracks(this.relative(absolute), isDirectory);
  }

  /** Folders strictly between the root and `absolute`, outermost first. */
  private ancestorsWithin(absolute: string): string[] {
    const relativePath = path.relative(this.root, absolute);
    if (!relativePath || relativePath.startsWith('..') || path.isAbsolute(relativePath)) return [];
    const parts = relativePath.split(path.sep);
    return parts.slice(0, -1).map((_, index) => path.join(this.root, parts.slice(0, index + 1).join(path.sep)));
  }

  /**
   * Git's rule for one path: the `.gitignore` files of its folders, from the root down, each relative to
   * its own folder; a deeper file's match (or `!negation`) wins over a shallower one.
   */
  private isGitignored(absolute: string, isDirectory: boolean): boolean {
    const fromRoot = this.relative(absolute);
    if (!fromRoot || fromRoot.startsWith('..') || path.isAbsolute(fromRoot)) return false;
    const name = path.basename(absolute) + (isDirectory ? '/' : '');
    let ignored = false;
    for (const { rules, prefix } of this.ignoreChain(path.dirname(absolute))) {
      const result = rules.test(prefix + name);
      if (result.ignored) ignored = true;
      else if (result.unignored) ignored = false;
    }
    return ignored;
  }

  /**
   * The `.gitignore` files that judge the entries of `folder` (at or below the root), root first, each with
   * the path from its own folder to `folder`. Built once per folder from its parent's.
   */
  private ignoreChain(folder: string): readonly IgnoreLayer[] {
    let chain = this.ignoreChains.get(folder);
    if (chain) return chain;
    const fromRoot = this.relative(folder);
    if (fromRoot.startsWith('..') || path.isAbsolute(fromRoot)) return []; // above the root: no .gitignore of ours
    const outer = !fromRoot
      ? []
      : this.ignoreChain(path.dirname(folder)).map(({ rules, prefix }) => ({ rules, prefix: `${prefix}${path.basename(folder)}/` }));
    const own = this.gitignoreOf(folder);
    chain = own ? [...outer, { rules: own, prefix: '' }] : outer;
    this.ignoreChains.set(folder, chain);
    return chain;
  }

  private gitignoreOf(directory: string): Ignore | null {
    let rules = this.gitignores.get(directory);
    if (rules === undefined) {
      const file = path.join(directory, '.gitignore');
      try {
        // Its stamp first: an edit after the stat shows as a new stamp next time, never as the old one.
        if (this.walk) this.probed(this.relative(file), trustedStamp(fs.statSync(file)));
        rules = ignore().add(fs.readFileSync(file, 'utf8'));
      } catch {
        if (this.walk) this.probed(this.relative(file), undefined);
        rules = null;
      }
      this.gitignores.set(directory, rules);
    }
    return rules;
  }

  private relative(absolute: string): string {
    // Walked paths are joined to the root, so most are the root and more: no need for path.relative's resolving.
    const below = absolute.startsWith(this.root) && absolute[this.root.length] === path.sep && !this.root.endsWith(path.sep);
    const relative = below ? absolute.slice(this.root.length + 1) : path.relative(this.root, absolute);
    return path.sep === '/' ? relative : relative.split(path.sep).join('/');
  }
}

function indexStamp(file: string): string | undefined {
  try {
    return trustedStamp(fs.statSync(file));
  } catch {
    return undefined;
  }
}

/** Whether a rule reads files of this language. A .h file may turn out to be C++ once parsed, so C++ rules read C files too. */
export function ruleReads(effective: EffectiveRule, language: LanguageId): boolean {
  const languages = effective.rule.meta.languages;
  return languages.includes(language) || (language === 'c' && languages.includes('cpp'));
}

/** Turns for the event loop during synchronous work: one whenever TURN_MS passed since the last. */
class EventLoopTurns {
  private last = performance.now();

  async take(): Promise<void> {
    if (performance.now() - this.last < TURN_MS) return;
    await new Promise((resolve) => setImmediate(resolve));
    this.last = performance.now();
  }
}

/** Plain code-unit order, the same on every machine and locale. */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function dedupeSkipped(skipped: SkippedFile[]): SkippedFile[] {
  const seen = new Set<string>();
  return skipped.filter((entry) => !seen.has(entry.path) && !!seen.add(entry.path));
}

/**
 * The entries of `directory` whose names are not valid UTF-8, by the name Node gave them (with U+FFFD),
 * each with its bytes written out (`bad\xff.c`). Names without U+FFFD are valid, so the folder is read a
 * second time, as bytes, only when one has it.
 */
async function undecodableNames(directory: string, entries: readonly fs.Dirent[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  if (!entries.some((entry) => entry.name.includes('\uFFFD'))) return found;
  const raw = await fs.promises.readdir(directory, { encoding: 'buffer' }).catch(() => [] as Buffer[]);
  for (const bytes of raw) {
    const name = bytes.toString('utf8');
    if (!Buffer.from(name, 'utf8').equals(bytes)) found.set(name, escapeInvalidUtf8(bytes));
  }
  return found;
}

/** The name with every byte outside printable ASCII as `\xNN`: shows exactly which name is meant, in one line. */
function escapeInvalidUtf8(bytes: Buffer): string {
  let out = '';
  for (const byte of bytes)
    out += byte >= 0x20 && byte < 0x7f && byte !== 0x5c ? String.fromCharCode(byte) : `\\x${byte.toString(16).padStart(2, '0')}`;
  return out;
}

function statOrUndefined(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch {
    return undefined;
  }
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException | undefined)?.code ?? (error instanceof Error ? error.message : String(error));
}

/** `map` with at most `limit` calls in flight; results keep the input order. */
async function mapWithLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
