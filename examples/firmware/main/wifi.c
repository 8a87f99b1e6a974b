/*
 * InfuSafe IP-200: Wi-Fi station management.
 *
 * Production units read the hospital network credentials from encrypted NVS
 * (written by the provisioning station, see provisioning/provision_device.py).
 */
#include <string.h>
#include "freertos/FreeRTOS.h"
#include "freertos/event_groups.h"
#include "esp_event.h"
#include "esp_log.h"
#include "esp_netif.h"
#include "esp_wifi.h"
#include "nvs.h"
#include "sdkconfig.h"
#include "infusafe.h"

static const char *TAG = "wifi";

#define WIFI_CONNECTED_BIT   BIT0
#define WIFI_FAIL_BIT        BIT1
#define WIFI_MAX_RETRY       5
#define WIFI_CONNECT_TIMEOUT pdMS_TO_TICKS(20000)

#define FACTORY_SSID         "IFS-EOL-TEST"

static EventGroupHandle_t s_wifi_events;
static int s_retry_count;

static void wifi_event_handler(void *arg, esp_event_base_t base, int32_t id, void *data)
{
    if (base == WIFI_EVENT && id == WIFI_EVENT_STA_START) {
        esp_wifi_connect();
    } else if (base == WIFI_EVENT && id == WIFI_EVENT_STA_DISCONNECTED) {
        xEventGroupClearBits(s_wifi_events, WIFI_CONNECTED_BIT);
        if (s_retry_count < WIFI_MAX_RETRY) {
            s_retry_count++;
            ESP_LOGW(TAG, "disconnected, retry %d/%d", s_retry_count, WIFI_MAX_RETRY);
            esp_wifi_connect();
        } else {
            xEventGroupSetBits(s_wifi_events, WIFI_FAIL_BIT);
        }
    } else if (base == IP_EVENT && id == IP_EVENT_STA_GOT_IP) {
        ip_event_got_ip_t *event = (ip_event_got_ip_t *)data;
        ESP_LOGI(TAG, "connected, address " IPSTR, IP2STR(&event->ip_info.ip));
        s_retry_count = 0;
        xEventGroupSetBits(s_wifi_events, WIFI_CONNECTED_BIT);
    }
}

static esp_err_t wifi_stack_init(void)
{
    if (s_wifi_events != NULL) {
        return ESP_OK;
    }
    s_wifi_events = xEventGroupCreate();
    ESP_ERROR_CHECK(esp_netif_init());
    ESP_ERROR_CHECK(esp_event_loop_create_default());
    esp_netif_create_default_wifi_sta();

    wifi_init_config_t init_cfg = WIFI_INIT_CONFIG_DEFAULT();
    ESP_ERROR_CHECK(esp_wifi_init(&init_cfg));
    ESP_ERROR_CHECK(esp_event_handler_instance_register(WIFI_EVENT, ESP_EVENT_ANY_ID,
                                                        &wifi_event_handler, NULL, NULL));
    ESP_ERROR_CHECK(esp_event_handler_instance_register(IP_EVENT, IP_EVENT_STA_GOT_IP,
                                                        &wifi_event_handler, NULL, NULL));
    return esp_wifi_set_storage(WIFI_STORAGE_RAM);
}

static esp_err_t load_wifi_credentials(char *ssid, size_t ssid_len,
                                       char *password, size_t password_len)
{
    nvs_handle_t nvs;
    esp_err_t err = nvs_open(INFUSAFE_NVS_NAMESPACE, NVS_READONLY, &nvs);
    if (err != ESP_OK) {
        return err;
    }
    err = nvs_get_str(nvs, "wifi_ssid", ssid, &ssid_len);
    if (err == ESP_OK) {
        err = nvs_get_str(nvs, "wifi_pass", password, &password_len);
    }
    nvs_close(nvs);
    return err;
}

static esp_err_t wifi_connect_with(wifi_config_t *cfg)
{
    xEventGroupClearBits(s_wifi_events, WIFI_CONNECTED_BIT | WIFI_FAIL_BIT);
    s_retry_count = 0;
    ESP_ERROR_CHECK(esp_wifi_set_mode(WIFI_MODE_STA));
    ESP_ERROR_CHECK(esp_wifi_set_config(WIFI_IF_STA, cfg));
    ESP_ERROR_CHECK(esp_wifi_start());

    EventBits_t bits = xEventGroupWaitBits(s_wifi_events, WIFI_CONNECTED_BIT | WIFI_FAIL_BIT,
                                           pdFALSE, pdFALSE, WIFI_CONNECT_TIMEOUT);
    if (bits & WIFI_CONNECTED_BIT) {
        ESP_LOGI(TAG, "joined \"%s\"", (const char *)cfg->sta.ssid);
        return ESP_OK;
    }
    ESP_LOGE(TAG, "could not join \"%s\"", (const char *)cfg->sta.ssid);
    esp_wifi_stop();
    return ESP_ERR_TIMEOUT;
}

esp_err_t wifi_init_station(void)
{
    ESP_ERROR_CHECK(wifi_stack_init());

    wifi_config_t wifi_config = {
        .sta = {
            .ssid = "",
            .password = "",
            .threshold.authmode = WIFI_AUTH_WPA2_PSK,
            .pmf_cfg = {
                .capable = true,
                .required = true,
            },
        },
    };

    esp_err_t err = load_wifi_credentials((char *)wifi_config.sta.ssid, sizeof(wifi_config.sta.ssid),
                                          (char *)wifi_config.sta.password,
                                          sizeof(wifi_config.sta.password));
#if CONFIG_INFUSAFE_BENCH_BUILD
    if (err == ESP_ERR_NVS_NOT_FOUND) {
        ESP_LOGW(TAG, "bench build: using menuconfig network");
        strlcpy((char *)wifi_config.sta.ssid, CONFIG_ESP_WIFI_SSID, sizeof(wifi_config.sta.ssid));
        strlcpy((char *)wifi_config.sta.password, CONFIG_ESP_WIFI_PASSWORD,
                sizeof(wifi_config.sta.password));
        err = ESP_OK;
    }
#endif
    if (err != ESP_OK) {
        ESP_LOGW(TAG, "no hospital network provisioned (%s)", esp_err_to_name(err));
        return err;
    }
    return wifi_connect_with(&wifi_config);
}

/*
 * End-of-line test: units that leave the SMT line have empty NVS, and the
 * test rack needs to reach them over Wi-Fi before provisioning.
 */
esp_err_t wifi_join_factory_network(void)
{
    ESP_ERROR_CHECK(wifi_stack_init());

    wifi_config_t factory_config = {
        .sta = {
            .ssid = FACTORY_SSID,
            .password = "Inf0Pump!2024",
            .threshold.authmode = WIFI_AUTH_WPA2_PSK,
        },
    };
    return wifi_connect_with(&factory_config);
}

bool wifi_is_connected(void)
{
    if (s_wifi_events == NULL) {
        return false;
    }
    return (xEventGroupGetBits(s_wifi_events) & WIFI_CONNECTED_BIT) != 0;
}
