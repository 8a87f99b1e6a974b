// Build-time settings of the glucose display.
#pragma once

#define DEVICE_NAME "GlucoDisplay"
#define SETUP_AP_PASS "1234"
#define NS_HOST "mysite.herokuapp.com"
#define MQTT_HOST "broker.caregiver-relay.net"
#define MQTT_PORT 1883
#define FIRMWARE_HOST "fw.glucodisplay.io"
