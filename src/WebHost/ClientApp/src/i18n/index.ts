// The desk's languages: Chinese when the browser prefers it, English otherwise; the switch's
// choice is remembered (the same key as the volunteer page uses).
import { createI18n } from "vue-i18n";
import en from "./en.json";
import zhCN from "./zh-CN.json";

export type Locale = "zh-CN" | "en";
const storageKey = "dispatch.lang";

export function preferredLocale(): Locale {
  const chosen = localStorage.getItem(storageKey);
  if (chosen === "zh") return "zh-CN";
  if (chosen === "en") return "en";
  const languages = navigator.languages?.length ? navigator.languages : [navigator.language];
  return languages.some((l) => l.toLowerCase().startsWith("zh")) ? "zh-CN" : "en";
}

export const i18n = createI18n({
  legacy: false,
  locale: preferredLocale(),
  fallbackLocale: "en",
  messages: { "zh-CN": zhCN, en },
});

export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale;
  localStorage.setItem(storageKey, locale === "zh-CN" ? "zh" : "en");
  document.documentElement.lang = locale;
}

export function currentLocale(): Locale {
  return i18n.global.locale.value as Locale;
}
