import type { Call, FunctionDef } from '../../server/src/core/model/types';
import type { LanguageId, ProjectCondition, RuleContext } from '../../server/src/core/types';
import {
  FILE_MITIGATIONS,
  FIRMWARE_SINKS,
  REMEDY,
  SIGNED_BUILD_SYMBOL,
  mayNameSignedBuildSymbol,
  UPDATE_SERVER_TYPES,
  isConstantTimeCompare,
  isMacComputation,
  isSettingsFunctionName,
  isUpdateFunctionName,
  isVerificationName,
} from '../_shared/update-apis';
import type { Ecosystem, SinkSpec } from '../_shared/update-apis';
import { checkAppUpdates } from './app';
import {
  BOOTLOADER_CHECKED,
  bootloaderVerifies,
  checkBootloaderConfig,
  checkBootloaderKconfig,
  mcubootVerifiesInProject,
} from './bootloader-config';
import { checkShellUpdates } from './shell';
import { checkMcubootKey, provideKconfigMcubootKey } from './mcuboot-default-key';
import { buildCallGraph, checkedBefore, reachableFrom, signaturePathFacts } from '../_shared/update-paths';
import docs from './docs.md';
import { defineRule } from '../_shared/define-rule';

/** What the rule sees of most of the controls it maps to (meta.sees). */
const UNSIGNED = 'update paths that install or run an image without verifying its signature';

export default defineRule({
  meta: {
    id: 'unsigned-firmware-update',
    title: 'Firmware or app update installed or run without signature verification',
    severity: 'critical',
    confidence: 'medium',
    languages: ['c', 'cpp', 'python', 'typescript', 'javascript', 'java', 'kotlin', 'shell', 'kconfig', 'text'],
    cwe: [494, 347, 345, 1394],
    fda: ['app1.D.2', 'app1.D.3', 'app1.A.4', 'app1.H.7', '524b.b2', '524b.b2a', '524b.b2b'],
    sees: {
      'app1.D.2': 'software and firmware installed or run without signature verification',
      'app1.D.3': UNSIGNED,
      'app1.A.4': UNSIGNED,
      'app1.H.7': 'update mechanisms that install images without verifying a signature',
      '524b.b2a': UNSIGNED,
      '524b.b2b': UNSIGNED,
    },
    iec62443: ['EDR 3.10 RE(1)', 'CR 3.4'],
    fix: 'none',
    presets: ['recommended'],
    docs,
  },
  check(ctx) {
    CHECKERS[ctx.language]?.(ctx);
  },
});

/** Project fact through which files tell each other where signatures are checked (see checkFirmware). */
const SIGNATURE_PATH = 'signature-path';

/**
 * An update path that writes or activates firmware with no signature or MAC check on it lets anyone who can
 * reach the update channel run their code on the device. The check follows calls between the functions of
 * one file; a verification in another file is a later step, so the rule stays at medium confidence.
 */

/** Whether the file refuses to build without signed updates: `#if !CONFIG_SECURE_SIGNED_ON_UPDATE` + `#error`. */
function hasSignedBuildGuard(ctx: RuleContext): boolean {
  // Both the guard and the assertion name a symbol: a file that names none is answered without reading its lines.
  if (!mayNameSignedBuildSymbol(ctx.text.content)) return false;
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
  return ctx.model.calls.some(
    (call) => /^(BUILD_ASSERT|static_assert|_Static_assert)$/.test(call.name) && call.args.some((a) => SIGNED_BUILD_SYMBOL.test(a.text)),
  );
}

/** Variables declared as an Arduino HTTP update server (`ESP8266HTTPUpdateServer httpUpdater;`). */
function updateServerVariables(ctx: RuleContext): Set<string> {
  const names = new Set<string>();
  const declaration = new RegExp(`\\b(?:${UPDATE_SERVER_TYPES.join('|')})\\s*(?:\\*\\s*)?([A-Za-z_]\\w*)\\s*[;=({,]`, 'g');
  for (const match of ctx.text.content.matchAll(declaration)) {
    const at = match.index ?? 0;
    if (ctx.model.comments.some((c) => c.start <= at && at < c.end)) continue;
    names.add(match[1]);
  }
  return names;
}

