/**
 * Relays pump status to the fleet MQTT broker and pushes a live view to the
 * ward dashboards.
 */
import mqtt, { type MqttClient } from 'mqtt';
import WebSocket from 'ws';
import type { CompanionConfig } from './config.js';
import type { PumpStatus } from './fleetClient.js';

const FLEET_LIVE_FEED = 'wss://fleet.infusafe-medical.com/live/pumps';
const NURSE_STATION_FEED = 'ws://nurse-station.infusafe-medical.com:8080/pumps';

export class TelemetryRelay {
  private client?: MqttClient;
  private readonly feeds: WebSocket[] = [];

  constructor(private readonly cfg: CompanionConfig) {}

  async start(): Promise<void> {
    this.client = await mqtt.connectAsync(this.cfg.mqttUrl, {
      username: this.cfg.mqttUsername,
      password: this.cfg.mqttPassword,
      ca: this.cfg.caBundle,
      rejectUnauthorized: true,
      clientId: `companion-${process.pid}`,
      reconnectPeriod: 5_000,
    });
    this.client.on('error', (err) => console.error(`mqtt: ${err.message}`));
    for (const url of [FLEET_LIVE_FEED, NURSE_STATION_FEED]) {
      const ws = new WebSocket(url, { headers: { authorization: `Bearer ${this.cfg.fleetApiToken}` } });
      ws.on('error', (err) => console.error(`${url}: ${err.message}`));
      this.feeds.push(ws);
    }
  }

  async publish(status: PumpStatus): Promise<void> {
    if (!this.client) throw new Error('telemetry relay not started');
    const topic = `infusafe/v1/${status.deviceId}/status`;
    const payload = JSON.stringify({ ...status, relayedAt: new Date().toISOString() });
    await this.client.publishAsync(topic, payload, { qos: 1 });
    for (const ws of this.feeds) {
      if (ws.readyState === WebSocket.OPEN) ws.send(payload);
    }
  }

  async stop(): Promise<void> {
    for (const ws of this.feeds) ws.close();
    await this.client?.endAsync();
  }
}
