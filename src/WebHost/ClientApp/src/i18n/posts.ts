// Service posts (服务岗位, issue #20 item 1), shared by the desk's pages and the app's: the words,
// merged when one of those pages loads (never with the board or the request list); weekdays, slots
// and date ranges in the reader's language; the editable form of a provider's declarations, the
// server's own rules of input (PostsApi, ServicePosts) checked before anything is sent, and the
// server's field errors (`declarations[0].slots[1].from`) placed beside the field at fault.
import { ApiError, type Schemas } from "../api/client";
import { currentLocale, i18n } from "./index";
import en from "./posts/en.json";
import zhCN from "./posts/zh-CN.json";

i18n.global.mergeLocaleMessage("en", en);
i18n.global.mergeLocaleMessage("zh-CN", zhCN);

export type Post = Schemas["ServicePost"];
export type Declaration = Schemas["PostDeclaration"];
export type Slot = { day: string; from: string; to: string };
export type Range = { from: string; to: string };
export type Draft = { postId: string; description: string; slots: Slot[]; dates: Range[] };

/** Limits as the server keeps them (PostLimits). */
export const limits = { declarations: 20, description: 500, slots: 28, dates: 12, name: 40 } as const;

export const days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] as const;

/** A weekday in the reader's language: Monday 2026-11-30 and the days after it. */
export function weekday(day: string, style: "short" | "long" = "short"): string {
  const index = Math.max(days.indexOf(day as (typeof days)[number]), 0);
  return new Intl.DateTimeFormat(currentLocale(), { weekday: style, timeZone: "UTC" }).format(new Date(Date.UTC(2026, 10, 30 + index)));
}

const hhmm = (value: string) => value.slice(0, 5);

/**
 * A time of day as typed ("9:30", "0930", "9.30", "９：３０", "9") as the API's HH:mm, 24-hour; null
 * when it is none. The form's time fields are text, not the browser's time input: that one shows
 * the device's 12-hour clock in some settings and clips "12:00 AM" on a phone.
 */
export function clockTime(text: string): string | null {
  const plain = text.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\s+/g, "");
  const match = /^(\d{1,2})(?:[:：.．]?(\d{2}))?$/.exec(plain);
  if (!match) return null;
  const hour = Number(match[1]);
  const minute = Number(match[2] ?? "0");
  return hour <= 23 && minute <= 59 ? `${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}` : null;
}

/** A stored HH:mm (or HH:mm:ss) in the reader's formatting, on a 24-hour clock: "09:00", "23:59". */
export function timeText(value: string): string {
  const [h, m] = hhmm(value).split(":").map(Number);
  return new Intl.DateTimeFormat(currentLocale(), { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: "UTC" })
    .format(new Date(Date.UTC(2026, 0, 1, h ?? 0, m ?? 0)));
}

/** "周六 09:00–11:30" / "Sat 09:00–11:30". */
export const slotText = (slot: { day: string; from: string; to: string }) => `${weekday(String(slot.day))} ${timeText(slot.from)}–${timeText(slot.to)}`;
export const slotsText = (slots: readonly { day: string; from: string; to: string }[]) => slots.map(slotText).join("、");

/** A day as the reader writes it (the API's yyyy-MM-dd is a calendar day: no time zone moves it). */
export function dayText(value: string): string {
  const [y, m, d] = value.split("-").map(Number);
  return new Intl.DateTimeFormat(currentLocale(), { dateStyle: "medium", timeZone: "UTC" }).format(new Date(Date.UTC(y ?? 2026, (m ?? 1) - 1, d ?? 1)));
}
export const datesText = (ranges: readonly Range[]) =>
  ranges.length ? ranges.map((r) => `${dayText(r.from)}–${dayText(r.to)}`).join("、") : i18n.global.t("posts.everyDay");

export const newSlot = (): Slot => ({ day: "saturday", from: "09:00", to: "11:00" });
export const newDraft = (postId = ""): Draft => ({ postId, description: "", slots: [newSlot()], dates: [] });

