/**
 * Values that sit where a secret goes but are not one: fill-me-in markers and templates (`<TOKEN>`,
 * `${VAR}`, `{{ var }}`, `%s`, `your-api-key`, `changeme`, `REPLACE_ME`), masks (`****`, `sk-...abcd`,
 * `ghp_xxxx…`), provider documentation examples (`AKIAIOSFODNN7EXAMPLE`), references to a secret store,
 * values encrypted at rest (`ENC(…)`, `!vault`, `{cipher}…`), and machine strings that only look random:
 * sequences (`0123456789abcdef`), repetitions (`abcabcabc`), identifiers made of words
 * (`MyApplicationSecretKey2024`), UUIDs and content hashes.
 */
import { isPlaceholderSecret } from '../credential-names';

/** Published example credentials: provider documentation and well-known tutorials. Compared exactly. */
const DOCUMENTATION_VALUES = new Set([
  'AKIAIOSFODNN7EXAMPLE',
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY',
  'sk_test_4eC39HqLyjWDarjtT1zdp7dc',
  'pk_test_TYooMQauvdEDq54NiTphI7jx',
  'sk_test_BQokikJOvBiI2HlWgH4olfQ2',
  'ghp_16C7e42F292c6912E7710c838347Ae178B4a',
  'xoxb-not-a-real-token-this-will-not-work',
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
  'SG.xxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
  'AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe', // Google's own documentation key
  'AC00000000000000000000000000000000',
  'SK00000000000000000000000000000000',
]);

/**
 * Words that mark a value as an example or a stand-in wherever they appear in it (compared lower-cased).
 * Four-letter ones must stand apart (`fake-token`, `TODO`), or a long random string would contain them by chance.
 */
const MARKER_WORDS = [
  'example',
  'sample',
  'dummy',
  'placeholder',
  'changeme',
  'change_me',
  'replaceme',
  'replace_me',
  'redacted',
  'your_',
  'your-',
  '_here',
  'insert_',
  'insert-',
  'notreal',
  'not_a_real',
  'not-a-real',
  'notareal',
  'fixme',
];
const SHORT_MARKERS = /(?:^|[^A-Za-z0-9])(?:fake|todo|xxxx|tbd)(?:[^A-Za-z0-9]|$)/i;
/** A value that is nothing but a stand-in word: `api_key="mock"` for a client that never reaches the network. */
const STAND_IN_WORD = /^(?:mock|stub|dummy|fake)$/i;

/** A fill-me-in word or an embedded `<placeholder>`: `sk-your-openai-key`, `pypi-<token>`, `REPLACE_ME_2`. */
function hasFillInMarker(value: string): boolean {
  const lower = value.toLowerCase();
  // A `<placeholder>` stands in for the value when it opens or closes it (`pypi-<token>`, `<key>.pem`), not
  // when random characters surround it.
  return MARKER_WORDS.some((word) => lower.includes(word)) || /^[^<>]{0,16}<[a-z _-]{1,40}>$|^<[a-z _-]{1,40}>/i.test(value);
}

function hasMarkerWord(value: string): boolean {
  return hasFillInMarker(value) || SHORT_MARKERS.test(value) || /<[a-z _-]{1,40}>/i.test(value);
}

/** Runs that mask or elide: `****`, `••`, `...`, `…`, `####`, `______`, `XXXXXX`. */
const MASK_RUNS = ['***', '••', '...', '…', '####', '______', 'XXXXXX', 'xxxxxx'];

/** Masked or truncated values: `****`, `sk-...abcd`, `ghp_…`, `abc***xyz`, `••••`, `[hidden]`. */
export function isMaskedValue(value: string): boolean {
  return MASK_RUNS.some((run) => value.includes(run)) || /\[(?:hidden|masked|redacted|secret)\]/i.test(value);
}

