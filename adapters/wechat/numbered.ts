// WeChat has no buttons: options are rendered as numbered lines ("回复 1 查看订单") and a plain
// number reply maps back to the option's data. The last menu per conversation is kept in the
// database (Setting rows), so a number typed after a restart still works.
import { z } from 'zod';
import type { Button } from '../../src/domain/messages.ts';
import type { AdapterPort } from '../contract.ts';

const StoredMenu = z.object({ options: z.array(z.object({ label: z.string(), data: z.string() })) });

/** One menu per private chat, and per member inside a room (each member answers their own menu). */
export function menuKey(chatId: string, memberId?: string): string {
  return memberId ? `wechat:menu:${chatId}:${memberId}` : `wechat:menu:${chatId}`;
}

export function renderOptions(text: string, buttons: Button[] | undefined): string {
  if (!buttons?.length) return text;
  return `${text}\n\n${buttons.map((b, i) => `回复 ${i + 1} ${b.label}`).join('\n')}`;
}

export async function rememberMenu(values: AdapterPort['values'], key: string, buttons: Button[]): Promise<void> {
  await values.set(key, { options: buttons.map((b) => ({ label: b.label, data: b.data })) });
}

/** The option a bare number ("1", "２", " 3 ") picks, if the conversation's last menu has it. */
export async function pickOption(
  values: AdapterPort['values'],
  key: string,
  text: string,
): Promise<Button | undefined> {
  const match = /^\s*(\d{1,2})\s*$/.exec(text.normalize('NFKC'));
  if (!match) return undefined;
  const parsed = StoredMenu.safeParse(await values.get(key));
  if (!parsed.success) return undefined;
  return parsed.data.options[Number(match[1]) - 1];
}
