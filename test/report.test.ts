/**
 * The FDA evidence report (`scan --format markdown|html`): its structure on examples/, the suppression
 * register (reviewer, expiry), escaping, and a real Chromium render of the HTML (counts visible, no
 * network, prints to PDF). The screenshot and PDF land in test-results/report/ for a human to look at.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinRules } from '../rules/index';
import { loadConfig } from '../server/src/core/config';
import { scan } from '../server/src/core/scan';
import { SEVERITIES, type Rule, type ScanResult } from '../server/src/core/types';
import { collectInventory } from '../server/src/inventory/collect';
import type { Inventory } from '../server/src/inventory/types';
import { escapeHtml, escapeMarkdown, markdownCode } from '../server/src/report/escape';
import { ruleCategories } from '../server/src/report/categories';
import { CONTROLS } from '../server/src/report/coverage';
import { buildEvidenceReport, canonicalJson, configHash, ruleCategory, type ReportMetadata } from '../server/src/report/evidence';
import { formatHtmlReport } from '../server/src/report/html';
import { html, joinHtml, trustedMarkup } from '../server/src/report/html-template';
import { formatMarkdownReport } from '../server/src/report/markdown';
import { BUILTIN } from './helpers/registry';

const ROOT = path.resolve(__dirname, '..');
const EXAMPLES = path.join(ROOT, 'examples');
const OUT = path.join(ROOT, 'test-results', 'report');
const DATE = new Date('2025-01-15T12:00:00Z');
const rulesById = new Map<string, Rule>(builtinRules.map((rule) => [rule.meta.id, rule]));

async function scanFolder(root: string): Promise<ScanResult> {
  return scan({ root, paths: [root], config: loadConfig(root, undefined, BUILTIN), workers: 1 });
}

function meta(inventory?: Inventory): ReportMetadata {
  return { tool: { name: 'medsec', version: '9.9.9' }, date: DATE, rulesById, inventory, command: 'medsec scan examples --format html' };
}

/** Expected open count per Appendix 1 letter (every letter a finding's rule maps to), computed independently of the report code. */
function expectedCategoryCounts(result: ScanResult): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const finding of result.files.flatMap((file) => file.findings)) {
    if (finding.suppression || finding.baselineState === 'unchanged') continue;
    const letters = new Set(rulesById.get(finding.ruleId)!.meta.fda.flatMap((k) => /^app1\.([A-H])(\.\d+)?$/.exec(k)?.[1] ?? []));
    for (const letter of letters.size ? letters : ['other']) counts[letter] = (counts[letter] ?? 0) + 1;
  }
  return counts;
}

const openFindings = (result: ScanResult) =>
  result.files.flatMap((file) => file.findings).filter((finding) => !finding.suppression && finding.baselineState !== 'unchanged').length;

let examples: ScanResult;
let examplesInventory: Inventory;
let suppressed: { dir: string; result: ScanResult };

beforeAll(async () => {
  examples = await scanFolder(EXAMPLES);
  examplesInventory = await collectInventory(examples);
  // A copy of a small project with an active (reviewed) suppression, an expired one and a hostile snippet.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medsec-report-'));
  fs.mkdirSync(path.join(dir, 'src'));
  fs.writeFileSync(
    path.join(dir, 'src', 'bench.c'),
    [
      '// medsec-ignore-next-line hardcoded-credential -- bench-only fixture, never built into release (reviewed-by: J. Doe) (until 2099-12-31)',
      'static const char *bench_password = "Bench#Rig-2024";',
      '// medsec-ignore-next-line hardcoded-credential -- lab key, rotate before release (until 2020-01-31)',
      'static const char *lab_password = "Lab#Rig-2019x";',
      '#define UPDATE_URL "http://updates.infusafe-medical.com/fw.bin?x=<script>alert(1)</script>"',
      '',
    ].join('\n'),
  );
  suppressed = { dir, result: await scanFolder(dir) };
}, 60_000);

afterAll(() => {
  if (suppressed?.dir) fs.rmSync(suppressed.dir, { recursive: true, force: true });
});