/** `${VAR}`, `${VAR:-x}`, `${VAR:?message}`, `{{ var }}`, `$VAR`, `$$VAR`, `%VAR%`, `<var>`, `#{var}`, `@var@`, `__VAR__`, `%(var)s`, `%s`, `{0}`, `$(VAR)`, `[[var]]`. */
export function isTemplateReference(value: string): boolean {
  const v = value.trim();
  return (
    /^\$\{\{?[^}]*\}\}?$/.test(v) ||
    /^\{\{[^}]*\}\}$/.test(v) ||
    /^\$[A-Za-z_][A-Za-z0-9_]*$/.test(v) ||
    // Compose escapes `$` as `$$`: `"$$REDIS_PASSWORD"` reaches the container's shell as `$REDIS_PASSWORD`.
    /^\$\$(?:[A-Za-z_]\w*|\{[A-Za-z_]\w*\})$/.test(v) ||
    // `${VAR:?message}` / `${VAR?message}` stops when VAR is unset; what follows `?` is the error text (with blanks, a
    // value read up to the first blank ends inside it), never a value.
    /^\$\{[A-Za-z_]\w*:?\?/.test(v) ||
    /^%[A-Za-z_][\w.]*%$/.test(v) ||
    /^<[^<>]{1,60}>$/.test(v) ||
    /^#\{[^}]*\}$/.test(v) ||
    /^@[A-Za-z_][\w.]*@$/.test(v) ||
    /^__[A-Z][A-Z0-9_]*__$/.test(v) ||
    /^%\([\w.]+\)[sd]$/.test(v) ||
    /^%[sdv]$/.test(v) ||
    /^\{\d*\}$/.test(v) ||
    // A reference or an interpolated expression written whole: `{postgres-password.value}` (an Aspire or Bicep
    // manifest), `{SecurityElement.Escape(password)}` (a C# or Python interpolated string).
    /^\{[A-Za-z_][\w.:-]{0,80}(?:\([\w.,: '"-]{0,80}\))?\}$/.test(v) ||
    /^\$\([^)]*\)$/.test(v) ||
    /^\[\[[^\]]*\]\]$/.test(v) ||
    /^<%=?[^%]*%>$/.test(v) ||
    /^\{%[^%]*%\}$/.test(v) ||
    // A template expression anywhere in it: the value is built at run time.
    hasTemplateExpression(v)
  );
}

/** `${…}`, `{{…}}`, `$(…)`, `<%…%>` or an escaped `<…>` (`&lt;password&gt;`, `%3Ctoken%3E`) somewhere in the value. */
function hasTemplateExpression(value: string): boolean {
  for (const [open, close] of [
    ['${', '}'],
    ['{{', '}}'],
    ['$(', ')'],
    ['<%', '%>'],
    ['&lt;', '&gt;'],
    ['%3C', '%3E'],
    ['%3c', '%3e'],
  ]) {
    const at = value.indexOf(open);
    if (at >= 0 && value.indexOf(close, at + open.length) > at) return true;
  }
  return false;
}

/** Secret-store references and values encrypted at rest: they hold no usable secret. */
export function isReferenceOrEncrypted(value: string): boolean {
  const v = value.trim();
  return (
    /^ENC\(.*\)$/.test(v) ||
    /^ENC\[[A-Z0-9_]+,data:/.test(v) ||
    /^\{cipher\}/.test(v) ||
    /^!vault\b/.test(v) ||
    /^\$ANSIBLE_VAULT;/.test(v) ||
    /^vault:v\d+:/.test(v) ||
    /^AQICAH[A-Za-z0-9+/]/.test(v) || // KMS ciphertext blob
    /^(?:vault|secret|secrets|secretsmanager|ssm|keychain|keyring|op|aws-sm|gcp-sm|azure-kv|kv|env|file|awskms|gcpkms|azurekeyvault|sops):/i.test(
      v,
    ) ||
    /^arn:aws:(?:secretsmanager|ssm|kms):/.test(v) ||
    /^projects\/[^/]+\/secrets\//.test(v) ||
    /^https:\/\/[\w-]+\.vault\.azure\.net\//.test(v)
  );
}

/**
 * Runs of consecutive characters (`abcdef`, `123456`, `fedcba`), keyboard rows, or two runs woven together
 * (`a1b2c3d4`) make up most of the value, alone or after a name (`loopapp-a1b2c3d4e5f6g7h8`): typed to fill a
 * slot, not generated.
 */
export function isSequential(value: string): boolean {
  if (value.length < 6) return false;
  const named = /^[A-Za-z]{1,16}[-_.:]([A-Za-z0-9]{6,})$/.exec(value);
  if (isInterleavedSequence(value) || (named && (isInterleavedSequence(named[1]) || isSteppedRun(named[1])))) return true;
  return isSteppedRun(value);
}

/** Two runs of consecutive characters, one at the even and one at the odd positions: `a1b2c3d4`, `1a2b3c`. */
function isInterleavedSequence(value: string): boolean {
  if (value.length < 6) return false;
  for (let i = 2; i < value.length; i++) if (value.charCodeAt(i) - value.charCodeAt(i - 2) !== 1) return false;
  return true;
}

function isSteppedRun(value: string): boolean {
  let stepped = 0;
  for (let i = 1; i < value.length; i++) {
    const d = value.charCodeAt(i) - value.charCodeAt(i - 1);
    if (d === 1 || d === -1 || d === 0 || (value[i - 1] === '9' && /[0a]/.test(value[i])) || (value[i - 1] === 'z' && value[i] === '0'))
      stepped++;
  }
  if (stepped / (value.length - 1) >= 0.6) return true;
  return /qwerty|asdfgh|zxcvbn|123456|abcdef|098765|987654/i.test(value) && value.length <= 24;
}

/** The value repeats a short unit (`abcabcabc`, `0f0f0f0f`, `a1b2a1b2`) or uses very few distinct characters. */
export function isRepetitive(value: string): boolean {
  const n = value.length;
  if (n < 4) return false;
  for (let period = 1; period <= Math.min(8, Math.floor(n / 2)); period++) {
    let repeats = true;
    for (let i = period; i < n && repeats; i++) if (value[i] !== value[i - period]) repeats = false;
    if (repeats) return true;
  }
  return new Set(value).size <= Math.max(2, Math.min(6, Math.floor(n / 8)));
}

/** The most frequent letter pairs of English text (and of the English words identifiers are made of). */
const COMMON_BIGRAMS = new Set(
  (
    'th he in er an re on at en nd ti es or te of ed is it al ar st to nt ng se ha as ou io le ve co me de hi ri ro ' +
    'ic ne ea ra ce li ch ll be ma si om ur ca el ta la ns di fo ho pe ec pr no ct us ac ot il tr ly nc et ut ss so rs ' +
    'un lo wa ge ie wh ee wi em ad ol rt po we na ul ni ts mo ow pa im mi ai sh ir su id os iv ia am fi ci vi pl ig tu ' +
    'ev ld ry mp fe bl ab gh ty op wo sa ay ex ke fr oo av ag if ap gr od bo sp rd do uc bu ei ov by rm ep tt oc fa ' +
    'ef cu rn sc gi da yo cr cl du ga qu ue ff ba ey ls va um pp ua up lu go ht ru ug ds lt pi rc rr eg au ck ew mu ' +
    'br bi pt ak pu ui rg ib tl ny ki rk ys ob mm fu ph og ms ye ud mb ip ub oi rl gu dr hr cc tw ft wn nu af hu nn ' +
    'eo vo rv nf xp gn sm fl iz ok nl my gl aw ju oa eq sy sl ps jo lf nv je nk kn gs dy hy ze ks xt bs ik dd cy ' +
    'rp sk ws lv dl rf eu dg wr xa yi nm eb rb tm xc eh tc gy ja hn yp za gg ym sw bj lm'
  ).split(' '),
);

/** A letters-only fragment that reads as a word: three or more letters, every letter pair a common one. */
function isWordFragment(fragment: string): boolean {
  if (fragment.length < 3) return false;
  const lower = fragment.toLowerCase();
  let common = 0;
  for (let i = 1; i < lower.length; i++) if (COMMON_BIGRAMS.has(lower.slice(i - 1, i + 1))) common++;
  return common / (lower.length - 1) >= (lower.length <= 5 ? 1 : 0.85);
}

/** Runs of letters, split where camel case starts a word: `myAPIKey2x` → my, API, Key, x. */
function letterFragments(value: string): string[] {
  const out: string[] = [];
  let start = -1;
  const isUpper = (i: number) => {
    const c = value.charCodeAt(i);
    return c >= 65 && c <= 90;
  };
  const isLower = (i: number) => {
    const c = value.charCodeAt(i);
    return c >= 97 && c <= 122;
  };
  for (let i = 0; i <= value.length; i++) {
    const letter = i < value.length && (isUpper(i) || isLower(i));
    const wordStart = letter && start >= 0 && isUpper(i) && (isLower(i - 1) || (i + 1 < value.length && isLower(i + 1) && isUpper(i - 1)));
    if ((!letter || wordStart) && start >= 0) {
      out.push(value.slice(start, i));
      start = -1;
    }
    if (letter && start < 0) start = i;
  }
  return out;
}

/**
 * Whether the value is mostly words (`MyApplicationSecretKey2024`, `production_database_url`,
 * `com.example.app`): identifiers and prose, not generated secrets. A random string splits into short
 * fragments whose letter pairs are rarely all common English ones.
 */
export function isWordLike(value: string): boolean {
  const fragments = letterFragments(value);
  let covered = 0;
  for (const fragment of fragments) if (isWordFragment(fragment)) covered += fragment.length;
  return covered / value.length >= 0.6;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** A hash written with its algorithm (`sha256:…`, `sha512-…` integrity, `md5=`), or a crypt(3)/bcrypt/argon2 password hash. */
export function isLabelledHash(value: string): boolean {
  return (
    /^(?:sha(?:1|224|256|384|512)|md5|blake2b?|xxh\d*|crc32)[:=-]/i.test(value) ||
    /^\$(?:2[abxy]?|argon2(?:id|i|d)|[156]|y|pbkdf2[-\w]*|scrypt|7|apr1)\$/.test(value) ||
    /^\{(?:SSHA|SHA|SSHA256|SSHA512|PBKDF2[-\w]*|CRYPT|MD5|SMD5)\}/i.test(value)
  );
}

/** Provider documentation examples and values that say they are examples. */
export function isDocumentationExample(value: string): boolean {
  return DOCUMENTATION_VALUES.has(value) || /EXAMPLE/.test(value);
}

/**
 * Masks, templates, references, encrypted values, documentation examples, repetitions and fill-me-in words:
 * values that cannot be a working secret whatever surrounds them. (Not `fake` or `todo`: a test may well use
 * `4711-fake-PIN` for a value it means to be found.)
 */
export function isStandIn(value: string): boolean {
  const v = value.trim();
  return (
    !v ||
    isDocumentationExample(v) ||
    isMaskedValue(v) ||
    isTemplateReference(v) ||
    isReferenceOrEncrypted(v) ||
    isRepetitive(v) ||
    hasFillInMarker(v) ||
    STAND_IN_WORD.test(v)
  );
}

/**
 * Whether a candidate secret is a stand-in of any of the kinds above. `strict` also rules out the machine
 * strings that only look random (for generic, name-based findings; provider formats have their own shape).
 */
export function isNotASecret(value: string, strict = false): boolean {
  const v = value.trim();
  if (!v || isPlaceholderSecret(v) || isDocumentationExample(v) || isMaskedValue(v) || isTemplateReference(v) || isReferenceOrEncrypted(v))
    return true;
  if (hasMarkerWord(v) || STAND_IN_WORD.test(v)) return true;
  if (isRepetitive(v)) return true;
  if (strict && (isSequential(v) || isUuid(v) || isLabelledHash(v) || isWordLike(v))) return true;
  return false;
}
