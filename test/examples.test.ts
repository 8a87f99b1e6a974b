/**
 * The README's first command scans examples/. Its EXPECTED.md lists every finding that scan must report,
 * file, line and rule: this keeps the bundled project, the rules and the document in step.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..');

it('a scan of examples/ reports exactly the findings EXPECTED.md lists', () => {
  const rows = fs
    .readFileSync(path.join(ROOT, 'examples', 'EXPECTED.md'), 'utf8')
    .split('\n')
    .filter((line) => /^\| \d+ \|/.test(line))
    .map((line) => line.split('|').map((cell) => cell.trim()))
    .map(([, , file, lines, ruleId]) => {
      const range = /\((\d+)–(\d+)\)/.exec(lines);
      const line = Number.parseInt(lines, 10);
      return { file, ruleId, from: range ? Number(range[1]) : line, to: range ? Number(range[2]) : line };
    });
  const run = spawnSync(
    process.execPath,
    [path.join(ROOT, 'bin', 'medsec.js'), 'scan', 'examples', '--format', 'json', '--fail-on', 'none'],
    { cwd: ROOT, encoding: 'utf8' },
  );
  expect(run.status).toBe(0);
  const findings = (JSON.parse(run.stdout) as { findings: { ruleId: string; path: string; line: number }[] }).findings.map((f) => ({
    ruleId: f.ruleId,
    file: f.path.replace(/^examples\//, ''),
    line: f.line,
  }));
  const unlisted = findings.filter(
    (f) => !rows.some((r) => r.ruleId === f.ruleId && r.file === f.file && f.line >= r.from && f.line <= r.to),
  );
  const missing = rows.filter(
    (r) => !findings.some((f) => r.ruleId === f.ruleId && r.file === f.file && f.line >= r.from && f.line <= r.to),
  );
  expect({ unlisted, missing }).toEqual({ unlisted: [], missing: [] });
  expect(findings).toHaveLength(rows.length);
}, 60_000);
