/**
 * `ble-unauthenticated-access`: GATT characteristics that accept writes without an encrypted, authenticated
 * link, and pairing set up without MITM protection, for Zephyr, NimBLE, ESP-IDF Bluedroid, the Arduino BLE libraries
 * (NimBLE-Arduino, ESP32 BLE), the nRF5 SDK (nrf5-sdk-permissions.ts), Android and Kconfig.
 */
import type { Binding, Call, Expr } from '../../server/src/core/model/types';
import type { Confidence, Fix, ProjectConditions, RuleContext, Span } from '../../server/src/core/types';
import { ValueIndex } from '../_shared/values';
import { identifierTokens, replaceFix } from '../_shared/syntax';
import { NO_MITM, WRITE_RISK } from './risks';
import { arduinoBleCharacteristics } from './arduinoble-characteristics';
import { nimbleNoIoPairing } from './nimble-io-capability';
import { nrf5SdkPermissions } from './nrf5-sdk-permissions';
import { expansions, flagTokens, type FlagToken } from './named-flags';
import { nxpGattDatabase } from './nxp-gatt-database';
import { zephyrAutoConfirm } from './zephyr-auto-confirm';
import { autoConfirmPairing } from './auto-confirm-pairing';

export interface BleFinding {
  span: Span;
  message: string;
  fix?: Fix;
  confidence?: Confidence;
  /** The project's other files decide it (Kconfig values, a capability declared elsewhere). */
  when?: ProjectConditions;
  unless?: ProjectConditions;
}

// ---------------------------------------------------------------- GATT permissions in C

/** A null function pointer as it is written in C and C++. */
const NULL_POINTER = /^\s*(?:NULL|nullptr|0|\(\s*void\s*\*\s*\)\s*0)\s*$/;

function zephyrCharacteristics(call: Call, values: () => ValueIndex, out: BleFinding[]): void {
  if (call.name !== 'BT_GATT_CHARACTERISTIC') return;
  const props = call.args[1];
  const perm = call.args[2];
  if (!props || !perm) return;
  // Either may be a name for the flags (`#define DOSE_PERM BT_GATT_PERM_READ | BT_GATT_PERM_WRITE`).
  if (!flagTokens(expansions(values(), props, call), ['BT_GATT_CHRC_WRITE', 'BT_GATT_CHRC_WRITE_WITHOUT_RESP']).length) return;
  // Without a write callback Zephyr answers every write with WRITE_NOT_PERMITTED (bt_gatt_check_perm): nothing a
  // peer sends reaches the device, whatever the permission says.
  const writeCallback = call.args[4];
  if (writeCallback && NULL_POINTER.test(writeCallback.text)) return;
  const permissions = expansions(values(), perm, call);
  const write = flagTokens(permissions, ['BT_GATT_PERM_WRITE'])[0];
  if (!write || flagTokens(permissions, ['BT_GATT_PERM_WRITE_ENCRYPT', 'BT_GATT_PERM_WRITE_AUTHEN', 'BT_GATT_PERM_WRITE_LESC']).length)
    return;
  const written = write.direct ? 'BT_GATT_PERM_WRITE' : `${perm.text.trim()} (BT_GATT_PERM_WRITE)`;
  out.push({
    span: write.direct ? write.span : perm,
    message: `This writable characteristic uses ${written}, which needs neither encryption nor authentication: ${WRITE_RISK}. Use BT_GATT_PERM_WRITE_AUTHEN (or _LESC) and check the command in the write callback.`,
    // A name other characteristics share is not rewritten here: each may need its own permission.
    fix: write.direct
      ? replaceFix('Require an authenticated link (BT_GATT_PERM_WRITE_AUTHEN)', write.span, 'BT_GATT_PERM_WRITE_AUTHEN', 'suggestion')
      : undefined,
  });
}

