/**
 * Client libraries that speak a cleartext protocol whatever URL they are given: Telnet and plain FTP.
 * Each entry names the constructor and the import that proves the name is the library's (a project may
 * have its own `FTPClient` or `Telnet` class), so a bare name alone never fires.
 */
import type { Call, Expr, Import } from '../../server/src/core/model/types';
import type { LanguageId } from '../../server/src/core/types';

export interface CleartextClient {
  languages: readonly LanguageId[];
  /** Whether `call` creates this client, given the file's text and imports (for import checks). */
  matches(call: Call, file: ClientFile): boolean;
  message: string;
  /** Full dotted callee to rename to, when a drop-in TLS class exists in the same module. */
  secureCallee?: { from: string; to: string };
}

/** What a client check reads of the file besides the call. */
export interface ClientFile {
  text: string;
  imports: readonly Import[];
}

const PY = ['python'] as const;
const JVM = ['java', 'kotlin'] as const;

/** A line's own leading blanks (`^\s*` with /m reread blank lines from every line start), and `;` owns its spaces. */
function importsJvm(text: string, pkg: string, cls: string): boolean {
  return new RegExp(`^[^\\S\\n\\r\\u2028\\u2029]*import\\s+${pkg.replace(/\./g, '\\.')}\\.(?:${cls}|\\*)\\s*(?:;\\s*)?$`, 'm').test(text);
}

/** `from module import name` (or `import name as local`) binds the call's callee, as the parser read the import. */
function importedFromPython(imports: readonly Import[], module: string, name: string, callee: string): boolean {
  return imports.some((imported) => imported.module === module && imported.name === name && imported.local === callee);
}

function jvmClient(pkg: string, cls: string, call: Call, text: string): boolean {
  if (call.callee === `${pkg}.${cls}`) return true;
  return call.callee === cls && importsJvm(text, pkg, cls);
}

export const CLEARTEXT_CLIENTS: readonly CleartextClient[] = [
  {
    languages: PY,
    matches: (call, file) => call.callee === 'telnetlib.Telnet' || importedFromPython(file.imports, 'telnetlib', 'Telnet', call.callee),
    message:
      'telnetlib.Telnet opens a cleartext Telnet session: the login and every command can be read and injected by anyone on the network path. Use SSH (for example paramiko with host-key checking) instead.',
  },
  {
    languages: PY,
    matches: (call, file) => call.callee === 'ftplib.FTP' || importedFromPython(file.imports, 'ftplib', 'FTP', call.callee),
    message:
      'ftplib.FTP sends the login and the files in cleartext, so they can be read or swapped on the network path. Use ftplib.FTP_TLS and call prot_p(), or SFTP.',
    secureCallee: { from: 'ftplib.FTP', to: 'ftplib.FTP_TLS' },
  },
  {
    languages: JVM,
    matches: (call, { text }) => jvmClient('org.apache.commons.net.telnet', 'TelnetClient', call, text),
    message:
      'Apache Commons Net TelnetClient is a cleartext Telnet session: the login and every command can be read and injected on the network path. Use SSH instead.',
  },
  {
    languages: JVM,
    matches: (call, { text }) => jvmClient('org.apache.commons.net.ftp', 'FTPClient', call, text),
    message:
      'Apache Commons Net FTPClient sends the login and the files in cleartext, so they can be read or swapped on the network path. Use FTPSClient (with execPROT("P")) or SFTP.',
  },
];

const NODE = ['typescript', 'javascript'] as const;

export function importsNodeModule(text: string, module: string): boolean {
  const quoted = `['"]${module.replace(/[-/]/g, (c) => `\\${c}`)}['"]`;
  return new RegExp(`\\bfrom\\s+${quoted}|\\brequire\\s*\\(\\s*${quoted}\\s*\\)|\\bimport\\s*\\(\\s*${quoted}\\s*\\)`).test(text);
}

export const NODE_TELNET: CleartextClient = {
  languages: NODE,
  matches: (call, { text }) => call.isNew && call.name === 'Telnet' && importsNodeModule(text, 'telnet-client'),
  message:
    'telnet-client opens a cleartext Telnet session: the login and every command can be read and injected on the network path. Use SSH (for example ssh2) instead.',
};

/** basic-ftp `client.access({...})`: cleartext unless `secure` is true or 'implicit'. */
export function basicFtpInsecureSecure(call: Call, text: string): { secure?: Expr } | undefined {
  if (call.name !== 'access' || !call.receiver || !importsNodeModule(text, 'basic-ftp')) return undefined;
  const options = call.args[0];
  if (!options || options.kind !== 'object') return undefined;
  const secure = options.entries?.find((entry) => entry.key === 'secure');
  if (!secure) return {};
  if (secure.value.kind === 'boolean' && secure.value.value === 'false') return { secure: secure.value };
  return undefined;
}
