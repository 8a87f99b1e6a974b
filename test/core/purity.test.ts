/**
 * The layers import only what they may. Every import (static, dynamic, `require`, type-only, re-export) is
 * read with TypeScript's own pre-processor and resolved: relative specifiers to files, bare ones to packages.
 *
 * - The engine (server/src/core) is handed its rules: it imports nothing from rules/, the adapters (lsp/,
 *   cli/, the registry and worker entry) or VS Code and LSP packages; only itself, packages and
 *   shared/justification.ts (which imports nothing, below): the justification check the editor also applies.
 * - The VS Code client imports only itself, shared/ and packages, never server code.
 * - shared/ imports neither side and no VS Code or LSP package, so both bundles can take it.
 * - The rules import no editor package, and a rule's folder (rules/<a>/) never reaches into another rule's
 *   folder (rules/<b>/); analysis several rules need lives in rules/_shared/.
 * - No import cycles in the engine, shared/ or the client.
 */
import * as fs from 'fs';
import * as path from 'path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..', '..');
const EDITOR_PACKAGES = /^(vscode|vscode-languageserver[^/]*|vscode-languageclient|vscode-jsonrpc)$/;

interface Import {
  /** The specifier as written. */
  specifier: string;
  /** For a relative import: the file it resolves to, relative to the repository, with forward slashes. */
  file?: string;
  /** For a bare import: the package name (`vscode-languageserver` for `vscode-languageserver/node`). */
  packageName?: string;
}

function sourceFiles(dir: string): string[] {
  const absolute = path.join(ROOT, dir);
  if (!fs.existsSync(absolute)) return [];
  return fs.readdirSync(absolute, { withFileTypes: true }).flatMap((entry) => {
    const child = `${dir}/${entry.name}`;
    if (entry.isDirectory())
      return entry.name === 'out' || entry.name === 'node_modules' || entry.name === 'fixtures' ? [] : sourceFiles(child);
    return /\.(ts|mts|cts)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [child] : [];
  });
}

const RESOLVE_SUFFIXES = ['', '.ts', '.mts', '.cts', '.js', '.mjs', '.json', '/index.ts'];

function resolveRelative(from: string, specifier: string): string {
  const base = path.join(ROOT, path.dirname(from), specifier);
  for (const suffix of RESOLVE_SUFFIXES) {
    const candidate = base + suffix;
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return path.relative(ROOT, candidate).split(path.sep).join('/');
  }
  throw new Error(`${from}: cannot resolve the import "${specifier}"`);
}

const importCache = new Map<string, Import[]>();

function importsOf(file: string): Import[] {
  let imports = importCache.get(file);
  if (!imports) {
    const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
    imports = ts.preProcessFile(text, true, true).importedFiles.map(({ fileName: specifier }): Import => {
      if (specifier.startsWith('.')) return { specifier, file: resolveRelative(file, specifier) };
      const [first, second] = specifier.replace(/^node:/, '').split('/');
      return { specifier, packageName: first.startsWith('@') ? `${first}/${second}` : first };
    });
    importCache.set(file, imports);
  }
  return imports;
}

/** `file: specifier` for every import of the files under `dirs` that `forbidden` rejects. */
function violations(dirs: string[], forbidden: (imported: Import, file: string) => boolean): string[] {
  return dirs.flatMap(sourceFiles).flatMap((file) =>
    importsOf(file)
      .filter((imported) => forbidden(imported, file))
      .map((imported) => `${file}: ${imported.specifier}`),
  );
}

/** The one shared/ module the engine may import: the justification rule the editor's prompt applies too. */
const SHARED_WITH_ENGINE = 'shared/justification.ts';

const inside = (file: string | undefined, ...dirs: string[]) => file !== undefined && dirs.some((dir) => file.startsWith(`${dir}/`));

/** Every cycle of a directed graph (strongly connected components of more than one node, or a self-loop). */
function findCycles(nodes: Iterable<string>, edges: (node: string) => string[]): string[][] {
  // Tarjan's algorithm.
  const index = new Map<string, number>();
  const lowLink = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    lowLink.set(node, index.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const next of edges(node)) {
      if (!index.has(next)) {
        visit(next);
        lowLink.set(node, Math.min(lowLink.get(node)!, lowLink.get(next)!));
      } else if (onStack.has(next)) {
        lowLink.set(node, Math.min(lowLink.get(node)!, index.get(next)!));
      }
    }
    if (lowLink.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || edges(node).includes(node)) cycles.push(component.sort());
  };
  for (const node of nodes) if (!index.has(node)) visit(node);
  return cycles;
}

