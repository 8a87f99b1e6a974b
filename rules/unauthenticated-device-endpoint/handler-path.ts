/**
 * What an HTTP handler does, read from the calls on its path: the handler, and the functions of the same file it
 * calls, itself or through `this->` (two levels deep, where request parsing and response building usually sit). It answers three questions:
 * does the path check a credential, does it take a firmware image or a command, and does it serve device data.
 */
import type { Call, Expr, FunctionDef } from '../../server/src/core/model/types';
import type { RuleContext } from '../../server/src/core/types';
import { functionsNamed } from '../../server/src/core/model/functions-by-name';
import { pushAll } from '../../server/src/core/arrays';
import { identifierWords } from '../_shared/identifier-words';
import { isCredentialField, requestInputOf } from '../_shared/value-evidence';

/** The functions a handler reaches and the calls they make. */
export interface HandlerPath {
  functions: FunctionDef[];
  calls: Call[];
}

const MAX_DEPTH = 2;

export function handlerPath(ctx: RuleContext, handlers: readonly FunctionDef[]): HandlerPath {
  const functions: FunctionDef[] = [];
  const calls: Call[] = [];
  const seen = new Set<FunctionDef>();
  let frontier = [...handlers];
  for (let depth = 0; depth <= MAX_DEPTH && frontier.length; depth++) {
    const next: FunctionDef[] = [];
    for (const fn of frontier) {
      if (seen.has(fn)) continue;
      seen.add(fn);
      functions.push(fn);
      const own = callsIn(ctx, fn);
      pushAll(calls, own);
      // `this->handleConfigPost()`: a C++ handler lambda capturing `this` hands the work to a method of its class.
      for (const call of own) if (!call.receiver || call.receiver.text === 'this') pushAll(next, functionsNamed(ctx.model, call.name));
    }
    frontier = next;
  }
  return { functions, calls };
}

/** The calls inside a function, lambdas written in it included (a handler often wraps its work in one). */
function callsIn(ctx: RuleContext, fn: FunctionDef): Call[] {
  return ctx.model.calls.filter((c) => c.start >= fn.start && c.end <= fn.end);
}

/** Names of calls that check who is asking: `server.authenticate(...)`, `checkAuth(req)`, `verify_token(...)`. */
const AUTH_CALL_WORDS: ReadonlySet<string> = new Set([
  'authenticate',
  'authentication',
  'auth',
  'authorize',
  'authorized',
  'authorization',
  'login',
  'logged',
  'token',
  'password',
  'credential',
  'credentials',
  'session',
  'apikey',
  'hmac',
]);

/**
 * Whether the path checks a credential: it calls an authentication API or a function named for one, or it reads
 * a credential from the request (an `Authorization` header, a `token` or `password` parameter) to check it.
 */
export function checksCredential(path: HandlerPath): boolean {
  return path.calls.some((call) => {
    if (identifierWords(call.name).some((w) => AUTH_CALL_WORDS.has(w))) return true;
    const read = requestInputOf(call) ?? headerRead(call);
    return !!read && isCredentialField(read.field);
  });
}

/** ESP-IDF and ESPAsyncWebServer header reads that `requestInputOf` does not know by name. */
function headerRead(call: Call): { field?: string } | undefined {
  if (!/^(?:httpd_req_get_hdr_value_str|httpd_req_get_hdr_value_len|hasHeader|getHeader|header)$/.test(call.name)) return undefined;
  return { field: call.args.find((a) => a.kind === 'string')?.value };
}

/** Calls that write a firmware image: Arduino `Update`, ESP-IDF OTA. */
export function writesFirmware(path: HandlerPath): boolean {
  return path.calls.some(
    (c) =>
      (c.receiver?.text === 'Update' && /^(?:begin|write|writeStream|end)$/.test(c.name)) ||
      /^(?:esp_ota_begin|esp_ota_write|esp_ota_end|esp_ota_set_boot_partition)$/.test(c.name),
  );
}

/** Calls that read what the client sent: parameters, the body, an upload. */
const ARDUINO_INPUT = /^(?:arg|hasArg|args|argName|getParam|hasParam|params|getArg|plainText)$/;
const IDF_INPUT = /^(?:httpd_req_recv|httpd_query_key_value|httpd_req_get_url_query_str)$/;

/**
 * Header reads: a handler reads `Host` to redirect an mDNS name or `Accept` to pick a format. Headers say how the
 * request was made; commands and settings arrive in its parameters and body (a credential header is
 * `checksCredential`'s).
 */
const HEADER_READ = /^(?:header|hasHeader|getHeader|hostHeader|headers|httpd_req_get_hdr_value_str|httpd_req_get_hdr_value_len)$/;

export function readsRequest(path: HandlerPath): boolean {
  return path.calls.some((c) => !HEADER_READ.test(c.name) && isRequestInput(c));
}

function isRequestInput(c: Call): boolean {
  return (
    (!!c.receiver && ARDUINO_INPUT.test(c.name)) ||
    IDF_INPUT.test(c.name) ||
    (c.name !== 'get' && !!requestInputOf(c)) ||
    (c.name === 'get' && !!c.receiver && /^request\.(?:args|form|values|json|headers)$/.test(c.receiver.text)) ||
    /^request\.get_json$/.test(c.callee)
  );
}

