/**
 * Where a text file assigns a value to a name: `key = value`, `key: value`, `"key": "value"`, `KEY=value`,
 * `export KEY=…`, `ENV KEY value`, `<password>…</password>`, `<add key="…" value="…"/>`,
 * `<string name="api_key">…</string>`, `password="…"` attributes, `--password=…` flags, `-u user:pass`,
 * `define('KEY', '…')`, `setenv("KEY", "…")`, Kubernetes `- name: KEY` / `value: …`, `key := "…"`,
 * connection strings (`Server=…;Password=…;`) and URL query parameters. One linear pass per line; every
 * regex here has bounded repetition (the ReDoS test checks them).
 */
import { hereDocumentLines, isShellScript } from './shell-heredocs';
import type { Span } from '../../../server/src/core/types';
import type { TextKind } from './file-kinds';

export interface Assignment {
  /** The name as written (`spring.datasource.password`, `//registry.npmjs.org/:_authToken`, `API_KEY`). */
  key: string;
  keySpan: Span;
  /** The value without its quotes (escapes left as written). */
  value: string;
  valueSpan: Span;
  quoted: boolean;
}

/**
 * Patterns that find a place come in two parts: a short `g` trigger that finds candidate offsets, and a
 * sticky (`y`) body matched only at such an offset, so no pattern is ever retried from every position of a
 * long line (the ReDoS test checks each as it is run).
 */
/** Separators of `key <sep> value`: `=`, `:`, `:=`, `::=`, `=>`, `?=`, `??=`, `+=`, `.=`. The key is found by walking back from one. */
const SEPARATOR = /=>|:{1,3}=|\?{1,2}=|\+=|\.=|[=:]/g;
/** At the key's start: optional quotes around the key, the separator, then a quoted or bare value. */
const PAIR =
  /(["']?)([A-Za-z_$@][\w.$@-]{0,80})(["']?\]?)[ \t]{0,8}(=>|:{1,3}=|\?{1,2}=|\+=|\.=|=|:)([ \t]{0,8})(?:"((?:[^"\\\n]|\\.){0,2000})"|'([^'\n]{0,2000})'|`([^`\n]{0,2000})`|([^\s"'`,;<>]{1,2000}))/y;
/** A string key then a string value as a call's first arguments: `define('KEY', '…')`, `setenv("KEY", "…")`, `put("k", "v")`. */
const CALL_PAIR = /\(\s{0,4}["']([A-Za-z_][\w.-]{0,80})["']\s{0,4},\s{0,4}(?:"((?:[^"\\\n]|\\.){0,2000})"|'([^'\n]{0,2000})')/g;
/** An XML element with text: `<password>…</password>`, `<string name="api_key">…</string>`. */
const XML_ELEMENT = /<([A-Za-z_][\w:.-]{0,80})((?:[ \t][^<>\n]{0,400})?)>([^<>\n]{1,2000})<\/([A-Za-z_][\w:.-]{0,80})>/g;
/** `<add key="ClearTextPassword" value="…"/>`, `<entry key="…" value="…">`, `<property name="…" value="…"/>`. */
const XML_KEY_TRIGGER = /\b(?:key|name)[ \t]{0,4}=/g;
const XML_KEY_VALUE = /(?:key|name)[ \t]{0,4}=[ \t]{0,4}"([^"\n]{1,200})"[^<>\n]{0,200}?\bvalue[ \t]{0,4}=[ \t]{0,4}"([^"\n]{0,2000})"/y;
const NAME_ATTRIBUTE = /\b(?:name|key)[ \t]{0,4}=[ \t]{0,4}"([^"\n]{1,200})"/;
/** Command-line flags: `--password=…`, `--token …`. */
const FLAG = /(?<![\w-])--([A-Za-z][\w-]{1,40})(?:=|[ \t]{1,4})(?:"([^"\n]{1,500})"|'([^'\n]{1,500})'|([^\s"'|;&<>]{1,500}))/g;
/** `curl -u user:password`, `--user user:password`. */
const USER_TRIGGER = /(?<![\w-])(?:-u|--user)(?=[= \t])/g;
const USER_OPTION = /(?:-u|--user)(?:=|[ \t]{1,4})["']?([^\s:"']{1,100}):([^\s"'@]{1,200})/y;
/** `mysql -pSECRET`, `sshpass -p SECRET`, on a line that runs one of them. */
const PASSWORD_TOOL = /\b(?:mysql(?:dump|admin)?|mariadb|sshpass)\b/;
const PASSWORD_TRIGGER = /[ \t]-p/g;
const PASSWORD_OPTION = /[ \t]-p(?:[ \t]{1,4})?(?:'([^'\s]{3,200})'|"([^"\s]{3,200})"|([^\s'"-][^\s'"]{2,200}))/y;
/** Dockerfile `ENV KEY value` and space-separated config (`requirepass secret`, netrc `password secret`). */
const SPACE_PAIR =
  /^[ \t]{0,40}(?:ENV[ \t]{1,8})?([A-Za-z_][\w.-]{0,60})[ \t]{1,20}(?:"([^"\n]{1,500})"|'([^'\n]{1,500})'|([^\s"'=:#;][^\s]{0,500}))[ \t]{0,20}$/;
