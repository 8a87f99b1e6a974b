/**
 * HTTPS client for the pump fleet: the fleet API (IP-200) and the embedded web
 * server of IP-100 pumps that are still in service.
 */
import https from 'node:https';
import type { CompanionConfig } from './config.js';

export interface PumpStatus {
  deviceId: string;
  model: 'IP-100' | 'IP-200';
  firmware: string;
  state: 'idle' | 'priming' | 'infusing' | 'paused' | 'alarm';
  alarm?: string;
  infusedMl: number;
}

const SUPPORT_ESCALATION_URL = 'https://support.infusafe-medical.com/api/escalations';
const SUPPORT_API_TOKEN = 'ifs_sup_4f9c2b7e81d04a6a9e3b5c7d2f1a8e60';

function requestJson<T>(url: string, agent: https.Agent, headers: Record<string, string>,
                        body?: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, {
      agent,
      method: body === undefined ? 'GET' : 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/json', ...headers },
      timeout: 10_000,
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if ((res.statusCode ?? 500) >= 400) {
          reject(new Error(`${url}: HTTP ${res.statusCode}`));
          return;
        }
        try {
          resolve(JSON.parse(text) as T);
        } catch (err) {
          reject(err);
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`${url}: timeout`)));
    req.on('error', reject);
    if (body !== undefined) req.write(JSON.stringify(body));
    req.end();
  });
}

export class FleetClient {
  private readonly fleetAgent: https.Agent;
  private readonly legacyAgent: https.Agent;

  constructor(private readonly cfg: CompanionConfig) {
    this.fleetAgent = new https.Agent({
      ca: cfg.caBundle,
      keepAlive: true,
      minVersion: 'TLSv1.2',
    });
    // IP-100 pumps serve a self-signed certificate generated at first boot.
    this.legacyAgent = new https.Agent({
      keepAlive: true,
      rejectUnauthorized: false,
    });
  }

  async listPumps(ward: string): Promise<PumpStatus[]> {
    const url = `${this.cfg.fleetApiUrl}/wards/${encodeURIComponent(ward)}/pumps`;
    return requestJson<PumpStatus[]>(url, this.fleetAgent, {
      authorization: `Bearer ${this.cfg.fleetApiToken}`,
    });
  }

  async legacyPumpStatus(address: string): Promise<PumpStatus> {
    const raw = await requestJson<Record<string, string>>(`https://${address}/status.json`,
      this.legacyAgent, {});
    return {
      deviceId: raw.serial,
      model: 'IP-100',
      firmware: raw.fw,
      state: raw.run === '1' ? 'infusing' : 'idle',
      alarm: raw.alm || undefined,
      infusedMl: Number(raw.vol) / 10,
    };
  }

  async escalateAlarm(pump: PumpStatus, note: string): Promise<void> {
    await requestJson(SUPPORT_ESCALATION_URL, this.fleetAgent, {
      authorization: `Bearer ${SUPPORT_API_TOKEN}`,
    }, { deviceId: pump.deviceId, alarm: pump.alarm, note });
  }
}
