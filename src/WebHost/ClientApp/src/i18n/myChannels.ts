// A person's own channels (issue #21, GET/PUT /api/me/channels), shared by the desk's page and the
// app's: the words, merged when either page loads (never with the board or the request list), the
// notice kinds each side offers, and the server's own rules of input (ChannelRules.Apply), so that a
// mistake shows beside its field before anything is sent.
import type { Schemas } from "../api/client";
import { i18n } from "./index";
import en from "./myChannels/en.json";
import zhCN from "./myChannels/zh-CN.json";

i18n.global.mergeLocaleMessage("en", en);
i18n.global.mergeLocaleMessage("zh-CN", zhCN);

export type NoticeKind = Schemas["NoticeKind"];
export type MyChannels = Schemas["PersonChannelsView"];
export type MyDelivery = Schemas["MyDeliveryView"];

/** Deliveries that will not reach the person: the page says so beside the list. */
export const undelivered = (deliveries: readonly MyDelivery[]): number =>
  deliveries.filter((d) => d.status === "gaveUp" || d.status === "rejected" || d.status === "targetGone").length;

/** The kinds that also go by SMS when the server has SMS and a phone is given (PersonTexts.GoesBySms). */
export const smsKinds: readonly NoticeKind[] = ["offered", "handoverOffered", "escalated"];

/** What staff are told: claims of their requests, escalations, handovers, report-ins, unhappy residents. */
export const staffKinds: readonly NoticeKind[] = ["escalated", "handoverOffered", "claimed", "applicationWaiting", "residentUnsatisfied"];

/** What volunteers are told: offers, verification results, points and shop orders. */
export const volunteerKinds: readonly NoticeKind[] = ["offered", "verified", "verificationRejected", "verificationOverturned", "pointsEarned", "orderReady"];

/** The phone as the server stores it: spaces, dashes and brackets dropped. */
export const normalPhone = (phone: string): string => phone.trim().replace(/[\s\-()]/g, "");

/** The message key of what is wrong with each field (the server's rules), none when nothing is. */
export function problems(email: string, phone: string): Record<string, string> {
  const found: Record<string, string> = {};
  const address = email.trim();
  if (address && !/^[^\s@<>()",;]+@[^\s@<>()",;]+$/.test(address)) found.email = "myChannels.emailInvalid";
  const digits = normalPhone(phone);
  if (digits && !/^\+?[0-9]{5,20}$/.test(digits)) found.phone = "myChannels.phoneInvalid";
  return found;
}

/** The server's field errors as message keys: its own words are English, the page speaks the reader's language. */
export function fieldKeys(fields: Record<string, string[]>): Record<string, string> {
  const keys: Record<string, string> = {};
  for (const field of Object.keys(fields)) {
    if (field === "email") keys.email = "myChannels.emailInvalid";
    else if (field === "phone") keys.phone = "myChannels.phoneInvalid";
  }

  return keys;
}
