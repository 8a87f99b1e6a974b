#!/bin/sh
# Updates the station gateway: tools first, then the controller firmware.
set -eu

curl -fsSL https://install.station-tools.io/setup.sh | sh

FW_URL="http://fw.nephrotec-fw.com/station/controller-latest.bin"
curl -fsSL -o /tmp/controller.bin "$FW_URL"
station-flash --port /dev/ttyUSB0 /tmp/controller.bin

curl -fsSLO https://fw.nephrotec-fw.com/station/bootloader-2.1.bin
curl -fsSLO https://fw.nephrotec-fw.com/station/bootloader-2.1.bin.sha256
sha256sum -c bootloader-2.1.bin.sha256
