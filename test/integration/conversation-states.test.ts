// Every transition of the conversation state machine from every status: allowed ones apply,
// illegal ones are refused without changing the row.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ConversationAction, IllegalTransitionError, transitions } from '../../src/crm/conversations.ts';
import type { ConversationStatus } from '../../src/domain/conversations.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { describeEachProvider } from '../helpers/databases.ts';
import { addStaff } from '../helpers/staff.ts';

const statuses: ConversationStatus[] = ['bot', 'pending', 'open', 'resolved'];
const actions = Object.keys(transitions).filter((a): a is ConversationAction => a in transitions);

describeEachProvider('conversation state machine', (provider) => {
  let t: TestApp;
  let agentId: number;
  beforeAll(async () => {
    t = await createTestApp({ provider });
    agentId = (await addStaff(t, 'sm-agent')).id;
  });
  afterAll(async () => {
    await t.close();
  });

  it('applies every allowed transition and refuses every illegal one', async () => {
    let n = 0;
    for (const action of actions) {
      for (const status of statuses) {
        n++;
        await t.say(`sm-${n}`, '/start');
        const identity = await t.app.store.repos.customers.findIdentity('webchat', `sm-${n}`);
        const chat = await t.app.store.repos.chats.find('webchat', `sm-${n}`);
        const conversation = await t.app.store.repos.conversations.findLive(identity?.customerId ?? 0, chat?.id ?? 0);
        const id = conversation?.id ?? 0;
        await t.app.store.repos.conversations.update(id, { status });
        const allowed = transitions[action].from.includes(status);
        const attempt = t.app.services.conversations.transition(
          id,
          action,
          { type: 'staff', staffId: agentId, role: 'agent' },
          { assigneeId: agentId, reason: 'test' },
        );
        if (allowed) {
          const after = await attempt;
          expect(after.status, `${action} from ${status}`).toBe(transitions[action].to);
          const audit = await t.app.store.repos.audit.forEntity('conversation', String(id));
          expect(audit.map((a) => a.action)).toContain(`conversation.${action}`);
        } else {
          await expect(attempt, `${action} from ${status}`).rejects.toBeInstanceOf(IllegalTransitionError);
          expect((await t.app.store.repos.conversations.get(id))?.status).toBe(status);
        }
      }
    }
    expect(n).toBe(actions.length * statuses.length);
  });

  it('lets only one of two concurrent takes win', async () => {
    const second = await addStaff(t, 'sm-agent-2');
    await t.say('sm-race', '人工');
    const [conversation] = await t.app.store.repos.desk.pendingQueue(1);
    const id = conversation?.id ?? 0;
    const results = await Promise.allSettled([
      t.app.services.conversations.transition(id, 'take', { type: 'system' }, { assigneeId: agentId }),
      t.app.services.conversations.transition(id, 'take', { type: 'system' }, { assigneeId: second.id }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
  });
});