const NIMBLE_WRITE = ['BLE_GATT_CHR_F_WRITE', 'BLE_GATT_CHR_F_WRITE_NO_RSP'];
const NIMBLE_SECURE = ['BLE_GATT_CHR_F_WRITE_ENC', 'BLE_GATT_CHR_F_WRITE_AUTHEN', 'BLE_GATT_CHR_F_WRITE_AUTHOR'];
const NIMBLE_DSC_WRITE = ['BLE_ATT_F_WRITE'];
const NIMBLE_DSC_SECURE = ['BLE_ATT_F_WRITE_ENC', 'BLE_ATT_F_WRITE_AUTHEN', 'BLE_ATT_F_WRITE_AUTHOR'];

function nimbleFlags(ctx: RuleContext, out: BleFinding[]): void {
  let values: ValueIndex | undefined;
  for (const b of ctx.model.bindings) {
    const characteristic = b.kind === 'property' && b.name === 'flags';
    const descriptor = b.kind === 'property' && b.name === 'att_flags';
    if (!characteristic && !descriptor) continue;
    const [write, secure, enc, authen] = characteristic
      ? [NIMBLE_WRITE, NIMBLE_SECURE, 'BLE_GATT_CHR_F_WRITE_ENC', 'BLE_GATT_CHR_F_WRITE_AUTHEN']
      : [NIMBLE_DSC_WRITE, NIMBLE_DSC_SECURE, 'BLE_ATT_F_WRITE_ENC', 'BLE_ATT_F_WRITE_AUTHEN'];
    // `.flags = CHR_FLAGS` with `#define CHR_FLAGS (BLE_GATT_CHR_F_READ | BLE_GATT_CHR_F_WRITE)` in the file.
    const pieces = expansions((values ??= new ValueIndex(ctx.model)), b.value, b);
    const token = flagTokens(pieces, write)[0];
    if (!token || flagTokens(pieces, secure).length) continue;
    out.push({
      span: token.direct ? token.span : b.value,
      message: `${throughName(token, b.value)} without ${enc}/${authen} lets the ${characteristic ? 'characteristic' : 'descriptor'} be written over an unpaired link: ${WRITE_RISK}. Add ${enc} | ${authen}.`,
      fix: {
        title: `Require an encrypted, authenticated link (${authen})`,
        safety: 'suggestion',
        edits: [{ span: { start: b.value.end, end: b.value.end }, newText: ` | ${enc} | ${authen}` }],
      },
    });
  }
}

/** The innermost `{ ... }` around `offset` inside `within`: one attribute of an ESP-IDF attribute table. */
function enclosingBraces(text: string, within: Span, offset: number): string {
  let depth = 0;
  let start = within.start;
  for (let i = offset; i > within.start; i--) {
    if (text[i] === '}') depth++;
    else if (text[i] === '{') {
      if (depth === 0) {
        start = i;
        break;
      }
      depth--;
    }
  }
  // Attribute = `{{ESP_GATT_AUTO_RSP}, {len, uuid, perm, ...}}`: the UUID sits in the same inner group as perm.
  let end = within.end;
  depth = 0;
  for (let i = offset; i < within.end; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}') {
      if (depth === 0) {
        end = i + 1;
        break;
      }
      depth--;
    }
  }
  return text.slice(start, end);
}

/** A name holding one of these (`ESP_GATT_UUID_CHAR_CLIENT_CONFIG`, `hrm_ccc`): word characters only, so no `\b\w*…\w*\b` is needed. */
const CCC_UUID = /client_config|_ccc|cccd/i;

/**
 * Whether an added descriptor is the CCCD: its UUID argument names one (`&cccd_uuid`), or the UUID it points to was
 * last set field by field to one in the same function (`tab[i].descr_uuid.uuid.uuid16 =
 * ESP_GATT_UUID_CHAR_CLIENT_CONFIG;` then `add_char_descr(..., &tab[i].descr_uuid, ...)`, the gatt_server example).
 */
