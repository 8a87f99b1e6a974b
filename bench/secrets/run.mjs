/**
 * The secrets bar: generates the labelled set (generate.mjs), scans it with the CLI under medsec:recommended,
 * and prints precision and recall per format family.
 *
 *   node bench/secrets/run.mjs [--seed N] [--scale N] [--holdout] [--keep DIR] [--labels DIR] [--details]
 *
 * `--holdout` scores the hold-out style (other syntaxes and names, see generate.mjs); `--labels DIR` scores an
 * existing labelled set.
 *
 * A positive label is found when a hardcoded-credential finding starts on its line (or within its line range).
 * A false positive is a finding on a negative label's line, or on no label at all (attributed to the family of
 * the format the finding names). Exit code 1 when a family misses the bar (precision >= 0.95, recall >= 0.90).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fileURLToPath } from 'url';
import { build } from 'esbuild';
import { generate } from './generate.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BAR = { precision: 0.95, recall: 0.9 };
const option = (flag, fallback) => {
  const i = process.argv.indexOf(flag);
  return i > 0 ? process.argv[i + 1] : fallback;
};

/** The provider table, to name the family of a finding that matches no label. */
async function loadFormats() {
  const out = path.join(os.tmpdir(), `medsec-formats-${process.pid}.cjs`);
  await build({
    entryPoints: [path.join(ROOT, 'rules/_shared/secrets/formats.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: out,
    logLevel: 'silent',
  });
  const module = await import(out);
  fs.rmSync(out);
  return [...module.PREFIX_FORMATS, ...module.SLOT_FORMATS];
}

function familyOfMessage(message, formats) {
  const provider = formats.filter((f) => message.includes(` ${f.provider}`)).sort((a, b) => b.provider.length - a.provider.length)[0];
  if (provider) return provider.family;
  if (/private key|key store|PKCS|key file/i.test(message)) return 'private-key';
  if (/URL|connection/i.test(message)) return 'connection-string';
  return 'generic';
}

async function main() {
  const dir =
    option('--labels', undefined) ?? option('--keep', undefined) ?? fs.mkdtempSync(path.join(os.tmpdir(), 'medsec-secrets-bench-'));
  const style = process.argv.includes('--holdout') ? 'holdout' : 'realistic';
  if (!option('--labels', undefined)) generate(dir, { seed: Number(option('--seed', 1)), scale: Number(option('--scale', 1)), style });
  const labels = JSON.parse(fs.readFileSync(path.join(dir, 'labels.json'), 'utf8'));
  const started = performance.now();
  const run = spawnSync(process.execPath, [path.join(ROOT, 'bin/medsec.js'), 'scan', dir, '--format', 'json', '--fail-on', 'none'], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  const seconds = (performance.now() - started) / 1000;
  if (run.status !== 0) throw new Error(`scan failed: ${run.stderr}`);
  const report = JSON.parse(run.stdout);
  const findings = report.findings.filter((f) => f.ruleId === 'hardcoded-credential');
  const formats = await loadFormats();

  const byFile = new Map();
  for (const label of labels) byFile.set(label.file, [...(byFile.get(label.file) ?? []), label]);
  const stats = {};
  const family = (name) => (stats[name] ??= { tp: 0, fn: 0, fp: 0, missed: [], falsePositives: [] });
  const matched = new Set();
  for (const finding of findings) {
    const candidates = (byFile.get(finding.path) ?? []).filter((l) => finding.line >= l.line && finding.line <= (l.endLine ?? l.line));
    const positive = candidates.find((l) => l.secret);
    if (positive) {
      matched.add(positive);
      continue;
    }
    const negative = candidates.find((l) => !l.secret);
    const name = negative ? negative.family : familyOfMessage(finding.message, formats);
    family(name).fp++;
    family(name).falsePositives.push(
      `${finding.path}:${finding.line} ${negative ? `[${negative.format}] ` : '[unlabelled] '}${finding.snippet.slice(0, 90)}`,
    );
  }
  for (const label of labels.filter((l) => l.secret)) {
    if (matched.has(label)) family(label.family).tp++;
    else {
      family(label.family).fn++;
      family(label.family).missed.push(`${label.file}:${label.line} [${label.format}]`);
    }
  }
  for (const label of labels.filter((l) => !l.secret)) family(label.family);

  const rows = Object.entries(stats)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, s]) => {
      const precision = s.tp + s.fp ? s.tp / (s.tp + s.fp) : 1;
      const recall = s.tp + s.fn ? s.tp / (s.tp + s.fn) : 1;
      const negatives = labels.filter((l) => !l.secret && l.family === name).length;
      return { name, ...s, negatives, precision, recall, ok: precision >= BAR.precision && recall >= BAR.recall };
    });
  console.log(
    `labelled set: ${dir} (${labels.length} values, ${labels.filter((l) => l.secret).length} secrets), scanned in ${seconds.toFixed(1)} s`,
  );
  console.log('| family | secrets | negatives | found | missed | false pos. | precision | recall | bar |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const r of rows)
    console.log(
      `| ${r.name} | ${r.tp + r.fn} | ${r.negatives} | ${r.tp} | ${r.fn} | ${r.fp} | ${r.precision.toFixed(3)} | ${r.recall.toFixed(3)} | ${r.ok ? 'ok' : 'MISSED'} |`,
    );
  const total = rows.reduce((acc, r) => ({ tp: acc.tp + r.tp, fn: acc.fn + r.fn, fp: acc.fp + r.fp }), { tp: 0, fn: 0, fp: 0 });
  console.log(
    `| all | ${total.tp + total.fn} | ${labels.filter((l) => !l.secret).length} | ${total.tp} | ${total.fn} | ${total.fp} | ${(total.tp / (total.tp + total.fp)).toFixed(3)} | ${(total.tp / (total.tp + total.fn)).toFixed(3)} | |`,
  );
  if (process.argv.includes('--details')) {
    for (const r of rows) {
      for (const m of r.missed) console.log(`missed ${r.name}: ${m}`);
      for (const f of r.falsePositives) console.log(`false positive ${r.name}: ${f}`);
    }
  }
  if (!option('--keep', undefined) && !option('--labels', undefined)) fs.rmSync(dir, { recursive: true, force: true });
  process.exitCode = rows.every((r) => r.ok) ? 0 : 1;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 2;
});
