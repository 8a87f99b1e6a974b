/**
 * The matchers of declarative custom rules: tree-sitter queries, esquery selectors, scoped regexes and
 * config key/value patterns, the combinators `all` / `any` / `not`, and the context conditions
 * `insideFunction`, `notPrecededBy` and `within`. `compileMatcher` validates a matcher when the rule loads
 * (every problem is reported at its JSON path through `fail`); the compiled matcher runs on one file.
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { visitorKeys } from '@typescript-eslint/visitor-keys';
import esquery from 'esquery';
import { Query, type Language, type Node as SyntaxNode, type Tree } from 'web-tree-sitter';
import {
  CONFIG_MATCHER_LANGUAGES,
  MATCHER_KINDS,
  SELECTOR_LANGUAGES,
  type MatcherSpec,
  type RegexScope,
  type TextPattern,
} from '../config-types';
import { isTreeSitterLanguage, type TreeSitterLanguage } from '../language';
import type { CodeModel, FunctionDef } from '../model/types';
import type { SourceText } from '../text';
import { LANGUAGES, type LanguageId, type Span } from '../types';
import type { Budget } from './budget';
import { matchesWildcard } from '../wildcard';
import { regexProblem } from './regex-safety';
import { loadedLanguage } from './sync-parse';
import { replaceQuoted } from '../string-literals';

export type JsonPath = (string | number)[];
export type Fail = (at: JsonPath, message: string) => never;

export interface MatchInput {
  language: LanguageId;
  text: SourceText;
  model: CodeModel;
  tree?: Tree;
  ast?: TSESTree.Program;
}

export interface Match {
  span: Span;
  captures: Map<string, Span>;
}

export interface CompiledMatcher {
  /** Captures every match of this matcher fills (placeholders may use only these). */
  captures: Set<string>;
  /** Languages this matcher can match in. */
  languages: Set<LanguageId>;
  run(input: MatchInput, budget: Budget): Match[];
}

/** A regex runs on one string, comment, identifier or line at a time, cut into pieces of at most this. */
const MAX_SEGMENT = 100_000;
const CODE_LANGUAGES: readonly LanguageId[] = ['c', 'cpp', 'python', 'java', 'kotlin', 'typescript', 'javascript'];
const SCOPE_LANGUAGES: Record<RegexScope, readonly LanguageId[]> = {
  string: CODE_LANGUAGES,
  comment: [...CODE_LANGUAGES, 'kconfig', 'dotenv', 'yaml'],
  identifier: [...CODE_LANGUAGES, ...CONFIG_MATCHER_LANGUAGES],
  code: LANGUAGES,
};
const IDENTIFIER_NODE =
  /^(?:identifier|field_identifier|type_identifier|simple_identifier|property_identifier|namespace_identifier|statement_identifier)$/;

