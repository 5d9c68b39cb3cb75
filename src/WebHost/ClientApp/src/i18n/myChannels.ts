// A person's own channels (issue #21, GET/PUT /api/me/channels), shared by the desk's page and the
// app's: the words, merged when either page loads (never with the board or the request list), the
// notice kinds each side offers, and the server's own rules of input (ChannelRules.Apply), so that a
// mistake shows beside its field before anything is sent; and the state both pages keep
// (useMyChannels), so that only their markup differs.
import { computed, onMounted, ref } from "vue";
import { ApiError, api, type Schemas } from "../api/client";
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

/**
 * The state and actions of a "my channels" page: what was loaded, the fields, the kinds of notice
 * this side offers (<paramref name="listed"/>; the others are kept as they are), the field errors
 * and the page's message. <paramref name="describe"/> turns a refusal into the reader's words.
 */
export function useMyChannels(listed: readonly NoticeKind[], describe: (error: unknown) => string) {
  const { t } = i18n.global;
  const loaded = ref<MyChannels | null>(null);
  const email = ref("");
  const phone = ref("");
  const kinds = ref<NoticeKind[]>([]);
  const errors = ref<Record<string, string>>({});
  const failure = ref("");
  const saved = ref("");
  const busy = ref(false);
  const deliveries = ref<MyDelivery[]>([]);
  const failed = computed(() => undelivered(deliveries.value));
  const emailOn = computed(() => loaded.value?.configured.email ?? false);
  const smsOn = computed(() => loaded.value?.configured.sms ?? false);
  // Chosen, but with nowhere to go beyond the inbox.
  const nowhere = computed(() =>
    kinds.value.length > 0 && !(emailOn.value && email.value.trim()) && !(smsOn.value && phone.value.trim() && kinds.value.some((k) => smsKinds.includes(k))));

  function fill(channels: MyChannels): void {
    loaded.value = channels;
    email.value = channels.email ?? "";
    phone.value = channels.phone ?? "";
    kinds.value = channels.kinds.filter((k) => listed.includes(k));
  }

  onMounted(async () => {
    try {
      const [channels, sent] = await Promise.all([api.get("/api/me/channels"), api.get("/api/me/deliveries")]);
      fill(channels);
      deliveries.value = sent;
    } catch (e) {
      failure.value = t("myChannels.loadFailed", { detail: describe(e) });
    }
  });

  async function save(): Promise<void> {
    const current = loaded.value;
    if (!current) return;
    saved.value = "";
    failure.value = "";
    errors.value = problems(emailOn.value ? email.value : "", smsOn.value ? phone.value : "");
    if (Object.keys(errors.value).length > 0) {
      failure.value = t("myChannels.fixFields");
      return;
    }

    busy.value = true;
    try {
      // A channel the server does not send through keeps what it held: the page offered no field for it.
      fill(await api.put("/api/me/channels", {
        body: {
          email: emailOn.value ? email.value.trim() || null : current.email,
          phone: smsOn.value ? normalPhone(phone.value) || null : current.phone,
          kinds: [...current.kinds.filter((k) => !listed.includes(k)), ...kinds.value],
        },
      }));
      saved.value = t("myChannels.saved");
    } catch (e) {
      const named = e instanceof ApiError ? fieldKeys(e.fields) : {};
      errors.value = named;
      failure.value = Object.keys(named).length > 0 ? t("myChannels.fixFields") : describe(e);
    } finally {
      busy.value = false;
    }
  }

  const errorOf = (field: string): string => (errors.value[field] ? t(errors.value[field]) : "");
  return { loaded, email, phone, kinds, failure, saved, busy, deliveries, failed, emailOn, smsOn, nowhere, save, errorOf };
}
