/* Telemetry of the infusion controller: pump state and alarms to the hospital's MQTT broker. */
#include "esp_log.h"
#include "mqtt_client.h"
#include "nvs_flash.h"
#include "nvs.h"

extern const uint8_t broker_ca_pem_start[] asm("_binary_broker_ca_pem_start");

static esp_mqtt_client_handle_t telemetry;
static esp_mqtt_client_handle_t alarms;

static void read_credential(const char *key, char *out, size_t len)
{
    nvs_handle_t h;
    if (nvs_open("creds", NVS_READONLY, &h) == ESP_OK) {
        nvs_get_str(h, key, out, &len);
        nvs_close(h);
    }
}

void telemetry_start(void)
{
    static char user[32];
    static char pass[64];
    read_credential("mqtt_user", user, sizeof(user));
    read_credential("mqtt_pass", pass, sizeof(pass));
    const esp_mqtt_client_config_t cfg = {
        .broker.address.uri = "mqtt://telemetry.wardnet-hosp.net:1883",
        .credentials.username = user,
        .credentials.authentication.password = pass,
    };
    telemetry = esp_mqtt_client_init(&cfg);
    esp_mqtt_client_start(telemetry);
}

void alarms_start(void)
{
    static char user[32];
    static char pass[64];
    read_credential("alarm_user", user, sizeof(user));
    read_credential("alarm_pass", pass, sizeof(pass));
    const esp_mqtt_client_config_t cfg = {
        .broker.address.uri = "mqtts://alarms.wardnet-hosp.net:8883",
        .broker.verification.certificate = (const char *)broker_ca_pem_start,
        .credentials.username = user,
        .credentials.authentication.password = pass,
    };
    alarms = esp_mqtt_client_init(&cfg);
    esp_mqtt_client_start(alarms);
}
