// WeCom 客户联系 as the console reads it: 渠道活码, the per-source report, the tag push result, and
// the admin inputs (shared with the routes).
import { z } from 'zod';
import { ContactSource, ContactWayInput, TagPushInput } from '../../domain/wecom-contacts.ts';
import { Id, IsoDate } from './wire.ts';

export { ContactSource, ContactWayInput, TagPushInput };

export const ContactWay = z.object({
  id: Id,
  name: z.string(),
  source: ContactSource,
  state: z.string(),
  qrCode: z.string(),
  staffUserIds: z.array(z.string()),
  welcomeText: z.string().nullable(),
  createdAt: IsoDate,
});

export const ContactWaysResponse = z.object({ enabled: z.boolean(), contactWays: z.array(ContactWay) });

const Figures = { contacts: z.number().int(), firstOrders: z.number().int(), revenue: z.number().int() };

export const ContactReport = z.object({
  contactWays: z.array(z.object({ contactWayId: Id, name: z.string(), source: ContactSource, ...Figures })),
  sources: z.array(z.object({ source: ContactSource, ...Figures })),
});

export const TagPushResult = z.object({
  tags: z.array(z.string()),
  contacts: z.number().int(),
  marked: z.number().int(),
  failed: z.number().int(),
});
