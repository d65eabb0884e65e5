/**
 * Zod issues as bilingual error details (field, code, Chinese and English message).
 */
import type { z } from 'zod';
import type { ErrorDetail } from '../../errors.ts';

export function zodDetails(error: z.ZodError, labels: Record<string, string> = {}): ErrorDetail[] {
  return error.issues.map((i) => {
    const field = i.path.join('.');
    const label = labels[String(i.path[0])] ?? field;
    const issue = i as z.core.$ZodIssue & { expected?: string; values?: unknown[]; keys?: string[]; minimum?: unknown; maximum?: unknown };
    let zh: string;
    switch (i.code) {
      case 'invalid_type':
        zh = i.input === undefined ? `缺少必填项：${label}` : `${label}：类型错误（应为 ${issue.expected}）`;
        break;
      case 'too_small':
        zh = `${label}：值过小或过短（最小 ${String(issue.minimum)}）`;
        break;
      case 'too_big':
        zh = `${label}：值过大或过长（最大 ${String(issue.maximum)}）`;
        break;
      case 'invalid_value':
        zh = `${label}：取值无效，可选值：${(issue.values ?? []).join('、')}`;
        break;
      case 'unrecognized_keys':
        zh = `未知字段：${(issue.keys ?? []).join('、')}`;
        break;
      case 'invalid_format':
        zh = `${label}：格式错误`;
        break;
      default:
        zh = `${label}：${i.message}`;
    }
    return { field, code: i.code.toUpperCase(), message: zh, message_en: `${field ? `${field}: ` : ''}${i.message}` };
  });
}
