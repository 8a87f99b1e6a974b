/**
 * `medsec merge a.sarif b.sarif ... [--format sarif|json|text] [--output FILE]`: joins the SARIF that
 * `medsec scan --shard i/n` wrote on each machine of a CI matrix into one report (format/sarif-merge.ts).
 * JSON and text are rebuilt from the merged SARIF, which carries everything they show except byte
 * offsets (read back from the source files when they are there) and the list of clean files (their
 * number comes from the shards' `properties.shard.filesScanned`).
 */
import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath } from 'url';
import type * as Sarif from 'sarif';
import { builtinRegistry } from '../../builtin-registry';
import { detectLanguage } from '../../core/language';
import { SourceText } from '../../core/text';
import {
  SEVERITIES,
  type FileResult,
  type Finding,
  type LanguageId,
  type ResolvedConfig,
  type Rule,
  type RuleFailure,
  type ScanResult,
  type Severity,
  type SkippedFile,
} from '../../core/types';
import { EXIT, UsageError } from '../errors';
import { formatJson } from '../format/json';
import { mergeSarif, uriPath, type SarifInput } from '../format/sarif-merge';
import { countAtOrAbove, summarize, type FailOn } from '../format/results';
import { formatText } from '../format/text';
import { styleFor } from '../terminal';
import { writeReport } from '../write-report';

export const MERGE_FORMATS = ['sarif', 'json', 'text'] as const;
export type MergeFormat = (typeof MERGE_FORMATS)[number];

export interface MergeCommandOptions {
  format: MergeFormat;
  output?: string;
  /** The merge job decides the build: exit 1 on a counted finding at or above this severity. */
  failOn?: FailOn;
}

export function runMergeCommand(files: string[], options: MergeCommandOptions): number {
  const merged = mergeSarif(files.map(readSarif));
  for (const warning of merged.warnings) process.stderr.write(`medsec: warning: ${warning}\n`);
  let report: string;
  if (options.format === 'sarif') {
    report = `${JSON.stringify(merged.log, null, 2)}\n`;
  } else {
    const result = scanResultFromSarif(merged.log.runs[0]);
    const filesScanned = Math.max(merged.filesScanned ?? 0, result.files.length);
    const rulesById = new Map<string, Rule>(builtinRegistry.rules.map((rule) => [rule.meta.id, rule]));
    if (options.format === 'json') {
      const json = JSON.parse(formatJson(result, { name: 'medsec', version: merged.log.runs[0].tool.driver.version ?? '' }, rulesById)) as {
        summary: { filesScanned: number };
      };
      json.summary.filesScanned = filesScanned;
      report = `${JSON.stringify(json, null, 2)}\n`;
    } else {
      // The logs hold no scan duration: say where the numbers come from instead.
      const plural = (count: number) => (count === 1 ? '' : 's');
      const scanned = `Scanned ${filesScanned} file${plural(filesScanned)} (merged from ${files.length} SARIF log${plural(files.length)}).`;
      report = formatText(result, options.output ? styleFor({}) : styleFor(process.stdout)).replace(/^Scanned \d+ files? in .*$/m, scanned);
    }
  }
  writeReport(report, options.output, files);
  const result = scanResultFromSarif(merged.log.runs[0]);
  return countAtOrAbove(summarize(result), options.failOn ?? 'none') > 0 ? EXIT.findings : EXIT.ok;
}

function readSarif(file: string): SarifInput {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(
      `cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)}); pass the SARIF files that ` +
        `\`medsec scan --shard i/n --format sarif\` wrote`,
    );
  }
  try {
    return { file, log: JSON.parse(text) as Sarif.Log };
  } catch (error) {
    throw new UsageError(`${file} is not valid JSON (${error instanceof Error ? error.message : String(error)}); pass SARIF files`);
  }
}

const LEVEL_SEVERITY: Record<string, Severity> = { error: 'high', warning: 'medium', note: 'low', none: 'info' };

