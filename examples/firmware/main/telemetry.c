/*
 * InfuSafe IP-200: pump status telemetry over MQTT.
 *
 * Production: mutual-TLS MQTT to the fleet broker, credentials from NVS.
 * Ward gateway: the on-premises broker that IP-100 era wards still run.
 */
#include <string.h>
#include "esp_log.h"
#include "mqtt_client.h"
#include "nvs.h"
#include "infusafe.h"

static const char *TAG = "telemetry";

#define TELEMETRY_BROKER_URI   "mqtts://telemetry.infusafe-medical.com:8883"
#define WARD_BROKER_URI        "mqtt://ward-gw.infusafe-medical.com:1883"

#define MQTT_USERNAME          "ip200-ward"
#define MQTT_PASSWORD          "Mq7t!Ward-Gw#7731"

#define TOPIC_FMT              "infusafe/v1/%s/status"

static esp_mqtt_client_handle_t s_client;
static char s_topic[64];
static char s_mqtt_user[32];
static char s_mqtt_password[64];

static void mqtt_event_handler(void *arg, esp_event_base_t base, int32_t event_id, void *event_data)
{
    esp_mqtt_event_handle_t event = event_data;
    switch ((esp_mqtt_event_id_t)event_id) {
    case MQTT_EVENT_CONNECTED:
        ESP_LOGI(TAG, "broker connected");
        break;
    case MQTT_EVENT_DISCONNECTED:
        ESP_LOGW(TAG, "broker disconnected");
        break;
    case MQTT_EVENT_ERROR:
        if (event->error_handle->error_type == MQTT_ERROR_TYPE_TCP_TRANSPORT) {
            ESP_LOGE(TAG, "transport error, tls stack 0x%x",
                     event->error_handle->esp_tls_stack_err);
        }
        break;
    default:
        break;
    }
}

static esp_err_t load_mqtt_credentials(void)
{
    nvs_handle_t nvs;
    size_t user_len = sizeof(s_mqtt_user);
    size_t password_len = sizeof(s_mqtt_password);
    esp_err_t err = nvs_open(INFUSAFE_NVS_NAMESPACE, NVS_READONLY, &nvs);
    if (err != ESP_OK) {
        return err;
    }
    err = nvs_get_str(nvs, "mqtt_user", s_mqtt_user, &user_len);
    if (err == ESP_OK) {
        err = nvs_get_str(nvs, "mqtt_pass", s_mqtt_password, &password_len);
    }
    nvs_close(nvs);
    return err;
}

esp_err_t telemetry_start(bool use_ward_gateway)
{
    snprintf(s_topic, sizeof(s_topic), TOPIC_FMT, infusafe_device_id());

    if (use_ward_gateway) {
        esp_mqtt_client_config_t ward_cfg = {
            .broker.address.uri = WARD_BROKER_URI,
            .credentials.client_id = infusafe_device_id(),
            .credentials.username = MQTT_USERNAME,
            .credentials.authentication.password = MQTT_PASSWORD,
        };
        s_client = esp_mqtt_client_init(&ward_cfg);
    } else {
        esp_err_t err = load_mqtt_credentials();
        if (err != ESP_OK) {
            ESP_LOGE(TAG, "mqtt credentials not provisioned (%s)", esp_err_to_name(err));
            return err;
        }
        esp_mqtt_client_config_t cfg = {
            .broker.address.uri = TELEMETRY_BROKER_URI,
            .broker.verification.certificate = tls_fleet_root_ca(),
            .credentials.client_id = infusafe_device_id(),
            .credentials.username = s_mqtt_user,
            .credentials.authentication.password = s_mqtt_password,
            .session.keepalive = 30,
        };
        s_client = esp_mqtt_client_init(&cfg);
    }
    if (s_client == NULL) {
        return ESP_FAIL;
    }
    esp_mqtt_client_register_event(s_client, ESP_EVENT_ANY_ID, mqtt_event_handler, NULL);
    return esp_mqtt_client_start(s_client);
}

esp_err_t telemetry_publish_status(const char *json)
{
    if (s_client == NULL) {
        return ESP_ERR_INVALID_STATE;
    }
    int msg_id = esp_mqtt_client_publish(s_client, s_topic, json, 0, 1, 0);
    return msg_id < 0 ? ESP_FAIL : ESP_OK;
}