/** Calls that keep or act on what a handler was sent: settings storage, flash, a restart, the Wi-Fi setup. */
const STATE_EFFECTS =
  /^(?:EEPROM\.(?:write|put|commit)|\w+\.put(?:String|Int|UInt|Bool|Float|Double|Bytes|Short|UShort|Long|ULong|Char|UChar)|nvs_set_\w+|nvs_commit|ESP\.restart|ESP\.reset|esp_restart|WiFi\.begin|WiFi\.softAP|\w+\.writeFile|\w+\.remove|SPIFFS\.format|LittleFS\.format)$/;

export function changesState(ctx: RuleContext, path: HandlerPath): boolean {
  return path.calls.some((c) => STATE_EFFECTS.test(c.callee)) || assignsDeviceState(ctx, path);
}

/**
 * Calls that delete what the device keeps: a file of its flash or SD card file system, its NVS, a flash partition
 * (`SPIFFS.remove("/readings.csv")`, `LittleFS.format()`, `nvs_erase_all`, C `remove(path)` / `unlink(path)`). A
 * route that runs one wipes the record, the log or the settings for whoever asks, input or none.
 */
const DELETES_STORED =
  /^(?:(?:SPIFFS|LittleFS|LITTLEFS|SD|SD_MMC|FFat)\.(?:remove|rmdir|format)|nvs_erase_all|nvs_erase_key|nvs_flash_erase|esp_partition_erase_range|unlink)$/;

export function deletesStoredData(path: HandlerPath): boolean {
  return path.calls.some((c) => DELETES_STORED.test(c.callee) || (c.callee === 'remove' && c.args.length === 1));
}

/** An assignment on the path to a variable of file scope (`Tin = p->value().toDouble()`): a setting kept. */
function assignsDeviceState(ctx: RuleContext, path: HandlerPath): boolean {
  const fileScope = new Set(ctx.model.variables.filter((v) => !v.fn).map((v) => v.name));
  if (!fileScope.size) return false;
  const inPath = (offset: number) => path.functions.some((f) => offset >= f.start && offset < f.end);
  return ctx.model.bindings.some(
    (b) => b.kind === 'assignment' && fileScope.has(b.target.split(/\.|->/)[0]) && inPath(b.start) && !declaredIn(ctx, b.target, b.start),
  );
}

/** Whether a local of the function around `offset` shadows the name. */
function declaredIn(ctx: RuleContext, target: string, offset: number): boolean {
  const root = target.split(/\.|->/)[0];
  return ctx.model.variables.some((v) => v.fn && v.name === root && offset >= v.fn.start && offset < v.fn.end);
}

/**
 * Words that say a response carries health or sensor data (the tie-breaker once the flow shows the response is
 * built at run time): vital signs, therapy, the readings of a sensor.
 */
const HEALTH_WORDS: ReadonlySet<string> = new Set([
  'spo2',
  'oxygen',
  'pulse',
  'heart',
  'hr',
  'bpm',
  'ppg',
  'ecg',
  'eeg',
  'emg',
  'glucose',
  'sgv',
  'bg',
  'cgm',
  'insulin',
  'bolus',
  'basal',
  'iob',
  'dose',
  'pressure',
  'breath',
  'respiration',
  'respiratory',
  'peep',
  'tidal',
  'fio2',
  'ventilator',
  'patient',
  'therapy',
  'vital',
  'vitals',
  'sensor',
  'sensors',
  'measurement',
  'measurements',
  'sample',
  'samples',
  'reading',
  'readings',
  'temperature',
]);

/** Whether a name or a format string names health or sensor data. */
export function namesHealthData(text: string): boolean {
  return words(text).some((w) => HEALTH_WORDS.has(w));
}

/** Identifier words of names and of the words of a string (`{"spo2":%u}`, `/sgv.json`). */
function words(text: string): string[] {
  const out: string[] = [];
  for (const token of text.match(/[A-Za-z][A-Za-z0-9_]{0,63}/g) ?? []) pushAll(out, identifierWords(token));
  return out;
}

/**
 * Whether a response body is made at run time from what the device holds, not a constant page: some part of it
 * comes from a variable, a call or a parameter the flow cannot fold to a literal.
 */
export function builtAtRunTime(ctx: RuleContext, body: Expr): boolean {
  if (body.kind === 'string' || body.kind === 'number') return false;
  if (defaultInstance(body)) return false;
  if (ctx.flow.constant(body)) return false;
  return ctx.flow.origins(body).some((o) => o.kind !== 'literal');
}

/**
 * `TargetGlucoseRangeDefaults()`, `new DefaultSettings()`: a class instantiated with no arguments holds the class's
 * own defaults, the same for every caller; nothing the device recorded reaches it through the call.
 */
function defaultInstance(body: Expr): boolean {
  const call = body.kind === 'call' ? body.call : undefined;
  return !!call && !call.receiver && call.args.length === 0 && call.named.length === 0 && /^[A-Z][a-z]\w*$/.test(call.name);
}

/** Whether code text (decorators, a signature, an app-wide hook) names an authentication check. */
export function mentionsAuth(text: string): boolean {
  return words(text).some((w) => AUTH_CALL_WORDS.has(w) || w === 'user' || w === 'jwt');
}
