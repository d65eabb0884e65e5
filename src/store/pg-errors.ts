/**
 * Turns PostgreSQL constraint violations into coded, bilingual refusals, so that a bad write
 * is answered as a 400/409 and never a 500.
 */
import { AppError } from '../errors.ts';

interface PgErrorLike {
  code?: string;
  constraint?: string;
  detail?: string;
  column?: string;
  message?: string;
}

export function translatePgError(e: unknown): unknown {
  const err = e as PgErrorLike;
  if (!err || typeof err.code !== 'string' || !/^[0-9A-Z]{5}$/.test(err.code)) return e;
  const details = [{ constraint: err.constraint ?? null, detail: err.detail ?? err.message ?? null, column: err.column ?? undefined }];
  switch (err.code) {
    case '23505':
      return new AppError('DUPLICATE', 409, '记录已存在（唯一性冲突）', 'A record with the same key already exists', details);
    case '23503':
      return new AppError('REFERENCE_NOT_FOUND', 400, '引用的记录不存在，或仍被其他记录引用', 'A referenced record does not exist, or the record is still referenced', details);
    case '23514':
    case '23502':
      return new AppError('VALIDATION_FAILED', 400, '输入数据不符合要求', 'The input is not valid', details);
    case '22003':
    case '22007':
    case '22008':
    case '22P02':
    case '22001':
      return new AppError('VALIDATION_FAILED', 400, '输入数据格式或范围错误', 'A value has the wrong format or is out of range', details);
    default:
      return e;
  }
}
