#!/usr/bin/env node
/**
 * The GitHub Action's entry (action.yml): reads the inputs the runner passes as INPUT_* variables, runs
 * `medsec scan` from this checkout (no network), writes the `exit-code` and `sarif-file` step outputs, and
 * exits with medsec's exit code. When SARIF is wanted for code scanning and the log shows another format,
 * the SARIF run comes first and never fails, so that the exit code is the one of the run the user reads.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const MEDSEC = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'medsec.js');

/** The action's inputs, read the way the runner passes them (unset and empty mean the default). */
export function readInputs(env) {
  const input = (name, fallback) => (env[`INPUT_${name}`] ?? '').trim() || fallback;
  return {
    paths: input('PATHS', '.').split(/\s+/),
    failOn: input('FAIL_ON', 'high'),
    baseline: input('BASELINE', ''),
    config: input('CONFIG', ''),
    format: input('FORMAT', 'text'),
    output: input('OUTPUT', ''),
    uploadSarif: input('UPLOAD_SARIF', 'false').toLowerCase() === 'true',
    sarifFile: input('SARIF_FILE', 'medsec.sarif'),
  };
}

/** The `medsec scan` runs the inputs ask for, in order; the last one's exit code is the action's. */
export function scanRuns(inputs) {
  const common = [...inputs.paths];
  if (inputs.baseline) common.push('--baseline', inputs.baseline);
  if (inputs.config) common.push('--config', inputs.config);
  const main = ['scan', ...common, '--format', inputs.format, '--fail-on', inputs.failOn];
  const mainOutput = inputs.output || (inputs.format === 'sarif' && inputs.uploadSarif ? inputs.sarifFile : '');
  if (mainOutput) main.push('--output', mainOutput);
  const runs = [];
  if (inputs.uploadSarif && inputs.format !== 'sarif') {
    runs.push(['scan', ...common, '--format', 'sarif', '--output', inputs.sarifFile, '--fail-on', 'none']);
  }
  runs.push(main);
  return { runs, sarifFile: inputs.format === 'sarif' ? mainOutput : inputs.uploadSarif ? inputs.sarifFile : '' };
}

function main() {
  const { runs, sarifFile } = scanRuns(readInputs(process.env));
  let status = 0;
  for (const args of runs) {
    console.log(`medsec ${args.join(' ')}`);
    const run = spawnSync(process.execPath, [MEDSEC, ...args], { stdio: 'inherit' });
    status = run.status ?? 1;
    // A usage or configuration error (2) makes the second run pointless: it would fail the same way.
    if (status >= 2) break;
  }
  const outputs = [`exit-code=${status}`, `sarif-file=${status < 2 && sarifFile ? resolve(sarifFile) : ''}`];
  if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, `${outputs.join('\n')}\n`);
  process.exit(status);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