function isCccdDescriptor(ctx: RuleContext, call: Call): boolean {
  const uuid = call.args[1]?.text ?? '';
  if (CCC_UUID.test(uuid)) return true;
  const path = uuid.replace(/^\s*&\s*/, '').replace(/\s+/g, '');
  let last: Binding | undefined;
  for (const b of ctx.model.bindings) {
    if (b.fn !== call.fn || b.end > call.start || (last && b.start < last.start)) continue;
    const target = b.target.replace(/\s+/g, '');
    if (target.startsWith(`${path}.uuid`)) last = b;
  }
  return !!last && CCC_UUID.test(last.value.text);
}

function bluedroidPermissions(ctx: RuleContext, out: BleFinding[]): void {
  const text = ctx.text.content;
  const seen = new Set<number>();
  const report = (span: Span) => {
    if (seen.has(span.start)) return;
    seen.add(span.start);
    out.push({
      span,
      message: `ESP_GATT_PERM_WRITE lets this attribute be written without encryption or authentication: ${WRITE_RISK}. Use ESP_GATT_PERM_WRITE_ENC_MITM and require an MITM-protected bond.`,
      fix: replaceFix(
        'Require an encrypted, MITM-protected link (ESP_GATT_PERM_WRITE_ENC_MITM)',
        span,
        'ESP_GATT_PERM_WRITE_ENC_MITM',
        'suggestion',
      ),
    });
  };
  // Every finding is the flag's name: a file that never writes it has no argument or initializer to look at.
  if (!text.includes('ESP_GATT_PERM_WRITE')) return;
  for (const call of ctx.model.calls) {
    if (call.name !== 'esp_ble_gatts_add_char' && call.name !== 'esp_ble_gatts_add_char_descr') continue;
    const perm = call.args[2];
    if (!perm) continue;
    // A client-configuration descriptor (CCCD) is written by every subscriber; that is how notifications work.
    if (call.name === 'esp_ble_gatts_add_char_descr' && isCccdDescriptor(ctx, call)) continue;
    for (const token of identifierTokens(perm, ['ESP_GATT_PERM_WRITE'])) report(token.span);
  }
  for (const b of ctx.model.bindings) {
    if (b.kind !== 'declaration' || (b.value.kind !== 'array' && b.value.kind !== 'object' && b.value.kind !== 'other')) continue;
    for (const token of identifierTokens(b.value, ['ESP_GATT_PERM_WRITE'])) {
      if (CCC_UUID.test(enclosingBraces(text, b.value, token.span.start))) continue;
      report(token.span);
    }
  }
}

// ---------------------------------------------------------------- Arduino C++ (NimBLE-Arduino, ESP32 BLE)

const ARDUINO_NIMBLE_WRITE = ['NIMBLE_PROPERTY::WRITE', 'NIMBLE_PROPERTY::WRITE_NR'];
const ARDUINO_NIMBLE_SECURE = ['NIMBLE_PROPERTY::WRITE_ENC', 'NIMBLE_PROPERTY::WRITE_AUTHEN', 'NIMBLE_PROPERTY::WRITE_AUTHOR'];
const ARDUINO_ESP32_WRITE = ['BLECharacteristic::PROPERTY_WRITE', 'BLECharacteristic::PROPERTY_WRITE_NR'];
/** Access permissions that make the ESP32 Arduino BLE server ask for an encrypted link before a write. */
const ESP32_SECURE_PERMISSION = /ESP_GATT_PERM_WRITE_(?:ENCRYPTED|ENC_MITM)/;

/** The variable a call's result is stored in (`pChar = svc->createCharacteristic(...)`), if any. */
function storedIn(ctx: RuleContext, call: Call): string | undefined {
  const binding = ctx.model.bindings.find((b) => b.fn === call.fn && b.value.start <= call.start && b.value.end >= call.end);
  return binding?.target.replace(/\s+/g, '');
}

