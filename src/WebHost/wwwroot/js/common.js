// Shared by the staff console and the volunteer page: language, sign-in, API calls, live feed.

const texts = {
  en: {
    signIn: "Sign in", signOut: "Sign out", username: "Username", password: "Password",
    badLogin: "The username or password is not correct.",
    place: "Place", watch: "Watch", live: "Live", offline: "Reconnecting…",
    open: "Open", claimed: "Claimed", inProgress: "In progress", completed: "Completed", verified: "Verified", cancelled: "Cancelled",
    registeredVolunteers: "Registered volunteers", dispatches: "Precise dispatches", wishesFulfilled: "Wishes fulfilled", mattersDone: "Matters done",
    overdue: "Overdue", alerts: "Alerts", acknowledge: "Acknowledge", acknowledged: "Taken up", level: "Level",
    levels: ["community", "town", "county", "region"],
    details: "Details", history: "History", close: "Close", owner: "Owner", claimants: "Claimants",
    wish: "Wish", errand: "Errand", case: "Case", activity: "Activity",
    openRequests: "Open requests in my community", myClaims: "My claims", claim: "Claim", start: "Start", complete: "Complete",
    claimWon: "Claimed. Thank you!", nothingOpen: "Nothing open right now.", noClaims: "No claims yet.",
    places: "places", free: "free",
    myOffers: "Offered to me", noOffers: "No offers waiting.", accept: "Accept", decline: "Decline", answerBy: "answer by",
    checkInCode: "Check-in code", myPoints: "My points", offeredTo: "Offered to", autoDispatch: "Dispatch to the best candidates",
    reasons: {
      full: "Someone else was faster: every place is taken.",
      notOpen: "This request is no longer taking claims.",
      alreadyClaimed: "You already hold a claim on this request.",
      claimLimit: "You hold as many claims as allowed. Finish or release one first.",
      outsideCommunity: "This request belongs to another community.",
      reserved: "The last place is reserved for a volunteer it was offered to.",
      notEnoughPlaces: "Fewer places are free than were asked for.",
    },
    failed: "That did not work:", resync: "Catching up…",
  },
  zh: {
    signIn: "登录", signOut: "退出", username: "用户名", password: "密码",
    badLogin: "用户名或密码不正确。",
    place: "地点", watch: "查看", live: "实时", offline: "正在重新连接…",
    open: "待认领", claimed: "已认领", inProgress: "进行中", completed: "已完成", verified: "已核实", cancelled: "已取消",
    registeredVolunteers: "在线报到人数", dispatches: "精准派单", wishesFulfilled: "微心愿实现", mattersDone: "办成实事",
    overdue: "已超时", alerts: "预警", acknowledge: "响应", acknowledged: "已响应", level: "层级",
    levels: ["社区", "苏木镇/街道", "旗县", "盟市"],
    details: "详情", history: "记录", close: "关闭", owner: "首问负责人", claimants: "认领人",
    wish: "微心愿", errand: "帮办代办", case: "信访代办", activity: "组团服务",
    openRequests: "本社区待认领需求", myClaims: "我的认领", claim: "认领", start: "开始", complete: "完成",
    claimWon: "认领成功，谢谢您！", nothingOpen: "目前没有待认领的需求。", noClaims: "还没有认领。",
    places: "名额", free: "剩余",
    myOffers: "派给我的", noOffers: "暂无派单。", accept: "接受", decline: "谢绝", answerBy: "请在此前答复",
    checkInCode: "签到码", myPoints: "我的积分", offeredTo: "已派给", autoDispatch: "精准派单",
    reasons: {
      full: "手慢了一步：名额已满。",
      notOpen: "该需求已不再接受认领。",
      alreadyClaimed: "您已认领过该需求。",
      claimLimit: "您的认领已达上限，请先完成或放弃一项。",
      outsideCommunity: "该需求属于其他社区。",
      reserved: "最后一个名额已派给指定志愿者。",
      notEnoughPlaces: "剩余名额不足。",
    },
    failed: "操作未成功：", resync: "正在同步…",
  },
};

