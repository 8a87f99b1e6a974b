/**
 * `medsec.*` settings, resource-scoped: the server asks the client for them per document
 * (`workspace/configuration`) and caches the answer until `workspace/didChangeConfiguration`.
 */
import { SEVERITIES, type Severity } from '../core/types';

export interface Settings {
  enable: boolean;
  /** The preset used when a folder has no `.medsec.json`. */
  ruleSet: 'recommended' | 'strict';
  /** Findings below this severity are not shown. */
  severityThreshold: Severity;
  run: 'onType' | 'onSave';
  /** Bytes; files larger than this are not checked. 0 means the `.medsec.json` limit (2 MB by default). */
  maxFileSize: number;
  /** Milliseconds to wait after the last keystroke before checking. */
  debounceMs: number;
  /**
   * False means built-in rules only. Combined with the client's trust signal (VS Code Workspace Trust); a
   * client that sends no signal needs this set to true explicitly (see SettingsProvider).
   */
  trustedWorkspace: boolean;
}

export const DEFAULT_SETTINGS: Settings = {
  enable: true,
  ruleSet: 'recommended',
  severityThreshold: 'info',
  run: 'onType',
  maxFileSize: 0,
  debounceMs: 150,
  trustedWorkspace: true,
};

/** Takes whatever the client sent (possibly null, partial or mistyped) and returns complete settings. */
export function normalizeSettings(raw: unknown, fallback: Settings = DEFAULT_SETTINGS): Settings {
  const value = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const pick = <T>(key: keyof Settings, valid: (v: unknown) => v is T): T => (valid(value[key]) ? value[key] : (fallback[key] as T));
  const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';
  const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
  return {
    enable: pick('enable', isBoolean),
    ruleSet: pick('ruleSet', (v): v is Settings['ruleSet'] => v === 'recommended' || v === 'strict'),
    severityThreshold: pick('severityThreshold', (v): v is Severity => SEVERITIES.includes(v as Severity)),
    run: pick('run', (v): v is Settings['run'] => v === 'onType' || v === 'onSave'),
    maxFileSize: pick('maxFileSize', isCount),
    debounceMs: pick('debounceMs', isCount),
    trustedWorkspace: pick('trustedWorkspace', isBoolean),
  };
}

/** Whether a finding of `severity` is shown under `threshold` (critical is the highest). */
export function meetsThreshold(severity: Severity, threshold: Severity): boolean {
  return SEVERITIES.indexOf(severity) <= SEVERITIES.indexOf(threshold);
}
