import { createRouter, createWebHistory } from "vue-router";
import { session } from "../api/session";

export const router = createRouter({
  history: createWebHistory("/console/"),
  routes: [
    { path: "/signin", name: "signin", component: () => import("./pages/SignInPage.vue") },
    {
      path: "/",
      component: () => import("./DeskLayout.vue"),
      children: [
        { path: "", redirect: { name: "board" } },
        { path: "board/:placeId?", name: "board", component: () => import("./pages/BoardPage.vue") },
        { path: "alerts", name: "alerts", component: () => import("./pages/AlertsPage.vue") },
        { path: "publish", name: "publish", component: () => import("./pages/PublishPage.vue") },
        { path: "places", name: "places", component: () => import("./pages/PlacesPage.vue") },
        { path: "volunteers", name: "volunteers", component: () => import("./pages/VolunteersPage.vue") },
        { path: "statistics", name: "statistics", component: () => import("./pages/StatisticsPage.vue") },
        { path: "policies", name: "policies", component: () => import("./pages/PoliciesPage.vue") },
        { path: "applications", name: "applications", component: () => import("./pages/ApplicationsPage.vue") },
        { path: "intake", name: "intake", component: () => import("./pages/IntakePage.vue") },
        { path: "honours", name: "honours", component: () => import("./pages/HonoursPage.vue") },
        { path: "points-scheme", name: "pointsScheme", component: () => import("./pages/PointsSchemePage.vue") },
        { path: "menu", name: "serviceMenu", component: () => import("./pages/MenuPage.vue") },
        { path: "posts", name: "servicePosts", component: () => import("./pages/PostsPage.vue") },
        { path: "unit-reports", name: "unitReports", component: () => import("./pages/UnitReportsPage.vue") },
        { path: "suggestions", name: "suggestions", component: () => import("./pages/SuggestionsPage.vue") },
        { path: "handed/:id?", name: "handedSuggestion", component: () => import("./pages/HandedSuggestionPage.vue") },
        { path: "certificates/:id", name: "certificate", component: () => import("./pages/CertificatePage.vue") },
        { path: "overdue", name: "overdue", component: () => import("./pages/OverduePage.vue") },
        { path: "shop", name: "shop", component: () => import("./pages/ShopPage.vue") },
        { path: "organisations", name: "organisations", component: () => import("./pages/OrganisationsPage.vue") },
        { path: "accounts", name: "accounts", component: () => import("./pages/AccountsPage.vue") },
        { path: "open311-keys", name: "open311Keys", component: () => import("./pages/Open311KeysPage.vue") },
        { path: "channels", name: "channels", component: () => import("./pages/ChannelsPage.vue") },
        { path: "me/channels", name: "myChannels", component: () => import("./pages/MyChannelsPage.vue") },
      ],
    },
    { path: "/:rest(.*)*", redirect: "/" },
  ],
});

/** The pages a unit's contact (role unit: read-only, its own unit) may open: the server refuses it everything else. */
export const unitPages: readonly string[] = ["unitReports"];

/** The pages a department's account may open: the suggestions handed to its department. */
export const departmentPages: readonly string[] = ["handedSuggestion"];

router.beforeEach((to) => {
  const current = session();
  const signedIn = current !== null;
  if (to.name !== "signin" && !signedIn) return { name: "signin", query: to.fullPath !== "/" ? { next: to.fullPath } : {} };
  if (to.name === "signin" && signedIn) return { path: "/" };
  if (current?.role === "unit" && to.name !== "signin" && !unitPages.includes(String(to.name))) return { name: "unitReports" };
  if (current?.role === "department" && to.name !== "signin" && !departmentPages.includes(String(to.name))) return { name: "handedSuggestion" };
  return true;
});
