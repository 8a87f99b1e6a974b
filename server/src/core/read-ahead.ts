/**
 * Reads the files a scan is about to check a few at a time ahead of the checking, so the disk works while
 * the CPU does: the next `depth` reads are always under way, and at most that many files wait in memory.
 */
import * as fs from 'fs';

export type FileRead = { bytes: Uint8Array } | { error: string };

export class ReadAhead {
  private readonly reads = new Map<number, Promise<FileRead>>();
  private started = 0;

  constructor(
    private readonly paths: readonly string[],
    private readonly depth = 8,
  ) {}

  /** The contents of `paths[index]`; call with increasing indexes. */
  take(index: number): Promise<FileRead> {
    while (this.started < this.paths.length && this.started <= index + this.depth) {
      this.reads.set(this.started, readFile(this.paths[this.started]));
      this.started++;
    }
    const read = this.reads.get(index) ?? readFile(this.paths[index]);
    this.reads.delete(index);
    return read;
  }
}

export function readFile(file: string): Promise<FileRead> {
  return fs.promises.readFile(file).then(
    (bytes) => ({ bytes }),
    (error: NodeJS.ErrnoException) => ({ error: error.code ?? String(error) }),
  );
}