/** The language: the switch's choice if made, else the browser's. */
export function language() {
  const chosen = localStorage.getItem("dispatch.lang");
  if (chosen === "en" || chosen === "zh") return chosen;
  return (navigator.language || "en").toLowerCase().startsWith("zh") ? "zh" : "en";
}

export function t(key) {
  return texts[language()][key] ?? texts.en[key] ?? key;
}

export function reasonText(reason, fallback) {
  return texts[language()].reasons[reason] ?? fallback ?? reason;
}

/** Fills every [data-t] element with its text and wires the language switch. */
export function translatePage(onChange) {
  document.documentElement.lang = language() === "zh" ? "zh-CN" : "en";
  for (const element of document.querySelectorAll("[data-t]")) element.textContent = t(element.dataset.t);
  // A placeholder is no label (it vanishes on typing): the same text names the field for assistive technology.
  for (const element of document.querySelectorAll("[data-t-placeholder]")) {
    element.placeholder = t(element.dataset.tPlaceholder);
    element.setAttribute("aria-label", element.placeholder);
  }
  const toggle = document.getElementById("language");
  if (toggle) {
    toggle.textContent = language() === "zh" ? "English" : "中文";
    toggle.onclick = () => {
      localStorage.setItem("dispatch.lang", language() === "zh" ? "en" : "zh");
      translatePage(onChange);
      onChange?.();
    };
  }
}

const tokenKey = "dispatch.token";
const refreshKey = "dispatch.refresh";

function claimsOf(token) {
  return JSON.parse(atob(token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
}

/**
 * The signed-in user, or null. The access token lives 15 minutes; while the refresh token is good,
 * the session lasts and freshToken() trades it for a new pair when the access token runs out.
 */
export function session() {
  const token = sessionStorage.getItem(tokenKey);
  if (!token) return null;
  const claims = claimsOf(token);
  if (claims.exp * 1000 < Date.now() && !sessionStorage.getItem(refreshKey)) {
    sessionStorage.removeItem(tokenKey);
    return null;
  }
  return { token, username: claims.sub, role: claims.role, place: claims.place, name: claims.name };
}

function keep(tokens) {
  sessionStorage.setItem(tokenKey, tokens.accessToken);
  if (tokens.refreshToken) sessionStorage.setItem(refreshKey, tokens.refreshToken);
}

function forget() {
  sessionStorage.removeItem(tokenKey);
  sessionStorage.removeItem(refreshKey);
}

let refreshing = null;

/** An access token good for at least another half minute, refreshed once for all callers at a time; "" when signed out. */
export async function freshToken() {
  const current = session();
  if (!current) return "";
  if (claimsOf(current.token).exp * 1000 - Date.now() > 30000) return current.token;
  refreshing ??= (async () => {
    try {
      const response = await fetch("/api/auth/refresh", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ refreshToken: sessionStorage.getItem(refreshKey) }),
      });
      if (response.ok) keep(await response.json());
      else if (response.status === 401 || response.status === 403) forget();
    } finally {
      refreshing = null;
    }
  })();
  await refreshing;
  return session()?.token ?? "";
}

export async function signIn(username, password) {
  const response = await fetch("/api/auth/token", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password }),
  });
  if (!response.ok) return false;
  keep(await response.json());
  return true;
}

/** Runs <start> for a signed-in user; otherwise shows the sign-in form, which reloads once signed in. */
export function whenSignedIn(start) {
  document.getElementById("signout").onclick = signOut;
  if (session()) {
    document.getElementById("signout").classList.remove("hidden");
    start();
    return;
  }

  const form = document.getElementById("signin");
  form.classList.remove("hidden");
  form.onsubmit = async (e) => {
    e.preventDefault();
    if (await signIn(form.username.value, form.password.value)) location.reload();
    else document.getElementById("signin-error").textContent = t("badLogin");
  };
}

export async function signOut() {
  const refreshToken = sessionStorage.getItem(refreshKey);
  forget();
  if (refreshToken) {
    await fetch("/api/auth/revoke", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ refreshToken }),
    }).catch(() => {});
  }
  location.reload();
}

