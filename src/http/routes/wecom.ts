// The WeCom callback (WECOM_CALLBACK_PATH, default /wecom/callback) and any other webhook that
// authenticates its requests itself: GET (URL verification) and POST (an encrypted body) with the
// signature in the query. The body is read as text whatever its content type (WeCom posts XML) and
// handed over unparsed; the endpoint checks the signature before it acts, and answers 401 (through
// UnauthorizedError) when it does not verify. The answer is plain text ("success", the echo).
import type { SignedWebhookEndpoint } from '../../core/adapter-port.ts';
import type { HttpApp } from '../context.ts';

export function mountSignedWebhook(http: HttpApp, endpoint: SignedWebhookEndpoint): void {
  // In a scope of its own, so the text parser applies to this path only.
  void http.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: endpoint.maxBodyBytes }, (_request, body, done) =>
      done(null, body),
    );
    scope.get(endpoint.path, async (request, reply) => {
      const answer = await endpoint.verify(queryOf(request.query));
      return reply.type('text/plain; charset=utf-8').send(answer);
    });
    scope.post(endpoint.path, async (request, reply) => {
      const body = typeof request.body === 'string' ? request.body : '';
      const answer = await endpoint.receive(queryOf(request.query), body);
      return reply.type('text/plain; charset=utf-8').send(answer);
    });
  });
}

/** The query's single-valued parameters (a repeated parameter is not a signature WeCom sends). */
function queryOf(query: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof query !== 'object' || query === null) return out;
  for (const [key, value] of Object.entries(query)) if (typeof value === 'string') out[key] = value;
  return out;
}
