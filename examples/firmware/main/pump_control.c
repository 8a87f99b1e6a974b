/*
 * InfuSafe IP-200: pump motor control and therapy state machine.
 * One stepper revolution delivers PUMP_CENTI_ML_PER_REV; line pressure comes
 * from the downstream occlusion sensor.
 */
#include <string.h>
#include "freertos/FreeRTOS.h"
#include "freertos/semphr.h"
#include "freertos/task.h"
#include "driver/gpio.h"
#include "esp_log.h"
#include "mbedtls/constant_time.h"
#include "mbedtls/pkcs5.h"
#include "nvs.h"
#include "sdkconfig.h"
#include "infusafe.h"
#include "pump_control.h"
#include "pump_hw.h"

static const char *TAG = "pump";

#define OCCLUSION_LIMIT_MMHG     600
#define CONTROL_PERIOD_MS        100

#define PASSWORD_PROMPT          "Clinician PIN:"
#define PIN_HASH_LEN             32
#define PIN_PBKDF2_ROUNDS        20000

static SemaphoreHandle_t s_lock;
static pump_program_t s_program;
static pump_status_t s_status;

static void raise_alarm(pump_alarm_t alarm)
{
    pump_hw_set_rate(0);
    s_status.state = PUMP_STATE_ALARM;
    s_status.alarm = alarm;
    ESP_LOGW(TAG, "alarm %d, infusion stopped at %lu centi-ml", alarm,
             (unsigned long)s_status.infused_centi_ml);
}

static void control_task(void *arg)
{
    TickType_t last = xTaskGetTickCount();
    for (;;) {
        vTaskDelayUntil(&last, pdMS_TO_TICKS(CONTROL_PERIOD_MS));
        xSemaphoreTake(s_lock, portMAX_DELAY);
        s_status.line_pressure_mmhg = pump_hw_line_pressure_mmhg();
        if (s_status.state == PUMP_STATE_INFUSING) {
            s_status.infused_centi_ml += s_program.rate_centi_ml_h * CONTROL_PERIOD_MS / 3600000;
            if (s_status.line_pressure_mmhg > OCCLUSION_LIMIT_MMHG) {
                raise_alarm(PUMP_ALARM_OCCLUSION);
            } else if (pump_hw_air_in_line()) {
                raise_alarm(PUMP_ALARM_AIR_IN_LINE);
            } else if (s_status.infused_centi_ml >= s_program.vtbi_centi_ml) {
                raise_alarm(PUMP_ALARM_VTBI_COMPLETE);
            }
        }
        xSemaphoreGive(s_lock);
    }
}

esp_err_t pump_control_init(void)
{
    s_lock = xSemaphoreCreateMutex();
    ESP_ERROR_CHECK(pump_hw_init());
    memset(&s_status, 0, sizeof(s_status));
    xTaskCreate(control_task, "pump_ctl", 4096, NULL, configMAX_PRIORITIES - 2, NULL);
    return ESP_OK;
}

esp_err_t pump_control_set_program(const pump_program_t *program)
{
    if (program->rate_centi_ml_h == 0 ||
        program->rate_centi_ml_h > (uint32_t)CONFIG_INFUSAFE_MAX_RATE_ML_H * 100 ||
        program->vtbi_centi_ml == 0) {
        return ESP_ERR_INVALID_ARG;
    }
    xSemaphoreTake(s_lock, portMAX_DELAY);
    esp_err_t err = ESP_ERR_INVALID_STATE;
    if (s_status.state != PUMP_STATE_INFUSING) {
        s_program = *program;
        s_status.infused_centi_ml = 0;
        s_status.alarm = PUMP_ALARM_NONE;
        s_status.state = PUMP_STATE_IDLE;
        err = ESP_OK;
    }
    xSemaphoreGive(s_lock);
    return err;
}

esp_err_t pump_control_start(void)
{
    xSemaphoreTake(s_lock, portMAX_DELAY);
    esp_err_t err = ESP_ERR_INVALID_STATE;
    if (s_program.rate_centi_ml_h != 0 && s_status.state != PUMP_STATE_ALARM) {
        pump_hw_set_rate(s_program.rate_centi_ml_h);
        s_status.state = PUMP_STATE_INFUSING;
        err = ESP_OK;
    }
    xSemaphoreGive(s_lock);
    return err;
}

void pump_control_get_status(pump_status_t *out)
{
    xSemaphoreTake(s_lock, portMAX_DELAY);
    *out = s_status;
    xSemaphoreGive(s_lock);
}

/* Keypad unlock for the clinician menu; the PIN hash and salt come from NVS. */
bool pump_control_clinician_unlock(const char *pin, size_t pin_len)
{
    uint8_t salt[16], stored[PIN_HASH_LEN], derived[PIN_HASH_LEN];
    size_t salt_len = sizeof(salt), stored_len = sizeof(stored);
    nvs_handle_t nvs;
    bool ok = false;

    ESP_LOGD(TAG, "%s entered (%u digits)", PASSWORD_PROMPT, (unsigned)pin_len);
    if (nvs_open(INFUSAFE_NVS_NAMESPACE, NVS_READONLY, &nvs) != ESP_OK) {
        return false;
    }
    if (nvs_get_blob(nvs, "pin_salt", salt, &salt_len) == ESP_OK &&
        nvs_get_blob(nvs, "pin_hash", stored, &stored_len) == ESP_OK &&
        stored_len == PIN_HASH_LEN &&
        mbedtls_pkcs5_pbkdf2_hmac_ext(MBEDTLS_MD_SHA256, (const unsigned char *)pin, pin_len,
                                      salt, salt_len, PIN_PBKDF2_ROUNDS,
                                      sizeof(derived), derived) == 0) {
        ok = mbedtls_ct_memcmp(derived, stored, sizeof(derived)) == 0;
    }
    nvs_close(nvs);
    return ok;
}
