import type { Call, CodeModel, Comparison, FunctionDef } from '../../server/src/core/model/types';
import type { RuleContext } from '../../server/src/core/types';
import { identifierWords } from '../_shared/identifier-words';
import { FIRMWARE_SINKS, isConstantTimeCompare, isMacComputation, isUpdateFunctionName, isVerificationName } from '../_shared/update-apis';
import { buildCallGraph, checkedBefore } from '../_shared/update-paths';
import { functionsBefore } from '../_shared/anti-rollback';
import docs from './docs.md';
import { defineRule } from '../_shared/define-rule';

export default defineRule({
  meta: {
    id: 'crc-as-integrity-check',
    title: 'CRC or checksum used as the integrity gate for an update',
    severity: 'high',
    confidence: 'medium',
    languages: ['c', 'cpp', 'python'],
    cwe: [345, 353],
    fda: ['app1.A.8', 'app1.D.7', 'app1.D.3', '524b.b2'],
    sees: {
      'app1.A.8': 'CRCs, checksums and unkeyed digests used as the only gate before an update is activated',
      'app1.D.7': 'checksums used as the integrity protection of updates',
      'app1.D.3': 'CRCs and checksums as the only gate before an update is activated',
    },
    iec62443: ['CR 3.4', 'EDR 3.10 RE(1)'],
    fix: 'none',
    presets: ['recommended'],
    // Every report is a comparison of a checksum (a name with `crc`, `checksum`, `cksum`, `adler`, `fletcher`) or a
    // digest (`DIGEST_CALL`, `DIGEST_OUTPUT_ARG`, the hash words: `sha*`, `md5`, `digest`, `hash`, `mbedtls_md`).
    needs: ['crc', 'checksum', 'cksum', 'adler', 'fletcher', 'sha', 'md5', 'digest', 'hash', 'mbedtls_md'],
    docs,
  },
  check(ctx) {
    findChecksumGates(ctx);
  },
});

/**
 * A CRC, checksum or unkeyed digest that travels with the image proves nothing about who made it: an
 * attacker recomputes it. When such a comparison is the only gate before an image is activated (or a
 * host tool flashes it), the device installs whatever matches. Reported at the comparison, because
 * unsigned-firmware-update already reports the activation call.
 */

type GateKind = 'crc' | 'digest';

const isChecksumWord = (w: string) => /^(crc\w*|checksum\w*|cksum|adler\w*|fletcher\w*)$/.test(w);
const DIGEST_CALL =
  /^(mbedtls_(sha256|sha512|md5|sha1)(_ret)?|mbedtls_md|esp_partition_get_sha256|esp_rom_md5_final|SHA256|MD5|sha256|md5|sha1|hexdigest|digest)$/;

/** Which argument of a C digest call receives the digest. */
const DIGEST_OUTPUT_ARG: Readonly<Record<string, number>> = {
  mbedtls_sha256: 2,
  mbedtls_sha256_ret: 2,
  mbedtls_sha512: 2,
  mbedtls_sha1: 2,
  mbedtls_md5: 2,
  mbedtls_md5_ret: 2,
  mbedtls_md: 3,
  esp_partition_get_sha256: 1,
};
const HASH_WORDS = new Set(['digest', 'md5', 'sha1', 'sha256', 'sha512', 'hash']);
const hasHashWord = (name: string) => identifierWords(name.split(/\.|->/).pop() ?? name).some((w) => HASH_WORDS.has(w));

/** Words that make a CRC-named value something about the CRC (its length, place, kind), not the CRC itself. */
const NOT_A_CHECKSUM_VALUE = new Set([
  'len',
  'length',
  'size',
  'offset',
  'off',
  'addr',
  'address',
  'type',
  'mode',
  'enabled',
  'enable',
  'flag',
  'flags',
  'count',
  'poly',
  'polynomial',
  'width',
  'bits',
  'init',
  'seed',
]);

/** A value named for a checksum (`crc`, `headerCrc`, `hdr->crc32`), not for a property of one (`crc_len`, `crc_type`). */
function checksumKind(name: string): GateKind | undefined {
  const words = identifierWords(name.split(/\.|->|::/).pop() ?? name);
  if (words.some(isChecksumWord) && !words.some((w) => NOT_A_CHECKSUM_VALUE.has(w))) return 'crc';
  return undefined;
}

/** Names that hold a checksum or digest computed in `fn` (`crc = esp_rom_crc32_le(...)`, `digest = ...hexdigest()`). */
function computedNames(model: CodeModel, fn: FunctionDef): Map<string, GateKind> {
  const names = new Map<string, GateKind>();
  for (const b of model.bindings) {
    if (b.fn !== fn) continue;
    const calls = fn.calls.filter((c) => b.value.start <= c.start && c.end <= b.value.end);
    if (calls.some((c) => isMacComputation(c.name) || c.callee === 'hmac.new')) continue;
    if (calls.some((c) => checksumKind(c.name))) names.set(b.target, 'crc');
    else if (calls.some((c) => DIGEST_CALL.test(c.name))) names.set(b.target, 'digest');
  }
  // Output buffers of C digest calls: mbedtls_sha256(img, len, digest, 0), esp_partition_get_sha256(part, digest).
  for (const call of fn.calls) {
    const output = DIGEST_OUTPUT_ARG[call.name];
    const arg = output === undefined ? undefined : call.args[output];
    if (arg?.kind === 'name' && arg.value) names.set(arg.value, 'digest');
  }
  return names;
}

