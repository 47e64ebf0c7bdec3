// The analytics settings through PUT/GET /api/analytics/settings, on SQLite and PostgreSQL: an admin
// saves them (audited with the document), a bad value is a 400 that changes nothing, an agent is refused.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { describeEachProvider } from '../helpers/databases.ts';
import { addStaff, loginAs } from '../helpers/staff.ts';

describeEachProvider('analytics settings', (provider) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ provider, env: { JOBS_ENABLED: 'false' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('an admin saves them, audited; a bad value changes nothing; an agent may not', async () => {
    const before = await t.admin('GET', '/api/analytics/settings');
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ rfm: { mode: 'quintile', recencyDays: [30, 60, 120, 240] } });

    const change = { rfm: { mode: 'thresholds', recencyDays: [10, 20, 40, 80] } };
    const saved = await t.admin('PUT', '/api/analytics/settings', change);
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject(change);
    expect((await t.admin('GET', '/api/analytics/settings')).body).toMatchObject(change);
    const entries = await t.app.store.repos.audit.recent(10, 'analytics.settings');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ entityType: 'setting', entityId: 'analytics.settings', actorType: 'admin' });
    expect(entries[0]?.details).toMatchObject(change);

    const bad = await t.admin('PUT', '/api/analytics/settings', { rfm: { mode: 'by-feel' } });
    expect(bad.status).toBe(400);
    expect((await t.admin('GET', '/api/analytics/settings')).body).toMatchObject(change);

    await addStaff(t, 'ana-agent', { role: 'agent' });
    const agent = await loginAs(t, 'ana-agent');
    expect((await agent('PUT', '/api/analytics/settings', change)).status).toBe(403);
    expect(await t.app.store.repos.audit.recent(10, 'analytics.settings')).toHaveLength(1);
  });
});
