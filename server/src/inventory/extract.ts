/**
 * Extracts the inventory of one file from the engine's code model: algorithms, key lengths and TLS
 * versions from calls (driven by CRYPTO_APIS), TLS settings from bindings, endpoints from URL literals and
 * config values, and credentials from `hardcoded-credential` findings (already redacted by the engine)
 * plus the places keys and credentials are loaded. Pure: no I/O, no parsing.
 */
import type { Call, CodeModel, Expr } from '../core/model/types';
import type { SourceText } from '../core/text';
import type { Finding, LanguageId } from '../core/types';
import { classifyHost, type ParsedUrl } from '../../../rules/_shared/urls';
import { classifyCredentialName } from '../../../rules/_shared/credential-names';
import {
  algorithmDisplayName,
  parseAlgorithm,
  parseCurve,
  parseTlsVersion,
  tlsWeakness,
  weaknessOf,
  type AlgorithmInfo,
} from './algorithm-names';
import { CONFIG_TLS_VERSIONS, CRYPTO_APIS, ENVIRONMENT_READS, TLS_VERSION_SETTINGS, type CryptoApi } from './crypto-apis';
import type {
  AlgorithmAsset,
  CredentialAsset,
  EndpointAsset,
  InventoryAsset,
  MaterialSource,
  MaterialType,
  Occurrence,
  ProtocolAsset,
} from './types';
import { pushAll } from '../core/arrays';

export interface InventoryInput {
  /** Relative to the scan root, forward slashes. */
  path: string;
  language: LanguageId;
  text: SourceText;
  model: CodeModel;
  /** The file's findings; `hardcoded-credential` ones become credential entries. */
  findings: readonly Finding[];
}

const CREDENTIAL_RULE = 'hardcoded-credential';

/** Every inventory entry one file shows, each with one occurrence (collect.ts merges them). */
export function extractInventory(input: InventoryInput): InventoryAsset[] {
  const assets: InventoryAsset[] = [];
  const at = (offset: number, symbol: string, fn?: string): Occurrence => ({
    path: input.path,
    line: input.text.positionAt(offset).line + 1,
    language: input.language,
    symbol,
    ...(fn ? { function: fn } : {}),
  });
  for (const call of input.model.calls) {
    for (const api of CRYPTO_APIS) {
      if (!matches(api, call, input.language)) continue;
      pushAll(assets, fromCall(api, call, input.model, at(call.start, call.callee.split('(')[0], call.fn?.name || undefined)));
    }
  }
  pushAll(assets, fromBindings(input, at));
  pushAll(assets, fromConfig(input, at));
  pushAll(assets, fromEndpoints(input, at));
  pushAll(assets, fromCredentialFindings(input, at));
  return assets;
}

function matches(api: CryptoApi, call: Call, language: LanguageId): boolean {
  if (api.languages && !api.languages.includes(language)) return false;
  if (api.name && !api.name.test(call.name)) return false;
  if (api.callee && !api.callee.test(call.callee)) return false;
  return !!(api.name || api.callee);
}

/** An argument by position, keyword (`key_size=`) or options-object key (`{ modulusLength: 2048 }`). */
function argument(call: Call, ref: number | string | undefined): Expr | undefined {
  if (ref === undefined) return undefined;
  if (typeof ref === 'number') return call.args[ref];
  const named = call.named.find((property) => property.key === ref);
  if (named) return named.value;
  for (const arg of call.args) {
    const entry = arg.kind === 'object' ? arg.entries?.find((property) => property.key === ref) : undefined;
    if (entry) return entry.value;
  }
  return undefined;
}

/** The text an algorithm, curve or version is read from: a literal's value, a constant's name, a call's callee. */
function tokenOf(expr: Expr | undefined): string | undefined {
  if (!expr) return undefined;
  if (expr.kind === 'string' || expr.kind === 'name' || expr.kind === 'number') return expr.value ?? expr.text;
  if (expr.kind === 'call' && expr.call) return expr.call.callee;
  return undefined;
}

function numberOf(expr: Expr | undefined): number | undefined {
  if (!expr) return undefined;
  const text = (expr.value ?? expr.text).replace(/_/g, '');
  if (!/^(0x[0-9a-f]+|\d+)[uUlL]*$/i.test(text)) return undefined;
  const value = Number.parseInt(text, /^0x/i.test(text) ? 16 : 10);
  return Number.isFinite(value) && value > 0 && value <= 65536 ? value : undefined;
}

