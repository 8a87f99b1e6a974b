/**
 * Test credentials used against a live host are live secrets. A password in a test that logs into a mock or
 * local server is the test's own; the same password sent to the vendor's real cloud is a working account, leaked
 * with the repository (an integration test that logs into CareLink with a real test account).
 *
 * The evidence is where the literal goes, by data flow (`ctx.flow.uses`):
 * - into a request call of the test itself whose URL has a real host (not loopback, not a reserved or
 *   documentation name): live;
 * - into a function of the project's own module (`carelink.Client({ password })`, `from cloud import login`):
 *   live when that module provides the fact that the function sends that parameter, or that credential field of
 *   it, in a request to a real host (`SENDS_CREDENTIAL`, provided below by every file that does so).
 * Not live: a call that is also given a local or reserved URL (the test points the client at its own server),
 * and a test file that imports an HTTP mocking library (nock, responses, MockWebServer ...): its requests are
 * answered by the mock.
 */
import * as path from 'node:path';
import type { Call, CodeModel, Expr, FunctionDef, Import } from '../../server/src/core/model/types';
import type { ProjectCondition, RuleContext, Span } from '../../server/src/core/types';
import { classifyHost, parseCleartextUrl } from '../_shared/urls';

/** Project fact: `module#function#parameter[.field]` of every function that sends that credential to a real host. */
export const SENDS_CREDENTIAL = 'sends-credential-to-live-host';

type Classify = (name: string) => { kind: string } | undefined;

const LANGUAGES = new Set(['javascript', 'typescript', 'python']);
/** Calls that send a request: HTTP verbs of axios, got, fetch, requests, httpx, aiohttp sessions and their instances. */
const REQUEST_CALLS = /^(?:post|put|patch|get|request|fetch|urlopen|Request|ajax)$/;
const HTTP_METHOD = /^(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)$/i;
/** Libraries that answer a test's requests in place of the server (JavaScript, Python, JVM). */
const HTTP_MOCKS =
  /^(?:nock|msw|fetch-mock|jest-fetch-mock|axios-mock-adapter|mock-socket|responses|requests_mock|httpretty|respx|aioresponses|pytest_httpserver|vcr|betamax|pook|okhttp3\.mockwebserver|com\.github\.tomakehurst\.wiremock|org\.mockserver)(?:[./].*)?$/;
/** Bare host names (`carelink.minimed.eu`) end in a letter TLD that is not a file extension. */
const BARE_HOST = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+([a-z]{2,})$/i;
const FILE_EXTENSIONS = new Set(['js', 'ts', 'json', 'py', 'html', 'htm', 'xml', 'txt', 'csv', 'md', 'yaml', 'yml', 'log', 'pem', 'key']);

/** How a literal host or URL reads: a real host, a local or reserved one, or not a host at all. */
export function hostKind(value: string): 'live' | 'local' | undefined {
  const text = value.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text);
  let url: string;
  if (scheme) url = text.replace(/^https/i, 'http').replace(/^wss/i, 'ws');
  else {
    const bare = BARE_HOST.exec(text) ?? /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d+)?$/i.exec(text);
    if (!bare || (bare[1] && FILE_EXTENSIONS.has(bare[1].toLowerCase()))) return undefined;
    url = `http://${text}`;
  }
  const parsed = parseCleartextUrl(url);
  if (!parsed) return undefined;
  const kind = classifyHost(parsed, url);
  if (kind === 'remote') return 'live';
  return kind === 'local' || kind === 'reserved' ? 'local' : undefined;
}

/** Whether a URL expression reaches a real host: its one value, or any literal it may come from. */
function reachesLiveHost(ctx: RuleContext, url: Expr): boolean {
  const constant = ctx.flow.constant(url);
  if (constant) return hostKind(constant.value) === 'live';
  return ctx.flow.origins(url).some((origin) => origin.kind === 'literal' && hostKind(origin.expr.value ?? '') === 'live');
}