/** Variables given write permissions that need an encrypted link (`pChar->setAccessPermissions(... WRITE_ENCRYPTED)`). */
function encryptedByPermissions(ctx: RuleContext): Set<string> {
  const names = new Set<string>();
  for (const call of ctx.model.calls) {
    if (call.name !== 'setAccessPermissions' || !call.receiver) continue;
    if (call.args.some((arg) => ESP32_SECURE_PERMISSION.test(arg.text))) names.add(call.receiver.text.replace(/\s+/g, ''));
  }
  return names;
}

/** Methods that only publish a characteristic's own value or describe it; none of them hands a peer's write to code. */
const PRODUCER_METHODS = new Set([
  'setValue',
  'notify',
  'indicate',
  'addDescriptor',
  'createDescriptor',
  'getDescriptorByUUID',
  'setAccessPermissions',
  'getUUID',
  'getHandle',
]);
const HEADER_FILE = /\.(?:h|hh|hpp|hxx)$/i;

/** Whether a `getCharacteristic(key)` lookup can find the characteristic created with `uuid`: same text, or not known. */
function looksUp(key: Expr | undefined, uuid: Expr | undefined): boolean {
  if (!key || !uuid) return true;
  const plain = (e: Expr) => e.kind === 'string' || /^[A-Za-z_][\w:]*$/.test(e.text.trim());
  // A macro and a literal may spell the same UUID: only two names or two literals are told apart.
  return !plain(key) || !plain(uuid) || (key.kind === 'string') !== (uuid.kind === 'string') || key.text.trim() === uuid.text.trim();
}

/**
 * Whether a peer's write to the characteristic stored in `variable` can reach any code. The Arduino BLE libraries keep
 * a written value in the characteristic and hand it on only through `setCallbacks()` (onWrite) or `getValue()`; a
 * characteristic the firmware only publishes (setValue, notify) ignores what a peer writes, which the next notification
 * overwrites. Answers "no" only when the variable is declared in this file (not a header, which other files share),
 * every mention of it is that declaration, its assignment from `createCharacteristic`, or a publishing method call,
 * and nothing looks it up by its UUID (`getCharacteristic`), which could reach it another way.
 */
function writeReachesCode(ctx: RuleContext, variable: string, uuid: Expr | undefined): boolean {
  if (HEADER_FILE.test(ctx.path)) return true;
  const name = variable.replace(/^this->/, '');
  if (!/^[A-Za-z_]\w*$/.test(name)) return true;
  const text = ctx.text.content;
  const declaration = new RegExp(`\\b(?:NimBLE|BLE)Characteristic\\s*\\*\\s*(?:const\\s+)?${name}\\b`, 'g');
  const declarations = [...text.matchAll(declaration)].map((m) => m.index + m[0].length - name.length);
  if (declarations.length === 0) return true;
  const explained = new Set(declarations);
  for (const call of ctx.model.calls) {
    if (call.name === 'getCharacteristic' && looksUp(call.args[0], uuid)) return true;
    if (call.name === 'createCharacteristic') {
      const target = storedIn(ctx, call);
      const binding = ctx.model.bindings.find((b) => b.fn === call.fn && b.value.start <= call.start && b.value.end >= call.end);
      if (target?.replace(/^this->/, '') === name && binding) explained.add(binding.targetSpan.end - name.length);
      continue;
    }
    if (call.receiver && call.receiver.text.replace(/\s+/g, '').replace(/^this->/, '') === name) {
      if (!PRODUCER_METHODS.has(call.name)) return true;
      explained.add(call.receiver.end - name.length);
    }
  }
  for (const m of text.matchAll(new RegExp(`\\b${name}\\b`, 'g'))) if (!explained.has(m.index)) return true;
  return false;
}

/**
 * `service->createCharacteristic(uuid, properties)` of NimBLE-Arduino and the ESP32 Arduino BLE library: a write
 * property without the library's way of asking for an encrypted link (NimBLE's `WRITE_ENC`/`WRITE_AUTHEN`
 * properties; ESP32 BLE's `setAccessPermissions(... ESP_GATT_PERM_WRITE_ENCRYPTED)` on the characteristic).
 * Pairing set up with `setSecurityAuth()` does not help: a central that never pairs still writes.
 */
