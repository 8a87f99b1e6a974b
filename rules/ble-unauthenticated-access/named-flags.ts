/**
 * ble-unauthenticated-access: property and permission words that reach a characteristic through a name. Firmware
 * often gathers a characteristic's flags once (`#define PROPERTY (BLECharacteristic::PROPERTY_READ |
 * BLECharacteristic::PROPERTY_WRITE)`, `static const uint16_t CHR_FLAGS = BLE_GATT_CHR_F_READ | BLE_GATT_CHR_F_WRITE;`)
 * and passes the name to every characteristic; the flags the GATT server sees are those the name expands to.
 */
import type { Expr, FunctionDef } from '../../server/src/core/model/types';
import type { Span } from '../../server/src/core/types';
import type { ValueIndex } from '../_shared/values';
import { identifierTokens } from '../_shared/syntax';
import { pushAll } from '../../server/src/core/arrays';

/** A bare name in an expression: not a member (`X::Y`, `a.b`, `p->q`), a scope (`X::`) or a call (`f(`). */
const BARE_NAME = /(?<![\w$.:>])([A-Za-z_]\w*)(?![\w$]|\s*(?:::|\())/g;
/** How many names deep a flag is followed (`#define RW (R | W)`, `#define PROPS (RW | NOTIFY)`). */
const MAX_DEPTH = 4;

/** A flag word found in an argument or in what one of its names stands for. */
export interface FlagToken {
  name: string;
  span: Span;
  /** Written in the argument itself; otherwise it comes from a `#define` or constant elsewhere in the file. */
  direct: boolean;
}

/**
 * The texts an argument stands for: itself, then what each bare name in it is bound to in this file (a `#define`, a
 * constant or a local declaration), when every binding of that name gives the same text. A name defined two ways
 * (`#ifdef SECURE_BLE ... #else ... #endif`) is not followed: which one the build takes is not known here.
 */
export function expansions(values: ValueIndex, expr: Expr, at: { fn?: FunctionDef }): Expr[] {
  const out: Expr[] = [expr];
  const seen = new Set<string>();
  let frontier: Expr[] = [expr];
  for (let depth = 0; depth < MAX_DEPTH && frontier.length; depth++) {
    const next: Expr[] = [];
    for (const piece of frontier) {
      for (const match of piece.text.matchAll(BARE_NAME)) {
        const name = match[1];
        if (seen.has(name)) continue;
        seen.add(name);
        const bindings = values.bindingsOf(name, at);
        if (!bindings.length || new Set(bindings.map((b) => b.value.text)).size !== 1) continue;
        next.push(bindings[0].value);
      }
    }
    pushAll(out, next);
    frontier = next;
  }
  return out;
}

/** Every whole-word occurrence of one of `names` in the argument or in what its names expand to. */
export function flagTokens(pieces: readonly Expr[], names: readonly string[]): FlagToken[] {
  return pieces.flatMap((piece, i) => identifierTokens(piece, names).map((t) => ({ ...t, direct: i === 0 })));
}
