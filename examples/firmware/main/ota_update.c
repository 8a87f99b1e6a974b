/*
 * InfuSafe IP-200: firmware update.
 *
 * Fleet updates come from the manifest service and carry an ECDSA P-256
 * signature over the SHA-256 of the application image. The service-port path
 * is used by field engineers with a laptop on the service VLAN.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cJSON.h"
#include "esp_heap_caps.h"
#include "esp_http_client.h"
#include "esp_log.h"
#include "esp_ota_ops.h"
#include "esp_partition.h"
#include "mbedtls/base64.h"
#include "mbedtls/md5.h"
#include "mbedtls/pk.h"
#include "mbedtls/sha256.h"
#include "infusafe.h"

static const char *TAG = "ota";

#define OTA_MANIFEST_URL   "https://fleet.infusafe-medical.com/api/v2/firmware/ip200/latest"
#define SERVICE_IMAGE_URL  "http://service.infusafe-medical.com/ip200/field/firmware.bin"
#define OTA_CHUNK          4096
#define SERVICE_IMAGE_MAX  (1920 * 1024)

/* Release signing key (public half only; the private key lives in the HSM). */
static const char ota_signing_pubkey_pem[] =
    "-----BEGIN PUBLIC KEY-----\n"
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEq3Rt8Wm1Zc5Lx0Vb7Nd2Hk9Ys4Jp\n"
    "6Tf1Gw3Qa8Re0Ku5Mc2Xz7Ib9Lo4Vn1Sd6Hh3Pe8Wq0Ty5Ug2Ka7Jm4Rc9Nb1Q==\n"
    "-----END PUBLIC KEY-----\n";

esp_err_t ota_fetch_manifest(ota_manifest_t *out)
{
    static char body[2048];
    esp_http_client_config_t http_cfg = {
        .url = OTA_MANIFEST_URL,
        .cert_pem = tls_fleet_root_ca(),
        .timeout_ms = 10000,
    };
    esp_http_client_handle_t client = esp_http_client_init(&http_cfg);
    int n = -1;
    if (esp_http_client_open(client, 0) == ESP_OK && esp_http_client_fetch_headers(client) >= 0 &&
        esp_http_client_get_status_code(client) == 200) {
        n = esp_http_client_read_response(client, body, sizeof(body) - 1);
    }
    esp_http_client_cleanup(client);
    if (n <= 0) {
        return ESP_FAIL;
    }
    body[n] = '\0';

    cJSON *root = cJSON_Parse(body);
    const cJSON *version = cJSON_GetObjectItem(root, "version");
    const cJSON *url = cJSON_GetObjectItem(root, "url");
    const cJSON *sig = cJSON_GetObjectItem(root, "signature");
    const cJSON *size = cJSON_GetObjectItem(root, "size");
    int ret = -1;
    if (cJSON_IsString(version) && cJSON_IsString(url) && cJSON_IsString(sig) &&
        cJSON_IsNumber(size) && strncmp(url->valuestring, "https://", 8) == 0) {
        strlcpy(out->version, version->valuestring, sizeof(out->version));
        strlcpy(out->url, url->valuestring, sizeof(out->url));
        out->image_len = (size_t)size->valuedouble;
        ret = mbedtls_base64_decode(out->signature, sizeof(out->signature), &out->signature_len,
                                    (const unsigned char *)sig->valuestring,
                                    strlen(sig->valuestring));
    }
    cJSON_Delete(root);
    if (ret != 0) {
        ESP_LOGE(TAG, "malformed manifest");
        return ESP_ERR_INVALID_RESPONSE;
    }
    return ESP_OK;
}

/* SHA-256 over the written partition, then ECDSA verification with the release key. */
static esp_err_t verify_image_signature(const esp_partition_t *part, size_t image_len,
                                        const uint8_t *sig, size_t sig_len)
{
    uint8_t hash[32];
    uint8_t *chunk = malloc(OTA_CHUNK);
    if (chunk == NULL) {
        return ESP_ERR_NO_MEM;
    }
    mbedtls_sha256_context sha;
    mbedtls_sha256_init(&sha);
    mbedtls_sha256_starts(&sha, 0);
    for (size_t off = 0; off < image_len; off += OTA_CHUNK) {
        size_t n = image_len - off < OTA_CHUNK ? image_len - off : OTA_CHUNK;
        if (esp_partition_read(part, off, chunk, n) != ESP_OK) {
            free(chunk);
            mbedtls_sha256_free(&sha);
            return ESP_FAIL;
        }
        mbedtls_sha256_update(&sha, chunk, n);
    }
    mbedtls_sha256_finish(&sha, hash);
    mbedtls_sha256_free(&sha);
    free(chunk);

    mbedtls_pk_context pk;
    mbedtls_pk_init(&pk);
    int ret = mbedtls_pk_parse_public_key(&pk, (const unsigned char *)ota_signing_pubkey_pem,
                                          sizeof(ota_signing_pubkey_pem));
    if (ret == 0) {
        ret = mbedtls_pk_verify(&pk, MBEDTLS_MD_SHA256, hash, sizeof(hash), sig, sig_len);
    }
    mbedtls_pk_free(&pk);
    if (ret != 0) {
        ESP_LOGE(TAG, "image signature invalid (-0x%04x)", (unsigned)-ret);
        return ESP_ERR_INVALID_CRC;
    }
    return ESP_OK;
}

