/**
 * The one place that turns errors into HTTP replies: coded AppErrors as they are, schema
 * failures as VALIDATION_FAILED with the failing fields, and anything else as a logged 500.
 */
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, internal, isAppError, validationFailed, type ErrorDetail } from '../errors.ts';

function fromFastify(err: FastifyError): AppError | null {
  if (hasZodFastifySchemaValidationErrors(err)) {
    const details: ErrorDetail[] = err.validation.map((v) => ({
      field: [err.validationContext, ...String(v.instancePath ?? '').split('/').filter(Boolean)].join('.'),
      code: String(v.keyword ?? 'invalid'),
      message: v.message ?? '',
      message_en: v.message ?? '',
    }));
    return validationFailed(details);
  }
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('INVALID_JSON', 400, '请求体不是有效的 JSON', 'The request body is not valid JSON');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('UNSUPPORTED_MEDIA_TYPE', 415, '不支持的请求内容类型', 'Unsupported content type');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
      return new AppError('PAYLOAD_TOO_LARGE', 413, '请求内容过大', 'The request body is too large');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError('BAD_REQUEST', 400, '请求格式错误', 'Malformed request');
    default:
      break;
  }
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
    return new AppError('BAD_REQUEST', err.statusCode, '请求格式错误', `Malformed request: ${err.message}`);
  }
  return null;
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const known = isAppError(error) ? error : fromFastify(error);
    if (known) {
      void reply.status(known.status).send(known.toJSON(request.id));
      return;
    }
    request.log.error({ err: error }, 'unhandled error');
    const e = internal();
    void reply.status(500).send(e.toJSON(request.id));
  });
  app.setNotFoundHandler((request, reply) => {
    const page = pageFallback.get(app);
    const url = request.url.split('?')[0];
    if (page && request.method === 'GET' && url !== '/api' && !url.startsWith('/api/') && !url.startsWith('/assets/')) {
      page(reply);
      return;
    }
    const e = new AppError('ROUTE_NOT_FOUND', 404, `没有这个接口：${request.method} ${request.url}`, `No such route: ${request.method} ${request.url}`);
    void reply.status(404).send(e.toJSON(request.id));
  });
}

const pageFallback = new WeakMap<FastifyInstance, (reply: FastifyReply) => void>();

/** Answers unknown non-API GET paths with the web application's page (deep links). */
export function setPageFallback(app: FastifyInstance, send: (reply: FastifyReply) => void): void {
  pageFallback.set(app, send);
}
