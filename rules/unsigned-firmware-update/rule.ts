import type { Call, FunctionDef } from '../../server/src/core/model/types';
import type { LanguageId, Rule, RuleContext } from '../../server/src/core/types';
import {
  FILE_MITIGATIONS, FIRMWARE_SINKS, REMEDY, SIGNED_BUILD_SYMBOL, UPDATE_SERVER_TYPES, isConstantTimeCompare,
  isMacComputation, isSettingsFunctionName, isUpdateFunctionName, isVerificationName,
} from '../_shared/update-apis';
import type { SinkSpec } from '../_shared/update-apis';
import { checkAppUpdates } from './app';
import { buildCallGraph, checkedBefore, reachableFrom, signaturePathFacts } from '../_shared/update-paths';

/** Project fact through which files tell each other where signatures are checked (see checkFirmware). */
const SIGNATURE_PATH = 'signature-path';

/**
 * An update path that writes or activates firmware with no signature or MAC check on it lets anyone who can
 * reach the update channel run their code on the device. The check follows calls between the functions of
 * one file; a verification in another file is a later step, so the rule stays at medium confidence.
 */

/** Whether the file refuses to build without signed updates: `#if !CONFIG_SECURE_SIGNED_ON_UPDATE` + `#error`. */
function hasSignedBuildGuard(ctx: RuleContext): boolean {
  const inComment = (offset: number) => ctx.model.comments.some((c) => c.start <= offset && offset < c.end);
  const lines = ctx.text.content.split('\n');
  let offset = 0;
  let condition: string | undefined;
  for (const line of lines) {
    const directive = /^\s*#\s*(if|ifdef|ifndef|elif|error)\b(.*)$/.exec(line);
    if (directive && !inComment(offset)) {
      if (directive[1] === 'error') {
        if (condition !== undefined && SIGNED_BUILD_SYMBOL.test(condition)) return true;
      } else {
        condition = directive[2];
      }
    }
    offset += line.length + 1;
  }
  return ctx.model.calls.some((call) =>
    /^(BUILD_ASSERT|static_assert|_Static_assert)$/.test(call.name) && call.args.some((a) => SIGNED_BUILD_SYMBOL.test(a.text)));
}

/** Variables declared as an Arduino HTTP update server (`ESP8266HTTPUpdateServer httpUpdater;`). */
function updateServerVariables(ctx: RuleContext): Set<string> {
  const names = new Set<string>();
  const declaration = new RegExp(`\\b(?:${UPDATE_SERVER_TYPES.join('|')})\\s*\\*?\\s*([A-Za-z_]\\w*)\\s*[;=({,]`, 'g');
  for (const match of ctx.text.content.matchAll(declaration)) {
    const at = match.index ?? 0;
    if (ctx.model.comments.some((c) => c.start <= at && at < c.end)) continue;
    names.add(match[1]);
  }
  return names;
}