/** The URL argument of a request call, if the call is one. */
function requestUrl(call: Call): Expr | undefined {
  if (!REQUEST_CALLS.test(call.name)) return undefined;
  const named = call.named.find((arg) => arg.key === 'url')?.value;
  if (named) return named;
  const first = call.args[0];
  return first?.kind === 'string' && HTTP_METHOD.test(first.value ?? '') ? call.args[1] : first;
}

/** Every name expression inside an argument: `options.password` in `qs.stringify({ j_password: options.password })`. */
function namesWithin(expr: Expr, out: Expr[] = [], depth = 0): Expr[] {
  if (depth > 8) return out;
  if (expr.kind === 'name') out.push(expr);
  for (const entry of expr.entries ?? []) namesWithin(entry.value, out, depth + 1);
  for (const element of expr.elements ?? []) namesWithin(element, out, depth + 1);
  for (const arg of expr.call?.args ?? []) namesWithin(arg, out, depth + 1);
  for (const arg of expr.call?.named ?? []) namesWithin(arg.value, out, depth + 1);
  if (expr.kind === 'other') for (const part of expr.parts?.() ?? []) namesWithin(part, out, depth + 1);
  return out;
}

/** A module's names for the project: its path without extension, and each shorter suffix (`pkg/client`, `client`). */
function moduleNames(relativePath: string): string[] {
  const bare = relativePath
    .replace(/\\/g, '/')
    .replace(/\.[cm]?[jt]sx?$|\.py$/, '')
    .replace(/\/(?:index|__init__)$/, '');
  const parts = bare.split('/');
  return parts.map((_, i) => parts.slice(i).join('/'));
}

/** The name a function is known by: its own, or the binding it is assigned to (`exports.Client = function (options)`). */
function functionName(model: CodeModel, fn: FunctionDef): string {
  if (fn.name) return fn.name;
  const binding = model.bindings.find((b) => b.value.start === fn.start || (b.value.end === fn.end && b.value.start < fn.start));
  return binding?.name ?? '';
}

/** The functions around an offset, innermost first. */
function enclosingFunctions(model: CodeModel, offset: number): FunctionDef[] {
  return model.functions.filter((fn) => fn.start <= offset && offset < fn.end).sort((a, b) => b.start - a.start);
}

/** Declares the functions of this file that send a credential parameter (or a credential field of one) to a real host. */
export function provideLiveLogins(ctx: RuleContext, classify: Classify): void {
  const { model } = ctx;
  if (!LANGUAGES.has(ctx.language) || !model.calls.some((call) => REQUEST_CALLS.test(call.name))) return;
  const values = new Set<string>();
  const modules = moduleNames(ctx.path);
  for (const call of model.calls) {
    const url = requestUrl(call);
    if (!url) continue;
    const sent = [...call.args, ...call.named.map((arg) => arg.value)].filter((arg) => arg !== url);
    const credentials = sent.flatMap((arg) => namesWithin(arg)).filter((name) => isCredentialReference(name, classify));
    if (!credentials.length || !reachesLiveHost(ctx, url)) continue;
    for (const name of credentials) {
      for (const parameter of parametersReferenced(model, name, ctx.language === 'python')) {
        for (const module of modules) values.add(`${module}#${parameter}`);
      }
    }
  }
  if (values.size) ctx.provide(SENDS_CREDENTIAL, [...values]);
}

/** `password`, or `options.password`: a credential by its last segment. */
function isCredentialReference(name: Expr, classify: Classify): boolean {
  const path = (name.value ?? name.text).split('.');
  return path.length <= 2 && !!classify(path[path.length - 1]);
}

/**
 * The parameters a credential reference reads, as `function#parameter[.field]`: the innermost enclosing function
 * that declares its head (a closure reads its outer function's `options`), by position and, in Python, by name
 * (a method's position not counting `self`).
 */
function parametersReferenced(model: CodeModel, name: Expr, python: boolean): string[] {
  const [head, field] = (name.value ?? name.text).split('.');
  for (const fn of enclosingFunctions(model, name.start)) {
    let index = fn.params.indexOf(head);
    if (index < 0) continue;
    const fnName = functionName(model, fn);
    if (!fnName) return [];
    const suffix = field ? `.${field}` : '';
    if (python && /^(?:self|cls)$/.test(fn.params[0] ?? '')) index -= 1;
    return [`${fnName}#${index}${suffix}`, ...(python ? [`${fnName}#${head}${suffix}`] : [])];
  }
  return [];
}

