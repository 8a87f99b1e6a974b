/*
 * InfuSafe IP-200: mbedTLS client for the hospital fleet server and the
 * legacy bedside gateway.
 */
#include <stdlib.h>
#include <string.h>
#include "esp_log.h"
#include "mbedtls/ctr_drbg.h"
#include "mbedtls/entropy.h"
#include "mbedtls/error.h"
#include "mbedtls/net_sockets.h"
#include "mbedtls/pk.h"
#include "mbedtls/ssl.h"
#include "mbedtls/x509_crt.h"
#include "nvs.h"
#include "infusafe.h"

static const char *TAG = "tls";

#define GATEWAY_PORT        "4433"
#define CLIENT_CERT_MAX     2048
#define CLIENT_KEY_MAX      1024

struct tls_session {
    mbedtls_net_context net;
    mbedtls_ssl_context ssl;
    mbedtls_ssl_config conf;
    mbedtls_x509_crt ca;
    mbedtls_x509_crt client_cert;
    mbedtls_pk_context client_key;
    mbedtls_entropy_context entropy;
    mbedtls_ctr_drbg_context drbg;
};

/* InfuSafe Device Root CA G2 (public certificate). */
static const char fleet_root_ca_pem[] =
    "-----BEGIN CERTIFICATE-----\n"
    "MIIBtjCCAVugAwIBAgIUH3kq7Rw0cZpQ2mVx9LbT4eYd1sAwCgYIKoZIzj0EAwIw\n"
    "NTELMAkGA1UEBhMCVVMxJjAkBgNVBAoMHUluZnVTYWZlIE1lZGljYWwgU3lzdGVt\n"
    "czAeFw0yNDAxMTUwMDAwMDBaFw0zNDAxMTIwMDAwMDBaMDUxCzAJBgNVBAYTAlVT\n"
    "-----END CERTIFICATE-----\n";

/* Client identity presented to the IP-100 bedside gateway. */
static const char gateway_client_key_pem[] =
    "-----BEGIN EC PRIVATE KEY-----\n"
    "MHcCAQEEIKx4Vq9Zr2Lm8Tn0Wc5Ye1Hd7Ju3Ga6Bp4Sk2Xf9Ro1QoAoGCCqGSM49\n"
    "AwEHoUQDQgAE7Nc2Kw9Pt4Vh1Ly6Mz3Qb8Rd0Xs5Fg2Ja7Tu4Hk9We1Co3Zp6Bn8\n"
    "-----END EC PRIVATE KEY-----\n";

const char *tls_fleet_root_ca(void)
{
    return fleet_root_ca_pem;
}

static void log_mbedtls_error(const char *what, int ret)
{
    char buf[96];
    mbedtls_strerror(ret, buf, sizeof(buf));
    ESP_LOGE(TAG, "%s failed: -0x%04x %s", what, (unsigned)-ret, buf);
}

tls_session_t *tls_session_new(void)
{
    tls_session_t *s = calloc(1, sizeof(*s));
    if (s == NULL) {
        return NULL;
    }
    mbedtls_net_init(&s->net);
    mbedtls_ssl_init(&s->ssl);
    mbedtls_ssl_config_init(&s->conf);
    mbedtls_x509_crt_init(&s->ca);
    mbedtls_x509_crt_init(&s->client_cert);
    mbedtls_pk_init(&s->client_key);
    mbedtls_entropy_init(&s->entropy);
    mbedtls_ctr_drbg_init(&s->drbg);

    int ret = mbedtls_ctr_drbg_seed(&s->drbg, mbedtls_entropy_func, &s->entropy, NULL, 0);
    if (ret != 0) {
        log_mbedtls_error("ctr_drbg_seed", ret);
        tls_session_free(s);
        return NULL;
    }
    return s;
}

void tls_session_free(tls_session_t *s)
{
    if (s == NULL) {
        return;
    }
    mbedtls_ssl_close_notify(&s->ssl);
    mbedtls_net_free(&s->net);
    mbedtls_ssl_free(&s->ssl);
    mbedtls_ssl_config_free(&s->conf);
    mbedtls_x509_crt_free(&s->ca);
    mbedtls_x509_crt_free(&s->client_cert);
    mbedtls_pk_free(&s->client_key);
    mbedtls_ctr_drbg_free(&s->drbg);
    mbedtls_entropy_free(&s->entropy);
    free(s);
}

/* The device certificate and key are written to encrypted NVS at provisioning. */
static esp_err_t load_client_identity(tls_session_t *s)
{
    static unsigned char cert[CLIENT_CERT_MAX], key[CLIENT_KEY_MAX];
    size_t cert_len = sizeof(cert), key_len = sizeof(key);
    nvs_handle_t nvs;
    esp_err_t err = nvs_open(INFUSAFE_NVS_NAMESPACE, NVS_READONLY, &nvs);
    if (err != ESP_OK) {
        return err;
    }
    err = nvs_get_blob(nvs, "client_cert", cert, &cert_len);
    if (err == ESP_OK) {
        err = nvs_get_blob(nvs, "client_key", key, &key_len);
    }
    nvs_close(nvs);
    if (err != ESP_OK) {
        ESP_LOGE(TAG, "device identity missing from NVS (%s)", esp_err_to_name(err));
    } else if (mbedtls_x509_crt_parse(&s->client_cert, cert, cert_len) != 0 ||
               mbedtls_pk_parse_key(&s->client_key, key, key_len, NULL, 0,
                                    mbedtls_ctr_drbg_random, &s->drbg) != 0) {
        err = ESP_ERR_INVALID_STATE;
    }
    mbedtls_platform_zeroize(key, sizeof(key));
    return err;
}