const IDENTIFIER = /[A-Za-z_]\w*(?:(?:\.|->)[A-Za-z_]\w*)*/g;

/** What a comparison compares: a checksum (by call or name) or a digest computed in the function, if either. */
function gateKind(cmp: Comparison, computed: ReadonlyMap<string, GateKind>, model: CodeModel): GateKind | undefined {
  const kinds: GateKind[] = [];
  for (const side of [cmp.left, cmp.right]) {
    for (const call of cmp.fn?.calls ?? model.calls) {
      if (side.start <= call.start && call.end <= side.end) {
        if (checksumKind(call.name)) kinds.push('crc');
        else if (DIGEST_CALL.test(call.name)) kinds.push('digest');
      }
    }
    // `sizeof(hdr->crc32)` is the size of the field, not its value.
    for (const m of side.text.replace(/\bsizeof\s*\([^()]*\)/g, '').matchAll(IDENTIFIER)) {
      const name = m[0].replace(/->/g, '.');
      const known = computed.get(name) ?? computed.get(m[0]);
      if (known) kinds.push(known);
      else if (checksumKind(name)) kinds.push('crc');
    }
    for (const m of side.text.matchAll(/\[\s*["']([\w-]+)["']\s*\]/g)) if (checksumKind(m[1])) kinds.push('crc');
  }
  if (kinds.includes('crc')) return 'crc';
  // `strcasecmp(digest_hex, expected_md5_hex)`: a digest compared with an expected digest.
  const named = (side: Comparison['left']) => [...side.text.matchAll(IDENTIFIER)].some((m) => hasHashWord(m[0]));
  if (named(cmp.left) && named(cmp.right)) return 'digest';
  // A digest is a gate only when one side is computed here (the other is the expected value).
  return kinds.includes('digest') ? 'digest' : undefined;
}

const PYTHON_SINK = /^(subprocess\.(run|call|check_call|check_output|Popen)|os\.(system|exec\w*|spawn\w*)|esptool\.main)$/;
const PYTHON_FLASH_NAME = /^(write_flash|flash_image|flash_firmware|flash_device|program_flash)$/;

function isSink(call: Call, fn: FunctionDef, python: boolean): boolean {
  if (python) return PYTHON_SINK.test(call.callee) || PYTHON_FLASH_NAME.test(call.name);
  return FIRMWARE_SINKS.some((spec) => {
    if (!spec.matches(call)) return false;
    if (spec.kind === 'path') return true;
    return spec.kind === 'update-path-write' && isUpdateFunctionName(fn.name);
  });
}

function findChecksumGates(ctx: RuleContext): void {
  const { model, text } = ctx;
  const python = ctx.language === 'python';
  const graph = buildCallGraph(model, text);
  const fileHasMac = model.calls.some((c) => isMacComputation(c.name) || (python && c.callee === 'hmac.new'));
  const isVerification = (call: Call) =>
    isVerificationName(call.name) || call.name === 'compare_digest' || (fileHasMac && isConstantTimeCompare(call.name));
  const reported: Comparison[] = [];
  const overlapsReported = (cmp: Comparison) => reported.some((r) => r.start < cmp.end && cmp.start < r.end);
  const computedByFunction = new Map<FunctionDef, Map<string, GateKind>>();

  for (const fn of model.functions) {
    fn.calls.forEach((call, index) => {
      if (!isSink(call, fn, python)) return;
      if (checkedBefore(graph, fn, index, isVerification).verified) return;
      for (const [f, limit] of functionsBefore(graph, fn, call.start)) {
        let computed = computedByFunction.get(f);
        if (!computed) computedByFunction.set(f, (computed = computedNames(model, f)));
        for (const cmp of model.comparisons) {
          if (cmp.fn !== f || cmp.start >= limit || overlapsReported(cmp)) continue;
          const kind = gateKind(cmp, computed, model);
          if (!kind) continue;
          reported.push(cmp);
          const what =
            kind === 'crc'
              ? 'This CRC/checksum comparison'
              : 'This digest comparison (the expected value arrives with the image, unauthenticated)';
          ctx.report({
            span: { start: cmp.start, end: cmp.end },
            message: `${what} is the only integrity gate before \`${call.callee}()\` ${python ? 'flashes or runs' : 'activates'} the image: it catches transmission errors, but an attacker simply recomputes it for a modified image. Verify a signature (or a MAC with a device key) over the image before it is used, and keep the CRC for transport errors only.`,
          });
        }
      }
    });
  }
}
