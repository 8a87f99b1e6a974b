/*
 * Over-the-air update of the infusion controller: the image is fetched from the vendor's update service and
 * written to the passive OTA slot.
 */
#include <string.h>
#include "esp_log.h"
#include "esp_ota_ops.h"
#include "esp_https_ota.h"
#include "esp_http_client.h"
#include "mbedtls/pk.h"
#include "mbedtls/sha256.h"

static const char *TAG = "ota";

extern const uint8_t update_ca_pem_start[] asm("_binary_update_ca_pem_start");
extern const uint8_t vendor_pubkey_pem_start[] asm("_binary_vendor_pubkey_pem_start");

#define UPDATE_URL "https://updates.infusa-medical.com/fw/infusion-s3.bin"
#define RECOVERY_URL "http://10.20.0.5:8070/fw/infusion-s3.bin"

esp_err_t ota_from_service(void)
{
    esp_http_client_config_t http = {
        .url = UPDATE_URL,
        .cert_pem = (const char *)update_ca_pem_start,
        .timeout_ms = 15000,
        .keep_alive_enable = true,
    };
    esp_https_ota_config_t ota = { .http_config = &http };
    return esp_https_ota(&ota);
}

/* Used by service technicians when the clinic network blocks the update service. */
esp_err_t ota_from_recovery_server(void)
{
    esp_http_client_config_t http = {
        .url = RECOVERY_URL,
        .timeout_ms = 15000,
    };
    esp_https_ota_config_t ota = { .http_config = &http };
    return esp_https_ota(&ota);
}

static int image_signature_ok(const uint8_t *hash, const uint8_t *sig, size_t sig_len)
{
    mbedtls_pk_context pk;
    mbedtls_pk_init(&pk);
    if (mbedtls_pk_parse_public_key(&pk, vendor_pubkey_pem_start, strlen((const char *)vendor_pubkey_pem_start) + 1) != 0) {
        mbedtls_pk_free(&pk);
        return -1;
    }
    int rc = mbedtls_pk_verify(&pk, MBEDTLS_MD_SHA256, hash, 32, sig, sig_len);
    mbedtls_pk_free(&pk);
    return rc;
}

esp_err_t activate_staged_image(const esp_partition_t *slot, const uint8_t *hash, const uint8_t *sig, size_t sig_len)
{
    if (image_signature_ok(hash, sig, sig_len)) {
        ESP_LOGI(TAG, "signature checked, switching boot partition");
        return esp_ota_set_boot_partition(slot);
    }
    ESP_LOGE(TAG, "staged image rejected");
    return ESP_FAIL;
}

esp_err_t activate_checked_image(const esp_partition_t *slot, const uint8_t *hash, const uint8_t *sig, size_t sig_len)
{
    if (image_signature_ok(hash, sig, sig_len) != 0) {
        ESP_LOGE(TAG, "staged image rejected");
        return ESP_FAIL;
    }
    return esp_ota_set_boot_partition(slot);
}
