/*
 * InfuSafe IP-200: pump motor and therapy state machine.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include "esp_err.h"

typedef enum {
    PUMP_STATE_IDLE = 0,
    PUMP_STATE_PRIMING,
    PUMP_STATE_INFUSING,
    PUMP_STATE_PAUSED,
    PUMP_STATE_ALARM,
} pump_state_t;

typedef enum {
    PUMP_ALARM_NONE = 0,
    PUMP_ALARM_OCCLUSION,
    PUMP_ALARM_AIR_IN_LINE,
    PUMP_ALARM_VTBI_COMPLETE,
    PUMP_ALARM_LOW_BATTERY,
} pump_alarm_t;

/* Rates are in 0.01 ml/h, volumes in 0.01 ml, to avoid floating point. */
typedef struct {
    uint32_t rate_centi_ml_h;
    uint32_t vtbi_centi_ml;
    uint16_t drug_id;
    uint16_t flags;
} pump_program_t;

typedef struct {
    pump_state_t state;
    pump_alarm_t alarm;
    uint32_t infused_centi_ml;
    uint32_t line_pressure_mmhg;
} pump_status_t;

esp_err_t pump_control_init(void);
esp_err_t pump_control_set_program(const pump_program_t *program);
esp_err_t pump_control_start(void);
void pump_control_get_status(pump_status_t *out);
bool pump_control_clinician_unlock(const char *pin, size_t pin_len);
