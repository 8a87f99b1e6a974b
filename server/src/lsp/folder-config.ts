/**
 * The resolved `.medsec.json` of each workspace folder (multi-root: every folder has its own), cached until
 * a setting or a watched configuration file changes.
 *
 * In an untrusted workspace only built-in rules run: `customRules` and `extends` entries that name files
 * are dropped before resolving, so nothing else in the workspace is read.
 */
import * as path from 'path';
import { applyEdits, modify, parse, type ParseError } from 'jsonc-parser';
import { CONFIG_FILE_NAME, ConfigError, resolveConfig } from '../core/config';
import type { ResolvedConfig, RuleRegistry } from '../core/types';
import type { Settings } from './settings';
import { readConfigFileText } from '../core/config-file';

export type FolderConfig = { ok: true; config: ResolvedConfig } | { ok: false; error: ConfigError };

export class FolderConfigs {
  private readonly cache = new Map<string, FolderConfig>();

  constructor(private readonly registry: RuleRegistry) {}

  /** The configuration for `root`; never throws: a broken file comes back as `{ ok: false, error }`. */
  get(root: string, settings: Pick<Settings, 'ruleSet' | 'trustedWorkspace'>): FolderConfig {
    const key = `${settings.trustedWorkspace ? 'trusted' : 'untrusted'}|${settings.ruleSet}|${root}`;
    let entry = this.cache.get(key);
    if (!entry) {
      entry = loadFolderConfig(root, settings, this.registry);
      this.cache.set(key, entry);
    }
    return entry;
  }

  /** The built-in preset alone, for documents that are not files (untitled editors). */
  builtin(ruleSet: Settings['ruleSet']): ResolvedConfig {
    const loaded = this.get(`<builtin>`, { ruleSet, trustedWorkspace: false });
    if (!loaded.ok) throw loaded.error;
    return loaded.config;
  }

  clear(): void {
    this.cache.clear();
  }
}

export function loadFolderConfig(
  root: string,
  settings: Pick<Settings, 'ruleSet' | 'trustedWorkspace'>,
  registry: RuleRegistry,
): FolderConfig {
  const preset = { extends: [`medsec:${settings.ruleSet}`] };
  if (root === '<builtin>') return { ok: true, config: resolveConfig(preset, undefined, process.cwd(), { registry }) };
  const file = path.join(root, CONFIG_FILE_NAME);
  try {
    let text: string;
    try {
      text = readConfigFileText(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      return { ok: true, config: resolveConfig(preset, undefined, root, { registry }) };
    }
    return { ok: true, config: resolveConfig(settings.trustedWorkspace ? text : withoutWorkspaceCode(text), file, root, { registry }) };
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
