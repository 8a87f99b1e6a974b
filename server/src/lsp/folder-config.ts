/**
 * The resolved `.medsec.json` files of the workspace, cached until a setting or a watched configuration file
 * changes: each workspace folder's (multi-root: every folder has its own) and the nested ones below it,
 * found as core/nested-config.ts finds them for the CLI, so the editor and the CLI pick the same file.
 *
 * In an untrusted workspace only built-in rules run: `customRules` and `extends` entries that name files
 * are dropped before resolving, so nothing else in the workspace is read.
 */
import * as fs from 'fs';
import * as path from 'path';
import { applyEdits, modify, parse, type ParseError } from 'jsonc-parser';
import { CONFIG_FILE_NAME, ConfigError, resolveConfig } from '../core/config';
import { NestedConfigs } from '../core/nested-config';
import { SKIPPED_DIRECTORIES } from '../core/discover';
import type { ResolvedConfig, RuleRegistry } from '../core/types';
import { configLine } from './server-log';
import type { Settings } from './settings';
import { readConfigFileText } from '../core/config-file';

/** The key of the preset alone, for documents that are not files. */
const BUILTIN = '<builtin>';

export type FolderConfig = { ok: true; config: ResolvedConfig } | { ok: false; error: ConfigError };

type ConfigSettings = Pick<Settings, 'ruleSet' | 'trustedWorkspace'>;

/** The configuration that governs a file: the folder of its `.medsec.json` (or the workspace folder's preset). */
export interface GoverningConfig {
  folder: string;
  loaded: FolderConfig;
  /** An `ignore` glob of its configuration, or of one above, leaves the file out. */
  ignored: boolean;
}

export class FolderConfigs {
  private readonly cache = new Map<string, FolderConfig>();
  private readonly nestedByRoot = new Map<string, NestedConfigs>();

  /** `log` hears of every configuration loaded (a broken one is logged where it is reported). */
  constructor(
    private readonly registry: RuleRegistry,
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  /**
   * The configuration for `root`, a workspace folder or (nested) a folder below the workspace folder
   * `workspaceFolder`, which is where its `extends` may read from. Never throws: a broken file comes back
   * as `{ ok: false, error }`.
   */
  get(root: string, settings: ConfigSettings, workspaceFolder = root): FolderConfig {
    const key = `${cacheKey(root, settings)}|${workspaceFolder}`;
    let entry = this.cache.get(key);
    if (!entry) {
      entry = loadFolderConfig(root, settings, this.registry, workspaceFolder);
      this.cache.set(key, entry);
      if (entry.ok && root !== BUILTIN) this.log(configLine(root, entry.config, settings.ruleSet));
    }
    return entry;
  }

  /**
   * The configuration of `file` in the workspace folder `root`: the nearest `.medsec.json` from the file's
   * folder up to `root`. A broken workspace folder configuration is the answer for every file in it.
   */
  forFile(file: string, root: string, settings: ConfigSettings): GoverningConfig {
    const rootLoaded = this.get(root, settings);
    if (!rootLoaded.ok) return { folder: root, loaded: rootLoaded, ignored: false };
    const nested = this.nestedIn(root, rootLoaded.config, settings);
    const folder = nested.governingFolder(path.dirname(file));
    return { folder, loaded: this.get(folder, settings, root), ignored: nested.isIgnoredOnTheWay(file) };
  }

  /**
   * The nested configurations below the workspace folder `root` (whose own configuration is `rootConfig`),
   * for discovery; a broken one comes back undefined (its folder is not checked) and is in `broken()`.
   */
  nestedIn(root: string, rootConfig: ResolvedConfig, settings: ConfigSettings): NestedConfigs {
    const key = cacheKey(root, settings);
    let nested = this.nestedByRoot.get(key);
    if (!nested) {
      nested = new NestedConfigs(rootConfig, (folder) => {
        const loaded = this.get(folder, settings, root);
        return loaded.ok ? loaded.config : undefined;
      });
      this.nestedByRoot.set(key, nested);
    }
    return nested;
  }

  /** The built-in preset alone, for documents that are not files (untitled editors). */
  builtin(ruleSet: Settings['ruleSet']): ResolvedConfig {
    const loaded = this.get(BUILTIN, { ruleSet, trustedWorkspace: false });
    if (!loaded.ok) throw loaded.error;
    return loaded.config;
  }

  clear(): void {
    this.cache.clear();
    this.nestedByRoot.clear();
  }
}

function cacheKey(folder: string, settings: ConfigSettings): string {
  return `${settings.trustedWorkspace ? 'trusted' : 'untrusted'}|${settings.ruleSet}|${folder}`;
}

/**
 * The folders below `root` that hold a `.medsec.json`, so that a broken nested file is reported at start
 * as a broken root file is. Looks into at most `maxFolders` folders (a huge workspace is not walked in full:
 * its nested files are still found when a file below them is opened or the workspace is scanned).
 */
export async function nestedConfigFolders(root: string, maxFolders = 5000): Promise<string[]> {
  const found: string[] = [];
  const pending = [root];
  for (let visited = 0; pending.length > 0 && visited < maxFolders; visited++) {
    const folder = pending.pop()!;
    const entries = await fs.promises.readdir(folder, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (entry.isDirectory() && !SKIPPED_DIRECTORIES.includes(entry.name)) pending.push(path.join(folder, entry.name));
      else if (entry.isFile() && entry.name === CONFIG_FILE_NAME && folder !== root) found.push(folder);
    }
  }
  return found.sort();
}

export function loadFolderConfig(
  root: string,
  settings: Pick<Settings, 'ruleSet' | 'trustedWorkspace'>,
  registry: RuleRegistry,
  workspaceFolder = root,
): FolderConfig {
  const preset = { extends: [`medsec:${settings.ruleSet}`] };
  if (root === BUILTIN) return { ok: true, config: resolveConfig(preset, undefined, process.cwd(), { registry }) };
  const file = path.join(root, CONFIG_FILE_NAME);
  try {
    let text: string;
    try {
      text = readConfigFileText(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      return { ok: true, config: resolveConfig(preset, undefined, root, { registry }) };
    }
    const options = { registry, workspaceRoot: workspaceFolder };
    return { ok: true, config: resolveConfig(settings.trustedWorkspace ? text : withoutWorkspaceCode(text), file, root, options) };
  } catch (error) {
    if (error instanceof ConfigError) return { ok: false, error };
    const detail = error instanceof Error ? error.message : String(error);
    return { ok: false, error: new ConfigError(file, 1, 1, '', `cannot load the configuration (${detail})`) };
  }
}

/**
 * The configuration text without `customRules` and without `extends` entries that name files. Text that
 * does not parse is returned unchanged, so the engine reports the syntax error at its real position.
 */
export function withoutWorkspaceCode(text: string): string {
  const errors: ParseError[] = [];
  const value = parse(text, errors, { allowTrailingComma: true }) as Record<string, unknown> | undefined;
  if (errors.length > 0 || !value || typeof value !== 'object' || Array.isArray(value)) return text;
  let result = text;
  const formattingOptions = { insertSpaces: true, tabSize: 2 };
  if ('customRules' in value) result = applyEdits(result, modify(result, ['customRules'], undefined, { formattingOptions }));
  if (Array.isArray(value.extends)) {
    const presetsOnly = value.extends.filter((entry) => typeof entry === 'string' && entry.startsWith('medsec:'));
    if (presetsOnly.length !== value.extends.length) {
      result = applyEdits(
        result,
        modify(result, ['extends'], presetsOnly.length ? presetsOnly : ['medsec:recommended'], { formattingOptions }),
      );
    }
  }
  return result;
}
