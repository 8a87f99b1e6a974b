/**
 * The hover's content: compact and complementary to VS Code's own diagnostic hover (which shows the message):
 * title and severity, the mapping with titles, one line of why, fix safety and the docs link; several
 * findings on one spot give one hover.
 */
import { describe, expect, it } from 'vitest';
import { firstSentence, hoverMarkdown } from '../../server/src/lsp/hover';
import type { Finding, Rule } from '../../server/src/core/types';
import { builtinRegistry } from '../helpers/registry';

const rulesById = new Map<string, Rule>(builtinRegistry.rules.map((rule) => [rule.meta.id, rule]));
const docsLink = (ruleId: string) => `command:medsec.showRuleDocs?${encodeURIComponent(JSON.stringify([ruleId]))}`;

function finding(ruleId: string, message: string): Finding {
  const rule = rulesById.get(ruleId)!;
  const position = { line: 3, column: 4 };
  return {
    ruleId,
    message,
    severity: rule.meta.severity,
    confidence: 'high',
    path: 'fw/ota.c',
    language: 'c',
    span: { start: 10, end: 20 },
    range: { start: position, end: position },
    snippet: '',
    fixes: [],
  };
}

describe('hover', () => {
  it('leads with the title and severity, then the mapping with titles, why, fix safety and the docs link', () => {
    const message = 'esp_ota_end() installs the image without verifying its signature.';
    const { value } = hoverMarkdown([finding('unsigned-firmware-update', message)], rulesById, docsLink);
    const lines = value.split('\n').filter((line) => line.trim() !== '');
    expect(lines[0]).toBe('**Firmware or app update installed or run without signature verification**  ');
    expect(lines[1]).toBe('critical · `unsigned-firmware-update`');
    expect(lines[2]).toMatch(
      /^\*\*CWE\*\* \[CWE-494\]\(https:\/\/cwe\.mitre\.org\/data\/definitions\/494\.html\) Download of Code Without Integrity Check; /,
    );
    expect(lines[3]).toMatch(/^\*\*FDA App\. 1\*\* `app1\.D\.2` Authenticate firmware and software, including signed version numbers; /);
    expect(lines[4]).toMatch(/^\*\*524B\*\* `524b\.b2` Processes giving reasonable assurance of cybersecurity; `524b\.b2a` /);
    expect(lines[5]).toMatch(/^\*\*IEC 62443\*\* EDR 3\.10 RE\(1\) Update authenticity and integrity/);
    expect(lines[6]).toMatch(/^\*Why it matters:\* [^\n]+\.$/);
    expect(lines[7]).toBe(`*Fix:* by hand; the documentation says how · [Documentation](${docsLink('unsigned-firmware-update')})`);
    expect(lines).toHaveLength(8);
    // VS Code shows the message above the hover already.
    expect(value).not.toContain('esp_ota_end');
  });

  it('merges several findings on one spot into one hover, one block per rule', () => {
    const { value } = hoverMarkdown(
      [finding('hardcoded-credential', 'first'), finding('hardcoded-credential', 'second'), finding('cleartext-protocol', 'third')],
      rulesById,
      docsLink,
    );
    expect(value.split('\n---\n')).toHaveLength(2);
    expect(value.match(/`hardcoded-credential`/g)).toHaveLength(1);
    expect(value).toContain('`cleartext-protocol`');
    expect(value).toContain('*Fix:* suggested in the light bulb');
  });

  it('keeps one sentence of why it matters', () => {
    expect(firstSentence('A credential in the source is the same\nin every unit. One extraction gives access.')).toBe(
      'A credential in the source is the same in every unit.',
    );
    expect(firstSentence('Short e.g. this one')).toBe('Short e.g. this one');
  });
});