function arduinoCharacteristics(ctx: RuleContext, out: BleFinding[]): void {
  let encrypted: Set<string> | undefined;
  let values: ValueIndex | undefined;
  for (const call of ctx.model.calls) {
    if (call.name !== 'createCharacteristic') continue;
    const props = call.args[1];
    if (!props) {
      nimbleDefaultProperties(ctx, call, out);
      continue;
    }
    // The properties as the library sees them: a `#define PROPERTY (… | PROPERTY_WRITE)` or constant expanded.
    const pieces = expansions((values ??= new ValueIndex(ctx.model)), props, call);
    const nimble = flagTokens(pieces, ARDUINO_NIMBLE_WRITE)[0];
    if (nimble) {
      if (flagTokens(pieces, ARDUINO_NIMBLE_SECURE).length) continue;
      const nimbleVariable = storedIn(ctx, call);
      if (nimbleVariable && !writeReachesCode(ctx, nimbleVariable, call.args[0])) continue;
      out.push({
        span: nimble.direct ? nimble.span : props,
        message: `${throughName(nimble, props)} without NIMBLE_PROPERTY::WRITE_ENC/WRITE_AUTHEN lets the characteristic be written over an unpaired link: ${WRITE_RISK}. Add NIMBLE_PROPERTY::WRITE_ENC | NIMBLE_PROPERTY::WRITE_AUTHEN and pair with MITM protection.`,
        fix: {
          title: 'Require an encrypted, authenticated link (NIMBLE_PROPERTY::WRITE_AUTHEN)',
          safety: 'suggestion',
          edits: [{ span: { start: props.end, end: props.end }, newText: ' | NIMBLE_PROPERTY::WRITE_ENC | NIMBLE_PROPERTY::WRITE_AUTHEN' }],
        },
      });
      continue;
    }
    const esp32 = flagTokens(pieces, ARDUINO_ESP32_WRITE)[0];
    if (!esp32) continue;
    encrypted ??= encryptedByPermissions(ctx);
    const variable = storedIn(ctx, call);
    if (variable && encrypted.has(variable)) continue;
    if (variable && !writeReachesCode(ctx, variable, call.args[0])) continue;
    out.push({
      span: esp32.direct ? esp32.span : props,
      message: `${throughName(esp32, props)} with the default access permissions (ESP_GATT_PERM_WRITE) lets the characteristic be written over an unpaired link: ${WRITE_RISK}. Call setAccessPermissions(ESP_GATT_PERM_READ_ENCRYPTED | ESP_GATT_PERM_WRITE_ENC_MITM) on it and pair with MITM protection.`,
    });
  }
}

/** How a message names a flag: itself, or the name it came through (`PROPERTY (which includes …)`). */
function throughName(token: FlagToken, arg: Expr): string {
  return token.direct ? token.name : `${arg.text.trim()} (which includes ${token.name})`;
}

/**
 * Whether the callbacks object given to `setCallbacks` (`&penCallbacks`, `new PenCallbacks()`) handles writes: its
 * class, when this file defines it, has `onWrite`. A class defined elsewhere is taken to (it is set for a reason).
 */
function callbacksHandleWrites(ctx: RuleContext, arg: Expr | undefined): boolean {
  const text = arg?.text.trim() ?? '';
  const created = /^new\s+([A-Za-z_]\w*)/.exec(text)?.[1];
  const name = text.replace(/^&\s*/, '');
  const declared = ctx.model.variables.find((v) => v.name === name)?.type?.replace(/[\s*&]/g, '');
  const className = created ?? declared;
  const cls = className ? ctx.model.classes.find((c) => c.name === className) : undefined;
  return !cls || cls.methods.some((m) => m.name === 'onWrite');
}

/** Whether a call on the characteristic takes what a peer wrote: its value read, or write callbacks set. */
function takesWrittenValue(ctx: RuleContext, call: Call): boolean {
  if (call.name === 'getValue') return true;
  return call.name === 'setCallbacks' && callbacksHandleWrites(ctx, call.args[0]);
}

