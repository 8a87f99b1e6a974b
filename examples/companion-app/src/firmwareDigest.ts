/**
 * Release digests for IP-200 firmware images, and the release manifest the
 * fleet API serves to pumps.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';

export interface ReleaseManifest {
  $schema: string;
  version: string;
  file: string;
  size: number;
  sha256: string;
  /** Required by IP-100 service tools, which only understand MD5. */
  md5: string;
}

const MANIFEST_SCHEMA = 'http://json-schema.org/draft-07/schema#';
const XSI_NAMESPACE = 'http://www.w3.org/2001/XMLSchema-instance';

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
  }
  return hash.digest('hex');
}

function legacyChecksum(image: Buffer): string {
  return createHash('md5').update(image).digest('hex');
}

export async function buildManifest(imagePath: string, version: string): Promise<ReleaseManifest> {
  const [image, info] = await Promise.all([readFile(imagePath), stat(imagePath)]);
  return {
    $schema: MANIFEST_SCHEMA,
    version,
    file: basename(imagePath),
    size: info.size,
    sha256: await sha256File(imagePath),
    md5: legacyChecksum(image),
  };
}

/** The hospital asset-management system imports releases as XML. */
export function manifestToXml(m: ReleaseManifest): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<release xmlns:xsi="${XSI_NAMESPACE}" model="IP-200" version="${m.version}">`,
    `  <file size="${m.size}">${m.file}</file>`,
    `  <digest algorithm="SHA-256">${m.sha256}</digest>`,
    '</release>',
  ].join('\n');
}
