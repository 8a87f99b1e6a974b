#!/usr/bin/env node
// Real-code evaluation (issue 10 item 7): scans the pinned public device codebases of repos.json with the
// built CLI under medsec:recommended and medsec:strict, and compares the findings with the triage verdicts
// in triage/<owner>+<name>.json: precision per rule and per codebase, true findings lost since the triage,
// and new findings still to triage. See README.md beside this file.
//
//   node bench/realcode/run.mjs [--repo owner/name[,owner/name…]]… [--rules rule[,rule…]]
//                               [--preset recommended|strict] [--json] [--time]
//                               [--write-untriaged FILE|DIR] [--context N] [--check] [--stale] [--prune-stale]
//                               [--cli PATH] [--jobs N] [--timeout SECONDS]
//
// No network: a checkout is materialised from a local git mirror (the snapshot the fetch tool brought into
// /work/.mirror, or a folder listed in $MEDSEC_REALCODE_MIRRORS); a codebase without one is skipped with a
// note saying how to get it. --rules scans with those rules only and compares only their verdicts (the output
// says so). Exit 0 unless --check is given and a true finding was lost (then 1); 2 on a usage error or a
// broken repos.json / triage file.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_MIRRORS, findMirror, materialise, slug } from '../git-mirror.mjs';
import { pruneTriageFile } from './triage-prune.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const medsecRoot = path.resolve(here, '..', '..');
const CHECKOUTS = path.join(here, '.checkouts');
const OUT = path.join(here, '.out');
const TRIAGE = path.join(here, 'triage');
const PRESETS = ['recommended', 'strict'];
const VERDICTS = ['true', 'false', 'debatable'];
/** Extensions of the source languages medsec parses (design §2), for the line counts only. */
const SOURCE_EXTENSIONS = {
  'C/C++': ['.c', '.h', '.cpp', '.cc', '.cxx', '.hpp', '.hh', '.ino'],
  Python: ['.py'],
  'Java/Kotlin': ['.java', '.kt', '.kts'],
  'JS/TS': ['.js', '.jsx', '.mjs', '.cjs', '.ts', '.tsx'],
};

/** Words never worth looking up as declarations in the untriaged dump. */
const KEYWORDS = new Set(
  (
    'if else for while do return sizeof const static final val var let new this self true false null nullptr NULL ' +
    'char int long short unsigned signed void auto bool byte float double String uint8_t uint16_t uint32_t int8_t int16_t int32_t size_t ' +
    'public private protected fun def class struct case break switch not and or in is None True False await async'
  ).split(' '),
);

