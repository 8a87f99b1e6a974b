/**
 * InfuSafe fleet companion.
 *
 *   node dist/index.js                 poll wards and relay telemetry
 *   node dist/index.js digest <image>  print the release manifest for an image
 */
import { loadConfig } from './config.js';
import { FleetClient, type PumpStatus } from './fleetClient.js';
import { buildManifest, manifestToXml } from './firmwareDigest.js';
import { TelemetryRelay } from './telemetry.js';

const WARDS = (process.env.WARDS ?? 'icu-1,icu-2,oncology').split(',');
const LEGACY_PUMPS = (process.env.LEGACY_PUMPS ?? '').split(',').filter(Boolean);

async function pollOnce(fleet: FleetClient, relay: TelemetryRelay): Promise<void> {
  const statuses: PumpStatus[] = [];
  for (const ward of WARDS) {
    statuses.push(...await fleet.listPumps(ward));
  }
  for (const address of LEGACY_PUMPS) {
    try {
      statuses.push(await fleet.legacyPumpStatus(address));
    } catch (err) {
      console.warn(`legacy pump ${address} unreachable: ${(err as Error).message}`);
    }
  }
  for (const status of statuses) {
    await relay.publish(status);
    if (status.state === 'alarm' && status.alarm === 'occlusion') {
      await fleet.escalateAlarm(status, 'occlusion alarm not cleared within poll interval');
    }
  }
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === 'digest') {
    const manifest = await buildManifest(argv[1], argv[2] ?? '0.0.0');
    console.log(JSON.stringify(manifest, null, 2));
    console.log(manifestToXml(manifest));
    return;
  }
  const cfg = loadConfig();
  const fleet = new FleetClient(cfg);
  const relay = new TelemetryRelay(cfg);
  await relay.start();
  console.log(`companion started; metrics at ${cfg.metricsUrl}`);

  const timer = setInterval(() => {
    pollOnce(fleet, relay).catch((err) => console.error(`poll failed: ${err.message}`));
  }, cfg.pollIntervalMs);

  process.once('SIGTERM', () => {
    clearInterval(timer);
    relay.stop().finally(() => process.exit(0));
  });
}

main(process.argv.slice(2)).catch((err) => {
  console.error(err);
  process.exit(1);
});