/** Reads an algorithm argument, including PSA's `PSA_ALG_ECDSA(PSA_ALG_SHA_256)` and Python's `hashes.SHA256()`. */
function algorithmOf(expr: Expr | undefined): AlgorithmInfo | undefined {
  const info = parseAlgorithm(tokenOf(expr) ?? '');
  if (info && expr?.kind === 'call' && expr.call && !info.digest && info.primitive !== 'hash') {
    const inner = parseAlgorithm(tokenOf(expr.call.args[0]) ?? '');
    if (inner?.primitive === 'hash') return { ...info, digest: inner.family };
  }
  return info;
}

function fromCall(api: CryptoApi, call: Call, model: CodeModel, occurrence: Occurrence): InventoryAsset[] {
  if (api.load) return fromLoad(api, call, occurrence);
  if (api.tls) return fromTlsCall(api, call, occurrence);

  let info: AlgorithmInfo | undefined;
  if (api.receiverFactory) {
    const factory = factoryCall(call, model, api.receiverFactory);
    info = factory && parseAlgorithm(tokenOf(factory.args[0]) ?? '');
  } else if (api.algorithmFromName) {
    const group = (api.name ?? api.callee)?.exec(api.name ? call.name : call.callee)?.[1] ?? '';
    info = parseAlgorithm(api.algorithm ? `${api.algorithm}_${group}` : group);
  } else if (api.algorithmArg !== undefined) {
    const arg = algorithmOf(argument(call, api.algorithmArg));
    if (api.composeWith) {
      info =
        arg?.primitive === 'hash'
          ? { family: api.composeWith, primitive: api.composeWith === 'HMAC' ? 'mac' : 'kdf', digest: arg.family }
          : { family: api.composeWith, primitive: api.composeWith === 'HMAC' ? 'mac' : 'kdf' };
    } else info = arg;
  } else if (api.algorithm) {
    info = parseAlgorithm(api.algorithm);
  }
  if (!info) return [];
  info = { ...info };
  if (api.mode) {
    info.mode = api.mode;
    info.primitive = 'ae';
  }
  if (api.modeArg !== undefined) {
    const mode = parseAlgorithm(tokenOf(argument(call, api.modeArg)) ?? '');
    if (mode?.family === 'unknown cipher' && mode.mode) {
      info.mode = mode.mode;
      if (mode.primitive === 'ae') info.primitive = 'ae';
    }
  }
  const bits = numberOf(argument(call, api.keyBitsArg));
  const bytes = numberOf(argument(call, api.keyBytesArg));
  if (bits) info.keyBits = bits;
  else if (bytes) info.keyBits = bytes * 8;
  const curve = parseCurve(tokenOf(argument(call, api.curveArg)) ?? '');
  if (curve) {
    info.curve = curve.curve;
    info.keyBits = curve.keyBits;
  }
  return [algorithmAsset(info, occurrence)];
}

/** For `kpg.initialize(2048)`: the `KeyPairGenerator.getInstance("RSA")` call that `kpg` was bound to. */
function factoryCall(call: Call, model: CodeModel, factory: RegExp): Call | undefined {
  const receiver = call.receiver;
  if (!receiver || receiver.kind !== 'name' || !receiver.value) return undefined;
  for (const binding of model.bindings) {
    if (binding.target !== receiver.value && binding.name !== receiver.value) continue;
    const value = binding.value.call;
    if (binding.value.kind === 'call' && value && factory.test(value.callee)) return value;
  }
  return undefined;
}

export function algorithmAsset(info: AlgorithmInfo, occurrence: Occurrence): AlgorithmAsset {
  const name =
    info.family === 'unknown cipher' && info.mode
      ? `${info.mode.toUpperCase()} mode (cipher not named in the call)`
      : algorithmDisplayName(info);
  const weakness = weaknessOf(info.family, info.keyBits, info.mode) ?? (info.digest ? weaknessOf(info.digest) : undefined);
  return {
    kind: 'algorithm',
    name,
    family: info.family,
    primitive: info.primitive,
    ...(info.mode ? { mode: info.mode } : {}),
    ...(info.keyBits ? { keyBits: info.keyBits } : {}),
    ...(info.curve ? { curve: info.curve } : {}),
    ...(weakness ? { weakness } : {}),
    occurrences: [occurrence],
  };
}

