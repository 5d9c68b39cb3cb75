import { createApp } from "vue";
import "vant/es/style/base.css";
import "./app.css";
import "../reduced-motion.css";
import { i18n, currentLocale } from "../i18n";
import "./i18n/messages";
import App from "./App.vue";
import { router } from "./router";
import { resume, session, useRefreshCookie } from "../api/session";
import { state } from "./state";
import { installOffline, keepShell } from "./offline";
import { installOutbox } from "./outbox";

document.documentElement.lang = currentLocale();

// Signed in on this phone before: a fresh access token from the refresh cookie, before the router
// decides between the sign-in page and the app.
useRefreshCookie();
installOffline();
void resume()
  .catch(() => undefined)
  .then(() => {
    state.signedIn = session() !== null;
    createApp(App).use(i18n).use(router).mount("#volunteer-app");
    router.afterEach(() => keepShell());
    // What was done offline before the app closed is sent now (or when the network is back).
    installOutbox();
  });
