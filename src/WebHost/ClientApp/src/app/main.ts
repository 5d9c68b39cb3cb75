import { createApp } from "vue";
import "vant/es/style/base.css";
import "./app.css";
import { i18n, currentLocale } from "../i18n";
import "./i18n/messages";
import App from "./App.vue";
import { router } from "./router";

document.documentElement.lang = currentLocale();
createApp(App).use(i18n).use(router).mount("#volunteer-app");
