import { createApp } from "vue";
import "element-plus/theme-chalk/base.css";
import "./desk.css";
import "../reduced-motion.css";
import { i18n, currentLocale } from "../i18n";
import App from "./App.vue";
import { router } from "./router";

document.documentElement.lang = currentLocale();
createApp(App).use(i18n).use(router).mount("#desk");
