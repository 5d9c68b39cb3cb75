// The volunteer page: offers made to me, my claims (completed with the beneficiary's check-in
// code when I have it), my community's open requests claimed with one tap, and my points.
import { LiveFeed, api, escapeHtml, reasonText, session, t, translatePage, whenSignedIn } from "./common.js";

let open = [];
let mine = [];
let offers = [];
let points = null;
let pending = null; // A refresh asked for and not yet started.
let generation = 0; // Which refresh may draw: only the newest.

translatePage(render);
whenSignedIn(start);

async function start() {
  const me = session();
  document.getElementById("who").textContent = `${me.name} · ${me.place}`;
  document.getElementById("volunteer").classList.remove("hidden");
  await refresh();

  // Live: changes in my community refresh what I see, at most a few times a second.
  const feed = new LiveFeed(() => refreshSoon(), () => refreshSoon(), () => {});
  try { await feed.watch(me.place); } catch { /* The page still works without live updates. */ }
}

function refreshSoon() {
  pending ??= setTimeout(async () => { pending = null; await refresh(); }, 250);
}

async function refresh() {
  const current = ++generation;
  const me = session();
  const [board, profile, balance] = await Promise.all([
    api("GET", `/api/communities/${encodeURIComponent(me.place)}/requests?status=open&pageSize=100`),
    api("GET", `/api/volunteers/${encodeURIComponent(me.username)}`),
    api("GET", `/api/volunteers/${encodeURIComponent(me.username)}/points?limit=1`),
  ]);
  const held = profile.ok ? profile.body.activeClaims : [];
  const offered = profile.ok ? profile.body.pendingOffers ?? [] : [];
  const read = async (ids) => (await Promise.all(ids.map((id) => api("GET", `/api/requests/${id}`)))).filter((r) => r.ok).map((r) => r.body);
  const [claims, offerViews] = await Promise.all([read(held), read(offered)]);
  if (current !== generation) return; // A newer refresh started meanwhile: let it draw.
  open = board.ok ? board.body.items.filter((r) => !held.includes(r.id)) : [];
  mine = claims;
  // The request itself says whether the offer still waits for me.
  offers = offerViews.filter((r) => r.offer?.volunteer === me.username);
  points = balance.ok ? balance.body.balance : null;
  render();
}

function render() {
  document.getElementById("points").textContent = points === null ? "" : `${t("myPoints")}: ${points}`;
  document.getElementById("offers").innerHTML = offers.length
    ? offers.map((r) => `<div class="card offer" data-id="${r.id}" role="group" aria-label="${escapeHtml(r.title)}">
        <div><b>${escapeHtml(r.title)}</b><div class="meta">${escapeHtml(t(r.kind))} · ${escapeHtml(t("answerBy"))} ${escapeHtml(new Date(r.offer.expiresAt).toLocaleTimeString())}</div></div>
        <button class="small primary act" data-action="offer/accept" data-id="${r.id}" type="button">${escapeHtml(t("accept"))}</button>
        <button class="small act" data-action="offer/decline" data-id="${r.id}" type="button">${escapeHtml(t("decline"))}</button></div>`).join("")
    : `<p class="status">${escapeHtml(t("noOffers"))}</p>`;
  document.getElementById("open").innerHTML = open.length
    ? open.map((r) => `<div class="card" data-id="${r.id}" role="group" aria-label="${escapeHtml(r.title)}">
        <div><b>${escapeHtml(r.title)}</b><div class="meta">${escapeHtml(t(r.kind))} · ${r.freePlaces}/${r.places} ${escapeHtml(t("free"))}</div></div>
        <button class="primary claim" type="button" data-id="${r.id}">${escapeHtml(t("claim"))}</button></div>`).join("")
    : `<p class="status">${escapeHtml(t("nothingOpen"))}</p>`;
  document.getElementById("claims").innerHTML = mine.length
    ? mine.map((r) => `<div class="card mine" data-id="${r.id}" role="group" aria-label="${escapeHtml(r.title)}">
        <div><b>${escapeHtml(r.title)}</b><div class="meta">${escapeHtml(t(r.status))}${r.beneficiary ? ` · ${escapeHtml(r.beneficiary.name)} ${escapeHtml(r.beneficiary.phone ?? "")}` : ""}</div></div>
        ${r.status === "open" || r.status === "claimed" ? `<button class="small act" data-action="start" data-id="${r.id}" type="button">${escapeHtml(t("start"))}</button>` : ""}
        ${r.status === "inProgress" ? `<input class="code" data-id="${r.id}" inputmode="numeric" autocomplete="off" maxlength="32" placeholder="${escapeHtml(t("checkInCode"))}" aria-label="${escapeHtml(t("checkInCode"))}">
          <button class="small act" data-action="complete" data-id="${r.id}" type="button">${escapeHtml(t("complete"))}</button>` : ""}
      </div>`).join("")
    : `<p class="status">${escapeHtml(t("noClaims"))}</p>`;

  for (const button of document.querySelectorAll(".claim")) button.onclick = () => claim(button.dataset.id);
  for (const button of document.querySelectorAll(".act")) {
    button.onclick = async () => {
      const result = await api("POST", `/api/requests/${button.dataset.id}/${button.dataset.action}`, body(button));
      say(result.ok ? "" : `${t("failed")} ${result.body?.detail ?? result.status}`, result.ok);
      await refresh();
    };
  }
}

// Completing sends the beneficiary's check-in code when one was typed: it verifies the work at once.
function body(button) {
  if (button.dataset.action !== "complete") return undefined;
  const code = document.querySelector(`.code[data-id="${button.dataset.id}"]`)?.value.trim();
  return code ? { checkInCode: code } : {};
}

async function claim(id) {
  const result = await api("POST", `/api/requests/${id}/claim`);
  say(result.ok ? t("claimWon") : reasonText(result.body?.reason, result.body?.detail), result.ok);
  await refresh();
}

function say(message, ok) {
  const element = document.getElementById("message");
  element.textContent = message;
  element.classList.toggle("ok", ok);
}
