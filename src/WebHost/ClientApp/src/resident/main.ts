import { createApp } from "vue";
import "vant/es/style/base.css";
import "./resident.css";
import "../reduced-motion.css";
import { i18n, locale } from "./i18n";
import App from "./App.vue";

document.documentElement.lang = locale();
createApp(App).use(i18n).mount("#resident-app");
