/**
 * bind-all-interfaces: network servers that listen on every interface (0.0.0.0, ::, INADDR_ANY) instead of the
 * one they serve.
 */

import { findWildcardBinds } from './detect';
import docs from './docs.md';
import { defineRule } from '../_shared/define-rule';
import { byLanguageFamily } from '../_shared/language-family';

export default defineRule({
  meta: {
    id: 'bind-all-interfaces',
    title: 'Server bound to all network interfaces',
    severity: 'medium',
    confidence: 'medium',
    languages: ['c', 'cpp', 'python', 'typescript', 'javascript', 'java', 'kotlin'],
    cwe: [1327],
    fda: ['app1.B.3', 'app1.B.4', '524b.b2'],
    sees: 'servers listening on every network interface',
    iec62443: ['CR 2.1', 'CR 7.7'],
    fix: 'none',
    presets: ['recommended'],
    docs,
    // What each family's detector matches: the socket `bind` calls (`bind`, `zsock_bind`, `lwip_bind`, lwIP's
    // `*_bind`); Python's `host=`, `bind`, `*Server` classes, `make_server`, `start_server`, aiohttp's `TCPSite`; Node's `listen` and
    // `bind`; the JVM's `host =`, `InetSocketAddress`, `getByName`, `ServerSocket`, `NanoHTTPD` subclasses.
    needs: (_, language) =>
      byLanguageFamily<readonly string[] | undefined>(
        language,
        {
          native: () => ['bind'],
          python: () => ['host', 'bind', 'server', 'tcpsite'],
          js: () => ['listen', 'bind'],
          jvm: () => ['host', 'inetsocketaddress', 'getbyname', 'serversocket', 'nanohttpd'],
        },
        undefined,
      ),
  },
  check(ctx) {
    const seen = new Set<number>();
    for (const hit of findWildcardBinds(ctx.language, ctx.model, ctx.flow, ctx.text.content)) {
      if (seen.has(hit.span.start)) continue;
      seen.add(hit.span.start);
      ctx.report({
        span: hit.span,
        message: `${hit.what[0].toUpperCase()}${hit.what.slice(1)}: every network the device is on (hospital LAN, service port, Wi-Fi, USB gadget) can reach it. Bind to the address of the interface it serves and firewall the rest.`,
        confidence: hit.confidence,
      });
    }
  },
});
