/**
 * HTTP Basic credentials checked by a device web server that has no TLS: the Arduino cores' `WebServer` (ESP32) and
 * `ESP8266WebServer` serve plain HTTP only (their TLS variants are other classes: `ESP8266WebServerSecure`,
 * `WebServerSecure`), so `server.authenticate(user, pass)` on them takes a password that every request carries in
 * Base64 across the network. Evidence: the receiver is declared as one of those classes in this file, or the file
 * includes one of their headers, names no TLS server, and asks for authentication on the same receiver. A server that
 * asks for Digest authentication (`requestAuthentication(DIGEST_AUTH)`) never receives the password itself: not reported.
 *
 * The same on Android and Java: a NanoHTTPD server (plain HTTP unless `makeSecure()` gives it a TLS socket factory)
 * that answers with `WWW-Authenticate: Basic`, asking every client to send its password in Base64.
 */
import type { Call } from '../../server/src/core/model/types';
import type { RuleContext, Span } from '../../server/src/core/types';

export interface PlainAuthHit {
  span: Span;
  message: string;
}

/** The Arduino web server classes that speak plain HTTP only. */
const PLAIN_SERVER_TYPE = /^(?:WebServer|ESP8266WebServer|ESP8266WebServerTemplate<WiFiServer>)$/;
const PLAIN_SERVER_HEADER = /#\s*include\s*[<"](?:WebServer|ESP8266WebServer)\.h[>"]/;
/** A TLS server anywhere in the file: the receiver might be that one. */
const TLS_SERVER = /WebServerSecure|HTTPSServer|ServerSecure|httpd_ssl/;

export function findPlainWebServerAuth(ctx: RuleContext): PlainAuthHit[] {
  if (ctx.language === 'java' || ctx.language === 'kotlin') return nanoHttpdBasicAuth(ctx);
  if (ctx.language !== 'cpp') return [];
  const text = ctx.text.content;
  if (!text.includes('authenticate') || TLS_SERVER.test(text) || /\bDIGEST_AUTH\b/.test(text)) return [];
  const header = PLAIN_SERVER_HEADER.test(text);
  const hits: PlainAuthHit[] = [];
  for (const call of ctx.model.calls) {
    if (call.name !== 'authenticate' || call.args.length !== 2 || !call.receiver) continue;
    const receiver = receiverName(call);
    const declared = declaredPlainServer(ctx, receiver);
    if (!declared && !(header && asksForAuthentication(ctx, receiver))) continue;
    hits.push({
      span: call.calleeSpan,
      message: `${call.receiver.text.trim()}.authenticate() checks an HTTP Basic user name and password on the Arduino ${declared ?? 'WebServer'}, which serves plain HTTP only: every request carries the password in Base64 across the network, for anyone on the same Wi-Fi to read and replay against this device. Serve the interface over TLS (a TLS web server such as esp_https_server) or, where that is not possible, keep the password off the network (Digest authentication, or a per-device pairing step) and never reuse it elsewhere.`,
    });
  }
  return hits;
}

/** `this->m_webserver`, `server`, `(*web)`: the name the server object goes by. */
function receiverName(call: Call): string {
  return (call.receiver?.text ?? '').replace(/^\s*\(?\s*\*?\s*(?:this->)?/, '').replace(/[\s)]/g, '');
}

/** The plain server class a variable of this name is declared with in the file (`WebServer server(80)`, `ESP8266WebServer *web`). */
function declaredPlainServer(ctx: RuleContext, name: string): string | undefined {
  for (const v of ctx.model.variables) {
    if (v.name !== name || !v.type) continue;
    const type = v.type
      .replace(/\s+/g, '')
      .replace(/^(?:std::unique_ptr|std::shared_ptr)<(.*)>$/, '$1')
      .replace(/[*&]/g, '');
    if (PLAIN_SERVER_TYPE.test(type)) return type;
  }
  return undefined;
}

/** The same receiver answers with `requestAuthentication()`: it is the web server whose request is being checked. */
function asksForAuthentication(ctx: RuleContext, name: string): boolean {
  return ctx.model.calls.some((c) => c.name === 'requestAuthentication' && receiverName(c) === name);
}

/** A class of the file that extends NanoHTTPD (`: NanoHTTPD(port)`, `extends NanoHTTPD`). */
const NANOHTTPD = /^(?:fi\.iki\.elonen\.)?NanoHTTPD\b/;

function nanoHttpdBasicAuth(ctx: RuleContext): PlainAuthHit[] {
  const text = ctx.text.content;
  if (!text.includes('NanoHTTPD') || !/WWW-Authenticate/i.test(text) || text.includes('makeSecure')) return [];
  if (!ctx.model.classes.some((c) => c.supertypes.some((s) => NANOHTTPD.test(s.trim())))) return [];
  const hits: PlainAuthHit[] = [];
  for (const call of ctx.model.calls) {
    if (call.name !== 'addHeader' || call.args.length !== 2) continue;
    const [name, value] = call.args;
    if (!/^www-authenticate$/i.test(name.value ?? '') || !/^\s*Basic\b/i.test(value.value ?? value.text.replace(/^"/, ''))) continue;
    hits.push({
      span: call.calleeSpan,
      message: `This NanoHTTPD server asks clients for HTTP Basic credentials (WWW-Authenticate: Basic) and serves plain HTTP (no makeSecure()): every request then carries the user name and password in Base64 across the network, for anyone on the same Wi-Fi to read and replay. Serve it over TLS (makeSecure() with a key from the Android keystore) or bind it to localhost only.`,
    });
  }
  return hits;
}
