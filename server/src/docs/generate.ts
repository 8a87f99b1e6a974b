/**
 * The generated documentation as a set of files, and the check/write pair behind `medsec docs`.
 * Paths are relative to the repository root with forward slashes.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Rule } from '../core/types';
import { renderReadmeRuleTable, renderRuleDoc, renderRuleIndex } from './render';

export const RULE_DOCS_DIR = 'docs/rules';
export const RULE_INDEX_PATH = 'docs/rules.md';
export const README_PATH = 'README.md';
export const README_START = '<!-- rules:start -->';
export const README_END = '<!-- rules:end -->';

export function ruleDocPath(id: string): string {
  return `${RULE_DOCS_DIR}/${id}.md`;
}

/** Every file the docs generator owns, except the README block (see `updateReadme`). */
export function generatedDocs(rules: readonly Rule[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const rule of rules) files.set(ruleDocPath(rule.meta.id), renderRuleDoc(rule));
  files.set(RULE_INDEX_PATH, renderRuleIndex(rules));
  return files;
}

/** The README with the text between the rules markers replaced by the current rule table. */
export function updateReadme(readmeText: string, rules: readonly Rule[]): string {
  const start = readmeText.indexOf(README_START);
  const end = readmeText.indexOf(README_END, start + README_START.length);
  if (start < 0 || end < 0) {
    throw new Error(`${README_PATH} has no ${README_START} … ${README_END} block for the rule table`);
  }
  const block = `${README_START}\n${renderReadmeRuleTable(rules)}\n${README_END}`;
  return readmeText.slice(0, start) + block + readmeText.slice(end + README_END.length);
}

export interface DocsDrift {
  path: string;
  problem: 'missing' | 'stale' | 'orphan' | 'no-markers';
}

function readIfExists(file: string): string | undefined {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
}

function absolute(root: string, relativePath: string): string {
  return path.join(root, relativePath);
}

/** Rule pages on disk that no current rule generates (a removed or renamed rule). */
function orphanRuleDocs(root: string, expected: Map<string, string>): string[] {
  const dir = absolute(root, RULE_DOCS_DIR);
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir)
    .filter((name) => name.endsWith('.md'))
    .map((name) => `${RULE_DOCS_DIR}/${name}`)
    .filter((relativePath) => !expected.has(relativePath))
    .sort();
}

/**
 * How the docs on disk differ from the generated ones; empty when current. A README that does not
 * exist yet is not checked; one without the markers is reported.
 */
export function checkDocs(root: string, rules: readonly Rule[]): DocsDrift[] {
  const expected = generatedDocs(rules);
  const drift: DocsDrift[] = [];
  for (const [relativePath, content] of expected) {
    const onDisk = readIfExists(absolute(root, relativePath));
    if (onDisk === undefined) drift.push({ path: relativePath, problem: 'missing' });
    else if (onDisk !== content) drift.push({ path: relativePath, problem: 'stale' });
  }
  for (const orphan of orphanRuleDocs(root, expected)) drift.push({ path: orphan, problem: 'orphan' });
  const readme = readIfExists(absolute(root, README_PATH));
  if (readme !== undefined) {
    if (!readme.includes(README_START) || !readme.includes(README_END)) {
      drift.push({ path: README_PATH, problem: 'no-markers' });
    } else if (updateReadme(readme, rules) !== readme) {
      drift.push({ path: README_PATH, problem: 'stale' });
    }
  }
  return drift;
}

/** Brings the docs on disk up to date; returns the paths it wrote or removed. */
export function writeDocs(root: string, rules: readonly Rule[]): string[] {
  const changed: string[] = [];
  const expected = generatedDocs(rules);
  for (const [relativePath, content] of expected) {
    const file = absolute(root, relativePath);
    if (readIfExists(file) === content) continue;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
    changed.push(relativePath);
  }
  for (const orphan of orphanRuleDocs(root, expected)) {
    fs.unlinkSync(absolute(root, orphan));
    changed.push(orphan);
  }
  const readmeFile = absolute(root, README_PATH);
  const readme = readIfExists(readmeFile);
  if (readme !== undefined) {
    const updated = updateReadme(readme, rules);
    if (updated !== readme) {
      fs.writeFileSync(readmeFile, updated);
      changed.push(README_PATH);
    }
  }
  return changed;
}
