// The residents' pages speak Chinese and English with their own small message files: the desk's
// words would be dead weight on a phone. The switch's choice is remembered like the other pages'.
import { createI18n } from "vue-i18n";
import en from "./i18n/en.json";
import zhCN from "./i18n/zh-CN.json";

export type Locale = "zh-CN" | "en";
const storageKey = "dispatch.lang";

function preferred(): Locale {
  const chosen = localStorage.getItem(storageKey);
  if (chosen === "zh") return "zh-CN";
  if (chosen === "en") return "en";
  const languages = navigator.languages?.length ? navigator.languages : [navigator.language];
  return languages.some((l) => l.toLowerCase().startsWith("zh")) ? "zh-CN" : "en";
}

export const i18n = createI18n({ legacy: false, locale: preferred(), fallbackLocale: "en", messages: { "zh-CN": zhCN, en } });

export function locale(): Locale {
  return i18n.global.locale.value as Locale;
}

export function setLocale(next: Locale): void {
  i18n.global.locale.value = next;
  localStorage.setItem(storageKey, next === "zh-CN" ? "zh" : "en");
  document.documentElement.lang = next;
}

export function dateTime(value: string | null | undefined): string {
  return value ? new Intl.DateTimeFormat(locale(), { dateStyle: "medium", timeStyle: "short" }).format(new Date(value)) : "";
}
