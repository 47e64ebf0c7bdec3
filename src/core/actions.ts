// Flow actions: what a button (or a deep link) asks its flow to do, declared once per flow as zod
// schemas and carried on the wire as compact strings. Buttons are built from the declaration, so a
// button can only carry a payload its flow accepts, and the flow receives the payload typed.
//
// Wire format (the one buttons always had, so buttons already queued or shown in old chats still work):
// - button data `<flow>` starts the flow; `<flow>:<kind>[:<field>…]` carries an action — short enough
//   for Telegram's 64-byte callback data in the common case (the Telegram adapter keeps longer data
//   server-side). One action of a flow may be "bare", written without its kind
//   (`survey:<responseId>:<questionId>:<value>`, `orders:<orderNo>`): data built by crm services.
// - a deep link `/start <flow>_<kind>-<field>…` (Telegram allows only A-Z a-z 0-9 _ - there).
// The last field takes the rest of the string, so only the last field may contain the separator.
import { z } from 'zod';
import type { Button } from '../domain/messages.ts';

/** A field travels as a string: `z.string()`, `z.enum([…])`, or a codec from a string such as `wireInt`. */
export type WireField = z.ZodType<unknown, string>;
/** The fields of one action, in wire order (`kind` is the action's name). */
export type ActionFields = { [field: string]: WireField } & { kind?: never };

/** The schema of one action, as `action()` makes it. */
export type ActionSchema = z.ZodObject<{ kind: z.ZodLiteral<string> } & { [field: string]: WireField }, z.core.$strict>;
/** The action schemas of one flow (none for a flow whose buttons only start it). */
export type ActionSchemas = readonly ActionSchema[];

/** An action a flow accepts from its buttons: its name (`kind`) and its fields. */
export function action<const K extends string>(kind: K): z.ZodObject<{ kind: z.ZodLiteral<K> }, z.core.$strict>;
export function action<const K extends string, const F extends ActionFields>(
  kind: K,
  fields: F,
): z.ZodObject<{ kind: z.ZodLiteral<K> } & F, z.core.$strict>;
export function action(kind: string, fields: ActionFields = {}) {
  return z.strictObject({ ...fields, kind: z.literal(kind) });
}

/** A non-negative integer field (ids, indexes): digits on the wire, a number in the flow. */
export const wireInt = z.codec(z.string().regex(/^\d{1,15}$/), z.number().int().nonnegative(), {
  decode: (text) => Number(text),
  encode: (value) => String(value),
});

export type PayloadFormat = 'button' | 'deeplink';

/** A decoded action seen from outside its flow (`{ kind, …fields }`): for routing tests and logs. */
export type ActionView = object;

export interface FlowActions<O extends ActionSchemas> {
  /** The flow these actions belong to. */
  readonly flow: string;
  /** A button of this flow: without an action it starts the flow, with one it carries it. */
  button(label: string, action?: Action<O>): Button;
  /** The button data for `action`: `<flow>` or `<flow>:<payload>`. */
  data(action?: Action<O>): string;
  /** The payload of a Telegram deep link (`/start <payload>`) that starts the flow with `action`. */
  deepLink(action?: Action<O>): string;
  /** Reads the payload of `<flow>:<payload>` or of a deep link; undefined when it is not an action of this flow. */
  read(payload: string, format: PayloadFormat): Action<O> | undefined;
}

/** The typed action of a flow's action declaration: `ActionOf<typeof actions>`. */
export type ActionOf<T> = T extends FlowActions<infer O> ? Action<O> : never;
/** The typed action of a list of action schemas. */
export type Action<O extends ActionSchemas> = z.output<z.ZodDiscriminatedUnion<O, 'kind'>>;

const separators: Record<PayloadFormat, string> = { button: ':', deeplink: '-' };
const deepLinkSafe = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Declares the actions of `flow`. `bare` names the action written without its kind: it is read
 * when the payload does not start with the name of another action.
 */
