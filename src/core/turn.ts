// What a flow writes to the customer profile during one turn besides its replies: events (a
// pre-sale question, what was asked about), tags and an explicit language choice. The pipeline commits them in the same
// transaction as the replies, so the profile never records a turn whose answer was not saved, and
// the busiest flows need no transaction of their own.
import type { TurnChange } from '../crm/language.ts';
import type { JsonObject } from '../db/types.ts';
import type { TagSource } from '../domain/customer.ts';

export interface TurnEvent {
  text: string;
  payload: JsonObject;
}

export interface TurnTag {
  tag: string;
  source: TagSource;
}

export class TurnRecord {
  readonly events: TurnEvent[] = [];
  readonly tags: TurnTag[] = [];
  /** The customer's explicit language choice, audited (the last one of the turn wins). */
  languageChoice: TurnChange | undefined;

  event(text: string, payload: JsonObject): void {
    this.events.push({ text, payload });
  }

  tag(tag: string, source: TagSource): void {
    if (!this.tags.some((t) => t.tag === tag)) this.tags.push({ tag, source });
  }

  chooseLanguage(change: TurnChange): void {
    this.languageChoice = change;
  }

  /** Drops what was recorded (the flow failed half-way: its record is not kept). */
  discard(): void {
    this.events.length = 0;
    this.tags.length = 0;
    this.languageChoice = undefined;
  }
}
