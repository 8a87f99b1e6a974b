/**
 * Every regular expression the rules and the engine build, found by parsing their TypeScript source (issue 12,
 * item 1): regex literals and `RegExp(...)` / `new RegExp(...)` calls. A call's source is evaluated where the
 * source says what it is: string and template literals, constants of the file or of a relative import,
 * `.source`, `.join(...)` of a constant array, `+`. A template hole holding a run-time name or escaped text
 * stands as one literal character, which is how it matches. Any other call is a dynamic site: its regexes are
 * found by value instead (the exported tables) or the test lists it with a reason.
 * Shared by test/hardening/builtin-regexes.test.ts and scripts/regex-verdicts.mjs (which caches recheck's verdicts).
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse, simpleTraverse, type TSESTree } from '@typescript-eslint/typescript-estree';

export const REGEX_SOURCE_DIRS = ['rules', 'server/src/core'];

export interface FoundRegex {
  /** Repository-relative path and line of the literal or call. */
  where: string;
  source: string;
  flags: string;
}

export interface DynamicSite {
  where: string;
  /** The call's text, for the message that asks for a reason. */
  text: string;
}

/** What stands for a run-time value inside a template: one literal character. */
const RUNTIME_VALUE = 'x';

type Value = string | string[] | { pattern: string; flags: string } | undefined;

/** The TypeScript source files of the trees, fixtures and declaration files aside. */
export function regexSourceFiles(root: string): string[] {
  const walk = (dir: string): string[] =>
    fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory()) return entry.name === 'fixtures' ? [] : walk(rel);
      return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [rel] : [];
    });
  return REGEX_SOURCE_DIRS.flatMap(walk).sort();
}

class SourceFile {
  readonly ast: TSESTree.Program;
  private readonly consts = new Map<string, TSESTree.Expression | null>();
  private readonly imports = new Map<string, { file: string; name: string }>();

  constructor(
    readonly root: string,
    readonly file: string,
  ) {
    this.ast = parse(fs.readFileSync(path.join(root, file), 'utf8'), { range: true, loc: true });
    simpleTraverse(this.ast, {
      enter: (node) => {
        if (node.type === 'VariableDeclaration' && node.kind === 'const') {
          for (const d of node.declarations) {
            if (d.id.type !== 'Identifier' || !d.init) continue;
            // A name declared twice in one file is ambiguous: treated as a run-time value.
            this.consts.set(d.id.name, this.consts.has(d.id.name) ? null : d.init);
          }
        } else if (node.type === 'ImportDeclaration' && node.source.value.startsWith('.')) {
          for (const s of node.specifiers) {
            if (s.type === 'ImportSpecifier' && s.imported.type === 'Identifier') {
              this.imports.set(s.local.name, { file: this.resolveImport(node.source.value), name: s.imported.name });
            }
          }
        }
      },
    });
  }

  private resolveImport(spec: string): string {
    const base = path.posix.join(path.posix.dirname(this.file), spec);
    return fs.existsSync(path.join(this.root, `${base}.ts`)) ? `${base}.ts` : `${base}/index.ts`;
  }

  constInit(name: string): { file: SourceFile; init: TSESTree.Expression } | undefined {
    const init = this.consts.get(name);
    if (init) return { file: this, init };
    const imported = this.imports.get(name);
    if (!imported || !fs.existsSync(path.join(this.root, imported.file))) return undefined;
    return loadFile(this.root, imported.file).constInit(imported.name);
  }
}

const FILES = new Map<string, SourceFile>();
function loadFile(root: string, file: string): SourceFile {
  const key = `${root}\0${file}`;
  let loaded = FILES.get(key);
  if (!loaded) FILES.set(key, (loaded = new SourceFile(root, file)));
  return loaded;
}