/** Calls the API; answers {ok, status, body}, the body being the JSON (or problem details). */
export async function api(method, path, body) {
  const headers = { authorization: `Bearer ${await freshToken()}` };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (method === "POST") headers["idempotency-key"] = crypto.randomUUID();
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  return { ok: response.ok, status: response.status, body: text ? JSON.parse(text) : null };
}

/**
 * A live feed of one place over SignalR: a snapshot, then changes in order. Reconnects by itself,
 * for as long as the page is open, and resumes from the last sequence number, so nothing is missed.
 */
export class LiveFeed {
  constructor(onSnapshot, onChange, onStatus) {
    this.onSnapshot = onSnapshot;
    this.onChange = onChange;
    this.onStatus = onStatus;
    this.placeId = null;
    this.seq = 0;
    this.resuming = null;
    this.resumeAgain = false;
    this.connection = new signalR.HubConnectionBuilder()
      .withUrl("/hubs/console", { accessTokenFactory: () => freshToken() })
      .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (retry) => Math.min(1000 * 2 ** retry.previousRetryCount, 30000) })
      .build();
    this.connection.on("requestChanged", (event) => this.apply(event));
    this.connection.on("countersChanged", (event) => this.applyCounters(event));
    this.connection.on("resync", () => this.resume());
    this.connection.onreconnecting(() => onStatus(false));
    this.connection.onreconnected(() => { onStatus(true); this.resume(); });
    this.connection.onclose(() => { onStatus(false); setTimeout(() => this.restart(), 5000); });
  }

  async restart() {
    if (!session()) return; // Signed out (or the token expired): nothing to restart.
    try {
      await this.connection.start();
      this.onStatus(true);
      await this.resume();
    } catch {
      setTimeout(() => this.restart(), 5000);
    }
  }

  async watch(placeId) {
    if (this.connection.state === "Disconnected") await this.connection.start();
    if (this.placeId && this.placeId !== placeId) await this.connection.invoke("Unwatch", this.placeId);
    this.placeId = placeId;
    const snapshot = await this.connection.invoke("Watch", placeId);
    this.seq = snapshot.seq;
    this.onSnapshot(snapshot);
    this.onStatus(true);
  }

  /** Catches up from the last number seen; one at a time (a call while one runs asks for one more). */
  async resume() {
    if (!this.placeId) return;
    if (this.resuming) { this.resumeAgain = true; return this.resuming; }
    this.resuming = (async () => {
      do {
        this.resumeAgain = false;
        try {
          const caughtUp = await this.connection.invoke("Resume", this.placeId, this.seq);
          if (caughtUp.snapshot) {
            this.seq = caughtUp.snapshot.seq;
            this.onSnapshot(caughtUp.snapshot);
          }
          for (const event of caughtUp.events) this.take(event);
          this.onStatus(true);
        } catch {
          this.onStatus(false); // Shown as not live; the next reconnect or event tries again.
        }
      } while (this.resumeAgain);
      this.resuming = null;
    })();
    return this.resuming;
  }

  /** A change: applied when it is the next number, ignored when already seen, a catch-up when one was missed. */
  apply(event) {
    if (event.placeId !== this.placeId || event.seq <= this.seq) return;
    if (event.seq > this.seq + 1 || this.resuming) { this.resume(); return; }
    this.take(event);
  }

  take(event) {
    if (event.seq <= this.seq) return;
    this.seq = event.seq;
    this.onChange(event);
  }

  /**
   * Counters carry the number of the change they follow: the same as a requestChanged just applied,
   * or the next number for a change with no request (a volunteer registered).
   */
  applyCounters(event) {
    if (event.placeId !== this.placeId || event.seq < this.seq) return;
    if (event.seq === this.seq) { this.onChange({ counters: event.counters }); return; }
    if (event.seq === this.seq + 1 && !this.resuming) { this.take({ ...event, request: null }); return; }
    this.resume();
  }
}

export function escapeHtml(text) {
  return String(text ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}