/**
 * Whether a credential literal of a test is live: `true` when it goes to a real host from this file, the
 * condition on the project when it goes to a function of the project's own module, undefined otherwise.
 */
export function testLoginLiveness(ctx: RuleContext, secret: Span): true | ProjectCondition | undefined {
  const { model } = ctx;
  if (!LANGUAGES.has(ctx.language) || model.imports.some((imported) => HTTP_MOCKS.test(imported.module))) return undefined;
  const literal = model.strings.find((s) => s.start <= secret.start && secret.end <= s.end);
  if (!literal) return undefined;
  const values: string[] = [];
  for (const use of ctx.flow.uses(literal)) {
    if (passesLocalUrl(ctx, use.call)) continue;
    const url = requestUrl(use.call);
    if (url && use.expr !== url && reachesLiveHost(ctx, url)) return true;
    const target = projectFunction(ctx, use.call);
    if (!target) continue;
    const field = typeof use.slot === 'number' ? fieldHolding(use.expr, literal) : undefined;
    for (const module of target.modules) values.push(`${module}#${target.name}#${use.slot}${field ? `.${field}` : ''}`);
  }
  return values.length ? { fact: SENDS_CREDENTIAL, anyOf: [...new Set(values)] } : undefined;
}

/** Whether a call is also given a local or reserved host (the test's own server): its requests stay here. */
function passesLocalUrl(ctx: RuleContext, call: Call): boolean {
  return ctx.model.strings.some(
    (literal) => literal.start >= call.start && literal.end <= call.end && hostKind(literal.value ?? '') === 'local',
  );
}

/** The key of the object entry that holds the literal (`password` in `Client({ username, password: "…" })`). */
function fieldHolding(argument: Expr, literal: Expr): string | undefined {
  if (argument.kind !== 'object') return undefined;
  return argument.entries?.find((entry) => entry.value.start <= literal.start && literal.end <= entry.value.end)?.key;
}

/**
 * The module of the project a call goes to, and the function's name there: `carelink.Client(…)` after
 * `require('../carelink.js')`, `login(…)` after `from cloud.session import login`. Packages from a registry are
 * not the project's (their names do not start with `.` in JavaScript); Python modules are taken as the project's
 * when a file of the project has that name (the fact decides).
 */
function projectFunction(ctx: RuleContext, call: Call): { modules: string[]; name: string } | undefined {
  const head = call.callee.split('.')[0];
  for (const imported of ctx.model.imports) {
    if (imported.local !== head) continue;
    const modules = projectModules(ctx, imported);
    if (!modules) return undefined;
    const whole = call.callee === head;
    if (whole && imported.name && imported.name !== 'default' && imported.name !== '*') return { modules, name: imported.name };
    if (whole || call.callee !== `${head}.${call.name}`) return undefined;
    // `from cloud import session` then `session.login(…)`: the module is `cloud/session`.
    const submodule = ctx.language === 'python' && imported.name && imported.name !== '*';
    return { modules: submodule ? modules.map((m) => `${m}/${imported.name}`) : modules, name: call.name };
  }
  return undefined;
}

function projectModules(ctx: RuleContext, imported: Import): string[] | undefined {
  const module = imported.module;
  if (ctx.language !== 'python') {
    if (!module.startsWith('.')) return undefined;
    return [moduleNames(path.posix.join(path.posix.dirname(ctx.path.replace(/\\/g, '/')), module))[0]];
  }
  const dots = /^\.*/.exec(module)![0].length;
  const rest = module.slice(dots).replace(/\./g, '/');
  if (!dots) return [rest];
  const folder = path.posix.join(path.posix.dirname(ctx.path.replace(/\\/g, '/')), '../'.repeat(dots - 1));
  return [moduleNames(path.posix.join(folder, rest))[0]];
}
