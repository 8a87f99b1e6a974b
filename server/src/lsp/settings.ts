/**
 * `medsec.*` settings, resource-scoped: the server asks the client for them per document
 * (`workspace/configuration`) and caches the answer until `workspace/didChangeConfiguration`.
 */
import { SEVERITIES, type Severity } from '../core/types';

/** The four levels LSP (and the Problems panel) knows, by the names VS Code's settings use. */
export const DIAGNOSTIC_LEVELS = ['error', 'warning', 'information', 'hint'] as const;
export type DiagnosticLevel = (typeof DIAGNOSTIC_LEVELS)[number];

/** What `medsec.rules.customizations` may set a rule to: a level, hidden, its severity's level, or one step up or down. */
export const CUSTOMIZED_LEVELS = [...DIAGNOSTIC_LEVELS, 'off', 'default', 'upgrade', 'downgrade'] as const;
export type CustomizedLevel = (typeof CUSTOMIZED_LEVELS)[number];

/** One entry of `medsec.rules.customizations`: a rule id or glob (`weak-*`, `!hardcoded-*`) and its level. */
export interface RuleCustomization {
  rule: string;
  level: CustomizedLevel;
}

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
  /** The level each severity is shown at (`medsec.severityLevels`). */
  severityLevels: Record<Severity, DiagnosticLevel>;
  /** Per-rule levels (`medsec.rules.customizations`); the last entry that matches a rule wins. */
  ruleCustomizations: RuleCustomization[];
  /** Where rule documentation links go (`medsec.docs.baseUrl`); empty: the bundled pages, offline. */
  docsBaseUrl: string;
  /**
   * False means built-in rules only. Combined with the client's trust signal (VS Code Workspace Trust); a
   * client that sends no signal needs this set to true explicitly (see SettingsProvider).
   */
  trustedWorkspace: boolean;
  /** Sent by the client: it runs `command:` links (VS Code does), so docs links can open the bundled pages. */
  commandLinks: boolean;
}

/** The settings the client's user sets, and the `medsec.*` name of each (the others come from the client itself). */
export const SETTING_NAMES = {
  enable: 'enable',
  ruleSet: 'ruleSet',
  severityThreshold: 'severityThreshold',
  run: 'run',
  maxFileSize: 'maxFileSize',
  debounceMs: 'debounceMs',
  severityLevels: 'severityLevels',
  ruleCustomizations: 'rules.customizations',
  docsBaseUrl: 'docs.baseUrl',
} as const satisfies Partial<Record<keyof Settings, string>>;

/** By default the four levels sort the five severities: a file's critical findings stand out in red. */
export const DEFAULT_SEVERITY_LEVELS: Readonly<Record<Severity, DiagnosticLevel>> = {
  critical: 'error',
  high: 'warning',
  medium: 'information',
  low: 'information',
  info: 'hint',
};

export const DEFAULT_SETTINGS: Settings = {
  enable: true,
  ruleSet: 'recommended',
  severityThreshold: 'info',
  run: 'onType',
  maxFileSize: 0,
  debounceMs: 150,
  severityLevels: { ...DEFAULT_SEVERITY_LEVELS },
  ruleCustomizations: [],
  docsBaseUrl: '',
  trustedWorkspace: true,
  commandLinks: false,
};

/** Takes whatever the client sent (possibly null, partial or mistyped) and returns complete settings. */
export function normalizeSettings(raw: unknown, fallback: Settings = DEFAULT_SETTINGS): Settings {
  const value = asObject(raw);
  const pick = <T>(key: keyof Settings, valid: (v: unknown) => v is T, from: unknown = value[key]): T =>
    valid(from) ? from : (fallback[key] as T);
  const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';
  const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
  return {
    enable: pick('enable', isBoolean),
    ruleSet: pick('ruleSet', (v): v is Settings['ruleSet'] => v === 'recommended' || v === 'strict'),
    severityThreshold: pick('severityThreshold', (v): v is Severity => SEVERITIES.includes(v as Severity)),
    run: pick('run', (v): v is Settings['run'] => v === 'onType' || v === 'onSave'),
    maxFileSize: pick('maxFileSize', isCount),
    debounceMs: pick('debounceMs', isCount),
    severityLevels: severityLevels(value.severityLevels, fallback.severityLevels),
    ruleCustomizations: ruleCustomizations(asObject(value.rules).customizations, fallback.ruleCustomizations),
    docsBaseUrl: pick(
      'docsBaseUrl',
      (v): v is string => typeof v === 'string' && (v === '' || /^https?:\/\//.test(v)),
      asObject(value.docs).baseUrl,
    ),
    trustedWorkspace: pick('trustedWorkspace', isBoolean),
    commandLinks: pick('commandLinks', isBoolean),
  };
}

/** Each severity's level; a severity left out or set to something unknown keeps its fallback. */
function severityLevels(raw: unknown, fallback: Settings['severityLevels']): Settings['severityLevels'] {
  const value = asObject(raw);
  const isLevel = (v: unknown): v is DiagnosticLevel => DIAGNOSTIC_LEVELS.includes(v as DiagnosticLevel);
  return Object.fromEntries(
    SEVERITIES.map((severity) => [severity, isLevel(value[severity]) ? value[severity] : fallback[severity]]),
  ) as Settings['severityLevels'];
}

/** The well-formed entries of `medsec.rules.customizations`, in order; anything else is left out. */
function ruleCustomizations(raw: unknown, fallback: RuleCustomization[]): RuleCustomization[] {
  if (!Array.isArray(raw)) return fallback;
  return raw.flatMap((entry): RuleCustomization[] => {
    const { rule, level } = asObject(entry);
    const valid = typeof rule === 'string' && rule !== '' && CUSTOMIZED_LEVELS.includes(level as CustomizedLevel);
    return valid ? [{ rule, level: level as CustomizedLevel }] : [];
  });
}

function asObject(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** Whether a finding of `severity` is shown under `threshold` (critical is the highest). */
export function meetsThreshold(severity: Severity, threshold: Severity): boolean {
  return SEVERITIES.indexOf(severity) <= SEVERITIES.indexOf(threshold);
}