function checkFirmware(ctx: RuleContext): void {
  const { model, text } = ctx;
  const graph = buildCallGraph(model, text, { typedReceivers: true });
  const fileHasMac = model.calls.some((c) => isMacComputation(c.name));
  // Asked of every call, several times over (the facts, then each path): one answer per name and file.
  const verdicts = new Map<string, boolean>();
  const isVerification = (call: { name: string }) => {
    let verdict = verdicts.get(call.name);
    if (verdict === undefined) {
      verdict = isVerificationName(call.name) || (fileHasMac && isConstantTimeCompare(call.name));
      verdicts.set(call.name, verdict);
    }
    return verdict;
  };
  const signedBuild = hasSignedBuildGuard(ctx);
  const fileCalls = (names: ReadonlySet<string> | undefined) => !!names && model.calls.some((c) => names.has(c.callee));
  const arduinoSigned = model.calls.some((c) => c.callee === 'Update.installSignature');
  const serverVariables = updateServerVariables(ctx);
  const updatePath = reachableFrom(
    graph,
    model.functions.filter((fn) => isUpdateFunctionName(fn.name)),
    (fn) => isSettingsFunctionName(fn.name),
  );

  const report = (spec: SinkSpec, call: Call, problem: string) =>
    ctx.report({
      span: { start: call.start, end: call.end },
      message: `\`${call.callee}()\` ${spec.action}${problem} ${REMEDY[spec.ecosystem]}`,
    });

  // Other files can answer a path that leaves this one: a function they define verifies, or they verify
  // before calling into this file (project facts, resolved after a whole-project scan).
  ctx.provide(SIGNATURE_PATH, signaturePathFacts(graph, model.functions, isVerification, text));

  const checkPath = (spec: SinkSpec, fn: FunctionDef, index: number) => {
    if (signedBuild || (spec.ecosystem === 'arduino' && arduinoSigned)) return;
    const verdict = checkedBefore(graph, fn, index, isVerification);
    if (verdict.verified) return;
    const where = verdict.reachesUncalledRoot
      ? 'in this file (callers in other files count when the whole project is scanned)'
      : 'on any path in this file';
    const call = fn.calls[index];
    const anyOf = [
      ...verdict.externalCallsBefore.map((name) => `verifier:${name}`),
      ...verdict.uncalledRoots.map((name) => `called-after-verify:${name}`),
      // MCUboot or ESP-IDF built to verify signatures checks the image this call activates.
      ...(BOOTLOADER_CHECKED.has(spec.ecosystem) ? [bootloaderVerifies(spec.ecosystem)] : []),
    ];
    ctx.report({
      span: { start: call.start, end: call.end },
      message: `\`${call.callee}()\` ${spec.action} with no signature or MAC verification before it ${where}, so a tampered image would run on the device. ${REMEDY[spec.ecosystem]}`,
      ...(anyOf.length ? { unless: signatureAnswers(spec.ecosystem, anyOf) } : {}),
    });
  };

  const sinks = [...FIRMWARE_SINKS, ...mcubootTrailerSinks(ctx)];
  for (const fn of model.functions) {
    const fnText = text.content.slice(fn.start, fn.end);
    fn.calls.forEach((call, index) => {
      for (const spec of sinks) {
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

/** MCUboot's image trailer magic (`BOOT_MAGIC`): written at the end of the secondary slot, it marks the image to swap in. */
const MCUBOOT_MAGIC = [/\b0xf395c277\b/i, /\b0x7fefd260\b/i, /\b0x0f505235\b/i, /\b0x8079b62c\b/i];
/** The same words anywhere in the file: an initializer's text is a slice of it, so a file without them all has none. */
const MCUBOOT_MAGIC_ANYWHERE = [/0xf395c277/i, /0x7fefd260/i, /0x0f505235/i, /0x8079b62c/i];

/**
 * An application that writes MCUboot's trailer magic itself (a DFU service that received the image over BLE
 * and requests the swap by hand, as `boot_request_upgrade` would): the call that writes the array holding
 * the magic activates the image at the next reset.
 */
function mcubootTrailerSinks(ctx: RuleContext): SinkSpec[] {
  // Asked of every C file: resolving each binding's value to look for an array builds an expression per binding
  // (the model makes them on demand), which the file may otherwise never pay for.
  if (!MCUBOOT_MAGIC_ANYWHERE.every((word) => word.test(ctx.text.content))) return [];
  const magic = ctx.model.bindings.filter((b) => b.value.kind === 'array' && MCUBOOT_MAGIC.every((m) => m.test(b.value.text)));
  if (!magic.length) return [];
  // The write: a call given the array with somewhere to put it (not a cast or `sizeof` around it).
  const holds = (call: Call) =>
    call.args.length >= 2 &&
    !/_cast$|^sizeof$/.test(call.name) &&
    magic.some((b) => b.fn === call.fn && call.start > b.end && call.args.some((a) => new RegExp(`\\b${b.target}\\b`).test(a.text)));
  return [
    {
      ecosystem: 'zephyr',
      kind: 'path',
      matches: holds,
      action: "writes MCUboot's image trailer magic, so the bootloader swaps the received image in at the next reset,",
    },
  ];
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
  shell: checkShellUpdates,
  kconfig: (ctx) => {
    checkBootloaderConfig(ctx, SIGNATURE_PATH);
    checkMcubootKey(ctx);
  },
  // Kconfig definition files (`Kconfig.sysbuild`, `Kconfig`) have no extension the engine knows: they are text.
  text: (ctx) => {
    checkBootloaderKconfig(ctx);
    provideKconfigMcubootKey(ctx);
  },
};

/** What answers an activation without verification: a verifying path, or a bootloader the project builds to verify. */
function signatureAnswers(ecosystem: Ecosystem, anyOf: string[]): ProjectCondition[] {
  const path = { fact: SIGNATURE_PATH, anyOf };
  return ecosystem === 'zephyr' ? [path, mcubootVerifiesInProject] : [path];
}
