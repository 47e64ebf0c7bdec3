// CSV import (admin): the file is the request body (Content-Type text/csv), sent once to preview what
// would be imported and again to import it — the console shows the preview and asks before writing.
import { z } from 'zod';
import { InvalidInputError } from '../../domain/errors.ts';
import { routeGuards } from '../auth.ts';
import type { HttpApp, HttpContext } from '../context.ts';
import { ImportKind, ImportReport } from '../schemas/back-office.ts';

const KindParams = z.object({ kind: ImportKind });

/** Spreadsheets of a few thousand orders stay well below this; the JSON API keeps its 1 MB limit. */
const CSV_LIMIT_BYTES = 10 * 1024 * 1024;

function csvBody(body: unknown): Uint8Array {
  if (body instanceof Uint8Array && body.byteLength > 0) return body;
  throw new InvalidInputError('send the CSV file as the request body with Content-Type: text/csv');
}

export function importRoutes(app: HttpApp, ctx: HttpContext): void {
  const { admin } = routeGuards(ctx.services.staff, ctx.adminTokenHash);

  app.addContentTypeParser('text/csv', { parseAs: 'buffer', bodyLimit: CSV_LIMIT_BYTES }, (_request, body, done) =>
    done(null, body),
  );

  app.post('/api/imports/:kind/preview', { bodyLimit: CSV_LIMIT_BYTES }, async (request) => {
    await admin(request);
    const { kind } = KindParams.parse(request.params);
    return ImportReport.parse(await ctx.services.imports.preview(kind, csvBody(request.body)));
  });

  app.post('/api/imports/:kind', { bodyLimit: CSV_LIMIT_BYTES }, async (request) => {
    const actor = await admin(request);
    const { kind } = KindParams.parse(request.params);
    return ImportReport.parse(await ctx.services.imports.apply(kind, csvBody(request.body), actor));
  });
}
