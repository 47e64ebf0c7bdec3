// Attachments (ARCHITECTURE.md §10 "Webchat"): a visitor uploads a photo (multipart, one file) and
// reads it back with the same X-Visitor-Secret; staff read any attachment. Bytes are served with the
// type their content was checked to be, never sniffed by the browser.
import type { MultipartFile } from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { StoredFile } from '../../crm/attachments.ts';
import { InvalidInputError, NotFoundError, PayloadTooLargeError, UnauthorizedError } from '../../domain/errors.ts';
import { routeGuards } from '../auth.ts';
import type { HttpApp, HttpContext } from '../context.ts';

const VisitorId = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_.:-]+$/);
const AttachmentId = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_-]+$/);
const VisitorParams = z.object({ visitorId: VisitorId });
const VisitorFileParams = z.object({ visitorId: VisitorId, id: AttachmentId });
const FileParams = z.object({ id: AttachmentId });

const VisitorSecret = z.string().regex(/^[A-Za-z0-9_-]{16,128}$/, 'X-Visitor-Secret is 16-128 characters');

/**
 * The visitor's secret: required and well-formed; the routes then check it is the one bound to this
 * visitorId (X-Visitor-Secret, bound by the first message).
 */
function requireVisitorSecret(headers: Record<string, string | string[] | undefined>): string {
  const header = headers['x-visitor-secret'];
  if (header === undefined) throw new UnauthorizedError('X-Visitor-Secret is required');
  return VisitorSecret.parse(header);
}

async function bytesOf(file: MultipartFile): Promise<Buffer> {
  try {
    return await file.toBuffer();
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'FST_REQ_FILE_TOO_LARGE')
      throw new PayloadTooLargeError('the file is too large');
    throw error;
  }
}

/**
 * The one file of a multipart upload, within UPLOAD_MAX_MB (the widget's and the console's uploads
 * alike: 413 past it); the attachment service then checks it is an accepted image.
 */
export async function uploadedImage(
  request: FastifyRequest,
  maxBytes: number,
): Promise<{ bytes: Buffer; name: string }> {
  if (!request.isMultipart()) throw new InvalidInputError('send the image as multipart/form-data');
  const file = await request.file({ limits: { fileSize: maxBytes, files: 1 } });
  if (!file) throw new InvalidInputError('send one image');
  return { bytes: await bytesOf(file), name: file.filename };
}

function sendFile(reply: FastifyReply, { attachment, bytes }: StoredFile) {
  return reply
    .type(attachment.mime)
    .header('cache-control', 'private, max-age=3600')
    .header('x-content-type-options', 'nosniff')
    .header('content-disposition', 'inline')
    .send(bytes);
}

export function attachmentRoutes(app: HttpApp, ctx: HttpContext): void {
  const { staff } = routeGuards(ctx.services.staff, ctx.adminTokenHash);
  const { attachments } = ctx.services;

  app.post('/api/webchat/:visitorId/attachments', async (request, reply) => {
    const { visitorId } = VisitorParams.parse(request.params);
    // An upload is a write like a message: the first one with a secret binds it, later ones must match.
    await ctx.services.webchat.authorize(visitorId, requireVisitorSecret(request.headers), 'bind');
    const { bytes, name } = await uploadedImage(request, attachments.maxBytes);
    const saved = await attachments.saveImage({ channel: 'webchat', owner: visitorId, bytes, name });
    return reply.status(201).send({ id: saved.id });
  });

  app.get('/api/webchat/:visitorId/attachments/:id', async (request, reply) => {
    const { visitorId, id } = VisitorFileParams.parse(request.params);
    if (!(await ctx.services.webchat.authorize(visitorId, requireVisitorSecret(request.headers), 'read')))
      throw new NotFoundError(`attachment ${id}`);
    return sendFile(reply, await attachments.readAsSender('webchat', visitorId, id));
  });

  app.get('/api/attachments/:id', async (request, reply) => {
    const actor = await staff(request);
    return sendFile(reply, await attachments.readAsStaff(FileParams.parse(request.params).id, actor));
  });
}
