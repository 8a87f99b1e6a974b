// Bedside glucose display (ESP32): setup portal, Nightscout polling, caregiver alerts over MQTT.
#include <Arduino.h>
#include <WiFi.h>
#include <WiFiClientSecure.h>
#include <WebServer.h>
#include <HTTPClient.h>
#include <PubSubClient.h>
#include <Preferences.h>
#include "device_config.h"

extern const char NS_ROOT_CA[];

WebServer portal(80);
Preferences prefs;
WiFiClient plainClient;
PubSubClient mqtt(plainClient);
WiFiClientSecure nsClient;
WiFiClientSecure weatherClient;

String nsToken;
String mqttUser;
String mqttPass;

void startSetupPortal() {
  WiFi.mode(WIFI_AP);
  WiFi.softAP(DEVICE_NAME, SETUP_AP_PASS);
  portal.on("/", []() { portal.send(200, "text/html", "<form action=/save>wifi, nightscout url, token</form>"); });
  portal.on("/save", []() {
    prefs.putString("ns_token", portal.arg("token"));
    portal.send(200, "text/plain", "saved");
  });
  portal.begin();
}

void connectAlerts() {
  mqtt.setServer(MQTT_HOST, MQTT_PORT);
  mqtt.connect(DEVICE_NAME, mqttUser.c_str(), mqttPass.c_str());
  mqtt.publish("glucodisplay/status", "online");
}

int fetchLatestReading() {
  nsClient.setInsecure();
  HTTPClient http;
  http.begin(nsClient, String("https://") + NS_HOST + "/api/v1/entries/current.json?token=" + nsToken);
  int code = http.GET();
  int value = code == 200 ? http.getString().toInt() : -1;
  http.end();
  return value;
}

int fetchOutdoorTemperature() {
  weatherClient.setCACert(NS_ROOT_CA);
  HTTPClient http;
  http.begin(weatherClient, "https://api.weather-now.io/v1/now?city=clinic");
  int code = http.GET();
  http.end();
  return code;
}

void setup() {
  prefs.begin("display", false);
  nsToken = prefs.getString("ns_token");
  mqttUser = prefs.getString("mqtt_user");
  mqttPass = prefs.getString("mqtt_pass");
  if (nsToken.isEmpty()) startSetupPortal();
  connectAlerts();
}

void loop() {
  portal.handleClient();
  mqtt.loop();
  fetchLatestReading();
  delay(60000);
}
