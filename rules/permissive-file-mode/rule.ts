/**
 * permissive-file-mode: files and directories made writable by every user (or secrets readable by every user),
 * a umask that stops protecting new files, and Android world-readable/writeable storage modes.
 */
import type { Call, Expr } from '../../server/src/core/model/types';
import type { Confidence, Fix, LanguageId, Rule, RuleContext, Span } from '../../server/src/core/types';
import { SECRET_PATH, modeSiteOf, modeValue } from './detect';
import type { ModeSite } from './detect';

interface ModeHit { span: Span; message: string; confidence?: Confidence; fix?: Fix }

const WRITABLE_RISK = 'any process or user on the device (a compromised app, a service account, a shell over USB) can replace it, so configuration, calibration, logs or code it holds can be altered';
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
  if (!writable && !((value & 0o004) && secretPath)) return undefined;
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

function jvmHits(ctx: RuleContext): ModeHit[] {
  const hits: ModeHit[] = [];
  for (const call of ctx.model.calls) {
    if ((call.name === 'setWritable' || call.name === 'setReadable') && isBool(call.args[0], true) && isBool(call.args[1], false)) {
      const writable = call.name === 'setWritable';
      hits.push({
        span: call,
        message: writable
          ? `\`${call.callee}(true, false)\` makes the file writable by every user: ${WRITABLE_RISK}. Pass \`ownerOnly = true\`.`
          : `\`${call.callee}(true, false)\` makes the file readable by every user: ${READABLE_RISK}. Pass \`ownerOnly = true\`.`,
        confidence: writable ? 'high' : 'medium',
        fix: { title: 'Restrict to the owner (ownerOnly = true)', safety: 'suggestion', edits: [{ span: { start: call.args[1].start, end: call.args[1].end }, newText: 'true' }] },
      });
      continue;
    }
    if (call.name === 'fromString' && /PosixFilePermissions$/.test(call.receiver?.text ?? '') && call.args[0]?.kind === 'string') {
      const perms = call.args[0].value ?? '';
      if (perms.length === 9 && perms[7] === 'w') {
        hits.push({ span: call, message: `\`PosixFilePermissions.fromString("${perms}")\` gives other users write access: ${WRITABLE_RISK}. Use "rw-r-----" or "rw-------".` });
      }
      continue;
    }
    for (const arg of call.args) {
      const world = /(?:^|\.)(MODE_WORLD_READABLE|MODE_WORLD_WRITEABLE|OTHERS_WRITE)$/.exec(arg.text.trim());
      if (!world) continue;
      hits.push({
        span: call,
        message: world[1] === 'OTHERS_WRITE'
          ? `\`${call.callee}\` grants \`OTHERS_WRITE\`: ${WRITABLE_RISK}. Leave "others" out of the permission set.`
          : `\`${world[1]}\` lets every other app on the phone ${world[1].endsWith('READABLE') ? 'read' : 'overwrite'} this file or preference store (patient data, pairing keys, device settings); Android 7+ throws a SecurityException for it. Use \`MODE_PRIVATE\` and share data through a FileProvider or ContentProvider with permissions.`,
      });
      break;
    }
  }
  return hits;
}

