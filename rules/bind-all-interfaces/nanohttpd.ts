/**
 * NanoHTTPD, the embedded HTTP server of many Android companion apps: a subclass hands its listening address to the
 * superclass constructor, which the code model keeps no call for (`class Api(port: Int) : NanoHTTPD(port)` in
 * Kotlin, `super(port)` in Java). NanoHTTPD binds `new InetSocketAddress(port)` when it has no host name, the
 * wildcard address: `NanoHTTPD(port)` and `NanoHTTPD(null, port)` listen on every interface, while
 * `NanoHTTPD("127.0.0.1", port)` listens where it is told.
 */
import type { ClassDef, CodeModel } from '../../server/src/core/model/types';
import type { Span } from '../../server/src/core/types';

/** A superclass constructor call that leaves NanoHTTPD without a host name: its span and what it passes. */
export interface WildcardNanoServer {
  span: Span;
  args: string;
}

const SUPERCLASS = 'NanoHTTPD';
const WILDCARD_HOST = /^(?:null|"0\.0\.0\.0"|"::"|"0:0:0:0:0:0:0:0")$/;

export function wildcardNanoServers(model: CodeModel, content: string): WildcardNanoServer[] {
  const found: WildcardNanoServer[] = [];
  for (const cls of model.classes) {
    if (!cls.supertypes.includes(SUPERCLASS)) continue;
    const call = superclassCall(cls, content);
    if (!call) continue;
    const args = topLevelArguments(content.slice(call.open + 1, call.close));
    if (args.length === 1 || (args.length === 2 && WILDCARD_HOST.test(args[0]))) {
      found.push({ span: { start: call.start, end: call.close + 1 }, args: args.join(', ') });
    }
  }
  return found;
}

/** Kotlin's `: NanoHTTPD(…)` in the class header, else Java's `super(…)` in the class body. */
function superclassCall(cls: ClassDef, content: string): { start: number; open: number; close: number } | undefined {
  const text = content.slice(cls.start, cls.end);
  const body = text.indexOf('{');
  const header = body < 0 ? text : text.slice(0, body);
  const kotlin = /:\s*(?:[\w.]+\.)?NanoHTTPD\s*\(/.exec(header) ?? /,\s*(?:[\w.]+\.)?NanoHTTPD\s*\(/.exec(header);
  const match = kotlin ?? /\bsuper\s*\(/.exec(text);
  if (!match) return undefined;
  const start = cls.start + match.index + (kotlin ? match[0].indexOf('N') : 0);
  const open = cls.start + match.index + match[0].length - 1;
  let depth = 0;
  for (let i = open; i < cls.end; i++) {
    if (content[i] === '(') depth++;
    else if (content[i] === ')' && --depth === 0) return { start, open, close: i };
  }
  return undefined;
}

/** The arguments of a call's text, split at commas outside brackets and strings (trimmed). */
function topLevelArguments(text: string): string[] {
  const args: string[] = [];
  let depth = 0;
  let quote = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (c === ',' && depth === 0) {
      args.push(text.slice(from, i).trim());
      from = i + 1;
    }
  }
  const last = text.slice(from).trim();
  if (last) args.push(last);
  return args;
}
