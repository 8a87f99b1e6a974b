/**
 * cleartext-service-enabled, Mosquitto: a broker configuration (`mosquitto.conf`) that lets clients connect with no
 * user name (`allow_anonymous true`) on a listener other hosts reach. Every device and app on the network can then
 * subscribe to the readings and publish commands to the devices behind the broker. Mosquitto 2 binds to loopback
 * only when the file declares no listener, so a file with no `listener`/`port` line is not reported; a listener
 * bound to 127.0.0.1/localhost/::1 (or a unix socket) is not reachable from elsewhere.
 */
import type { RuleContext, Span } from '../../server/src/core/types';
import { replaceFix } from '../_shared/syntax';
import type { CleartextServiceFinding } from './detect';

/** One `directive args…` line of the file (mosquitto takes comments only at the start of a line). */
interface Directive {
  name: string;
  args: string[];
  span: Span;
  /** The span of the first argument, for a fix that changes the value. */
  argSpan?: Span;
}

interface Listener {
  port: string;
  bind?: string;
  tls: boolean;
  websockets: boolean;
  anonymous?: Directive;
}

const LOOPBACK = /^(?:127\.\d+\.\d+\.\d+|localhost|::1|ip6-localhost)$/i;
/** The options of a listener section that turn TLS (certificate or PSK) on for it. */
const TLS_OPTIONS = new Set(['certfile', 'keyfile', 'psk_hint']);
const DIRECTIVE = /^([a-z_]+)((?:[ \t]+\S+)*)[ \t]*$/;

function directives(text: string): Directive[] {
  const out: Directive[] = [];
  let offset = 0;
  for (const raw of text.split('\n')) {
    const start = offset;
    offset += raw.length + 1;
    const line = raw.replace(/\r$/, '');
    const m = DIRECTIVE.exec(line);
    if (!m) continue;
    const args = m[2].trim() ? m[2].trim().split(/[ \t]+/) : [];
    const argAt = args.length ? line.indexOf(args[0], m[1].length) : -1;
    out.push({
      name: m[1],
      args,
      span: { start, end: start + line.length },
      argSpan: argAt >= 0 ? { start: start + argAt, end: start + argAt + args[0].length } : undefined,
    });
  }
  return out;
}

/** Whether a listener takes connections from other hosts: not a unix socket and not bound to loopback. */
function reachable(listener: Listener): boolean {
  if (listener.port === '0' || listener.bind?.startsWith('/')) return false;
  return !listener.bind || !LOOPBACK.test(listener.bind);
}

/** Whether the file reads as a Mosquitto configuration: Kconfig and .env files set `KEY=value`, never `listener 1883`. */
function isMosquittoConfig(all: readonly Directive[]): boolean {
  return (
    all.some((d) => d.name === 'allow_anonymous') &&
    all.some((d) => (d.name === 'listener' || d.name === 'port') && /^\d+$/.test(d.args[0] ?? ''))
  );
}

export function findMosquittoOpenBroker(ctx: RuleContext): CleartextServiceFinding[] {
  if (!ctx.text.content.includes('allow_anonymous')) return [];
  const all = directives(ctx.text.content);
  if (!isMosquittoConfig(all)) return [];
  const perListener = all.some((d) => d.name === 'per_listener_settings' && d.args[0] === 'true');
  const listeners: Listener[] = [];
  let defaultListener: Listener | undefined;
  let globalBind: string | undefined;
  const anonymous: Directive[] = [];
  let beforeListeners: Directive | undefined;
  let current: Listener | undefined;
  for (const d of all) {
    if (d.name === 'listener' && d.args[0]) {
      current = { port: d.args[0], bind: d.args[1], tls: false, websockets: false };
      listeners.push(current);
    } else if (d.name === 'port' && d.args[0]) {
      // The deprecated default listener, configured by the options before the first `listener` line.
      defaultListener = { port: d.args[0], tls: false, websockets: false };
    } else if (d.name === 'bind_address' && d.args[0]) {
      if (current) current.bind = d.args[0];
      else globalBind = d.args[0];
    } else if (TLS_OPTIONS.has(d.name)) {
      if (current) current.tls = true;
      else if (defaultListener) defaultListener.tls = true;
    } else if (d.name === 'protocol' && d.args[0] === 'websockets' && current) {
      current.websockets = true;
    } else if (d.name === 'allow_anonymous') {
      if (!perListener) anonymous.push(d);
      else if (current) current.anonymous = d;
      // With per-listener settings, options before the first `listener` line belong to the default listener.
      else beforeListeners = d;
    }
  }
  if (defaultListener) listeners.push({ ...defaultListener, bind: globalBind, anonymous: beforeListeners });
  const out: CleartextServiceFinding[] = [];
  const report = (d: Directive, open: Listener[]) => {
    const ports = open.map((l) => `${l.port}${l.websockets ? ' (websockets)' : ''}${l.tls ? ' (TLS)' : ''}`).join(', ');
    const plain = open.some((l) => !l.tls)
      ? '; nothing on it is encrypted either, so readings, commands and any credentials cross the network in clear text'
      : '';
    out.push({
      span: d.span,
      message: `allow_anonymous true lets any client connect to this MQTT broker without a user name on listener ${ports}, reachable from other hosts: anyone on the network can subscribe to the devices' readings and publish commands to them${plain}. Set allow_anonymous false with a password_file or client certificates (require_certificate true), and serve the listener over TLS (certfile, keyfile).`,
      fix: d.argSpan ? replaceFix('Refuse anonymous clients (allow_anonymous false)', d.argSpan, 'false', 'suggestion') : undefined,
    });
  };
  for (const d of anonymous) {
    if (d.args[0] !== 'true') continue;
    const open = listeners.filter(reachable);
    if (open.length) report(d, open);
  }
  for (const l of listeners) if (l.anonymous?.args[0] === 'true' && reachable(l)) report(l.anonymous, [l]);
  return out;
}
