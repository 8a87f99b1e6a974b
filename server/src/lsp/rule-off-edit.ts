/**
 * "Turn off <rule> for this file / this folder": the `suppressions` entry it adds to the `.medsec.json` that
 * governs the file. A rule turned off for paths is a suppression like a comment: it carries the user's
 * justification (judged by the same policy), and its findings stay in every output and in the evidence
 * report's suppression register. The edit keeps the file's comments and layout (jsonc-parser's `modify`).
 */
import { applyEdits, modify, parse, type ParseError } from 'jsonc-parser';
import * as path from 'path';
import type { RuleOffScope } from '../../../shared/protocol';

export interface RuleOffEntry {
  rules: string[];
  paths: string[];
  justification: string;
}

/**
 * The glob of a `suppressions` entry for `file`, relative to the folder of the configuration: anchored with
 * a leading `/` (a bare name would match that name in every folder), and `folder/` for a folder (everything
 * below it). The configuration's own folder is `**`.
 */
export function ruleOffGlob(configFolder: string, file: string, scope: RuleOffScope): string {
  const target = scope === 'file' ? file : path.dirname(file);
  const relative = path.relative(configFolder, target).split(path.sep).join('/');
  if (relative.startsWith('..') || path.isAbsolute(relative)) throw new Error(`${file} is not below ${configFolder}`);
  if (scope === 'file') return `/${relative}`;
  return relative === '' ? '**' : `/${relative}/`;
}

/**
 * The configuration text with `entry` appended to `suppressions`, or a new configuration holding it (with
 * the preset the folder used so far, so creating the file changes nothing else). Throws when the existing
 * text is not a JSON object: the user's file is never overwritten.
 */
export function withRuleOff(text: string | undefined, entry: RuleOffEntry, preset: string): string {
  const formattingOptions = { insertSpaces: true, tabSize: 2, eol: '\n' };
  if (text === undefined || text.trim() === '') {
    return `${JSON.stringify({ extends: [preset], suppressions: [entry] }, null, 2)}\n`;
  }
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { allowTrailingComma: true });
  if (errors.length > 0 || !value || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error('the configuration does not parse as a JSON object; fix it first');
  }
  const existing = (value as { suppressions?: unknown }).suppressions;
  const at = Array.isArray(existing) ? ['suppressions', -1] : ['suppressions'];
  const inserted = Array.isArray(existing) ? entry : [entry];
  return applyEdits(text, modify(text, at, inserted, { formattingOptions, isArrayInsertion: true }));
}