const NETRC_PASSWORD = /\bpassword[ \t]{1,20}(\S{1,500})/g;
/** Inside a connection string or URL query: `Password=…;`, `&password=…`. */
const INNER_PAIR = /(?:^|[;?&]|\\n)[ \t]{0,4}([A-Za-z_][\w .-]{0,40})[ \t]{0,4}=[ \t]{0,4}([^;&"'\n\\]{1,500})/g;
const INNER_PAIR_HINT = /(?:[;?&]|\\n)[ \t]{0,4}[A-Za-z_][\w .-]{0,40}=/;
const INNER_PAIR_START = /^[A-Za-z_][\w .-]{0,40}=[^;\\]{0,500}(?:;|\\n)/;
/** A typed declaration's type where the key would be (`var token string = …`, `val token: String = …`). */
const TYPE_WORDS = new Set(['string', 'String', 'str', 'Str', 'char', 'var', 'val', 'let', 'const', 'auto', 'final']);
/** A multi-line XML element: `<token>` alone on its line, the value on the next, `</token>` after it. */
const XML_OPEN_ALONE = /^[ \t]{0,80}<([A-Za-z_][\w:.-]{0,80})((?:[ \t][^<>\n]{0,400})?)>[ \t]{0,80}$/;
const XML_TEXT_ALONE = /^[ \t]{0,80}([^<>\s][^<>\n]{0,2000})$/;
const XML_CLOSE_ALONE = /^[ \t]{0,80}<\/([A-Za-z_][\w:.-]{0,80})>/;

/** Every pattern of this module, for the ReDoS test (each is checked with its own flags: `y` bodies are anchored). */
export const ASSIGNMENT_PATTERNS: readonly RegExp[] = [
  SEPARATOR,
  PAIR,
  CALL_PAIR,
  XML_ELEMENT,
  XML_KEY_TRIGGER,
  XML_KEY_VALUE,
  NAME_ATTRIBUTE,
  FLAG,
  USER_TRIGGER,
  USER_OPTION,
  PASSWORD_TOOL,
  PASSWORD_TRIGGER,
  PASSWORD_OPTION,
  SPACE_PAIR,
  NETRC_PASSWORD,
  INNER_PAIR,
  INNER_PAIR_HINT,
  INNER_PAIR_START,
  XML_OPEN_ALONE,
  XML_TEXT_ALONE,
  XML_CLOSE_ALONE,
];

const KEY_CHAR = /[\w.$@-]/;
const KEY_PRECEDERS = new Set([' ', '\t', '{', '(', ',', ';', '&', '?', '|', '[', '`', ':', '/', '<', '>', '*']);

/** Where the key before a separator at `at` starts, or -1 (walks back over blanks, a closing quote or `]`, and the name). */
function keyStartBefore(line: string, at: number): number {
  let i = at;
  let blanks = 0;
  while (i > 0 && (line[i - 1] === ' ' || line[i - 1] === '\t') && blanks < 8) {
    i--;
    blanks++;
  }
  if (i > 0 && line[i - 1] === ']') i--;
  if (i > 0 && (line[i - 1] === '"' || line[i - 1] === "'")) i--;
  const end = i;
  while (i > 0 && KEY_CHAR.test(line[i - 1]) && end - i <= 81) i--;
  if (end - i === 0 || end - i > 81 || (i > 0 && KEY_CHAR.test(line[i - 1]))) return -1;
  if (i > 0 && (line[i - 1] === '"' || line[i - 1] === "'")) i--;
  // A name starts a line or follows a blank or a delimiter (`{`, `(`, `,`, `;`, `&`, `?`, `|`, `[`, `` ` ``), never the
  // middle of encoded data (`…]PW=#B…`).
  return i === 0 || KEY_PRECEDERS.has(line[i - 1]) ? i : -1;
}

/** The identifier before a type that starts at `at` (`token string`, `token: String`, `token: &`), walking back. */
function nameBeforeType(line: string, at: number): { name: string; start: number } | undefined {
  let i = at;
  const skip = (chars: string, limit: number) => {
    for (let n = 0; n < limit && i > 0 && chars.includes(line[i - 1]); n++) i--;
  };
  skip('&', 1);
  skip(' \t', 4);
  skip(':', 1);
  skip(' \t', 4);
  const end = i;
  while (i > 0 && end - i < 81 && /[\w$]/.test(line[i - 1])) i--;
  return end > i && end < at && /^[A-Za-z_$]/.test(line[i]) ? { name: line.slice(i, end), start: i } : undefined;
}

/** Matches of a sticky `body` at each offset a global `trigger` finds. */
function* stickyMatches(line: string, trigger: RegExp, body: RegExp): Generator<RegExpExecArray> {
  trigger.lastIndex = 0;
  for (let t = trigger.exec(line); t; t = trigger.exec(line)) {
    body.lastIndex = t.index;
    const m = body.exec(line);
    if (m) {
      yield m;
      trigger.lastIndex = Math.max(trigger.lastIndex, t.index + m[0].length);
    }
  }
}

function pushPair(out: Assignment[], key: string, keyStart: number, value: string, valueStart: number, quoted: boolean): void {
  out.push({
    key,
    keySpan: { start: keyStart, end: keyStart + key.length },
    value,
    valueSpan: { start: valueStart, end: valueStart + value.length },
    quoted,
  });
}

/** Pairs inside a value that is a connection string or has a query string (`Server=x;Password=y`, `…?token=z`). */
function innerPairs(out: Assignment[], value: string, valueStart: number): void {
  if (!INNER_PAIR_HINT.test(value) && !INNER_PAIR_START.test(value)) return;
  for (const m of value.matchAll(INNER_PAIR)) {
    const key = m[1].trim();
    const keyStart = valueStart + m.index! + m[0].indexOf(m[1]);
    const v = m[2].trim();
    const vStart = valueStart + m.index! + m[0].length - m[2].length + (m[2].length - m[2].trimStart().length);
    pushPair(out, key, keyStart, v, vStart, false);
  }
}

/**
 * The lines worth reading: those holding one of `keywords` (lower case), and the two after each (a value may
 * follow its name on the next lines). The pre-filter that keeps the pass cheap on large data files.
 */
function linesToRead(content: string, keywords: readonly string[], knownLineStarts?: readonly number[]): Uint8Array {
  const lineStarts = knownLineStarts ?? lineStartsOf(content);
  const wanted = new Uint8Array(lineStarts.length);
  let line = 0;
  for (const m of content.matchAll(keywordPattern(keywords))) {
    while (line + 1 < lineStarts.length && lineStarts[line + 1] <= m.index) line++;
    wanted[line] = 1;
    if (line + 1 < wanted.length) wanted[line + 1] = 1;
    if (line + 2 < wanted.length) wanted[line + 2] = 1;
  }
  return wanted;
}

function lineStartsOf(content: string): number[] {
  const starts = [0];
  for (let i = content.indexOf('\n'); i >= 0; i = content.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

const KEYWORD_PATTERNS = new Map<readonly string[], RegExp>();

/** One case-insensitive alternation of the keywords, so the content is walked once whatever their number. */
function keywordPattern(keywords: readonly string[]): RegExp {
  let pattern = KEYWORD_PATTERNS.get(keywords);
  if (!pattern) {
    const escaped = keywords
      .filter(Boolean)
      .sort((a, b) => b.length - a.length)
      .map((k) => k.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
    pattern = new RegExp(escaped.join('|'), 'gi');
    KEYWORD_PATTERNS.set(keywords, pattern);
  }
  pattern.lastIndex = 0;
  return pattern;
}

/**
 * Every assignment in `content` (with `keywords`: on a line that holds one, or within two lines after one).
 * `kind` decides whether unquoted values count (not in program text).
 */
export function findAssignments(
  content: string,
  kind: TextKind,
  fileName: string,
  keywords?: readonly string[],
  lineStarts?: readonly number[],
): Assignment[] {
  const out: Assignment[] = [];
  const isNetrc = /(?:^|\/)[._]netrc$/i.test(fileName);
  // In a shell script a blank-separated pair outside a here-document is a command and its argument.
  const hereDocument = kind === 'config' && isShellScript(fileName, content) ? hereDocumentLines(content) : undefined;
  const wanted = keywords ? linesToRead(content, keywords, lineStarts) : undefined;
  let lineStart = 0;
  /** Kubernetes-style `- name: KEY` waiting for its `value:` on the next lines. */
  let pendingName: { key: string; keyStart: number; line: number } | undefined;
  let lineNumber = 0;
  /** A multi-line XML element under way: its tag, then its value once the next line gave one. */
  let openElement: { tag: string; key: string; keyStart: number; value?: string; valueStart?: number } | undefined;
  while (lineStart <= content.length) {
    let lineEnd = content.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = content.length;
    if (!wanted || wanted[lineNumber]) {
      const line = content.slice(lineStart, lineEnd);
      scanLine(line, lineStart, !hereDocument || hereDocument[lineNumber]);
      if (line.includes('<') || openElement) multilineElement(line.replace(/\r$/, ''), lineStart);
    } else {
      openElement = undefined;
    }
    lineStart = lineEnd + 1;
    lineNumber++;
  }
  return out;

  function multilineElement(line: string, at: number): void {
    const open = XML_OPEN_ALONE.exec(line);
    if (open && !line.includes('</')) {
      const named = NAME_ATTRIBUTE.exec(open[2]);
      openElement = { tag: open[1], key: named ? named[1] : open[1], keyStart: at + line.indexOf(open[1]) };
      return;
    }
    if (!openElement) return;
    if (openElement.value === undefined) {
      const text = XML_TEXT_ALONE.exec(line);
      if (text) {
        openElement.value = text[1].trimEnd();
        openElement.valueStart = at + line.indexOf(text[1]);
      } else openElement = undefined;
      return;
    }
    const close = XML_CLOSE_ALONE.exec(line);
    if (close && close[1] === openElement.tag)
      pushPair(out, openElement.key, openElement.keyStart, openElement.value, openElement.valueStart!, true);
    openElement = undefined;
  }

  /** `key <sep> value` pairs of a line, left to right, each separator tried once and values skipped over. */
  function* pairs(line: string): Generator<RegExpExecArray> {
    SEPARATOR.lastIndex = 0;
    for (let sep = SEPARATOR.exec(line); sep; sep = SEPARATOR.exec(line)) {
      const start = keyStartBefore(line, sep.index);
      if (start < 0) continue;
      PAIR.lastIndex = start;
      const m = PAIR.exec(line);
      // The match must use this separator (a key walked back over may belong to an earlier one).
      if (!m || start + m[0].length <= sep.index) continue;
      // `a:b` without a blank is a scheme, a time or host:port, not YAML: `key:` needs a quoted key or a blank.
      // The rest of such a value is still read (`https://host?token=…`).
      if (m[4] === ':' && !m[1] && !m[3] && !m[5] && m[6] === undefined && m[7] === undefined && m[8] === undefined) continue;
      yield m;
      SEPARATOR.lastIndex = Math.max(SEPARATOR.lastIndex, start + m[0].length);
    }
  }

  function scanLine(line: string, at: number, spacePairs: boolean): void {
    if (line.length > 100_000) return;
    let matched = false;
    for (const m of pairs(line)) {
      const [, openQuote, key, , separator] = m;
      const quotedValue = m[6] ?? m[7] ?? m[8];
      // A query parameter (`?token=…&user=…`) ends at the next `&`; elsewhere `&` belongs to the value.
      const bare =
        m[9] !== undefined && m.index > 0 && (line[m.index - 1] === '?' || line[m.index - 1] === '&') ? m[9].split('&')[0] : m[9];
      const value = quotedValue ?? bare;
      const quoted = quotedValue !== undefined;
      // In program text an unquoted right-hand side is an expression, not a value.
      if (!quoted && (kind === 'source' || /^[({[]/.test(value))) continue;
      const valueStart = quoted ? at + m.index + m[0].length - value.length - 1 : at + m.index + m[0].length - m[9].length;
      const keyStart = at + m.index + openQuote.length;
      matched = true;
      if (/^name$/i.test(key)) pendingName = { key: value, keyStart: valueStart, line: lineNumber };
      else if (/^value$/i.test(key) && pendingName && lineNumber - pendingName.line <= 2)
        pushPair(out, pendingName.key, pendingName.keyStart, value, valueStart, quoted);
      const npmrcScope =
        openQuote === '' && m.index > 2 && line.startsWith('//') && line[m.index - 1] === ':' ? line.slice(0, m.index) : '';
      // `var token string = "…"`, `val token: String = "…"`: the name before the type is the key.
      const typed = TYPE_WORDS.has(key) && separator !== ':' ? nameBeforeType(line, m.index) : undefined;
      if (typed && !TYPE_WORDS.has(typed.name)) pushPair(out, typed.name, at + typed.start, value, valueStart, quoted);
      else pushPair(out, npmrcScope + key, keyStart - npmrcScope.length, value, valueStart, quoted);
      innerPairs(out, value, valueStart);
    }
    if (line.includes('(')) {
      for (const m of line.matchAll(CALL_PAIR)) {
        const value = m[2] ?? m[3];
        pushPair(out, m[1], at + m.index! + m[0].indexOf(m[1]), value, at + m.index! + m[0].length - value.length - 1, true);
      }
    }
    if (line.includes('<')) {
      for (const m of line.matchAll(XML_ELEMENT)) {
        if (m[1] !== m[4]) continue;
        const named = NAME_ATTRIBUTE.exec(m[2]);
        const key = named ? named[1] : m[1];
        const keyStart = at + m.index! + (named ? 1 + m[1].length + m[2].indexOf(named[1]) : 1);
        pushPair(out, key, keyStart, m[3], at + m.index! + 2 + m[1].length + m[2].length, true);
        matched = true;
      }
      for (const m of stickyMatches(line, XML_KEY_TRIGGER, XML_KEY_VALUE)) {
        pushPair(out, m[1], at + m.index! + m[0].indexOf(`"${m[1]}"`) + 1, m[2], at + m.index! + m[0].length - m[2].length - 1, true);
        innerPairs(out, m[2], at + m.index! + m[0].length - m[2].length - 1);
      }
    }
    if (line.includes('--')) {
      for (const m of line.matchAll(FLAG)) {
        const value = m[2] ?? m[3] ?? m[4];
        pushPair(
          out,
          m[1],
          at + m.index! + 2,
          value,
          at + m.index! + m[0].length - value.length - (m[4] === undefined ? 1 : 0),
          m[4] === undefined,
        );
      }
    }
    if (line.includes('-u') && /(?:^|\s)(?:-u|--user)[\s=]/.test(line)) {
      for (const m of stickyMatches(line, USER_TRIGGER, USER_OPTION)) {
        const valueStart = at + m.index! + m[0].length - m[2].length;
        pushPair(out, 'password', valueStart, m[2], valueStart, false);
      }
    }
    if (line.includes('-p') && PASSWORD_TOOL.test(line)) {
      for (const m of stickyMatches(line, PASSWORD_TRIGGER, PASSWORD_OPTION)) {
        const value = m[1] ?? m[2] ?? m[3];
        const valueStart = at + m.index! + m[0].length - value.length - (m[3] === undefined ? 1 : 0);
        pushPair(out, 'password', valueStart, value, valueStart, m[3] === undefined);
      }
    }
    if (isNetrc) {
      for (const m of line.matchAll(NETRC_PASSWORD))
        pushPair(out, 'password', at + m.index!, m[1], at + m.index! + m[0].length - m[1].length, false);
    } else if (!matched && kind === 'config' && spacePairs) {
      const m = SPACE_PAIR.exec(line);
      if (m) {
        const value = m[2] ?? m[3] ?? m[4];
        pushPair(out, m[1], at + line.indexOf(m[1]), value, at + m[0].lastIndexOf(value), m[4] === undefined);
      }
    }
  }
}
