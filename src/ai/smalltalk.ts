// Thanks, "ok", "在吗", 👍, bye: whole messages that are not questions. They get a short friendly
// reply instead of a catalogue search (which could only say "not sure" to them).
import { type Message, msg } from '../kernel/i18n.ts';
import { escapeKey } from './phrases.ts';

export type Smalltalk = 'thanks' | 'ack' | 'presence' | 'bye';

export const smalltalkText: Record<Smalltalk, Message> = {
  thanks: msg('不客气～还有什么可以帮你的吗？', 'You are welcome! Anything else I can help with?'),
  ack: msg('好的～还有其他问题随时问我。', 'Great, just ask if anything else comes up.'),
  presence: msg('在的～请问有什么可以帮你？', 'I am here. What can I help you with?'),
  bye: msg('好的，祝你购物愉快，再见～', 'Thanks for stopping by. Bye!'),
};

/** Thanks as typed, with the "亲" / "a lot" customers add. */
const thanks =
  '(?:谢谢|多谢|感谢|谢啦|谢了|谢谢你|谢谢亲|谢谢啦|谢谢哈|thx|thanks|thank you|thank u|ty|tks|3q)(?: (?:a lot|so much|very much))?';
/** Acknowledgements; customers chain them ("ok cool", "好嘞 收到"). */
const ack =
  '(?:ok|okay|okk|kk|k|好的|好滴|好嘞|好哒|好哦|好呀|好|好吧|嗯|嗯嗯|嗯呢|恩恩|哦|哦哦|行|行吧|收到|知道了|明白了?|了解|got it|sure|cool|great|nice|alright|perfect)';

const phrases: Array<[Smalltalk, RegExp]> = [
  ['thanks', new RegExp(`^${thanks}(?: 谢谢)?$`)],
  ['ack', new RegExp(`^${ack}(?: ?${ack}){0,2}(?: ?${thanks})?$`)],
  ['presence', /^(在吗|在不在|在嘛|在么|亲在吗|亲 在吗|are you there|you there)$/],
  ['bye', /^(再见|拜拜|bye|byebye|bye bye|see you|88)$/],
];

/** What kind of small talk a whole message is, if it is one. Emoji-only messages (👍, 🙏) are an "ok". */
export function detectSmalltalk(text: string): Smalltalk | undefined {
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  const key = escapeKey(trimmed);
  if (!key) return /\p{Extended_Pictographic}/u.test(trimmed) ? 'ack' : undefined;
  for (const [kind, pattern] of phrases) if (pattern.test(key)) return kind;
  return undefined;
}
