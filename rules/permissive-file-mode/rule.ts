/**
 * permissive-file-mode: files and directories made writable by every user (or secrets readable by every user),
 * a umask that stops protecting new files, and Android world-readable/writeable storage modes.
 */
import { hasMarkWithin, matchOffsets } from '../_shared/call-marks';
import type { Call, Expr } from '../../server/src/core/model/types';
import type { Confidence, Fix, LanguageId, RuleContext, Span } from '../../server/src/core/types';
import { SECRET_PATH, modeSiteOf, modeValue } from './detect';
import type { ModeSite } from './detect';
import docs from './docs.md';
import { defineRule } from '../_shared/define-rule';
import { byLanguageFamily } from '../_shared/language-family';
import { pushAll } from '../../server/src/core/arrays';

export default defineRule({
  meta: {
    id: 'permissive-file-mode',
    title: 'World-writable file permissions or world-readable secrets',
    severity: 'medium',
    confidence: 'high',
    languages: ['c', 'cpp', 'python', 'typescript', 'javascript', 'java', 'kotlin'],
    cwe: [732, 276],
    fda: ['app1.B.3', 'app1.D.9', '524b.b2'],
    sees: 'world-writable files and world-readable secrets',
    iec62443: ['CR 2.1', 'CR 7.7'],
    fix: 'suggestion',
    presets: ['recommended'],
    docs,
    // What modeSiteOf (detect.ts) and jvmHits match: the POSIX, `os` and `fs` calls that take a mode (`*chmod*`,
    // `open*`, `creat`, `mkdir*`, `mkfifo`, `umask`, `makedirs`, the `fs` calls with a `mode` option), and the JVM's
    // `setWritable`/`setReadable`, `PosixFilePermissions` and world-accessible mode constants.
    needs: (_, language) =>
      byLanguageFamily<readonly string[] | undefined>(
        language,
        {
          native: () => ['chmod', 'open', 'creat', 'mkdir', 'mkfifo', 'umask'],
          python: () => ['chmod', 'open', 'mkdir', 'makedirs', 'mkfifo', 'umask'],
          js: () => ['chmod', 'open', 'umask', 'writefile', 'appendfile', 'mkdir', 'createwritestream'],
          jvm: () => ['setwritable', 'setreadable', 'posixfilepermissions', 'mode_world_', 'others_write'],
        },
        undefined,
      ),
  },
  check(ctx) {
    const hits: ModeHit[] = [];
    if (ctx.language === 'java' || ctx.language === 'kotlin') pushAll(hits, jvmHits(ctx));
    else {
      for (const call of ctx.model.calls) {
        const site = modeSiteOf(call, ctx.language);
        const hit = site && modeHit(ctx, call, site);
        if (hit) hits.push(hit);
      }
    }
    for (const hit of hits)
      ctx.report({ span: hit.span, message: hit.message, confidence: hit.confidence, fixes: hit.fix ? [hit.fix] : undefined });
  },
});

interface ModeHit {
  span: Span;
  message: string;
  confidence?: Confidence;
  fix?: Fix;
}

const WRITABLE_RISK =
  'any process or user on the device (a compromised app, a service account, a shell over USB) can replace it, so configuration, calibration, logs or code it holds can be altered';
const READABLE_RISK = 'any process or user on the device can read the secret it holds';

