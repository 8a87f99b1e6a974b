// Checks the vendor site for a newer display firmware and downloads the manifest.
#include <Arduino.h>
#include <WiFiClientSecure.h>
#include "device_config.h"

String fetchFirmwareManifest() {
  WiFiClientSecure client;
  if (!client.connect(FIRMWARE_HOST, 443)) return "";
  client.print(String("GET /display/manifest.json HTTP/1.1\r\nHost: ") + FIRMWARE_HOST + "\r\nConnection: close\r\n\r\n");
  String body = client.readString();
  client.stop();
  return body;
}
