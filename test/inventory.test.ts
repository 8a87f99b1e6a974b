/**
 * The cryptography and credential inventory: the table-driven extractor on small snippets of each API
 * family, the inventory of examples/ (mbedTLS TLS, SHA-256, MD5, the MQTT / HTTP endpoints with their
 * schemes, the hardcoded credentials redacted), and the CycloneDX 1.6 CBOM validated against the schema
 * bundled with @cyclonedx/cyclonedx-library.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../server/src/core/config';
import { parseFile } from '../server/src/core/check';
import { scan } from '../server/src/core/scan';
import type { LanguageId } from '../server/src/core/types';
import { formatCbom } from '../server/src/inventory/cbom';
import { collectInventory, mergeInventory } from '../server/src/inventory/collect';
import { extractInventory, parseEndpoint } from '../server/src/inventory/extract';
import { formatInventoryMarkdown } from '../server/src/inventory/format';
import type { Inventory } from '../server/src/inventory/types';
import { BUILTIN } from './helpers/registry';

const ROOT = path.resolve(__dirname, '..');
const EXAMPLES = path.join(ROOT, 'examples');
const SCHEMA_DIR = path.join(ROOT, 'node_modules/@cyclonedx/cyclonedx-library/res/schema');
const EXTENSION: Record<string, string> = { c: 'c', java: 'java', kotlin: 'kt', python: 'py', typescript: 'ts' };

/** The inventory of one snippet (no findings). */
async function inventoryOf(language: LanguageId, source: string): Promise<Inventory> {
  const file = `snippet.${EXTENSION[language]}`;
  const parsed = await parseFile({ path: `/tmp/${file}`, relativePath: file, text: source, language });
  try {
    return mergeInventory(
      extractInventory({ path: file, language: parsed.language, text: parsed.text, model: parsed.model, findings: [] }),
      1,
    );
  } finally {
    parsed.tree?.delete();
  }
}

const names = (inventory: Inventory) => [...inventory.algorithms, ...inventory.protocols].map((asset) => asset.name).sort();

