// Complaint detection: the phrase set lives in src/ai/phrases.ts (with hand-off and escape words);
// the complaint flow's router pre-check uses every pattern, escalation grades severity with them.
// Severity 3 = threatens authorities/fraud claims, 2 = explicit complaint or refund demand, 1 = anger
// or disappointment without a concrete demand.
import { anyOf, type ComplaintSeverity, complaintPhrases } from '../ai/phrases.ts';

export interface ComplaintSignal {
  severity: ComplaintSeverity;
  matched: string;
}

const bySeverity: ComplaintSeverity[] = [3, 2, 1];

/** Every pattern that marks a message as a complaint (the complaint flow's triggers), joined for `test`. */
export const complaintPatterns: RegExp[] = anyOf(bySeverity.flatMap((severity) => complaintPhrases[severity]));

export function detectComplaint(text: string): ComplaintSignal | null {
  for (const severity of bySeverity) {
    for (const pattern of complaintPhrases[severity]) {
      const match = pattern.exec(text);
      if (match) return { severity, matched: match[0] };
    }
  }
  return null;
}
