/**
 * permissive-file-mode: the calls that set file permissions, where their mode argument sits, and the evaluation
 * of a mode expression (`0777`, `0o666`, `S_IRWXU | S_IRWXO`, `stat.S_IWOTH`, `'777'`) to a number.
 */
import type { Call, Expr } from '../../server/src/core/model/types';
import type { LanguageId } from '../../server/src/core/types';

/** `set`: the mode is applied as given; `create`: the process umask still filters it; `umask`: the mask itself. */
export type ModeKind = 'set' | 'create' | 'umask';

export interface ModeSite {
  kind: ModeKind;
  mode: Expr;
  path?: Expr;
}

const PERMISSION_BITS: Readonly<Record<string, number>> = {
  S_IRWXU: 0o700,
  S_IRUSR: 0o400,
  S_IWUSR: 0o200,
  S_IXUSR: 0o100,
  S_IRWXG: 0o070,
  S_IRGRP: 0o040,
  S_IWGRP: 0o020,
  S_IXGRP: 0o010,
  S_IRWXO: 0o007,
  S_IROTH: 0o004,
  S_IWOTH: 0o002,
  S_IXOTH: 0o001,
  S_IREAD: 0o400,
  S_IWRITE: 0o200,
  S_IEXEC: 0o100,
  ACCESSPERMS: 0o777,
  ALLPERMS: 0o7777,
  DEFFILEMODE: 0o666,
};

/** The numeric value of a mode expression, or undefined when it is not a constant the rule understands. */
export function modeValue(expr: Expr, language: LanguageId): number | undefined {
  let text = expr.kind === 'string' && (language === 'typescript' || language === 'javascript') ? (expr.value ?? '') : expr.text;
  if (expr.kind === 'string') return /^[0-7]{3,4}$/.test(text) ? parseInt(text, 8) : undefined;
  text = text.trim().replace(/^\((.*)\)$/, '$1');
  let value = 0;
  for (const raw of text.split('|')) {
    const token = raw.trim().replace(/^(?:stat|os|fs\.constants)\./, '');
    let bits: number | undefined;
    if (/^0[oO][0-7]+$/.test(token)) bits = parseInt(token.slice(2), 8);
    else if (/^0[0-7]*$/.test(token)) bits = parseInt(token, 8);
    else if (/^[1-9]\d*$/.test(token)) bits = parseInt(token, 10);
    else if (Object.prototype.hasOwnProperty.call(PERMISSION_BITS, token)) bits = PERMISSION_BITS[token];
    if (bits === undefined) return undefined;
    value |= bits;
  }
  return value;
}

const own = <T>(table: Readonly<Record<string, T>>, key: string) =>
  Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;

/** C / C++ (POSIX, Zephyr's POSIX layer): function → [kind, mode index, path index]. */
const NATIVE: Readonly<Record<string, [ModeKind, number, number?]>> = {
  chmod: ['set', 1, 0],
  fchmod: ['set', 1],
  lchmod: ['set', 1, 0],
  fchmodat: ['set', 2, 1],
  open: ['create', 2, 0],
  open64: ['create', 2, 0],
  openat: ['create', 3, 1],
  creat: ['create', 1, 0],
  mkdir: ['create', 1, 0],
  mkdirat: ['create', 2, 1],
  mkfifo: ['create', 1, 0],
  shm_open: ['create', 2, 0],
  umask: ['umask', 0],
};

const PYTHON: Readonly<Record<string, [ModeKind, number, number?]>> = {
  'os.chmod': ['set', 1, 0],
  'os.fchmod': ['set', 1],
  'os.lchmod': ['set', 1, 0],
  'os.umask': ['umask', 0],
  'os.open': ['create', 2, 0],
  'os.mkdir': ['create', 1, 0],
  'os.makedirs': ['create', 1, 0],
  'os.mkfifo': ['create', 1, 0],
};

const NODE: Readonly<Record<string, [ModeKind, number, number?]>> = {
  chmod: ['set', 1, 0],
  chmodSync: ['set', 1, 0],
  fchmod: ['set', 1],
  fchmodSync: ['set', 1],
  lchmod: ['set', 1, 0],
  lchmodSync: ['set', 1, 0],
  open: ['create', 2, 0],
  openSync: ['create', 2, 0],
  umask: ['umask', 0],
};

/** Node calls whose options object may carry `mode`: `writeFileSync(p, data, { mode })`, `mkdirSync(p, { mode })`. */
const NODE_OPTIONS: Readonly<Record<string, number>> = {
  writeFile: 2,
  writeFileSync: 2,
  appendFile: 2,
  appendFileSync: 2,
  mkdir: 1,
  mkdirSync: 1,
  createWriteStream: 1,
};

function site(call: Call, spec: [ModeKind, number, number?] | undefined, namedMode = false): ModeSite | undefined {
  if (!spec) return undefined;
  const [kind, index, pathIndex] = spec;
  const mode = call.args[index] ?? (namedMode ? call.named.find((p) => p.key === 'mode')?.value : undefined);
  return mode ? { kind, mode, path: pathIndex === undefined ? undefined : call.args[pathIndex] } : undefined;
}

export function modeSiteOf(call: Call, language: LanguageId): ModeSite | undefined {
  switch (language) {
    case 'c':
    case 'cpp': {
      if (call.receiver || !(call.callee === call.name || call.callee === `.${call.name}` || call.callee === `std.${call.name}`))
        return undefined;
      return site(call, own(NATIVE, call.name));
    }
    case 'python': {
      const spec = own(PYTHON, call.callee);
      if (spec) return site(call, spec, true);
      // pathlib: `Path(p).chmod(0o777)`, `p.mkdir(mode=0o777)`
      if (call.name === 'chmod' && call.receiver && call.args.length === 1) return { kind: 'set', mode: call.args[0], path: call.receiver };
      return undefined;
    }
    case 'typescript':
    case 'javascript': {
      if (call.callee === 'process.umask') return site(call, ['umask', 0]);
      if (!call.receiver || !/(?:^|\.)(?:fs|fsp|fsPromises|promises|fse|fsExtra)$/.test(call.receiver.text)) return undefined;
      const spec = own(NODE, call.name);
      if (spec) return site(call, spec);
      const optionsIndex = own(NODE_OPTIONS, call.name);
      const options = optionsIndex === undefined ? undefined : call.args[optionsIndex];
      const mode = options?.kind === 'object' ? options.entries?.find((e) => e.key === 'mode')?.value : undefined;
      return mode ? { kind: 'create', mode, path: call.args[0] } : undefined;
    }
    default:
      return undefined;
  }
}

/** Words in a path expression that say the file holds a secret. */
export const SECRET_PATH = /key|secret|token|cred|passw|\.pem|private|keystore|nvs/i;