export function compileMatcher(
  spec: MatcherSpec,
  at: JsonPath,
  ruleLanguages: readonly LanguageId[],
  fail: Fail,
  top = true,
): CompiledMatcher {
  const kinds = MATCHER_KINDS.filter((kind) => kind in spec);
  if (kinds.length !== 1) {
    fail(
      at,
      kinds.length === 0
        ? `a matcher needs exactly one of ${MATCHER_KINDS.join(', ')}`
        : `a matcher has exactly one kind, but this one has ${kinds.join(' and ')}; combine them with "all" or "any"`,
    );
  }
  const kind = kinds[0];
  const sub = (child: MatcherSpec, path: JsonPath) => compileMatcher(child, path, ruleLanguages, fail, false);
  let base: CompiledMatcher;
  const s = spec as unknown as Record<string, unknown>;
  if ('regex' in s === false && ('flags' in s || 'scope' in s)) {
    fail([...at, 'flags' in s ? 'flags' : 'scope'], '"flags" and "scope" belong to a "regex" matcher');
  }
  switch (kind) {
    case 'treeSitterQuery':
      base = compileTreeSitterQuery(s.treeSitterQuery as string | Record<string, string>, [...at, kind], ruleLanguages, fail);
      break;
    case 'selector':
      base = compileSelector(s.selector as string, [...at, kind], fail);
      break;
    case 'regex': {
      if (!s.scope) fail(at, 'a "regex" matcher needs a "scope": string, comment, identifier or code');
      base = compileRegex(s.regex as string, (s.flags as string | undefined) ?? '', s.scope as RegexScope, [...at, kind], fail);
      break;
    }
    case 'config':
      base = compileConfig(s.config as { key: TextPattern; value?: TextPattern }, [...at, kind], fail);
      break;
    case 'any': {
      const children = (s.any as MatcherSpec[]).map((child, index) => sub(child, [...at, 'any', index]));
      base = {
        captures: intersect(children.map((child) => child.captures)),
        languages: new Set(children.flatMap((child) => [...child.languages])),
        run: (input, budget) => dedupe(children.flatMap((child) => child.run(input, budget))),
      };
      break;
    }
    case 'all':
      base = compileAll(s.all as MatcherSpec[], [...at, 'all'], sub, fail);
      break;
    case 'not':
      fail(
        at,
        '"not" only works inside "all", next to a matcher it narrows (e.g. { "all": [ { "selector": "..." }, { "not": { ... } } ] })',
      );
  }
  if (top || kind !== 'all') {
    const usable = [...base!.languages].filter((language) => ruleLanguages.includes(language));
    if (usable.length === 0) {
      fail(
        [...at, kind],
        `a "${kind}" matcher cannot match in ${ruleLanguages.join(', ')}; it matches in ${[...base!.languages].join(', ')}`,
      );
    }
  }
  return withConditions(base!, spec, at, ruleLanguages, fail);
}

// ---------------------------------------------------------------------------------------------------
// Leaf matchers

function compileTreeSitterQuery(
  source: string | Record<string, string>,
  at: JsonPath,
  ruleLanguages: readonly LanguageId[],
  fail: Fail,
): CompiledMatcher {
  const sources = new Map<TreeSitterLanguage, { text: string; at: JsonPath }>();
  if (typeof source === 'string') {
    for (const language of ruleLanguages) if (isTreeSitterLanguage(language)) sources.set(language, { text: source, at });
  } else {
    for (const [language, text] of Object.entries(source)) sources.set(language as TreeSitterLanguage, { text, at: [...at, language] });
  }
  const captures = new Set<string>(['match']);
  let first = true;
  for (const [language, { text, at: where }] of sources) {
    checkQueryPredicates(text, where, fail);
    const names = new Set(captureNames(text));
    if (names.size === 0) fail(where, 'the query captures nothing; add a capture such as @match to the node to report');
    if (first) for (const name of names) captures.add(name);
    else for (const name of [...captures]) if (name !== 'match' && !names.has(name)) captures.delete(name);
    first = false;
    const grammar = loadedLanguage(language);
    if (grammar) compileQuery(grammar, text, (message) => fail(where, `invalid tree-sitter query for ${language}: ${message}`));
  }
  const compiled = new Map<Language, Query>();
  return {
    captures,
    languages: new Set(sources.keys()),
    run(input, budget) {
      const entry = isTreeSitterLanguage(input.language) ? sources.get(input.language) : undefined;
      if (!entry || !input.tree) return [];
      const grammar = input.tree.language;
      let query = compiled.get(grammar);
      if (!query) {
        query = compileQuery(grammar, entry.text, (message) => {
          throw new Error(`invalid tree-sitter query for ${input.language}: ${message}`);
        });
        compiled.set(grammar, query);
      }
      const matches = query.matches(input.tree.rootNode, { progressCallback: (() => budget.expired()) as () => void });
      budget.tick();
      const result: Match[] = [];
      for (const match of matches) {
        budget.tick();
        if (match.captures.length === 0) continue;
        const named = new Map<string, Span>();
        let widest: Span | undefined;
        for (const capture of match.captures) {
          const span = nodeSpan(capture.node);
          if (!named.has(capture.name)) named.set(capture.name, span);
          if (!widest || span.end - span.start > widest.end - widest.start) widest = span;
        }
        const span = named.get('match') ?? widest!;
        named.set('match', span);
        result.push({ span, captures: named });
      }
      return dedupe(result);
    },
  };
}

