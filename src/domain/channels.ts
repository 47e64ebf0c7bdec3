// Channel vocabulary: the platforms a customer reaches the bot on, and the kinds of chat on them.
import { z } from 'zod';

export const channelNames = ['telegram', 'wechat', 'wecom', 'webchat'] as const;
export const ChannelName = z.enum(channelNames);
export type ChannelName = z.infer<typeof ChannelName>;

export const ChatKind = z.enum(['private', 'group']);
export type ChatKind = z.infer<typeof ChatKind>;

/** A campaign's `channels` column: the channels it may use. */
export const ChannelList = z.array(ChannelName);

/**
 * Channels whose platform accepts a message only within this long after the customer's last
 * message (WeCom 微信客服: 48 hours). A campaign delivery outside it is skipped (`window_closed`).
 */
export const replyWindowMs: Partial<Record<ChannelName, number>> = { wecom: 48 * 60 * 60 * 1000 };