function protocolAsset(
  protocol: ProtocolAsset['protocol'],
  version: string | undefined,
  minimum: boolean,
  occurrence: Occurrence,
): ProtocolAsset {
  const label = protocol.toUpperCase();
  const name = version
    ? version.startsWith('SSL')
      ? version
      : `${label} ${version}${minimum ? ' or later' : ''}`
    : `${label} (version negotiated)`;
  const weakness = tlsWeakness(version);
  return {
    kind: 'protocol',
    protocol,
    ...(version ? { version } : {}),
    ...(minimum && version ? { minimum } : {}),
    name,
    ...(weakness ? { weakness } : {}),
    occurrences: [occurrence],
  };
}

function fromTlsCall(api: CryptoApi, call: Call, occurrence: Occurrence): ProtocolAsset[] {
  const tls = api.tls!;
  const minimum = !!tls.minimum;
  if (tls.transportArg !== undefined) {
    const transport = tokenOf(call.args[tls.transportArg]) ?? '';
    return [protocolAsset(/DATAGRAM/.test(transport) ? 'dtls' : 'tls', undefined, false, occurrence)];
  }
  if (tls.minorArg !== undefined) {
    const major = numberOf(call.args[tls.minorArg - 1]);
    const minor = numberOf(call.args[tls.minorArg]) ?? (tokenOf(call.args[tls.minorArg]) === 'MBEDTLS_SSL_MINOR_VERSION_0' ? 0 : undefined);
    if (major === 3 && minor !== undefined) return [protocolAsset('tls', minor === 0 ? 'SSL 3.0' : `1.${minor - 1}`, minimum, occurrence)];
    const version = parseTlsVersion(tokenOf(call.args[tls.minorArg]) ?? '');
    return version ? [protocolAsset(version.protocol, version.version, minimum, occurrence)] : [];
  }
  if (tls.versionFromName) {
    const version = parseTlsVersion(call.name);
    return version ? [protocolAsset(version.protocol, version.version, minimum, occurrence)] : [];
  }
  if (tls.versionArg === undefined) return [protocolAsset('tls', undefined, false, occurrence)];
  const exprs =
    tls.versionArg === 'all'
      ? call.args.flatMap((arg) => (arg.kind === 'array' || arg.kind === 'call' ? (arg.elements ?? arg.call?.args ?? []) : [arg]))
      : [argument(call, tls.versionArg)];
  const assets: ProtocolAsset[] = [];
  for (const expr of exprs) {
    const version = parseTlsVersion(tokenOf(expr) ?? '');
    if (version) assets.push(protocolAsset(version.protocol, version.version, minimum, occurrence));
  }
  return assets;
}

/** Node `{ minVersion: 'TLSv1.2' }`, Python `ctx.minimum_version = ssl.TLSVersion.TLSv1_2`. */
function fromBindings(input: InventoryInput, at: (offset: number, symbol: string, fn?: string) => Occurrence): InventoryAsset[] {
  const assets: InventoryAsset[] = [];
  for (const binding of input.model.bindings) {
    const setting = TLS_VERSION_SETTINGS[binding.name];
    if (setting) {
      const version = parseTlsVersion(tokenOf(binding.value) ?? '');
      if (version) {
        assets.push(
          protocolAsset(version.protocol, version.version, setting.minimum, at(binding.start, binding.name, binding.fn?.name || undefined)),
        );
      }
    }
    for (const pattern of ENVIRONMENT_READS) {
      for (const match of binding.value.text.matchAll(pattern)) {
        const variable = match[1];
        const material = materialOfName(variable) ?? materialOfName(binding.name);
        if (material) {
          assets.push(
            credentialAsset(
              variable,
              material,
              'environment',
              at(binding.value.start + (match.index ?? 0), match[0], binding.fn?.name || undefined),
            ),
          );
        }
      }
    }
  }
  return assets;
}

function fromConfig(input: InventoryInput, at: (offset: number, symbol: string) => Occurrence): InventoryAsset[] {
  const assets: InventoryAsset[] = [];
  for (const entry of input.model.config) {
    if (entry.value !== 'y') continue;
    for (const row of CONFIG_TLS_VERSIONS) {
      const m = row.key.exec(entry.key);
      if (!m) continue;
      const version = row.version ?? (m[1] !== undefined ? `1.${m[1]}` : undefined);
      assets.push(protocolAsset(row.protocol, version, false, at(entry.start, entry.key)));
    }
  }
  return assets;
}

