/**
 * Refusals and warnings of the composite-indicator engine.
 *
 * EngineError is an AppError (status 422: the request was well-formed but the numbers cannot be
 * computed as asked), so the HTTP layer and the CLI turn it into the usual error reply. Its
 * `message` is Chinese and `message_en` English, as everywhere in innolink.
 */
import { AppError, type ErrorDetail } from '../../../errors.ts';
import type { EngineWarning } from './types.ts';

/** A coded refusal: bad framework, bad data, or a method that cannot be applied to the data. */
export class EngineError extends AppError {
  readonly message_en: string;

  constructor(code: string, zh: string, en: string, details: ErrorDetail[] = []) {
    super(code, 422, zh, en, details);
    this.name = 'EngineError';
    // AppError puts "CODE: English" in Error.message; the engine's contract is a Chinese message.
    this.message = zh;
    this.message_en = en;
  }

  /** Plain object form, e.g. to send the error across a worker boundary. */
  toPlain(): { code: string; message: string; message_en: string; details: ErrorDetail[] } {
    return { code: this.code, message: this.message, message_en: this.message_en, details: this.details };
  }

  static fromPlain(p: { code: string; message: string; message_en: string; details: ErrorDetail[] }): EngineError {
    return new EngineError(p.code, p.message, p.message_en, p.details);
  }
}

/** Builds a warning record (never thrown; collected in diagnostics.warnings). */
export function warning(code: string, zh: string, en: string, details?: Record<string, unknown>): EngineWarning {
  return details ? { code, message: zh, message_en: en, details } : { code, message: zh, message_en: en };
}

export const isEngineError = (e: unknown): e is EngineError => e instanceof EngineError;