/**
 * `service->createCharacteristic(uuid)` with no properties: NimBLE-Arduino's default is `NIMBLE_PROPERTY::READ |
 * NIMBLE_PROPERTY::WRITE` (NimBLEService.h), open to writes over an unpaired link. The ESP32 BLE library has no
 * such default, so a NimBLE header or type in the file says which library it is; and only a characteristic whose
 * written value the firmware takes (callbacks set on it, its value read) is reported: a default-property
 * characteristic that only shows a value receives writes nothing reads.
 */
function nimbleDefaultProperties(ctx: RuleContext, call: Call, out: BleFinding[]): void {
  if (call.args.length !== 1 || !ctx.text.content.includes('NimBLE')) return;
  const variable = storedIn(ctx, call);
  const handled = ctx.model.calls.some((c) => {
    if (!c.receiver) return false;
    // `svc->createCharacteristic(uuid)->setCallbacks(&cb)`, or a call on the variable it was stored in.
    const onIt =
      (c.receiver.start === call.start && c.receiver.end === call.end) || (!!variable && c.receiver.text.replace(/\s+/g, '') === variable);
    return onIt && takesWrittenValue(ctx, c);
  });
  if (!handled) return;
  const uuid = call.args[0];
  out.push({
    span: { start: call.start, end: uuid.end },
    message: `createCharacteristic() without properties gives this NimBLE-Arduino characteristic the library's default, NIMBLE_PROPERTY::READ | NIMBLE_PROPERTY::WRITE, with no WRITE_ENC/WRITE_AUTHEN, and the firmware takes what is written to it: ${WRITE_RISK}. Pass the properties it needs, with NIMBLE_PROPERTY::WRITE_ENC | NIMBLE_PROPERTY::WRITE_AUTHEN if it must be writable, and pair with MITM protection.`,
    fix: {
      title: 'Pass properties that require an encrypted, authenticated link for writes',
      safety: 'suggestion',
      edits: [
        {
          span: { start: uuid.end, end: uuid.end },
          newText: ', NIMBLE_PROPERTY::READ | NIMBLE_PROPERTY::WRITE | NIMBLE_PROPERTY::WRITE_ENC | NIMBLE_PROPERTY::WRITE_AUTHEN',
        },
      ],
    },
  });
}

// ---------------------------------------------------------------- pairing parameters in C

const ESP_AUTH_NO_MITM: Record<string, string> = {
  ESP_LE_AUTH_NO_BOND: 'ESP_LE_AUTH_REQ_SC_MITM',
  ESP_LE_AUTH_BOND: 'ESP_LE_AUTH_REQ_SC_MITM_BOND',
  ESP_LE_AUTH_REQ_SC_ONLY: 'ESP_LE_AUTH_REQ_SC_MITM',
  ESP_LE_AUTH_REQ_SC_BOND: 'ESP_LE_AUTH_REQ_SC_MITM_BOND',
};

function valueOfPointerArg(values: ValueIndex, call: Call, arg: Expr | undefined): Expr | undefined {
  if (!arg) return undefined;
  const name = arg.text.replace(/^\s*&\s*/, '').trim();
  if (!/^[A-Za-z_]\w*$/.test(name)) return undefined;
  const bindings = values.bindingsOf(name, call);
  return bindings.length === 1 ? bindings[0].value : undefined;
}