function compileQuery(grammar: Language, text: string, onError: (message: string) => never): Query {
  try {
    return new Query(grammar, text);
  } catch (error) {
    return onError((error as Error).message.split('\n')[0]);
  }
}

/** `#match?` regexes run as JavaScript regexes in web-tree-sitter: check them like any user regex. */
function checkQueryPredicates(text: string, at: JsonPath, fail: Fail): void {
  const predicate = /#(?:not-)?match\?\s+@[\w.-]+\s+"((?:[^"\\]|\\.)*)"/g;
  for (const m of text.matchAll(predicate)) {
    const pattern = m[1].replace(/\\(.)/g, '$1');
    if (pattern.startsWith('(?i)')) {
      fail(at, `the #match? pattern "${pattern}" starts with (?i), which JavaScript regexes do not support; write [Pp]assword instead`);
    }
    const problem = regexProblem(pattern);
    if (problem) fail(at, problem);
  }
}

function captureNames(query: string): string[] {
  const withoutStrings = replaceQuoted(query, '"', '""').replace(/;[^\n]*/g, '');
  return [...withoutStrings.matchAll(/@([A-Za-z_][\w.-]*)/g)].map((m) => m[1]);
}

function nodeSpan(node: SyntaxNode): Span {
  return { start: node.startIndex, end: node.endIndex };
}

const esqueryOptions = {
  visitorKeys: visitorKeys as unknown as Record<string, readonly string[]>,
  fallback: (node: unknown) =>
    Object.keys(node as object).filter((key) => key !== 'parent' && typeof (node as Record<string, unknown>)[key] === 'object'),
};

const LINE_TERMINATORS = new Set(['\n', '\r', '\u2028', '\u2029']);
const REGEX_FLAGS = /[imsu]*/y;

/**
 * The `/pattern/flags` literals of a selector, as `/\/((?:[^/\\\]]|\\.)+)\/([imsu]*)/g` finds them, by a scan:
 * that regex restarts at every `/`, quadratic on many of them with no close. A `/` inside a failed literal
 * is escaped, so a literal opened there fails at the same place.
 */
export function selectorRegexes(selector: string): [pattern: string, flags: string][] {
  const found: [string, string][] = [];
  for (let open = selector.indexOf('/'); open >= 0;) {
    let end = open + 1;
    while (end < selector.length && selector[end] !== '/' && selector[end] !== ']') {
      if (selector[end] !== '\\') end++;
      else if (end + 1 < selector.length && !LINE_TERMINATORS.has(selector[end + 1])) end += 2;
      else break;
    }
    if (selector[end] === '/' && end > open + 1) {
      REGEX_FLAGS.lastIndex = end + 1;
      const flags = REGEX_FLAGS.exec(selector)![0];
      found.push([selector.slice(open + 1, end), flags]);
      end = REGEX_FLAGS.lastIndex;
    }
    open = selector.indexOf('/', end);
  }
  return found;
}

function compileSelector(selector: string, at: JsonPath, fail: Fail): CompiledMatcher {
  let parsed: ReturnType<typeof esquery.parse>;
  try {
    parsed = esquery.parse(selector);
  } catch (error) {
    return fail(at, `invalid selector: ${(error as Error).message.split('\n')[0]}`);
  }
  for (const [pattern, flags] of selectorRegexes(selector)) {
    const problem = regexProblem(pattern, flags);
    if (problem) fail(at, problem);
  }
  return {
    captures: new Set(['match', 'callee', 'args', 'name']),
    languages: new Set(SELECTOR_LANGUAGES),
    run(input, budget) {
      if (!input.ast) return [];
      const result: Match[] = [];
      esquery.traverse(
        input.ast as never,
        parsed,
        (node) => {
          budget.tick();
          result.push(selectorMatch(node as unknown as TSESTree.Node));
        },
        esqueryOptions as never,
      );
      return dedupe(result);
    },
  };
}