/** The constant value of an expression, as far as the source says; undefined for a run-time value. */
function evaluate(file: SourceFile, node: TSESTree.Node, depth = 0): Value {
  if (depth > 20) return undefined;
  const next = (n: TSESTree.Node, f = file) => evaluate(f, n, depth + 1);
  switch (node.type) {
    case 'Literal':
      if ('regex' in node && node.regex) return { pattern: node.regex.pattern, flags: node.regex.flags };
      return typeof node.value === 'string' ? node.value : undefined;
    case 'TemplateLiteral': {
      const holes = node.expressions.map((hole) => next(hole) ?? (isRuntimeName(hole) ? RUNTIME_VALUE : undefined));
      if (holes.some((hole) => typeof hole !== 'string')) return undefined;
      return node.quasis.map((q, i) => (q.value.cooked ?? q.value.raw) + (holes[i] ?? '')).join('');
    }
    case 'TaggedTemplateExpression':
      return node.tag.type === 'MemberExpression' && node.tag.property.type === 'Identifier' && node.tag.property.name === 'raw'
        ? node.quasi.quasis
            .map((q, i) => q.value.raw + (node.quasi.expressions[i] ? stringOr(next(node.quasi.expressions[i])) : ''))
            .join('')
        : undefined;
    case 'Identifier': {
      const found = file.constInit(node.name);
      return found ? next(found.init, found.file) : undefined;
    }
    case 'TSAsExpression':
    case 'TSSatisfiesExpression':
      return next(node.expression);
    case 'ArrayExpression': {
      const items = node.elements.map((e) => (e && e.type !== 'SpreadElement' ? next(e) : undefined));
      return items.every((i): i is string => typeof i === 'string') ? items : undefined;
    }
    case 'BinaryExpression': {
      if (node.operator !== '+') return undefined;
      const [l, r] = [next(node.left), next(node.right)];
      return typeof l === 'string' && typeof r === 'string' ? l + r : undefined;
    }
    case 'MemberExpression': {
      if (node.property.type !== 'Identifier' || node.computed) return undefined;
      const object = next(node.object);
      if (typeof object !== 'object' || Array.isArray(object)) return undefined;
      return node.property.name === 'source' ? object.pattern : node.property.name === 'flags' ? object.flags : undefined;
    }
    case 'CallExpression': {
      const callee = node.callee;
      if (callee.type !== 'MemberExpression' || callee.property.type !== 'Identifier' || callee.property.name !== 'join') return undefined;
      const items = next(callee.object);
      const separator = node.arguments[0] ? next(node.arguments[0]) : ',';
      return Array.isArray(items) && typeof separator === 'string' ? items.join(separator) : undefined;
    }
    case 'NewExpression':
      return isRegExpCall(node) ? regexOfCall(file, node, depth) : undefined;
    default:
      return undefined;
  }
}

/**
 * A hole that holds a name or escaped text, which matches as literal characters: a variable or property
 * (`${name}`, `${fn.params[3]}`), an escape call (`escapeRegExp(x)`), or `.replace(/…/g, '\\$&')`. Anything
 * else may hold regex syntax (a glob turned into `.*`) and makes the call a dynamic site.
 */
function isRuntimeName(hole: TSESTree.Node): boolean {
  if (hole.type === 'Identifier' || hole.type === 'MemberExpression') return true;
  if (hole.type !== 'CallExpression') return false;
  const callee = hole.callee;
  if (callee.type === 'Identifier') return /^escape/i.test(callee.name);
  if (callee.type !== 'MemberExpression' || callee.property.type !== 'Identifier' || callee.property.name !== 'replace') return false;
  const replacement = hole.arguments[1];
  return (
    isRuntimeName(callee.object) &&
    ((replacement?.type === 'Literal' && String(replacement.value).startsWith('\\')) || replacement?.type === 'ArrowFunctionExpression')
  );
}

function stringOr(value: Value): string {
  return typeof value === 'string' ? value : RUNTIME_VALUE;
}

