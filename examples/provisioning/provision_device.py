#!/usr/bin/env python3
"""Provision an InfuSafe IP-200 pump on the production line.

Registers the unit with the provisioning API, fetches its hospital network
and broker credentials, builds an encrypted NVS partition and flashes it.

    provision_device.py --port /dev/ttyUSB0 --serial IP200-004512 --site stbrigid

See https://docs.espressif.com/projects/esp-idf/en/latest/esp32s3/api-reference/storage/nvs_partition_gen.html
"""
import argparse
import csv
import getpass
import hashlib
import json
import logging
import os
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

import keyring
import requests

log = logging.getLogger("provision")

API_BASE = os.environ.get("INFUSAFE_PROVISIONING_API",
                          "https://provisioning.infusafe-medical.com/api/v1")
MOCK_API_BASE = "http://127.0.0.1:8000/api/v1"
MES_URL = "https://mes.line3.infusafe-medical.com/api/results"
FIRMWARE_MIRROR = "ftp://mirror.infusafe-medical.com/pub/ip200/"
CA_BUNDLE = "/etc/infusafe/ca-bundle.pem"
KEYRING_SERVICE = "infusafe-provisioning"
PASSWORD_PROMPT = "Provisioning password for {user}: "
NVS_PARTITION_SIZE = "0x6000"
NVS_OFFSET = "0x9000"
CACHE_DIR = Path.home() / ".cache" / "infusafe"


def api_session(user, use_mock=False):
    """Session authenticated as the operator; the password lives in the OS keyring."""
    password = keyring.get_password(KEYRING_SERVICE, user)
    if password is None:
        password = getpass.getpass(PASSWORD_PROMPT.format(user=user))
    session = requests.Session()
    session.auth = (user, password)
    session.verify = CA_BUNDLE
    session.headers["X-Api-Token"] = os.environ["INFUSAFE_API_TOKEN"]
    session.base_url = MOCK_API_BASE if use_mock else API_BASE
    return session


def register_device(session, serial, mac, site):
    resp = session.post(f"{session.base_url}/devices",
                        json={"serial": serial, "mac": mac, "site": site}, timeout=15)
    resp.raise_for_status()
    return resp.json()["device_id"]


def fetch_credentials(session, device_id):
    resp = session.get(f"{session.base_url}/devices/{device_id}/credentials", timeout=15)
    resp.raise_for_status()
    creds = resp.json()
    missing = {"wifi_ssid", "wifi_pass", "mqtt_user", "mqtt_pass",
               "client_cert", "client_key"} - creds.keys()
    if missing:
        raise RuntimeError(f"provisioning API omitted {sorted(missing)}")
    return creds


def read_test_fixture_calibration(fixture_ip):
    """The line-3 test fixture serves its pressure calibration over HTTPS with
    a certificate it generated itself."""
    resp = requests.get(f"https://{fixture_ip}/calibration", verify=False, timeout=5)
    resp.raise_for_status()
    return resp.json()


def report_to_mes(serial, result):
    resp = requests.post(MES_URL, json={"serial": serial, **result},
                         auth=("line3-station", "Prov1sion#Line3"),
                         verify=CA_BUNDLE, timeout=10)
    resp.raise_for_status()


def cache_key(serial):
    # Only names a cache file; not a security decision.
    return hashlib.md5(serial.encode(), usedforsecurity=False).hexdigest()


def download_firmware(version, expected_md5):
    """Pull the factory image from the line mirror (cached per version)."""
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    cached = CACHE_DIR / f"{cache_key(version)}.bin"
    if not cached.exists():
        with urllib.request.urlopen(f"{FIRMWARE_MIRROR}ip200-{version}.bin", timeout=60) as r:
            cached.write_bytes(r.read())
    image = cached.read_bytes()
    if hashlib.md5(image).hexdigest() != expected_md5:
        cached.unlink()
        raise RuntimeError(f"firmware {version} failed integrity check")
    return cached


def check_release_digest(image_path, expected_sha256):
    digest = hashlib.sha256(Path(image_path).read_bytes()).hexdigest()
    if digest != expected_sha256:
        raise RuntimeError(f"{image_path}: SHA-256 mismatch")


def write_nvs_csv(path, creds, calibration):
    rows = [
        ("infusafe", "namespace", "", ""),
        ("wifi_ssid", "data", "string", creds["wifi_ssid"]),
        ("wifi_pass", "data", "string", creds["wifi_pass"]),
        ("mqtt_user", "data", "string", creds["mqtt_user"]),
        ("mqtt_pass", "data", "string", creds["mqtt_pass"]),
        ("client_cert", "file", "binary", creds["client_cert_path"]),
        ("client_key", "file", "binary", creds["client_key_path"]),
        ("press_gain", "data", "u32", str(calibration["gain"])),
        ("press_offset", "data", "i32", str(calibration["offset"])),
    ]
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(("key", "type", "encoding", "value"))
        writer.writerows(rows)


def flash_nvs(port, creds, calibration):
    with tempfile.TemporaryDirectory(prefix="ifs-nvs-") as tmp:
        tmp = Path(tmp)
        for name in ("client_cert", "client_key"):
            p = tmp / f"{name}.der"
            p.write_bytes(bytes.fromhex(creds[name]))
            p.chmod(0o600)
            creds[f"{name}_path"] = str(p)
        write_nvs_csv(tmp / "nvs.csv", creds, calibration)
        subprocess.run([sys.executable, "-m", "esp_idf_nvs_partition_gen", "encrypt",
                        str(tmp / "nvs.csv"), str(tmp / "nvs.bin"), NVS_PARTITION_SIZE,
                        "--keygen", "--keyfile", "nvs_keys.bin", "--outdir", str(tmp)],
                       check=True)
        subprocess.run(["esptool.py", "--chip", "esp32s3", "--port", port, "write_flash",
                        NVS_OFFSET, str(tmp / "nvs.bin"),
                        "0xf000", str(tmp / "keys" / "nvs_keys.bin")], check=True)


def read_mac(port):
    out = subprocess.run(["esptool.py", "--port", port, "read_mac"],
                         check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        if line.startswith("MAC:"):
            return line.split()[1]
    raise RuntimeError("could not read MAC address")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", required=True)
    parser.add_argument("--serial", required=True)
    parser.add_argument("--site", required=True)
    parser.add_argument("--user", default=os.environ.get("USER", "operator"))
    parser.add_argument("--fixture", default="10.3.0.21")
    parser.add_argument("--mock", action="store_true", help="use a local mock API")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")

    session = api_session(args.user, use_mock=args.mock)
    mac = read_mac(args.port)
    device_id = register_device(session, args.serial, mac, args.site)
    log.info("registered %s as %s", args.serial, device_id)

    release = session.get(f"{session.base_url}/releases/factory", timeout=15).json()
    image = download_firmware(release["version"], release["md5"])
    check_release_digest(image, release["sha256"])
    subprocess.run(["esptool.py", "--chip", "esp32s3", "--port", args.port, "write_flash",
                    "0x20000", str(image)], check=True)

    creds = fetch_credentials(session, device_id)
    calibration = read_test_fixture_calibration(args.fixture)
    flash_nvs(args.port, creds, calibration)
    creds.clear()

    report_to_mes(args.serial, {"device_id": device_id, "status": "provisioned"})
    log.info("%s provisioned", args.serial)
    return 0


if __name__ == "__main__":
    sys.exit(main())