function selectorMatch(node: TSESTree.Node): Match {
  const span = { start: node.range[0], end: node.range[1] };
  const captures = new Map<string, Span>([['match', span]]);
  if (node.type === 'CallExpression' || node.type === 'NewExpression') {
    captures.set('callee', { start: node.callee.range[0], end: node.callee.range[1] });
    const args = node.arguments;
    captures.set(
      'args',
      args.length
        ? { start: args[0].range[0], end: args[args.length - 1].range[1] }
        : { start: node.callee.range[1], end: node.callee.range[1] },
    );
    const callee = node.callee.type === 'MemberExpression' ? node.callee.property : node.callee;
    captures.set('name', { start: callee.range[0], end: callee.range[1] });
  } else if ('id' in node && node.id && typeof node.id === 'object' && 'range' in node.id) {
    captures.set('name', { start: node.id.range[0], end: node.id.range[1] });
  }
  for (const name of ['callee', 'args', 'name']) if (!captures.has(name)) captures.set(name, span);
  return { span, captures };
}

function compileRegex(source: string, flags: string, scope: RegexScope, at: JsonPath, fail: Fail): CompiledMatcher {
  const problem = regexProblem(source, flags);
  if (problem) fail(at, problem);
  const probe = new RegExp(`${source}|`, flags).exec('')!;
  const captures = new Set([
    'match',
    ...Array.from({ length: probe.length - 1 }, (_, index) => String(index + 1)),
    ...Object.keys(probe.groups ?? {}),
  ]);
  const regex = new RegExp(source, `${flags}gd`);
  return {
    captures,
    languages: new Set(SCOPE_LANGUAGES[scope]),
    run(input, budget) {
      const result: Match[] = [];
      for (const segment of segmentsOf(scope, input, budget)) {
        budget.tick();
        regex.lastIndex = 0;
        for (let m = regex.exec(segment.text); m; m = regex.exec(segment.text)) {
          budget.tick();
          if (m[0] === '') {
            regex.lastIndex++;
            continue;
          }
          const spans = new Map<string, Span>();
          const offset = segment.start;
          m.indices!.forEach((range, index) => {
            if (range) spans.set(index === 0 ? 'match' : String(index), { start: offset + range[0], end: offset + range[1] });
          });
          for (const [name, range] of Object.entries(m.indices!.groups ?? {})) {
            if (range) spans.set(name, { start: offset + range[0], end: offset + range[1] });
          }
          for (const name of captures) if (!spans.has(name)) spans.set(name, { start: offset + m.index, end: offset + m.index });
          result.push({ span: spans.get('match')!, captures: spans });
        }
      }
      return result;
    },
  };
}

interface Segment {
  start: number;
  text: string;
}

function* segmentsOf(scope: RegexScope, input: MatchInput, budget: Budget): Generator<Segment> {
  const content = input.text.content;
  const spans: Span[] = [];
  switch (scope) {
    case 'string':
      for (const literal of input.model.strings) spans.push(literal.content ?? literal);
      break;
    // Loops, not push(...array): a minified file has hundreds of thousands of identifiers, and a spread
    // passes each one as an argument (a stack overflow).
    case 'comment':
      for (const comment of input.model.comments) spans.push(comment);
      break;
    case 'identifier':
      for (const span of identifierSpans(input, budget)) spans.push(span);
      break;
    case 'code':
      input.text.lineStarts.forEach((start, line) => {
        const next = input.text.lineStarts[line + 1];
        let end = next === undefined ? content.length : next - 1;
        if (end > start && content.charCodeAt(end - 1) === 13) end--;
        spans.push({ start, end });
      });
      break;
  }
  for (const span of spans) {
    for (let start = span.start; start < span.end; start += MAX_SEGMENT) {
      yield { start, text: content.slice(start, Math.min(span.end, start + MAX_SEGMENT)) };
    }
  }
}

