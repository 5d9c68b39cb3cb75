// A points ledger entry in the reader's words, shared by the app's points page and the desk's
// volunteer drawer: what it is about comes from the entry's subject (topic, name, note), never from
// the server's English reason. An adjustment shows the reason staff typed; an entry recorded before
// subjects existed shows its stored reason.
import type { Schemas } from "../api/client";
import { number } from "./format";
import { i18n } from "./index";
import en from "./ledger/en.json";
import zhCN from "./ledger/zh-CN.json";

i18n.global.mergeLocaleMessage("en", en);
i18n.global.mergeLocaleMessage("zh-CN", zhCN);

type Entry = Schemas["LedgerEntry"];

function about(entry: Entry, subject: NonNullable<Entry["subject"]>): string | null {
  const { t } = i18n.global;
  const words = { name: subject.name, note: subject.note ?? "" };
  switch (subject.topic) {
    case "request":
      return entry.kind === "earning" || entry.kind === "reversal" ? t(`ledger.request.${entry.kind}`, words) : null;
    case "shopItem":
      return entry.kind === "redemption" || entry.kind === "refund" ? t(`ledger.shopItem.${entry.kind}`, words) : null;
    case "activity":
      return t("ledger.activity", words);
    case "standingRole":
      return t("ledger.standingRole", words);
    default:
      return null;
  }
}

/** What the entry is about, with what a cap or the balance held back; the stored reason when the entry has no subject. */
export function ledgerDetail(entry: Entry): string {
  const text = entry.subject ? about(entry, entry.subject) : null;
  if (text === null) return entry.reason;
  // Less than asked for: a cap stopped an earning, or the balance a reversal.
  if (entry.asked === null || entry.asked === undefined) return text;
  const words = { change: number(entry.amount), amount: number(entry.asked) };
  return text + i18n.global.t(entry.kind === "earning" ? "ledger.capped" : "ledger.partial", words);
}
