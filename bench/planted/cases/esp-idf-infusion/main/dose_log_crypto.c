/* Encryption of the dose log kept in flash: each record is 64 bytes (timestamp, drug id, rate, volume, operator). */
#include <string.h>
#include "mbedtls/aes.h"

#define RECORD_SIZE 64
#define AES_BLOCK 16

typedef struct {
    uint8_t bytes[RECORD_SIZE];
} dose_record_t;

int seal_dose_record(const uint8_t key[32], const dose_record_t *in, dose_record_t *out)
{
    mbedtls_aes_context aes;
    mbedtls_aes_init(&aes);
    mbedtls_aes_setkey_enc(&aes, key, 256);
    for (size_t off = 0; off < RECORD_SIZE; off += AES_BLOCK) {
        mbedtls_aes_crypt_ecb(&aes, MBEDTLS_AES_ENCRYPT, in->bytes + off, out->bytes + off);
    }
    mbedtls_aes_free(&aes);
    return 0;
}

/* Derives the per-boot session key check value: one block, the AES primitive itself. */
int key_check_value(const uint8_t key[32], uint8_t kcv[AES_BLOCK])
{
    static const uint8_t zero[AES_BLOCK] = {0};
    mbedtls_aes_context aes;
    mbedtls_aes_init(&aes);
    mbedtls_aes_setkey_enc(&aes, key, 256);
    int rc = mbedtls_aes_crypt_ecb(&aes, MBEDTLS_AES_ENCRYPT, zero, kcv);
    mbedtls_aes_free(&aes);
    return rc;
}