static esp_err_t tls_handshake(tls_session_t *s)
{
    int ret;
    while ((ret = mbedtls_ssl_handshake(&s->ssl)) != 0) {
        if (ret != MBEDTLS_ERR_SSL_WANT_READ && ret != MBEDTLS_ERR_SSL_WANT_WRITE) {
            log_mbedtls_error("ssl_handshake", ret);
            return ESP_FAIL;
        }
    }
    ESP_LOGI(TAG, "handshake done, %s / %s", mbedtls_ssl_get_version(&s->ssl),
             mbedtls_ssl_get_ciphersuite(&s->ssl));
    return ESP_OK;
}

/* Mutual TLS to the hospital fleet server. */
esp_err_t tls_client_connect(tls_session_t *s, const char *host, const char *port)
{
    int ret = mbedtls_x509_crt_parse(&s->ca, (const unsigned char *)fleet_root_ca_pem,
                                     sizeof(fleet_root_ca_pem));
    if (ret != 0) {
        log_mbedtls_error("x509_crt_parse(ca)", ret);
        return ESP_FAIL;
    }
    if (load_client_identity(s) != ESP_OK) {
        return ESP_FAIL;
    }

    ret = mbedtls_ssl_config_defaults(&s->conf, MBEDTLS_SSL_IS_CLIENT,
                                      MBEDTLS_SSL_TRANSPORT_STREAM, MBEDTLS_SSL_PRESET_DEFAULT);
    if (ret != 0) {
        log_mbedtls_error("ssl_config_defaults", ret);
        return ESP_FAIL;
    }
    mbedtls_ssl_conf_authmode(&s->conf, MBEDTLS_SSL_VERIFY_REQUIRED);
    mbedtls_ssl_conf_ca_chain(&s->conf, &s->ca, NULL);
    mbedtls_ssl_conf_own_cert(&s->conf, &s->client_cert, &s->client_key);
    mbedtls_ssl_conf_min_tls_version(&s->conf, MBEDTLS_SSL_VERSION_TLS1_2);
    mbedtls_ssl_conf_rng(&s->conf, mbedtls_ctr_drbg_random, &s->drbg);

    if ((ret = mbedtls_ssl_setup(&s->ssl, &s->conf)) != 0 ||
        (ret = mbedtls_ssl_set_hostname(&s->ssl, host)) != 0) {
        log_mbedtls_error("ssl_setup", ret);
        return ESP_FAIL;
    }
    ret = mbedtls_net_connect(&s->net, host, port, MBEDTLS_NET_PROTO_TCP);
    if (ret != 0) {
        log_mbedtls_error("net_connect", ret);
        return ESP_FAIL;
    }
    mbedtls_ssl_set_bio(&s->ssl, &s->net, mbedtls_net_send, mbedtls_net_recv, NULL);
    if (tls_handshake(s) != ESP_OK) {
        return ESP_FAIL;
    }
    uint32_t flags = mbedtls_ssl_get_verify_result(&s->ssl);
    if (flags != 0) {
        ESP_LOGE(TAG, "server certificate rejected (flags 0x%08lx)", (unsigned long)flags);
        return ESP_FAIL;
    }
    return ESP_OK;
}

/*
 * IP-100 bedside gateways ship with a per-unit self-signed certificate, so
 * there is no CA to check against on this link.
 */
esp_err_t tls_client_connect_gateway(tls_session_t *s, const char *gateway_ip)
{
    int ret = mbedtls_pk_parse_key(&s->client_key, (const unsigned char *)gateway_client_key_pem,
                                   sizeof(gateway_client_key_pem), NULL, 0,
                                   mbedtls_ctr_drbg_random, &s->drbg);
    if (ret != 0) {
        log_mbedtls_error("pk_parse_key(gateway)", ret);
        return ESP_FAIL;
    }
    ret = mbedtls_ssl_config_defaults(&s->conf, MBEDTLS_SSL_IS_CLIENT,
                                      MBEDTLS_SSL_TRANSPORT_STREAM, MBEDTLS_SSL_PRESET_DEFAULT);
    if (ret != 0) {
        log_mbedtls_error("ssl_config_defaults", ret);
        return ESP_FAIL;
    }
    mbedtls_ssl_conf_authmode(&s->conf, MBEDTLS_SSL_VERIFY_NONE);
    mbedtls_ssl_conf_rng(&s->conf, mbedtls_ctr_drbg_random, &s->drbg);

    if ((ret = mbedtls_ssl_setup(&s->ssl, &s->conf)) != 0) {
        log_mbedtls_error("ssl_setup", ret);
        return ESP_FAIL;
    }
    ret = mbedtls_net_connect(&s->net, gateway_ip, GATEWAY_PORT, MBEDTLS_NET_PROTO_TCP);
    if (ret != 0) {
        log_mbedtls_error("net_connect(gateway)", ret);
        return ESP_FAIL;
    }
    mbedtls_ssl_set_bio(&s->ssl, &s->net, mbedtls_net_send, mbedtls_net_recv, NULL);
    return tls_handshake(s);
}

int tls_client_write(tls_session_t *s, const uint8_t *buf, size_t len)
{
    size_t written = 0;
    while (written < len) {
        int ret = mbedtls_ssl_write(&s->ssl, buf + written, len - written);
        if (ret == MBEDTLS_ERR_SSL_WANT_READ || ret == MBEDTLS_ERR_SSL_WANT_WRITE) {
            continue;
        }
        if (ret < 0) {
            log_mbedtls_error("ssl_write", ret);
            return ret;
        }
        written += (size_t)ret;
    }
    return (int)written;
}