/** What a provider declares, as the form edits it. */
export const toDrafts = (declarations: readonly Declaration[]): Draft[] =>
  declarations.map((d) => ({
    postId: d.postId,
    description: d.description,
    slots: d.slots.map((s) => ({ day: String(s.day), from: hhmm(s.from), to: hhmm(s.to) })),
    dates: d.dates.map((r) => ({ from: r.from, to: r.to })),
  }));

/** The body of PUT …/posts. */
export const toBody = (drafts: readonly Draft[]): Schemas["DeclarationBody"][] =>
  drafts.map((d) => ({
    postId: d.postId || null,
    description: d.description.trim(),
    slots: d.slots.map((s) => ({ day: s.day, from: clockTime(s.from) ?? s.from, to: clockTime(s.to) ?? s.to })),
    dates: d.dates.map((r) => ({ from: r.from, to: r.to })),
  }));

/** The server's rules, field by field: a message key per field at fault (none when nothing is). */
export function problems(drafts: readonly Draft[]): Record<string, string> {
  const found: Record<string, string> = {};
  if (drafts.length > limits.declarations) found.declarations = "posts.errors.declarations";
  const seen = new Set<string>();
  drafts.forEach((d, i) => {
    const at = `declarations[${i}]`;
    if (!d.postId) found[`${at}.postId`] = "posts.errors.postId";
    else if (seen.has(d.postId)) found[`${at}.postId`] = "posts.errors.postTwice";
    seen.add(d.postId);
    const description = d.description.trim();
    if (!description || description.length > limits.description) found[`${at}.description`] = "posts.errors.description";
    if (d.slots.length === 0 || d.slots.length > limits.slots) found[`${at}.slots`] = "posts.errors.slots";
    d.slots.forEach((s, j) => {
      const from = clockTime(s.from);
      const to = clockTime(s.to);
      if (!from || !to) found[`${at}.slots[${j}]`] = "posts.errors.time";
      else if (to <= from) found[`${at}.slots[${j}]`] = "posts.errors.slotOrder";
    });
    if (d.dates.length > limits.dates) found[`${at}.dates`] = "posts.errors.dates";
    d.dates.forEach((r, k) => {
      if (!r.from || !r.to) found[`${at}.dates[${k}]`] = "posts.errors.dateMissing";
      else if (r.to < r.from) found[`${at}.dates[${k}]`] = "posts.errors.dateOrder";
    });
  });
  return found;
}

/**
 * The server's field errors as message keys, each at the field the form shows it beside: a slot's
 * day, start or end beside its slot, a range's ends beside its range. The server's own words are
 * English; the page speaks the reader's language, so the key is chosen by the kind of field.
 */
export function fieldKeys(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const keys: Record<string, string> = {};
  for (const field of Object.keys(error.fields)) {
    const slot = /^(declarations\[\d+\]\.slots\[\d+\])(?:\.(day|from|to))?$/.exec(field);
    const range = /^(declarations\[\d+\]\.dates\[\d+\])/.exec(field);
    if (slot) keys[slot[1]!] = slot[2] === "day" ? "posts.errors.day" : slot[2] ? "posts.errors.time" : "posts.errors.slotOrder";
    else if (range) keys[range[1]!] = "posts.errors.dateOrder";
    else if (field.endsWith(".postId")) keys[field] = error.fields[field]?.some((m) => m.includes("twice")) ? "posts.errors.postTwice" : "posts.errors.postId";
    else if (field.endsWith(".description")) keys[field] = "posts.errors.description";
    else if (field.endsWith(".slots")) keys[field] = "posts.errors.slots";
    else if (field.endsWith(".dates")) keys[field] = "posts.errors.dates";
    else if (field === "declarations") keys[field] = "posts.errors.declarations";
    else if (field === "communityId") keys[field] = "posts.errors.communityId";
    else if (field === "name") keys[field] = error.reason === "postExists" ? "reasons.postExists" : "posts.errors.name";
    else if (field === "description") keys[field] = "posts.errors.postDescription";
  }
  return keys;
}
