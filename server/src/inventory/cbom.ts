/**
 * The inventory as a CycloneDX 1.6 CBOM (cryptography bill of materials). The BOM, its metadata and the
 * `cryptographic-asset` components are built and serialised with @cyclonedx/cyclonedx-library; its model
 * has no `cryptoProperties` or `evidence.occurrences` yet (10.x), so those are added to the serialised
 * components by bom-ref. test/inventory.test.ts validates the result against the library's bundled
 * CycloneDX 1.6 JSON schema.
 */
import { Enums, Models, Serialize, Spec } from '@cyclonedx/cyclonedx-library';
import type { AlgorithmAsset, CredentialAsset, EndpointAsset, Inventory, InventoryAsset, Occurrence, ProtocolAsset } from './types';

export interface CbomOptions {
  toolVersion: string;
  /** Fixed for reproducible output and tests; now by default. */
  timestamp?: Date;
  /** Name of what was scanned (the root folder's name). */
  subject?: string;
}

type Json = Record<string, unknown>;

export function formatCbom(inventory: Inventory, options: CbomOptions): string {
  const bom = new Models.Bom();
  bom.metadata.timestamp = options.timestamp ?? new Date();
  bom.metadata.tools.components.add(
    new Models.Component(Enums.ComponentType.Application, 'medsec', { version: options.toolVersion, group: 'medsec' }),
  );
  if (options.subject) {
    bom.metadata.component = new Models.Component(Enums.ComponentType.Application, options.subject, {
      bomRef: 'subject',
    });
  }

  const assets: InventoryAsset[] = [...inventory.algorithms, ...inventory.protocols, ...inventory.endpoints, ...inventory.credentials];
  const extras = new Map<string, Json>();
  assets.forEach((asset, index) => {
    const bomRef = `crypto-${asset.kind}-${index + 1}`;
    const component = new Models.Component(Enums.ComponentType.CryptographicAsset, componentName(asset), { bomRef });
    for (const [name, value] of properties(asset)) component.properties.add(new Models.Property(name, value));
    bom.components.add(component);
    extras.set(bomRef, { cryptoProperties: cryptoProperties(asset), evidence: { occurrences: asset.occurrences.map(occurrenceJson) } });
  });

  const serializer = new Serialize.JsonSerializer(new Serialize.JSON.Normalize.Factory(Spec.Spec1dot6));
  const json = JSON.parse(serializer.serialize(bom, { sortLists: false })) as Json & { components?: Json[] };
  for (const component of json.components ?? []) Object.assign(component, extras.get(component['bom-ref'] as string));
  return `${JSON.stringify(json, null, 2)}\n`;
}

function componentName(asset: InventoryAsset): string {
  switch (asset.kind) {
    case 'algorithm':
      return asset.name;
    case 'protocol':
      return asset.name;
    case 'endpoint':
      return asset.url;
    case 'credential':
      return `${asset.name} (${asset.material}, ${asset.source})`;
  }
}

function properties(asset: InventoryAsset): [string, string][] {
  const out: [string, string][] = [];
  if ('weakness' in asset && asset.weakness) out.push(['medsec:weakness', asset.weakness]);
  if (asset.kind === 'endpoint') {
    out.push(['medsec:scheme', asset.scheme], ['medsec:host', asset.host], ['medsec:transport-security', asset.transport]);
    if (asset.port) out.push(['medsec:port', asset.port]);
    if (asset.local) out.push(['medsec:loopback', 'true']);
  }
  if (asset.kind === 'credential') {
    out.push(['medsec:source', asset.source]);
    if (asset.redactedSnippet) out.push(['medsec:redacted-snippet', asset.redactedSnippet]);
    if (asset.suppressed) out.push(['medsec:suppressed', asset.suppressed]);
  }
  return out;
}

function cryptoProperties(asset: InventoryAsset): Json {
  switch (asset.kind) {
    case 'algorithm':
      return algorithmProperties(asset);
    case 'protocol':
      return protocolProperties(asset);
    case 'endpoint':
      return endpointProperties(asset);
    case 'credential':
      return credentialProperties(asset);
  }
}

function algorithmProperties(asset: AlgorithmAsset): Json {
  const parameterSetIdentifier = asset.keyBits ? String(asset.keyBits) : undefined;
  return {
    assetType: 'algorithm',
    algorithmProperties: {
      primitive: asset.primitive,
      ...(parameterSetIdentifier ? { parameterSetIdentifier } : {}),
      ...(asset.curve ? { curve: asset.curve } : {}),
      ...(asset.mode ? { mode: asset.mode } : {}),
      executionEnvironment: 'software-plain-ram',
    },
  };
}

function protocolProperties(asset: ProtocolAsset): Json {
  return {
    assetType: 'protocol',
    protocolProperties: {
      // CycloneDX has no `dtls` protocol type; DTLS is TLS over datagrams.
      type: asset.protocol === 'ssh' ? 'ssh' : 'tls',
      ...(asset.version ? { version: asset.version } : {}),
    },
  };
}

function endpointProperties(asset: EndpointAsset): Json {
  return {
    assetType: 'protocol',
    protocolProperties: { type: asset.transport === 'ssh' ? 'ssh' : asset.transport === 'none' ? 'other' : 'tls' },
  };
}

function credentialProperties(asset: CredentialAsset): Json {
  // The value is never included: only its kind and where it lives.
  return { assetType: 'related-crypto-material', relatedCryptoMaterialProperties: { type: asset.material } };
}

function occurrenceJson(occurrence: Occurrence): Json {
  return {
    location: occurrence.path,
    line: occurrence.line,
    symbol: occurrence.symbol,
    ...(occurrence.function ? { additionalContext: `in ${occurrence.function}()` } : {}),
  };
}
