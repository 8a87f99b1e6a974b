/**
 * Database and broker connection URIs written to a log. A MongoDB, PostgreSQL, MySQL or AMQP connection string carries
 * the account in its userinfo (`mongodb://uploader:s3cret@cluster0.example.net/cgm`): that is where the drivers read
 * the credentials from, so logging the whole URI logs the password. A logged value counts as one by evidence, never by
 * its name alone:
 * - the same value is handed, in the same function, to a driver call that parses a connection string
 *   (`new MongoClientURI(uri)`, `MongoClients.create(uri)`, Node's `new MongoClient(url)`, `create_engine(url)`,
 *   `mongoose.connect(uri)`, `amqp.connect(url)`, `pika.URLParameters(url)`);
 * - it is a literal whose userinfo holds a password (`scheme://user:pass@host`);
 * - it is read from the environment or a settings store under a key that names a database connection URI
 *   (`MONGO_URI`, `DATABASE_URL`, `cloud_storage_mongodb_uri`).
 * What the code derives from the URI (its host, a redacted copy) is a different value and is not reported; nor is a
 * literal without a password, or one whose password is masked or a placeholder.
 */
import type { Call, CodeModel, Expr, FunctionDef } from '../../server/src/core/model/types';
import { ObjectMemo } from '../../server/src/core/model/object-memo';
import type { RuleContext } from '../../server/src/core/types';
import type { Origin } from '../../server/src/core/flow/value-flow';
import { isStorageRead } from '../_shared/value-evidence';
import { identifierWords } from '../_shared/identifier-words';
import { printedPieces } from './printed-pieces';
import { joinedLiterals } from '../../server/src/core/joined-literals';
import { escapeCanSpell } from '../../server/src/core/escapes';
import { FragmentScanner } from '../../server/src/core/fragment-scan';

export interface LoggedConnectionUri {
  span: Expr;
  name: string;
  /** What shows it is a connection string with credentials, for the message. */
  evidence: string;
}

/**
 * Driver calls whose first argument is a connection string, by callee as written (its last segments). Not Java's
 * legacy `new MongoClient(host, port)` nor pymongo's `MongoClient(host)`, whose first argument may be a bare host.
 */
const CONNECTION_STRING_APIS: readonly RegExp[] = [
  /(?:^|\.)(?:MongoClientURI|ConnectionString)$/,
  /(?:^|\.)MongoClients\.create$/,
  /(?:^|\.)(?:mongoose|MongoClient)\.(?:connect|createConnection)$/,
  /(?:^|\.)(?:sqlalchemy\.)?(?:create_engine|create_async_engine)$/,
  /(?:^|\.)(?:psycopg2|psycopg|asyncpg|aiomysql|pymysql)\.connect$/,
  /(?:^|\.)(?:amqp|amqplib|aio_pika)\.(?:connect|connect_robust)$/,
  /(?:^|\.)URLParameters$/,
];

const DATABASE_WORDS = new Set(['mongo', 'mongodb', 'postgres', 'postgresql', 'mysql', 'mariadb', 'amqp', 'rabbitmq', 'database', 'db']);
const URI_WORDS = new Set(['uri', 'url', 'dsn', 'conn', 'connection']);

/** A setting whose name says it holds a database or broker connection URI: `MONGO_URI`, `DATABASE_URL`, `db_dsn`. */
function namesConnectionSetting(key: string): boolean {
  const words = identifierWords(key.split('.').pop() ?? key);
  return words.some((w) => DATABASE_WORDS.has(w)) && words.some((w) => URI_WORDS.has(w));
}

/** `scheme://user:password@`: a URI whose userinfo holds a password. */
const USERINFO_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^\s:@/]+:([^\s@/]+)@/i;
/** A password that is masked or a placeholder: `****`, `xxx`, `<password>`, `${PASS}`, `%s`, `{}`. */
const NOT_A_PASSWORD = /^(?:\*+|x+|X+|<[^>]*>|\$\{[^}]*\}|\{[^}]*\}|%s|\.\.\.)$/;

/** The connection URI with credentials a log call prints, if one of its values is one by evidence. */
export function loggedConnectionUri(ctx: RuleContext, call: Call, logged: readonly Expr[]): LoggedConnectionUri | undefined {
  const file = fileEvidence(ctx);
  if (!file.drivers.length && !file.mayHoldOrigin) return undefined;
  for (const arg of logged) {
    for (const value of printedPieces(arg)) {
      if (value.kind !== 'name') continue;
      const name = value.value ?? value.text;
      const evidence =
        (file.drivers.length ? passedToDriver(ctx, call, name, file.drivers) : undefined) ??
        (file.mayHoldOrigin ? originEvidence(ctx, value) : undefined);
      if (evidence) return { span: arg, name, evidence };
    }
  }
  return undefined;
}

interface FileEvidence {
  /** The file's driver calls that parse a connection string. */
  drivers: Call[];
  /** False when no origin can be evidence: no literal with a password in its userinfo, no key naming a connection URI. */
  mayHoldOrigin: boolean;
}

// On the model itself, not in a WeakMap keyed by it: the driver calls would keep the model alive (object-memo.ts).
const FILE_EVIDENCE = new ObjectMemo<CodeModel, FileEvidence>('medsec.connectionUriEvidence');

