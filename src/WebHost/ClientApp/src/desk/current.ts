// The place the desk works on: chosen in the place picker, remembered for the tab; the staff
// member's own place at first.
import { ref } from "vue";
import { session } from "../api/session";

const key = "dispatch.desk.place";
export const currentPlaceId = ref<string>(sessionStorage.getItem(key) ?? "");

export function homePlaceId(): string {
  const place = session()?.place ?? "";
  return place === "*" ? "" : place;
}

export function choosePlace(id: string): void {
  currentPlaceId.value = id;
  sessionStorage.setItem(key, id);
}

export function resetPlace(): void {
  sessionStorage.removeItem(key);
  currentPlaceId.value = "";
}

/** Whether the signed-in staff member acts on the place (their own place or one below it). */
export function inScope(path: readonly string[]): boolean {
  const mine = session()?.place;
  if (!mine) return false;
  return mine === "*" || path.includes(mine);
}
