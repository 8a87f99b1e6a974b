/**
 * bind-all-interfaces: network servers that listen on every interface (0.0.0.0, ::, INADDR_ANY) instead of the
 * one they serve.
 */
import type { Rule } from '../../server/src/core/types';
import { findWildcardBinds } from './detect';

export default {
  meta: {
    id: 'bind-all-interfaces',
    title: 'Server bound to all network interfaces',
    severity: 'medium',
    confidence: 'medium',
    languages: ['c', 'cpp', 'python', 'typescript', 'javascript', 'java', 'kotlin'],
    cwe: [1327],
    fda: ['app1.B.3', 'app1.B.4', '524b.b2'],
    iec62443: ['CR 2.1', 'CR 7.7'],
    fix: 'none',
    presets: ['recommended'],
    docs: {
      summary: [
        'Finds servers that listen on the wildcard address, so they accept connections on every interface the device has:',
        '- **C/C++**: a `sockaddr_in`/`sockaddr_in6` address set to `INADDR_ANY`, `htonl(INADDR_ANY)` or `in6addr_any` in a function (or file-scope',
        '  initializer) that calls `bind()`/`zsock_bind()`; lwIP `tcp_bind`/`udp_bind`/`netconn_bind` with `IP_ADDR_ANY`/`IP_ANY_TYPE` (low confidence).',
        '- **Python**: `sock.bind(("0.0.0.0", port))` or `("", port)`, `HTTPServer(("", port), ...)` and the other `socketserver` classes,',
        '  `make_server("", ...)`, `asyncio.start_server(cb, "0.0.0.0", ...)`, and `host="0.0.0.0"` or `"::"` in any call (Flask, uvicorn, aiohttp).',
        '- **Node**: `server.listen(port, "0.0.0.0")`, `listen({ host: "::" })`, `dgram` `socket.bind(port, "0.0.0.0")`.',
        '- **Java/Kotlin**: `new InetSocketAddress("0.0.0.0", port)`, `InetAddress.getByName("0.0.0.0")`, Ktor `host = "0.0.0.0"`; and, with low',
        '  confidence, `new ServerSocket(port)` and `new InetSocketAddress(port)`, which bind the wildcard address by default.',
        '',
        'Hosts held in a constant (`HOST = "0.0.0.0"`) are followed within the file. Loopback (`127.0.0.1`, `localhost`, `::1`) and specific',
        'interface addresses are not reported; nor is Node `listen(port)` without a host, which is too common to report on its own.',
      ].join('\n'),
      risk: 'A device usually has more interfaces than the one a service is meant for: a hospital LAN and a service Ethernet port, Wi-Fi and a USB network gadget, a VPN to the manufacturer, a debug interface. A service bound to all of them is reachable from networks it was never designed or tested for, so an update endpoint, a diagnostics API or a local dashboard meant for one link becomes attack surface on every link. FDA expects least privilege and deny-by-default for network connections (Appendix 1 B.3 and B.4).',
      fix: 'Bind each server to the address of the interface it serves (`127.0.0.1` for a local UI or IPC, the service-port address for a maintenance API) and let configuration choose it per deployment. Keep a host firewall that admits only the expected peers even then. If a server really must accept on every interface, document why and suppress the finding with that justification.',
      examples: [
        {
          language: 'python',
          bad: 'import socket\nsock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)\nsock.bind(("0.0.0.0", 5020))\n',
          good: 'import socket\nsock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)\nsock.bind(("127.0.0.1", 5020))\n',
        },
        {
          language: 'c',
          bad: 'int open_service_port(int fd) {\n    struct sockaddr_in addr = {0};\n    addr.sin_family = AF_INET;\n    addr.sin_port = htons(5020);\n    addr.sin_addr.s_addr = htonl(INADDR_ANY);\n    return bind(fd, (struct sockaddr *)&addr, sizeof addr);\n}\n',
          good: 'int open_service_port(int fd, in_addr_t service_if) {\n    struct sockaddr_in addr = {0};\n    addr.sin_family = AF_INET;\n    addr.sin_port = htons(5020);\n    addr.sin_addr.s_addr = service_if;\n    return bind(fd, (struct sockaddr *)&addr, sizeof addr);\n}\n',
        },
        {
          language: 'typescript',
          bad: "import http from 'http';\nhttp.createServer(handler).listen(8080, '0.0.0.0');\n",
          good: "import http from 'http';\nhttp.createServer(handler).listen(8080, '127.0.0.1');\n",
        },
      ],
      fixSafety: 'No automatic fix: the right address depends on which interface the service is for, and replacing the wildcard with loopback would cut off legitimate remote clients.',
      references: [
        { title: 'CWE-1327: Binding to an Unrestricted IP Address', url: 'https://cwe.mitre.org/data/definitions/1327.html' },
        { title: 'Python: socket.bind and the empty host', url: 'https://docs.python.org/3/library/socket.html#socket-families' },
        { title: 'Node.js: server.listen()', url: 'https://nodejs.org/api/net.html#serverlisten' },
        { title: 'Java: ServerSocket(int port)', url: 'https://docs.oracle.com/en/java/javase/21/docs/api/java.base/java/net/ServerSocket.html' },
      ],
    },
  },
  check(ctx) {
    const seen = new Set<number>();
    for (const hit of findWildcardBinds(ctx.language, ctx.model)) {
      if (seen.has(hit.span.start)) continue;
      seen.add(hit.span.start);
      ctx.report({
        span: hit.span,
        message: `${hit.what[0].toUpperCase()}${hit.what.slice(1)}: every network the device is on (hospital LAN, service port, Wi-Fi, USB gadget) can reach it. Bind to the address of the interface it serves and firewall the rest.`,
        confidence: hit.confidence,
      });
    }
  },
} satisfies Rule;