function fromLoad(api: CryptoApi, call: Call, occurrence: Occurrence): CredentialAsset[] {
  const load = api.load!;
  const nameExpr = load.nameArg !== undefined ? call.args[load.nameArg] : undefined;
  let name = nameExpr ? (nameExpr.kind === 'string' ? (nameExpr.value ?? '') : nameExpr.text) : '';
  // `(const unsigned char *)&key_pem` → `key_pem`.
  name = name
    .replace(/^\([^()]*\)\s*/, '')
    .replace(/^[&*(\s]+|[)\s]+$/g, '')
    .replace(/\s+/g, ' ');
  if (name.length > 60) name = `${name.slice(0, 57)}…`;
  let material = load.material;
  if (load.onlyCredentialNames) {
    if (nameExpr?.kind !== 'string') return [];
    const named = materialOfName(name);
    if (!named) return [];
    material = named;
  }
  if (!name) name = `${call.callee}()`;
  return [credentialAsset(name, material, load.source, occurrence)];
}

function credentialAsset(
  name: string,
  material: MaterialType,
  source: MaterialSource,
  occurrence: Occurrence,
  extra: Partial<CredentialAsset> = {},
): CredentialAsset {
  return { kind: 'credential', name, material, source, ...extra, occurrences: [occurrence] };
}

const KEY_NAME =
  /(?:^|[_\-.])(?:(private|priv|client|device|signing|sign|identity)[_\-]?key|(aes|hmac|master|session|enc|encryption|secret|psk|shared)[_\-]?key)(?:$|[_\-.])/i;

/** What kind of secret a name stands for (`wifi_pass` → password, `client_key` → private key); undefined when none. */
export function materialOfName(name: string): MaterialType | undefined {
  const credential = classifyCredentialName(name);
  if (credential) {
    if (credential.kind === 'password' || credential.kind === 'pin') return 'password';
    if (credential.kind === 'token' || credential.kind === 'api-key') return 'token';
    if (credential.kind === 'secret') return /private/i.test(credential.label) ? 'private-key' : 'secret-key';
    return 'credential';
  }
  const key = KEY_NAME.exec(name);
  if (key) return key[1] ? 'private-key' : 'secret-key';
  return undefined;
}

const SECURE_SCHEMES: Readonly<Record<string, EndpointAsset['transport']>> = {
  https: 'tls',
  wss: 'tls',
  mqtts: 'tls',
  ssl: 'tls',
  tls: 'tls',
  ftps: 'tls',
  amqps: 'tls',
  ldaps: 'tls',
  rediss: 'tls',
  smtps: 'tls',
  imaps: 'tls',
  coaps: 'dtls',
  ssh: 'ssh',
  sftp: 'ssh',
};
const CLEARTEXT_SCHEMES: ReadonlySet<string> = new Set([
  'http',
  'ws',
  'mqtt',
  'coap',
  'ftp',
  'tftp',
  'telnet',
  'tcp',
  'amqp',
  'ldap',
  'redis',
  'smtp',
  'imap',
  'udp',
]);
// A string prefix (`f"`, `rb'`) only counts before a quote: `ftp://` must keep its `f`.
const URL_IN_TEXT = /^(?:[fFrRbBuU]{0,2}["'`])?([A-Za-z][A-Za-z0-9+.-]*):\/\/([^"'`\s/?#]*)([^"'`\s?#]*)/;

/** URL literals (and templates such as `f"https://{ip}/x"`) and config values that name a network endpoint. */
function fromEndpoints(input: InventoryInput, at: (offset: number, symbol: string, fn?: string) => Occurrence): EndpointAsset[] {
  const assets: EndpointAsset[] = [];
  const candidates: { text: string; offset: number; symbol: string }[] = [];
  for (const literal of input.model.strings) {
    const text = literal.kind === 'string' ? (literal.value ?? '') : literal.text;
    candidates.push({ text, offset: literal.start, symbol: 'string literal' });
  }
  // Interpolated strings are not in `strings`; they show up as binding values and call arguments.
  for (const binding of input.model.bindings) {
    if (binding.value.kind === 'other') candidates.push({ text: binding.value.text, offset: binding.value.start, symbol: binding.target });
  }
  for (const call of input.model.calls) {
    for (const arg of call.args)
      if (arg.kind === 'other') candidates.push({ text: arg.text, offset: arg.start, symbol: call.callee.split('(')[0] });
  }
  for (const entry of input.model.config) candidates.push({ text: entry.value, offset: entry.valueSpan.start, symbol: entry.key });
  const seen = new Set<number>();
  for (const candidate of candidates) {
    if (seen.has(candidate.offset)) continue;
    const endpoint = parseEndpoint(candidate.text);
    if (!endpoint) continue;
    seen.add(candidate.offset);
    assets.push({ ...endpoint, occurrences: [at(candidate.offset, candidate.symbol)] });
  }
  return assets;
}

/** A URL that is a network endpoint, with its password masked and query dropped; undefined for identifiers and prose. */
export function parseEndpoint(text: string): Omit<EndpointAsset, 'occurrences'> | undefined {
  const m = URL_IN_TEXT.exec(text.trim());
  if (!m) return undefined;
  const scheme = m[1].toLowerCase();
  const transport = SECURE_SCHEMES[scheme] ?? (CLEARTEXT_SCHEMES.has(scheme) ? 'none' : undefined);
  if (!transport) return undefined;
  let authority = m[2];
  const at = authority.lastIndexOf('@');
  const userInfo = at >= 0 ? authority.slice(0, at) : '';
  authority = at >= 0 ? authority.slice(at + 1) : authority;
  // Run-time parts (`${host}`, `{ip}`, `$addr`, `%s`) show as `{…}`.
  const hostPort = authority.replace(
    /\$\{([^}]*)\}|\{([^}]*)\}|\$([A-Za-z_]\w*)|%[sd]/g,
    (_all, a, b, c) => `{${(a ?? b ?? c ?? 'host').trim()}}`,
  );
  const portMatch = /^(.*?):(\d+)$/.exec(hostPort);
  const host = portMatch ? portMatch[1] : hostPort;
  const port = portMatch?.[2];
  if (!host) return undefined;
  const kind = /[{}]/.test(host) ? 'placeholder' : classifyHost({ host } as ParsedUrl, `${scheme}://${host}${m[3]}`);
  if (kind === 'identifier' || kind === 'invalid' || kind === 'reserved') return undefined;
  const user = userInfo ? `${userInfo.split(':')[0]}${userInfo.includes(':') ? ':****' : ''}@` : '';
  const pathPart = m[3].replace(/\$\{([^}]*)\}|\{([^}]*)\}/g, (_all, a, b) => `{${(a ?? b ?? '').trim()}}`);
  return {
    kind: 'endpoint',
    scheme,
    host,
    ...(port ? { port } : {}),
    url: `${scheme}://${user}${host}${port ? `:${port}` : ''}${pathPart}`,
    transport,
    local: kind === 'local',
  };
}

