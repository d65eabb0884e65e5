/**
 * A date field in the interface language (Ant Design's picker, 年/月/日 in Chinese), holding the
 * ISO date string the API speaks ('YYYY-MM-DD'), so forms and filters keep plain strings while a
 * person never sees the browser's own mm/dd/yyyy control.
 */
import { DatePicker } from 'antd';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { useLang } from '../i18n.ts';

export interface DateInputProps {
  id?: string;
  value?: string | null;
  onChange?: (value: string | null) => void;
  /** Latest date that may be picked ('YYYY-MM-DD'). */
  max?: string;
  style?: React.CSSProperties;
  placeholder?: string;
  allowClear?: boolean;
  'data-testid'?: string;
  'aria-label'?: string;
  title?: string;
}

export const DATE_FORMAT = 'YYYY-MM-DD';

export function DateInput({ id, value, onChange, max, style, placeholder, allowClear = true, title, ...rest }: DateInputProps) {
  const { lang } = useLang();
  const parsed = value ? dayjs(value, DATE_FORMAT) : null;
  const latest = max ? dayjs(max, DATE_FORMAT) : null;
  return (
    <DatePicker
      id={id}
      value={parsed?.isValid() ? parsed.locale(lang === 'en' ? 'en' : 'zh-cn') : null}
      onChange={(d) => onChange?.(d ? d.format(DATE_FORMAT) : null)}
      format={DATE_FORMAT}
      allowClear={allowClear}
      placeholder={placeholder ?? (lang === 'en' ? 'Select date' : '选择日期')}
      disabledDate={latest ? (d) => d.isAfter(latest, 'day') : undefined}
      style={style}
      title={title}
      aria-label={rest['aria-label']}
      data-testid={rest['data-testid']}
    />
  );
}
