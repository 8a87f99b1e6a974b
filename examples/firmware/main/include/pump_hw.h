/*
 * InfuSafe IP-200 board support: stepper driver, pressure and air sensors.
 * Implemented in components/board_ip200 (not part of this example).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include "esp_err.h"

esp_err_t pump_hw_init(void);
void pump_hw_set_rate(uint32_t rate_centi_ml_h);
uint32_t pump_hw_line_pressure_mmhg(void);
bool pump_hw_air_in_line(void);