function identifierSpans(input: MatchInput, budget: Budget): Span[] {
  const spans: Span[] = [];
  if (input.tree) {
    const cursor = input.tree.walk();
    let visited = 0;
    for (;;) {
      if (++visited % 1024 === 0) budget.tick();
      if (IDENTIFIER_NODE.test(cursor.nodeType)) spans.push({ start: cursor.startIndex, end: cursor.endIndex });
      if (cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) {
          cursor.delete();
          return spans;
        }
      }
    }
  }
  if (input.ast) {
    esquery.traverse(
      input.ast as never,
      esquery.parse('Identifier, PrivateIdentifier'),
      (node) => {
        const range = (node as unknown as TSESTree.Node).range;
        spans.push({ start: range[0], end: range[1] });
      },
      esqueryOptions as never,
    );
    return spans;
  }
  return input.model.config.map((entry) => entry.keySpan);
}

function compileConfig(spec: { key: TextPattern; value?: TextPattern }, at: JsonPath, fail: Fail): CompiledMatcher {
  const key = compileTextPattern(spec.key, [...at, 'key'], fail);
  const value = spec.value === undefined ? () => true : compileTextPattern(spec.value, [...at, 'value'], fail);
  return {
    captures: new Set(['match', 'key', 'value']),
    languages: new Set(CONFIG_MATCHER_LANGUAGES),
    run(input, budget) {
      const result: Match[] = [];
      for (const entry of input.model.config) {
        budget.tick();
        if (!key(entry.key) || !value(entry.value)) continue;
        result.push({
          span: { start: entry.start, end: entry.end },
          captures: new Map([
            ['match', { start: entry.start, end: entry.end }],
            ['key', entry.keySpan],
            ['value', entry.valueSpan],
          ]),
        });
      }
      return result;
    },
  };
}

/** A glob (`*`, `?`) matched against the whole text, or a regex searched in it. */
export function compileTextPattern(pattern: TextPattern, at: JsonPath, fail: Fail): (text: string) => boolean {
  if (typeof pattern === 'string') {
    return (text) => matchesWildcard(pattern, text);
  }
  const problem = regexProblem(pattern.regex, pattern.flags ?? '');
  if (problem) fail([...at, 'regex'], problem);
  const regex = new RegExp(pattern.regex, pattern.flags ?? '');
  return (text) => regex.test(text.length > MAX_SEGMENT ? text.slice(0, MAX_SEGMENT) : text);
}

// ---------------------------------------------------------------------------------------------------
// Combinators and conditions

function compileAll(
  children: MatcherSpec[],
  at: JsonPath,
  sub: (child: MatcherSpec, path: JsonPath) => CompiledMatcher,
  fail: Fail,
): CompiledMatcher {
  const positives: CompiledMatcher[] = [];
  const negatives: CompiledMatcher[] = [];
  children.forEach((child, index) => {
    if ('not' in child) {
      const keys = Object.keys(child);
      if (keys.length > 1) {
        fail(
          [...at, index],
          `"not" cannot carry conditions (${keys.filter((k) => k !== 'not').join(', ')}); put them on the matcher inside it`,
        );
      }
      negatives.push(sub(child.not!, [...at, index, 'not']));
    } else positives.push(sub(child, [...at, index]));
  });
  if (positives.length === 0) fail(at, '"all" needs at least one matcher that is not "not": it says what to report');
  const [primary, ...rest] = positives;
  const captures = new Set(positives.flatMap((child) => [...child.captures]));
  return {
    captures,
    languages: intersectLanguages(positives.map((child) => child.languages)),
    run(input, budget) {
      let matches = primary.run(input, budget);
      for (const other of rest) {
        if (matches.length === 0) return matches;
        const others = other.run(input, budget);
        matches = matches.flatMap((match) => {
          const partner = others.find((candidate) => overlaps(candidate.span, match.span));
          if (!partner) return [];
          const merged = new Map(partner.captures);
          for (const [name, span] of match.captures) merged.set(name, span);
          return [{ span: match.span, captures: merged }];
        });
      }
      for (const negative of negatives) {
        if (matches.length === 0) return matches;
        const excluded = negative.run(input, budget);
        matches = matches.filter((match) => !excluded.some((candidate) => overlaps(candidate.span, match.span)));
      }
      return matches;
    },
  };
}

