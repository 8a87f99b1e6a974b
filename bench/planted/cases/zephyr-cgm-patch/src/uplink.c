/* Sensor uplink: glucose readings to the clinic's MQTT broker through the patient's gateway. */
#include <string.h>
#include <zephyr/net/mqtt.h>
#include <zephyr/net/socket.h>
#include <zephyr/settings/settings.h>

static struct mqtt_client client;
static uint8_t rx_buf[256];
static uint8_t tx_buf[256];
static struct sockaddr_storage broker;
static struct mqtt_utf8 user_name;
static struct mqtt_utf8 password;
static char stored_pass[64];

extern int load_uplink_password(char *out, size_t len);

void uplink_connect(void)
{
    load_uplink_password(stored_pass, sizeof(stored_pass));
    mqtt_client_init(&client);
    client.broker = &broker;
    client.client_id.utf8 = (uint8_t *)"cgm-patch";
    client.client_id.size = strlen("cgm-patch");
    user_name.utf8 = (uint8_t *)"patch";
    user_name.size = strlen("patch");
    password.utf8 = (uint8_t *)stored_pass;
    password.size = strlen(stored_pass);
    client.user_name = &user_name;
    client.password = &password;
    client.protocol_version = MQTT_VERSION_3_1_1;
    client.rx_buf = rx_buf;
    client.rx_buf_size = sizeof(rx_buf);
    client.tx_buf = tx_buf;
    client.tx_buf_size = sizeof(tx_buf);
    client.transport.type = MQTT_TRANSPORT_NON_SECURE;
    mqtt_connect(&client);
}
