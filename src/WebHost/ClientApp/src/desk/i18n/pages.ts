// Words of the desk's pages and panels beyond the board (publishing, the request drawer, volunteers,
// statistics, policies, applications, activities, place and request
// changes): merged into the messages when one of those pages first loads, so that they stay out of
// the board's first load. Every page that uses them imports this module.
import { i18n } from "../../i18n";
import en from "./en.json";
import zhCN from "./zh-CN.json";

i18n.global.mergeLocaleMessage("en", en);
i18n.global.mergeLocaleMessage("zh-CN", zhCN);
