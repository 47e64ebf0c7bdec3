import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { describeEachProvider } from '../helpers/databases.ts';

describeEachProvider('case resolution survey', (provider) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp({ provider });
  });
  afterEach(async () => {
    await t.close();
  });

  it('a case staff resolve gets one CSAT survey, however often it is resolved', async () => {
    await t.say('v-case', '你好');
    const customerId = (await t.app.store.repos.customers.findIdentity('webchat', 'v-case'))?.customerId ?? -1;
    const { case: opened } = await t.app.services.cases.open({ type: 'damaged', customerId, dedupeKey: 'test:case:1' });
    const first = await t.admin('PATCH', `/api/cases/${opened.caseNo}`, { status: 'resolved' });
    expect(first.status).toBe(200);
    await t.admin('PATCH', `/api/cases/${opened.caseNo}`, { status: 'in_progress' });
    await t.admin('PATCH', `/api/cases/${opened.caseNo}`, { status: 'resolved' });
    await t.app.jobs.surveys.runOnce(t.clock.now());
    await t.app.jobs.surveys.runOnce(t.clock.now());
    await t.app.sender.drainChannel('webchat');
    const rows = await t.app.store.repos.outbox.forChat('webchat', 'v-case', 0, 100);
    expect(rows.filter((r) => r.purpose === 'survey')).toHaveLength(1);
  });
});
