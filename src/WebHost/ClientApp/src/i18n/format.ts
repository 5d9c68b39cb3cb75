// Dates, times, durations and numbers in the reader's locale (Intl).
import { currentLocale } from "./index";

export function dateTime(value: string | null | undefined): string {
  if (!value) return "";
  return new Intl.DateTimeFormat(currentLocale(), { dateStyle: "medium", timeStyle: "short" }).format(new Date(value));
}

export function time(value: string | null | undefined): string {
  if (!value) return "";
  return new Intl.DateTimeFormat(currentLocale(), { month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit" }).format(new Date(value));
}

export function number(value: number | string | null | undefined): string {
  return new Intl.NumberFormat(currentLocale()).format(Number(value ?? 0));
}

/** A span of milliseconds as the two largest units, e.g. "2 days 3 hours" or "2天3小时". */
export function duration(ms: number): string {
  const locale = currentLocale();
  const total = Math.max(0, Math.round(Math.abs(ms) / 1000));
  const parts: [number, Intl.NumberFormatOptions["unit"]][] = [
    [Math.floor(total / 86400), "day"],
    [Math.floor((total % 86400) / 3600), "hour"],
    [Math.floor((total % 3600) / 60), "minute"],
    [total % 60, "second"],
  ];
  const first = parts.findIndex(([n]) => n > 0);
  const shown = first < 0 ? [parts[3]!] : parts.slice(first, first + 2).filter(([n]) => n > 0);
  const joiner = locale === "zh-CN" ? "" : " ";
  return shown
    .map(([n, unit]) => new Intl.NumberFormat(locale, { style: "unit", unit, unitDisplay: locale === "zh-CN" ? "short" : "long" }).format(n))
    .join(joiner);
}

/** "[d.]hh:mm:ss" (a .NET time span) in milliseconds. */
export function timeSpan(value: string | null | undefined): number {
  if (!value) return 0;
  const match = /^(?:(\d+)\.)?(\d+):(\d+):(\d+)(?:\.\d+)?$/.exec(value);
  if (!match) return 0;
  const [, d, h, m, s] = match;
  return (((Number(d ?? 0) * 24 + Number(h)) * 60 + Number(m)) * 60 + Number(s)) * 1000;
}
