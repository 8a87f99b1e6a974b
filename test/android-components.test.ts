/** exported-component-unprotected: a component whose actions are dose or device commands is critical. */
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import exportedComponent from '../rules/exported-component-unprotected/rule';
import { checkFile } from '../server/src/core/check';

const FIXTURE = path.join(__dirname, '../rules/exported-component-unprotected/fixtures/pump-companion/AndroidManifest.xml');

describe('exported-component-unprotected severity', () => {
  it('raises an exported component with a therapy command action to critical, and only that one', async () => {
    const text = fs.readFileSync(FIXTURE, 'utf8');
    const result = await checkFile(
      { path: FIXTURE, relativePath: 'app/src/main/AndroidManifest.xml', text, language: 'android-manifest' },
      [{ rule: exportedComponent, severity: exportedComponent.meta.severity, options: {} }],
    );
    const bySeverity = result.findings.map((f) => `${f.severity} ${/`([^`]+)`/.exec(f.message)?.[1]}`);
    expect(bySeverity).toEqual(['critical .PumpCommandReceiver', 'high .StatusService', 'high .PumpConnectionService']);
  });
});
