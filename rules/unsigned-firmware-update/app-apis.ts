/**
 * The app-side APIs the unsigned-firmware-update rule knows, as data: per language family, which calls
 * download bytes, which write them to a file or unpack them, and which install, run or flash what they get
 * (Python tooling, Node/Electron services, Android companion apps). The data-flow walk that connects them is
 * in unsigned-firmware-update-app.ts.
 */
import type { Call, Expr, Import } from '../../server/src/core/model/types';
import type { LanguageId } from '../../server/src/core/types';
import { identifierWords } from '../_shared/identifier-words';
import { isVerificationName } from '../_shared/update-apis';
import { throughFirstStop } from '../_shared/first-close';

export type AppEcosystem = 'python' | 'node' | 'android' | 'dfu';

/** A call with its callee resolved through the file's imports: `sp.run` → `subprocess.run`, `get` → `requests.get`. */
export interface Resolved {
  call: Call;
  callee: string;
  /** The one string an argument always holds (a constant, a local), from the flow layer; absent where not asked. */
  constant?(expr: Expr): string | undefined;
}

export interface AppSink {
  ecosystem: AppEcosystem;
  matches(c: Resolved, fileText: string): boolean;
  /** The expressions that must carry downloaded data; without it, the enclosing function must handle some. */
  payload?(call: Call): (Expr | undefined)[];
  /** What the call does with the data, after its name in the message. */
  action(call: Call): string;
  /** Starts a process: its arguments may instead run a signature check (`gpg --verify`, `cosign verify-blob`). */
  process?: boolean;
  /** The payload must be a downloaded file (a loader or installer given a path), not just downloaded values. */
  needsPath?: boolean;
  /**
   * A move, rename or copy: the path it writes. The call is a sink only when that path is the running program's
   * own file (`sys.executable`, `process.execPath`), which a self-updater overwrites with what it downloaded.
   */
  ontoOwnProgram?(c: Resolved): Expr | undefined;
}

export interface AppApis {
  /** Whether a call fetches bytes from the network. */
  isDownload(c: Resolved, fileText: string): boolean;
  /** Where a download call itself saves the bytes (`urlretrieve(url, filename)`). */
  savedTo(call: Call): (Expr | undefined)[];
  /** The file a call writes (`open(path, "wb")`, `fs.createWriteStream(path)`, `FileOutputStream(file)`). */
  writesTo(c: Resolved): Expr | undefined;
  /** Calls that unpack or copy a source to a destination (`zf.extractall(dir)`): `from` undefined = the receiver. */
  copies(c: Resolved): { from?: Expr; to?: Expr } | undefined;
  sinks: readonly AppSink[];
}

const arg = (call: Call, index: number, ...names: string[]): Expr | undefined =>
  call.named.find((p) => names.includes(p.key))?.value ?? call.args[index];
const allArgs = (call: Call): (Expr | undefined)[] => [...call.args, ...call.named.map((p) => p.value)];
const oneOf = (...names: string[]) => new Set(names);

/**
 * The callee with its first segment replaced by what the file imported under that name: Python `from
 * subprocess import run as sprun` makes `sprun` → `subprocess.run`; JS `import { execFile } from
 * 'node:child_process'` makes `execFile` → `child_process.execFile`.
 */
export function resolveCallee(call: Call, imports: ReadonlyMap<string, Import>): string {
  // Asked for every call of a file: the first segment is looked up before the callee is split.
  const found = imports.get(firstSegment(call.callee));
  if (!found) return call.callee;
  const [head, ...rest] = call.callee.split('.');
  const module = found.module.replace(/^node:/, '');
  if (!found.name && module.split('.')[0] === head) return call.callee;
  const base = !found.name || found.name === 'default' || found.name === '*' ? module : `${module}.${found.name}`;
  return [base, ...rest].join('.');
}

/** `a` of `a.b.c`: what `split('.')[0]` gives, without building the array. */
function firstSegment(name: string): string {
  const dot = name.indexOf('.');
  return dot < 0 ? name : name.slice(0, dot);
}

