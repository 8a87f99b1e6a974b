// ESP8266 build: the same display on a D1 mini, talking to the caregiver relay with BearSSL.
#ifdef ESP8266
#include <ESP8266WiFi.h>
#include <WiFiClientSecureBearSSL.h>
#include <ESP8266HTTPClient.h>

extern const char RELAY_CA[] PROGMEM;

int postToRelay(const String &json) {
  BearSSL::WiFiClientSecure client;
  client.allowSelfSignedCerts();
  HTTPClient http;
  http.begin(client, "https://relay.caregiver-relay.net/v1/readings");
  http.addHeader("Content-Type", "application/json");
  int code = http.POST(json);
  http.end();
  return code;
}

int postToBackupRelay(const String &json) {
  BearSSL::X509List anchors(RELAY_CA);
  BearSSL::WiFiClientSecure client;
  client.setTrustAnchors(&anchors);
  HTTPClient http;
  http.begin(client, "https://backup-relay.caregiver-relay.net/v1/readings");
  int code = http.POST(json);
  http.end();
  return code;
}
#endif
