import type { LanguageId, Rule, RuleContext } from '../../server/src/core/types';
import {
  findAndroidBleWeaknesses, findKconfigBleWeaknesses, findNativeBleWeaknesses, type BleFinding,
} from './detect';
import { runDetectors } from '../_shared/detectors';

const DETECTORS: Partial<Record<LanguageId, (ctx: RuleContext) => BleFinding[]>> = {
  c: findNativeBleWeaknesses,
  cpp: findNativeBleWeaknesses,
  java: findAndroidBleWeaknesses,
  kotlin: findAndroidBleWeaknesses,
  kconfig: findKconfigBleWeaknesses,
};

export default {
  meta: {
    id: 'ble-unauthenticated-access',
    title: 'BLE characteristic writable without authentication, or pairing without MITM protection',
    severity: 'high',
    confidence: 'medium',
    languages: ['c', 'cpp', 'java', 'kotlin', 'kconfig'],
    cwe: [306, 287],
    fda: ['app1.A.1', 'app1.B.4', 'app1.B.1', '524b.b2'],
    iec62443: ['CR 1.2', 'CR 2.1', 'CR 1.1'],
    fix: 'suggestion',
    presets: ['recommended'],
    docs: {
      summary: [
        'Finds BLE GATT servers whose writable characteristics accept writes from unpaired or unauthenticated peers, and pairing',
        'configured without MITM protection:',
        '- **Zephyr**: `BT_GATT_CHARACTERISTIC(..., BT_GATT_CHRC_WRITE[_WITHOUT_RESP], BT_GATT_PERM_WRITE, ...)` (instead of',
        '  `BT_GATT_PERM_WRITE_ENCRYPT`/`_AUTHEN`/`_LESC`); `bt_conn_set_security(conn, BT_SECURITY_L1 | L2)`; Kconfig',
        '  `CONFIG_BT_SMP_ALLOW_UNAUTH_OVERWRITE=y` and `CONFIG_BT_SMP_ENFORCE_MITM=n`.',
        '- **NimBLE**: `.flags` with `BLE_GATT_CHR_F_WRITE`/`_WRITE_NO_RSP` but no `BLE_GATT_CHR_F_WRITE_ENC`/`_AUTHEN`/`_AUTHOR` (and the',
        '  descriptor equivalent `.att_flags` with `BLE_ATT_F_WRITE`).',
        '- **ESP-IDF Bluedroid**: `ESP_GATT_PERM_WRITE` in an attribute table or in `esp_ble_gatts_add_char` (instead of',
        '  `ESP_GATT_PERM_WRITE_ENCRYPTED`/`_ENC_MITM`); `esp_ble_gap_set_security_param(ESP_BLE_SM_AUTHEN_REQ_MODE, ...)` with',
        '  `ESP_LE_AUTH_NO_BOND`, `ESP_LE_AUTH_BOND`, `ESP_LE_AUTH_REQ_SC_ONLY` or `ESP_LE_AUTH_REQ_SC_BOND` (no MITM flag), and',
        '  `ESP_BLE_SM_IOCAP_MODE` with `ESP_IO_CAP_NONE` (Just Works; medium confidence, since a device without display or keys has no',
        '  other in-band choice).',
        '- **Android** (GATT server in the companion app): `BluetoothGattCharacteristic(uuid, props, PERMISSION_WRITE)` (instead of',
        '  `PERMISSION_WRITE_ENCRYPTED_MITM`).',
        '',
        'Client Characteristic Configuration descriptors (`BT_GATT_CCC`, ESP-IDF CCCD entries) are not reported: every subscriber writes',
        'them to enable notifications. Reads are not reported either. The rule cannot tell a dose-programming characteristic from a',
        'harmless one (a write that the application authenticates itself, such as a signed DFU control point), hence medium confidence:',
        'suppress with a justification where the payload carries its own authentication.',
      ].join('\n'),
      risk: 'BLE reaches tens of metres, through walls, from any phone. A characteristic that accepts writes without an authenticated, encrypted link lets a stranger in the waiting room or the next bed change an infusion rate, silence an alarm or reconfigure a monitor. Just Works and no-MITM pairing let an attacker pair first or relay the clinician tablet\'s connection. FDA expects authentication on every interface and deny-by-default for Bluetooth connections (Appendix 1 A.1, B.1, B.4).',
      fix: 'Give every characteristic that changes device behaviour a write permission that requires an authenticated link (`BT_GATT_PERM_WRITE_AUTHEN`/`_LESC`, `BLE_GATT_CHR_F_WRITE_ENC | BLE_GATT_CHR_F_WRITE_AUTHEN`, `ESP_GATT_PERM_WRITE_ENC_MITM`, `PERMISSION_WRITE_ENCRYPTED_MITM`), pair with LE Secure Connections and MITM protection (`ESP_LE_AUTH_REQ_SC_MITM_BOND`, `BT_SECURITY_L4`) using a passkey shown on the device or numeric comparison, and validate and authorise each command in the write handler as well.',
      examples: [
        {
          language: 'c',
          bad: 'BT_GATT_SERVICE_DEFINE(dose_svc,\n    BT_GATT_PRIMARY_SERVICE(BT_UUID_DOSE_SVC),\n    BT_GATT_CHARACTERISTIC(BT_UUID_DOSE_RATE, BT_GATT_CHRC_WRITE, BT_GATT_PERM_WRITE, NULL, write_rate, NULL));\n',
          good: 'BT_GATT_SERVICE_DEFINE(dose_svc,\n    BT_GATT_PRIMARY_SERVICE(BT_UUID_DOSE_SVC),\n    BT_GATT_CHARACTERISTIC(BT_UUID_DOSE_RATE, BT_GATT_CHRC_WRITE, BT_GATT_PERM_WRITE_AUTHEN, NULL, write_rate, NULL));\n',
        },
        {
          language: 'kotlin',
          bad: 'val rate = BluetoothGattCharacteristic(RATE_UUID, BluetoothGattCharacteristic.PROPERTY_WRITE, BluetoothGattCharacteristic.PERMISSION_WRITE)\n',
          good: 'val rate = BluetoothGattCharacteristic(RATE_UUID, BluetoothGattCharacteristic.PROPERTY_WRITE, BluetoothGattCharacteristic.PERMISSION_WRITE_ENCRYPTED_MITM)\n',
        },
        {
          language: 'kconfig',
          bad: 'CONFIG_BT_SMP=y\nCONFIG_BT_SMP_ALLOW_UNAUTH_OVERWRITE=y\n',
          good: 'CONFIG_BT_SMP=y\nCONFIG_BT_SMP_SC_ONLY=y\n',
        },
      ],
      fixSafety: 'All fixes are suggestions: they raise the permission to an encrypted, MITM-protected link (`..._AUTHEN`, `..._ENC_MITM`, `PERMISSION_WRITE_ENCRYPTED_MITM`, `BT_SECURITY_L4`, `ESP_LE_AUTH_REQ_SC_MITM_BOND`) or disable the Kconfig option. Peers that never bonded, or bonded with Just Works, can then no longer write until they pair again with a passkey, and the device needs an IO capability (display or keypad) or out-of-band data for MITM-protected pairing: check the product\'s pairing flow before applying. `ESP_IO_CAP_NONE` gets no fix because the right capability depends on the hardware.',
      references: [
        { title: 'CWE-306: Missing Authentication for Critical Function', url: 'https://cwe.mitre.org/data/definitions/306.html' },
        { title: 'Zephyr: GATT permissions (bt_gatt_perm)', url: 'https://docs.zephyrproject.org/latest/connectivity/bluetooth/api/gatt.html' },
        { title: 'ESP-IDF: GATT security (esp_gatt_perm_t, esp_ble_auth_req_t)', url: 'https://docs.espressif.com/projects/esp-idf/en/latest/esp32/api-reference/bluetooth/esp_gap_ble.html' },
        { title: 'Android: BluetoothGattCharacteristic permissions', url: 'https://developer.android.com/reference/android/bluetooth/BluetoothGattCharacteristic' },
        { title: 'NIST SP 800-121 Rev. 2: Guide to Bluetooth Security', url: 'https://csrc.nist.gov/pubs/sp/800/121/r2/upd1/final' },
      ],
    },
  },
  check(ctx) {
    runDetectors(ctx, DETECTORS);
  },
} satisfies Rule;