export default {
  meta: {
    id: 'permissive-file-mode',
    title: 'World-writable file permissions or world-readable secrets',
    severity: 'medium',
    confidence: 'high',
    languages: ['c', 'cpp', 'python', 'typescript', 'javascript', 'java', 'kotlin'],
    cwe: [732, 276],
    fda: ['app1.B.3', 'app1.D.9', '524b.b2'],
    iec62443: ['CR 2.1', 'CR 7.7'],
    fix: 'suggestion',
    presets: ['recommended'],
    docs: {
      summary: [
        'Finds permission settings that let every user of the system write a file, or read one that holds a secret:',
        '- **C/C++**: `chmod`/`fchmod`/`fchmodat` with a mode that includes write for others (`0777`, `0666`, `S_IWOTH`, `S_IRWXO`); `open`, `creat`,',
        '  `mkdir`, `shm_open` creating with such a mode (low confidence: the umask may still narrow it); `umask(0)` or any umask without 002.',
        '- **Python**: `os.chmod`, `os.fchmod`, `Path.chmod`, `os.open`/`os.mkdir`/`os.makedirs` modes, and `os.umask`.',
        '- **Node**: `fs.chmod(Sync)`, `fs.fchmod`, `fs.open(Sync)` modes, `{ mode }` options of `writeFile(Sync)`/`appendFile`/`mkdir`, and `process.umask`.',
        '- **Java/Kotlin**: `setWritable(true, false)`/`setReadable(true, false)`, `PosixFilePermissions.fromString("rwxrwxrwx")` (others write),',
        '  `PosixFilePermission.OTHERS_WRITE`, and Android `MODE_WORLD_READABLE`/`MODE_WORLD_WRITEABLE`.',
        '',
        'A world-readable mode (`0644`) is reported only when the path names a key, token, credential or PEM file. Modes held in variables are not',
        'evaluated.',
      ].join('\n'),
      risk: 'On an embedded Linux device, a gateway or a clinician workstation many processes share one file system: the UI, network services, update agents, vendor tools, sometimes a shell over USB. A world-writable configuration, calibration table, log or script lets the weakest of them change what the device does (dose limits, alarm thresholds, the next update to install) or hide what happened; a world-readable key file gives its secret to all of them. FDA expects least privilege and protection of safety-critical data and configuration (Appendix 1 B.3 and D.9).',
      fix: 'Give files the least access that works: `0600` for keys and credentials, `0640`/`0750` for configuration and programs shared with a service group, and a process umask of 027 or 077. Create the file with the right mode (`open(path, O_CREAT | O_WRONLY, 0600)`) rather than fixing it afterwards. On Android use `MODE_PRIVATE` and share through a FileProvider.',
      examples: [
        {
          language: 'c',
          bad: 'void save_calibration(const char *path) {\n    write_table(path);\n    chmod(path, 0666);\n}\n',
          good: 'void save_calibration(const char *path) {\n    write_table(path);\n    chmod(path, 0640);\n}\n',
        },
        {
          language: 'python',
          bad: 'import os\nos.chmod("/var/lib/pump/device_key.pem", 0o644)\n',
          good: 'import os\nos.chmod("/var/lib/pump/device_key.pem", 0o600)\n',
        },
        {
          language: 'typescript',
          bad: "import fs from 'fs';\nfs.writeFileSync('/etc/pump/limits.json', body, { mode: 0o666 });\n",
          good: "import fs from 'fs';\nfs.writeFileSync('/etc/pump/limits.json', body, { mode: 0o640 });\n",
        },
      ],
      fixSafety: 'Suggestions only. The fix removes the "others" bits from a literal mode (`0777` → `0770`, `0o666` → `0o660`), sets `ownerOnly` to `true`, or raises a umask to include 027. Each can break a reader or writer that runs as another user and relied on the open permission (a web server serving the file, a helper daemon, a provisioning tool), so check who needs access, and prefer a group over "others".',
      references: [
        { title: 'CWE-732: Incorrect Permission Assignment for Critical Resource', url: 'https://cwe.mitre.org/data/definitions/732.html' },
        { title: 'SEI CERT C: FIO06-C. Create files with appropriate access permissions', url: 'https://wiki.sei.cmu.edu/confluence/display/c/FIO06-C.+Create+files+with+appropriate+access+permissions' },
        { title: 'Android: MODE_WORLD_READABLE (deprecated)', url: 'https://developer.android.com/reference/android/content/Context#MODE_WORLD_READABLE' },
        { title: 'Python: os.chmod', url: 'https://docs.python.org/3/library/os.html#os.chmod' },
      ],
    },
  },
  check(ctx) {
    const hits: ModeHit[] = [];
    if (ctx.language === 'java' || ctx.language === 'kotlin') hits.push(...jvmHits(ctx));
    else {
      for (const call of ctx.model.calls) {
        const site = modeSiteOf(call, ctx.language);
        const hit = site && modeHit(ctx, call, site);
        if (hit) hits.push(hit);
      }
    }
    for (const hit of hits) ctx.report({ span: hit.span, message: hit.message, confidence: hit.confidence, fixes: hit.fix ? [hit.fix] : undefined });
  },
} satisfies Rule;
