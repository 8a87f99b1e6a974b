/**
 * What the language server keeps between checks: trees only for the documents edited last and the one
 * opened last (tree-sitter's WebAssembly memory never shrinks), nothing for closed documents, and the check
 * costs `medsec/stats` reports.
 */
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import type { StatsResult } from '../../server/src/lsp/protocol';
import { useSharedSession } from './session';

const FINDING_LINE = '    mbedtls_ssl_conf_authmode(conf, MBEDTLS_SSL_VERIFY_NONE);';

/** A C file with one finding (tls-verification-disabled) on line 4, after a comment on line 1. */
function cSource(name: string): string {
  return [
    '#include <mbedtls/ssl.h>',
    `/* ${name}: uplink setup */`,
    `void setup_${name}(mbedtls_ssl_config *conf)`,
    '{',
    FINDING_LINE,
    '}',
    '',
  ].join('\n');
}

const shared = useSharedSession('resources');
const stats = (params: Record<string, unknown> = {}) =>
  shared.session.connection.sendRequest('medsec/stats', params) as Promise<StatsResult>;

describe('trees and per-document state', () => {
  const uris: string[] = [];

  it('keeps trees for a few documents only, and still finds everything in the others', async () => {
    for (let i = 0; i < 12; i++) {
      const uri = await shared.session.open(path.join(shared.workspace, `fw/unit${i}.c`), cSource(`unit${i}`), 'c');
      uris.push(uri);
      const diagnostics = await shared.session.diagnosticsFor(uri);
      expect(diagnostics.map((d) => d.code)).toEqual(['tls-verification-disabled']);
    }
    const held = await stats();
    expect(held.openDocuments).toBe(12);
    expect(held.trees).toBeGreaterThan(0);
    expect(held.trees).toBeLessThan(12);
  });

  it('re-parses a document whose tree was freed when it is edited, and keeps incremental edits right after', async () => {
    const first = uris[0];
    // unit0 was opened first, so its tree went to make room for the later ones.
    await shared.session.change(first, [{ range: { start: { line: 1, character: 3 }, end: { line: 1, character: 3 } }, text: 'x' }]);
    expect((await shared.session.diagnosticsFor(first)).map((d) => [d.code, d.range.start.line])).toEqual([
      ['tls-verification-disabled', 4],
    ]);
    // Now it holds a tree again: a line inserted above the finding moves it, incrementally.
    await shared.session.change(first, [
      { range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }, text: '// note\n' },
    ]);
    expect((await shared.session.diagnosticsFor(first)).map((d) => [d.code, d.range.start.line])).toEqual([
      ['tls-verification-disabled', 5],
    ]);
    // An edit that removes the finding clears it.
    const line = shared.session.text(first).split('\n').indexOf(FINDING_LINE);
    await shared.session.change(first, [{ range: { start: { line, character: 0 }, end: { line: line + 1, character: 0 } }, text: '' }]);
    expect(await shared.session.diagnosticsFor(first)).toEqual([]);
  });

  it('keeps no tree and no document once everything is closed', async () => {
    for (const uri of uris) await shared.session.close(uri);
    await shared.session.waitFor('every document closed', () =>
      uris.every((uri) => shared.session.diagnostics.get(uri)?.diagnostics.length === 0),
    );
    const after = await stats();
    expect(after.openDocuments).toBe(0);
    expect(after.trees).toBe(0);
  });
});

describe('which documents keep their trees', () => {
  it('keeps the trees of edited documents, and of the documents only opened just the one checked last', async () => {
    const open = async (name: string) => {
      const uri = await shared.session.open(path.join(shared.workspace, `kept/${name}.c`), cSource(name), 'c');
      await shared.session.diagnosticsFor(uri);
      return uri;
    };
    const edited = await open('edited');
    await shared.session.change(edited, [{ range: { start: { line: 1, character: 3 }, end: { line: 1, character: 3 } }, text: 'x' }]);
    expect((await shared.session.diagnosticsFor(edited)).map((d) => d.code)).toEqual(['tls-verification-disabled']);
    const opened = [];
    for (let i = 0; i < 5; i++) opened.push(await open(`opened${i}`));
    // The edited document and the last one opened; not the four opened before it.
    expect((await stats()).trees).toBe(2);
    for (const uri of [edited, ...opened]) await shared.session.close(uri);
  });
});

describe('medsec/stats', () => {
  it('reports memory and where checking time went, per rule, and starts afresh on request', async () => {
    await stats({ resetCosts: true });
    const uri = await shared.session.open(path.join(shared.workspace, 'fw/costs.c'), cSource('costs'), 'c');
    await shared.session.diagnosticsFor(uri);
    const { rss, heapUsed, heapTotal, external, costs } = await stats({ resetCosts: true });
    expect(rss).toBeGreaterThan(0);
    expect(heapUsed).toBeGreaterThan(0);
    expect(heapTotal).toBeGreaterThanOrEqual(heapUsed);
    expect(external).toBeGreaterThan(0);
    expect(costs?.checks).toBe(1);
    expect(costs?.totalMs).toBeGreaterThanOrEqual((costs?.parseMs ?? 0) + (costs?.rulesMs ?? 0));
    expect(costs?.rules.map((rule) => rule.ruleId)).toContain('tls-verification-disabled');
    expect(costs?.rules.every((rule) => rule.runs === 1)).toBe(true);
    const totals = costs!.rules.map((rule) => rule.totalMs);
    expect(totals).toEqual([...totals].sort((a, b) => b - a));
    expect((await stats()).costs?.checks).toBe(0);
    await shared.session.close(uri);
  });
});
