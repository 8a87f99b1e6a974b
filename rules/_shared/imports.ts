/**
 * What the code model does not hold yet, recovered from the text for weak-hash: Python imports and C++
 * declarations of a class type (JavaScript default imports are the model's). Every text match is checked
 * against the model's comment and string spans, so a docstring or comment that mentions `from hashlib import
 * md5` is ignored.
 */
import type { CodeModel } from '../../server/src/core/model/types';
import type { Span } from '../../server/src/core/types';

/** Comment and string spans of a file, for "is this offset real code?" checks on a few text matches. */
export class NonCodeSpans {
  private readonly spans: Span[];

  constructor(model: CodeModel) {
    this.spans = [...model.comments, ...model.strings].map((s) => ({ start: s.start, end: s.end }));
  }

  /** Whether `offset` is inside a comment or a string literal. */
  contains(offset: number): boolean {
    return this.spans.some((s) => offset >= s.start && offset < s.end);
  }
}

/**
 * Python import bindings: local name → canonical dotted path. `import hashlib as hl` gives
 * `hl → hashlib`; `from hashlib import md5 as m` gives `m → hashlib.md5`; `from Crypto.Hash import MD5`
 * gives `MD5 → Crypto.Hash.MD5`.
 */
export function pythonImports(text: string, nonCode: NonCodeSpans): Map<string, string> {
  const imports = new Map<string, string>();
  const importRe = /^[ \t]*import[ \t]+([^\n#;]+)/gm;
  for (let m = importRe.exec(text); m; m = importRe.exec(text)) {
    if (nonCode.contains(m.index + m[0].indexOf('import'))) continue;
    for (const part of m[1].split(',')) {
      const pm = /^\s*([\w.]+)(?:\s+as\s+(\w+))?\s*$/.exec(part);
      if (!pm) continue;
      const local = pm[2] ?? pm[1].split('.')[0];
      imports.set(local, pm[2] ? pm[1] : pm[1].split('.')[0]);
    }
  }
  const fromRe = /^[ \t]*from[ \t]+([\w.]+)[ \t]+import[ \t]+(\([^)]*\)|[^\n;]*(?:\\\n[^\n;]*)*)/gm;
  for (let m = fromRe.exec(text); m; m = fromRe.exec(text)) {
    if (nonCode.contains(m.index + m[0].indexOf('from'))) continue;
    const names = m[2].replace(/#[^\n]*/g, '').replace(/[()\\]/g, ' ');
    for (const part of names.split(',')) {
      const pm = /^\s*(\w+)(?:\s+as\s+(\w+))?\s*$/.exec(part);
      if (pm) imports.set(pm[2] ?? pm[1], `${m[1]}.${pm[1]}`);
    }
  }
  return imports;
}

/** The canonical dotted path of a Python callee, with its first segment resolved through the imports. */
export function canonicalPythonCallee(callee: string, imports: ReadonlyMap<string, string>): string {
  const dot = callee.indexOf('.');
  const head = dot < 0 ? callee : callee.slice(0, dot);
  const resolved = imports.get(head);
  if (!resolved) return callee;
  return dot < 0 ? resolved : resolved + callee.slice(dot);
}

/**
 * JavaScript/TypeScript default and namespace imports: local name → module (`import md5 from 'md5'`,
 * `import * as md5 from 'md5'`), read from the model's imports (the parser's, so a comment or a string that
 * spells an import is not one).
 */
export function jsDefaultImports(model: CodeModel): Map<string, string> {
  const imports = new Map<string, string>();
  for (const imported of model.imports) {
    if ((imported.name === 'default' || imported.name === '*') && imported.local) imports.set(imported.local, imported.module);
  }
  return imports;
}

/** Offsets of C++ declarations of a variable of the given class type (`MD5Builder md5;`, `static X x(...)`). */
export function cppTypeDeclarations(text: string, typeName: string, nonCode: NonCodeSpans): Span[] {
  const out: Span[] = [];
  const re = new RegExp(`\\b${typeName}\\s*(?:[*&]\\s*)?[A-Za-z_]\\w*\\s*(?:[;=({,\\[])`, 'g');
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (!nonCode.contains(m.index)) out.push({ start: m.index, end: m.index + typeName.length });
  }
  return out;
}
