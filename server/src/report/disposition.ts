/** A finding's disposition in the evidence report: the assessment the guidance asks for, or its absence. */
import { expiryNote } from '../core/suppressions';
import type { Finding, SuppressionAssessment } from '../core/types';

export type Disposition =
  | { status: 'open' }
  | ({ status: 'suppressed'; expired: boolean } & SuppressionAssessment)
  | { status: 'baselined' }
  /** The suppression's date has passed: the finding counts again. */
  | ({ status: 'expired-suppression'; until: string } & SuppressionAssessment);

export type SuppressedDisposition = Extract<Disposition, { justification: string }>;

export function isSuppressionOf(disposition: Disposition): disposition is SuppressedDisposition {
  return disposition.status === 'suppressed' || disposition.status === 'expired-suppression';
}

function isPast(until: string | undefined, date: Date): boolean {
  if (!until) return false;
  const end = Date.parse(`${until}T23:59:59.999Z`);
  return !Number.isNaN(end) && date.getTime() > end;
}

/** The finding's disposition on `date`, and its message without the engine's note on an expired suppression. */
export function dispositionOf(finding: Finding, date: Date): { disposition: Disposition; message: string } {
  const suppression = finding.suppression;
  if (suppression) {
    return { message: finding.message, disposition: { status: 'suppressed', ...suppression, expired: isPast(suppression.until, date) } };
  }
  const expired = finding.expiredSuppression;
  if (expired) {
    const note = expiryNote(expired.until, expired.justification, expired.origin);
    return { message: finding.message.replace(note, ''), disposition: { status: 'expired-suppression', ...expired } };
  }
  if (finding.baselineState === 'unchanged') return { message: finding.message, disposition: { status: 'baselined' } };
  return { message: finding.message, disposition: { status: 'open' } };
}

export function dispositionLabel(disposition: Disposition): string {
  switch (disposition.status) {
    case 'open':
      return 'Open';
    case 'baselined':
      return 'Baselined (accepted earlier)';
    case 'suppressed':
      return disposition.expired ? 'Suppressed (expired)' : 'Suppressed';
    case 'expired-suppression':
      return `Open: suppression expired ${disposition.until}`;
  }
}

/** Where the suppression is written: a comment next to the finding, or an entry of `.medsec.json`. */
export function suppressedBy(disposition: SuppressedDisposition): string {
  return disposition.source === 'config' ? (disposition.origin ?? '.medsec.json') : 'comment in the code';
}
