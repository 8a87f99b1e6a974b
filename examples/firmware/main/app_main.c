/*
 * InfuSafe IP-200 infusion pump controller: start-up and supervisor task.
 * Copyright (c) 2024 InfuSafe Medical Systems
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may obtain a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */
#include <stdio.h>
#include <string.h>
#include "freertos/FreeRTOS.h"
#include "freertos/task.h"
#include "esp_log.h"
#include "esp_mac.h"
#include "esp_system.h"
#include "nvs_flash.h"
#include "infusafe.h"
#include "pump_control.h"

static const char *TAG = "app";

#define SUPERVISOR_PERIOD_MS    1000
#define OTA_CHECK_INTERVAL_S    (6 * 60 * 60)

static char s_device_id[DEVICE_ID_LEN];

const char *infusafe_device_id(void)
{
    return s_device_id;
}

static void init_device_id(void)
{
    uint8_t mac[6];
    ESP_ERROR_CHECK(esp_read_mac(mac, ESP_MAC_WIFI_STA));
    snprintf(s_device_id, sizeof(s_device_id), "IP200-%02X%02X%02X%02X%02X%02X",
             mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
}

static esp_err_t init_nvs(void)
{
    esp_err_t err = nvs_flash_secure_init(NULL);
    if (err == ESP_ERR_NVS_NO_FREE_PAGES || err == ESP_ERR_NVS_NEW_VERSION_FOUND) {
        ESP_LOGW(TAG, "NVS partition needs to be erased (%s)", esp_err_to_name(err));
        ESP_ERROR_CHECK(nvs_flash_erase());
        err = nvs_flash_secure_init(NULL);
    }
    return err;
}

static void supervisor_task(void *arg)
{
    char json[192];
    pump_status_t status;
    uint32_t seconds = 0;

    for (;;) {
        pump_control_get_status(&status);
        snprintf(json, sizeof(json),
                 "{\"id\":\"%s\",\"fw\":\"%s\",\"state\":%d,\"alarm\":%d,"
                 "\"infused\":%lu,\"pressure\":%lu}",
                 s_device_id, INFUSAFE_FW_VERSION, status.state, status.alarm,
                 (unsigned long)status.infused_centi_ml,
                 (unsigned long)status.line_pressure_mmhg);
        if (wifi_is_connected()) {
            telemetry_publish_status(json);
        }

        /* Never update while a therapy is running. */
        if (++seconds >= OTA_CHECK_INTERVAL_S && status.state == PUMP_STATE_IDLE) {
            seconds = 0;
            ota_manifest_t manifest;
            if (ota_fetch_manifest(&manifest) == ESP_OK &&
                strcmp(manifest.version, INFUSAFE_FW_VERSION) != 0) {
                ESP_LOGI(TAG, "firmware %s available", manifest.version);
                if (ota_apply_update(&manifest) == ESP_OK) {
                    esp_restart();
                }
            }
        }
        vTaskDelay(pdMS_TO_TICKS(SUPERVISOR_PERIOD_MS));
    }
}

void app_main(void)
{
    ESP_LOGI(TAG, "InfuSafe %s firmware %s starting", INFUSAFE_DEVICE_MODEL, INFUSAFE_FW_VERSION);
    ESP_ERROR_CHECK(init_nvs());
    init_device_id();

    /* Therapy first: the pump must work with no network at all. */
    ESP_ERROR_CHECK(pump_control_init());
    ESP_ERROR_CHECK(ble_service_init());

    esp_err_t err = wifi_init_station();
    if (err == ESP_ERR_NVS_NOT_FOUND) {
        ESP_LOGW(TAG, "unprovisioned unit, joining factory network for end-of-line test");
        err = wifi_join_factory_network();
    }
    if (err == ESP_OK) {
        ESP_ERROR_CHECK_WITHOUT_ABORT(telemetry_start(false));
    } else {
        ESP_LOGE(TAG, "network unavailable (%s), running stand-alone", esp_err_to_name(err));
    }

    xTaskCreate(supervisor_task, "supervisor", 6144, NULL, 5, NULL);
}
