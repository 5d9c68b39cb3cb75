// The report-ins (双报到) waiting at the desk's place, for the menu's badge: counted when the desk
// opens a place, after each decision, and whenever a notice reaches this person's inbox (a
// report-in waiting is one). A unit's contact, who may not read them, is never asked.
import { reactive } from "vue";
import { api, num } from "../api/client";
import { session } from "../api/session";

export const waitingApplications = reactive({ count: 0 });

let generation = 0;

export async function countWaiting(placeId: string): Promise<void> {
  const role = session()?.role;
  if (!placeId || (role !== "staff" && role !== "admin")) return;
  const asked = ++generation;
  try {
    const page = await api.get("/api/places/{id}/applications", { path: { id: placeId }, query: { status: "waiting", pageSize: "1" } });
    if (asked === generation) waitingApplications.count = num(page.total);
  } catch {
    // The badge catches up with the next change.
  }
}
