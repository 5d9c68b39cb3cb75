import { createRouter, createWebHistory } from "vue-router";
import { session } from "../api/session";

// Reporting in and signing in are open to anyone; an applicant sees only their report-in's page;
// a volunteer everything else.
export const router = createRouter({
  history: createWebHistory("/app/"),
  routes: [
    { path: "/join/:communityId?", name: "join", component: () => import("./pages/JoinPage.vue"), meta: { open: true } },
    { path: "/signin", name: "signin", component: () => import("./pages/SignInPage.vue"), meta: { open: true } },
    { path: "/status", name: "status", component: () => import("./pages/StatusPage.vue") },
    { path: "/", name: "requests", component: () => import("./pages/RequestsPage.vue") },
    { path: "/requests/:id", name: "request", component: () => import("./pages/RequestPage.vue") },
    { path: "/offers", name: "offers", component: () => import("./pages/OffersPage.vue") },
    { path: "/points", name: "points", component: () => import("./pages/PointsPage.vue") },
    { path: "/shop", name: "shop", component: () => import("./pages/ShopPage.vue") },
    { path: "/orders", name: "orders", component: () => import("./pages/OrdersPage.vue") },
    { path: "/record", name: "record", component: () => import("./pages/RecordPage.vue") },
    { path: "/me", name: "me", component: () => import("./pages/MePage.vue") },
    { path: "/me/channels", name: "myChannels", component: () => import("./pages/MyChannelsPage.vue") },
    { path: "/me/posts", name: "myPosts", component: () => import("./pages/PostsPage.vue") },
    { path: "/:rest(.*)*", redirect: "/" },
  ],
});

router.beforeEach((to) => {
  const me = session();
  if (to.meta.open) return true;
  if (!me) return { name: "signin" };
  if (me.role === "applicant" && to.name !== "status") return { name: "status" };
  return true;
});
