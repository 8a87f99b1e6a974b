/** A file's content hash, the result cache's key for its bytes (cache-key.ts). Light: the warm re-scan uses it too. */
import { createHash } from 'crypto';

export function contentHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('base64url');
}