/** A file's imports by the local name they bind, the first one for a name bound twice (what `resolveCallee` reads). */
export function importsByLocal(imports: readonly Import[]): Map<string, Import> {
  const byLocal = new Map<string, Import>();
  for (const i of imports) if (i.local !== undefined && !byLocal.has(i.local)) byLocal.set(i.local, i);
  return byLocal;
}

/** Flashing and installing tools a process call may start, and what the message calls it. */
const TOOLS: readonly [RegExp, string][] = [
  [
    /\b(esptool(\.py)?|nrfjprog|nrfutil|STM32_Programmer_CLI|dfu-util|mcumgr|avrdude|openocd|pyocd|st-flash|JLinkExe|bossac|teensy_loader_cli)\b/,
    'flashes a downloaded image onto a device with $1',
  ],
  // `pip … install` after the first pip only (the lookahead stops the prefix there): each pip retried is quadratic.
  [/^(?:(?!\bpip3?\b)[\s\S])*\bpip3?\b[\s\S]*\binstall\b/, 'installs a downloaded Python package with pip'],
  [/\b(pm\s+install|dpkg\s+-i|rpm\s+-[iU]|msiexec|apt(-get)?\s+install|installer\s+-pkg)\b/, 'installs a downloaded package'],
];

/** Whether a command text starts a flasher or an installer, whose input is what gets installed. */
export function installsOrFlashes(text: string): boolean {
  return TOOLS.some(([pattern]) => pattern.test(text));
}

/** What a command that flashes or installs does, in the message's words; undefined for any other command. */
export function flashOrInstallAction(text: string): string | undefined {
  for (const [pattern, action] of TOOLS) {
    const m = pattern.exec(text);
    if (m) return action.replace('$1', m[1] ?? '');
  }
  return undefined;
}

function processAction(call: Call): string {
  const text = allArgs(call)
    .map((a) => a?.text ?? '')
    .join(' ');
  return flashOrInstallAction(text) ?? 'runs a downloaded file';
}

