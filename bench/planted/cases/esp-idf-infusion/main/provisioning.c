/* First-boot provisioning: the controller opens an access point and serves the setup pages on it. */
#include <string.h>
#include "esp_wifi.h"
#include "esp_http_server.h"
#include "nvs.h"

static httpd_handle_t setup_server;

static esp_err_t setup_get(httpd_req_t *req)
{
    return httpd_resp_send(req, "<form method=post>ward wifi, server url, pump id</form>", HTTPD_RESP_USE_STRLEN);
}

void provisioning_start_open(void)
{
    wifi_config_t ap = {
        .ap = {
            .ssid = "INFUSION-SETUP",
            .ssid_len = 14,
            .channel = 6,
            .max_connection = 1,
            .authmode = WIFI_AUTH_OPEN,
        },
    };
    esp_wifi_set_mode(WIFI_MODE_AP);
    esp_wifi_set_config(WIFI_IF_AP, &ap);
    esp_wifi_start();
    httpd_config_t config = HTTPD_DEFAULT_CONFIG();
    httpd_start(&setup_server, &config);
    httpd_uri_t root = { .uri = "/", .method = HTTP_GET, .handler = setup_get };
    httpd_register_uri_handler(setup_server, &root);
}

void provisioning_start_labelled(void)
{
    wifi_config_t ap = {
        .ap = {
            .ssid = "INFUSION-SETUP",
            .ssid_len = 14,
            .max_connection = 1,
            .authmode = WIFI_AUTH_WPA2_PSK,
        },
    };
    size_t len = sizeof(ap.ap.password);
    nvs_handle_t h;
    nvs_open("factory", NVS_READONLY, &h);
    nvs_get_str(h, "ap_psk", (char *)ap.ap.password, &len);
    nvs_close(h);
    esp_wifi_set_mode(WIFI_MODE_AP);
    esp_wifi_set_config(WIFI_IF_AP, &ap);
    esp_wifi_start();
}