function isRegExpCall(node: TSESTree.Node): node is TSESTree.NewExpression | TSESTree.CallExpression {
  return (
    (node.type === 'NewExpression' || node.type === 'CallExpression') && node.callee.type === 'Identifier' && node.callee.name === 'RegExp'
  );
}

function regexOfCall(file: SourceFile, node: TSESTree.NewExpression | TSESTree.CallExpression, depth = 0): Value {
  const [sourceArg, flagsArg] = node.arguments;
  if (!sourceArg) return undefined;
  const source = evaluate(file, sourceArg, depth + 1);
  const flagsValue = flagsArg ? evaluate(file, flagsArg, depth + 1) : undefined;
  if (flagsArg && typeof flagsValue !== 'string') return undefined;
  const flags = typeof flagsValue === 'string' ? flagsValue : undefined;
  if (typeof source === 'string') return { pattern: source, flags: flags ?? '' };
  if (typeof source === 'object' && !Array.isArray(source)) return { pattern: source.pattern, flags: flags ?? source.flags };
  return undefined;
}

/** The regexes the source of one file states, and its calls whose source is a run-time value. */
export function regexesOfFile(root: string, file: string): { regexes: FoundRegex[]; dynamic: DynamicSite[] } {
  const source = loadFile(root, file);
  const regexes: FoundRegex[] = [];
  const dynamic: DynamicSite[] = [];
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  simpleTraverse(source.ast, {
    enter(node) {
      const where = `${file}:${node.loc.start.line}`;
      if (node.type === 'Literal' && 'regex' in node && node.regex) {
        regexes.push({ where, source: node.regex.pattern, flags: node.regex.flags });
      } else if (isRegExpCall(node)) {
        const value = regexOfCall(source, node);
        if (typeof value === 'object' && !Array.isArray(value)) regexes.push({ where, source: value.pattern, flags: value.flags });
        else dynamic.push({ where, text: text.slice(node.range[0], node.range[1]).replace(/\s+/g, ' ').slice(0, 120) });
      }
    },
  });
  return { regexes, dynamic };
}

/** Every RegExp a module exports, in arrays and objects too (tables built at load time, such as the secret formats). */
export function exportedRegexes(file: string, namespace: Record<string, unknown>): FoundRegex[] {
  const found: FoundRegex[] = [];
  const seen = new Set<unknown>();
  const visit = (value: unknown, where: string, depth: number) => {
    if (depth > 4 || value === null || typeof value !== 'object' || seen.has(value)) return;
    seen.add(value);
    if (value instanceof RegExp) {
      found.push({ where, source: value.source, flags: value.flags });
      return;
    }
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
    for (const [key, v] of entries) visit(v, `${where}.${key}`, depth + 1);
  };
  for (const [name, value] of Object.entries(namespace)) visit(value, `${file} export ${name}`, 0);
  return found;
}

/** One entry per distinct source and flags, keyed as the verdict cache keys it. */
export function regexKey(regex: { source: string; flags: string }): string {
  return `/${regex.source}/${[...regex.flags].sort().join('')}`;
}

export function distinct(regexes: FoundRegex[]): FoundRegex[] {
  const byKey = new Map<string, FoundRegex>();
  for (const regex of regexes) if (!byKey.has(regexKey(regex))) byKey.set(regexKey(regex), regex);
  return [...byKey.values()];
}

/** Every distinct regex of the trees: stated in the source, or exported by a module (`modules`: file → namespace). */
export function allBuiltinRegexes(root: string, modules: Record<string, Record<string, unknown>>): FoundRegex[] {
  const stated = regexSourceFiles(root).flatMap((file) => regexesOfFile(root, file).regexes);
  const exported = Object.entries(modules).flatMap(([file, namespace]) => exportedRegexes(file, namespace));
  return distinct([...stated, ...exported]);
}

/** The flags recheck reads: `d` (match indices) changes nothing it measures, and it does not know it. */
export function recheckFlags(flags: string): string {
  return flags.replace('d', '');
}
