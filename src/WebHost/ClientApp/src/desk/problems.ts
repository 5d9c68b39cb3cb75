// Refusals in the reader's language: a `reason` code's text, or the problem's own words.
import { ApiError } from "../api/client";
import { i18n } from "../i18n";

export function refusalText(error: unknown): string {
  const t = i18n.global.t;
  if (error instanceof ApiError) {
    if (error.reason && i18n.global.te(`reasons.${error.reason}`)) return t(`reasons.${error.reason}`);
    return t("app.unknownError", { detail: error.message });
  }
  const message = error instanceof Error ? error.message : String(error);
  // The console hub refuses a place with "HubException: notFound: …" or "HubException: forbidden: …".
  const hub = /HubException: (notFound|forbidden):/.exec(message)?.[1];
  if (hub) return t(hub === "forbidden" ? "reasons.outOfScope" : "reasons.notFound");
  return t("app.unknownError", { detail: message });
}
