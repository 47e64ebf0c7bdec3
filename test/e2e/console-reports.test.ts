// The loyalty and survey reports in Chromium as an admin, at desktop and phone size: points issued
// and redeemed per week, members per tier, balance bands and the top rewards, each chart drawn with
// its table beside it; CSAT/NPS per day, agent and channel with names (never ids or channel codes);
// the date range re-queries. Each state is checked for console errors, covered controls, raw values
// and serious accessibility violations; agents are refused the report APIs.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ManualClock } from '../../src/kernel/clock.ts';
import { hasChromium, pageProblems, type ViewportName } from '../helpers/browser.ts';
import { consoleUnderTest } from '../helpers/console.ts';

describe.skipIf(!hasChromium)('the loyalty and survey reports', () => {
  let agentName = '';

  const ui = consoleUnderTest(
    () => ({
      env: { SHOP_HOURS: '00:00-00:00', AUTO_ASSIGN: 'false', JOBS_ENABLED: 'false' },
      clock: new ManualClock(new Date().toISOString()),
    }),
    async (t) => {
      const customer = async (visitor: string, name: string) => {
        await t.say(visitor, '你好', { name });
        const identity = await t.app.store.repos.customers.findIdentity('webchat', visitor);
        return identity?.customerId ?? 0;
      };
      const mei = await customer('rp-mei', '林美');
      const lei = await customer('rp-lei', '韩雷');
      await customer('rp-new', '新客');
      for (const [id, amount] of [
        [mei, 800],
        [lei, 120],
      ] as const) {
        await t.admin('POST', `/api/customers/${id}/points/adjust`, { amount, reason: '活动赠送' });
      }
      const created = await t.admin('POST', '/api/rewards', {
        name: '帆布托特包',
        nameEn: 'Canvas tote bag',
        kind: 'gift',
        cost: 300,
        stock: 5,
      });
      const tote = z.object({ id: z.number() }).parse(created.body).id;
      const ask = await t.press('rp-mei', `loyalty:redeem:${tote}`);
      expect((await t.press('rp-mei', ask.replies[0]?.buttons?.[0]?.data ?? '')).text).toContain('兑换成功');

      // A resolved chat whose customer answers the satisfaction survey (4 stars) and leaves a comment.
      const agent = await t.app.store.repos.staff.byUsername('agent');
      agentName = agent?.name ?? '';
      const desk = { staffId: agent?.id ?? null, role: 'agent' as const, name: agentName, source: 'web' };
      const conversation = (await t.say('rp-lei', '人工')).conversation?.id ?? 0;
      await t.app.services.desk.take(desk, conversation);
      await t.app.services.desk.resolve(desk, conversation);
      let survey = await t.app.store.repos.surveys.byTrigger(`conversation:${conversation}:csat`);
      for (let i = 0; !survey && i < 200; i++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        survey = await t.app.store.repos.surveys.byTrigger(`conversation:${conversation}:csat`);
      }
      await t.app.jobs.surveys.runOnce(t.clock.now());
      await t.press('rp-lei', `survey:${survey?.id ?? 0}:csat:4`);
      await t.say('rp-lei', '回复很快');
    },
  );

  const drawn = (id: string) => `#${id}[data-drawn="true"]`;

  for (const viewport of ['desktop', 'phone'] as ViewportName[]) {
    it(`shows the loyalty report as charts with tables (${viewport})`, async () => {
      const { context, page, problems } = await ui.open(viewport, 'admin');
      await page.goto(`${ui.base}/console/loyalty`);
      await page.waitForSelector('#loyalty-report');
      for (const chart of [
        'loyalty-chart-weeks',
        'loyalty-chart-tiers',
        'loyalty-chart-balances',
        'loyalty-chart-rewards',
      ])
        await page.waitForSelector(drawn(chart));
      // The tables say what the API says, in words: 12 weeks up to this one, tiers by name, bands.
      const Report = z.object({
        weeks: z.array(
          z.object({ issued: z.number(), redeemed: z.number(), expired: z.number(), deducted: z.number() }),
        ),
        tiers: z.array(z.object({ members: z.number(), points: z.number() })),
        balances: z.array(z.object({ members: z.number() })),
      });
      const report = Report.parse((await ui.t.admin('GET', '/api/loyalty/report')).body);
      const thisWeek = report.weeks.at(-1);
      expect(thisWeek?.issued).toBeGreaterThanOrEqual(920);
      expect(thisWeek?.redeemed).toBe(300);
      const weeks = page.locator('#loyalty-weeks tbody tr');
      expect(await weeks.count()).toBe(12);
      expect(await weeks.last().locator('td').allTextContents()).toEqual([
        expect.stringMatching(/^\d{1,2}月\d{1,2}日起$/),
        String(thisWeek?.issued),
        '300',
        String(thisWeek?.expired),
        String(thisWeek?.deducted),
      ]);
      const tierRows = await page.locator('#loyalty-tiers tbody tr').allInnerTexts();
      expect(tierRows.map((row) => row.split(/\s+/)[0])).toEqual(['普通会员', '银卡会员', '金卡会员', '钻石会员']);
      expect(tierRows.map((row) => row.split(/\s+/).slice(1).join(' '))).toEqual(
        report.tiers.map((x) => `${x.members} ${x.points}`),
      );
      const bandRows = await page.locator('#loyalty-balances tbody tr').allInnerTexts();
      expect(bandRows.map((row) => row.split(/\s+/)[0])).toEqual([
        '0',
        '1–99',
        '100–499',
        '500–999',
        '1000–4999',
        '5000',
      ]);
      expect(bandRows.map((row) => row.split(/\s+/).at(-1))).toEqual(report.balances.map((b) => String(b.members)));
      expect(await page.locator('#loyalty-top-rewards tbody tr').allInnerTexts()).toEqual([
        expect.stringMatching(/^帆布托特包\s+1\s+300$/),
      ]);
      expect(await pageProblems(page, `loyalty-report-${viewport}`)).toEqual([]);

      // A shorter range re-queries: today alone is one week.
      const today = await page.inputValue('#loyalty-report-to');
      await page.fill('#loyalty-report-from', today);
      await expect.poll(() => page.locator('#loyalty-weeks tbody tr').count(), { timeout: 15_000 }).toBe(1);
      await page.waitForSelector(drawn('loyalty-chart-weeks'));
      expect(problems).toEqual([]);
      await context.close();
    }, 180_000);

    it(`shows survey results per day, agent and channel in words, with a table (${viewport})`, async () => {
      const { context, page, problems } = await ui.open(viewport, 'admin');
      await page.goto(`${ui.base}/console/surveys`);
      await page.waitForSelector(drawn('survey-chart'));
      await page.locator('#survey-groups tbody tr', { hasText: '100%' }).waitFor();
      expect(await page.locator('#survey-groups tbody tr').first().locator('td').first().innerText()).toMatch(
        /^\d{1,2}月\d{1,2}日$/,
      );
      expect(await pageProblems(page, `survey-report-${viewport}-day`)).toEqual([]);
      await page.selectOption('#survey-group', 'agent');
      await page.locator('#survey-groups tbody tr', { hasText: agentName }).waitFor();
      expect(await page.locator('#survey-groups tbody').innerText()).not.toMatch(/^\d+\s/m);
      await page.selectOption('#survey-group', 'channel');
      await page.locator('#survey-groups tbody tr', { hasText: '网页客服' }).waitFor();
      expect(await page.locator('#survey-groups').innerText()).not.toContain('webchat');
      await page.waitForSelector(drawn('survey-chart'));
      expect(await pageProblems(page, `survey-report-${viewport}-channel`)).toEqual([]);
      expect(problems).toEqual([]);
      await context.close();
    }, 180_000);
  }

  it('refuses the report APIs to agents', async () => {
    const { context, page } = await ui.open('desktop', 'agent');
    const token = await page.evaluate(() => sessionStorage.getItem('guanxi.console.token'));
    const statuses = await page.evaluate(
      async ([auth]) =>
        Promise.all(
          ['/api/loyalty/report', '/api/surveys/report?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z'].map(
            async (path) => (await fetch(path, { headers: { authorization: `Bearer ${auth}` } })).status,
          ),
        ),
      [token ?? ''],
    );
    expect(statuses).toEqual([403, 403]);
    await context.close();
  }, 60_000);
});