/**
 * What evidence a file can hold at all, worked out once: every log call of every file asked the flow layer for each
 * printed name's origins (Java corpus: the rule 425 → 1,497 ms). A literal with a password in its userinfo has
 * `://user:pass@` in the source; a key naming a connection URI has a database word and a URI word in it, and a
 * name's words are lower-cased slices of the name, so the lower-cased text holds them.
 */
function fileEvidence(ctx: RuleContext): FileEvidence {
  const known = FILE_EVIDENCE.get(ctx.model);
  if (known) return known;
  const drivers = ctx.model.calls.filter(
    (c) => c.args[0] !== undefined && (CONNECTION_STRING_APIS.some((api) => api.test(c.callee)) || isNodeMongoClient(ctx, c)),
  );
  const text = ctx.text.content;
  const userinfo = /:\/\/[^\s:@/]+:[^\s@/]+@/.test(text) || hiddenUserinfo(ctx);
  return FILE_EVIDENCE.set(ctx.model, { drivers, mayHoldOrigin: userinfo || mayNameConnectionSetting(text, ctx.language) });
}

/** DATABASE_WORDS and URI_WORDS as word-anchored fragments (core/fragment-scan.ts), one scanner for both. */
const SETTING_WORDS = new FragmentScanner([...DATABASE_WORDS, ...URI_WORDS].map((word) => `<<${word}>>`));
const SETTING_ALPHABET = new Set([...SETTING_WORDS.fragments.join('')].map((c) => c.charCodeAt(0)));

/**
 * Whether the text holds a database word and a URI word, each as a word of a name: what a key naming a connection
 * URI (`MONGO_URI`, `dbUrl`) holds; the same letters inside other words (`feedback`, `curious`, `connector`) do not
 * count. A key may be a decoded string: an escape that can spell one of their letters counts as both.
 */
function mayNameConnectionSetting(text: string, language: string): boolean {
  if (escapeCanSpell(text, language, SETTING_ALPHABET)) return true;
  const found = new Uint8Array(SETTING_WORDS.fragments.length);
  SETTING_WORDS.scan(text, found);
  return found.subarray(0, DATABASE_WORDS.size).includes(1) && found.subarray(DATABASE_WORDS.size).includes(1);
}

/**
 * A literal whose decoded value has a password in its userinfo where the text does not show `://user:pass@`:
 * JavaScript's `"mongodb:\/\/u:p@h"` (an escaped slash), C's adjacent `"mongodb://u:" "p@h"`. Only a file with an
 * escape or with joined literals can hide one, and only such a file has its literals read.
 */
function hiddenUserinfo(ctx: RuleContext): boolean {
  const text = ctx.text.content;
  if (!text.includes('\\') && joinedLiterals(text) === undefined) return false;
  return ctx.model.strings.some((s) => USERINFO_PASSWORD.test(s.value ?? ''));
}

/** The driver call the same function hands `name` to as a connection string, described; undefined if none. */
function passedToDriver(ctx: RuleContext, log: Call, name: string, drivers: readonly Call[]): string | undefined {
  const fn: FunctionDef | undefined = log.fn ?? ctx.flow.functionAt(log.start);
  const mention = new RegExp(`(?:^|[^\\w.$])${name.replace(/[.$]/g, '\\$&')}(?![\\w$])`);
  const driver = drivers.find(
    (c) => c !== log && (fn ? c.start >= fn.start && c.end <= fn.end : !c.fn) && (c.args[0].text === name || mention.test(c.args[0].text)),
  );
  return driver ? `the connection string ${driver.callee}() reads the account from` : undefined;
}

/** Node's `new MongoClient(url)`, which takes only a connection string. */
function isNodeMongoClient(ctx: RuleContext, c: Call): boolean {
  return c.isNew && c.name === 'MongoClient' && (ctx.language === 'javascript' || ctx.language === 'typescript');
}

/** A literal with a password in its userinfo, or a setting read under a connection-URI key. */
function originEvidence(ctx: RuleContext, value: Expr): string | undefined {
  for (const origin of ctx.flow.origins(value)) {
    if (origin.kind === 'literal' && origin.expr.kind === 'string') {
      const password = USERINFO_PASSWORD.exec(origin.expr.value ?? '')?.[1];
      if (password && !NOT_A_PASSWORD.test(password)) return 'a URI whose userinfo holds a password';
      continue;
    }
    const keyText = settingKeyOf(origin);
    if (keyText && namesConnectionSetting(keyText)) return `a database connection URI read from the setting '${keyText}'`;
  }
  return undefined;
}

/** The key a value is read under from the environment or a settings store (`getString(KEY, "")`, `os.environ["K"]`). */
function settingKeyOf(origin: Origin): string | undefined {
  if (origin.kind === 'parameter' || origin.kind === 'literal') return undefined;
  const read = origin.kind === 'source' ? origin.call : origin.expr.kind === 'call' ? origin.expr.call : undefined;
  if (read) {
    if (origin.kind !== 'source' && !isStorageRead(read)) return undefined;
    const key = read.args[0];
    return key?.kind === 'string' ? key.value : key?.text;
  }
  // `os.environ["MONGO_URI"]`, `process.env.DATABASE_URL`: the source is a subscript or a member.
  if (origin.kind !== 'source' || origin.source !== 'environment') return undefined;
  return /["']([\w.-]+)["']\s*\]$|\.(\w+)$/.exec(origin.expr.text)?.slice(1).find(Boolean);
}