/** The scan result a merged SARIF run describes, for the JSON and text formatters. */
export function scanResultFromSarif(run: Sarif.Run): ScanResult {
  const base = run.originalUriBaseIds?.SRCROOT?.uri;
  const root = base?.startsWith('file:') ? fileURLToPath(base) : process.cwd();
  const texts = new Map<string, SourceText | undefined>();
  const sourceOf = (relativePath: string): SourceText | undefined => {
    if (!texts.has(relativePath)) {
      let text: SourceText | undefined;
      try {
        text = new SourceText(fs.readFileSync(path.join(root, relativePath), 'utf8'));
      } catch {
        text = undefined;
      }
      texts.set(relativePath, text);
    }
    return texts.get(relativePath);
  };

  const byPath = new Map<string, FileResult>();
  const fileResult = (relativePath: string): FileResult => {
    let file = byPath.get(relativePath);
    if (!file) {
      file = { path: relativePath, language: languageOf(relativePath), findings: [], ruleFailures: [], notes: [], lines: 0 };
      byPath.set(relativePath, file);
    }
    return file;
  };
  for (const artifact of run.artifacts ?? []) if (artifact.location?.uri) fileResult(uriPath(artifact.location.uri));
  for (const result of run.results ?? []) {
    const finding = findingFromSarif(result, sourceOf);
    fileResult(finding.path).findings.push(finding);
  }

  const skipped: SkippedFile[] = [];
  for (const notification of run.invocations?.[0]?.toolExecutionNotifications ?? []) {
    const relativePath = uriPath(notification.locations?.[0]?.physicalLocation?.artifactLocation?.uri);
    const text = notification.message.text ?? '';
    if (notification.descriptor?.id === 'file-skipped') {
      skipped.push({ path: relativePath, reason: text.replace(/^Skipped .*?: /, '') });
    } else if (notification.descriptor?.id === 'rule-failure' && notification.associatedRule?.id) {
      const failure: RuleFailure = {
        ruleId: notification.associatedRule.id,
        path: relativePath,
        error: text.replace(/^Rule .*? failed on .*?: /, ''),
      };
      fileResult(relativePath).ruleFailures.push(failure);
    }
  }
  const files = [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { root, files, skipped, config: mergedConfig(root), durationMs: 0 };
}

function findingFromSarif(result: Sarif.Result, sourceOf: (relativePath: string) => SourceText | undefined): Finding {
  const physical = result.locations?.[0]?.physicalLocation;
  const relativePath = uriPath(physical?.artifactLocation?.uri);
  const region = physical?.region ?? {};
  const range = {
    start: { line: (region.startLine ?? 1) - 1, column: (region.startColumn ?? 1) - 1 },
    end: { line: (region.endLine ?? region.startLine ?? 1) - 1, column: (region.endColumn ?? region.startColumn ?? 1) - 1 },
  };
  const source = region.charOffset === undefined ? sourceOf(relativePath) : undefined;
  const span =
    region.charOffset !== undefined
      ? { start: region.charOffset, end: region.charOffset + (region.charLength ?? 0) }
      : source
        ? { start: source.offsetAt(range.start), end: source.offsetAt(range.end) }
        : { start: -1, end: -1 };
  const properties = (result.properties ?? {}) as Record<string, unknown>;
  const severity = SEVERITIES.includes(properties.severity as Severity)
    ? (properties.severity as Severity)
    : (LEVEL_SEVERITY[result.level ?? 'warning'] ?? 'medium');
  const suppression = result.suppressions?.[0];
  const finding: Finding = {
    ruleId: result.ruleId ?? result.rule?.id ?? '',
    message: result.message.text ?? '',
    severity,
    confidence: properties.confidence === 'high' || properties.confidence === 'low' ? properties.confidence : 'medium',
    path: relativePath,
    language: languageOf(relativePath),
    span,
    range,
    snippet: region.snippet?.text ?? physical?.contextRegion?.snippet?.text ?? '',
    fixes: (result.fixes ?? []).map((fix) => ({
      title: fix.description?.text ?? '',
      safety: (fix.properties as Record<string, unknown> | undefined)?.safety === 'safe' ? 'safe' : 'suggestion',
      edits: fix.artifactChanges.flatMap((change) =>
        change.replacements.map((replacement) => ({
          span: {
            start: replacement.deletedRegion.charOffset ?? 0,
            end: (replacement.deletedRegion.charOffset ?? 0) + (replacement.deletedRegion.charLength ?? 0),
          },
          newText: replacement.insertedContent?.text ?? '',
        })),
      ),
    })),
    ...(properties.testCode === true ? { testCode: true as const } : {}),
  };
  if (suppression) {
    const { until, reviewer, origin } = (suppression.properties ?? {}) as Record<string, unknown>;
    finding.suppression = {
      justification: suppression.justification ?? '',
      ...(typeof reviewer === 'string' ? { reviewer } : {}),
      ...(typeof until === 'string' ? { until } : {}),
      source: suppression.kind === 'inSource' ? 'in-source' : 'config',
      ...(typeof origin === 'string' ? { origin } : {}),
    };
  }
  if (typeof properties.fingerprint === 'string') finding.fingerprint = properties.fingerprint;
  if (result.baselineState === 'new' || result.baselineState === 'unchanged') finding.baselineState = result.baselineState;
  return finding;
}

function languageOf(relativePath: string): LanguageId {
  // Only shown in JSON; a path no detector knows is labelled as such rather than guessed.
  return detectLanguage(relativePath) ?? ('unknown' as LanguageId);
}

/** The merged logs name no config file to load; the formatters need only the root. */
function mergedConfig(root: string): ResolvedConfig {
  return {
    root,
    source: undefined,
    rulesFor: () => [],
    testCodeFor: () => ({ policy: 'report', by: 'excluded' }),
    enabledRules: () => [],
    ignore: [],
    maxFileSize: 0,
    fileBudgetMs: 0,
    raw: null,
    registry: builtinRegistry,
  };
}
