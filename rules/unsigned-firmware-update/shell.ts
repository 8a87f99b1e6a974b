/**
 * Shell scripts for unsigned-firmware-update, read from the tree-sitter-bash tree:
 * - a download run as a program: piped into a shell or interpreter (`curl … | bash`, `wget -qO- … | sudo sh`),
 *   or handed to one as a process or command substitution (`bash <(curl …)`, `sh -c "$(curl …)"`);
 * - a file fetched over plain `http://` and then flashed, installed or run (`esptool.py write_flash … fw.bin`,
 *   `dpkg -i`, `sh installer.sh`) with no verification command (`sha256sum -c`, `gpg --verify`, `cosign
 *   verify-blob`, `minisign -V`, `openssl dgst -verify`) between the download and its use.
 * Variables assigned a literal in the script (`URL=http://…`) are resolved where they are expanded.
 */
import type { Node } from 'web-tree-sitter';
import type { RuleContext } from '../../server/src/core/types';
import { flashOrInstallAction } from './app-apis';

/** Programs that run what they read: a download piped or handed to one is executed. */
const INTERPRETER = /^(?:sh|bash|dash|zsh|ksh|ash|python[\d.]*|perl|ruby|node|source|\.)$/;
/** Commands that run the command they are given (`sudo -E bash`, `env FOO=1 sh`). */
const WRAPPER = /^(?:sudo|doas|env|exec|nohup|time|command|nice)$/;
const DOWNLOADER = /^(?:curl|wget)$/;
/** Updaters and flashers beyond those every app-side checker knows (`flashOrInstallAction`). */
const SHELL_TOOLS: readonly [RegExp, string][] = [
  [/^(?:fwupdmgr|fwupdtool)\s+(?:install|local-install)\b/, 'installs a downloaded firmware capsule with fwupd'],
  [/^flashrom\b.*\s-w\b/, 'writes a downloaded image into the boot flash with flashrom'],
  [/^(?:sysupgrade|swupdate|rauc\s+install|mender\s+install|mender-update\s+install)\b/, 'installs a downloaded system image'],
  [/^(?:opkg|apk)\s+(?:install|add)\b/, 'installs a downloaded package'],
  [/^fastboot\s+(?:flash|update)\b/, 'flashes a downloaded image with fastboot'],
  [/^adb\s+install\b/, 'installs a downloaded APK with adb'],
  [/^dd\b.*\bof=\/dev\//, 'writes a downloaded image to a block device with dd'],
];
/** Commands that check a signature or a pinned checksum, by program and the option that makes them check. */
const VERIFIERS: readonly [RegExp, RegExp][] = [
  [/^(?:sha\d+sum|shasum|md5sum|b2sum)$/, /^(?:-\w*c|--check)$/],
  [/^gpg2?$/, /^--verify$/],
  [/^gpgv2?$/, /^/],
  [/^cosign$/, /^verify(?:-blob)?$/],
  [/^(?:minisign|signify)$/, /^-[A-UW-Za-z]*V[A-Za-z]*$/],
  [/^openssl$/, /^-verify$/],
  [/^apksigner$/, /^verify$/],
  [/^rpm$/, /^(?:-K|--checksig)$/],
];

const CHECKSUM_TOOL = VERIFIERS[0][0];

/**
 * Whether a command verifies. A checksum list counts only when the script did not fetch it too: a SHA-256
 * from the same server protects the transfer, not the origin (a hash piped in or kept in the repository is pinned).
 */
function isVerifier(argv: readonly string[], fetched: readonly Download[]): boolean {
  if (!VERIFIERS.some(([program, option]) => program.test(argv[0]) && argv.slice(1).some((w) => option.test(w)))) return false;
  if (!CHECKSUM_TOOL.test(argv[0])) return true;
  const lists = argv.slice(1).filter((w) => !w.startsWith('-'));
  return !lists.some((list) => fetched.some((d) => d.file && sameFile(list, d.file)));
}

const LOOPBACK_URL = /^https?:\/\/(?:localhost|127\.\d+\.\d+\.\d+|\[::1\])(?:[:/]|$)/i;
const RISK_NETWORK = 'whoever controls the server, its DNS or';

interface Download {
  node: Node;
  url: string;
  /** The file it writes, as written after variables are resolved; undefined when it writes to stdout. */
  file?: string;
}

export function checkShellUpdates(ctx: RuleContext): void {
  const root = ctx.tree?.rootNode;
  if (!root) return;
  const vars = literalVariables(root);
  const commands = descendants(root, 'command');
  const fetched: Download[] = [];
  const verified: number[] = [];
  for (const command of commands) {
    const argv = words(command, vars);
    const head = effectiveCommand(argv);
    if (!head.length) continue;
    if (DOWNLOADER.test(head[0])) {
      const download = downloadOf(command, head);
      if (download) fetched.push(download);
    }
    if (isVerifier(head, fetched)) verified.push(command.startIndex);
  }
  reportPipedDownloads(ctx, root, vars);
  reportSubstitutedDownloads(ctx, commands, vars);
  reportHttpArtifacts(ctx, commands, vars, fetched, verified);
}

/** `curl … | sh`: a pipeline in which a download writing to stdout feeds an interpreter. */
function reportPipedDownloads(ctx: RuleContext, root: Node, vars: ReadonlyMap<string, string>): void {
  for (const pipeline of descendants(root, 'pipeline')) {
    const stages = pipeline.namedChildren.filter((n): n is Node => !!n).map((n) => commandOf(n));
    const source = stages.findIndex((stage) => stage && isStdoutDownload(stage, vars));
    if (source < 0) continue;
    const sink = stages.slice(source + 1).find((stage) => stage && INTERPRETER.test(effectiveCommand(words(stage, vars))[0] ?? ''));
    if (!sink) continue;
    const url = downloadTarget(effectiveCommand(words(stages[source]!, vars)));
    ctx.report({ span: spanOf(pipeline), message: pipedMessage(url, effectiveCommand(words(sink, vars))[0]) });
  }
}

/** `bash <(curl …)`, `sh -c "$(curl …)"`, `eval "$(wget -qO- …)"`: an interpreter given a download to run. */
function reportSubstitutedDownloads(ctx: RuleContext, commands: readonly Node[], vars: ReadonlyMap<string, string>): void {
  for (const command of commands) {
    const head = effectiveCommand(words(command, vars))[0] ?? '';
    if (!INTERPRETER.test(head) && head !== 'eval') continue;
    for (const argument of command.childrenForFieldName('argument')) {
      if (!argument) continue;
      const inner = [...descendants(argument, 'process_substitution'), ...descendants(argument, 'command_substitution')];
      const download = inner.flatMap((n) => descendants(n, 'command')).find((c) => isStdoutDownload(c, vars));
      if (!download) continue;
      ctx.report({ span: spanOf(command), message: pipedMessage(downloadTarget(effectiveCommand(words(download, vars))), head) });
      break;
    }
  }
}

/** A file fetched over plain HTTP and then flashed, installed or run, with no verification in between. */
function reportHttpArtifacts(
  ctx: RuleContext,
  commands: readonly Node[],
  vars: ReadonlyMap<string, string>,
  fetched: readonly Download[],
  verified: readonly number[],
): void {
  const insecure = fetched.filter((d) => d.file && /^http:\/\//i.test(d.url) && !LOOPBACK_URL.test(d.url));
  if (!insecure.length) return;
  for (const command of commands) {
    const argv = effectiveCommand(words(command, vars));
    const action = artifactAction(argv);
    if (!action) continue;
    const download = insecure.find(
      (d) =>
        d.node.endIndex <= command.startIndex &&
        action.candidates.some((w) => sameFile(w, d.file!)) &&
        !verified.some((at) => d.node.endIndex <= at && at < command.startIndex),
    );
    if (!download) continue;
    ctx.report({
      span: spanOf(command),
      message: `This command ${action.what} (\`${download.file}\`), fetched over plain HTTP from \`${download.url}\` with nothing verifying it in between: ${RISK_NETWORK} anyone on the network path can swap in their own image and it runs on the device. Fetch it over HTTPS and verify a signature with a pinned key (\`gpg --verify\`, \`cosign verify-blob\`, \`minisign -V\`) or a checksum kept in the repository (\`sha256sum -c\`) before using it.`,
    });
  }
}

function pipedMessage(url: string | undefined, interpreter: string): string {
  const from = url ? ` from \`${url}\`` : '';
  const path =
    !url || url.startsWith('$')
      ? ' anyone on the network path if the URL is plain HTTP'
      : /^http:\/\//i.test(url)
        ? ' anyone on the network path (the URL is plain HTTP)'
        : ' a proxy that breaks TLS';
  return `A download${from} is run by \`${interpreter}\` as it arrives: ${RISK_NETWORK}${path} runs code with this script's privileges, and nothing checks what arrived. Download to a file, verify a signature with a pinned key (\`gpg --verify\`, \`cosign verify-blob\`, \`minisign -V\`) or a checksum kept in the repository (\`sha256sum -c\`), then run it.`;
}

/**
 * What a command does with a downloaded file, and the words that may name it: a flasher's or installer's
 * arguments, the script an interpreter runs, or the command itself (`./installer`). Any other command that
 * mentions the file (`chmod`, `tar`, `cat`) does not run it.
 */
function artifactAction(argv: readonly string[]): { what: string; candidates: readonly string[] } | undefined {
  if (!argv.length) return undefined;
  const text = argv.join(' ');
  const tool = flashOrInstallAction(text) ?? SHELL_TOOLS.find(([pattern]) => pattern.test(text))?.[1];
  if (tool) return { what: tool, candidates: argv.slice(1) };
  if (INTERPRETER.test(argv[0])) {
    const script = argv.slice(1).find((w) => !w.startsWith('-'));
    return script ? { what: `runs the downloaded script with \`${argv[0]}\``, candidates: [script] } : undefined;
  }
  return { what: 'runs the downloaded program', candidates: [argv[0]] };
}

function sameFile(word: string, file: string): boolean {
  const base = (p: string) => p.replace(/^\.\//, '');
  return base(word) === base(file) || word.endsWith(`/${base(file)}`) || word.replace(/^[a-z]+:[a-z]+:/, '') === base(file);
}

/** A curl or wget call: its URL and the file it writes (undefined for stdout). */
function downloadOf(node: Node, argv: readonly string[]): Download | undefined {
  const url = downloadUrl(argv);
  if (!url) return undefined;
  return { node, url, file: outputFile(argv, url) };
}

function downloadUrl(argv: readonly string[]): string | undefined {
  return argv.slice(1).find((w) => /^(?:https?|ftp):\/\//i.test(w));
}

/**
 * A curl or wget that writes what it fetches to stdout. Its URL may come from the environment (`"$URL"`), which
 * is still a download: what it fetches is unknown to the script either way.
 */
function isStdoutDownload(command: Node, vars: ReadonlyMap<string, string>): boolean {
  const argv = effectiveCommand(words(command, vars));
  const target = downloadTarget(argv);
  return DOWNLOADER.test(argv[0] ?? '') && !!target && outputFile(argv, target) === undefined;
}

/** The URL a download fetches, or the unresolved expansion that holds it. */
function downloadTarget(argv: readonly string[]): string | undefined {
  return downloadUrl(argv) ?? argv.slice(1).find((w) => /^\$\{?[A-Za-z_]/.test(w));
}

/**
 * The file a download writes: curl writes to stdout unless `-o FILE`/`--output FILE` or `-O` (the URL's last
 * segment); wget writes the URL's last segment unless `-O FILE` (`-O -` is stdout).
 */
function outputFile(argv: readonly string[], url: string): string | undefined {
  const remoteName = withoutQuery(url).split('/').pop() || undefined;
  const curl = argv[0] === 'curl';
  for (let i = 1; i < argv.length; i++) {
    const word = argv[i];
    const long = /^--(?:output|output-document)(?:=(.*))?$/.exec(word);
    if (long) return stdoutOr(long[1] ?? argv[i + 1]);
    const short = clusteredOption(word, 'O');
    if (short !== undefined && (!curl || short)) return stdoutOr(short || argv[i + 1]);
    if (short !== undefined && curl) return remoteName;
    const curlShort = curl ? clusteredOption(word, 'o') : undefined;
    if (curlShort !== undefined) return stdoutOr(curlShort || argv[i + 1]);
    if (word === '--remote-name' && curl) return remoteName;
  }
  return curl ? undefined : remoteName;
}

const LINE_BREAK = /[\n\r\u2028\u2029]/;

/** `url` without its query and fragment: from the first `?` or `#` of its last line, as `/[?#].*$/` cuts (linear). */
export function withoutQuery(url: string): string {
  let lineStart = url.length;
  while (lineStart > 0 && !LINE_BREAK.test(url[lineStart - 1])) lineStart--;
  const cut = url.slice(lineStart).search(/[?#]/);
  return cut < 0 ? url : url.slice(0, lineStart + cut);
}

/**
 * The value after `letter` in a cluster of short options (`-sSLo file` → '', `-Ofile` → 'file'), or undefined:
 * what `^-[A-Za-z]*O(.*)$` captures (the last `letter` of the leading letters), without its backtracking.
 */
export function clusteredOption(word: string, letter: string): string | undefined {
  if (word[0] !== '-') return undefined;
  let letters = 1;
  while (letters < word.length && /[A-Za-z]/.test(word[letters])) letters++;
  const at = word.lastIndexOf(letter, letters - 1);
  if (at < 1) return undefined;
  const value = word.slice(at + 1);
  return LINE_BREAK.test(value) ? undefined : value;
}

const stdoutOr = (file: string | undefined) => (file === undefined || file === '-' || file === '/dev/stdout' ? undefined : file);

/** The words of a command after wrappers (`sudo -E`, `env A=1`): the program first. */
function effectiveCommand(argv: readonly string[]): string[] {
  let i = 0;
  while (i < argv.length && WRAPPER.test(basename(argv[i]))) {
    i++;
    while (i < argv.length && (argv[i].startsWith('-') || /^\w+=/.test(argv[i]))) i++;
  }
  const rest = argv.slice(i);
  if (rest.length) rest[0] = basename(rest[0]);
  return rest;
}

const basename = (word: string) => (word === '.' ? word : (word.split('/').pop() ?? word));

/** The words of a command (name, then arguments), quotes removed and literal variables expanded. */
function words(command: Node, vars: ReadonlyMap<string, string>): string[] {
  const name = command.childForFieldName('name');
  const argv = name ? [wordText(name, vars)] : [];
  for (const argument of command.childrenForFieldName('argument')) if (argument) argv.push(wordText(argument, vars));
  return argv;
}

function wordText(node: Node, vars: ReadonlyMap<string, string>): string {
  const raw = node.type === 'raw_string' ? node.text.slice(1, -1) : node.text.replace(/^"|"$/g, '');
  if (node.type === 'raw_string') return raw;
  return raw.replace(/\$\{?([A-Za-z_]\w*)\}?/g, (whole, name: string) => vars.get(name) ?? whole);
}

/** Variables assigned one literal value in the script (`URL=http://…`, `FW="fw.bin"`): a reassigned one is left out. */
function literalVariables(root: Node): Map<string, string> {
  const values = new Map<string, string>();
  const reassigned = new Set<string>();
  for (const assignment of descendants(root, 'variable_assignment')) {
    const name = assignment.childForFieldName('name')?.text;
    const value = assignment.childForFieldName('value');
    if (!name) continue;
    const literal =
      value && (value.type === 'word' || value.type === 'raw_string' || (value.type === 'string' && !/[$`]/.test(value.text)));
    if (values.has(name) || !literal) reassigned.add(name);
    else values.set(name, value.type === 'raw_string' ? value.text.slice(1, -1) : value.text.replace(/^"|"$/g, ''));
  }
  for (const name of reassigned) values.delete(name);
  return values;
}

/** The command of a pipeline stage (`curl … 2>/dev/null` is a redirected statement around one). */
function commandOf(node: Node): Node | undefined {
  if (node.type === 'command') return node;
  if (node.type === 'redirected_statement') {
    const body = node.childForFieldName('body');
    return body?.type === 'command' ? body : undefined;
  }
  return undefined;
}

/** Every node of a type under `root`, in source order, walked without recursion. */
function descendants(root: Node, type: string): Node[] {
  const found: Node[] = [];
  const stack: Node[] = [root];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.type === type) found.push(node);
    for (let i = node.namedChildCount - 1; i >= 0; i--) stack.push(node.namedChild(i)!);
  }
  return found;
}

const spanOf = (node: Node) => ({ start: node.startIndex, end: node.endIndex });
