/**
 * Runtime configuration. Secrets come from the environment (systemd
 * EnvironmentFile in production, `.env` when run locally).
 */
import { readFileSync } from 'node:fs';

export interface CompanionConfig {
  fleetApiUrl: string;
  fleetApiToken: string;
  mqttUrl: string;
  mqttUsername: string;
  mqttPassword: string;
  caBundle: Buffer;
  metricsUrl: string;
  pollIntervalMs: number;
}

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new Error(`missing required environment variable ${name}`);
  }
  return value;
}

export function loadConfig(): CompanionConfig {
  const caPath = process.env.CA_BUNDLE ?? '/etc/infusafe/ca-bundle.pem';
  return {
    fleetApiUrl: process.env.FLEET_API_URL ?? 'https://fleet.infusafe-medical.com/api/v2',
    fleetApiToken: required('FLEET_API_TOKEN'),
    mqttUrl: process.env.MQTT_URL ?? 'mqtts://telemetry.infusafe-medical.com:8883',
    mqttUsername: required('MQTT_USERNAME'),
    mqttPassword: process.env.MQTT_PASSWORD ?? '',
    caBundle: readFileSync(caPath),
    // Prometheus scrapes the sidecar on the same host.
    metricsUrl: 'http://localhost:9464/metrics',
    pollIntervalMs: Number(process.env.POLL_INTERVAL_MS ?? 30_000),
  };
}
