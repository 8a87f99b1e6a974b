/**
 * debug-interface-enabled, NXP FreeMASTER: the run-time debug protocol built into the firmware, configured in the
 * application's `freemaster_cfg.h` (the header FreeMASTER's driver includes for its settings).
 *
 * With FreeMASTER on (`FMSTR_DISABLE` 0 or undefined) and its memory commands on (`FMSTR_USE_READMEM`,
 * `FMSTR_USE_WRITEMEM`, `FMSTR_USE_WRITEMEMMASK`), whoever talks the protocol on the configured transport (a UART, USB
 * CDC, CAN, a TCP or UDP port) reads and writes any address of the running device. FreeMASTER 3's restricted access
 * asks for a password first when one of `FMSTR_RESTRICTED_ACCESS_R_PASSWORD`, `_RW_` or `_RWF_` is defined; the
 * packet-driven BDM transport (`FMSTR_PDBDM`) goes through the debug probe and opens no port of its own.
 */
import type { Binding } from '../../server/src/core/model/types';
import type { RuleContext } from '../../server/src/core/types';
import type { DebugHit } from './config';

const MEMORY_COMMANDS = ['FMSTR_USE_WRITEMEM', 'FMSTR_USE_WRITEMEMMASK', 'FMSTR_USE_READMEM'];
const PASSWORDS = /^FMSTR_RESTRICTED_ACCESS_(?:R|RW|RWF)_PASSWORD$/;

export function findFreemasterAccess(ctx: RuleContext): DebugHit[] {
  if (!/(?:^|[\\/])freemaster_cfg\.h$/i.test(ctx.path)) return [];
  const defines = new Map<string, Binding>();
  for (const b of ctx.model.bindings) if (b.kind === 'define') defines.set(b.name, b);
  if (isOn(defines.get('FMSTR_DISABLE'))) return [];
  if ([...defines.keys()].some((name) => PASSWORDS.test(name))) return [];
  if (defines.get('FMSTR_TRANSPORT')?.value.text.trim() === 'FMSTR_PDBDM') return [];
  const command = MEMORY_COMMANDS.map((name) => defines.get(name)).find(isOn);
  if (!command) return [];
  const writes = command.name !== 'FMSTR_USE_READMEM';
  return [
    {
      span: command.value,
      message: `FreeMASTER is built in with its memory ${writes ? 'write' : 'read'} commands on (${command.name}) and no restricted-access password (FMSTR_RESTRICTED_ACCESS_R/RW/RWF_PASSWORD): anyone who connects to its port (${transportOf(defines)}) can ${writes ? 'read and overwrite any address of the running device (therapy settings, keys, state)' : 'read any address of the running device (keys, patient data, state)'} with the FreeMASTER tool. Set FMSTR_DISABLE to 1 in release builds, or define hashed restricted-access passwords and leave the memory commands off.`,
      confidence: 'medium',
    },
  ];
}

/** A define whose value is a non-zero number: `#define FMSTR_USE_WRITEMEM 1`. */
function isOn(b: Binding | undefined): b is Binding {
  if (!b || b.value.kind !== 'number') return false;
  return Number.parseInt(b.value.text, b.value.text.toLowerCase().startsWith('0x') ? 16 : 10) !== 0;
}

function transportOf(defines: Map<string, Binding>): string {
  const transport = defines.get('FMSTR_TRANSPORT')?.value.text.trim();
  if (transport === 'FMSTR_SERIAL')
    return defines.get('FMSTR_SERIAL_DRV')?.value.text.trim() === 'FMSTR_SERIAL_MCUX_USB' ? 'USB CDC' : 'the serial port';
  if (transport === 'FMSTR_CAN') return 'the CAN bus';
  if (transport === 'FMSTR_NET') return 'its network port';
  return 'its communication port';
}
