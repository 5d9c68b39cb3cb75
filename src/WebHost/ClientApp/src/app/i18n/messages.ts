// The volunteer app's own words, merged into the shared messages (reason codes, statuses, kinds)
// when the app starts: the desk never loads them.
import { i18n } from "../../i18n";
import en from "./en.json";
import zhCN from "./zh-CN.json";

i18n.global.mergeLocaleMessage("en", en);
i18n.global.mergeLocaleMessage("zh-CN", zhCN);