export function defineActions<const O extends readonly [ActionSchema, ...ActionSchema[]]>(
  flow: string,
  options: O,
  settings: { bare?: O[number]['shape']['kind']['value'] } = {},
): FlowActions<O> {
  const union = z.discriminatedUnion('kind', options);
  const fieldsOf = new Map(
    options.map((option) => [option.shape.kind.value, Object.keys(option.shape).filter((key) => key !== 'kind')]),
  );

  const decode = (kind: string, rest: string | undefined, separator: string): Action<O> | undefined => {
    const fields = fieldsOf.get(kind);
    if (!fields) return undefined;
    const values = rest === undefined ? [] : splitFields(rest, separator, fields.length);
    if (values.length !== fields.length) return undefined;
    const parsed = union.safeParse({ kind, ...Object.fromEntries(fields.map((field, i) => [field, values[i]])) });
    return parsed.success ? parsed.data : undefined;
  };

  // Button data by action: the same buttons (the menu, a product's options) are built on most
  // messages, and encoding validates through zod. Only actions of plain strings and finite numbers are
  // remembered, keyed by their JSON (one text per action); an invalid action throws and is not kept.
  const encoded = new Map<string, string>();
  const encode = (value: Action<O> | undefined, separator: string): string | undefined => {
    if (value === undefined) return undefined;
    const plain = Object.values(value).every(
      (field) => typeof field === 'string' || (typeof field === 'number' && Number.isFinite(field)),
    );
    const key = plain ? `${separator}${JSON.stringify(value)}` : undefined;
    const known = key === undefined ? undefined : encoded.get(key);
    if (known !== undefined) return known;
    const payload = encodeAfresh(value, separator);
    if (key !== undefined) {
      if (encoded.size >= 256) encoded.clear();
      encoded.set(key, payload);
    }
    return payload;
  };

  const encodeAfresh = (value: Action<O>, separator: string): string => {
    const wire = new Map(Object.entries(union.encode(value)));
    const kind = String(wire.get('kind'));
    const fields = fieldsOf.get(kind) ?? [];
    const values = fields.map((field) => String(wire.get(field)));
    for (const [i, text] of values.slice(0, -1).entries()) {
      if (text.includes(separator)) throw new Error(`${flow}:${kind}: field ${fields[i]} contains "${separator}"`);
    }
    // The bare action omits its kind, unless its first field would then read as another action's name.
    const first = values[0]?.split(separator)[0] ?? '';
    if (kind === settings.bare && values.length > 0 && !fieldsOf.has(first)) return values.join(separator);
    return [kind, ...values].join(separator);
  };

  const data = (value?: Action<O>) => {
    const payload = encode(value, separators.button);
    return payload === undefined ? flow : `${flow}:${payload}`;
  };

  return {
    flow,
    button: (label, value) => ({ label, data: data(value) }),
    data,
    deepLink(value) {
      const payload = encode(value, separators.deeplink);
      const link = payload === undefined ? flow : `${flow}_${payload}`;
      if (!deepLinkSafe.test(link)) throw new Error(`deep link "${link}" is not one Telegram accepts`);
      return link;
    },
    read(payload, format) {
      const separator = separators[format];
      const at = payload.indexOf(separator);
      const head = at === -1 ? payload : payload.slice(0, at);
      const named = decode(head, at === -1 ? undefined : payload.slice(at + separator.length), separator);
      if (named) return named;
      return settings.bare === undefined ? undefined : decode(settings.bare, payload, separator);
    },
  };
}

/** Splits `text` into at most `count` fields at `separator`; the last field keeps the rest. */
function splitFields(text: string, separator: string, count: number): string[] {
  if (count === 0) return text === '' ? [] : [text];
  const parts: string[] = [];
  let rest = text;
  while (parts.length < count - 1) {
    const at = rest.indexOf(separator);
    if (at === -1) break;
    parts.push(rest.slice(0, at));
    rest = rest.slice(at + separator.length);
  }
  parts.push(rest);
  return parts;
}

/** Splits button data `<flow>:<payload>` into the flow's name and its payload (undefined when absent). */
export function splitButtonData(data: string): { flow: string; payload: string | undefined } {
  const at = data.indexOf(':');
  return at === -1 ? { flow: data, payload: undefined } : { flow: data.slice(0, at), payload: data.slice(at + 1) };
}
