/**
 * debug-interface-enabled: debug and test access left on in what ships: JTAG, ROM download mode and GDB stubs
 * in ESP-IDF/Zephyr configuration, the Zephyr shell in a product configuration, debuggable Android builds and
 * WebView debugging, Flask/Django debug mode, and the Node inspector in production start scripts.
 */
import type { LanguageId, Rule, RuleContext } from '../../server/src/core/types';
import { findPythonDebugMode, findWebViewDebugging } from './code';
import type { DebugHit } from './config';
import {
  findDotenvInspect, findKconfigDebugInterfaces, findManifestDebuggable, findPackageJsonInspect,
} from './config';
import { runDetectors } from '../_shared/detectors';

const DETECTORS: Partial<Record<LanguageId, (ctx: RuleContext) => DebugHit[]>> = {
  kconfig: findKconfigDebugInterfaces,
  'android-manifest': findManifestDebuggable,
  java: findWebViewDebugging,
  kotlin: findWebViewDebugging,
  python: findPythonDebugMode,
  json: findPackageJsonInspect,
  dotenv: findDotenvInspect,
};

export default {
  meta: {
    id: 'debug-interface-enabled',
    title: 'Debug or test interface enabled in a release configuration',
    severity: 'high',
    confidence: 'high',
    languages: ['kconfig', 'android-manifest', 'java', 'kotlin', 'python', 'json', 'dotenv'],
    cwe: [1191, 489, 1244, 215],
    fda: ['app1.D.5', '524b.b2'],
    iec62443: ['EDR 2.13', 'CR 7.7'],
    fix: 'suggestion',
    presets: ['recommended'],
    docs: {
      summary: [
        'Finds debug and test access that is switched on in configuration or code that ships:',
        '- **sdkconfig / prj.conf**: `CONFIG_SECURE_BOOT_ALLOW_JTAG=y`, `CONFIG_SECURE_BOOT_ALLOW_ROM_BASIC=y`, `CONFIG_SECURE_INSECURE_ALLOW_DL_MODE=y`,',
        '  `CONFIG_SECURE_FLASH_UART_BOOTLOADER_ALLOW_DEC`/`_CACHE=y`, the GDB stub (`CONFIG_ESP_SYSTEM_GDBSTUB_RUNTIME`, `CONFIG_ESP_SYSTEM_PANIC_GDBSTUB`,',
        '  `CONFIG_ESP32_PANIC_GDBSTUB`, Zephyr `CONFIG_GDBSTUB`), and `CONFIG_SHELL=y` (medium confidence). Files whose name marks them as development',
        '  configuration (`prj_debug.conf`, `overlay-dev.conf`, `sdkconfig.debug`) are not checked.',
        '- **AndroidManifest.xml**: `android:debuggable="true"` on `<application>`.',
        '- **Java/Kotlin**: `WebView.setWebContentsDebuggingEnabled(true)` that is not inside `if (BuildConfig.DEBUG)`.',
        '- **Python**: Flask `app.run(debug=True)` (medium confidence under `if __name__ == "__main__"`), `app.debug = True`, `app.config["DEBUG"] = True`,',
        '  `app.config.update(DEBUG=True)`, and `DEBUG = True` in Django settings modules other than development ones.',
        '- **package.json / .env**: `--inspect`, `--inspect-brk` or `--inspect-wait` in the `start`/`serve`/`prod` scripts or in `NODE_OPTIONS`.',
      ].join('\n'),
      risk: 'Debug interfaces bypass every other control on the device. An open JTAG port or ROM download mode lets someone with brief physical access (a service visit, a device sent for repair, a stolen unit) read the keys and patient data, and write firmware that secure boot was meant to refuse. A GDB stub or shell on the console UART does the same from a serial cable. On the app and service side, a debuggable Android build, WebView remote debugging, the Werkzeug debugger and the Node inspector each give code execution or token theft to anyone who can reach them. FDA expects test and debug ports to be disabled or restricted before delivery (Appendix 1 D.5); IEC 62443-4-2 EDR 2.13 asks for the same.',
      fix: 'Keep debug settings in a debug-only configuration: an ESP-IDF `sdkconfig.debug`/Zephyr `overlay-debug.conf`, the Gradle debug build type (which sets `debuggable` for you), `if (BuildConfig.DEBUG)`, a `FLASK_DEBUG` environment variable in development, a separate `debug` npm script. For production hardware, also burn the eFuses or set APPROTECT/RDP so the port cannot be reopened by a firmware change.',
      examples: [
        {
          language: 'kconfig',
          bad: 'CONFIG_SECURE_BOOT=y\nCONFIG_SECURE_BOOT_ALLOW_JTAG=y\n',
          good: 'CONFIG_SECURE_BOOT=y\n# CONFIG_SECURE_BOOT_ALLOW_JTAG is not set\n',
        },
        {
          language: 'android-manifest',
          bad: '<manifest xmlns:android="http://schemas.android.com/apk/res/android">\n    <application android:label="Pump" android:debuggable="true" />\n</manifest>\n',
          good: '<manifest xmlns:android="http://schemas.android.com/apk/res/android">\n    <application android:label="Pump" />\n</manifest>\n',
        },
        {
          language: 'python',
          bad: 'from flask import Flask\napp = Flask(__name__)\napp.run(host="127.0.0.1", port=8080, debug=True)\n',
          good: 'import os\nfrom flask import Flask\napp = Flask(__name__)\napp.run(host="127.0.0.1", port=8080, debug=os.environ.get("FLASK_DEBUG") == "1")\n',
        },
        {
          language: 'kotlin',
          bad: 'fun setUpWebView() {\n    WebView.setWebContentsDebuggingEnabled(true)\n}\n',
          good: 'fun setUpWebView() {\n    WebView.setWebContentsDebuggingEnabled(BuildConfig.DEBUG)\n}\n',
        },
      ],
      fixSafety: 'Every fix is a suggestion: `=y` → `=n` in Kconfig (dependent options may need menuconfig to settle, and a production line may rely on the port for provisioning), `android:debuggable` → `"false"` (better: remove it and let the build type decide), `setWebContentsDebuggingEnabled(true)` → `BuildConfig.DEBUG`, and Flask/Django `True` → `False` (development setups that relied on it must then set it from the environment). The Node inspector flag gets no fix: the script may need rewriting rather than a flag deleted.',
      references: [
        { title: 'CWE-1191: On-Chip Debug and Test Interface With Improper Access Control', url: 'https://cwe.mitre.org/data/definitions/1191.html' },
        { title: 'CWE-489: Active Debug Code', url: 'https://cwe.mitre.org/data/definitions/489.html' },
        { title: 'ESP-IDF: Secure Boot v2 and insecure options', url: 'https://docs.espressif.com/projects/esp-idf/en/latest/esp32/security/secure-boot-v2.html' },
        { title: 'Android: android:debuggable', url: 'https://developer.android.com/guide/topics/manifest/application-element#debug' },
        { title: 'Flask: Debug mode', url: 'https://flask.palletsprojects.com/en/stable/debugging/' },
        { title: 'Node.js: Debugging security implications', url: 'https://nodejs.org/en/learn/getting-started/debugging#security-implications' },
      ],
    },
  },
  check(ctx) {
    runDetectors(ctx, DETECTORS);
  },
} satisfies Rule;
