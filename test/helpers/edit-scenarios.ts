/**
 * Documents edited step by step, the way a developer edits them, for the tests that check incremental
 * analysis against a fresh check (test/core/model-fragments.test.ts, test/lsp/incremental.test.ts).
 */

/** One step: each `[find, replace]` replaces the first occurrence of `find`, in order, as one change's edits. */
export type Step = { name: string; edits: [find: string, replace: string][] };

/** Applies a step's edits to `text`, returning each edit's offset in the text it applies to. */
export function applyStep(text: string, step: Step): { text: string; edits: { at: number; length: number; replace: string }[] } {
  const edits: { at: number; length: number; replace: string }[] = [];
  for (const [find, replace] of step.edits) {
    const at = text.indexOf(find);
    if (at < 0) throw new Error(`${step.name}: "${find}" is not in the text`);
    edits.push({ at, length: find.length, replace });
    text = text.slice(0, at) + replace + text.slice(at + find.length);
  }
  return { text, edits };
}

export const DEVICE_C = `/*
 * Pump uplink: TLS to the fleet server, Wi-Fi provisioning, firmware update.
 */
#include <string.h>
#include "mbedtls/ssl.h"
#include "esp_wifi.h"
#include "esp_ota_ops.h"

#define FLEET_HOST "fleet.example-hospital.org"
#define VERIFY_MODE MBEDTLS_SSL_VERIFY_REQUIRED
#define WIFI_PASSWORD "infusion-ward-7"

static const char *TAG = "uplink";

static int rate_limit(int rate, int volume)
{
    int limit = rate * 4;
    if (volume > limit) {
        return limit;
    }
    return volume + rate;
}

void uplink_tls_setup(mbedtls_ssl_config *conf)
{
    mbedtls_ssl_config_defaults(conf, MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_STREAM, MBEDTLS_SSL_PRESET_DEFAULT);
    mbedtls_ssl_conf_authmode(conf, VERIFY_MODE);
}

void wifi_join(void)
{
    wifi_config_t cfg = { 0 };
    strcpy((char *)cfg.sta.ssid, "WARD-7");
    strcpy((char *)cfg.sta.password, WIFI_PASSWORD);
    esp_wifi_set_config(WIFI_IF_STA, &cfg);
}

int apply_update(const esp_partition_t *part, const void *image, size_t len)
{
    esp_ota_handle_t handle;
    if (esp_ota_begin(part, len, &handle) != ESP_OK) {
        return -1;
    }
    esp_ota_write(handle, image, len);
    esp_ota_end(handle);
    return esp_ota_set_boot_partition(part);
}
`;