describe('evidence model', () => {
  it('lists a rule in full under the category of its first Appendix 1 key, and in every category it names', () => {
    expect(ruleCategory(['V.C', 'app1.C.2', 'app1.A.5'])).toBe('app1.C');
    expect(ruleCategories(['V.C', 'app1.C.2', 'app1.A.5', 'app1.C.1'])).toEqual(['app1.C', 'app1.A']);
    expect(ruleCategory(['V.C', '524b.b2'])).toBe('other');
  });

  it('hashes the canonical JSON of the configuration (key order does not matter)', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"e":0,"f":1}]},"b":1}');
    expect(configHash({ a: 1, b: 2 })).toBe(configHash({ b: 2, a: 1 }));
    expect(configHash({ a: 1 })).toMatch(/^[0-9a-f]{64}$/);
  });

  it('counts examples/ per category the way the rules map them', () => {
    const report = buildEvidenceReport(examples, meta());
    const expected = expectedCategoryCounts(examples);
    for (const section of report.categories) {
      const open = SEVERITIES.reduce((sum, s) => sum + section.open[s], 0);
      expect(open, section.key).toBe(expected[section.key === 'other' ? 'other' : section.letter] ?? 0);
    }
    expect(report.totals.openTotal).toBe(openFindings(examples)); // each finding once, whatever its categories
    // Every enabled rule is listed, and every category says which rules checked it.
    expect(report.rules.map((rule) => rule.id).sort()).toEqual(
      examples.config
        .enabledRules()
        .map((e) => e.rule.meta.id)
        .sort(),
    );
    expect(report.categories.find((s) => s.key === 'app1.A')!.rules).toContain('hardcoded-credential');
    expect(report.categories.find((s) => s.key === 'app1.H')!.rules).toEqual(['unsigned-firmware-update']);
  });
});