function checkFirmware(ctx: RuleContext): void {
  const { model, text } = ctx;
  const graph = buildCallGraph(model.functions, text);
  const fileHasMac = model.calls.some((c) => isMacComputation(c.name));
  const isVerification = (call: { name: string }) =>
    isVerificationName(call.name) || (fileHasMac && isConstantTimeCompare(call.name));
  const signedBuild = hasSignedBuildGuard(ctx);
  const fileCalls = (names: ReadonlySet<string> | undefined) => !!names && model.calls.some((c) => names.has(c.callee));
  const arduinoSigned = model.calls.some((c) => c.callee === 'Update.installSignature');
  const serverVariables = updateServerVariables(ctx);
  const updatePath = reachableFrom(
    graph, model.functions.filter((fn) => isUpdateFunctionName(fn.name)), (fn) => isSettingsFunctionName(fn.name));

  const report = (spec: SinkSpec, call: Call, problem: string) =>
    ctx.report({
      span: { start: call.start, end: call.end },
      message: `\`${call.callee}()\` ${spec.action}${problem} ${REMEDY[spec.ecosystem]}`,
    });

  // Other files can answer a path that leaves this one: a function they define verifies, or they verify
  // before calling into this file (project facts, resolved after a whole-project scan).
  ctx.provide(SIGNATURE_PATH, signaturePathFacts(graph, model.functions, isVerification));

  const checkPath = (spec: SinkSpec, fn: FunctionDef, index: number) => {
    if (signedBuild || (spec.ecosystem === 'arduino' && arduinoSigned)) return;
    const verdict = checkedBefore(graph, fn, index, isVerification);
    if (verdict.verified) return;
    const where = verdict.reachesUncalledRoot ? 'in this file (callers in other files count when the whole project is scanned)' : 'on any path in this file';
    const call = fn.calls[index];
    const anyOf = [...verdict.externalCallsBefore.map((name) => `verifier:${name}`), ...verdict.uncalledRoots.map((name) => `called-after-verify:${name}`)];
    ctx.report({
      span: { start: call.start, end: call.end },
      message: `\`${call.callee}()\` ${spec.action} with no signature or MAC verification before it ${where}, so a tampered image would run on the device. ${REMEDY[spec.ecosystem]}`,
      ...(anyOf.length ? { unless: { fact: SIGNATURE_PATH, anyOf } } : {}),
    });
  };

  for (const fn of model.functions) {
    const fnText = text.content.slice(fn.start, fn.end);
    fn.calls.forEach((call, index) => {
      for (const spec of FIRMWARE_SINKS) {
        if (!spec.matches(call)) continue;
        if (spec.deferTo && model.calls.some((c) => spec.deferTo!.includes(c.name))) continue;
        if (spec.benign?.(fn, fnText)) continue;
        switch (spec.kind) {
          case 'path':
            checkPath(spec, fn, index);
            break;
          case 'update-path-write':
            if (updatePath.has(fn)) checkPath(spec, fn, index);
            break;
          case 'password-in-file':
            if (!signedBuild && !fileCalls(FILE_MITIGATIONS[spec.ecosystem])) {
              report(spec, call, ', so anyone on the network can replace the firmware: call ArduinoOTA.setPasswordHash() before begin().');
            }
            break;
          case 'credential-args': {
            const receiver = (call.receiver?.text ?? '').replace(/^[&*]/, '');
            if (serverVariables.has(receiver) && call.args.length <= 2 && !signedBuild && !arduinoSigned) {
              report(spec, call, ', so anyone on the network can install firmware.');
            }
            break;
          }
        }
      }
    });
  }
}

/** Per-language checks: firmware that installs images, apps that download and then install or run code. */
const CHECKERS: Partial<Record<LanguageId, (ctx: RuleContext) => void>> = {
  c: checkFirmware,
  cpp: checkFirmware,
  python: checkAppUpdates,
  typescript: checkAppUpdates,
  javascript: checkAppUpdates,
  java: checkAppUpdates,
  kotlin: checkAppUpdates,
};