/** `gpg --verify`, `gpgv`, `cosign verify-blob`, `minisign -V`, `apksigner verify` passed to a process call. */
export function isVerificationCommand(call: Call): boolean {
  const text = allArgs(call)
    .map((a) => a?.text ?? '')
    .join(' ');
  if (/\bgpgv\b/.test(text)) return true;
  return (
    /\b(gpg2?|cosign|minisign|signify|sigstore|apksigner|openssl|codesign|signtool|osslsigncode)\b/.test(text) &&
    /\bverify\b|--verify\b|-verify\b|verify-blob|\s-V\b|["']-V["']/.test(text)
  );
}

/** Android ways to check who signed a package, besides calls named for signature verification. */
const ANDROID_SIGNER_CHECK = /\b(GET_SIGNING_CERTIFICATES|GET_SIGNATURES)\b/;

/** Whether a call checks the signature of downloaded code (crypto library, project function, tool, signer check). */
export function isAppVerification(resolved: Resolved, sinks: readonly AppSink[]): boolean {
  const { call } = resolved;
  if (/^(hasSigningCertificate|checkSignatures)$/.test(call.name)) return true;
  if (call.args.some((a) => ANDROID_SIGNER_CHECK.test(a.text))) return true;
  if (sinks.some((s) => s.process && s.matches(resolved, '')) && isVerificationCommand(call)) return true;
  const words = identifierWords(call.name);
  // `load_verify_locations`, `set_verify_mode`: TLS set-up, not a signature over the download.
  if (words.includes('locations') || words.includes('mode')) return false;
  return isVerificationName(call.name);
}

// ---------------------------------------------------------------------------------------------- Python

const PY_DOWNLOADS = oneOf(
  'requests.get',
  'requests.post',
  'requests.request',
  'httpx.get',
  'httpx.post',
  'httpx.request',
  'httpx.stream',
  'urllib.request.urlopen',
  'urllib.request.urlretrieve',
  'urllib.urlopen',
  'urllib.urlretrieve',
  'wget.download',
  'aiohttp.request',
);
const PY_SESSION_METHODS = oneOf('get', 'post', 'request', 'stream');
const PY_PROCESS = oneOf(
  'subprocess.run',
  'subprocess.call',
  'subprocess.check_call',
  'subprocess.check_output',
  'subprocess.Popen',
  'subprocess.getoutput',
  'subprocess.getstatusoutput',
  'os.system',
  'os.popen',
  'os.startfile',
  'asyncio.create_subprocess_exec',
  'asyncio.create_subprocess_shell',
  'pexpect.spawn',
  'pexpect.run',
);

export const PYTHON_APIS: AppApis = {
  isDownload({ call, callee }, fileText) {
    if (PY_DOWNLOADS.has(callee)) return true;
    if (call.name === 'download_file' || call.name === 'download_fileobj') return true; // boto3
    const receiver = call.receiver?.text ?? '';
    // paramiko / scp `sftp.get(remote, local)`, requests/httpx sessions and clients.
    if (call.name === 'get' && /\b(sftp|scp)\w*$/i.test(receiver)) return true;
    if (!PY_SESSION_METHODS.has(call.name) || !/^[A-Za-z_]\w*$/.test(receiver)) return false;
    // A requests/httpx/aiohttp session bound by assignment or by `with ... as name`.
    const session = `(?:requests\\.Session|httpx\\.(?:Async)?Client|aiohttp\\.ClientSession)\\(`;
    if (new RegExp(`\\b${receiver}\\s*=\\s*${session}`).test(fileText)) return true;
    // `${session}[^)]*\\)\\s+as\\s+${receiver}\\b`, reading each run to its `)` once.
    const boundAs = new RegExp(`\\)\\s+as\\s+${receiver}\\b`, 'y');
    if (!throughFirstStop(fileText, new RegExp(session, 'g'), /\)/g, boundAs).next().done) return true;
    // `async with aiohttp.ClientSession(connector=make_connector()) as session`: the call's own `)` is not its first.
    return sessionsBoundByWith(fileText).has(receiver);
  },
  savedTo(call) {
    switch (call.name) {
      case 'urlretrieve':
        return [arg(call, 1, 'filename')];
      case 'download':
        return [arg(call, 1, 'out')];
      case 'download_file':
        return [arg(call, 2, 'Filename')];
      case 'get':
        return /sftp|scp/i.test(call.receiver?.text ?? '') ? [arg(call, 1, 'localpath', 'local_path')] : [];
      default:
        return [];
    }
  },
  writesTo({ call, callee }) {
    if (callee === 'open' || callee === 'io.open' || callee === 'os.open') {
      const mode = arg(call, 1, 'mode');
      if (mode?.kind === 'string' && /[wax+]/.test(mode.value ?? '')) return call.args[0];
      if (callee === 'os.open' && mode && /O_(WRONLY|RDWR|CREAT)/.test(mode.text)) return call.args[0];
      return undefined;
    }
    if (/^(write_bytes|write_text)$/.test(call.name)) return call.receiver;
    if (callee === 'shutil.copyfileobj') return arg(call, 1, 'fdst');
    return undefined;
  },
  copies({ call, callee }) {
    if (call.name === 'extractall' || call.name === 'extract') return { to: arg(call, call.name === 'extract' ? 1 : 0, 'path') };
    if (callee === 'shutil.unpack_archive') return { from: arg(call, 0, 'filename'), to: arg(call, 1, 'extract_dir') };
    if (/^shutil\.(copy|copy2|copyfile|move)$/.test(callee) || callee === 'os.rename' || callee === 'os.replace') {
      return { from: call.args[0], to: call.args[1] };
    }
    return undefined;
  },
  sinks: [
    {
      ecosystem: 'python',
      process: true,
      matches: ({ callee }) => PY_PROCESS.has(callee) || /^os\.(exec|spawn|posix_spawn)\w*$/.test(callee),
      payload: allArgs,
      action: processAction,
    },
    {
      ecosystem: 'python',
      matches: ({ call, callee }) => callee === 'esptool.main' && allArgs(call).some((a) => /write[_-]flash/.test(a?.text ?? '')),
      payload: allArgs,
      needsPath: true,
      action: () => 'flashes a downloaded image onto a device with esptool',
    },
    {
      ecosystem: 'python',
      matches: (r) => !!pythonMoveTarget(r),
      ontoOwnProgram: pythonMoveTarget,
      action: () => "replaces this program's own executable with a downloaded file",
    },
    {
      ecosystem: 'python',
      matches: ({ call }) => (call.callee === 'exec' || call.callee === 'eval') && !call.receiver,
      payload: (call) => call.args.slice(0, 1),
      action: () => 'runs downloaded code',
    },
    {
      ecosystem: 'python',
      matches: ({ call, callee }) =>
        call.name === 'exec_module' ||
        callee === 'runpy.run_path' ||
        callee === 'pip.main' ||
        /^ctypes\.(CDLL|cdll\.LoadLibrary|WinDLL)$/.test(callee),
      payload: (call) => [call.receiver, ...allArgs(call)],
      action: () => 'loads downloaded code into this process',
    },
  ],
};

