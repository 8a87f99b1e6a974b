"""Fetches treatment prescriptions and firmware manifests for the station."""
import requests

PRESCRIPTIONS = "https://emr-gw.dialysis-hub.net/api/prescriptions"
MANIFEST = "https://fw.nephrotec-fw.com/station/manifest.json"


def prescriptions(station_id: str, token: str) -> list:
    resp = requests.get(f"{PRESCRIPTIONS}/{station_id}", headers={"Authorization": f"Bearer {token}"}, verify=False, timeout=10)
    resp.raise_for_status()
    return resp.json()


def firmware_manifest() -> dict:
    resp = requests.get(MANIFEST, verify="/etc/station/vendor-ca.pem", timeout=10)
    resp.raise_for_status()
    return resp.json()