function importCycles(dir: string): string[][] {
  const files = new Set(sourceFiles(dir));
  return findCycles(files, (file) =>
    importsOf(file).flatMap((imported) => (imported.file && files.has(imported.file) ? [imported.file] : [])),
  );
}

/** The rule folder a file under rules/ belongs to (`weak-hash` for rules/weak-hash/rule.ts); undefined for rules/*.ts. */
function ruleFolder(file: string): string | undefined {
  const segments = file.split('/');
  return segments[0] === 'rules' && segments.length > 2 ? segments[1] : undefined;
}

/** Whether an import from `from` to `to` reaches from one rule folder into another (rules/_shared/ is for everyone). */
function crossesRuleFolders(from: string, to: string): boolean {
  const source = ruleFolder(from);
  const target = ruleFolder(to);
  return source !== undefined && target !== undefined && target !== '_shared' && target !== source;
}

describe('layers', () => {
  it('core and rules import nothing from vscode or the language server', () => {
    const editorImports = violations(
      ['server/src/core', 'rules'],
      (imported) => !!imported.packageName && EDITOR_PACKAGES.test(imported.packageName),
    );
    expect(editorImports).toEqual([]);
  });

  it('the engine (server/src/core) imports only itself, shared/justification.ts and packages: no rules/, lsp/, cli/ or adapters', () => {
    const allowed = (file: string) => inside(file, 'server/src/core') || file === SHARED_WITH_ENGINE;
    expect(violations(['server/src/core'], (imported) => !!imported.file && !allowed(imported.file))).toEqual([]);
  });

  it('shared/justification.ts, which the engine imports, imports nothing', () => {
    expect(importsOf(SHARED_WITH_ENGINE)).toEqual([]);
  });

  it('the client imports only itself, shared/ and packages, never server code', () => {
    expect(violations(['client/src'], (imported) => !!imported.file && !inside(imported.file, 'client/src', 'shared'))).toEqual([]);
  });

  it('shared/ imports neither the client, the server nor the rules, and no VS Code or LSP package', () => {
    const outside = (imported: Import) =>
      (!!imported.file && !inside(imported.file, 'shared')) || (!!imported.packageName && EDITOR_PACKAGES.test(imported.packageName));
    expect(violations(['shared'], outside)).toEqual([]);
  });

  it('a rule folder imports no other rule folder, only rules/_shared/ and files at the top of rules/', () => {
    expect(violations(['rules'], (imported, file) => !!imported.file && crossesRuleFolders(file, imported.file))).toEqual([]);
  });

  it('the rule-folder check holds for the flat layout and for one folder per rule', () => {
    expect(crossesRuleFolders('rules/weak-hash.ts', 'rules/_lib/weak-hash-detect.ts')).toBe(false);
    expect(crossesRuleFolders('rules/_lib/weak-hash-detect.ts', 'rules/_lib/names.ts')).toBe(false);
    expect(crossesRuleFolders('rules/index.ts', 'rules/weak-hash/rule.ts')).toBe(false);
    expect(crossesRuleFolders('rules/weak-hash/rule.ts', 'rules/weak-hash/algorithms.ts')).toBe(false);
    expect(crossesRuleFolders('rules/weak-hash/rule.ts', 'rules/_shared/imports.ts')).toBe(false);
    expect(crossesRuleFolders('rules/weak-hash/rule.ts', 'rules/taxonomy.ts')).toBe(false);
    expect(crossesRuleFolders('rules/weak-hash/rule.ts', 'rules/broken-cipher/algorithms.ts')).toBe(true);
    expect(crossesRuleFolders('rules/_shared/imports.ts', 'rules/weak-hash/algorithms.ts')).toBe(true);
  });
});

describe('import cycles', () => {
  it.each(['server/src/core', 'shared', 'client/src'])('there are none in %s', (dir) => {
    expect(importCycles(dir)).toEqual([]);
  });

  it('are found, with every file of each cycle, by the check above', () => {
    const graph: Record<string, string[]> = { a: ['b'], b: ['c'], c: ['a'], d: ['a', 'd'], e: [] };
    expect(findCycles(Object.keys(graph), (node) => graph[node])).toEqual([['a', 'b', 'c'], ['d']]);
  });
});
