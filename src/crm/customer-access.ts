// Who may see and change which customer. Admins (and the ADMIN_TOKEN) reach every customer; an agent
// reaches a customer only through a conversation waiting in the queue or assigned to them, and gets
// "not found" for the rest so ids reveal nothing. Agents read phone numbers masked (138****5678)
// unless they reveal one, which is audited. Every service that reads or changes a customer for staff
// goes through here, so the rule holds whatever route or console calls it.
import type { Repositories } from '../db/store.ts';
import type { Actor } from '../domain/audit.ts';
import { ForbiddenError, NotFoundError } from '../domain/errors.ts';
import { maskPhone } from '../kernel/privacy.ts';

/** An agent's actor (a staff account whose role is not admin). */
export function isAgent(actor: Actor): actor is Extract<Actor, { type: 'staff' }> {
  return actor.type === 'staff' && actor.role !== 'admin';
}

/** Admins and the ADMIN_TOKEN holder. */
export function isAdmin(actor: Actor): boolean {
  return actor.type === 'admin' || (actor.type === 'staff' && actor.role === 'admin');
}

/** Refuses anyone but an admin with 403 (the caller is known, the action is not theirs). */
export function requireAdminActor(actor: Actor, what: string): void {
  if (!isAdmin(actor)) throw new ForbiddenError(`${what} needs the admin role`);
}

/**
 * Throws "not found" when an agent may not reach the customer. Other actors (admins, the system,
 * the customer themself) pass: routes decide who may call them at all.
 */
export async function assertCustomerInScope(repos: Repositories, actor: Actor, customerId: number): Promise<void> {
  if (!(await customerInScope(repos, actor, customerId))) throw new NotFoundError(`customer ${customerId}`);
}

/** Whether the actor may reach the customer (always, unless an agent without a conversation with them). */
export async function customerInScope(repos: Repositories, actor: Actor, customerId: number): Promise<boolean> {
  return !isAgent(actor) || (await repos.conversations.reachableBy(customerId, actor.staffId));
}

/** The phone number as this actor may read it: masked for agents. */
export function phoneFor(actor: Actor, phone: string | null): string | null {
  return phone !== null && isAgent(actor) ? maskPhone(phone) : phone;
}

/** A customer row with its phone as this actor may read it. */
export function customerFor<T extends { phone: string | null }>(actor: Actor, customer: T): T {
  return isAgent(actor) ? { ...customer, phone: phoneFor(actor, customer.phone) } : customer;
}
