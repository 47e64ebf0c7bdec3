// Optional OpenAI-compatible model. It never decides facts: it rephrases retrieved sources, classifies
// intent and extracts order numbers. Every output is zod-validated; a timeout, an error or an invalid
// or ungrounded answer returns undefined and the caller keeps its deterministic result. The customer's
// words leave for the provider only with personal data masked (src/kernel/pii-mask.ts).
import OpenAI from 'openai';
import { z } from 'zod';
import type { Config } from '../config.ts';
import type { Locale } from '../kernel/i18n.ts';
import type { Logger } from '../kernel/logger.ts';
import { type KnownPersonalData, maskPersonalData } from '../kernel/pii-mask.ts';
import { draftProblem } from './draft-guard.ts';

type LlmConfig = NonNullable<Config['openai']>;

const Draft = z.object({ answer: z.string().trim().min(1).max(1500), grounded: z.boolean() });
const Classification = z.object({
  intent: z.enum(['orders', 'aftersale', 'complaint', 'presale', 'other']),
  confidence: z.number().min(0).max(1),
});
const Extraction = z.object({ orderNo: z.string().trim().max(64).nullable() });

/** A draft is grounded when every claim in it (numbers, offers, links) is in the sources; see draft-guard.ts. */
export function isGrounded(draft: string, sources: string[]): boolean {
  return draftProblem(draft, sources) === null;
}

export class LlmClient {
  private readonly client: OpenAI;

  constructor(
    private readonly config: LlmConfig,
    private readonly log: Logger,
  ) {
    this.client = new OpenAI({
      apiKey: config.apiKey,
      ...(config.baseURL ? { baseURL: config.baseURL } : {}),
      timeout: config.timeoutMs,
      maxRetries: 0,
    });
  }

  private async json<T>(schema: z.ZodType<T>, system: string, user: string, purpose: string): Promise<T | undefined> {
    try {
      const response = await this.client.chat.completions.create({
        model: this.config.model,
        temperature: 0,
        response_format: { type: 'json_object' },
        messages: [
          { role: 'system', content: system },
          { role: 'user', content: user },
        ],
      });
      const content = response.choices[0]?.message?.content;
      if (!content) return undefined;
      const parsed = schema.safeParse(JSON.parse(content));
      if (!parsed.success) {
        this.log.warn({ purpose }, 'llm output failed validation; using the deterministic path');
        return undefined;
      }
      return parsed.data;
    } catch (error) {
      this.log.warn({ purpose, err: error instanceof Error ? error.message : String(error) }, 'llm call failed');
      return undefined;
    }
  }

  /**
   * A friendlier answer written only from `sources`; undefined unless every claim in it is supported
   * by them (draft-guard.ts). `known` is the customer's profile, masked in the question.
   */
  async draft(
    question: string,
    sources: string[],
    locale: Locale,
    known: KnownPersonalData = {},
  ): Promise<string | undefined> {
    if (sources.length === 0) return undefined;
    const system = [
      'You are a shop assistant. Answer the customer ONLY from the numbered sources.',
      'Never state a price, stock level, size, date or number that is not in the sources.',
      'Never promise points, discounts, refunds, coupons or gifts, never add links, and never ask for personal data.',
      'If the sources do not answer the question, set grounded to false.',
      `Answer in ${locale === 'en' ? 'English' : 'Simplified Chinese'}, at most 4 short sentences.`,
      'Reply as JSON: {"answer": string, "grounded": boolean}.',
    ].join('\n');
    const customer = maskPersonalData(question, known);
    const user = `Sources:\n${sources.map((s, i) => `[${i + 1}] ${s}`).join('\n')}\n\nCustomer: ${customer}`;
    const draft = await this.json(Draft, system, user, 'draft');
    if (!draft?.grounded) return undefined;
    const problem = draftProblem(draft.answer, sources);
    if (problem) {
      this.log.warn({ problem }, 'llm draft makes a claim the sources do not support; using the deterministic answer');
      return undefined;
    }
    return draft.answer;
  }

  /**
   * Intent of a message the rules could not place. `complaint` is the sentiment check the complaint
   * patterns miss (a polite but clearly unhappy customer): it escalates with a complaint case.
   */
  async classify(text: string): Promise<{ intent: 'orders' | 'aftersale' | 'complaint'; confidence: number } | null> {
    const system = [
      'Classify a shop customer message. intents: orders (track or list my orders), aftersale (return, exchange,',
      'refund, missing/damaged item, invoice, case progress), complaint (the customer is angry or clearly',
      'dissatisfied with the shop, a product, delivery or service and wants it addressed), presale (product or',
      'policy question), other.',
      'Reply as JSON: {"intent": "orders"|"aftersale"|"complaint"|"presale"|"other", "confidence": number 0..1}.',
    ].join(' ');
    const result = await this.json(Classification, system, maskPersonalData(text), 'classify');
    if (!result || result.intent === 'presale' || result.intent === 'other') return null;
    return { intent: result.intent, confidence: result.confidence };
  }

  /** The order number in a message, only if it literally occurs in the message. */
  async extractOrderNo(text: string): Promise<string | undefined> {
    const system =
      'Extract the order number from the customer message. Reply as JSON: {"orderNo": string|null}. Never invent one.';
    const result = await this.json(Extraction, system, maskPersonalData(text), 'extract');
    const orderNo = result?.orderNo;
    if (!orderNo || !/^[A-Za-z0-9_-]{4,64}$/.test(orderNo)) return undefined;
    return text.toUpperCase().includes(orderNo.toUpperCase()) ? orderNo.toUpperCase() : undefined;
  }
}
