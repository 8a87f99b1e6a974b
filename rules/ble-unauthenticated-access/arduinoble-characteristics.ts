/**
 * ble-unauthenticated-access, ArduinoBLE: `BLEByteCharacteristic cmd(uuid, BLERead | BLEWrite)`. ArduinoBLE checks
 * nothing but the property bits before handing a peer's write to the sketch (ATT.cpp writeReqOrCmd); the one guard
 * it has is the `BLEEncryption` permission in the same word (ArduinoBLE 1.3 and later), which refuses writes over an
 * unencrypted link. A writable characteristic whose written value the sketch takes (`written()`, `value()`, a
 * `BLEWritten` handler) is therefore open to any phone in range.
 */
import type { Binding } from '../../server/src/core/model/types';
import type { RuleContext } from '../../server/src/core/types';
import { identifierTokens } from '../_shared/syntax';
import type { BleFinding } from './detect';
import { WRITE_RISK } from './risks';

/** ArduinoBLE's local characteristic types: `BLECharacteristic`, `BLEByteCharacteristic`, `BLETypedCharacteristic<T>`. */
const ARDUINOBLE_CHARACTERISTIC = /^BLE\w*Characteristic(?:<[^>]*>)?$/;
const ARDUINOBLE_WRITE = ['BLEWrite', 'BLEWriteWithoutResponse'];
const ARDUINOBLE_ENCRYPTED = ['BLEEncryption'];
/** How a sketch takes what a peer wrote: polled (`written()` then `value()`), read, or through a `BLEWritten` handler. */
const TAKES_WRITTEN_VALUE = new Set(['written', 'value', 'readValue', 'valueLE', 'valueBE']);

function isArduinoBleCharacteristic(b: Binding): boolean {
  if (b.kind !== 'declaration' || !b.declaredType || b.declaredType === 'BLERemoteCharacteristic') return false;
  // Constructor arguments (`cmd("19B1…", BLERead | BLEWrite)`), not a copy or a pointer from elsewhere.
  return ARDUINOBLE_CHARACTERISTIC.test(b.declaredType) && b.value.text.trimStart().startsWith('(');
}

function takesWrittenValue(ctx: RuleContext, name: string): boolean {
  return ctx.model.calls.some((c) => {
    if (c.receiver?.text.trim() !== name) return false;
    if (TAKES_WRITTEN_VALUE.has(c.name)) return true;
    return c.name === 'setEventHandler' && identifierTokens(c.args[0] ?? c.receiver, ['BLEWritten']).length > 0;
  });
}

export function arduinoBleCharacteristics(ctx: RuleContext, out: BleFinding[]): void {
  if (!ctx.text.content.includes('BLEWrite')) return;
  for (const b of ctx.model.bindings) {
    if (!isArduinoBleCharacteristic(b)) continue;
    const writes = identifierTokens(b.value, ARDUINOBLE_WRITE);
    if (!writes.length || identifierTokens(b.value, ARDUINOBLE_ENCRYPTED).length) continue;
    if (!takesWrittenValue(ctx, b.target)) continue;
    const last = writes[writes.length - 1];
    out.push({
      span: writes[0].span,
      message: `${writes[0].name} makes this ArduinoBLE characteristic writable, and ArduinoBLE asks nothing more of the writer than the property bit; the sketch acts on what is written: ${WRITE_RISK}. Add BLEEncryption to its properties (ArduinoBLE 1.3 or later) and pair with a passkey or numeric comparison (BLE.setPairable, setDisplayCode), or check an application-level authentication before acting.`,
      fix: {
        title: 'Refuse writes over an unencrypted link (BLEEncryption)',
        safety: 'suggestion',
        edits: [{ span: { start: last.span.end, end: last.span.end }, newText: ' | BLEEncryption' }],
      },
    });
  }
}