/** Edits inside functions, across function boundaries, functions removed and added, #define changes. */
export const DEVICE_C_STEPS: Step[] = [
  { name: 'type in the header comment', edits: [['Pump uplink:', 'Pump uplink (v2):']] },
  { name: 'edit inside a function', edits: [['rate * 4', 'rate * 5 + volume']] },
  {
    name: 'a #define used elsewhere turns verification off',
    edits: [['VERIFY_MODE MBEDTLS_SSL_VERIFY_REQUIRED', 'VERIFY_MODE MBEDTLS_SSL_VERIFY_NONE']],
  },
  { name: 'the #define goes back', edits: [['VERIFY_MODE MBEDTLS_SSL_VERIFY_NONE', 'VERIFY_MODE MBEDTLS_SSL_VERIFY_REQUIRED']] },
  { name: 'a literal in place of the #define', edits: [['authmode(conf, VERIFY_MODE)', 'authmode(conf, MBEDTLS_SSL_VERIFY_NONE)']] },
  { name: 'open a brace that swallows the next functions', edits: [['    return volume + rate;\n}', '    return volume + rate;\n']] },
  { name: 'close it again', edits: [['    return volume + rate;\n', '    return volume + rate;\n}']] },
  {
    name: 'delete a function',
    edits: [
      ['void wifi_join(void)\n{', 'void wifi_join_removed(void);\n#if 0\n{'],
      ['esp_wifi_set_config(WIFI_IF_STA, &cfg);\n}', 'esp_wifi_set_config(WIFI_IF_STA, &cfg);\n}\n#endif'],
    ],
  },
  {
    name: 'delete it for good',
    edits: [
      ['#if 0\n', ''],
      ['\n#endif', ''],
    ],
  },
  {
    name: 'the credential #define loses its value',
    edits: [['#define WIFI_PASSWORD "infusion-ward-7"', '#define WIFI_PASSWORD CONFIG_WIFI_PASSWORD']],
  },
  {
    name: 'add a function that verifies the image',
    edits: [
      [
        'int apply_update(',
        'static int image_ok(const void *image, size_t len)\n{\n    return esp_secure_boot_verify_signature(0, len) == ESP_OK;\n}\n\nint apply_update(',
      ],
    ],
  },
  {
    name: 'use it',
    edits: [
      [
        '    esp_ota_write(handle, image, len);',
        '    if (!image_ok(image, len)) {\n        return -1;\n    }\n    esp_ota_write(handle, image, len);',
      ],
    ],
  },
  {
    name: 'suppress with a justification',
    edits: [
      [
        '    mbedtls_ssl_conf_authmode(',
        '    // medsec-ignore tls-verification-disabled -- bench rig only, reviewed by QA until 2027-01\n    mbedtls_ssl_conf_authmode(',
      ],
    ],
  },
  {
    name: 'two edits far apart in one change',
    edits: [
      ['static const char *TAG', 'static const char *const TAG'],
      ['return esp_ota_set_boot_partition(part);', 'return esp_ota_set_boot_partition(part) == ESP_OK ? 0 : -1;'],
    ],
  },
  {
    name: 'duplicate a function',
    edits: [
      [
        'void uplink_tls_setup(',
        'static int rate_limit2(int rate, int volume)\n{\n    int limit = rate * 5 + volume;\n    return limit;\n}\n\nvoid uplink_tls_setup(',
      ],
    ],
  },
  {
    name: 'swap the order of two declarations',
    edits: [
      ['#define FLEET_HOST "fleet.example-hospital.org"\n', ''],
      ['static const char *const TAG', '#define FLEET_HOST "fleet.example-hospital.org"\nstatic const char *const TAG'],
    ],
  },
  { name: 'a stray token at the top level', edits: [['static const char *const TAG', '@@ static const char *const TAG']] },
  { name: 'remove it', edits: [['@@ ', '']] },
  {
    name: 'a function header half typed',
    edits: [
      ['void uplink_tls_setup(mbedtls_ssl_config *conf)', 'void uplink_tls_setup(mbedtls_ssl_config *conf, char *pw = "hunter2hunter2"'],
    ],
  },
];

/** A companion-app module. */
export const COMPANION_TS = `import { createHash } from 'crypto';
import https from 'https';

const FLEET = 'https://fleet.example-hospital.org';
const agent = new https.Agent({ rejectUnauthorized: true });

export function digest(image: Buffer): string {
  return createHash('sha256').update(image).digest('hex');
}

export async function upload(reading: { pumpId: string; rate: number }): Promise<number> {
  const body = JSON.stringify(reading);
  return body.length;
}

export class FleetClient {
  constructor(private readonly token: string) {}

  headers(): Record<string, string> {
    return { Authorization: \`Bearer \${this.token}\` };
  }
}
`;

export const COMPANION_TS_STEPS: Step[] = [
  { name: 'a weak hash inside a function', edits: [["createHash('sha256')", "createHash('md5')"]] },
  { name: 'verification off', edits: [['rejectUnauthorized: true', 'rejectUnauthorized: false']] },
  {
    name: 'a hardcoded token',
    edits: [
      ['constructor(private readonly token: string) {}', "constructor(private readonly token: string = 'c8f1a2b3d4e5f60718293a4b') {}"],
    ],
  },
  { name: 'a half-typed function', edits: [['export class FleetClient', 'export function pending(\n\nexport class FleetClient']] },
  {
    name: 'finished',
    edits: [['export function pending(\n', "export function pending(): string {\n  return 'http://fleet.example-hospital.org/cfg';\n}\n"]],
  },
  {
    name: 'the function removed',
    edits: [["export function pending(): string {\n  return 'http://fleet.example-hospital.org/cfg';\n}\n", '']],
  },
];
