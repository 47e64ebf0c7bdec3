// Complaint detection: one list of patterns, used by the complaint flow's router pre-check and by
// escalation to grade severity. Severity 3 = threatens authorities/fraud claims, 2 = explicit
// complaint or refund demand, 1 = anger without a concrete demand.
export interface ComplaintSignal {
  severity: 1 | 2 | 3;
  matched: string;
}

const severe: RegExp[] = [
  /12315/,
  /消协|消费者协会|工商局|市场监管/,
  /骗子|诈骗|欺诈|骗钱|黑店/,
  /律师|起诉|报警|曝光/,
  /\b(scam|fraud|lawyer|sue)\b/i,
];
const complaint: RegExp[] = [
  /投诉/,
  /差评/,
  /退钱|退款.*(不|没).*(到|给)|还我钱/,
  /\b(complain|complaint|refund me|money back)\b/i,
];
const anger: RegExp[] = [
  /垃圾|太差|气死|什么破|坑人|无语|恶心|离谱/,
  /[!！]{3,}/,
  /\b(terrible|awful|worst|unacceptable|ridiculous|disgusting)\b/i,
];

/** Every pattern that marks a message as a complaint (the complaint flow's triggers). */
export const complaintPatterns: RegExp[] = [...severe, ...complaint, ...anger];

export function detectComplaint(text: string): ComplaintSignal | null {
  for (const [severity, list] of [
    [3, severe],
    [2, complaint],
    [1, anger],
  ] as const) {
    for (const pattern of list) {
      const match = pattern.exec(text);
      if (match) return { severity, matched: match[0] };
    }
  }
  return null;
}
