import type { LanguageId, Rule, RuleContext } from '../../server/src/core/types';
import {
  findJvmCleartextServices, findKconfigCleartextServices, findNativeCleartextServices, findNodeCleartextServices,
  findPythonCleartextServices, type CleartextServiceFinding,
} from './detect';
import { runDetectors } from '../_shared/detectors';

const DETECTORS: Partial<Record<LanguageId, (ctx: RuleContext) => CleartextServiceFinding[]>> = {
  c: findNativeCleartextServices,
  cpp: findNativeCleartextServices,
  python: findPythonCleartextServices,
  java: findJvmCleartextServices,
  kotlin: findJvmCleartextServices,
  typescript: findNodeCleartextServices,
  javascript: findNodeCleartextServices,
  kconfig: findKconfigCleartextServices,
};

export default {
  meta: {
    id: 'cleartext-service-enabled',
    title: 'Telnet, FTP or unauthenticated management service enabled',
    severity: 'high',
    confidence: 'high',
    languages: ['c', 'cpp', 'python', 'java', 'kotlin', 'typescript', 'javascript', 'kconfig'],
    cwe: [319, 306],
    fda: ['app1.E.1', 'app1.B.4', 'app1.A.1', '524b.b2'],
    iec62443: ['CR 4.1', 'CR 7.7', 'CR 2.1'],
    fix: 'suggestion',
    presets: ['recommended'],
    docs: {
      summary: [
        'Finds network services that a device or its tooling runs without encryption, and usually without authentication:',
        '- **Zephyr Kconfig** (`prj.conf`, `*.conf`): `CONFIG_SHELL_BACKEND_TELNET=y`, `CONFIG_TELNET_CONSOLE=y`, and MCUmgr over plain UDP',
        '  (`CONFIG_MCUMGR_TRANSPORT_UDP=y`, older `CONFIG_MCUMGR_SMP_UDP=y`), which accepts image uploads and resets from anyone on the network.',
        '- **FreeRTOS+TCP**: `#define ipconfigUSE_FTP 1` and `.eType = eSERVER_FTP` in the server table.',
        '- **Arduino / ESP32 / ESP8266**: `WiFiServer`/`EthernetServer`/`AsyncServer` on port 23, and `begin()` on ESPTelnet, TelnetStream and',
        '  `FtpServer` (ESP8266FtpServer, SimpleFTPServer) objects.',
        '- **Python**: pyftpdlib `FTPServer(...)` with a handler other than `TLS_FTPHandler`, telnetlib3 `create_server()`.',
        '- **Node**: `new FtpSrv(...)` from `ftp-srv` without a `tls` option.',
        '- **Java/Kotlin**: Apache FtpServer `FtpServerFactory.createServer()` in a file that never configures SSL.',
        '',
        'Clients (`telnetlib`, `ftplib`, `ftp://` URLs) are `cleartext-protocol`\'s business. `CONFIG_NET_SHELL` only adds network commands to',
        'whatever shell backend is enabled, so it is not reported by itself; the telnet backend is.',
      ].join('\n'),
      risk: 'A telnet shell or FTP server on a medical device gives anyone on the same network (hospital Wi-Fi, a compromised workstation, a home router) a way in: credentials, if there are any, cross the network in clear text, and the service usually reaches the device shell, its file system or its firmware slot. Attackers can change therapy parameters, read stored patient data or install altered firmware. Unauthenticated MCUmgr over UDP is the same in a newer form. FDA expects confidentiality of data in transit, deny-by-default for network connections and authentication on every path (Appendix 1 E.1, B.4, A.1); IEC 62443-4-2 CR 7.7 asks for least functionality.',
      fix: 'Leave the service out of production builds (a separate debug configuration, `# CONFIG_SHELL_BACKEND_TELNET is not set`, `ipconfigUSE_FTP 0`). Where remote maintenance is a requirement, use an authenticated and encrypted channel: SSH/SFTP, FTPS with `TLS_FTPHandler` or an `SslConfiguration`, MCUmgr over BLE with authenticated pairing, or an mTLS API that logs each session.',
      examples: [
        {
          language: 'kconfig',
          bad: 'CONFIG_SHELL=y\nCONFIG_SHELL_BACKEND_TELNET=y\n',
          good: 'CONFIG_SHELL=y\n# CONFIG_SHELL_BACKEND_TELNET is not set\n',
        },
        {
          language: 'python',
          bad: 'from pyftpdlib.handlers import FTPHandler\nfrom pyftpdlib.servers import FTPServer\n\nserver = FTPServer(("0.0.0.0", 21), FTPHandler)\n',
          good: 'from pyftpdlib.handlers import TLS_FTPHandler\nfrom pyftpdlib.servers import FTPServer\n\nserver = FTPServer(("0.0.0.0", 990), TLS_FTPHandler)\n',
        },
        {
          language: 'cpp',
          bad: '#include <WiFi.h>\nWiFiServer consoleServer(23);\n',
          good: '#include <WiFi.h>\nWiFiServer statusServer(8080);\n',
        },
      ],
      fixSafety: 'Suggestions only: Kconfig `=y` → `# CONFIG_X is not set` and `ipconfigUSE_FTP 1` → `0`. They remove a feature someone may rely on for service, and Kconfig dependencies may need menuconfig to settle; code that starts a server gets no fix because replacing it is a design change.',
      references: [
        { title: 'CWE-319: Cleartext Transmission of Sensitive Information', url: 'https://cwe.mitre.org/data/definitions/319.html' },
        { title: 'CWE-306: Missing Authentication for Critical Function', url: 'https://cwe.mitre.org/data/definitions/306.html' },
        { title: 'Zephyr: Shell backends', url: 'https://docs.zephyrproject.org/latest/services/shell/index.html' },
        { title: 'Zephyr: MCUmgr SMP transports', url: 'https://docs.zephyrproject.org/latest/services/device_mgmt/smp_transport.html' },
        { title: 'pyftpdlib: FTPS (TLS_FTPHandler)', url: 'https://pyftpdlib.readthedocs.io/en/latest/tutorial.html' },
      ],
    },
  },
  check(ctx) {
    runDetectors(ctx, DETECTORS);
  },
} satisfies Rule;
