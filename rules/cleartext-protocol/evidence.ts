/**
 * Why a cleartext URL is an endpoint: the value reaches a network sink (`ctx.flow.uses` from the literal to a
 * client, connect, WebView or download call), or it is configuration: a file-level constant, a field of a
 * file-level configuration object, or a Kconfig/.env entry, whose key names an endpoint (`BROKER_URL`,
 * `.uri`, `API_HOST`) or whose scheme is a device protocol (mqtt, coap, ws, tftp, telnet). A URL that merely
 * looks like one (an XML parser feature id, a test value, a hyperlink, a placeholder) is neither.
 */
import type { FlowStep, FlowUse } from '../../server/src/core/flow/value-flow';
import type { Binding, Call, Expr } from '../../server/src/core/model/types';
import type { RuleContext, Span } from '../../server/src/core/types';
import type { Node } from 'web-tree-sitter';
import { identifierWords } from '../_shared/identifier-words';
import { isBrowserOpen, sinksFor, type NetworkSink } from '../_shared/network-sinks';
import { innermostBindingHolding } from '../_shared/binding-containers';

export type Evidence = { kind: 'sink'; sink: NetworkSink; call: Call; steps: FlowStep[] } | { kind: 'config'; key: string };

/** Words of a key that names where a program connects. */
const ENDPOINT_WORDS: ReadonlySet<string> = new Set([
  'url',
  'urls',
  'uri',
  'uris',
  'host',
  'hostname',
  'server',
  'servers',
  'endpoint',
  'endpoints',
  'broker',
  'api',
  'gateway',
  'backend',
  'proxy',
  'webhook',
  'upstream',
  'remote',
]);
/** Words of a key that names a page for a person to read: a link shown or opened, not an endpoint. */
const PAGE_WORDS: ReadonlySet<string> = new Set([
  'homepage',
  'home',
  'docs',
  'doc',
  'documentation',
  'help',
  'support',
  'license',
  'licence',
  'privacy',
  'terms',
  'tos',
  'policy',
  'repo',
  'repository',
  'website',
  'site',
  'wiki',
  'faq',
  'manual',
  'changelog',
  'release',
  'notes',
  'issues',
  'bug',
  'bugs',
  'tracker',
  'donate',
  'feedback',
  'article',
  'kb',
  'tutorial',
  'guide',
  'link',
  'page',
  'blog',
  'forum',
  'store',
  'learn',
  'about',
  'contact',
]);
/** Schemes other than http, which no hyperlink, namespace or identifier uses: a constant holding one is an endpoint. */
const DEVICE_SCHEMES: ReadonlySet<string> = new Set(['mqtt', 'coap', 'ws', 'ftp', 'tftp', 'telnet', 'tcp']);
/** Property keys through which a configuration object hands a client its URL. */
const URL_KEY_WORDS: ReadonlySet<string> = new Set(['url', 'uri', 'host', 'hostname', 'server', 'broker', 'endpoint', 'address', 'addr']);

export function namesEndpoint(key: string): boolean {
  const words = identifierWords(key);
  return words.some((w) => ENDPOINT_WORDS.has(w)) && !words.some((w) => PAGE_WORDS.has(w));
}

/** A Kconfig / .env entry is an endpoint setting when its key names one, or its scheme is a device protocol. */
export function isEndpointSetting(key: string, scheme: string): boolean {
  return namesEndpoint(key) || DEVICE_SCHEMES.has(scheme);
}

/** Why the URL in `expr` (a literal, or an interpolated string) is an endpoint; undefined when it is not. */
export function endpointEvidence(ctx: RuleContext, expr: Expr, scheme: string): Evidence | undefined {
  const uses = ctx.flow.uses(expr);
  if (isPlaceholderUrlObject(ctx, uses)) return undefined;
  const holder = enclosingBinding(ctx, expr, 'any');
  const sinks = sinksFor(ctx.language);
  for (const use of uses) {
    const sink = sinks.find((s) => s.slots.includes(use.slot) && s.matches(use.call));
    if (sink && carriesUrl(use, holder)) return { kind: 'sink', sink, call: use.call, steps: use.steps };
  }
  if (uses.some((use) => isBrowserOpen(use.call))) return undefined;
  if (!holder) return annotationEvidence(ctx, expr);
  if (holder.fn || !holdsValue(holder.value, expr)) return undefined;
  if (!namesEndpoint(holder.name) && !DEVICE_SCHEMES.has(scheme)) return undefined;
  const owner = holder.kind === 'property' ? enclosingBinding(ctx, holder, 'variable') : undefined;
  return { kind: 'config', key: owner ? `${owner.target}.${holder.name}` : holder.target };
}

/** Retrofit's request annotations: an absolute URL in one is where the request goes. */
const RETROFIT_METHODS = /^(?:GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS|HTTP)$/;