function withConditions(
  base: CompiledMatcher,
  spec: MatcherSpec,
  at: JsonPath,
  ruleLanguages: readonly LanguageId[],
  fail: Fail,
): CompiledMatcher {
  const filters: ((match: Match, input: MatchInput, budget: Budget) => boolean)[] = [];
  const prepare: ((input: MatchInput, budget: Budget) => void)[] = [];
  if (spec.insideFunction) {
    const where = [...at, 'insideFunction', 'name'];
    const problem = regexProblem(spec.insideFunction.name);
    if (problem) fail(where, problem);
    const name = new RegExp(spec.insideFunction.name);
    filters.push((match, input) => {
      const fn = innermostFunction(input.model, match.span);
      return !!fn && name.test(fn.name);
    });
  }
  if (spec.notPrecededBy) {
    const callMatches = compileTextPattern(spec.notPrecededBy.call, [...at, 'notPrecededBy', 'call'], fail);
    const scope = spec.notPrecededBy.scope ?? 'function';
    filters.push((match, input) => {
      const fn = scope === 'function' ? innermostFunction(input.model, match.span) : undefined;
      const calls = fn ? fn.calls : scope === 'function' ? input.model.calls.filter((call) => !call.fn) : input.model.calls;
      // FunctionDef.calls is in source order: an earlier call ends before the match starts.
      return !calls.some((call) => call.end <= match.span.start && (callMatches(call.name) || callMatches(call.callee)));
    });
  }
  if (spec.within) {
    const lines = spec.within.lines;
    const of = compileMatcher(spec.within.of, [...at, 'within', 'of'], ruleLanguages, fail, false);
    let nearby: number[] = [];
    prepare.push((input, budget) => {
      nearby = of.run(input, budget).map((m) => input.text.positionAt(m.span.start).line);
    });
    filters.push((match, input) => {
      const line = input.text.positionAt(match.span.start).line;
      return nearby.some((other) => Math.abs(other - line) <= lines);
    });
  }
  if (filters.length === 0) return base;
  return {
    ...base,
    run(input, budget) {
      const matches = base.run(input, budget);
      if (matches.length === 0) return matches;
      for (const step of prepare) step(input, budget);
      return matches.filter((match) => {
        budget.tick();
        return filters.every((filter) => filter(match, input, budget));
      });
    },
  };
}

function innermostFunction(model: CodeModel, span: Span): FunctionDef | undefined {
  let best: FunctionDef | undefined;
  for (const fn of model.functions) {
    if (fn.start <= span.start && span.end <= fn.end && (!best || fn.end - fn.start < best.end - best.start)) best = fn;
  }
  return best;
}

function overlaps(a: Span, b: Span): boolean {
  return a.start === b.start || (a.start < b.end && b.start < a.end);
}

function dedupe(matches: Match[]): Match[] {
  const seen = new Set<string>();
  return matches.filter((match) => {
    const key = `${match.span.start}:${match.span.end}`;
    return !seen.has(key) && !!seen.add(key);
  });
}

function intersect(sets: Set<string>[]): Set<string> {
  const [first, ...rest] = sets;
  return new Set([...(first ?? [])].filter((item) => rest.every((set) => set.has(item))));
}

function intersectLanguages(sets: Set<LanguageId>[]): Set<LanguageId> {
  const [first, ...rest] = sets;
  return new Set([...(first ?? [])].filter((item) => rest.every((set) => set.has(item))));
}
