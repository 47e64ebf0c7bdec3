// The customer's language: which one to answer each message in, the stored preference that follows
// consistent use, and the explicit English / 中文 switch. The rules are in src/ai/language.ts; this
// service reads the preference and decides its change; the pipeline writes the change with the turn's
// replies (one transaction, src/db/pipeline-store.ts), so most turns write nothing and none pays an
// extra write for it.
import { answerLocale, detectLanguage, nextPreference, preferenceOf } from '../ai/language.ts';
import type { LanguageWrite } from '../db/pipeline-store.ts';
import type { NewAuditEntry } from '../db/repositories/audit.ts';
import type { Customer } from '../db/types.ts';
import type { Actor } from '../domain/audit.ts';
import type { Locale } from '../kernel/i18n.ts';
import { auditEntry } from './audit.ts';
import type { ServiceDeps } from './context.ts';

export interface LanguageInput {
  text: string;
  /**
   * The data of a pressed button. Its label (the text) shows the language of the reply it came with,
   * but it is not the customer's writing; a press without a label (text = data) says nothing.
   */
  action?: string;
}

/** A change to the customer a flow makes during a turn, written with the turn's replies. */
export interface TurnChange {
  language: LanguageWrite;
  audit: NewAuditEntry;
}

export interface MessageLanguage {
  /** The language to answer this message in. */
  locale: Locale;
  /** The customer's use of a language changed their stored preference: written with the turn's replies. */
  write?: LanguageWrite;
}

export class LanguageService {
  constructor(private readonly deps: ServiceDeps) {}

  /** The language to answer this message in, and the change to the customer's preference it makes. */
  forMessage(customer: Customer, message: LanguageInput): MessageLanguage {
    const shop = this.deps.config.shop.locale;
    const pressed = message.action !== undefined;
    const detected = pressed && message.text.trim() === message.action ? undefined : detectLanguage(message.text);
    const preference = preferenceOf(customer);
    const next = pressed ? undefined : nextPreference(detected, preference, shop);
    const locale = answerLocale(detected, next ?? preference, shop);
    if (!next) return { locale };
    const from = {
      locale: customer.locale,
      localeSource: customer.localeSource,
      languageStreak: customer.languageStreak,
    };
    const to = { locale: next.locale, localeSource: next.source, languageStreak: next.streak };
    return { locale, write: { customerId: customer.id, from, to } };
  }

  /**
   * The explicit switch ("English", "中文"): wins over consistent use until the customer switches
   * again. Returned for the turn (core/turn.ts): the pipeline writes it, audited, with the reply.
   */
  choose(customerId: number, locale: Locale, actor: Actor): TurnChange {
    return {
      language: { customerId, from: null, to: { locale, localeSource: 'switch', languageStreak: 0 } },
      audit: auditEntry(this.deps.clock.now(), {
        actor,
        action: 'customer.update',
        entity: 'customer',
        entityId: customerId,
        details: { fields: ['locale'] },
      }),
    };
  }
}
