// Places by id, loaded once each: the desk shows names, never ids.
import { reactive } from "vue";
import { api, type Schemas } from "../api/client";

export type Place = Schemas["PlaceInfo"];

const known = reactive(new Map<string, Place>());
const loading = new Map<string, Promise<Place | null>>();

export function loadPlace(id: string): Promise<Place | null> {
  const cached = known.get(id);
  if (cached) return Promise.resolve(cached);
  let pending = loading.get(id);
  if (!pending) {
    pending = api
      .get("/api/places/{id}", { path: { id } })
      .then((place) => {
        known.set(id, place);
        return place;
      })
      .catch(() => null)
      .finally(() => loading.delete(id));
    loading.set(id, pending);
  }
  return pending;
}

/** The place's name if loaded (and starts loading it); the id meanwhile. */
export function placeName(id: string | null | undefined): string {
  if (!id) return "";
  const place = known.get(id);
  if (place) return place.name;
  void loadPlace(id);
  return "…";
}

export function cachedPlace(id: string): Place | undefined {
  return known.get(id);
}

/** The communities at or below a place (breadth first, up to `limit`). */
export async function communitiesBelow(id: string, limit = 500): Promise<Place[]> {
  const found: Place[] = [];
  let level = [id];
  while (level.length && found.length < limit) {
    const places = (await Promise.all(level.map(loadPlace))).filter((p): p is Place => p !== null);
    level = [];
    for (const place of places) {
      if (place.kind === "community") found.push(place);
      else if (place.kind !== "grid") level.push(...place.children);
    }
  }
  return found.slice(0, limit);
}

/** Drops a place from the cache (it was renamed): the next read loads it again. */
export function forgetPlace(id: string): void {
  known.delete(id);
}

/** The place and every place below it (breadth first, up to `limit`), for pickers. */
export async function placesBelow(id: string, limit = 500): Promise<Place[]> {
  const found: Place[] = [];
  let level = [id];
  while (level.length && found.length < limit) {
    const places = (await Promise.all(level.map(loadPlace))).filter((p): p is Place => p !== null);
    level = [];
    for (const place of places) {
      found.push(place);
      level.push(...place.children);
    }
  }
  return found.slice(0, limit);
}
