/**
 * The SARIF for the bundled example project passes Microsoft's SARIF validator, including GitHub's
 * ingestion rules (`--rule-kind "Sarif;Gh"`), and the SARIF 2.1.0 JSON schema that ships with it.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Ajv2020 from 'ajv/dist/2020';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtinRules } from '../rules/index';
import { loadConfig } from '../server/src/core/config';
import { scan } from '../server/src/core/scan';
import type { Rule } from '../server/src/core/types';
import { applyBaseline } from '../server/src/cli/commands/scan-ci';
import { buildSarif } from '../server/src/cli/format/sarif';
import { BUILTIN } from './helpers/registry';

const ROOT = path.resolve(__dirname, '..');
const EXAMPLES = path.join(ROOT, 'examples');
const PACKAGE = path.join(ROOT, 'node_modules', '@microsoft', 'sarif-multitool-linux');
const MULTITOOL = path.join(PACKAGE, 'Sarif.Multitool');

interface ValidatorResult {
  ruleId: string;
  level?: string;
  message: { text?: string; id?: string; arguments?: string[] };
}

let tmp = '';
let log: unknown;

/** Runs the validator binary directly (the npm shim would split "Sarif;Gh" through a shell). */
function validate(file: string): ValidatorResult[] {
  const output = path.join(tmp, `${path.basename(file)}.validation.sarif`);
  const run = spawnSync(MULTITOOL, ['validate', '--rule-kind', 'Sarif;Gh', '--log', 'ForceOverwrite', '--output', output, file], {
    encoding: 'utf8',
    // A .NET single-file app: without libicu it needs invariant globalization to start.
    env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1', DOTNET_CLI_TELEMETRY_OPTOUT: '1' },
    timeout: 120_000,
  });
  if (run.error) throw run.error;
  expect(run.stdout, run.stderr).toMatch(/Analysis completed successfully/);
  const validation = JSON.parse(fs.readFileSync(output, 'utf8')) as { runs: { results?: ValidatorResult[] }[] };
  return validation.runs[0].results ?? [];
}

/** SARIF's default level is warning; the validator writes notes with an explicit level. */
const problems = (results: ValidatorResult[]) =>
  results.filter((result) => (result.level ?? 'warning') === 'error' || (result.level ?? 'warning') === 'warning');

beforeAll(async () => {
  fs.chmodSync(MULTITOOL, fs.statSync(MULTITOOL).mode | 0o100); // npm leaves it without its run bit
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'medsec-sarif-'));
  const config = loadConfig(EXAMPLES, undefined, BUILTIN);
  const result = await scan({ root: EXAMPLES, paths: [EXAMPLES], config });
  applyBaseline(result, undefined, [EXAMPLES]);
  const rulesById = new Map<string, Rule>(builtinRules.map((rule) => [rule.meta.id, rule]));
  log = buildSarif(result, { toolVersion: '0.1.0', enabledRules: config.enabledRules(), rulesById });
  fs.writeFileSync(path.join(tmp, 'examples.sarif'), `${JSON.stringify(log, null, 2)}\n`);
  return () => fs.rmSync(tmp, { recursive: true, force: true });
}, 120_000);

describe('SARIF for examples/', () => {
  it('has findings to validate', () => {
    const run = (log as { runs: { results: unknown[] }[] }).runs[0];
    expect(run.results.length).toBeGreaterThan(5);
  });

  it('passes the SARIF validator with no errors or warnings, GitHub rules included', () => {
    const found = problems(validate(path.join(tmp, 'examples.sarif')));
    expect(found.map((result) => `${result.ruleId}: ${JSON.stringify(result.message)}`)).toEqual([]);
  }, 120_000);

  it('passes with suppressions, baseline states and a fix in the log too', async () => {
    const project = path.join(tmp, 'project');
    fs.mkdirSync(path.join(project, 'src'), { recursive: true });
    const source = [
      '#include <string.h>',
      '// medsec-ignore-next-line hardcoded-credential -- factory test fixture, never built into release (reviewed-by: A. Jones) (until 2099-12-31)',
      'static const char *bench_password = "Zq9fakeSECRET4711";',
      'static const char *wifi_password = "Ab7fakeSECRET0815";',
      'static const char *mqtt_password = "Cd5fakeSECRET2323";',
      '',
    ].join('\n');
    fs.writeFileSync(path.join(project, 'src', 'main.c'), source);
    fs.writeFileSync(path.join(project, 'src', 'keys.c'), 'static const char *api_token = "tok-Ef3fakeSECRET4545";\n');
    fs.writeFileSync(
      path.join(project, '.medsec.json'),
      JSON.stringify({
        suppressions: [
          {
            rules: ['hardcoded-credential'],
            paths: ['src/keys.c'],
            justification: 'emulator token, revoked on the server side',
            reviewedBy: 'R. Patel',
            until: '2099-01-31',
          },
        ],
      }),
    );
    const config = loadConfig(project, undefined, BUILTIN);
    const result = await scan({ root: project, paths: [project], config });
    applyBaseline(result, undefined, [project]);
    result.files[0].findings.forEach((finding, index) => {
      if (!finding.suppression) finding.baselineState = index % 2 ? 'new' : 'unchanged';
    });
    const rulesById = new Map<string, Rule>(builtinRules.map((rule) => [rule.meta.id, rule]));
    const small = buildSarif(result, { toolVersion: '0.1.0', enabledRules: config.enabledRules(), rulesById });
    const suppressions = (small.runs[0].results ?? []).flatMap((r) => r.suppressions ?? []);
    expect(suppressions).toEqual([
      {
        kind: 'external',
        status: 'accepted',
        justification: 'emulator token, revoked on the server side',
        properties: { reviewer: 'R. Patel', until: '2099-01-31', expires: '2099-01-31', origin: '.medsec.json suppressions[0]' },
      },
      {
        kind: 'inSource',
        status: 'accepted',
        justification: 'factory test fixture, never built into release',
        properties: { reviewer: 'A. Jones', until: '2099-12-31', expires: '2099-12-31' },
      },
    ]);
    const file = path.join(tmp, 'suppressions.sarif');
    fs.writeFileSync(file, JSON.stringify(small, null, 2));
    expect(problems(validate(file)).map((r) => `${r.ruleId}: ${JSON.stringify(r.message)}`)).toEqual([]);
  }, 120_000);

  it('the validator does apply the GitHub rules (a result without locations fails GH1015)', () => {
    const broken = JSON.parse(JSON.stringify(log)) as { runs: { results: { locations?: unknown }[] }[] };
    delete broken.runs[0].results[0].locations;
    const file = path.join(tmp, 'broken.sarif');
    fs.writeFileSync(file, JSON.stringify(broken));
    const ids = problems(validate(file)).map((result) => result.ruleId);
    expect(ids).toContain('GH1015');
  }, 120_000);

  it('matches the SARIF 2.1.0 JSON schema shipped with the validator', () => {
    const schema = JSON.parse(fs.readFileSync(path.join(PACKAGE, 'sarif-2.1.0.json'), 'utf8'));
    const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
    const check = ajv.compile(schema);
    const ok = check(log);
    expect(ok ? [] : check.errors?.slice(0, 10)).toEqual([]);
  });
});
