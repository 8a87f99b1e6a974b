/**
 * Bluetooth pairing PINs and passkeys fixed in the code: a literal that reaches the PIN or passkey parameter of a
 * pairing API (Android `BluetoothDevice.setPin`, ESP-IDF `ESP_BLE_SM_SET_STATIC_PASSKEY`, Zephyr `bt_passkey_set`,
 * Arduino/NimBLE static PINs, NXP `Gap_SetLocalPasskey`, passkey and Bluetooth Classic PIN replies), directly or
 * through a variable, constant or `getBytes()`. A PIN computed at run time (`esp_random() % 1000000`) is not a literal
 * and is not reported here.
 */
import type { Call, Expr } from '../../server/src/core/model/types';
import type { RuleContext, Span } from '../../server/src/core/types';
import { isPinValue } from '../_shared/credential-names';

interface PinParameter {
  matches: (call: Call) => boolean;
  index: number;
  api: string;
  /** The PIN is text (Android's `setPin(byte[])`): a bare number there is something else, a GPIO say. */
  text?: boolean;
}

const PIN_PARAMETERS: readonly PinParameter[] = [
  // BluetoothDevice.setPin(byte[]); a project's own setPin(String) is judged the same way, by its literal, also when a
  // class calls its own (`setPin("1234")` in a constructor, `this->setPin(…)`): a GPIO pin is a number, not text.
  { matches: (c) => c.name === 'setPin' && c.args.length === 1, index: 0, api: 'Bluetooth pairing PIN', text: true },
  // Bluetooth Classic legacy pairing, answered with a fixed PIN: BTstack and Zephyr.
  { matches: (c) => c.name === 'gap_pin_code_response' && c.args.length === 2, index: 1, api: 'Bluetooth PIN reply', text: true },
  { matches: (c) => c.name === 'bt_conn_auth_pincode_entry' && c.args.length === 2, index: 1, api: 'Bluetooth PIN reply', text: true },
  // NXP connectivity framework (Kinetis KW, MCX W): the passkey this device displays, and the one it enters.
  { matches: (c) => c.name === 'Gap_SetLocalPasskey' && c.args.length === 1, index: 0, api: 'fixed BLE passkey' },
  { matches: (c) => c.name === 'Gap_EnterPasskey' && c.args.length === 2, index: 1, api: 'BLE passkey entry' },
  {
    matches: (c) => c.name === 'esp_ble_gap_set_security_param' && c.args[0]?.text.trim() === 'ESP_BLE_SM_SET_STATIC_PASSKEY',
    index: 1,
    api: 'static BLE passkey',
  },
  { matches: (c) => c.name === 'bt_passkey_set' && !c.receiver, index: 0, api: 'fixed BLE passkey' },
  { matches: (c) => c.name === 'setStaticPIN' || c.name === 'setSecurityPasskey', index: 0, api: 'static BLE passkey' },
  { matches: (c) => c.name === 'esp_ble_passkey_reply' && c.args.length === 3, index: 2, api: 'BLE passkey reply' },
  { matches: (c) => c.name === 'bt_conn_auth_passkey_entry' && c.args.length === 2, index: 1, api: 'BLE passkey entry' },
];

export interface PinHit {
  /** Where to report: the argument at the call. */
  span: Span;
  /** The literal that holds the PIN (masked in every output). */
  secret: Span;
  api: string;
  callee: string;
  /** The line of the literal when it is not at the call. */
  fromLine?: number;
  /** The passkey is a callback's return value, not a call's argument. */
  returned?: boolean;
}

/** `&passkey` → `passkey`: ESP-IDF takes the passkey by pointer. */
function withoutAddressOf(expr: Expr): Expr {
  const m = /^&\s*([A-Za-z_]\w*)$/.exec(expr.text.trim());
  if (!m) return expr;
  const start = expr.start + expr.text.indexOf(m[1]);
  return { kind: 'name', text: m[1], value: m[1], start, end: start + m[1].length };
}

/**
 * Callbacks whose return value is the passkey the stack shows or enters: NimBLE-Arduino's
 * `NimBLEServerCallbacks::onPassKeyDisplay()` (2.x) and `onPassKeyRequest()` (1.x), and the ESP32 Arduino BLE
 * library's `BLESecurityCallbacks::onPassKeyRequest()`. A literal returned there is a static passkey.
 */
const PASSKEY_CALLBACKS = new Set(['onPassKeyDisplay', 'onPassKeyRequest']);

/** `uint32_t onPassKeyDisplay() override { return PUMP_PASSKEY; }`: the passkey every unit shows. */
function returnedPasskeys(ctx: RuleContext): PinHit[] {
  const hits: PinHit[] = [];
  for (const fn of ctx.model.functions) {
    if (!PASSKEY_CALLBACKS.has(fn.name) || fn.params.length > 1) continue;
    for (const returned of fn.returns) {
      const constant = ctx.flow.constant(returned);
      const literal = constant?.literals.length === 1 ? constant.literals[0] : undefined;
      if (!constant || !literal || literal.kind !== 'number' || !isPinValue(constant.value.trim())) continue;
      const atReturn = literal.start >= returned.start && literal.end <= returned.end;
      hits.push({
        span: { start: returned.start, end: returned.end },
        secret: { start: literal.start, end: literal.end },
        api: 'BLE passkey',
        callee: fn.name,
        returned: true,
        ...(atReturn ? {} : { fromLine: ctx.text.positionAt(literal.start).line + 1 }),
      });
    }
  }
  return hits;
}

export function hardcodedPairingPins(ctx: RuleContext): PinHit[] {
  const hits: PinHit[] = returnedPasskeys(ctx);
  for (const call of ctx.model.calls) {
    const parameter = PIN_PARAMETERS.find((p) => p.matches(call) && call.args.length > p.index);
    if (!parameter) continue;
    const arg = call.args[parameter.index];
    const constant = ctx.flow.constant(withoutAddressOf(arg));
    const literal = constant?.literals.length === 1 ? constant.literals[0] : undefined;
    if (!constant || !literal || !isPinValue(constant.value.trim()) || (parameter.text && literal.kind !== 'string')) continue;
    const secret = literal.kind === 'string' && literal.content ? literal.content : { start: literal.start, end: literal.end };
    const atCall = literal.start >= call.start && literal.end <= call.end;
    hits.push({
      span: { start: arg.start, end: arg.end },
      secret,
      api: parameter.api,
      callee: call.callee,
      ...(atCall ? {} : { fromLine: ctx.text.positionAt(literal.start).line + 1 }),
    });
  }
  return hits;
}
