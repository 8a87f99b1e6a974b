/**
 * An error the user made in how medsec was invoked (a path that does not exist, a flag that does not
 * fit). The message is one line that says what to do; the CLI prints it and exits with code 2.
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