function espSecurityParams(ctx: RuleContext, out: BleFinding[]): void {
  const values = new ValueIndex(ctx.model);
  for (const call of ctx.model.calls) {
    if (call.name !== 'esp_ble_gap_set_security_param') continue;
    const param = call.args[0]?.text;
    const value = valueOfPointerArg(values, call, call.args[1]);
    if (!value || value.kind !== 'name') continue;
    const name = value.value ?? '';
    if (param === 'ESP_BLE_SM_AUTHEN_REQ_MODE' && ESP_AUTH_NO_MITM[name]) {
      out.push({
        span: value,
        message: `${name} asks for pairing without MITM protection: ${NO_MITM}. Use ${ESP_AUTH_NO_MITM[name]} with an IO capability that can show or enter a passkey.`,
        fix: replaceFix(`Require MITM protection (${ESP_AUTH_NO_MITM[name]})`, value, ESP_AUTH_NO_MITM[name], 'suggestion'),
      });
    } else if (param === 'ESP_BLE_SM_IOCAP_MODE' && name === 'ESP_IO_CAP_NONE') {
      out.push({
        span: value,
        message: `ESP_IO_CAP_NONE forces Just Works pairing, which has no MITM protection: ${NO_MITM}. Declare the display or keypad the device has (ESP_IO_CAP_OUT, ESP_IO_CAP_KBDISP) so a passkey or numeric comparison can be used, or use out-of-band pairing.`,
        confidence: 'medium',
      });
    }
  }
}

function zephyrSecurityLevel(call: Call, out: BleFinding[]): void {
  if (call.name !== 'bt_conn_set_security' || !call.args[1]) return;
  const level = identifierTokens(call.args[1], [
    'BT_SECURITY_L0',
    'BT_SECURITY_L1',
    'BT_SECURITY_L2',
    'BT_SECURITY_NONE',
    'BT_SECURITY_LOW',
    'BT_SECURITY_MEDIUM',
  ])[0];
  if (!level) return;
  const what = /L2|MEDIUM/.test(level.name) ? 'encrypted but unauthenticated (Just Works)' : 'unencrypted and unauthenticated';
  out.push({
    span: level.span,
    message: `bt_conn_set_security() with ${level.name} leaves the link ${what}: ${NO_MITM}. Ask for BT_SECURITY_L4 (LE Secure Connections with authentication), or at least BT_SECURITY_L3.`,
    fix: replaceFix('Require authenticated LE Secure Connections (BT_SECURITY_L4)', level.span, 'BT_SECURITY_L4', 'suggestion'),
  });
}

/**
 * The pre-filter of a C or C++ file (meta.needs): each detector below reports on a call, a flag or a setting it
 * names, or returns when the file names none (`BLEWrite`, the NimBLE no-I/O capabilities).
 */
export const NATIVE_NEEDS: readonly string[] = [
  'BT_GATT_CHARACTERISTIC', // zephyrCharacteristics
  'bt_conn_set_security', // zephyrSecurityLevel
  ...NIMBLE_WRITE, // nimbleFlags
  ...NIMBLE_DSC_WRITE,
  'createCharacteristic', // arduinoCharacteristics
  'BLEWrite', // arduinoBleCharacteristics
  'BLE_SM_IO_CAP_NO_IO', // nimbleNoIoPairing
  'BLE_HS_IO_NO_INPUT_OUTPUT',
  'sm_io_cap', // nimble-io-capability.ts: a host configuration's capability, maybe a CONFIG_ symbol
  'setSecurity', // setSecurityAuth / setSecurityIOCap (NimBLE-Arduino's default capability)
  'ESP_GATT_PERM_WRITE', // bluedroidPermissions
  'esp_ble_gap_set_security_param', // espSecurityParams
  'characteristic_add', // nrf5SdkPermissions (also sd_ble_gatts_characteristic_add)
  'ble_nus_init',
  'gPermissionFlagWritable_c', // nxpGattDatabase
  'bt_conn_auth_passkey_confirm', // zephyrAutoConfirm
  'confirm_reply', // autoConfirmPairing: esp_ble_confirm_reply, esp_bt_gap_ssp_confirm_reply
  'numcmp_accept',
  'Authentication_Data', // Bluetopia's GAP_Authentication_Information_t
  'onConfirmPIN',
  'injectConfirmPasskey',
];

