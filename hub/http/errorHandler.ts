import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiErrorBody } from '../../core/api/apiError.js';
import { HttpProblem } from './httpProblem.js';

function send(reply: FastifyReply, request: FastifyRequest, problem: HttpProblem): FastifyReply {
  const body: ApiErrorBody = {
    error: {
      code: problem.code,
      message: problem.message,
      requestId: request.id,
      ...(problem.extra.fields ? { fields: problem.extra.fields } : {}),
      ...(problem.extra.retryAt ? { retryAt: problem.extra.retryAt.toISOString() } : {}),
    },
  };
  if (problem.extra.retryAt) reply.header('retry-after', Math.max(1, Math.ceil((problem.extra.retryAt.getTime() - Date.now()) / 1000)));
  return reply.status(problem.status).type('application/json; charset=utf-8').send(body);
}

/** Fastify's own errors (body parsing, limits) translated into messages a person can act on. */
function fromFastify(error: FastifyError): HttpProblem | null {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new HttpProblem(400, 'bad-request', `The request body is not valid JSON: ${error.message.replace(/^Body is not valid JSON but content-type is set to 'application\/json'/, 'check quotes, commas and braces')}.`);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new HttpProblem(400, 'bad-request', "The request says its body is JSON (Content-Type: application/json) but the body is empty. Send a JSON object, e.g. {}.");
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new HttpProblem(413, 'payload-too-large', 'The request body is too large for this route.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new HttpProblem(415, 'unsupported-media-type', `This route does not accept the content type ${error.message.split(': ').pop() ?? ''}. Send JSON with Content-Type: application/json.`);
    default:
      break;
  }
  if (error instanceof SyntaxError && error.statusCode === 400) {
    return new HttpProblem(400, 'bad-request', `The request body is not valid JSON: ${error.message}.`);
  }
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return new HttpProblem(error.statusCode, error.statusCode === 429 ? 'too-many-requests' : 'bad-request', error.message);
  }
  return null;
}

/**
 * The one error handler. 4xx: the message and field list. 5xx: a generic text
 * and the request id, with the whole error in the log under that id. Log lines
 * carry no request body, so no PHI reaches them.
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const problem = error instanceof HttpProblem ? error : fromFastify(error);
    if (problem) {
      request.log.info({ code: problem.code, status: problem.status }, 'request refused');
      return send(reply, request, problem);
    }
    request.log.error({ err: error }, 'unexpected error');
    return send(reply, request, new HttpProblem(500, 'internal-error', `Something went wrong on the hub. If it happens again, give this reference to IT: ${request.id}.`));
  });
}

export function installNotFoundHandler(app: FastifyInstance, webClient: ((request: FastifyRequest, reply: FastifyReply) => FastifyReply) | null): void {
  app.setNotFoundHandler((request, reply) => {
    const url = request.url.split('?')[0] ?? '';
    const isApi = url.startsWith('/api/') || url === '/api' || url.startsWith('/dicom-web');
    if (!isApi && webClient && (request.method === 'GET' || request.method === 'HEAD')) return webClient(request, reply);
    return send(reply, request, new HttpProblem(404, 'not-found', `There is no route ${request.method} ${url}. Check the address; the API is described in docs/api.md.`));
  });
}
