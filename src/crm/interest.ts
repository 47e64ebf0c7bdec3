// Every pre-sale question lands in the profile: an Interaction event with the matched products, and an
// `interest:<sku>` tag, so a segment can target "asked about X but did not buy". The same log tells the
// bot which product "这件" refers to in the next question.
import { z } from 'zod';
import type { JsonObject } from '../db/types.ts';
import type { ServiceDeps } from './context.ts';

export const INTEREST_EVENT = 'presale.question';

const InterestPayload = z.object({ type: z.literal(INTEREST_EVENT), skus: z.array(z.string()) });

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
  event(text: string, payload: JsonObject): void;
  tag(tag: string, source: string): void;
}

/** How far back "这件" may point. */
const CONTEXT_LOOKBACK = 30;

export class InterestService {
  constructor(private readonly deps: ServiceDeps) {}

  /** Adds the question to this turn's profile record: one event, and an interest tag per product. */
  note(turn: ProfileRecord, entry: QuestionLog): void {
    turn.event(entry.text.slice(0, 500), {
      type: INTEREST_EVENT,
      via: entry.via ?? 'question',
      productIds: entry.productIds,
      skus: entry.skus,
      faqIds: entry.faqIds,
      confidence: Math.round(entry.confidence * 100) / 100,
      answered: entry.answered,
      ...(entry.asked ? { asked: entry.asked } : {}),
    });
    for (const sku of entry.skus) turn.tag(`interest:${sku}`, 'interest');
  }

  /** The product of the customer's latest question that named exactly one product. */
  async lastProductSku(customerId: number): Promise<string | undefined> {
    const recent = await this.deps.store.repos.interactions.forCustomer(customerId, CONTEXT_LOOKBACK);
    for (const row of recent) {
      const payload = InterestPayload.safeParse(row.payload);
      if (payload.success && payload.data.skus.length > 0) return payload.data.skus[0];
    }
    return undefined;
  }
}
