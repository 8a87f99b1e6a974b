/**
 * Nested configuration files, found the way Ruff finds them: the configuration of a file is the nearest
 * `.medsec.json` in its folder or a folder above it, looking no higher than the root (the scan root in the
 * CLI, the workspace folder in the editor); the root's configuration (its `.medsec.json` or the built-in
 * preset) governs everything with none nearer.
 *
 * A nested file stands alone, as in Ruff: it does not inherit the outer file, and without `extends` it
 * starts from `medsec:recommended`. To build on the outer file it says so: `"extends": ["../.medsec.json"]`.
 * Its globs (`ignore`, `overrides`) are relative to its own folder, and whether a folder is walked into is
 * decided by the configuration of the folder that holds it (an outer `ignore` covers a nested project too).
 */
import * as fs from 'fs';
import * as path from 'path';
import { compileGlobs, CONFIG_FILE_NAME, loadConfig, type LoadConfigOptions } from './config';
import type { EffectiveRule, ResolvedConfig, ScanResult } from './types';
import type { TestCodeClass } from './test-code';

/**
 * Loads the `.medsec.json` of a folder below `root` (the scan root or workspace folder), which is also where
 * its `extends` may read from (LoadConfigOptions.workspaceRoot). Throws a ConfigError for a broken file (the
 * CLI stops), or returns undefined when the caller has reported it and its folder must not be checked (the editor).
 */
export type NestedConfigLoader = (folder: string, root: string) => ResolvedConfig | undefined;

export class NestedConfigs {
  /** Per folder below the root: the folder whose `.medsec.json` governs it (its own, or the nearest above). */
  private readonly governing = new Map<string, string>();
  /** Per folder with its own `.medsec.json`: the configuration, or undefined when it is broken. */
  private readonly loaded = new Map<string, ResolvedConfig | undefined>();
  private readonly ignoreMatchers = new WeakMap<ResolvedConfig, (relativePath: string) => boolean>();

  /**
   * Without `load`, no folder is looked at: `known` (configurations already loaded, as a worker thread
   * receives them) and the root are all there is. Without either, the root governs every file (`--config`).
   */
  constructor(
    readonly root: ResolvedConfig,
    private readonly load?: NestedConfigLoader,
    known: readonly ResolvedConfig[] = [],
  ) {
    for (const config of known) this.loaded.set(config.root, config);
  }

  /** The folder whose configuration governs the files in `folder` (absolute): the root when none below it does. */
  governingFolder(folder: string): string {
    let governing = this.governing.get(folder); // asked once per file: the map first, the path arithmetic once per folder
    if (governing !== undefined) return governing;
    if (!isInside(this.root.root, folder)) return this.root.root;
    const hasOwn = this.loaded.has(folder) || (!!this.load && fs.existsSync(path.join(folder, CONFIG_FILE_NAME)));
    governing = hasOwn ? folder : this.governingFolder(path.dirname(folder));
    this.governing.set(folder, governing);
    return governing;
  }

  /** The configuration of the files in `folder` (absolute); undefined when the nearest one is broken. */
  ofFolder(folder: string): ResolvedConfig | undefined {
    const governing = this.governingFolder(folder);
    if (governing === this.root.root) return this.root;
    if (!this.loaded.has(governing)) this.loaded.set(governing, this.load!(governing, this.root.root));
    return this.loaded.get(governing);
  }

  /** The configuration of one file. */
  ofFile(file: string): ResolvedConfig | undefined {
    return this.ofFolder(path.dirname(file));
  }

  /** The rules that apply to `file` (absolute) under its configuration, or [] when that is broken. */
  rulesFor(file: string): EffectiveRule[] {
    const config = this.ofFile(file);
    return config ? config.rulesFor(relativeTo(config, file)) : [];
  }

  /** How `file` (absolute) is classified as test code under its configuration (none when that is broken). */
  testCodeFor(file: string): TestCodeClass {
    const config = this.ofFile(file);
    return config ? config.testCodeFor(relativeTo(config, file)) : { policy: 'report', by: 'excluded' };
  }

  /** The `fileBudgetMs` for `file` (absolute): its configuration's, or the root's when that is broken. */
  budgetFor(file: string): number {
    return (this.ofFile(file) ?? this.root).fileBudgetMs;
  }

  /** Whether the `ignore` globs of the configuration of the folder holding `absolute` leave it out. */
  isIgnored(absolute: string): boolean {
    const config = this.ofFolder(path.dirname(absolute));
    if (!config || !isInside(config.root, absolute)) return false;
    let matches = this.ignoreMatchers.get(config);
    if (!matches) this.ignoreMatchers.set(config, (matches = compileGlobs(config.ignore)));
    return matches(relativeTo(config, absolute));
  }

  /** Whether the ignore globs leave out `absolute` or a folder on the way to it from the root. */
  isIgnoredOnTheWay(absolute: string): boolean {
    const relative = path.relative(this.root.root, absolute);
    if (!relative || relative.startsWith('..') || path.isAbsolute(relative)) return false;
    const parts = relative.split(path.sep);
    return parts.some((_, index) => this.isIgnored(path.join(this.root.root, parts.slice(0, index + 1).join(path.sep))));
  }

  /** The nested configurations loaded so far (not the root), outermost first. */
  nested(): ResolvedConfig[] {
    return [...this.loaded.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).flatMap(([, config]) => config ?? []);
  }

  /** The folders whose `.medsec.json` was found broken (what the loader returned undefined for). */
  broken(): string[] {
    return [...this.loaded.entries()]
      .filter(([, config]) => !config)
      .map(([folder]) => folder)
      .sort();
  }
}

/** The CLI's loader: a broken nested file throws its ConfigError, which stops the scan as a broken root file does. */
export function nestedConfigLoader(options: LoadConfigOptions): NestedConfigLoader {
  return (folder, root) => loadConfig(folder, undefined, { ...options, workspaceRoot: root });
}

/**
 * Every rule enabled by any configuration of a scan, once each (the root's settings first), for the rule
 * lists of SARIF and JUnit.
 */
export function enabledRulesOfScan(result: Pick<ScanResult, 'config' | 'nestedConfigs'>): EffectiveRule[] {
  const byId = new Map<string, EffectiveRule>();
  for (const config of [result.config, ...(result.nestedConfigs ?? [])]) {
    for (const effective of config.enabledRules()) if (!byId.has(effective.rule.meta.id)) byId.set(effective.rule.meta.id, effective);
  }
  return [...byId.values()];
}

/** `absolute` relative to the configuration's folder, with forward slashes (what its globs match). */
export function relativeTo(config: ResolvedConfig, absolute: string): string {
  // The common case, a normalised path below the root, without path.relative's resolving of both paths.
  const prefix = config.root.endsWith(path.sep) ? config.root : config.root + path.sep;
  // On POSIX only (Windows has two separators and case-blind names). A path with `.`, `..` or an empty segment
  // in it, or a trailing slash (or a hidden folder, by the same test), takes the long way.
  const plain = path.sep === '/' && !absolute.includes('/.') && !absolute.includes('//') && !absolute.endsWith('/');
  if (plain && absolute.startsWith(prefix) && path.isAbsolute(prefix)) return absolute.slice(prefix.length);
  return path.relative(config.root, absolute).split(path.sep).join('/');
}

/** Whether `absolute` is strictly inside `folder`. */
function isInside(folder: string, absolute: string): boolean {
  const relative = path.relative(folder, absolute);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}
