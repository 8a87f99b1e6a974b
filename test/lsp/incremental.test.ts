/**
 * Incremental checking in the language server: a document edited step by step (the document worker
 * re-parses its kept tree and rebuilds only the model pieces an edit touched) must show after every step
 * the diagnostics a fresh document with the same text shows.
 */
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import type { Diagnostic, TextDocumentContentChangeEvent } from 'vscode-languageserver-protocol/node';
import { applyStep, COMPANION_TS, COMPANION_TS_STEPS, DEVICE_C, DEVICE_C_STEPS, type Step } from '../helpers/edit-scenarios';
import { useSharedSession, WEAK_HASH_ON } from './session';

const shared = useSharedSession('incremental', WEAK_HASH_ON);

async function expectSameAsFresh(name: string, languageId: string, initial: string, steps: Step[]): Promise<void> {
  const session = shared.session;
  const edited = await session.open(path.join(shared.workspace, 'edited', name), initial, languageId);
  await session.diagnosticsFor(edited);
  let text = initial;
  let findings = 0;
  for (const [index, step] of steps.entries()) {
    const before = text;
    const applied = applyStep(text, step);
    text = applied.text;
    // Each edit's range is in the text left by the edits before it, as an editor sends them.
    let current = before;
    const changes: TextDocumentContentChangeEvent[] = applied.edits.map(({ at, length, replace }) => {
      const change = { range: { start: positionAt(current, at), end: positionAt(current, at + length) }, text: replace };
      current = current.slice(0, at) + replace + current.slice(at + length);
      return change;
    });
    await session.change(edited, changes);
    expect(session.text(edited)).toBe(text);
    const incremental = await session.diagnosticsFor(edited);
    const fresh = await session.open(path.join(shared.workspace, `fresh-${index}`, name), text, languageId);
    expect(withoutVersion(incremental), `after "${step.name}"`).toEqual(withoutVersion(await session.diagnosticsFor(fresh)));
    await session.close(fresh);
    findings += incremental.length;
  }
  expect(findings).toBeGreaterThan(0);
  await session.close(edited);
}

/** The document version a diagnostic carries differs by construction (one document was edited, the other opened). */
function withoutVersion(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.map((diagnostic) => ({ ...diagnostic, data: { ...(diagnostic.data as object), version: undefined } }));
}

function positionAt(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

describe('diagnostics after each edit equal those of a fresh check', () => {
  it('C firmware', async () => {
    await expectSameAsFresh('uplink.c', 'c', DEVICE_C, DEVICE_C_STEPS);
  });

  it('a TypeScript companion app', async () => {
    await expectSameAsFresh('fleet.ts', 'typescript', COMPANION_TS, COMPANION_TS_STEPS);
  });
});
