// Audit vocabulary: who acted (the Actor union, whose kinds are the `actorType` column), what they did
// (action names) and to which kind of record.
import { z } from 'zod';
import type { StaffRole } from './staff.ts';

/** Who performed an action. */
export type Actor =
  | { type: 'staff'; staffId: number; role: StaffRole }
  | { type: 'admin' }
  | { type: 'system' }
  | { type: 'customer'; customerId: number }
  /** Someone not known as staff: a failed login, a platform user acting in the staff group. */
  | { type: 'anonymous'; ref?: string };

export const actorKinds = [
  'staff',
  'admin',
  'system',
  'customer',
  'anonymous',
] as const satisfies readonly Actor['type'][];
export const ActorKind = z.enum(actorKinds);
export type ActorKind = z.infer<typeof ActorKind>;

/** The `actorType` / `actorId` columns of an audit entry for this actor. */
export function actorFields(actor: Actor): { actorType: ActorKind; actorId: string | null } {
  switch (actor.type) {
    case 'staff':
      return { actorType: actor.type, actorId: String(actor.staffId) };
    case 'customer':
      return { actorType: actor.type, actorId: String(actor.customerId) };
    case 'anonymous':
      return { actorType: actor.type, actorId: actor.ref ?? null };
    case 'admin':
    case 'system':
      return { actorType: actor.type, actorId: null };
  }
}

export const AuditEntityType = z.enum([
  'analytics',
  'automation',
  'campaign',
  'canned_reply',
  'case',
  'conversation',
  'customer',
  'faq',
  'ledger',
  'order',
  'product',
  'reward',
  'segment',
  'setting',
  'staff',
  'survey',
  'synonym',
  'wecom_contact_way',
]);
export type AuditEntityType = z.infer<typeof AuditEntityType>;

export const AuditAction = z.enum([
  'analytics.recompute',
  'analytics.settings',
  'automation.configure',
  'campaign.cancel',
  'campaign.create',
  'campaign.edit',
  'campaign.pause',
  'campaign.resume',
  'campaign.start',
  'canned.delete',
  'canned.upsert',
  'case.note',
  'case.open',
  'case.update',
  'consent.opt_in',
  'consent.opt_out',
  'conversation.access_denied',
  'conversation.escalate',
  'conversation.note',
  'conversation.release',
  'conversation.reopen',
  'conversation.reply',
  'conversation.requeue',
  'conversation.resolve',
  'conversation.sla_breach',
  'conversation.sla_warning',
  'conversation.take',
  'conversation.transfer',
  'customer.erase',
  'customer.export',
  'customer.merge',
  'customer.merge_undo',
  'customer.note',
  'customer.reveal',
  'customer.tag',
  'customer.untag',
  'customer.update',
  'faq.create',
  'faq.delete',
  'faq.update',
  'order.created',
  'order.updated',
  'points.adjust',
  'points.export',
  'product.activate',
  'product.deactivate',
  'product.upsert',
  'reward.codes',
  'reward.create',
  'reward.update',
  'segment.create',
  'segment.delete',
  'segment.update',
  'staff.create',
  'staff.login',
  'staff.locked',
  'staff.login_failed',
  'staff.offline',
  'staff.online',
  'staff.session_end',
  'staff.token',
  'staff.token_revoke',
  'staff.update',
  'survey.upsert',
  'synonym.delete',
  'synonym.set',
  'telegram.staff_refused',
  'webchat.settings',
  'wecom.contact_way',
  'wecom.tags_push',
]);
export type AuditAction = z.infer<typeof AuditAction>;
