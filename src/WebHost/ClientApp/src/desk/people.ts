// People by username, loaded once each: the desk shows display names, never usernames. An account
// the caller may not read (outside their scope) keeps showing its username.
import { reactive } from "vue";
import { api } from "../api/client";

const names = reactive(new Map<string, string>());
const asked = new Set<string>();

/** Remembers names the page already has (a list it loaded), so that nobody is asked for them again. */
export function knowName(username: string, displayName: string): void {
  names.set(username, displayName);
  asked.add(username);
}

/** The person's display name if known (and starts loading it); the username meanwhile. */
export function personName(username: string | null | undefined): string {
  if (!username) return "";
  const known = names.get(username);
  if (known) return known;
  if (!asked.has(username)) {
    asked.add(username);
    void api
      .get("/api/accounts/{username}", { path: { username } })
      .then((account) => names.set(username, account.displayName))
      .catch(() => undefined);
  }
  return username;
}