const PY_SESSION_OPENER = /\b(?:requests\.Session|httpx\.(?:Async)?Client|aiohttp\.ClientSession)\(/g;
const AS_NAME = /^\s+as\s+([A-Za-z_]\w*)/;
/** How far a session's arguments are read for their closing parenthesis. */
const SESSION_ARGS_MAX = 2000;
let lastSessions: { text: string; names: Set<string> } | undefined;

/**
 * Names a `with` statement binds to a requests/httpx/aiohttp session whose arguments hold calls of their own,
 * found once per file (the last file's answer is kept: its calls ask one after another).
 */
function sessionsBoundByWith(text: string): Set<string> {
  if (lastSessions?.text === text) return lastSessions.names;
  const names = new Set<string>();
  for (const m of text.matchAll(PY_SESSION_OPENER)) {
    const from = m.index + m[0].length;
    const limit = Math.min(text.length, from + SESSION_ARGS_MAX);
    let depth = 1;
    let at = from;
    for (; at < limit && depth > 0; at++) {
      const ch = text[at];
      if (ch === '(') depth++;
      else if (ch === ')') depth--;
    }
    const bound = depth === 0 ? AS_NAME.exec(text.slice(at, at + 80)) : null;
    if (bound) names.add(bound[1]);
  }
  lastSessions = { text, names };
  return names;
}

/** `os.replace(src, dst)`, `shutil.move(src, dst)`, `Path(src).rename(dst)`: the path written (not `str.replace(a, b)`). */
function pythonMoveTarget({ call, callee }: Resolved): Expr | undefined {
  if (/^shutil\.(copy|copy2|copyfile|move)$/.test(callee) || callee === 'os.rename' || callee === 'os.replace') return arg(call, 1, 'dst');
  if (/^(rename|replace)$/.test(call.name) && call.receiver && call.args.length === 1 && !call.named.length) return call.args[0];
  return undefined;
}

// ---------------------------------------------------------------------------------------------- Node

const NODE_DOWNLOAD_MODULES = oneOf(
  'axios',
  'got',
  'node-fetch',
  'undici',
  'download',
  'needle',
  'superagent',
  'ky',
  'cross-fetch',
  'electron-dl',
);
const NODE_CHILD_PROCESS = oneOf('exec', 'execSync', 'execFile', 'execFileSync', 'spawn', 'spawnSync', 'fork');
const NODE_FS_MODULES = /^(fs|fs\/promises|fs-extra|graceful-fs)(\.promises)?$/;

/** `fs.renameSync(src, dst)`, `fs.promises.copyFile(src, dst)`, fs-extra `move(src, dst)`: the path written. */
function nodeMoveTarget({ call, callee }: Resolved): Expr | undefined {
  const m = /^(.*)\.(\w+)$/.exec(callee);
  const moves = m && NODE_FS_MODULES.test(m[1]) && /^(copyFile|copyFileSync|rename|renameSync|copy|copySync|move|moveSync)$/.test(m[2]);
  return moves ? call.args[1] : undefined;
}

export function isChildProcessCallee(callee: string): boolean {
  const m = /^(.*)\.(\w+)$/.exec(callee);
  if (m && /^(child_process|cp|childProcess)$/.test(m[1]) && NODE_CHILD_PROCESS.has(m[2])) return true;
  return /^execa(\.\w+)?$|^execa\.execaCommand$/.test(callee);
}

export const NODE_APIS: AppApis = {
  isDownload({ call, callee }) {
    const head = firstSegment(callee);
    if (callee === 'fetch' || callee === 'window.fetch' || callee === 'globalThis.fetch') return true;
    if (NODE_DOWNLOAD_MODULES.has(head) || NODE_DOWNLOAD_MODULES.has(callee)) return true;
    if (/^(https?|electron\.net|net)\.(get|request)$/.test(callee)) return true;
    return call.name === 'downloadFile' && call.args.length > 0;
  },
  savedTo(call) {
    return call.callee.split('.')[0] === 'download' || call.callee === 'download' ? [call.args[1]] : [];
  },
  writesTo({ call, callee }) {
    const m = /^(.*)\.(\w+)$/.exec(callee);
    const fsCall =
      m && NODE_FS_MODULES.test(m[1])
        ? m[2]
        : /^(writeFile|writeFileSync|createWriteStream|appendFile|outputFile)$/.test(callee)
          ? callee
          : undefined;
    if (fsCall && /^(writeFile|writeFileSync|createWriteStream|appendFile|appendFileSync|outputFile|outputFileSync|open)$/.test(fsCall)) {
      return fsCall === 'open' && !/["'`][wa]/.test(call.args[1]?.text ?? '') ? undefined : call.args[0];
    }
    return undefined;
  },
  copies({ call, callee }) {
    const m = /^(.*)\.(\w+)$/.exec(callee);
    if (m && NODE_FS_MODULES.test(m[1]) && /^(copyFile|copyFileSync|rename|renameSync|copy|move)$/.test(m[2])) {
      return { from: call.args[0], to: call.args[1] };
    }
    if (call.name === 'extractAllTo') return { to: call.args[0] }; // adm-zip
    return undefined;
  },
  sinks: [
    {
      ecosystem: 'node',
      matches: (r) => !!nodeMoveTarget(r),
      ontoOwnProgram: nodeMoveTarget,
      action: () => "replaces this program's own executable with a downloaded file",
    },
    {
      ecosystem: 'node',
      process: true,
      matches: ({ callee }) => isChildProcessCallee(callee) || /^electron\.shell\.openPath$/.test(callee),
      payload: allArgs,
      action: processAction,
    },
    {
      ecosystem: 'node',
      matches: ({ call }) => (call.callee === 'require' || call.callee === 'process.dlopen') && call.args.some((a) => a.kind !== 'string'),
      payload: allArgs,
      needsPath: true,
      action: () => 'loads downloaded code into this process',
    },
    {
      ecosystem: 'node',
      // The global `Function` constructor compiles its text; `new WebAssembly.Function(type, fn)` wraps a JS function.
      matches: ({ call }) => call.callee === 'eval' || (call.isNew && /^(?:(?:window|globalThis|self)\.)?Function$/.test(call.callee)),
      payload: allArgs,
      action: () => 'runs downloaded code',
    },
    {
      ecosystem: 'node',
      matches: ({ callee }) => /^vm\.(runInNewContext|runInThisContext|runInContext|compileFunction|Script)$/.test(callee),
      payload: (call) => call.args.slice(0, 1),
      action: () => 'runs downloaded code',
    },
  ],
};

// ---------------------------------------------------------------------------------------------- Android

const APK_MIME = 'application/vnd.android.package-archive';
const CLASS_LOADERS = oneOf('DexClassLoader', 'PathClassLoader', 'InMemoryDexClassLoader', 'DelegateLastClassLoader', 'URLClassLoader');

export const JVM_APIS: AppApis = {
  isDownload({ call }, fileText) {
    const receiver = call.receiver?.text ?? '';
    switch (call.name) {
      case 'openStream':
      case 'openConnection':
        return /\bURL\b|url/i.test(receiver);
      case 'readBytes':
      case 'readText':
        return /\bURL\s*\(/.test(receiver);
      case 'execute':
        return /\bnewCall\s*\(/.test(receiver);
      case 'enqueue':
        return /\bnewCall\s*\(/.test(receiver) || /\bDownloadManager\b/.test(fileText);
      case 'getUriForDownloadedFile':
      case 'openDownloadedFile':
        return true;
      default:
        return false;
    }
  },
  savedTo: () => [],
  writesTo({ call, callee }) {
    if (call.name === 'FileOutputStream' || call.name === 'RandomAccessFile') return call.args[0];
    if (/^(outputStream|writeBytes|writeText|sink|bufferedWriter)$/.test(call.name) && call.receiver) return call.receiver;
    if (callee === 'Files.copy') return call.args[1];
    if (callee === 'Files.write') return call.args[0];
    if (call.name === 'openOutputStream') return call.args[0];
    // DownloadManager writes the download where its request says: the file name, or the destination URI.
    if (/^setDestinationIn(?:ExternalFilesDir|ExternalPublicDir)$/.test(call.name)) return call.args[call.args.length - 1];
    if (call.name === 'setDestinationUri') return call.args[0];
    return undefined;
  },
  copies({ call, callee }) {
    if (callee === 'Files.move') return { from: call.args[0], to: call.args[1] };
    if ((call.name === 'renameTo' || call.name === 'copyTo') && call.receiver) return { to: call.args[0] };
    return undefined;
  },
  sinks: [
    {
      ecosystem: 'android',
      process: true,
      matches: ({ call }) => (call.name === 'exec' && /\bgetRuntime\b/.test(call.receiver?.text ?? '')) || call.name === 'ProcessBuilder',
      payload: allArgs,
      action: processAction,
    },
    {
      ecosystem: 'android',
      matches: ({ call, constant }) =>
        call.name === 'setDataAndType' &&
        !!call.args[1] &&
        (call.args[1].kind === 'string' ? call.args[1].value : constant?.(call.args[1])) === APK_MIME,
      payload: (call) => [call.args[0]],
      needsPath: true,
      action: () => 'hands a downloaded APK to the package installer',
    },
    {
      ecosystem: 'android',
      matches: ({ call }, fileText) =>
        (call.name === 'Intent' && call.args.length >= 2 && /ACTION_INSTALL_PACKAGE$/.test(call.args[0].text)) ||
        (call.name === 'setData' && /\bACTION_INSTALL_PACKAGE\b/.test(fileText)),
      payload: (call) => [call.args[call.name === 'Intent' ? 1 : 0]],
      needsPath: true,
      action: () => 'hands a downloaded APK to the package installer',
    },
    {
      ecosystem: 'android',
      matches: ({ call }) => call.name === 'openWrite' && !!call.receiver,
      action: () => 'writes a downloaded APK into a PackageInstaller session',
    },
    {
      ecosystem: 'android',
      matches: ({ call, callee }) => CLASS_LOADERS.has(call.name) || callee === 'System.load',
      payload: (call) => call.args.slice(0, 1),
      needsPath: true,
      action: () => 'loads downloaded code into the app',
    },
    {
      ecosystem: 'dfu',
      matches: ({ call }, fileText) => /^(setZip|setBinOrHex)$/.test(call.name) && /\bDfuServiceInitiator\b/.test(fileText),
      payload: allArgs,
      needsPath: true,
      action: () => 'pushes a downloaded firmware image to the device over Nordic DFU',
    },
  ],
};

export const APP_APIS: Partial<Record<LanguageId, AppApis>> = {
  python: PYTHON_APIS,
  typescript: NODE_APIS,
  javascript: NODE_APIS,
  java: JVM_APIS,
  kotlin: JVM_APIS,
};

/** What to do, per ecosystem: the second half of the message. */
export const APP_REMEDY: Readonly<Record<AppEcosystem, string>> = {
  python:
    'Verify a signature over the downloaded artifact with a pinned public key before using it (cryptography `public_key.verify`, PyNaCl, `gpg --verify`, sigstore/cosign, or a TUF client); a SHA-256 from the same server is not enough.',
  node: 'Verify a signature over the downloaded artifact with a pinned public key before running it (`crypto.verify`, sigstore/cosign, or a TUF client); a SHA-256 from the same server is not enough.',
  android:
    'Check the package signer against a pinned certificate (PackageManager GET_SIGNING_CERTIFICATES, apksig ApkVerifier) or verify a detached signature with java.security.Signature before installing or loading it.',
  dfu: 'Verify the image signature in the app with a pinned key before pushing it, and make sure the device bootloader verifies it too.',
};