describe('Markdown report', () => {
  it('has the tool, settings, scope, categories, register, inventory and rules for examples/', () => {
    const text = formatMarkdownReport(examples, meta(examplesInventory));
    fs.mkdirSync(OUT, { recursive: true });
    fs.writeFileSync(path.join(OUT, 'evidence-report.md'), text);
    const headings = text.split('\n').filter((line) => /^#{1,3} /.test(line));
    expect(headings.slice(0, 9)).toEqual([
      '# Static analysis evidence report',
      '## How to read this report',
      '## Tool and settings',
      '## Scope',
      '### Rule set',
      '## Control coverage',
      '## Summary by category and severity',
      '## Findings by Appendix 1 category',
      '### A. Authentication',
    ]);
    for (const heading of [
      '### H. Firmware and Software Updates',
      '## Suppression register',
      '## Cryptography and credentials inventory',
      '### Per communication path',
    ]) {
      expect(headings).toContain(heading);
    }
    expect(text).toContain('| Version | 9.9.9 |');
    expect(text).toContain('| Date (UTC) | 2025-01-15T12:00:00Z |');
    expect(text).toContain(`| Configuration SHA-256 | \`${configHash(examples.config.raw)}\` |`);
    expect(text).toMatch(/\| C \| 10 \| \d+ \| \.c \(7\), \.h \(3\) \|/); // language, files, lines, kinds of file
    expect(text).toContain(
      '| Suppression policy | justification of 12 characters or more, not only the default stop words; reviewer optional |',
    );
    // The summary row of each category carries the independently computed open count.
    const expected = expectedCategoryCounts(examples);
    for (const [letter, count] of Object.entries(expected)) {
      if (letter === 'other') continue;
      const row = text.split('\n').find((line) => line.startsWith(`| ${letter}. `))!;
      expect(row.split('|').map((cell) => cell.trim())[7], letter).toBe(String(count));
    }
    expect(text).toContain('No finding is suppressed.');
    // The rule set: every enabled rule with its CWE names and FDA keys, findings or not.
    for (const { rule } of examples.config.enabledRules()) {
      const row = text.split('\n').find((line) => line.startsWith(`| \`${rule.meta.id}\` `));
      expect(row, rule.meta.id).toBeDefined();
      expect(row).toContain(`CWE-${rule.meta.cwe[0]} `);
      expect(row).toContain(rule.meta.fda[0]);
    }
    // No raw secret from examples/ (EXPECTED.md lists them) reaches the report.
    for (const secret of [
      'Inf0Pump!2024',
      'Mq7t!Ward-Gw#7731',
      'B3nchRig#Ward7',
      'Prov1sion#Line3',
      'Tel3metry!Fleet-2024',
      'ifs_sup_4f9c2b7e81d04a6a9e3b5c7d2f1a8e60',
    ]) {
      expect(text).not.toContain(secret);
    }
  });

  it('lists suppressions with reviewer and expiry, flags expired ones, and escapes snippets', () => {
    const text = formatMarkdownReport(suppressed.result, meta());
    const register = text.slice(text.indexOf('## Suppression register'));
    const rows = register.split('\n').filter((line) => /^\| \d+ \|/.test(line));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain('| bench-only fixture, never built into release | J. Doe | 2099-12-31 | comment in the code | active |');
    expect(rows[1]).toContain('| lab key, rotate before release | – | 2020-01-31 | comment in the code | **EXPIRED**: counts as open |');
    expect(text).not.toContain('Bench#Rig-2024');
    // Raw markup only ever appears inside code spans, where Markdown shows it as text.
    const outsideCode = text.replace(/(`+)[^`][^]*?\1/g, '');
    expect(text).toContain('<script>alert(1)</script>');
    expect(outsideCode).not.toMatch(/<\/?script/i);
  });
});

describe('escaping', () => {
  it('escapes HTML and Markdown metacharacters', () => {
    expect(escapeHtml('<script>alert("x")</script> & \'y\'')).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;');
    expect(escapeMarkdown('a|b <i> *c*\nd')).toBe('a\\|b &lt;i&gt; \\*c\\* d');
    expect(markdownCode('x = `y` | z')).toBe('``x = `y` \\| z``');
  });

  it('never lets a snippet, message or path inject markup into the HTML report', () => {
    const html = formatHtmlReport(suppressed.result, meta());
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toMatch(/<link|@import|url\(http|src="http/i);
  });
});

describe('the html template', () => {
  it('escapes every interpolated value unless it is markup it made or markup marked as trusted', () => {
    const hostile = "<script>alert(1)</script>\"onload='x'&";
    expect(html`<td title="${hostile}">${hostile}</td>`.markup).toBe(
      '<td title="&lt;script&gt;alert(1)&lt;/script&gt;&quot;onload=&#39;x&#39;&amp;">&lt;script&gt;alert(1)&lt;/script&gt;&quot;onload=&#39;x&#39;&amp;</td>',
    );
    expect(html`<tr>${[html`<td>${'<b>'}</td>`, '<i>', 7]}</tr>`.markup).toBe('<tr><td>&lt;b&gt;</td>&lt;i&gt;7</tr>');
    expect(html`<p>${false}${null}${undefined}</p>`.markup).toBe('<p></p>');
    expect(joinHtml(['<a>', html`<b>`], html`<br>`).markup).toBe('&lt;a&gt;<br><b>');
    expect(html`<style>${trustedMarkup('a::before { content: "<>"; }')}</style>`.markup).toBe(
      '<style>a::before { content: "<>"; }</style>',
    );
    // A look-alike object is not markup: only the template makes it.
    expect(html`${{ markup: '<script>' } as unknown as string}`.markup).toBe('[object Object]');
  });

  it('escapes a finding message, path and justification holding <script> and "onload= in the HTML report', () => {
    const attack = '<script>alert(2)</script>"onload="steal()';
    const files = suppressed.result.files.map((file) => ({
      ...file,
      path: `src/${attack}.c`,
      findings: file.findings.map((finding) => ({
        ...finding,
        path: `src/${attack}.c`,
        message: `${finding.message} ${attack}`,
        ...(finding.suppression ? { suppression: { ...finding.suppression, justification: attack, reviewer: attack } } : {}),
      })),
    }));
    const page = formatHtmlReport({ ...suppressed.result, files }, meta());
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toContain('"onload=');
    const escaped = '&lt;script&gt;alert(2)&lt;/script&gt;&quot;onload=&quot;steal()';
    expect(page).toContain(`<code>src/${escaped}.c:`); // path
    expect(page).toContain(`<span class="msg">`); // message cells exist, and carry the attack escaped
    expect(page.split(`${escaped}</span>`).length).toBeGreaterThan(2);
    expect(page).toContain(`Justification: ${escaped}`); // justification in the disposition cell
    expect(page).toContain(`<td>${escaped}</td><td data-testid="register-reviewer">${escaped}</td>`); // register: justification, then reviewer
  });
});

describe('HTML report in Chromium', () => {
  const CHROMIUM = '/usr/bin/chromium';

  it.skipIf(!fs.existsSync(CHROMIUM))(
    'renders the counts, makes no network request, and prints',
    async () => {
      // examples/ plus the suppressed project's findings, so the register and chart show every state.
      const combined: ScanResult = {
        ...examples,
        files: [...examples.files, ...suppressed.result.files.map((file) => ({ ...file, path: `bench/${file.path}` }))],
      };
      const html = formatHtmlReport(combined, meta(examplesInventory));
      fs.mkdirSync(OUT, { recursive: true });
      const file = path.join(OUT, 'evidence-report.html');
      fs.writeFileSync(file, html);
      const report = buildEvidenceReport(combined, meta());

      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
        ],
      });
      try {
        const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
        const requests: string[] = [];
        page.on('request', (request) => requests.push(request.url()));
        await page.goto(`file://${file}`);
        const text = async (testid: string) => (await page.getByTestId(testid).first().textContent())?.trim();

        expect(await text('count-open')).toBe(String(report.totals.openTotal));
        for (const severity of SEVERITIES) expect(await text(`count-${severity}`)).toBe(String(report.totals.open[severity]));
        expect(await text('count-suppressed')).toBe('1');
        for (const section of report.categories.filter((s) => s.key !== 'other')) {
          const open = SEVERITIES.reduce((sum, s) => sum + section.open[s], 0);
          expect(await text(`category-${section.letter}-open`)).toBe(String(open));
        }
        expect(await text('tool')).toBe('medsec 9.9.9');
        expect(await page.getByTestId('register-expired').count()).toBe(1);
        expect(await text('register-reviewer')).toBe('J. Doe');
        // The control coverage matrix: the first table after the scope, one row per item, statuses as the model has them.
        const coverage = page.getByTestId('coverage');
        expect(await coverage.locator('tbody tr').count()).toBe(CONTROLS.length);
        expect((await page.getByTestId('coverage-app1.H.7').getByTestId('coverage-status').textContent())?.trim()).toBe('Partly checked');
        expect(await page.getByTestId('coverage-app1.H.7').getByTestId('coverage-rules').textContent()).toContain(
          'unsigned-firmware-update',
        );
        expect(await coverage.isVisible()).toBe(true);
        const firstTableAfterScope = await page.locator('xpath=//section[h2[@id="scope"]]/following::table[1]').getAttribute('data-testid');
        expect(firstTableAfterScope).toBe('coverage');
        // Every category shows as many finding rows (in full and cross-referenced) as it counts, H included.
        for (const section of report.categories.filter((s) => s.key !== 'other')) {
          const rows = await page
            .locator(`[data-testid="cat-${section.letter}-listed"] tbody tr, [data-testid="cat-${section.letter}-cross"] tbody tr`)
            .count();
          expect(rows, section.key).toBe(section.listed.length + section.crossListed.length);
        }
        expect(await text('cat-H-count')).toBe('(2)');
        expect(await text('cat-H-rules')).toBe('1');
        expect(await page.locator('svg[role="img"] rect[fill^="url(#sev-"]').count()).toBeGreaterThan(3);
        expect(await page.locator('script').count()).toBe(0);
        expect(await page.locator('table:not(:has(caption))').count()).toBe(0);
        expect(await page.locator('th[scope]').count()).toBeGreaterThan(20);

        expect(requests.filter((url) => !url.startsWith('file:'))).toEqual([]);

        await page.screenshot({ path: path.join(OUT, 'evidence-report.png'), fullPage: true });
        const pdf = await page.pdf({ format: 'A4', landscape: true, printBackground: true });
        fs.writeFileSync(path.join(OUT, 'evidence-report.pdf'), pdf);
        expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
        // Page breaks between major sections: the print is several pages.
        const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
        expect(pages).toBeGreaterThanOrEqual(5);
      } finally {
        await browser.close();
      }
    },
    60_000,
  );
});
