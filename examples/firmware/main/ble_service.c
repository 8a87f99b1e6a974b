/*
 * InfuSafe IP-200: BLE GATT service used by the clinician tablet to program
 * dose settings. Writes require an encrypted, MITM-protected bond (LE Secure
 * Connections with a passkey shown on the pump display).
 */
#include <string.h>
#include "esp_bt.h"
#include "esp_bt_main.h"
#include "esp_gap_ble_api.h"
#include "esp_gatts_api.h"
#include "esp_log.h"
#include "esp_random.h"
#include "infusafe.h"
#include "pump_control.h"

static const char *TAG = "ble";

#define DOSE_APP_ID          0x49
enum { IDX_SVC, IDX_CHAR_DOSE, IDX_CHAR_DOSE_VAL, IDX_NB };

/* 6e4a00xx-8d2c-4b6e-9f1a-49534650554d */
#define DOSE_UUID128(id) {0x4d, 0x55, 0x50, 0x46, 0x53, 0x49, 0x1a, 0x9f, \
                          0x6e, 0x4b, 0x2c, 0x8d, (id), 0x00, 0x4a, 0x6e}
static const uint8_t dose_svc_uuid[16] = DOSE_UUID128(0x01);
static const uint8_t dose_chr_uuid[16] = DOSE_UUID128(0x03);
static const uint16_t primary_service_uuid = ESP_GATT_UUID_PRI_SERVICE;
static const uint16_t char_decl_uuid = ESP_GATT_UUID_CHAR_DECLARE;
static const uint8_t prop_write = ESP_GATT_CHAR_PROP_BIT_WRITE;
static uint16_t handle_table[IDX_NB];

static const esp_gatts_attr_db_t dose_gatt_db[IDX_NB] = {
    [IDX_SVC] = {{ESP_GATT_AUTO_RSP}, {ESP_UUID_LEN_16, (uint8_t *)&primary_service_uuid,
                  ESP_GATT_PERM_READ, sizeof(dose_svc_uuid), sizeof(dose_svc_uuid),
                  (uint8_t *)dose_svc_uuid}},
    [IDX_CHAR_DOSE] = {{ESP_GATT_AUTO_RSP}, {ESP_UUID_LEN_16, (uint8_t *)&char_decl_uuid,
                        ESP_GATT_PERM_READ, 1, 1, (uint8_t *)&prop_write}},
    [IDX_CHAR_DOSE_VAL] = {{ESP_GATT_RSP_BY_APP}, {ESP_UUID_LEN_128, (uint8_t *)dose_chr_uuid,
                            ESP_GATT_PERM_WRITE_ENC_MITM, sizeof(pump_program_t), 0, NULL}},
};

static esp_gatt_status_t handle_dose_write(const uint8_t *value, uint16_t len)
{
    pump_program_t program;
    if (len != sizeof(program)) {
        ESP_LOGW(TAG, "dose write with bad length %u", len);
        return ESP_GATT_INVALID_ATTR_LEN;
    }
    memcpy(&program, value, sizeof(program));
    ESP_LOGI(TAG, "dose program: drug %u, rate %lu.%02lu ml/h", program.drug_id,
             (unsigned long)(program.rate_centi_ml_h / 100),
             (unsigned long)(program.rate_centi_ml_h % 100));
    return pump_control_set_program(&program) == ESP_OK ? ESP_GATT_OK : ESP_GATT_OUT_OF_RANGE;
}

static void gap_event_handler(esp_gap_ble_cb_event_t event, esp_ble_gap_cb_param_t *param)
{
    if (event == ESP_GAP_BLE_SEC_REQ_EVT) {
        esp_ble_gap_security_rsp(param->ble_security.ble_req.bd_addr, true);
    } else if (event == ESP_GAP_BLE_AUTH_CMPL_EVT && !param->ble_security.auth_cmpl.success) {
        ESP_LOGW(TAG, "pairing failed, reason 0x%x", param->ble_security.auth_cmpl.fail_reason);
    }
}

static void gatts_event_handler(esp_gatts_cb_event_t event, esp_gatt_if_t gatts_if,
                                esp_ble_gatts_cb_param_t *param)
{
    switch (event) {
    case ESP_GATTS_REG_EVT:
        esp_ble_gap_set_device_name("InfuSafe-IP200");
        esp_ble_gatts_create_attr_tab(dose_gatt_db, gatts_if, IDX_NB, 0);
        break;
    case ESP_GATTS_CREAT_ATTR_TAB_EVT:
        if (param->add_attr_tab.status != ESP_GATT_OK || param->add_attr_tab.num_handle != IDX_NB) {
            ESP_LOGE(TAG, "attribute table creation failed");
            break;
        }
        memcpy(handle_table, param->add_attr_tab.handles, sizeof(handle_table));
        esp_ble_gatts_start_service(handle_table[IDX_SVC]);
        break;
    case ESP_GATTS_WRITE_EVT: {
        esp_gatt_status_t status = ESP_GATT_WRITE_NOT_PERMIT;
        if (param->write.handle == handle_table[IDX_CHAR_DOSE_VAL]) {
            status = handle_dose_write(param->write.value, param->write.len);
        }
        if (param->write.need_rsp) {
            esp_ble_gatts_send_response(gatts_if, param->write.conn_id, param->write.trans_id,
                                        status, NULL);
        }
        break;
    }
    default:
        break;
    }
}

esp_err_t ble_service_init(void)
{
    esp_bt_controller_config_t bt_cfg = BT_CONTROLLER_INIT_CONFIG_DEFAULT();
    ESP_ERROR_CHECK(esp_bt_controller_init(&bt_cfg));
    ESP_ERROR_CHECK(esp_bt_controller_enable(ESP_BT_MODE_BLE));
    ESP_ERROR_CHECK(esp_bluedroid_init());
    ESP_ERROR_CHECK(esp_bluedroid_enable());
    ESP_ERROR_CHECK(esp_ble_gap_register_callback(gap_event_handler));
    ESP_ERROR_CHECK(esp_ble_gatts_register_callback(gatts_event_handler));

    esp_ble_auth_req_t auth_req = ESP_LE_AUTH_REQ_SC_MITM_BOND;
    esp_ble_io_cap_t iocap = ESP_IO_CAP_OUT;
    uint8_t key_size = 16;
    uint32_t passkey = esp_random() % 1000000;
    esp_ble_gap_set_security_param(ESP_BLE_SM_AUTHEN_REQ_MODE, &auth_req, sizeof(auth_req));
    esp_ble_gap_set_security_param(ESP_BLE_SM_IOCAP_MODE, &iocap, sizeof(iocap));
    esp_ble_gap_set_security_param(ESP_BLE_SM_MAX_KEY_SIZE, &key_size, sizeof(key_size));
    esp_ble_gap_set_security_param(ESP_BLE_SM_SET_STATIC_PASSKEY, &passkey, sizeof(passkey));
    return esp_ble_gatts_app_register(DOSE_APP_ID);
}
