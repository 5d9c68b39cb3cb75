// The signed-in session: the access token (15 minutes) and the refresh token (good once, 14 days),
// kept in sessionStorage under the same keys as the volunteer page, so a reload stays signed in and
// closing the tab signs out. One refresh at a time serves every caller.

const tokenKey = "dispatch.token";
const refreshKey = "dispatch.refresh";

// The volunteer app (useRefreshCookie) stays signed in on the phone for weeks instead: the server
// keeps its refresh token in an HttpOnly cookie of the token routes, the access token lives in
// memory only, and localStorage keeps just when the cookie expires (no secret), so that a page
// that never signed in does not ask for a refresh it would be refused.
const cookieUntilKey = "dispatch.app.refreshUntil";
// And who signed in (name, role, community: no secret), so that the app opened without a network
// shows that person's last answers (kept by its service worker) instead of the sign-in page.
const whoKey = "dispatch.app.who";
let cookieMode = false;
let memoryToken: string | null = null;

/** The volunteer app's way: refresh token in an HttpOnly cookie, access token in memory. */
export function useRefreshCookie(): void {
  cookieMode = true;
}

function cookieLive(): boolean {
  const until = localStorage.getItem(cookieUntilKey);
  return until !== null && Date.parse(until) > Date.now();
}

function storedToken(): string | null {
  return cookieMode ? memoryToken : sessionStorage.getItem(tokenKey);
}

function canRefresh(): boolean {
  return cookieMode ? cookieLive() : sessionStorage.getItem(refreshKey) !== null;
}

export interface Session {
  token: string;
  username: string;
  role: string;
  place: string;
  name: string;
}

interface Claims {
  sub: string;
  role: string;
  place: string;
  name?: string;
  exp: number;
}

interface TokenPair {
  accessToken: string;
  refreshToken?: string | null;
  refreshExpiresAt?: string | null;
}

function claimsOf(token: string): Claims {
  const part = token.split(".")[1] ?? "";
  const json = atob(part.replace(/-/g, "+").replace(/_/g, "/"));
  const bytes = Uint8Array.from(json, (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes)) as Claims;
}

export function session(): Session | null {
  const token = storedToken();
  if (!token) return offlineSession();
  let claims: Claims;
  try {
    claims = claimsOf(token);
  } catch {
    forget();
    return null;
  }
  if (claims.exp * 1000 < Date.now() && !canRefresh()) {
    forget();
    return null;
  }
  return { token, username: claims.sub, role: claims.role, place: claims.place, name: claims.name ?? claims.sub };
}

/** Cookie mode without a network: the last person, with no token (the service worker answers). */
function offlineSession(): Session | null {
  if (!cookieMode || navigator.onLine || !cookieLive()) return null;
  try {
    const who = JSON.parse(localStorage.getItem(whoKey) ?? "null") as Omit<Session, "token"> | null;
    return who ? { ...who, token: "" } : null;
  } catch {
    return null;
  }
}

function keep(tokens: TokenPair): void {
  if (cookieMode) {
    memoryToken = tokens.accessToken;
    const claims = claimsOf(tokens.accessToken);
    localStorage.setItem(whoKey, JSON.stringify({ username: claims.sub, role: claims.role, place: claims.place, name: claims.name ?? claims.sub }));
    if (tokens.refreshExpiresAt) localStorage.setItem(cookieUntilKey, tokens.refreshExpiresAt);
    return;
  }
  sessionStorage.setItem(tokenKey, tokens.accessToken);
  if (tokens.refreshToken) sessionStorage.setItem(refreshKey, tokens.refreshToken);
}

export function forget(): void {
  memoryToken = null;
  if (cookieMode) {
    localStorage.removeItem(cookieUntilKey);
    localStorage.removeItem(whoKey);
  }
  sessionStorage.removeItem(tokenKey);
  sessionStorage.removeItem(refreshKey);
}

let refreshing: Promise<void> | null = null;

/** Trades the refresh token for a new pair, once for all callers at a time. */
export async function refresh(): Promise<void> {
  // Runs to its first await before `refreshing` is set: clearing it in `finally` would happen before
  // the assignment on the paths that return at once, and the finished run would block every later one.
  refreshing ??= (async () => {
    await Promise.resolve();
    try {
      const refreshToken = cookieMode ? null : sessionStorage.getItem(refreshKey);
      if (cookieMode ? !cookieLive() : !refreshToken) {
        forget();
        return;
      }
      // In cookie mode the body is empty: the browser sends the cookie, and the answer rotates it.
      const response = await fetch("/api/auth/refresh", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(cookieMode ? {} : { refreshToken }),
        credentials: "same-origin",
      });
      if (response.ok) keep((await response.json()) as TokenPair);
      else if (response.status === 400 || response.status === 401 || response.status === 403) forget();
    } finally {
      refreshing = null;
    }
  })();
  await refreshing;
}

/**
 * The access token a live (SignalR) connection starts or reconnects with. Signed out, it throws
 * instead of answering "": the connection then makes no request at all, where one without a
 * token would only be refused (401) and reported in the browser's console.
 */
export async function hubToken(): Promise<string> {
  const token = await freshToken();
  if (!token) throw new Error("Signed out: the live connection waits for a sign-in.");
  return token;
}

const signingOut: (() => Promise<void>)[] = [];

/** Work to do as this tab signs out, before the session is forgotten (closing a live connection). */
export function onSigningOut(work: () => Promise<void>): void {
  signingOut.push(work);
}

/** An access token good for at least another half minute; "" when signed out. */
export async function freshToken(): Promise<string> {
  const current = session();
  if (!current?.token) {
    // The app opened without a network has no access token; back online, its cookie gets one.
    if (cookieMode && navigator.onLine && cookieLive()) {
      await refresh();
      return session()?.token ?? "";
    }
    return "";
  }
  if (claimsOf(current.token).exp * 1000 - Date.now() > 30_000) return current.token;
  await refresh();
  return session()?.token ?? "";
}

export type SignInResult = "ok" | "wrong" | { reason: string; retryAfter?: number };

export async function signIn(username: string, password: string): Promise<SignInResult> {
  const response = await fetch("/api/auth/token", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(cookieMode ? { username, password, refreshCookie: true } : { username, password }),
    credentials: "same-origin",
  });
  if (response.ok) {
    keep((await response.json()) as TokenPair);
    return "ok";
  }
  if (response.status === 401 || response.status === 400) return "wrong";
  const problem = (await response.json().catch(() => ({}))) as { reason?: string; retryAfter?: number };
  return { reason: problem.reason ?? "unknown", retryAfter: problem.retryAfter };
}

/**
 * Signs out; with `everywhere` (cookie mode), every refresh token of the account stops working, on
 * every device. False when the server refused that (the session here was already gone).
 */
export async function signOut(everywhere = false): Promise<boolean> {
  await Promise.all(signingOut.map((work) => work().catch(() => undefined)));
  if (cookieMode) {
    const hadCookie = cookieLive();
    forget();
    if (!hadCookie) return !everywhere;
    const response = await fetch("/api/auth/revoke", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(everywhere ? { everywhere: true } : {}),
      credentials: "same-origin",
    }).catch(() => undefined);
    return response?.ok ?? false;
  }
  const refreshToken = sessionStorage.getItem(refreshKey);
  forget();
  if (refreshToken) {
    await fetch("/api/auth/revoke", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ refreshToken }),
    }).catch(() => undefined);
  }
  return true;
}

/** Cookie mode, on start: a phone that signed in before gets a fresh access token, silently. */
export async function resume(): Promise<void> {
  if (cookieMode && !memoryToken && cookieLive()) await refresh();
}