/**
 * A URL handed to a framework in an annotation (Java, Kotlin): an element whose name says endpoint
 * (`@ReportsCrashes(formUri = "http://…")`, ACRA's crash-report upload), or the path of a Retrofit request
 * annotation (`@GET("http://…/entries.json")`) in a file that imports Retrofit. Undefined for any other place.
 */
export function annotationEvidence(ctx: RuleContext, expr: Expr): Evidence | undefined {
  if ((ctx.language !== 'java' && ctx.language !== 'kotlin') || !ctx.tree) return undefined;
  let element: string | undefined;
  for (let node: Node | null = ctx.tree.rootNode.descendantForIndex(expr.start, expr.end); node; node = node.parent) {
    if (node.type === 'element_value_pair') element ??= node.childForFieldName('key')?.text;
    if (node.type === 'value_argument') element ??= node.namedChildren.find((c) => c?.type === 'simple_identifier')?.text;
    if (node.type !== 'annotation' && node.type !== 'marker_annotation') continue;
    const name = annotationName(node);
    if (element && namesEndpoint(element)) return { kind: 'config', key: `@${name}.${element}` };
    if (!element && RETROFIT_METHODS.test(name) && /^import\s+retrofit2\.http\b/m.test(ctx.text.content)) {
      return { kind: 'config', key: `@${name}` };
    }
    return undefined;
  }
  return undefined;
}

/** `ReportsCrashes` for `@org.acra.annotation.ReportsCrashes(…)` and `@GET(…)`. */
function annotationName(annotation: Node): string {
  const name = annotation.childForFieldName('name') ?? annotation.namedChildren.find((c) => c?.type !== 'annotation_argument_list');
  return (name?.text ?? '').replace(/\(.*$/s, '').split('.').pop()?.trim() ?? '';
}

/**
 * Whether a use passes the URL itself: when the literal sits in an object or struct handed to the sink
 * (`esp_http_client_init(&config)`, `axios({ url })`), only under a key through which clients take URLs.
 */
function carriesUrl(use: FlowUse, holder: Binding | undefined): boolean {
  const property = holder?.kind === 'property' ? holder : undefined;
  if (!property) return true;
  if (identifierWords(property.name).some((w) => URL_KEY_WORDS.has(w))) return true;
  return new RegExp(`[.\\[]['"]?${property.name.replace(/\W/g, '\\$&')}['"]?\\]?$`).test(use.expr.text);
}

/**
 * The innermost binding whose value holds `span`: any (a variable, or a property such as `{ url: … }` or
 * `.uri = …`), or only a variable.
 */
function enclosingBinding(ctx: RuleContext, span: Span, which: 'any' | 'variable'): Binding | undefined {
  return which === 'any'
    ? innermostBindingHolding(ctx.model, span, 'endpoint-any', (b) => b.kind !== 'property' || /^[\w$]+$/.test(b.name))
    : innermostBindingHolding(ctx.model, span, 'endpoint-variable', (b) => b.kind !== 'property');
}

/** Calls whose last argument is a default the result falls back to: `os.environ.get("X", "mqtt://…")`. */
const DEFAULT_GETTERS = /^(?:get|getenv|getProperty|getOrDefault|getString|setdefault|get_env)$/;

/** Whether a binding's value is the URL (or a concatenation, a fallback or a default built from it). */
function holdsValue(value: Expr, expr: Expr): boolean {
  if (value.start === expr.start && value.end === expr.end) return true;
  if (value.kind === 'other') {
    if (value.operator && !['+', '||', '??', 'or', '?:'].includes(value.operator)) return false;
    return (value.parts?.() ?? []).some((part) => holdsValue(part, expr));
  }
  if (value.kind === 'call' && value.call && DEFAULT_GETTERS.test(value.call.name)) {
    const last = value.call.args[value.call.args.length - 1];
    return !!last && holdsValue(last, expr);
  }
  return false;
}

/**
 * `new URL("http://bogus.url/")` whose `protocol` (or `href`) is set afterwards: the literal is a placeholder
 * to build on, and the scheme that is used comes from elsewhere.
 */
function isPlaceholderUrlObject(ctx: RuleContext, uses: readonly FlowUse[]): boolean {
  const construction = uses.find((use) => use.call.isNew && use.call.name === 'URL' && use.slot === 0);
  if (!construction) return false;
  const holder = ctx.model.bindings.find(
    (b) => b.kind !== 'property' && b.value.kind === 'call' && b.value.start === construction.call.start,
  );
  if (!holder) return false;
  return ctx.model.bindings.some(
    (b) => b.start > holder.start && (b.target === `${holder.target}.protocol` || b.target === `${holder.target}.href`),
  );
}