describe('extractor table', () => {
  it('reads mbedTLS key sizes, modes, digests and TLS settings', async () => {
    const inventory = await inventoryOf(
      'c',
      [
        'void f(mbedtls_aes_context *ctx, const unsigned char *key, mbedtls_gcm_context *g, mbedtls_ssl_config *conf) {',
        '  mbedtls_aes_setkey_enc(ctx, key, 256);',
        '  mbedtls_gcm_setkey(g, MBEDTLS_CIPHER_ID_AES, key, 128);',
        '  mbedtls_md_info_from_type(MBEDTLS_MD_SHA384);',
        '  mbedtls_ssl_config_defaults(conf, MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_DATAGRAM, MBEDTLS_SSL_PRESET_DEFAULT);',
        '  mbedtls_ssl_conf_min_tls_version(conf, MBEDTLS_SSL_VERSION_TLS1_3);',
        '  mbedtls_rsa_gen_key(&rsa, mbedtls_ctr_drbg_random, &drbg, 1024, 65537);',
        '  mbedtls_ecdsa_genkey(&ecdsa, MBEDTLS_ECP_DP_SECP256R1, rng, p);',
        '}',
      ].join('\n'),
    );
    expect(names(inventory)).toEqual([
      'AES-128-GCM',
      'AES-256',
      'DTLS (version negotiated)',
      'ECDSA P-256',
      'RSA-1024',
      'SHA-384',
      'TLS 1.3 or later',
    ]);
    expect(inventory.algorithms.find((a) => a.name === 'RSA-1024')?.weakness).toMatch(/below the 2048-bit minimum/);
    expect(inventory.algorithms.find((a) => a.name === 'AES-256')).toMatchObject({ primitive: 'block-cipher', keyBits: 256 });
  });

  it('reads OpenSSL, PSA, wolfSSL and Windows CNG / CryptoAPI', async () => {
    const inventory = await inventoryOf(
      'c',
      [
        'void g(void) {',
        '  EVP_EncryptInit_ex(ctx, EVP_aes_256_cbc(), NULL, key, iv);',
        '  SSL_CTX_new(TLS_client_method());',
        '  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);',
        '  psa_hash_compute(PSA_ALG_SHA_256, in, n, out, sizeof out, &len);',
        '  psa_set_key_algorithm(&attr, PSA_ALG_ECDSA(PSA_ALG_SHA_256));',
        '  wc_AesSetKey(&aes, key, 16, iv, AES_ENCRYPTION);',
        '  wolfSSL_CTX_new(wolfTLSv1_3_client_method());',
        '  BCryptOpenAlgorithmProvider(&h, BCRYPT_SHA1_ALGORITHM, NULL, 0);',
        '  CryptCreateHash(prov, CALG_MD5, 0, 0, &hash);',
        '}',
      ].join('\n'),
    );
    expect(names(inventory)).toEqual([
      'AES-128',
      'AES-256-CBC',
      'MD5',
      'SHA-1',
      'SHA-256',
      'SHA-256 with ECDSA',
      'TLS (version negotiated)',
      'TLS 1.2 or later',
      'TLS 1.3',
    ]);
    expect(inventory.algorithms.find((a) => a.name === 'MD5')?.weakness).toBeDefined();
  });

  it('reads Java / Kotlin JCA and JSSE, including key sizes set on the generator', async () => {
    const inventory = await inventoryOf(
      'java',
      [
        'class K { void k() throws Exception {',
        '  Cipher c = Cipher.getInstance("AES/GCM/NoPadding");',
        '  KeyPairGenerator kpg = KeyPairGenerator.getInstance("RSA");',
        '  kpg.initialize(3072);',
        '  MessageDigest md = MessageDigest.getInstance("SHA-256");',
        '  SSLContext ctx = SSLContext.getInstance("TLSv1.2");',
        '  Mac mac = Mac.getInstance("HmacSHA256");',
        '  Key k = keyStore.getKey("device-identity", null);',
        '} }',
      ].join('\n'),
    );
    expect(names(inventory)).toEqual(['AES-GCM', 'HMAC-SHA-256', 'RSA', 'RSA-3072', 'SHA-256', 'TLS 1.2']);
    expect(inventory.algorithms.find((a) => a.name === 'AES-GCM')).toMatchObject({ primitive: 'ae', mode: 'gcm' });
    expect(inventory.credentials).toMatchObject([{ name: 'device-identity', source: 'keystore', material: 'key' }]);
  });

  it('reads Python hashlib, cryptography and ssl, and credential loads from env and keyring', async () => {
    const inventory = await inventoryOf(
      'python',
      [
        'import hashlib, os, ssl, keyring',
        'from cryptography.hazmat.primitives.asymmetric import rsa',
        'd = hashlib.sha1(data).hexdigest()',
        'key = rsa.generate_private_key(public_exponent=65537, key_size=2048)',
        'ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)',
        'ctx.minimum_version = ssl.TLSVersion.TLSv1_2',
        'token = os.environ["DEVICE_API_TOKEN"]',
        'pw = keyring.get_password("svc", "user")',
        'url = os.environ.get("SERVICE_URL")',
      ].join('\n'),
    );
    expect(names(inventory)).toEqual(['RSA-2048', 'SHA-1', 'TLS (version negotiated)', 'TLS 1.2 or later']);
    expect(inventory.credentials.map((c) => `${c.name}:${c.source}:${c.material}`).sort()).toEqual([
      'DEVICE_API_TOKEN:environment:token',
      'svc:keyring:password',
    ]);
  });

  it('reads Node crypto and tls options', async () => {
    const inventory = await inventoryOf(
      'typescript',
      [
        "import { createCipheriv, createHash, generateKeyPairSync } from 'crypto';",
        "const c = createCipheriv('aes-256-gcm', key, iv);",
        "const h = createHash('md5');",
        "const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });",
        "const socket = tls.connect({ host, port: 8883, minVersion: 'TLSv1.3' });",
        'const secret = process.env.MQTT_PASSWORD;',
      ].join('\n'),
    );
    expect(names(inventory)).toEqual(['AES-256-GCM', 'EC P-384', 'MD5', 'TLS 1.3 or later']);
    expect(inventory.credentials).toMatchObject([{ name: 'MQTT_PASSWORD', source: 'environment', material: 'password' }]);
  });

  it('takes endpoints from URLs, masking passwords and dropping queries, and ignores identifiers', () => {
    expect(parseEndpoint('mqtt://user:s3cret@broker.hospital.lan:1883/x?token=abc')).toMatchObject({
      scheme: 'mqtt',
      host: 'broker.hospital.lan',
      port: '1883',
      transport: 'none',
      url: 'mqtt://user:****@broker.hospital.lan:1883/x',
    });
    expect(parseEndpoint('coaps://[fd00::1]:5684')).toMatchObject({ transport: 'dtls' });
    expect(parseEndpoint('f"https://{fixture_ip}/calibration"')).toMatchObject({ host: '{fixture_ip}', transport: 'tls' });
    expect(parseEndpoint('http://www.w3.org/2001/XMLSchema-instance')).toBeUndefined();
    expect(parseEndpoint('https://')).toBeUndefined();
    expect(parseEndpoint('see https://docs.example.org')).toBeUndefined();
  });
});

