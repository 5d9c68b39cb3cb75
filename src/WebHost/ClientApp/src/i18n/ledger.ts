// A points ledger entry in the reader's words, shared by the app's points page and the desk's
// volunteer drawer: what it is about comes from the entry's subject (topic, name, note), never from
// the server's English reason. An adjustment shows the reason staff typed; an entry recorded before
// subjects existed shows its stored reason. An entry a scheme rule produced says which rule and
// which version of the scheme ("完成微心愿（紧急）· 积分办法第2版"): why the points were earned.
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
      if (entry.kind === "earning" && entry.rule === "rating.high") return t("ledger.request.bonus", words);
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

const requestRule = /^request\.(wish|errand|case|activity)\.(normal|urgent|critical)$/;

/** The rule an entry was earned under and its scheme's version, in words (" · 完成微心愿（紧急）· 积分办法第2版"); "" for entries no rule produced. */
function under(entry: Entry): string {
  const { t } = i18n.global;
  if (!entry.rule) return "";
  const request = requestRule.exec(entry.rule);
  const rule = request
    ? t("ledger.rule.request", { kind: t(`ledger.rule.kind.${request[1]}`), urgency: t(`ledger.rule.urgency.${request[2]}`) })
    : entry.rule === "rating.high"
      ? t("ledger.rule.ratingHigh")
      : null;
  const version = entry.schemeVersion === null || entry.schemeVersion === undefined ? null : t("ledger.rule.scheme", { version: String(entry.schemeVersion) });
  return [rule, version].filter((part) => part !== null).map((part) => ` · ${part}`).join("");
}

/** What the entry is about and the rule it was earned under, with what a cap or the balance held back; the stored reason when the entry has no subject. */
export function ledgerDetail(entry: Entry): string {
  const about_ = entry.subject ? about(entry, entry.subject) : null;
  if (about_ === null) return entry.reason;
  const text = about_ + under(entry);
  // Less than asked for: a cap stopped an earning, or the balance a reversal.
  if (entry.asked === null || entry.asked === undefined) return text;
  const words = { change: number(entry.amount), amount: number(entry.asked) };
  return text + i18n.global.t(entry.kind === "earning" ? "ledger.capped" : "ledger.partial", words);
}
