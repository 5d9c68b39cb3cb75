// The signed-in session: the access token (15 minutes) and the refresh token (good once, 14 days),
// kept in sessionStorage under the same keys as the volunteer page, so a reload stays signed in and
// closing the tab signs out. One refresh at a time serves every caller.

const tokenKey = "dispatch.token";
const refreshKey = "dispatch.refresh";

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
  refreshToken?: string;
}

function claimsOf(token: string): Claims {
  const part = token.split(".")[1] ?? "";
  const json = atob(part.replace(/-/g, "+").replace(/_/g, "/"));
  const bytes = Uint8Array.from(json, (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes)) as Claims;
}

export function session(): Session | null {
  const token = sessionStorage.getItem(tokenKey);
  if (!token) return null;
  let claims: Claims;
  try {
    claims = claimsOf(token);
  } catch {
    forget();
    return null;
  }
  if (claims.exp * 1000 < Date.now() && !sessionStorage.getItem(refreshKey)) {
    forget();
    return null;
  }
  return { token, username: claims.sub, role: claims.role, place: claims.place, name: claims.name ?? claims.sub };
}

function keep(tokens: TokenPair): void {
  sessionStorage.setItem(tokenKey, tokens.accessToken);
  if (tokens.refreshToken) sessionStorage.setItem(refreshKey, tokens.refreshToken);
}

export function forget(): void {
  sessionStorage.removeItem(tokenKey);
  sessionStorage.removeItem(refreshKey);
}

let refreshing: Promise<void> | null = null;

/** Trades the refresh token for a new pair, once for all callers at a time. */
export async function refresh(): Promise<void> {
  refreshing ??= (async () => {
    try {
      const refreshToken = sessionStorage.getItem(refreshKey);
      if (!refreshToken) {
        forget();
        return;
      }
      const response = await fetch("/api/auth/refresh", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ refreshToken }),
      });
      if (response.ok) keep((await response.json()) as TokenPair);
      else if (response.status === 400 || response.status === 401 || response.status === 403) forget();
    } finally {
      refreshing = null;
    }
  })();
  await refreshing;
}

/** An access token good for at least another half minute; "" when signed out. */
export async function freshToken(): Promise<string> {
  const current = session();
  if (!current) return "";
  if (claimsOf(current.token).exp * 1000 - Date.now() > 30_000) return current.token;
  await refresh();
  return session()?.token ?? "";
}

export type SignInResult = "ok" | "wrong" | { reason: string; retryAfter?: number };

export async function signIn(username: string, password: string): Promise<SignInResult> {
  const response = await fetch("/api/auth/token", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password }),
  });
  if (response.ok) {
    keep((await response.json()) as TokenPair);
    return "ok";
  }
  if (response.status === 401 || response.status === 400) return "wrong";
  const problem = (await response.json().catch(() => ({}))) as { reason?: string; retryAfter?: number };
  return { reason: problem.reason ?? "unknown", retryAfter: problem.retryAfter };
}

export async function signOut(): Promise<void> {
  const refreshToken = sessionStorage.getItem(refreshKey);
  forget();
  if (refreshToken) {
    await fetch("/api/auth/revoke", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ refreshToken }),
    }).catch(() => undefined);
  }
}