describe('examples/ inventory', () => {
  let inventory: Inventory;
  beforeAll(async () => {
    const result = await scan({ root: EXAMPLES, paths: [EXAMPLES], config: loadConfig(EXAMPLES, undefined, BUILTIN), workers: 1 });
    inventory = await collectInventory(result);
  }, 60_000);

  it('has the firmware TLS stack, SHA-256 and MD5 with their places', () => {
    const tls = inventory.protocols.filter((p) => p.occurrences.some((o) => o.path === 'firmware/main/tls_client.c'));
    expect(tls.map((p) => p.name).sort()).toEqual(['TLS (version negotiated)', 'TLS 1.2 or later']);
    expect(tls[0].occurrences.find((o) => o.path === 'firmware/main/tls_client.c')?.symbol).toMatch(/^mbedtls_ssl_/);
    const sha256 = inventory.algorithms.find((a) => a.name === 'SHA-256');
    expect(sha256?.occurrences.map((o) => o.path)).toEqual(
      expect.arrayContaining(['firmware/main/ota_update.c', 'companion-app/src/firmwareDigest.ts', 'provisioning/provision_device.py']),
    );
    const md5 = inventory.algorithms.find((a) => a.name === 'MD5');
    expect(md5?.weakness).toMatch(/broken/);
    expect(md5?.occurrences.map((o) => `${o.path}:${o.line}`)).toEqual(
      expect.arrayContaining([
        'firmware/main/ota_update.c:211',
        'companion-app/src/firmwareDigest.ts:32',
        'provisioning/provision_device.py:101',
      ]),
    );
  });

  it('has the MQTT, WebSocket, FTP and HTTP endpoints with their schemes and transport security', () => {
    const byUrl = new Map(inventory.endpoints.map((e) => [e.url, e]));
    expect(byUrl.get('mqtt://ward-gw.infusafe-medical.com:1883')).toMatchObject({ scheme: 'mqtt', transport: 'none', port: '1883' });
    expect(byUrl.get('mqtts://telemetry.infusafe-medical.com:8883')).toMatchObject({ scheme: 'mqtts', transport: 'tls' });
    expect(byUrl.get('http://service.infusafe-medical.com/ip200/field/firmware.bin')).toMatchObject({
      scheme: 'http',
      transport: 'none',
      local: false,
    });
    expect(byUrl.get('https://fleet.infusafe-medical.com/api/v2/firmware/ip200/latest')).toMatchObject({ transport: 'tls' });
    expect(byUrl.get('ws://nurse-station.infusafe-medical.com:8080/pumps')).toMatchObject({ transport: 'none' });
    expect(byUrl.get('ftp://mirror.infusafe-medical.com/pub/ip200/')).toMatchObject({ transport: 'none' });
    expect(byUrl.get('http://localhost:9464/metrics')).toMatchObject({ local: true });
    // Identifiers and licence URLs are not endpoints.
    expect([...byUrl.keys()].filter((url) => /w3\.org|json-schema\.org|apache\.org/.test(url))).toEqual([]);
  });

  it('lists hardcoded credentials redacted, and where keys are loaded from NVS and the environment', () => {
    const hardcoded = inventory.credentials.filter((c) => c.source === 'hardcoded');
    expect(hardcoded.length).toBeGreaterThanOrEqual(10);
    expect(hardcoded.map((c) => c.name)).toEqual(
      expect.arrayContaining([
        'MQTT_PASSWORD',
        'gateway_client_key_pem',
        'CONFIG_ESP_WIFI_PASSWORD',
        'SUPPORT_API_TOKEN',
        'AWS_SECRET_ACCESS_KEY',
      ]),
    );
    for (const credential of hardcoded) expect(credential.redactedSnippet, credential.name).toContain('****');
    expect(hardcoded.find((c) => c.name === 'gateway_client_key_pem')?.material).toBe('private-key');
    expect(inventory.credentials).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'wifi_pass', source: 'nvs', material: 'password' }),
        expect.objectContaining({ name: 'client_key', source: 'nvs', material: 'private-key' }),
        expect.objectContaining({ name: 'INFUSAFE_API_TOKEN', source: 'environment' }),
      ]),
    );
    const everything = JSON.stringify(inventory) + formatInventoryMarkdown(inventory, { name: 'medsec', version: '0' });
    for (const secret of [
      'Inf0Pump!2024',
      'Mq7t!Ward-Gw#7731',
      'B3nchRig#Ward7',
      'Prov1sion#Line3',
      'Tel3metry!Fleet-2024',
      'ifs_sup_4f9c2b7e81d04a6a9e3b5c7d2f1a8e60',
      'MHcCAQEEIKx4Vq9Zr2L',
    ]) {
      expect(everything).not.toContain(secret);
    }
  });

  it('writes a CycloneDX 1.6 CBOM that validates against the bundled schema', () => {
    const text = formatCbom(inventory, { toolVersion: '9.9.9', timestamp: new Date('2025-01-15T12:00:00Z'), subject: 'examples' });
    const bom = JSON.parse(text);
    const load = (file: string) => JSON.parse(fs.readFileSync(path.join(SCHEMA_DIR, file), 'utf8'));
    const ajv = new Ajv({ strict: false, allErrors: true });
    // bom-1.6 refers to its companions by their SNAPSHOT file names, relative to its own $id.
    ajv.addSchema({ ...load('spdx.SNAPSHOT.schema.json'), $id: 'http://cyclonedx.org/schema/spdx.SNAPSHOT.schema.json' });
    ajv.addSchema({ ...load('jsf-0.82.SNAPSHOT.schema.json'), $id: 'http://cyclonedx.org/schema/jsf-0.82.SNAPSHOT.schema.json' });
    ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
    ajv.addFormat('iri-reference', /^\S*$/);
    ajv.addFormat('idn-email', /^\S+@\S+$/);
    const validate = ajv.compile(load('bom-1.6.SNAPSHOT.schema.json'));
    expect(validate(bom), JSON.stringify(validate.errors?.slice(0, 5), null, 2)).toBe(true);

    expect(bom).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.6' });
    const components = bom.components as {
      type: string;
      name: string;
      cryptoProperties: Record<string, unknown> & { protocolProperties?: { type: string } };
      evidence: { occurrences: { location: string; line: number }[] };
    }[];
    expect(components.every((c) => c.type === 'cryptographic-asset')).toBe(true);
    const md5 = components.find((c) => c.name === 'MD5')!;
    expect(md5.cryptoProperties).toMatchObject({ assetType: 'algorithm', algorithmProperties: { primitive: 'hash' } });
    expect(md5.evidence.occurrences).toEqual(
      expect.arrayContaining([expect.objectContaining({ location: 'firmware/main/ota_update.c', line: 211 })]),
    );
    expect(components.find((c) => c.name === 'TLS 1.2 or later')?.cryptoProperties).toEqual({
      assetType: 'protocol',
      protocolProperties: { type: 'tls', version: '1.2' },
    });
    expect(components.find((c) => c.name === 'mqtt://ward-gw.infusafe-medical.com:1883')?.cryptoProperties.protocolProperties?.type).toBe(
      'other',
    );
    const key = components.find((c) => c.name.startsWith('gateway_client_key_pem (private-key, hardcoded'))!;
    expect(key.cryptoProperties).toEqual({
      assetType: 'related-crypto-material',
      relatedCryptoMaterialProperties: { type: 'private-key' },
    });
    expect(text).not.toContain('MHcCAQEEIKx4Vq9Zr2L');
  });
});
