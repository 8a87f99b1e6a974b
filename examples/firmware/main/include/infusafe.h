/*
 * InfuSafe IP-200 infusion pump controller
 * Copyright (c) 2024 InfuSafe Medical Systems
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "esp_err.h"

#define INFUSAFE_FW_VERSION      "2.4.1"
#define INFUSAFE_DEVICE_MODEL    "IP-200"
#define INFUSAFE_NVS_NAMESPACE   "infusafe"

#define FLEET_SERVER_HOST        "fleet.infusafe-medical.com"
#define FLEET_SERVER_PORT        "8443"

#define DEVICE_ID_LEN            24

/* Opaque TLS session (tls_client.c). */
typedef struct tls_session tls_session_t;

typedef struct {
    char version[16];
    char url[160];
    uint8_t signature[512];
    size_t signature_len;
    size_t image_len;
} ota_manifest_t;

/* app_main.c */
const char *infusafe_device_id(void);

/* wifi.c */
esp_err_t wifi_init_station(void);
esp_err_t wifi_join_factory_network(void);
bool wifi_is_connected(void);

/* tls_client.c */
tls_session_t *tls_session_new(void);
void tls_session_free(tls_session_t *s);
esp_err_t tls_client_connect(tls_session_t *s, const char *host, const char *port);
esp_err_t tls_client_connect_gateway(tls_session_t *s, const char *gateway_ip);
int tls_client_write(tls_session_t *s, const uint8_t *buf, size_t len);
const char *tls_fleet_root_ca(void);

/* telemetry.c */
esp_err_t telemetry_start(bool use_ward_gateway);
esp_err_t telemetry_publish_status(const char *json);

/* ota_update.c */
esp_err_t ota_fetch_manifest(ota_manifest_t *out);
esp_err_t ota_apply_update(const ota_manifest_t *manifest);
esp_err_t ota_apply_service_image(const char *expected_md5_hex);

/* ble_service.c */
esp_err_t ble_service_init(void);
