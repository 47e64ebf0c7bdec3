// Every pre-sale question lands in the profile: an Interaction event with the matched products, and an
// `interest:<sku>` tag, so a segment can target "asked about X but did not buy". The same log tells the
// bot which product "这件" refers to in the next question.
import { interestTag, type TagSource } from '../domain/customer.ts';
import { PresaleQuestion } from '../domain/profile-events.ts';
import type { ServiceDeps } from './context.ts';

export interface QuestionLog {
  text: string;
  productIds: number[];
  skus: string[];
  faqIds: number[];
  confidence: number;
  answered: boolean;
  /** 'question' for a typed question, 'select' when the customer picked a product card. */
  via?: 'question' | 'select';
  /** What the question was understood to ask: price, stock, size, color, spec, product, faq:<category>. */
  asked?: string[];
}

/** Where the question lands: the turn's profile record, committed with the replies (core's TurnRecord). */
export interface ProfileRecord {
  event(text: string, payload: PresaleQuestion): void;
  tag(tag: string, source: TagSource): void;
}

/** What the product lookup reads of a logged question (older rows may lack the later fields). */
const AskedAbout = PresaleQuestion.pick({ type: true, skus: true });

/** How far back "这件" may point. */
const CONTEXT_LOOKBACK = 30;

export class InterestService {
  constructor(private readonly deps: ServiceDeps) {}

  /** Adds the question to this turn's profile record: one event, and an interest tag per product. */
  note(turn: ProfileRecord, entry: QuestionLog): void {
    const event: PresaleQuestion = {
      type: 'presale.question',
      via: entry.via ?? 'question',
      productIds: entry.productIds,
      skus: entry.skus,
      faqIds: entry.faqIds,
      confidence: Math.round(entry.confidence * 100) / 100,
      answered: entry.answered,
      ...(entry.asked ? { asked: entry.asked } : {}),
    };
    turn.event(entry.text.slice(0, 500), event);
    for (const sku of entry.skus) turn.tag(interestTag(sku), 'interest');
  }

  /** The product of the customer's latest question that named exactly one product. */
  async lastProductSku(customerId: number): Promise<string | undefined> {
    const recent = await this.deps.store.repos.interactions.forCustomer(customerId, CONTEXT_LOOKBACK);
    for (const row of recent) {
      const payload = AskedAbout.safeParse(row.payload);
      if (payload.success && payload.data.skus.length > 0) return payload.data.skus[0];
    }
    return undefined;
  }
}
