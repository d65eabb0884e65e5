/**
 * Languages: Chinese (zh-CN) by default, English on a switch that is remembered. Each feature
 * adds its own namespace of messages with `addMessages` when its code loads, so pages carry
 * their words with them. `pick` chooses the Chinese or English form of a server label.
 */
import i18n from 'i18next';
import { initReactI18next, useTranslation } from 'react-i18next';
import { common } from './locales/common.ts';

export type Lang = 'zh' | 'en';
const STORAGE_KEY = 'innolink.lang';

function initialLang(): Lang {
  const saved = typeof localStorage !== 'undefined' ? localStorage.getItem(STORAGE_KEY) : null;
  return saved === 'en' ? 'en' : 'zh';
}

void i18n.use(initReactI18next).init({
  lng: initialLang(),
  fallbackLng: 'zh',
  defaultNS: 'common',
  ns: ['common'],
  resources: { zh: { common: common.zh }, en: { common: common.en } },
  interpolation: { escapeValue: false },
  returnNull: false,
});

export type Messages = { zh: Record<string, unknown>; en: Record<string, unknown> };

/** Adds a feature's messages under its namespace (idempotent). */
export function addMessages(ns: string, messages: Messages): void {
  if (!i18n.hasResourceBundle('zh', ns)) i18n.addResourceBundle('zh', ns, messages.zh, true, true);
  if (!i18n.hasResourceBundle('en', ns)) i18n.addResourceBundle('en', ns, messages.en, true, true);
}

export function setLang(lang: Lang): void {
  localStorage.setItem(STORAGE_KEY, lang);
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  void i18n.changeLanguage(lang);
}

export function currentLang(): Lang {
  return i18n.language === 'en' ? 'en' : 'zh';
}

/** The label in the current language: `{zh, en}` objects, or a pair of strings. */
export function pick(label: { zh?: string | null; en?: string | null } | null | undefined, lang: Lang = currentLang()): string {
  if (!label) return '';
  return (lang === 'en' ? label.en || label.zh : label.zh || label.en) ?? '';
}

/** The translation hook with the current language, e.g. `const { t, lang } = useLang('plans')`. */
export function useLang(ns: string | string[] = 'common') {
  const { t, i18n: inst } = useTranslation(ns);
  const lang: Lang = inst.language === 'en' ? 'en' : 'zh';
  return { t, lang, pick: (l: { zh?: string | null; en?: string | null } | null | undefined) => pick(l, lang) };
}

export default i18n;