esp_err_t ota_apply_update(const ota_manifest_t *manifest)
{
    const esp_partition_t *target = esp_ota_get_next_update_partition(NULL);
    if (target == NULL) {
        return ESP_ERR_NOT_FOUND;
    }
    esp_http_client_config_t http_cfg = {
        .url = manifest->url,
        .cert_pem = tls_fleet_root_ca(),
        .timeout_ms = 15000,
    };
    esp_http_client_handle_t client = esp_http_client_init(&http_cfg);
    esp_err_t err = esp_http_client_open(client, 0);
    if (err != ESP_OK) {
        esp_http_client_cleanup(client);
        return err;
    }
    esp_http_client_fetch_headers(client);

    esp_ota_handle_t handle;
    err = esp_ota_begin(target, manifest->image_len, &handle);
    if (err != ESP_OK) {
        ESP_LOGE(TAG, "esp_ota_begin: %s", esp_err_to_name(err));
        esp_http_client_cleanup(client);
        return err;
    }

    char *buf = malloc(OTA_CHUNK);
    size_t total = 0;
    int n;
    while (buf != NULL && (n = esp_http_client_read(client, buf, OTA_CHUNK)) > 0) {
        err = esp_ota_write(handle, buf, n);
        if (err != ESP_OK) {
            break;
        }
        total += n;
    }
    free(buf);
    esp_http_client_cleanup(client);

    if (err != ESP_OK || total != manifest->image_len) {
        ESP_LOGE(TAG, "download failed after %u bytes", (unsigned)total);
        esp_ota_abort(handle);
        return ESP_FAIL;
    }
    if ((err = esp_ota_end(handle)) != ESP_OK) {
        return err;
    }
    err = verify_image_signature(target, total, manifest->signature, manifest->signature_len);
    if (err != ESP_OK) {
        ESP_LOGE(TAG, "rejecting firmware %s", manifest->version);
        return err;
    }
    ESP_LOGI(TAG, "firmware %s verified, switching boot partition", manifest->version);
    return esp_ota_set_boot_partition(target);
}

/*
 * Field service path: the engineer's laptop publishes the image and its MD5 on
 * the service VLAN; the pump pulls it into PSRAM and installs it.
 */
esp_err_t ota_apply_service_image(const char *expected_md5_hex)
{
    uint8_t *image = heap_caps_malloc(SERVICE_IMAGE_MAX, MALLOC_CAP_SPIRAM);
    if (image == NULL) {
        return ESP_ERR_NO_MEM;
    }
    esp_http_client_config_t http_cfg = {
        .url = SERVICE_IMAGE_URL,
        .timeout_ms = 30000,
    };
    esp_http_client_handle_t client = esp_http_client_init(&http_cfg);
    esp_err_t err = esp_http_client_open(client, 0);
    size_t image_len = 0;
    if (err == ESP_OK) {
        esp_http_client_fetch_headers(client);
        int n;
        while (image_len < SERVICE_IMAGE_MAX &&
               (n = esp_http_client_read(client, (char *)image + image_len,
                                         SERVICE_IMAGE_MAX - image_len)) > 0) {
            image_len += n;
        }
    }
    esp_http_client_cleanup(client);
    if (image_len == 0) {
        free(image);
        return ESP_FAIL;
    }

    uint8_t digest[16];
    char digest_hex[33];
    mbedtls_md5(image, image_len, digest);
    for (int i = 0; i < 16; i++) {
        snprintf(&digest_hex[i * 2], 3, "%02x", digest[i]);
    }
    if (strcasecmp(digest_hex, expected_md5_hex) != 0) {
        ESP_LOGE(TAG, "service image corrupted in transfer");
        free(image);
        return ESP_ERR_INVALID_CRC;
    }

    const esp_partition_t *target = esp_ota_get_next_update_partition(NULL);
    esp_ota_handle_t handle;
    err = esp_ota_begin(target, image_len, &handle);
    if (err == ESP_OK) {
        err = esp_ota_write(handle, image, image_len);
    }
    free(image);
    if (err == ESP_OK) {
        err = esp_ota_end(handle);
    }
    if (err != ESP_OK) {
        ESP_LOGE(TAG, "service install failed: %s", esp_err_to_name(err));
        return err;
    }
    ESP_LOGI(TAG, "service image installed (%u bytes)", (unsigned)image_len);
    return esp_ota_set_boot_partition(target);
}