/** A `hardcoded-credential` finding becomes a credential entry named after what holds it. */
function fromCredentialFindings(input: InventoryInput, at: (offset: number, symbol: string, fn?: string) => Occurrence): CredentialAsset[] {
  const assets: CredentialAsset[] = [];
  for (const finding of input.findings) {
    if (finding.ruleId !== CREDENTIAL_RULE) continue;
    const holder = holderOf(input.model, finding);
    const material = materialOfMessage(finding.message) ?? (holder ? materialOfName(holder) : undefined) ?? 'credential';
    const name = holder ?? `line ${finding.range.start.line + 1}`;
    assets.push(
      credentialAsset(name, material, 'hardcoded', at(finding.span.start, name), {
        redactedSnippet: finding.snippet,
        ...(finding.suppression ? { suppressed: finding.suppression.justification } : {}),
      }),
    );
  }
  return assets;
}

/** The constant, field, config key or keyword argument that holds a finding's literal. */
function holderOf(model: CodeModel, finding: Finding): string | undefined {
  const offset = finding.span.start;
  const inside = (span: { start: number; end: number }) => span.start <= offset && offset < Math.max(span.end, span.start + 1);
  const entry = model.config.find((e) => inside(e) || inside(e.valueSpan));
  if (entry) return entry.key;
  // The innermost holder wins: `auth=` inside `resp = requests.post(...)` names the credential, not `resp`.
  const holders: { size: number; name: string }[] = [];
  for (const binding of model.bindings) {
    if (inside(binding.value) || inside(binding)) holders.push({ size: binding.end - binding.start, name: binding.target });
  }
  for (const call of model.calls) {
    for (const property of call.named) {
      if (inside(property)) {
        holders.push({
          size: property.end - property.start,
          name: `${property.key}= of ${call.callee.split('(')[0]}()`,
        });
      }
    }
  }
  holders.sort((a, b) => a.size - b.size);
  return holders[0]?.name;
}

function materialOfMessage(message: string): MaterialType | undefined {
  if (/private key/i.test(message)) return 'private-key';
  if (/\b(token|API key|access key id)\b/i.test(message)) return 'token';
  if (/\b(access key|secret key|pre-shared key|secret)\b/i.test(message)) return 'secret-key';
  if (/\b(password|passphrase|passcode|PIN)\b/i.test(message)) return 'password';
  return undefined;
}
