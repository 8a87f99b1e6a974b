/* Reports pump state to the clinic server's REST API with the pump's service account. */
#include "esp_http_client.h"
#include "nvs.h"

extern const uint8_t clinic_ca_pem_start[] asm("_binary_clinic_ca_pem_start");

static void service_password(char *out, size_t len)
{
    nvs_handle_t h;
    nvs_open("creds", NVS_READONLY, &h);
    nvs_get_str(h, "svc_pass", out, &len);
    nvs_close(h);
}

esp_err_t report_state_plain(const char *json)
{
    static char pass[64];
    service_password(pass, sizeof(pass));
    esp_http_client_config_t cfg = {
        .host = "clinic-gw.wardnet-hosp.net",
        .port = 8080,
        .path = "/api/pump/state",
        .transport_type = HTTP_TRANSPORT_OVER_TCP,
        .auth_type = HTTP_AUTH_TYPE_BASIC,
        .username = "pump-svc",
        .password = pass,
    };
    esp_http_client_handle_t c = esp_http_client_init(&cfg);
    esp_http_client_set_method(c, HTTP_METHOD_POST);
    esp_http_client_set_post_field(c, json, strlen(json));
    esp_err_t err = esp_http_client_perform(c);
    esp_http_client_cleanup(c);
    return err;
}

esp_err_t report_state_tls(const char *json)
{
    static char pass[64];
    service_password(pass, sizeof(pass));
    esp_http_client_config_t cfg = {
        .host = "clinic-gw.wardnet-hosp.net",
        .port = 443,
        .path = "/api/pump/state",
        .transport_type = HTTP_TRANSPORT_OVER_SSL,
        .cert_pem = (const char *)clinic_ca_pem_start,
        .auth_type = HTTP_AUTH_TYPE_BASIC,
        .username = "pump-svc",
        .password = pass,
    };
    esp_http_client_handle_t c = esp_http_client_init(&cfg);
    esp_http_client_set_method(c, HTTP_METHOD_POST);
    esp_http_client_set_post_field(c, json, strlen(json));
    esp_err_t err = esp_http_client_perform(c);
    esp_http_client_cleanup(c);
    return err;
}
