/**
 * What kind of text a file is, for the secrets pass: how values are written in it and how much a
 * name-based (generic) finding can be trusted there.
 *
 * - `config`: key/value formats (properties, YAML, TOML, INI, .env, XML, JSON, Dockerfile, shell, Terraform,
 *   wpa_supplicant/hostapd, .npmrc, .netrc…): an unquoted value is a value.
 * - `source`: program text in a language medsec has no parser for (Go, Ruby, PHP, C#, Swift, Rust…) and the
 *   parsed languages' raw text: only quoted values count (an unquoted right-hand side is an expression).
 * - `prose`: documentation (Markdown, text, reStructuredText, HTML): examples abound, so generic findings
 *   need a value that looks machine-generated.
 * - `lock` and `minified`: lock files and minified bundles hold thousands of hashes and generated names;
 *   only provider formats, private keys and URL credentials are looked for (a registry token pasted into a
 *   lock file's URL is still found), never generic high-entropy values.
 * - `key`: PEM / key files (`.pem`, `.key`, `.p8`, `.asc`, `id_rsa`): only key material.
 * - `data`: any other extension (register descriptions, HEX images, linker maps, traces, CSV-like data): read
 *   like a lock file. A configuration format has a known extension (or none: `Dockerfile`, `credentials`).
 */
export type TextKind = 'config' | 'source' | 'prose' | 'lock' | 'minified' | 'key' | 'data';

const LOCK_FILES = new Set([
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'bun.lock',
  'deno.lock',
  'cargo.lock',
  'poetry.lock',
  'pipfile.lock',
  'gemfile.lock',
  'composer.lock',
  'go.sum',
  'gradle.lockfile',
  'packages.lock.json',
  'podfile.lock',
  'pubspec.lock',
  'mix.lock',
  'flake.lock',
  'uv.lock',
  'pdm.lock',
  'conan.lock',
  'vcpkg-lock.json',
  'package.resolved',
  'paket.lock',
  'shard.lock',
  'verification-metadata.xml',
]);

const PROSE = /\.(?:md|markdown|mdx|txt|rst|adoc|asciidoc|html?|tex|org|rtf|csv|tsv|log|svg)$/i;
const KEY_FILES = /\.(?:pem|key|p8|asc|gpg|ppk|crt|cer|csr|pub|der|ovpn)$|(?:^|\/)id_(?:rsa|dsa|ecdsa|ed25519)$/i;
const SOURCE =
  /\.(?:go|rb|php|cs|swift|rs|scala|groovy|gradle|m|mm|lua|pl|pm|r|dart|vue|svelte|erl|ex|exs|clj|cljs|fs|fsx|vb|jl|zig|nim|hs|ml|sol|ts|tsx|js|jsx|mjs|cjs|py|java|kt|kts|c|h|cc|cpp|hpp|cxx|ino)$/i;
const MINIFIED = /[.-]min\.(?:js|css|mjs)$|\.(?:bundle|chunk)\.js$|\.map$/i;
const CONFIG =
  /\.(?:properties|ya?ml|toml|ini|cfg|conf|cnf|config|env|json|json5|jsonc|xml|plist|tf|tfvars|hcl|nomad|sh|bash|zsh|ksh|fish|ps1|psm1|bat|cmd|mk|make|cmake|service|socket|timer|desktop|rc|npmrc|yarnrc|netrc|pypirc|pgpass|htpasswd|gitconfig|gitmodules|credentials|settings|secrets|vars|j2|jinja|jinja2|tpl|tmpl|template|erb|sql|dockerfile|containerfile|nginx|vcl|reg|xcconfig|pbxproj|csproj|vbproj|props|targets|resx|sln|gradle\.kts|ovpn)$/i;

/** The kind of a file from its path and, for minified files without the telling name, its line lengths. */
export function textKindOf(path: string, content: string): TextKind {
  const normalized = path.replace(/\\/g, '/');
  const name = normalized.split('/').pop()!.toLowerCase();
  if (LOCK_FILES.has(name) || /\.lock$/.test(name)) return 'lock';
  if (MINIFIED.test(name)) return 'minified';
  if (KEY_FILES.test(normalized)) return 'key';
  if (PROSE.test(name)) return 'prose';
  if (SOURCE.test(name)) return isMinified(content) ? 'minified' : 'source';
  if (
    CONFIG.test(name) ||
    !name.includes('.') ||
    name.startsWith('.') ||
    /^(?:dockerfile|containerfile|makefile|jenkinsfile|vagrantfile|procfile)\b/.test(name)
  )
    return 'config';
  return 'data';
}

/** Generated bundles: long lines on average, or one line holding most of a large file. */
function isMinified(content: string): boolean {
  if (content.length < 5_000) return false;
  let lines = 1;
  for (let i = content.indexOf('\n'); i >= 0 && lines < 1_000; i = content.indexOf('\n', i + 1)) lines++;
  return content.length / lines > 500;
}

/** Templates and samples by file name (`config.example.yaml`, `.env.sample`, `settings.xml.dist`, `app.tmpl`): they show names, not values. */
const TEMPLATE_NAME = /(?:^|[._-])(?:example|sample|template|dist|tmpl|tpl)(?:[._-]|$)/i;

export function isTemplatePath(path: string): boolean {
  return TEMPLATE_NAME.test(path.replace(/\\/g, '/').split('/').pop() ?? '');
}

/** Translations (`values-de/strings.xml`, `locales/fr.json`, `i18n/`): labels that name credentials, never credentials. */
const LOCALE_PATH =
  /(?:^|\/)(?:values-[a-z]{2}(?:-r?[A-Za-z]{2})?|locales?|i18n|l10n|translations?|lang|langs)\/|(?:^|\/)(?:messages|strings)_[a-z]{2}(?:_[A-Z]{2})?\.(?:properties|json|ya?ml)$/;

export function isLocalePath(path: string): boolean {
  return LOCALE_PATH.test(path.replace(/\\/g, '/'));
}