const rule = {
  meta: {
    id: 'unsigned-firmware-update',
    title: 'Firmware or app update installed or run without signature verification',
    severity: 'critical',
    confidence: 'medium',
    languages: ['c', 'cpp', 'python', 'typescript', 'javascript', 'java', 'kotlin'],
    cwe: [494, 347, 345],
    fda: ['app1.D.2', 'app1.D.3', 'app1.A.4', 'app1.H.7', '524b.b2', '524b.b2a', '524b.b2b'],
    iec62443: ['EDR 3.10 RE(1)', 'CR 3.4'],
    fix: 'none',
    presets: ['recommended'],
    docs: {
      summary: [
        '**Firmware (C/C++)**: finds update paths that commit or activate an image with no signature or MAC verification before it: ESP-IDF `esp_ota_set_boot_partition`/`esp_ota_end`/`esp_https_ota`, Arduino `Update.end`, `ESPhttpUpdate.update`/`httpUpdate.update`, `ArduinoOTA.begin()` without a password, HTTP update servers set up without credentials, Zephyr/MCUboot `boot_request_upgrade`, and STM32 `HAL_FLASH_Program` inside an update or bootloader function. A verification counts when it runs earlier in the same function, inside a function called earlier, or before the call in every caller within the file (mbedTLS/PSA/micro-ecc/wolfSSL/OpenSSL verify calls, HMAC plus a constant-time compare, or a project function named for signature verification). A scan of the whole project (CLI, CI) follows the path across files too: a function defined in another file that verifies, or a caller in another file that verifies before calling in, answers the finding; the editor, checking one open file, keeps it. A file that refuses to build without signed updates (`#error` under `CONFIG_SECURE_SIGNED_ON_UPDATE`, `CONFIG_SECURE_BOOT_V2_ENABLED` or `ARDUINO_SIGNING`) is trusted.',
        '',
        '**Apps (Python, TypeScript/JavaScript, Java, Kotlin)**: finds download-then-install and download-then-execute. A file-local data flow follows downloaded bytes (`requests`/`httpx`/`urllib` `urlopen`/`urlretrieve`, boto3 `download_file`, paramiko `sftp.get`; `fetch`/`axios`/`got`/`https.get`/`download`; `URL.openStream`, OkHttp `newCall().execute()`, `DownloadManager`) through variables, the files they are written to, archives unpacked from them, callbacks and within-file calls, and reports the call that runs, installs or flashes them: `subprocess`/`os.system`/`os.exec*`, `exec`, `esptool.main([... write_flash ...])` and processes running esptool, nrfjprog, STM32_Programmer_CLI, dfu-util, mcumgr, avrdude, openocd or `pip install`, `exec_module`; `child_process` `exec`/`execFile`/`spawn`/`fork`, `require`/`import()` of a downloaded module, `eval`/`vm`; `setDataAndType(uri, "application/vnd.android.package-archive")`, `ACTION_INSTALL_PACKAGE`, `PackageInstaller.Session.openWrite`, `Runtime.exec`/`ProcessBuilder`, `DexClassLoader`, and Nordic `DfuServiceInitiator.setZip` (the app pushes an image it has not verified; the device must verify too). It also reports electron-builder `verifyUpdateCodeSignature: false`. Signature checks that count: calls named for signature verification (`public_key.verify`, PyNaCl `VerifyKey.verify`, `rsa.verify`, gnupg `verify_file`, `crypto.verify`/`createVerify`, `java.security.Signature.verify`, apksig), `gpg --verify`/`gpgv`/`cosign verify-blob`/`minisign -V` processes, and Android signer checks (`GET_SIGNING_CERTIFICATES`, `hasSigningCertificate`, `checkSignatures`).',
        '',
        'On both sides a CRC or plain SHA-256 comparison is not authentication and does not count (the `crc-as-integrity-check` rule reports such digest gates); verification that happens only after activation or execution does not count either.',
      ].join('\n'),
      risk:
        'Whoever can reach the update channel (a rogue Wi-Fi network, a compromised update server, a laptop on the hospital LAN, a BLE neighbour) can install their own firmware, which then controls therapy delivery, alarms and the data the device reports; the same holds for the service tools, gateways and companion apps that fetch and flash or install updates. FDA expects devices to install only cryptographically authenticated updates and to refuse anything that fails or lacks authentication; a TLS connection or a checksum protects the transfer, not the origin of the image.',
      fix:
        'Sign release images and verify the signature on the device with a public key it trusts, before the image is activated: on ESP-IDF enable Secure Boot v2 or signed app images (CONFIG_SECURE_SIGNED_ON_UPDATE) so `esp_ota_end` rejects unsigned images, or verify explicitly with `mbedtls_pk_verify`/`psa_verify_hash`; on Zephyr build MCUboot with a signature type (not `CONFIG_BOOT_SIGNATURE_TYPE_NONE`) and check the image before `boot_request_upgrade`; on Arduino (ESP8266) install a BearSSL signature verifier with `Update.installSignature` and protect `ArduinoOTA` and update servers with credentials; in STM32 bootloaders verify the received image before programming or jumping to it. In apps, download a detached signature with the artifact and verify it with a public key pinned in the app before running, installing or flashing it (cryptography `Ed25519PublicKey.verify`, Node `crypto.verify`, `java.security.Signature`, or sigstore/cosign and a TUF client for whole update repositories); for Android packages, compare the archive\'s signing certificate (`getPackageArchiveInfo(..., GET_SIGNING_CERTIFICATES)`) with the pinned release certificate. If the verification lives in another file, suppress the finding with that justification.',
      examples: [
        {
          language: 'c',
          bad:
            'void ota_apply(const uint8_t *img, size_t len) {\n  const esp_partition_t *part = esp_ota_get_next_update_partition(NULL);\n  esp_ota_handle_t h;\n  esp_ota_begin(part, len, &h);\n  esp_ota_write(h, img, len);\n  esp_ota_end(h);\n  esp_ota_set_boot_partition(part);\n}\n',
          good:
            'void ota_apply(const uint8_t *img, size_t len, const uint8_t *sig, size_t sig_len) {\n  if (verify_image_signature(img, len, sig, sig_len) != 0) {\n    return;\n  }\n  const esp_partition_t *part = esp_ota_get_next_update_partition(NULL);\n  esp_ota_handle_t h;\n  esp_ota_begin(part, len, &h);\n  esp_ota_write(h, img, len);\n  esp_ota_end(h);\n  esp_ota_set_boot_partition(part);\n}\n',
        },
        {
          language: 'cpp',
          bad: 'void setup() {\n  WiFi.begin(ssid, pass);\n  ArduinoOTA.setHostname("infusion-pump");\n  ArduinoOTA.begin();\n}\n',
          good: 'void setup() {\n  WiFi.begin(ssid, pass);\n  ArduinoOTA.setHostname("infusion-pump");\n  ArduinoOTA.setPasswordHash(OTA_PASSWORD_MD5);\n  ArduinoOTA.begin();\n}\n',
        },
        {
          language: 'python',
          bad:
            'import subprocess\nimport requests\n\ndef flash(port, url):\n    image = requests.get(url, timeout=60).content\n    with open("/tmp/fw.bin", "wb") as f:\n        f.write(image)\n    subprocess.run(["esptool.py", "--port", port, "write_flash", "0x10000", "/tmp/fw.bin"], check=True)\n',
          good:
            'import subprocess\nimport requests\n\ndef flash(port, url, release_key):\n    image = requests.get(url, timeout=60).content\n    signature = requests.get(url + ".sig", timeout=60).content\n    release_key.verify(signature, image)\n    with open("/tmp/fw.bin", "wb") as f:\n        f.write(image)\n    subprocess.run(["esptool.py", "--port", port, "write_flash", "0x10000", "/tmp/fw.bin"], check=True)\n',
        },
        {
          language: 'typescript',
          bad:
            "import { execFile } from 'node:child_process';\nimport { writeFile } from 'node:fs/promises';\n\nexport async function updateHelper(url: string, dest: string) {\n  const res = await fetch(url);\n  await writeFile(dest, Buffer.from(await res.arrayBuffer()), { mode: 0o755 });\n  execFile(dest, ['--self-test']);\n}\n",
          good:
            "import { execFile } from 'node:child_process';\nimport { verify } from 'node:crypto';\nimport { writeFile } from 'node:fs/promises';\n\nexport async function updateHelper(url: string, dest: string, releaseKey: string) {\n  const body = Buffer.from(await (await fetch(url)).arrayBuffer());\n  const sig = Buffer.from(await (await fetch(url + '.sig')).arrayBuffer());\n  if (!verify(null, body, releaseKey, sig)) throw new Error('bad signature');\n  await writeFile(dest, body, { mode: 0o755 });\n  execFile(dest, ['--self-test']);\n}\n",
        },
        {
          language: 'kotlin',
          bad:
            'fun updatePump(address: String, url: String, dir: File) {\n    val zip = File(dir, "fw.zip")\n    URL(url).openStream().use { input -> zip.outputStream().use { input.copyTo(it) } }\n    DfuServiceInitiator(address).setZip(Uri.fromFile(zip)).start(context, PumpDfuService::class.java)\n}\n',
          good:
            'fun updatePump(address: String, url: String, dir: File, sig: ByteArray) {\n    val zip = File(dir, "fw.zip")\n    URL(url).openStream().use { input -> zip.outputStream().use { input.copyTo(it) } }\n    if (!verifyFirmwareSignature(zip.readBytes(), sig)) return\n    DfuServiceInitiator(address).setZip(Uri.fromFile(zip)).start(context, PumpDfuService::class.java)\n}\n',
        },
      ],
      fixSafety:
        'No automatic fix: signing needs a key pair, a build step and a verification policy that only the manufacturer can decide.',
      references: [
        { title: 'CWE-494: Download of Code Without Integrity Check', url: 'https://cwe.mitre.org/data/definitions/494.html' },
        { title: 'CWE-347: Improper Verification of Cryptographic Signature', url: 'https://cwe.mitre.org/data/definitions/347.html' },
        { title: 'ESP-IDF: Secure Boot v2', url: 'https://docs.espressif.com/projects/esp-idf/en/latest/esp32/security/secure-boot-v2.html' },
        { title: 'ESP-IDF: Over The Air Updates (OTA)', url: 'https://docs.espressif.com/projects/esp-idf/en/latest/esp32/api-reference/system/ota.html' },
        { title: 'MCUboot: image signing and verification', url: 'https://docs.mcuboot.com/design.html' },
        { title: 'ESP8266 Arduino core: signed OTA updates', url: 'https://arduino-esp8266.readthedocs.io/en/latest/ota_updates/readme.html' },
        { title: 'The Update Framework (TUF)', url: 'https://theupdateframework.io/' },
        { title: 'Sigstore: cosign verify-blob', url: 'https://docs.sigstore.dev/cosign/verifying/verify/' },
        { title: 'Android: PackageInstaller', url: 'https://developer.android.com/reference/android/content/pm/PackageInstaller' },
        { title: 'FDA: Cybersecurity in Medical Devices (premarket guidance)', url: 'https://www.fda.gov/regulatory-information/search-fda-guidance-documents/cybersecurity-medical-devices-quality-system-considerations-and-content-premarket-submissions' },
      ],
    },
  },
  check(ctx) {
    CHECKERS[ctx.language]?.(ctx);
  },
} satisfies Rule;

export default rule;
