/** Gives every finding of a scan its content fingerprint (core/fingerprint.ts), reading each file once more. */
import * as fs from 'fs';
import * as path from 'path';
import { attachFingerprints } from '../core/fingerprint';
import { decodeSource } from '../core/text';
import type { ScanResult } from '../core/types';

export function fingerprintScan(result: Pick<ScanResult, 'root' | 'files'>): void {
  for (const file of result.files) {
    if (file.findings.length === 0 || file.findings.every((finding) => finding.fingerprint)) continue;
    let text = '';
    try {
      text = decodeSource(fs.readFileSync(path.join(result.root, file.path))).text;
    } catch {
      // The file vanished since the scan: the fingerprints then rest on the snippets alone.
    }
    attachFingerprints(text, file.findings);
  }
}