function octal(value: number, like: string, language: LanguageId): string {
  const digits = value.toString(8).padStart(3, '0');
  if (/^0[oO]/.test(like) || language === 'python') return `0o${digits}`;
  if (language === 'typescript' || language === 'javascript') return /^['"]/.test(like) ? `${like[0]}${digits}${like[0]}` : `0o${digits}`;
  return `0${value.toString(8)}`;
}

/** Drops the "others" bits from a literal mode: 0777 → 0770, 0o666 → 0o660. */
function narrowFix(expr: Expr, language: LanguageId, next: number, what = 'mode'): Fix | undefined {
  const text = expr.text.trim();
  if (!/^(?:0[oO]?[0-7]*|['"][0-7]{3,4}['"])$/.test(text)) return undefined;
  return {
    title: `Use ${what} ${octal(next, text, language)}`,
    safety: 'suggestion',
    edits: [{ span: { start: expr.start, end: expr.end }, newText: octal(next, text, language) }],
  };
}

function modeHit(ctx: RuleContext, call: Call, site: ModeSite): ModeHit | undefined {
  const value = modeValue(site.mode, ctx.language);
  if (value === undefined) return undefined;
  const shown = site.mode.text.trim();
  if (site.kind === 'umask') {
    if (value & 0o002) return undefined;
    return {
      span: call,
      message: `\`${call.callee}(${shown})\` stops masking write access for other users, so files this process creates with the usual 0666/0777 modes become world-writable: ${WRITABLE_RISK}. Use a umask of 027 (or 077 for processes that write secrets).`,
      confidence: value === 0 ? 'high' : 'medium',
      fix: narrowFix(site.mode, ctx.language, value | 0o027, 'umask'),
    };
  }
  const secretPath = !!site.path && SECRET_PATH.test(site.path.text);
  const writable = (value & 0o002) !== 0;
  if (!writable && !(value & 0o004 && secretPath)) return undefined;
  const umaskNote = site.kind === 'create' ? ' (the process umask may narrow it, but the code should not rely on that)' : '';
  return {
    span: call,
    message: writable
      ? `\`${call.callee}\` with mode \`${shown}\` makes the file world-writable${umaskNote}: ${WRITABLE_RISK}. Grant only the owner (and a group where needed): 0640/0750, or 0600 for secrets.`
      : `\`${call.callee}\` with mode \`${shown}\` makes a key, token or credential file world-readable${umaskNote}: ${READABLE_RISK}. Use 0600.`,
    confidence: site.kind === 'create' ? 'low' : writable ? 'high' : 'medium',
    fix: narrowFix(site.mode, ctx.language, value & ~0o007),
  };
}

const isBool = (expr: Expr | undefined, value: boolean) => expr?.kind === 'boolean' && expr.text === String(value);

/** The constants that grant other users or apps access: where a call passing one can be. */
const WORLD_MODES = /MODE_WORLD_READABLE|MODE_WORLD_WRITEABLE|OTHERS_WRITE/g;

function jvmHits(ctx: RuleContext): ModeHit[] {
  const hits: ModeHit[] = [];
  const worldMarks = matchOffsets(ctx.text.content, WORLD_MODES);
  for (const call of ctx.model.calls) {
    if ((call.name === 'setWritable' || call.name === 'setReadable') && isBool(call.args[0], true) && isBool(call.args[1], false)) {
      const writable = call.name === 'setWritable';
      hits.push({
        span: call,
        message: writable
          ? `\`${call.callee}(true, false)\` makes the file writable by every user: ${WRITABLE_RISK}. Pass \`ownerOnly = true\`.`
          : `\`${call.callee}(true, false)\` makes the file readable by every user: ${READABLE_RISK}. Pass \`ownerOnly = true\`.`,
        confidence: writable ? 'high' : 'medium',
        fix: {
          title: 'Restrict to the owner (ownerOnly = true)',
          safety: 'suggestion',
          edits: [{ span: { start: call.args[1].start, end: call.args[1].end }, newText: 'true' }],
        },
      });
      continue;
    }
    if (call.name === 'fromString' && /PosixFilePermissions$/.test(call.receiver?.text ?? '') && call.args[0]?.kind === 'string') {
      const perms = call.args[0].value ?? '';
      if (perms.length === 9 && perms[7] === 'w') {
        hits.push({
          span: call,
          message: `\`PosixFilePermissions.fromString("${perms}")\` gives other users write access: ${WRITABLE_RISK}. Use "rw-r-----" or "rw-------".`,
        });
      }
      continue;
    }
    // Only a call with one of those constants in its text can pass one: the others' arguments stay unresolved.
    if (!hasMarkWithin(worldMarks, call)) continue;
    for (const arg of call.args) {
      const world = /(?:^|\.)(MODE_WORLD_READABLE|MODE_WORLD_WRITEABLE|OTHERS_WRITE)$/.exec(arg.text.trim());
      if (!world) continue;
      hits.push({
        span: call,
        message:
          world[1] === 'OTHERS_WRITE'
            ? `\`${call.callee}\` grants \`OTHERS_WRITE\`: ${WRITABLE_RISK}. Leave "others" out of the permission set.`
            : `\`${world[1]}\` lets every other app on the phone ${world[1].endsWith('READABLE') ? 'read' : 'overwrite'} this file or preference store (patient data, pairing keys, device settings); Android 7+ throws a SecurityException for it. Use \`MODE_PRIVATE\` and share data through a FileProvider or ContentProvider with permissions.`,
      });
      break;
    }
  }
  return hits;
}
