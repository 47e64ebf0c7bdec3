// CSV import through its HTTP routes (the console's path) and the `guanxi import` command: files as
// shop owners save them (UTF-8, UTF-8 with BOM, GBK from Excel on Chinese Windows), a preview that
// writes nothing, strict column counts, plain dates, and errors that name the row and the column.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, createTestApp, type TestApp } from '../helpers/app.ts';
import { describeEachProvider } from '../helpers/databases.ts';
import { encodeGbk } from '../helpers/gbk.ts';
import { addStaff, loginAs } from '../helpers/staff.ts';

interface Report {
  kind: string;
  encoding: string;
  dryRun: boolean;
  records: number;
  valid: number;
  imported: number;
  failed: Array<{ rows: number[]; key: string; column?: string; problem: string; error: string }>;
  ignoredColumns: string[];
}

describeEachProvider('CSV import', (provider) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp({ provider });
  });
  afterEach(async () => {
    await t.close();
  });

  const upload = async (url: string, file: string | Uint8Array, token = ADMIN_TOKEN) => {
    const response = await t.app.http.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
      payload: typeof file === 'string' ? Buffer.from(file, 'utf8') : Buffer.from(file),
    });
    return { status: response.statusCode, body: response.json() };
  };
  const report = (body: unknown) => body as Report;

  it('imports products, FAQs and orders: valid records land, invalid ones are listed, orders all-or-nothing', async () => {
    const products = [
      'sku,name,nameEn,price,stock,category,attributes,returnable',
      'CSV-1,亚麻衬衫,Linen shirt,189.00,12,上衣,尺码=S|M|L;颜色=米白,true',
      'CSV-2,真丝眼罩,Silk eye mask,59.9,0,配饰,,否',
      'bad sku!,坏数据,,abc,1,,,',
    ].join('\n');
    const first = await upload('/api/imports/products', products);
    expect(first.status).toBe(200);
    expect(report(first.body)).toMatchObject({ imported: 2, valid: 2, records: 3, dryRun: false });
    expect(report(first.body).failed).toEqual([expect.objectContaining({ rows: [3], key: 'bad sku!', column: 'sku' })]);
    expect((await t.say('csv-1', '亚麻衬衫有L码吗')).text).toContain('亚麻衬衫 有 L 码');
    expect((await t.app.services.knowledge.product('CSV-2'))?.price).toBe(5990);

    const faqs = [
      'question,answer,keywords',
      '可以送礼包装吗？,可以，下单备注“礼盒”即可。,礼盒|包装|gift wrap',
      ',没有问题,',
    ].join('\n');
    const faqReport = report((await upload('/api/imports/faqs', faqs)).body);
    expect(faqReport.imported).toBe(1);
    expect(faqReport.failed).toEqual([expect.objectContaining({ rows: [2], column: 'question' })]);
    expect((await t.say('csv-2', '能送礼包装吗')).text).toContain('礼盒');

    const orders = [
      'orderNo,channel,externalId,name,status,carrier,trackingNo,sku,itemName,qty,price',
      'CSV-0001,webchat,csv-buyer,张三,shipped,顺丰,SF999,CSV-1,亚麻衬衫,1,189',
      'CSV-0001,webchat,csv-buyer,张三,shipped,顺丰,SF999,CSV-2,真丝眼罩,2,59.9',
      'CSV-0002,webchat,csv-buyer,张三,paid,,,CSV-1,亚麻衬衫,0,189',
      'CSV-0002,webchat,csv-buyer,张三,paid,,,CSV-2,真丝眼罩,1,59.9',
      'CSV-0003,fax,csv-buyer,张三,paid,,,CSV-2,真丝眼罩,1,59.9',
    ].join('\n');
    const orderReport = report((await upload('/api/imports/orders', orders)).body);
    expect(orderReport.imported).toBe(1);
    expect(orderReport.failed.map((f) => [f.key, f.rows, f.column])).toEqual([
      ['CSV-0002', [3, 4], 'qty'],
      ['CSV-0003', [5], 'channel'],
    ]);
    expect((await t.admin('GET', '/api/orders/CSV-0001')).body).toMatchObject({
      total: 18900 + 11980,
      status: 'shipped',
    });
    expect((await t.admin('GET', '/api/orders/CSV-0002')).status).toBe(404);
    expect((await t.say('csv-buyer', '订单CSV-0001到哪了')).text).toContain('SF999');
  });

  it('reads a GBK file from Excel as Chinese, and a UTF-8 file with a BOM', async () => {
    const file = encodeGbk('sku,name,price,category\nGBK-1,亚麻衬衫,99,上衣\n');
    const preview = report((await upload('/api/imports/products/preview', file)).body);
    expect(preview).toMatchObject({ encoding: 'gb18030', valid: 1, failed: [] });
    expect(report((await upload('/api/imports/products', file)).body).imported).toBe(1);
    expect((await t.app.services.knowledge.product('GBK-1'))?.name).toBe('亚麻衬衫');

    const bom = Uint8Array.from([0xef, 0xbb, 0xbf, ...Buffer.from('sku,name,price\nBOM-1,真丝眼罩,59\n', 'utf8')]);
    const bomReport = report((await upload('/api/imports/products', bom)).body);
    expect(bomReport).toMatchObject({ encoding: 'utf-8-bom', imported: 1 });
    expect((await t.app.services.knowledge.product('BOM-1'))?.name).toBe('真丝眼罩');
  });

  it('previews without writing anything; the import then writes what the preview promised', async () => {
    const file = 'sku,name,price,colour\nPRE-1,帆布包,39,红\nPRE-2,帆布包,not-a-price,蓝\n';
    const preview = report((await upload('/api/imports/products/preview', file)).body);
    expect(preview).toMatchObject({ dryRun: true, records: 2, valid: 1, imported: 0, ignoredColumns: ['colour'] });
    expect(preview.failed).toEqual([
      {
        rows: [2],
        key: 'PRE-2',
        column: 'price',
        problem: 'amount',
        error: 'expected an amount in yuan such as 79 or 79.90',
      },
    ]);
    expect(await t.app.services.knowledge.product('PRE-1')).toBeFalsy();
    const applied = report((await upload('/api/imports/products', file)).body);
    expect(applied).toMatchObject({ dryRun: false, valid: 1, imported: 1 });
    expect((await t.app.services.knowledge.product('PRE-1'))?.price).toBe(3900);
  });

  it('rejects a row with more or fewer fields than the header instead of shifting its columns', async () => {
    const file = 'sku,name,price,stock\nROW-1,帆布包,39,5\nROW-2,帆布包,大号,39,5\nROW-3,帆布包\n';
    const result = report((await upload('/api/imports/products', file)).body);
    expect(result.imported).toBe(1);
    expect(result.failed).toEqual([
      { rows: [2], key: '', problem: 'field_count', error: 'expected 4 fields as in the header, found 5' },
      { rows: [3], key: '', problem: 'field_count', error: 'expected 4 fields as in the header, found 2' },
    ]);
    expect(await t.app.services.knowledge.product('ROW-2')).toBeFalsy();
  });

  it('accepts plain dates and times on the shop clock, and names the column of a bad one', async () => {
    const file = [
      'orderNo,channel,externalId,status,placedAt,expectedDeliveryAt,sku,price',
      'D-1,webchat,date-buyer,paid,2026-11-29,2026/12/02 18:30,SKU-1,10',
      'D-2,webchat,date-buyer,paid,2026-11-29T10:00:00+08:00,,SKU-1,10',
      'D-3,webchat,date-buyer,paid,29.11.2026,,SKU-1,10',
      'D-4,webchat,date-buyer,paid,2026-02-30,,SKU-1,10',
    ].join('\n');
    const result = report((await upload('/api/imports/orders', file)).body);
    expect(result.imported).toBe(2);
    expect(result.failed.map((f) => [f.key, f.column, f.problem])).toEqual([
      ['D-3', 'placedAt', 'date'],
      ['D-4', 'placedAt', 'date'],
    ]);
    const order = (await t.admin('GET', '/api/orders/D-1')).body as { placedAt: string; expectedDeliveryAt: string };
    // Midnight and 18:30 in Asia/Shanghai (the default SHOP_TIMEZONE).
    expect(new Date(order.placedAt).toISOString()).toBe('2026-11-28T16:00:00.000Z');
    expect(new Date(order.expectedDeliveryAt).toISOString()).toBe('2026-12-02T10:30:00.000Z');
  });

  it('answers 400 with a message for a file it cannot use, and writes nothing', async () => {
    const missing = await upload('/api/imports/products', 'sku,name\nX-1,帆布包\n');
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({
      error: { code: 'invalid_request', message: expect.stringContaining('price') },
    });
    const broken = await upload('/api/imports/faqs', 'question,answer\n"unterminated,quote\n');
    expect(broken.status).toBe(400);
    const empty = await t.app.http.inject({
      method: 'POST',
      url: '/api/imports/products',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'text/csv' },
      payload: '',
    });
    expect(empty.statusCode).toBe(400);
    expect((await upload('/api/imports/coupons', 'a,b\n1,2\n')).status).toBe(400);
    expect(await t.app.services.knowledge.product('X-1')).toBeFalsy();
  });

  it('is for admins only', async () => {
    await addStaff(t, 'agnes');
    const agnes = await loginAs(t, 'agnes');
    expect((await agnes('POST', '/api/imports/products/preview', {})).status).toBe(403);
    expect((await upload('/api/imports/products', 'sku,name,price\nA-1,帆布包,1\n', 'wrong-token')).status).toBe(401);
    expect(await t.app.services.knowledge.product('A-1')).toBeFalsy();
  });
});

describe('CSV import on the command line', () => {
  it('reports a missing file in one line, without a stack trace', async () => {
    const { spawnSync } = await import('node:child_process');
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'src/cli.ts', 'import', 'products', 'test/.tmp/no-such-file.csv'],
      {
        encoding: 'utf8',
        env: { ...process.env, DATABASE_URL: 'file:./test/.tmp/cli-import.db', LOG_LEVEL: 'silent' },
      },
    );
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe('cannot read test/.tmp/no-such-file.csv: no such file');
  });
});
