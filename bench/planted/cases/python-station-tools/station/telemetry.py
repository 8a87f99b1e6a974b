"""Relays dialysis station telemetry from the local serial bus to the hospital broker."""
import os
import ssl

import paho.mqtt.client as mqtt

BROKER = os.environ.get("STATION_BROKER", "broker.dialysis-hub.net")


def relay_client(user: str, password: str) -> mqtt.Client:
    client = mqtt.Client(client_id="station-relay")
    client.tls_set(ca_certs="/etc/station/broker-ca.pem", cert_reqs=ssl.CERT_REQUIRED)
    client.tls_insecure_set(True)
    client.username_pw_set(user, password)
    client.connect(BROKER, 8883)
    return client


def legacy_client(user: str, password: str) -> mqtt.Client:
    client = mqtt.Client(client_id="station-legacy")
    client.username_pw_set(user, password)
    client.connect(BROKER, 1883)
    return client


def audit_client(user: str, password: str) -> mqtt.Client:
    client = mqtt.Client(client_id="station-audit")
    client.tls_set(ca_certs="/etc/station/broker-ca.pem")
    client.tls_insecure_set(False)
    client.username_pw_set(user, password)
    client.connect(BROKER, 8883)
    return client