// ---------------------------------------------------------------------------------------------- options
let options;
try {
  ({ values: options } = parseArgs({
    options: {
      repo: { type: 'string', multiple: true },
      rules: { type: 'string' },
      preset: { type: 'string' },
      json: { type: 'boolean', default: false },
      time: { type: 'boolean', default: false },
      'write-untriaged': { type: 'string' },
      context: { type: 'string', default: '8' },
      check: { type: 'boolean', default: false },
      stale: { type: 'boolean', default: false },
      'prune-stale': { type: 'boolean', default: false },
      cli: { type: 'string', default: path.join(medsecRoot, 'bin', 'medsec.js') },
      jobs: { type: 'string' },
      timeout: { type: 'string', default: '1800' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }));
} catch (error) {
  usage(error.message);
}
if (options.help) {
  process.stdout.write(
    readFileSync(fileURLToPath(import.meta.url), 'utf8')
      .split('\n')
      .slice(1, 17)
      .map((line) => line.replace(/^\/\/ ?/, ''))
      .join('\n') + '\n',
  );
  process.exit(0);
}
if (options.preset && !PRESETS.includes(options.preset)) usage(`--preset must be one of ${PRESETS.join(', ')}`);
const presets = options.preset ? [options.preset] : PRESETS;
// A verdict one preset does not report may be another's (a strict rule, test code): stale means no preset matches it.
if ((options.stale || options['prune-stale']) && presets.length < PRESETS.length)
  usage('--stale and --prune-stale need every preset (a verdict one preset does not report may be reported by another)');
/**
 * Whether a preset's test-code policy leaves out findings in test code that are not live secrets
 * (`live-secrets`): a true finding such a preset does not report is a known miss of its policy, not a loss,
 * when the strict preset (policy `evidence`: test code like any other code, except the credential rules' findings
 * without live evidence, which it leaves out too) reports it in test code.
 */
const PRESET_DROPS_TEST_CODE = { recommended: true, strict: false };

const contextLines = Number(options.context);
if (!Number.isInteger(contextLines) || contextLines < 0) usage('--context takes a whole number of lines');
const timeoutMs = Number(options.timeout) * 1000;
if (!(timeoutMs > 0)) usage('--timeout takes a number of seconds');
if (options.jobs !== undefined && !/^\d+$/.test(options.jobs)) usage('--jobs takes a whole number');
const cli = path.resolve(options.cli);
if (!existsSync(cli)) usage(`no medsec CLI at ${cli}; run \`npm ci\` (or \`npm run build\`) in ${medsecRoot}, or pass --cli`);

let cacheFlag;
/** Whether the CLI under test has a result cache (builds before it do not know --no-cache). */
function cliHasCache() {
  cacheFlag ??= spawnSync(process.execPath, [cli, 'scan', '--help'], { encoding: 'utf8' }).stdout.includes('--no-cache');
  return cacheFlag;
}

function usage(message) {
  process.stderr.write(`run.mjs: ${message}\n`);
  process.exit(2);
}

// -------------------------------------------------------------------------------------------- the list
const repos = loadRepos();
const selected = selectRepos(repos, options.repo);

/** The codebases named by --repo (repeatable, or a comma list), in repos.json's order; every one without it. */
function selectRepos(list, values) {
  if (!values) return list;
  const wanted = new Set(
    values
      .flatMap((value) => value.split(','))
      .map((name) => name.trim())
      .filter(Boolean),
  );
  const unknown = [...wanted].filter((name) => !list.some((entry) => entry.repo === name));
  if (unknown.length || wanted.size === 0)
    usage(`--repo ${unknown.join(', ') || '(empty)'} is not in repos.json (${list.map((entry) => entry.repo).join(', ')})`);
  return list.filter((entry) => wanted.has(entry.repo));
}

function loadRepos() {
  const file = path.join(here, 'repos.json');
  let list;
  try {
    list = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    usage(`cannot read ${file}: ${error.message}`);
  }
  if (!Array.isArray(list)) usage(`${file}: expected an array of codebases`);
  const seen = new Set();
  list.forEach((entry, index) => {
    const where = `${file} [${index}]`;
    if (typeof entry.repo !== 'string' || !/^[\w.-]+\/[\w.-]+$/.test(entry.repo)) usage(`${where}: "repo" must be "owner/name"`);
    if (seen.has(entry.repo)) usage(`${where}: ${entry.repo} is listed twice`);
    seen.add(entry.repo);
    if (typeof entry.commit !== 'string' || !/^[0-9a-f]{40}$/.test(entry.commit)) usage(`${where}: "commit" must be 40 hex digits`);
    for (const key of ['kind', 'why'])
      if (typeof entry[key] !== 'string' || !entry[key]) usage(`${where}: "${key}" must be a non-empty string`);
    if (!Array.isArray(entry.languages)) usage(`${where}: "languages" must be an array`);
    if (entry.exclude !== undefined) {
      if (!Array.isArray(entry.exclude) || entry.exclude.some((glob) => typeof glob !== 'string'))
        usage(`${where}: "exclude" must be an array of globs`);
      if (entry.exclude.length > 0 && (typeof entry.excludeWhy !== 'string' || !entry.excludeWhy))
        usage(`${where}: "exclude" needs an "excludeWhy" saying why`);
    }
  });
  return list;
}

// ---------------------------------------------------------------------------------------------- triage
/** The triage entries of one codebase, checked; an absent file is an empty triage. */
/**
 * The verdicts of one codebase: `triage/<owner>+<name>.json`, plus any `triage/<owner>+<name>.<topic>.json`
 * (verdicts added by a later piece of work, kept in their own file so parallel work does not collide).
 */
function loadTriage(repo) {
  const base = slug(repo);
  const files = existsSync(TRIAGE)
    ? readdirSync(TRIAGE)
        .filter((name) => name === `${base}.json` || (name.startsWith(`${base}.`) && name.endsWith('.json')))
        .sort()
    : [];
  return files.flatMap((name) => loadTriageFile(path.join(TRIAGE, name)));
}

/** Where each verdict was read: its file and its index there (to prune it). */
const placeOf = new Map();

function loadTriageFile(file) {
  let entries;
  try {
    entries = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    usage(`cannot read ${file}: ${error.message}`);
  }
  if (!Array.isArray(entries)) usage(`${file}: expected an array of verdicts`);
  const seen = new Set();
  // A stub pasted from an untriaged dump and not decided yet ("verdict": "") is left out, not an error.
  const isPending = (entry) => entry && typeof entry === 'object' && entry.verdict === '';
  const pending = entries.filter(isPending).length;
  if (pending)
    progress(`${path.relative(process.cwd(), file)}: ${pending} entr${pending === 1 ? 'y' : 'ies'} without a verdict yet (left out)`);
  entries.forEach((entry, index) => {
    if (isPending(entry)) return;
    if (entry && typeof entry === 'object') placeOf.set(entry, { file, index });
    const where = `${path.relative(process.cwd(), file)} [${index}]`;
    if (!entry || typeof entry !== 'object') usage(`${where}: expected an object`);
    if (typeof entry.fingerprint !== 'string' || !/^[0-9a-f]{16}:\d+$/.test(entry.fingerprint))
      usage(`${where}: "fingerprint" must be the finding's fingerprint from the JSON output (16 hex digits, ':', occurrence)`);
    if (typeof entry.rule !== 'string' || !entry.rule) usage(`${where}: "rule" must be the rule id`);
    if (typeof entry.path !== 'string' || !entry.path) usage(`${where}: "path" must be the finding's path`);
    if (!VERDICTS.includes(entry.verdict))
      usage(`${where}: "verdict" must be one of ${VERDICTS.join(', ')} (got ${JSON.stringify(entry.verdict)})`);
    if (typeof entry.reason !== 'string' || entry.reason.trim().length < 3) usage(`${where}: "reason" must say in one line why`);
    if (entry.testCode !== undefined && typeof entry.testCode !== 'boolean') usage(`${where}: "testCode" must be true or false`);
    const key = `${entry.path}\0${entry.fingerprint}`;
    if (seen.has(key)) usage(`${where}: ${entry.path} ${entry.fingerprint} is triaged twice`);
    seen.add(key);
  });
  return entries.filter((entry) => !isPending(entry));
}

/**
 * Finds the verdict of a finding: the entry with its fingerprint and path, else an entry with its
 * fingerprint elsewhere (a moved file, or the same code in the same surroundings in another file: the
 * fingerprint holds the rule, the line and two lines on each side, never the path).
 */
function verdictFinder(entries) {
  const byFingerprint = new Map();
  for (const entry of entries) {
    const list = byFingerprint.get(entry.fingerprint) ?? [];
    list.push(entry);
    byFingerprint.set(entry.fingerprint, list);
  }
  return (finding) => {
    const list = byFingerprint.get(finding.fingerprint);
    if (!list) return undefined;
    return list.find((entry) => entry.path === finding.path) ?? list[0];
  };
}

// ------------------------------------------------------------------------------------------- checkouts
/**
 * The checkout of a codebase at its pinned commit, materialised from a mirror when absent or at another
 * commit; `{ error }` when no mirror has the commit.
 */
function ensureCheckout(entry) {
  const dir = path.join(CHECKOUTS, slug(entry.repo));
  const stamp = `${dir}.commit`;
  const missingList = `${dir}.missing`;
  if (existsSync(dir) && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === entry.commit) {
    return { dir, missing: existsSync(missingList) ? readFileSync(missingList, 'utf8').split('\n').filter(Boolean) : [] };
  }
  const gitDir = findMirror(entry.repo, entry.commit);
  if (!gitDir) {
    return {
      error:
        `no checkout at ${path.relative(process.cwd(), dir)} and no mirror with commit ${entry.commit.slice(0, 12)} ` +
        `(looked in $MEDSEC_REALCODE_MIRRORS and ${DEFAULT_MIRRORS}). Get it with: git clone --bare https://github.com/${entry.repo} ` +
        `<mirrors>/${slug(entry.repo)} and set MEDSEC_REALCODE_MIRRORS=<mirrors>`,
    };
  }
  mkdirSync(CHECKOUTS, { recursive: true });
  let missing;
  try {
    missing = materialise(gitDir, entry.commit, dir);
  } catch (error) {
    return { error: `cannot materialise ${entry.commit.slice(0, 12)} from ${gitDir}: ${error.message}` };
  }
  writeFileSync(missingList, missing.map((file) => `${file}\n`).join(''));
  writeFileSync(stamp, `${entry.commit}\n`);
  return { dir, materialised: gitDir, missing };
}

/** gitignore-style glob (no slash: any folder; `**`: any folders) to a RegExp over a relative path. */
function globToRegExp(glob) {
  let source = '';
  const anchored = glob.replace(/\/$/, '').includes('/');
  const body = glob.replace(/^\//, '').replace(/\/$/, '');
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '*' && body[i + 1] === '*') {
      source += body[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += body[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`${anchored ? '^' : '(?:^|/)'}${source}(?:/.*)?$`);
}

/** Files and lines per language group in a checkout: files with a source extension, minus the excludes. */
function countLines(dir, exclude) {
  const excluded = (exclude ?? []).map(globToRegExp);
  const byGroup = {};
  const groupOf = new Map(Object.entries(SOURCE_EXTENSIONS).flatMap(([group, extensions]) => extensions.map((ext) => [ext, group])));
  const walk = (folder, relative) => {
    for (const item of readdirSync(folder, { withFileTypes: true })) {
      const rel = relative ? `${relative}/${item.name}` : item.name;
      if (item.name === '.git' || item.name === 'node_modules' || excluded.some((re) => re.test(rel))) continue;
      const absolute = path.join(folder, item.name);
      if (item.isDirectory()) walk(absolute, rel);
      else if (item.isFile()) {
        const group = groupOf.get(path.extname(item.name).toLowerCase());
        if (!group || statSync(absolute).size > 2_000_000) continue;
        const text = readFileSync(absolute, 'latin1');
        const lines = text.length === 0 ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
        const slot = (byGroup[group] ??= { files: 0, lines: 0 });
        slot.files++;
        slot.lines += lines;
      }
    }
  };
  walk(dir, '');
  const total = Object.values(byGroup).reduce((sum, slot) => sum + slot.lines, 0);
  return { total, byGroup };
}

// --------------------------------------------------------------------------------------------- scanning
const configDir = path.join(OUT, 'configs');

/**
 * Scans a checkout with one preset. The generated config lives in .out/configs, outside the checkout, and
 * the CLI runs with the checkout as its working folder, so the scan root is the checkout (the CLI takes the
 * config's folder as root only when it contains the scanned path) and `exclude` globs are relative to it.
 */
function scanCheckout(entry, dir, preset) {
  mkdirSync(configDir, { recursive: true });
  // A filtered scan keeps its own files: the last whole strict scan kept tells test code for later runs.
  const name = `${slug(entry.repo)}.${preset}${ruleFilter ? '.filtered' : ''}.json`;
  const config = path.join(configDir, name);
  writeFileSync(
    config,
    `${JSON.stringify(
      { extends: [`medsec:${preset}`], ...(entry.exclude?.length ? { ignore: entry.exclude } : {}), ...filteredRuleSettings() },
      null,
      2,
    )}\n`,
  );
  const output = path.join(OUT, 'scans', name);
  mkdirSync(path.dirname(output), { recursive: true });
  rmSync(output, { force: true });
  const args = [cli, 'scan', '.', '--format', 'json', '--output', output, '--config', config, '--fail-on', 'none'];
  if (options.jobs !== undefined) args.push('--jobs', options.jobs);
  // Every scan checks every file: the times compare builds, and the checkouts sit in a git working tree.
  if (cliHasCache()) args.push('--no-cache');
  const start = performance.now();
  const run = spawnSync(process.execPath, args, { cwd: dir, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  const wallMs = Math.round(performance.now() - start);
  const scan = { preset, wallMs, exitCode: run.status, output };
  if (run.error?.code === 'ETIMEDOUT' || (run.status === null && run.signal)) {
    return { ...scan, error: run.error?.code === 'ETIMEDOUT' ? `timed out after ${options.timeout} s` : `killed by ${run.signal}` };
  }
  if (run.status !== 0 && run.status !== 1) {
    return { ...scan, error: `exit ${run.status}: ${(run.stderr || run.stdout || '').trim().split('\n').slice(-3).join(' / ')}` };
  }
  let report;
  try {
    report = JSON.parse(readFileSync(output, 'utf8'));
  } catch (error) {
    return { ...scan, error: `unreadable JSON output (${error.message})` };
  }
  const findings = report.findings.filter((finding) => !finding.suppression && ruleCompared(finding.ruleId));
  const missing = findings.filter((finding) => !finding.fingerprint).length;
  return {
    ...scan,
    report,
    findings,
    cliDurationMs: report.summary.durationMs,
    filesScanned: report.summary.filesScanned,
    ...(missing ? { error: `${missing} findings carry no fingerprint; the CLI at ${cli} is too old for this harness` } : {}),
  };
}

// ------------------------------------------------------------------------------------------ the catalog
/** Rule ids per preset, from `medsec rules --format json` of the CLI under test. */
function presetRuleIds() {
  const run = spawnSync(process.execPath, [cli, 'rules', '--format', 'json'], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (run.status !== 0) usage(`\`medsec rules --format json\` failed: ${run.stderr.trim()}`);
  const parsed = JSON.parse(run.stdout);
  const rules = Array.isArray(parsed) ? parsed : parsed.rules;
  const ids = { recommended: new Set(), strict: new Set(), all: new Set(), catalogue: [], canonical: new Map() };
  for (const rule of rules) {
    ids.all.add(rule.id);
    ids.catalogue.push(rule.id);
    ids.canonical.set(rule.id, rule.id);
    for (const alias of rule.aliases ?? []) {
      ids.all.add(alias);
      ids.canonical.set(alias, rule.id);
    }
    if (rule.presets.includes('recommended')) ids.recommended.add(rule.id);
    if (rule.presets.includes('recommended') || rule.presets.includes('strict')) ids.strict.add(rule.id);
  }
  return ids;
}

function medsecIdentity() {
  const version = spawnSync(process.execPath, [cli, '--version'], { encoding: 'utf8' }).stdout.trim();
  const cliRoot = path.resolve(path.dirname(cli), '..');
  const head = spawnSync('git', ['-C', cliRoot, 'rev-parse', 'HEAD'], { encoding: 'utf8' });
  const dirty = spawnSync('git', ['-C', cliRoot, 'status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' });
  return {
    version,
    commit: head.status === 0 ? head.stdout.trim() : null,
    dirty: dirty.status === 0 && dirty.stdout.trim().length > 0,
    cli,
  };
}

// ------------------------------------------------------------------------------------------ rule filter
const ruleIds = presetRuleIds();
/** The rules --rules keeps (rule ids; an alias counts as its rule), or undefined: every rule of the preset runs. */
const ruleFilter = options.rules === undefined ? undefined : parseRuleFilter(options.rules);
/** Whether a verdict or finding of this rule is compared in this run. */
const ruleCompared = (rule) => !ruleFilter || ruleFilter.has(ruleIds.canonical.get(rule) ?? rule);

function parseRuleFilter(value) {
  const names = value
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (names.length === 0) usage('--rules takes rule ids, comma-separated');
  const unknown = names.filter((name) => !ruleIds.canonical.has(name));
  if (unknown.length) usage(`--rules: no rule ${unknown.join(', ')} in the CLI under test (see \`medsec rules\`)`);
  return new Set(names.map((name) => ruleIds.canonical.get(name)));
}

/**
 * The rule settings of a filtered run: every other rule of the catalogue off. The CLI has no rule selection of
 * its own; turning rules off in the generated config keeps the preset's settings (severity, options, test-code
 * policy) for the rules that do run.
 */
function filteredRuleSettings() {
  if (!ruleFilter) return {};
  return { rules: Object.fromEntries(ruleIds.catalogue.filter((id) => !ruleFilter.has(id)).map((id) => [id, 'off'])) };
}

// -------------------------------------------------------------------------------------------------- run
const identity = medsecIdentity();
const results = [];
for (const entry of selected) {
  const triage = loadTriage(entry.repo).filter((verdict) => ruleCompared(verdict.rule));
  const checkout = ensureCheckout(entry);
  const result = {
    repo: entry.repo,
    commit: entry.commit,
    kind: entry.kind,
    languages: entry.languages,
    triaged: triage.length,
    scans: {},
  };
  results.push(result);
  if (checkout.error) {
    result.skipped = checkout.error;
    progress(`skip ${entry.repo}: ${checkout.error}`);
    continue;
  }
  result.checkout = checkout.dir;
  if (checkout.materialised) progress(`materialised ${entry.repo} at ${entry.commit.slice(0, 12)} from ${checkout.materialised}`);
  const sourceExtensions = new Set(Object.values(SOURCE_EXTENSIONS).flat());
  result.missingFiles = checkout.missing.length;
  result.missingSources = checkout.missing.filter((file) => sourceExtensions.has(path.extname(file).toLowerCase()));
  result.lines = countLines(checkout.dir, entry.exclude);
  const find = verdictFinder(triage);
  const matched = new Map(); // preset -> Set of matched entries
  for (const preset of presets) {
    progress(`scan ${entry.repo} (${preset})`);
    const scan = scanCheckout(entry, checkout.dir, preset);
    const summary = { wallMs: scan.wallMs, exitCode: scan.exitCode };
    result.scans[preset] = summary;
    if (scan.error) {
      summary.error = scan.error;
      progress(`  ${entry.repo} (${preset}): ${scan.error}`);
      if (!scan.findings) continue;
    }
    Object.assign(summary, {
      cliDurationMs: scan.cliDurationMs,
      filesScanned: scan.filesScanned,
      skippedFiles: groupSkipped(scan.report.skipped),
      ruleFailures: scan.report.ruleFailures,
      notes: groupNotes(scan.report.notes),
    });
    const used = new Set();
    summary.findings = scan.findings.map((finding) => {
      const verdictEntry = find(finding);
      if (verdictEntry) used.add(verdictEntry);
      return { finding, verdict: verdictEntry?.verdict ?? 'untriaged', entry: verdictEntry };
    });
    matched.set(preset, used);
  }
  if (options.stale || options['prune-stale']) result.stale = staleVerdicts(result, triage, presets.length === matched.size);
  // Entries no scan matched: true ones are lost (when their rule is in the preset), the others are gone.
  const inTestCode = testCodeEntries(entry, result, find);
  for (const preset of presets) {
    const used = matched.get(preset);
    if (!used) continue;
    const scan = result.scans[preset];
    scan.lost = [];
    scan.outsidePreset = 0;
    scan.testCodePolicy = [];
    scan.gone = { false: 0, debatable: 0 };
    for (const triageEntry of triage) {
      if (used.has(triageEntry)) continue;
      if (triageEntry.verdict === 'true') {
        if (!ruleIds[preset].has(triageEntry.rule) && ruleIds.all.has(triageEntry.rule)) scan.outsidePreset++;
        else if (PRESET_DROPS_TEST_CODE[preset] && inTestCode.has(triageEntry)) scan.testCodePolicy.push(triageEntry);
        else scan.lost.push(triageEntry);
      } else if (!ruleIds[preset].has(triageEntry.rule) && ruleIds.all.has(triageEntry.rule)) continue;
      // A verdict the preset does not report by design (a rule outside it, test code its policy leaves out) is not gone.
      else if (!(PRESET_DROPS_TEST_CODE[preset] && inTestCode.has(triageEntry))) scan.gone[triageEntry.verdict]++;
    }
  }
}

/**
 * The verdicts whose fingerprint no scan of any preset reports, in any file (a verdict another entry of the
 * same fingerprint shadows is not stale); undefined when a scan failed, since then nothing can be told.
 */
function staleVerdicts(result, triage, everyPresetScanned) {
  if (!everyPresetScanned || Object.values(result.scans).some((scan) => scan.error)) return undefined;
  const reported = new Set(Object.values(result.scans).flatMap((scan) => scan.findings.map(({ finding }) => finding.fingerprint)));
  return triage.filter((entry) => !reported.has(entry.fingerprint));
}

/**
 * Removes the stale false and debatable verdicts from their triage files. A stale true verdict stays: it is a
 * finding lost, and must stay loud. Returns the number pruned per file.
 */
function pruneStale() {
  const byFile = new Map();
  for (const result of results)
    for (const entry of result.stale ?? []) {
      if (entry.verdict === 'true') continue;
      const { file, index } = placeOf.get(entry);
      byFile.set(file, [...(byFile.get(file) ?? []), { index, entry }]);
    }
  const pruned = {};
  for (const [file, items] of [...byFile].sort(([a], [b]) => a.localeCompare(b)))
    pruned[path.relative(medsecRoot, file)] = pruneTriageFile(
      file,
      items.map(({ index }) => index),
      items.map(({ entry }) => entry),
    );
  return pruned;
}

/**
 * The triage entries the strict preset reports in test code: from this run's strict scan, else from the
 * last strict scan kept in .out/scans (none: every unmatched true entry counts as lost).
 */
function testCodeEntries(entry, result, find) {
  let findings = result.scans.strict?.findings?.map(({ finding }) => finding);
  if (!findings) {
    try {
      const saved = JSON.parse(readFileSync(path.join(OUT, 'scans', `${slug(entry.repo)}.strict.json`), 'utf8'));
      findings = saved.findings.filter((finding) => !finding.suppression);
    } catch {
      findings = [];
    }
  }
  return new Set(
    findings
      .filter((finding) => finding.testCode === true)
      .map(find)
      .filter(Boolean),
  );
}

function progress(message) {
  if (!options.json) process.stderr.write(`${message}\n`);
}

function groupSkipped(skipped) {
  const counts = {};
  for (const item of skipped) {
    const reason = item.reason.replace(/\d[\d,.]*\s*(bytes|KB|MB|kB)/g, 'N $1');
    counts[reason] = (counts[reason] ?? 0) + 1;
  }
  return counts;
}

function groupNotes(notes) {
  const counts = {};
  for (const note of notes) {
    // "syntax errors: findings come from …", "syntax error at 1:7 ('>' expected.); only …" → one key per kind
    const message = note.message
      .replace(/\s*\([^)]*\)/g, '')
      .replace(/\d+:\d+/g, 'L:C')
      .split(/[;:]\s/)[0]
      .trim();
    counts[message] = (counts[message] ?? 0) + 1;
  }
  return counts;
}

// ------------------------------------------------------------------------------------------- tallies
const emptyTally = () => ({ findings: 0, true: 0, false: 0, debatable: 0, untriaged: 0 });
const precisionOf = (tally) => (tally.true + tally.false > 0 ? tally.true / (tally.true + tally.false) : null);
const withPrecision = (tally) => ({ ...tally, precision: precisionOf(tally) });

/**
 * A finding the preset's test-code policy lowered (in test code, reported at `low`): it does not fail a build
 * and says it is test code, so it is counted apart from the findings reported at their severity.
 */
const isLowered = (finding) => finding.testCode === true && finding.severity === 'low';

function tallies(preset) {
  const byRule = {};
  const byRepo = {};
  const overall = emptyTally();
  const loweredByRule = {};
  const lowered = emptyTally();
  for (const result of results) {
    const scan = result.scans[preset];
    if (!scan?.findings) continue;
    const repoTally = (byRepo[result.repo] = emptyTally());
    for (const { finding, verdict } of scan.findings) {
      const counted = isLowered(finding)
        ? [(loweredByRule[finding.ruleId] ??= emptyTally()), lowered]
        : [(byRule[finding.ruleId] ??= emptyTally()), repoTally, overall];
      for (const tally of counted) {
        tally.findings++;
        tally[verdict]++;
      }
    }
  }
  const map = (object) =>
    Object.fromEntries(
      Object.entries(object)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, tally]) => [key, withPrecision(tally)]),
    );
  return {
    byRule: map(byRule),
    byRepo: map(byRepo),
    overall: withPrecision(overall),
    testCodeLowered: { byRule: map(loweredByRule), overall: withPrecision(lowered) },
  };
}

/** Untriaged findings of a codebase over the presets run, one per (path, fingerprint), with the presets that report it. */
function untriagedOf(result) {
  const byKey = new Map();
  for (const preset of presets) {
    for (const { finding, verdict } of result.scans[preset]?.findings ?? []) {
      if (verdict !== 'untriaged') continue;
      const key = `${finding.path}\0${finding.fingerprint}`;
      const item = byKey.get(key) ?? { finding, presets: [] };
      item.presets.push(preset);
      byKey.set(key, item);
    }
  }
  return [...byKey.values()].sort(
    (a, b) =>
      a.finding.ruleId.localeCompare(b.finding.ruleId) ||
      a.finding.path.localeCompare(b.finding.path) ||
      a.finding.line - b.finding.line ||
      a.finding.column - b.finding.column,
  );
}

const summary = {
  medsec: identity,
  presets,
  // Only in a filtered run: the rules that ran; verdicts of the others were not compared.
  ...(ruleFilter ? { rules: [...ruleFilter].sort() } : {}),
  repos: results.map((result) => ({
    repo: result.repo,
    commit: result.commit,
    kind: result.kind,
    languages: result.languages,
    ...(result.skipped ? { skipped: result.skipped } : {}),
    ...(result.checkout ? { checkout: result.checkout } : {}),
    ...(result.lines ? { lines: result.lines } : {}),
    ...(result.missingFiles ? { missingFiles: result.missingFiles, missingSources: result.missingSources } : {}),
    triaged: result.triaged,
    untriaged: result.checkout ? untriagedOf(result).length : null,
    ...(options.stale || options['prune-stale']
      ? {
          stale:
            result.stale?.map(({ fingerprint, rule, path: file, line, verdict, reason }) => ({
              fingerprint,
              rule,
              path: file,
              line,
              verdict,
              reason,
            })) ?? null,
        }
      : {}),
    scans: Object.fromEntries(
      Object.entries(result.scans).map(([preset, scan]) => {
        const { findings, lost, ...rest } = scan;
        const byRule = {};
        for (const { finding, verdict } of findings ?? []) {
          const tally = (byRule[finding.ruleId] ??= emptyTally());
          tally.findings++;
          tally[verdict]++;
        }
        return [
          preset,
          {
            ...rest,
            ...(findings ? { findings: findings.length, byRule } : {}),
            ...(lost
              ? { lost: lost.map(({ fingerprint, rule, path: file, line, reason }) => ({ fingerprint, rule, path: file, line, reason })) }
              : {}),
          },
        ];
      }),
    ),
  })),
  results: Object.fromEntries(presets.map((preset) => [preset, tallies(preset)])),
};
const lostCount = results.reduce(
  (sum, result) => sum + presets.reduce((inner, preset) => inner + (result.scans[preset]?.lost?.length ?? 0), 0),
  0,
);

// --------------------------------------------------------------------------------------------- output
if (options['prune-stale']) summary.pruned = pruneStale();
if (options['write-untriaged']) writeUntriaged(path.resolve(options['write-untriaged']));

if (options.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
else printText();

process.exit(options.check && lostCount > 0 ? 1 : 0);

function printText() {
  const out = [];
  const pct = (value) => (value === null ? '   —' : value.toFixed(2));
  const row = (name, tally, width) =>
    `${name.padEnd(width)} ${String(tally.findings).padStart(8)} ${String(tally.true).padStart(5)} ${String(tally.false).padStart(5)} ${String(tally.debatable).padStart(5)} ${String(tally.untriaged).padStart(9)} ${pct(tally.precision).padStart(9)}`;
  const header = (name, width) =>
    `${name.padEnd(width)} ${'findings'.padStart(8)} ${'true'.padStart(5)} ${'false'.padStart(5)} ${'deb.'.padStart(5)} ${'untriaged'.padStart(9)} ${'precision'.padStart(9)}`;
  const medsec = `medsec ${identity.version}${identity.commit ? ` at ${identity.commit.slice(0, 12)}${identity.dirty ? ' (uncommitted changes)' : ''}` : ''}`;
  out.push(`Real-code evaluation: ${medsec}, ${results.length} codebase(s), preset(s) ${presets.join(', ')}`);
  if (ruleFilter)
    out.push(
      `filtered run: only rule(s) ${summary.rules.join(', ')} ran and only their verdicts are compared; nothing is claimed for the other rules`,
    );
  // In a filtered run every claim about lost findings is scoped to the rules that ran.
  const scope = (preset) => (ruleFilter ? `${preset}; rules ${summary.rules.join(', ')} only` : preset);
  for (const result of results) if (result.skipped) out.push(`  skipped ${result.repo}: ${result.skipped}`);
  for (const preset of presets) {
    const { byRule, byRepo, overall, testCodeLowered } = summary.results[preset];
    out.push('', `== medsec:${preset} ==`);
    const ruleWidth = Math.max(30, ...Object.keys(byRule).map((key) => key.length));
    out.push(header('per rule', ruleWidth));
    for (const [rule, tally] of Object.entries(byRule)) out.push(row(rule, tally, ruleWidth));
    out.push(row('all rules', overall, ruleWidth));
    const repoWidth = Math.max(30, ...Object.keys(byRepo).map((key) => key.length));
    out.push('', header('per codebase', repoWidth));
    for (const [repo, tally] of Object.entries(byRepo)) out.push(row(repo, tally, repoWidth));
    const triaged = overall.true + overall.false;
    out.push(
      '',
      `overall precision (${preset}): ${pct(overall.precision)} over ${triaged} triaged (${overall.true} true, ${overall.false} false); ${overall.debatable} debatable, ${overall.untriaged} untriaged`,
    );
    if (testCodeLowered.overall.findings) {
      out.push('', header('test code, lowered to low (not above)', ruleWidth));
      for (const [rule, tally] of Object.entries(testCodeLowered.byRule)) out.push(row(rule, tally, ruleWidth));
      out.push(row('all rules', testCodeLowered.overall, ruleWidth));
    }
    const lost = results.flatMap((result) => (result.scans[preset]?.lost ?? []).map((entry) => ({ repo: result.repo, entry })));
    if (lost.length === 0) out.push(`true findings lost since the triage (${scope(preset)}): none`);
    else {
      out.push(`true findings lost since the triage (${scope(preset)}): ${lost.length}`);
      for (const { repo, entry } of lost)
        out.push(`  ${repo} ${entry.path}:${entry.line} ${entry.rule} ${entry.fingerprint} (${entry.reason})`);
    }
    const outside = results.reduce((sum, result) => sum + (result.scans[preset]?.outsidePreset ?? 0), 0);
    if (outside) out.push(`true findings of rules outside ${preset} (not counted as lost): ${outside}`);
    const policy = results.flatMap((result) => (result.scans[preset]?.testCodePolicy ?? []).map((entry) => ({ repo: result.repo, entry })));
    if (policy.length) {
      out.push(`true findings in test code that ${preset}'s test-code policy leaves out (misses, not counted as lost): ${policy.length}`);
      for (const { repo, entry } of policy) out.push(`  ${repo} ${entry.path}:${entry.line} ${entry.rule} (${entry.reason})`);
    }
    const goneFalse = results.reduce((sum, result) => sum + (result.scans[preset]?.gone?.false ?? 0), 0);
    const goneDebatable = results.reduce((sum, result) => sum + (result.scans[preset]?.gone?.debatable ?? 0), 0);
    if (goneFalse || goneDebatable)
      out.push(`triaged false / debatable findings no longer reported (${scope(preset)}): ${goneFalse} / ${goneDebatable}`);
  }
  out.push('', 'new findings still to triage (over the presets run):');
  for (const entry of summary.repos)
    if (entry.untriaged !== null) out.push(`  ${entry.repo.padEnd(60)} ${String(entry.untriaged).padStart(5)}`);
  const totalUntriaged = summary.repos.reduce((sum, entry) => sum + (entry.untriaged ?? 0), 0);
  out.push(
    `  ${'total'.padEnd(60)} ${String(totalUntriaged).padStart(5)}${totalUntriaged && !options['write-untriaged'] ? '  (--write-untriaged DIR writes them out for triage)' : ''}`,
  );
  if (options.stale || options['prune-stale']) out.push('', ...staleLines());
  const odd = [];
  for (const entry of summary.repos) {
    if (entry.missingFiles) {
      const sources = entry.missingSources.length
        ? `, ${entry.missingSources.length} of them source files: ${entry.missingSources.slice(0, 3).join(', ')}`
        : ', none of them source files';
      odd.push(`  ${entry.repo}: ${entry.missingFiles} file(s) absent from the mirror (large files a snapshot leaves out${sources})`);
    }
    for (const [preset, scan] of Object.entries(entry.scans)) {
      if (scan.error) odd.push(`  ${entry.repo} (${preset}): ${scan.error}`);
      if (scan.ruleFailures?.length)
        odd.push(
          `  ${entry.repo} (${preset}): ${scan.ruleFailures.length} rule failure(s): ${scan.ruleFailures
            .slice(0, 3)
            .map((failure) => `${failure.ruleId} on ${failure.path}`)
            .join(', ')}`,
        );
      for (const [note, count] of Object.entries(scan.notes ?? {})) odd.push(`  ${entry.repo} (${preset}): ${count} × ${note}`);
      for (const [reason, count] of Object.entries(scan.skippedFiles ?? {}))
        if (!/^no enabled rule/.test(reason)) odd.push(`  ${entry.repo} (${preset}): ${count} file(s) skipped: ${reason}`);
    }
  }
  if (odd.length) out.push('', 'scan errors, notes and skipped files:', ...odd);
  if (options.time) {
    out.push('', 'scan times (wall clock of the CLI process; "cli" is the scan time the CLI reports):');
    out.push(
      `${'codebase'.padEnd(60)} ${'lines'.padStart(8)} ${'files'.padStart(6)} ${presets.map((preset) => `${preset.padStart(12)} ${'cli'.padStart(7)}`).join(' ')}`,
    );
    const totals = Object.fromEntries(presets.map((preset) => [preset, { wall: 0, cli: 0 }]));
    for (const entry of summary.repos) {
      if (!entry.lines) continue;
      const files = entry.scans[presets[0]]?.filesScanned ?? '';
      const cells = presets.map((preset) => {
        const scan = entry.scans[preset];
        if (!scan) return `${''.padStart(12)} ${''.padStart(7)}`;
        totals[preset].wall += scan.wallMs;
        totals[preset].cli += scan.cliDurationMs ?? 0;
        return `${(scan.wallMs / 1000).toFixed(2).padStart(11)}s ${(((scan.cliDurationMs ?? 0) / 1000).toFixed(2) + 's').padStart(7)}`;
      });
      out.push(`${entry.repo.padEnd(60)} ${String(entry.lines.total).padStart(8)} ${String(files).padStart(6)} ${cells.join(' ')}`);
    }
    const lines = summary.repos.reduce((sum, entry) => sum + (entry.lines?.total ?? 0), 0);
    out.push(
      `${'total'.padEnd(60)} ${String(lines).padStart(8)} ${''.padStart(6)} ${presets.map((preset) => `${(totals[preset].wall / 1000).toFixed(2).padStart(11)}s ${((totals[preset].cli / 1000).toFixed(2) + 's').padStart(7)}`).join(' ')}`,
    );
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

/**
 * Stale verdicts per codebase (no scan of any preset reports their fingerprint), each listed; a stale true
 * verdict is a lost finding and says so; with --prune-stale, what was pruned.
 */
function staleLines() {
  const out = [
    `stale verdicts (no finding of ${presets.join(' or ')} has their fingerprint)${ruleFilter ? `, rules ${summary.rules.join(', ')} only` : ''}:`,
  ];
  const totals = { true: 0, false: 0, debatable: 0 };
  for (const entry of summary.repos) {
    if (entry.stale === null) {
      out.push(`  ${entry.repo}: not told (${entry.skipped ? 'skipped' : 'a scan failed'})`);
      continue;
    }
    if (entry.stale.length === 0) continue;
    const counts = { true: 0, false: 0, debatable: 0 };
    for (const verdict of entry.stale) counts[verdict.verdict]++;
    for (const key of VERDICTS) totals[key] += counts[key];
    out.push(`  ${entry.repo}: ${counts.true} true, ${counts.false} false, ${counts.debatable} debatable`);
    for (const verdict of entry.stale)
      out.push(
        `    ${verdict.verdict === 'true' ? 'TRUE (a lost finding, kept)' : verdict.verdict} ${verdict.path}:${verdict.line} ${verdict.rule} ${verdict.fingerprint}`,
      );
  }
  out.push(`  total: ${totals.true} true, ${totals.false} false, ${totals.debatable} debatable`);
  if (summary.pruned) {
    const files = Object.entries(summary.pruned);
    const count = files.reduce((sum, [, n]) => sum + n, 0);
    out.push(`pruned ${count} stale false / debatable verdict(s) from ${files.length} triage file(s); stale true verdicts are kept`);
    for (const [file, n] of files) out.push(`  ${file}: ${n}`);
  }
  return out;
}

/**
 * Writes the untriaged findings for triagers. FILE ending in .md: one file for every codebase; otherwise a
 * folder with <owner>+<name>.md (readable, with context) and <owner>+<name>.json (verdict stubs to fill in
 * and append to triage/<owner>+<name>.json) per codebase.
 */
function writeUntriaged(target) {
  const single = target.endsWith('.md');
  const sections = [];
  if (!single) mkdirSync(target, { recursive: true });
  for (const result of results) {
    if (!result.checkout) continue;
    const items = untriagedOf(result);
    const markdown = untriagedMarkdown(result, items);
    if (single) sections.push(markdown);
    else {
      writeFileSync(path.join(target, `${slug(result.repo)}.md`), markdown);
      const stubs = items.map(({ finding }) => ({
        fingerprint: finding.fingerprint,
        rule: finding.ruleId,
        path: finding.path,
        line: finding.line,
        verdict: '',
        reason: '',
      }));
      writeFileSync(
        path.join(target, `${slug(result.repo)}.json`),
        `${stubs.length ? `[\n${stubs.map((stub) => `  ${JSON.stringify(stub)}`).join(',\n')}\n]` : '[]'}\n`,
      );
    }
  }
  if (single) {
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, sections.join('\n\n'));
  }
  progress(`untriaged findings written to ${target}`);
}

function untriagedMarkdown(result, items) {
  const lines = [];
  const triageFile = path.relative(medsecRoot, path.join(TRIAGE, `${slug(result.repo)}.json`));
  lines.push(`# Untriaged: ${result.repo} @ ${result.commit.slice(0, 12)} (${items.length} finding${items.length === 1 ? '' : 's'})`, '');
  lines.push(`- kind: ${result.kind}`);
  lines.push(`- checkout: ${result.checkout}`);
  lines.push(
    `- medsec: ${identity.version}${identity.commit ? ` at ${identity.commit.slice(0, 12)}` : ''}; presets: ${presets.join(', ')}`,
  );
  lines.push(
    `- triage file: ${triageFile}: append one entry per finding (the JSON line under it, with "verdict" true/false/debatable and a one-line "reason"); see bench/realcode/README.md`,
  );
  const perRule = {};
  for (const { finding } of items) perRule[finding.ruleId] = (perRule[finding.ruleId] ?? 0) + 1;
  lines.push(
    `- per rule: ${
      Object.entries(perRule)
        .map(([rule, count]) => `${rule} ${count}`)
        .join(', ') || 'none'
    }`,
    '',
  );
  const fileCache = new Map();
  const fileLines = (relative) => {
    if (!fileCache.has(relative)) {
      try {
        fileCache.set(relative, readFileSync(path.join(result.checkout, relative), 'utf8').split(/\r?\n|\r/));
      } catch {
        fileCache.set(relative, null);
      }
    }
    return fileCache.get(relative);
  };
  items.forEach(({ finding, presets: reportedBy }, index) => {
    lines.push(`## ${index + 1}. ${finding.ruleId} · ${finding.path}:${finding.line}`, '');
    lines.push(
      `- ${finding.severity} / confidence ${finding.confidence}; ${finding.language}; reported by ${reportedBy.join(', ')}; fingerprint ${finding.fingerprint}`,
    );
    lines.push(`- open: ${path.join(result.checkout, finding.path)}:${finding.line}:${finding.column}`);
    if (finding.docsUrl) lines.push(`- rule docs: ${finding.docsUrl}`);
    lines.push(`- message: ${finding.message.replace(/\s*\n\s*/g, ' ')}`);
    lines.push(`- snippet (as reported, secrets masked): \`${finding.snippet.replace(/`/g, "'")}\``);
    const text = fileLines(finding.path);
    const enclosing = text ? enclosingLine(text, finding.line - 1, contextLines) : undefined;
    if (enclosing) lines.push(`- in (nearest enclosing definition above, by indentation): line ${enclosing.line}: \`${enclosing.text}\``);
    const declarations = text ? declarationHints(result.checkout, finding, text, fileLines) : [];
    if (declarations.length) {
      lines.push('- possible declarations of names on the line (text search in this file and the headers beside it; may miss or mislead):');
      for (const hint of declarations) lines.push(`  - ${hint}`);
    }
    lines.push('');
    if (text) {
      const from = Math.max(0, finding.line - 1 - contextLines);
      const lastMarked = Math.min(finding.endLine - 1, finding.line - 1 + 12); // a finding over a whole block: its first lines
      const to = Math.min(text.length - 1, lastMarked + contextLines);
      const width = String(to + 1).length;
      lines.push('```');
      for (let i = from; i <= to; i++) {
        const mark = i >= finding.line - 1 && i <= lastMarked ? '>' : ' ';
        const content = text[i].length > 240 ? `${text[i].slice(0, 240)} …[${text[i].length} chars]` : text[i];
        lines.push(`${mark}${String(i + 1).padStart(width)}| ${content.replace(/```/g, "'''")}`);
      }
      lines.push('```');
    } else lines.push('(file not readable in the checkout)');
    lines.push(
      '',
      `    ${JSON.stringify({ fingerprint: finding.fingerprint, rule: finding.ruleId, path: finding.path, line: finding.line, verdict: '', reason: '' })}`,
      '',
    );
  });
  return `${lines.join('\n')}\n`;
}

/**
 * Lines that may declare the names used on a finding's line (a `#define`, an array with its size, a
 * constant or variable initialised in place), from the file itself and a header of the same name beside it:
 * the size of a buffer or the value behind a constant is what a triager most often has to look up.
 */
function declarationHints(checkout, finding, text, fileLines) {
  const line = text[finding.line - 1] ?? '';
  const code = line.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
  const names = [
    ...new Set(
      [...code.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)]
        .filter((match) => !/^\s*\(/.test(code.slice(match.index + match[0].length))) // not the called function
        .map((match) => match[0]),
    ),
  ]
    .filter((name) => name.length >= 3 && !KEYWORDS.has(name))
    .slice(0, 8);
  if (names.length === 0) return [];
  const files = [finding.path];
  const stem = finding.path.replace(/\.[^./]+$/, '');
  for (const ext of ['.h', '.hpp', '.hh'])
    if (`${stem}${ext}` !== finding.path && existsSync(path.join(checkout, `${stem}${ext}`))) files.push(`${stem}${ext}`);
  if (/\.(c|cc|cpp|cxx|ino|h|hpp|hh)$/.test(finding.path)) {
    // Other headers of the same folder, when it has few (a small firmware keeps its config structs there).
    const folder = path.posix.dirname(finding.path);
    const headers = readdirSync(path.join(checkout, folder))
      .filter((name) => /\.(h|hpp|hh)$/.test(name))
      .map((name) => (folder === '.' ? name : `${folder}/${name}`));
    if (headers.length <= 40) for (const header of headers) if (!files.includes(header)) files.push(header);
  }
  const hints = [];
  for (const name of names) {
    const patterns = [
      new RegExp(`^\\s*#\\s*define\\s+${name}\\b`),
      new RegExp(
        `^\\s*(?:(?:static|const|unsigned|signed|volatile|extern|struct|private|public|protected)\\s+)*(?!return\\b|else\\b)[A-Za-z_][\\w:<>]*\\s+\\**${name}\\s*\\[[^\\]]*\\]\\s*(?:[;=,)]|$)`,
      ),
      new RegExp(`\\b(?:const|static|final|val|var|let|auto|char|String|byte)\\b[^;(]*?\\b${name}\\s*(?::[^=]*)?=(?!=)`),
    ];
    let found = 0;
    for (const file of files) {
      const fileText = file === finding.path ? text : fileLines(file);
      if (!fileText) continue;
      // In the finding's own file the nearest declaration above it first (a local buffer), then the rest.
      const order =
        file === finding.path
          ? [
              ...Array.from({ length: finding.line - 1 }, (_, k) => finding.line - 2 - k),
              ...Array.from({ length: Math.max(0, fileText.length - finding.endLine) }, (_, k) => finding.endLine + k),
            ]
          : fileText.keys();
      for (const i of order) {
        if (found >= 2) break;
        if (fileText[i].length > 400 || !patterns.some((pattern) => pattern.test(fileText[i]))) continue;
        hints.push(`${file}:${i + 1}: \`${fileText[i].trim().replace(/`/g, "'").slice(0, 200)}\``);
        found++;
      }
    }
    if (hints.length >= 6) break;
  }
  return hints.slice(0, 6);
}

/**
 * The nearest line above the context window that looks like the start of the enclosing function, method or
 * class (less indented than the finding, with a parameter list or a block opener), so a triager knows
 * where the finding sits when the context lines do not show it. A guess from the text, not a parse.
 */
function enclosingLine(text, index, contextLines) {
  const indent = (value) => value.match(/^\s*/)[0].replace(/\t/g, '    ').length;
  let level = indent(text[index]);
  for (let i = index - 1; i >= 0 && index - i <= 400; i--) {
    const value = text[i];
    if (!value.trim() || /^\s*(\/\/|\*|\/\*|#(?!\s*define))/.test(value)) continue;
    const here = indent(value);
    if (here >= level) continue;
    level = here;
    const looksLikeHeader =
      (/^\s*(?:[\w@]+\s+)*(?:def|fun|function|class|object|struct|interface|enum)\b/.test(value) ||
        /\)\s*(?::\s*[\w<>?,.[\] ]+)?\s*(?:throws\s+[\w., ]+)?\s*(?:\{|:|=>|->|=)?\s*$/.test(value)) &&
      !/^\s*(?:\}\s*)?(if|else|for|while|do|switch|case|catch|try|return|when|synchronized)\b/.test(value);
    if (looksLikeHeader) {
      let start = i;
      // `) {` closing a parameter list written over several lines: the signature starts higher, at the same indentation.
      if (/^\s*\)/.test(value))
        while (start > 0 && index - start <= 400 && !(indent(text[start - 1]) === here && text[start - 1].trim())) start--;
      if (start !== i && start > 0) start--;
      return start < index - contextLines ? { line: start + 1, text: text[start].trim().slice(0, 200).replace(/`/g, "'") } : undefined;
    }
    if (here === 0) return undefined;
  }
  return undefined;
}