export function findNativeBleWeaknesses(ctx: RuleContext): BleFinding[] {
  const out: BleFinding[] = [];
  let index: ValueIndex | undefined;
  const values = () => (index ??= new ValueIndex(ctx.model));
  for (const call of ctx.model.calls) {
    zephyrCharacteristics(call, values, out);
    zephyrSecurityLevel(call, out);
  }
  nimbleFlags(ctx, out);
  arduinoCharacteristics(ctx, out);
  arduinoBleCharacteristics(ctx, out);
  nimbleNoIoPairing(ctx, out);
  bluedroidPermissions(ctx, out);
  espSecurityParams(ctx, out);
  nrf5SdkPermissions(ctx, out);
  nxpGattDatabase(ctx, out);
  zephyrAutoConfirm(ctx, out);
  autoConfirmPairing(ctx, out);
  return out;
}

// ---------------------------------------------------------------- Kconfig

export function findKconfigBleWeaknesses(ctx: RuleContext): BleFinding[] {
  const out: BleFinding[] = [];
  for (const entry of ctx.model.config) {
    if (entry.key === 'CONFIG_BT_SMP_ALLOW_UNAUTH_OVERWRITE' && entry.value === 'y') {
      out.push({
        span: entry,
        message:
          "CONFIG_BT_SMP_ALLOW_UNAUTH_OVERWRITE=y lets an unauthenticated pairing replace an existing bond, so an attacker who spoofs the clinician tablet's address can take over its trusted link. Disable it.",
        fix: replaceFix(
          'Disable CONFIG_BT_SMP_ALLOW_UNAUTH_OVERWRITE',
          entry,
          '# CONFIG_BT_SMP_ALLOW_UNAUTH_OVERWRITE is not set',
          'suggestion',
        ),
      });
    } else if (entry.key === 'CONFIG_BT_SMP_ENFORCE_MITM' && entry.value === 'n') {
      out.push({
        span: entry,
        message: `CONFIG_BT_SMP_ENFORCE_MITM=n accepts pairing without MITM protection when the link asks for it: ${NO_MITM}. Leave it enabled (the default).`,
        fix: replaceFix('Enforce MITM protection (=y)', entry.valueSpan, 'y', 'suggestion'),
      });
    }
  }
  return out;
}

// ---------------------------------------------------------------- Android

/** The pre-filter of a Java or Kotlin file: every finding is on a `BluetoothGattCharacteristic` construction. */
export const ANDROID_NEEDS: readonly string[] = ['BluetoothGattCharacteristic'];

export function findAndroidBleWeaknesses(ctx: RuleContext): BleFinding[] {
  const out: BleFinding[] = [];
  const values = new ValueIndex(ctx.model);
  for (const call of ctx.model.calls) {
    if (call.name !== 'BluetoothGattCharacteristic' || call.args.length < 3) continue;
    const perm = values.resolve(call.args[2], call) ?? call.args[2];
    const token = identifierTokens(call.args[2], ['PERMISSION_WRITE'])[0];
    if (!token) {
      if (perm !== call.args[2] && identifierTokens(perm, ['PERMISSION_WRITE']).length) {
        out.push({ span: call.args[2], message: androidMessage() });
      }
      continue;
    }
    // A bare `PERMISSION_WRITE` comes from a static import of that one constant: qualify the replacement.
    const qualified = ctx.text.content[token.span.start - 1] === '.';
    const replacement = qualified ? 'PERMISSION_WRITE_ENCRYPTED_MITM' : 'BluetoothGattCharacteristic.PERMISSION_WRITE_ENCRYPTED_MITM';
    out.push({
      span: token.span,
      message: androidMessage(),
      fix: replaceFix('Require an encrypted, MITM-protected link (PERMISSION_WRITE_ENCRYPTED_MITM)', token.span, replacement, 'suggestion'),
    });
  }
  return out;
}

function androidMessage(): string {
  return `PERMISSION_WRITE lets this GATT server characteristic be written over an unencrypted, unauthenticated link: ${WRITE_RISK}. Use PERMISSION_WRITE_ENCRYPTED_MITM.`;
}
