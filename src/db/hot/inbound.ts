// What both fast paths (sqlite-fast/, pg-fast/) write for an inbound message, in one place.
import type { InboundRecord } from '../pipeline-store.ts';

/**
 * The log entry of an inbound message as Interaction column values, in the order both fast paths
 * insert them: customerId, conversationId, chatId, channel, direction, kind, text, payload, staffId,
 * createdAt (`at`, in the driver's time form).
 */
export function inboundLogValues(
  record: InboundRecord,
  customerId: number,
  conversationId: number,
  chatId: number,
  at: string,
): unknown[] {
  return [
    customerId,
    conversationId,
    chatId,
    record.channel,
    'in',
    record.interaction.kind,
    record.interaction.text,
    JSON.stringify(record.interaction.payload),
    null,
    at,
  ];
}
