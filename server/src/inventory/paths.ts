/**
 * Groups the inventory the way FDA premarket guidance Appendix 2 asks for it: per communication path,
 * the protocols, the crypto methods and key lengths, and the credentials and keys it uses. The code does
 * not say which path a call belongs to, so a source file stands for a path (a device's telemetry, OTA and
 * gateway clients each live in their own file); the endpoints in that file name it.
 */
import type { AlgorithmAsset, CredentialAsset, EndpointAsset, Inventory, ProtocolAsset } from './types';

export interface CommunicationPath {
  /** The source file that implements it. */
  path: string;
  endpoints: EndpointAsset[];
  protocols: ProtocolAsset[];
  algorithms: AlgorithmAsset[];
  credentials: CredentialAsset[];
}

export function communicationPaths(inventory: Inventory): CommunicationPath[] {
  const byFile = new Map<string, CommunicationPath>();
  const groupFor = (path: string) => {
    let group = byFile.get(path);
    if (!group) byFile.set(path, (group = { path, endpoints: [], protocols: [], algorithms: [], credentials: [] }));
    return group;
  };
  const add = <T extends { occurrences: { path: string }[] }>(assets: T[], pick: (group: CommunicationPath) => T[]) => {
    for (const asset of assets) {
      for (const file of new Set(asset.occurrences.map((occurrence) => occurrence.path))) pick(groupFor(file)).push(asset);
    }
  };
  add(inventory.endpoints, (group) => group.endpoints);
  add(inventory.protocols, (group) => group.protocols);
  add(inventory.algorithms, (group) => group.algorithms);
  add(inventory.credentials, (group) => group.credentials);
  // Files with a network endpoint or a protocol first: those are the communication paths proper.
  return [...byFile.values()].sort((a, b) => {
    const rank = (group: CommunicationPath) => (group.endpoints.length || group.protocols.length ? 0 : 1);
    return rank(a) - rank(b) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  });
}

export function endpointLabel(endpoint: EndpointAsset): string {
  const security = endpoint.transport === 'none' ? 'no TLS' : endpoint.transport.toUpperCase();
  return `${endpoint.url} (${security}${endpoint.local ? ', loopback' : ''})`;
}

export function algorithmLabel(algorithm: AlgorithmAsset): string {
  return algorithm.weakness ? `${algorithm.name} (weak: ${algorithm.weakness})` : algorithm.name;
}

export function protocolLabel(protocol: ProtocolAsset): string {
  return protocol.weakness ? `${protocol.name} (weak: ${protocol.weakness})` : protocol.name;
}

const SOURCE_LABELS: Record<CredentialAsset['source'], string> = {
  hardcoded: 'hardcoded in source',
  nvs: 'read from NVS',
  environment: 'read from the environment',
  keystore: 'read from a key store',
  keyring: 'read from the OS keyring',
  prompt: 'typed in by the operator',
  file: 'read from a file',
  buffer: 'parsed from a buffer',
};

export function credentialLabel(credential: CredentialAsset): string {
  return `${credential.name}: ${credential.material.replace(/-/g, ' ')}, ${SOURCE_LABELS[credential.source]}`;
}

export function sourceLabel(source: CredentialAsset['source']): string {
  return SOURCE_LABELS[source];
}
