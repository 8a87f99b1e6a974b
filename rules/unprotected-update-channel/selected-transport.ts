/**
 * unprotected-update-channel, Kconfig definitions: an application symbol that selects an mcumgr transport together
 * with a group that changes the device (`config APP_FIELD_SERVICE ... select MCUMGR_TRANSPORT_BT`, `select
 * MCUMGR_GRP_IMG`), reported at the transport's `select` line when the project turns the symbol on, in a shipping
 * configuration or through its other Kconfig files (rules/_shared/kconfig-select.ts). Over Bluetooth it stands
 * unless the project turns pairing or an authenticated permission on, set `=y` or selected by a symbol that is on;
 * over UDP nothing authenticates.
 */
import type { ProjectCondition, RuleContext } from '../../server/src/core/types';
import { selectedSymbols, symbolOn, type SelectedSymbol } from '../_shared/kconfig-select';

/** mcumgr groups that change what the device runs or stores, by Kconfig symbol (current and legacy names). */
const SENSITIVE_GROUPS: Readonly<Record<string, string>> = {
  MCUMGR_GRP_IMG: 'upload and activate firmware images',
  MCUMGR_CMD_IMG_MGMT: 'upload and activate firmware images',
  MCUMGR_GRP_SHELL: 'run shell commands',
  MCUMGR_CMD_SHELL_MGMT: 'run shell commands',
  MCUMGR_GRP_FS: 'read and write files',
  MCUMGR_CMD_FS_MGMT: 'read and write files',
};
const BT_TRANSPORTS = new Set(['MCUMGR_TRANSPORT_BT', 'MCUMGR_SMP_BT']);
const UDP_TRANSPORTS = new Set(['MCUMGR_TRANSPORT_UDP', 'MCUMGR_SMP_UDP']);
/** On in the project (selected beside the transport, or anywhere), these authenticate the Bluetooth link. */
export const AUTHENTICATING_SYMBOLS = new Set([
  'BT_SMP',
  'MCUMGR_TRANSPORT_BT_PERM_RW_AUTHEN',
  'MCUMGR_TRANSPORT_BT_PERM_RW_ENCRYPT',
  'MCUMGR_TRANSPORT_BT_AUTHEN',
  'MCUMGR_SMP_BT_AUTHEN',
]);

/**
 * nRF Connect SDK's one-line Bluetooth DFU option, selected by an application symbol: it selects the Bluetooth
 * transport, implies the image group, and makes the transport's default permission MCUMGR_TRANSPORT_BT_PERM_RW, which
 * needs no pairing whether or not BT_SMP is on (samples/common/mcumgr_bt_ota_dfu/Kconfig). Only an authenticated
 * permission chosen in the project answers it.
 */
export const NCS_BT_DFU_SYMBOL = 'NCS_SAMPLE_MCUMGR_BT_OTA_DFU';
export const AUTHENTICATED_PERMISSION_SYMBOLS = ['MCUMGR_TRANSPORT_BT_PERM_RW_AUTHEN', 'MCUMGR_TRANSPORT_BT_PERM_RW_ENCRYPT'];
const IMAGES = 'upload and activate firmware images';

export interface SelectedChannel {
  selected: SelectedSymbol;
  message: string;
  /** Over Bluetooth, whose default permission is the guess. */
  bt: boolean;
  when: ProjectCondition[];
  unless: ProjectCondition[];
}

/** Project conditions that answer a channel: pairing (Bluetooth only), an authenticated permission, authorized commands. */
export interface ChannelAnswers {
  btAuthenticated: ProjectCondition;
  permissionAuthenticated: ProjectCondition;
  commandsAuthorized: ProjectCondition;
}

export function findSelectedChannels(ctx: RuleContext, answers: ChannelAnswers): SelectedChannel[] {
  const selects = selectedSymbols(ctx);
  const byOwner = new Map<string, Set<string>>();
  for (const s of selects) if (!s.weak) byOwner.set(s.owner, (byOwner.get(s.owner) ?? new Set()).add(s.target));
  const out: SelectedChannel[] = [];
  const { btAuthenticated, commandsAuthorized } = answers;
  for (const selected of selects) {
    const siblings = byOwner.get(selected.owner) ?? new Set<string>();
    if (selected.target === NCS_BT_DFU_SYMBOL) {
      const channel = ncsDfuChannel(selected, siblings, answers);
      if (channel) out.push(channel);
      continue;
    }
    const bt = BT_TRANSPORTS.has(selected.target);
    if (!bt && !UDP_TRANSPORTS.has(selected.target)) continue;
    // The DFU option's line beside it says more (its permission default); one finding per owner is enough.
    if (bt && siblings.has(NCS_BT_DFU_SYMBOL) && !selected.weak) continue;
    const can = [...new Set([...siblings].map((t) => SENSITIVE_GROUPS[t]).filter(Boolean))];
    if (!can.length || (bt && [...siblings].some((t) => AUTHENTICATING_SYMBOLS.has(t)))) continue;
    const on = `\`${selected.weak ? 'imply' : 'select'} ${selected.target}${selected.condition}\` under \`config ${selected.owner}\`, which also selects mcumgr groups that ${can.join(', ')}, is on in a shipping configuration of the project`;
    const when = selected.when;
    out.push(
      bt
        ? {
            selected,
            bt,
            when,
            unless: [btAuthenticated, symbolOn(AUTHENTICATING_SYMBOLS), commandsAuthorized, ...selected.unless],
            message: `${on}, and no file of the project turns on pairing (CONFIG_BT_SMP) or an authenticated permission: the Bluetooth transport's default permission is then unauthenticated, so anyone within radio range can ${can.join(', ')}. Select an authenticated permission (MCUMGR_TRANSPORT_BT_PERM_RW_AUTHEN with BT_SMP and a passkey or numeric comparison), and keep images signed.`,
          }
        : {
            selected,
            bt,
            when,
            unless: [commandsAuthorized, ...selected.unless],
            message: `${on}: mcumgr then listens on UDP, which has no authentication or encryption, so anyone who can send a datagram to the device can ${can.join(', ')}. Keep UDP SMP to development builds, or put device management behind an authenticated, encrypted channel, and keep images signed.`,
          },
    );
  }
  return out;
}

/** `select NCS_SAMPLE_MCUMGR_BT_OTA_DFU` under an application symbol that the project turns on. */
function ncsDfuChannel(selected: SelectedSymbol, siblings: ReadonlySet<string>, answers: ChannelAnswers): SelectedChannel | undefined {
  if (selected.weak) return undefined;
  if ([...siblings].some((t) => AUTHENTICATED_PERMISSION_SYMBOLS.includes(t))) return undefined;
  const can = [...new Set([IMAGES, ...[...siblings].map((t) => SENSITIVE_GROUPS[t]).filter(Boolean)])].join(', ');
  return {
    selected,
    bt: true,
    when: selected.when,
    unless: [answers.permissionAuthenticated, symbolOn(AUTHENTICATED_PERMISSION_SYMBOLS), answers.commandsAuthorized],
    message: `\`select ${NCS_BT_DFU_SYMBOL}${selected.condition}\` under \`config ${selected.owner}\`, which is on in a shipping configuration of the project, puts mcumgr on Bluetooth so that it can ${can}, and makes the transport's default permission MCUMGR_TRANSPORT_BT_PERM_RW, which needs no pairing even with BT_SMP on; no file of the project chooses an authenticated permission, so anyone within radio range can. Select MCUMGR_TRANSPORT_BT_PERM_RW_AUTHEN (with BT_SMP and a passkey or numeric comparison), and keep images signed.`,
  };
}
