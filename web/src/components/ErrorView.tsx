/**
 * Errors a person understands: the server's message in the current language, its stable
 * code, and any row / column / field details — never a stack trace or a blank page.
 */
import { Alert, Button, Result } from 'antd';
import type { ReactNode } from 'react';
import { ApiError } from '../api.ts';
import { useLang, type Lang } from '../i18n.ts';

export function errorMessage(e: unknown, lang: Lang): string {
  if (e instanceof ApiError) {
    if (e.status >= 500 && e.code === 'INTERNAL') return lang === 'en' ? e.messageEn : e.messageZh;
    return lang === 'en' ? e.messageEn : e.messageZh;
  }
  return lang === 'en' ? 'Something went wrong in the page. Reload it and try again.' : '页面出现问题，请刷新后重试。';
}

/** How a form names its fields in the current language (a field's label instead of its key). */
export type FieldLabel = (name: string) => string | undefined;

export function ErrorDetails({ error, fieldLabel }: { error: unknown; fieldLabel?: FieldLabel }) {
  const { t, lang } = useLang();
  if (!(error instanceof ApiError) || error.details.length === 0) return null;
  return (
    <ul className="error-details" style={{ margin: '8px 0 0', paddingLeft: 20 }}>
      {error.details.slice(0, 20).map((d, i) => (
        <li key={i}>
          {[d.row !== undefined ? t('error.row', { row: d.row }) : '', d.column ? t('error.column', { column: d.column }) : '', d.field ? t('error.field', { field: fieldLabel?.(d.field) ?? d.field }) : '']
            .filter(Boolean)
            .join(lang === 'en' ? ', ' : '，')}
          {(d.row !== undefined || d.column || d.field) && (d.message || d.message_en) ? (lang === 'en' ? ': ' : '：') : null}
          {lang === 'en' ? d.message_en ?? d.message : d.message ?? d.message_en}
          {d.code ? <code style={{ marginLeft: 6, color: '#888' }}>{d.code}</code> : null}
        </li>
      ))}
      {error.details.length > 20 ? <li>… ({error.details.length - 20})</li> : null}
    </ul>
  );
}

/** An inline error box (forms, panels). */
export function ErrorAlert({ error, action, fieldLabel }: { error: unknown; action?: ReactNode; fieldLabel?: FieldLabel }) {
  const { t, lang } = useLang();
  if (!error) return null;
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      data-testid="error-alert"
      message={errorMessage(error, lang)}
      description={
        <>
          {error instanceof ApiError ? (
            <span style={{ color: '#888' }}>
              {t('error.code')}: <code data-testid="error-code">{error.code}</code>
            </span>
          ) : null}
          <ErrorDetails error={error} fieldLabel={fieldLabel} />
        </>
      }
      action={action}
    />
  );
}

/** A whole-page error (a query that failed). */
export function ErrorPage({ error, retry }: { error: unknown; retry?: () => void }) {
  const { t, lang } = useLang();
  const status = error instanceof ApiError ? error.status : typeof (error as { status?: unknown })?.status === 'number' ? (error as { status: number }).status : 500;
  if (status === 404 || status === 403) {
    return (
      <Result
        status={status === 404 ? '404' : '403'}
        title={status === 404 ? t('state.notFound') : t('state.forbidden')}
        subTitle={<span data-testid="error-page">{error instanceof ApiError ? errorMessage(error, lang) : t(status === 404 ? 'state.notFoundHint' : 'state.forbiddenHint')}</span>}
      />
    );
  }
  return (
    <Result
      status="error"
      title={t('state.error')}
      subTitle={<span data-testid="error-page">{errorMessage(error, lang)}</span>}
      extra={retry ? <Button onClick={retry}>{t('action.retry')}</Button> : null}
    >
      {error instanceof ApiError ? (
        <div style={{ textAlign: 'center', color: '#888' }}>
          {t('error.code')}: <code>{error.code}</code>
        </div>
      ) : null}
    </Result>
  );
}

export function NotFoundPage() {
  const { t } = useLang();
  return <Result status="404" title={t('state.notFound')} subTitle={<span data-testid="error-page">{t('state.notFoundHint')}</span>} />;
}
