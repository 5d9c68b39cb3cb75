// The staff console: a live board of one place (and everything below it), its counters, and an
// alert feed of escalations to take up.
import { LiveFeed, api, escapeHtml, session, t, translatePage, whenSignedIn } from "./common.js";

const columns = ["open", "claimed", "inProgress", "completed"];
const requests = new Map();
let counters = null;
let alerts = [];
let feed = null;

translatePage(render);
whenSignedIn(start);

async function start() {
  const me = session();
  document.getElementById("who").textContent = me.name;
  document.getElementById("console").classList.remove("hidden");
  const place = document.getElementById("place");
  place.value = new URLSearchParams(location.search).get("place") ?? (me.place === "*" ? "" : me.place);
  feed = new LiveFeed(onSnapshot, onChange, (live) => {
    const status = document.getElementById("status");
    status.textContent = live ? t("live") : t("offline");
    status.classList.toggle("live", live);
  });
  document.getElementById("watch").onclick = () => watch(place.value.trim());
  if (place.value) await watch(place.value);
}

async function watch(placeId) {
  try {
    await feed.watch(placeId);
  } catch (error) {
    toast(`${t("failed")} ${error.message}`);
  }
}

function onSnapshot(snapshot) {
  requests.clear();
  for (const request of snapshot.requests) requests.set(request.id, request);
  counters = snapshot.counters;
  alerts = snapshot.alerts.map((request) => ({ request }));
  render();
}

function onChange(event) {
  if (event.counters) counters = event.counters;
  const request = event.request;
  if (request) {
    if (request.status === "verified" || request.status === "cancelled") requests.delete(request.id);
    else requests.set(request.id, request);
    alerts = alerts.filter((a) => a.request.id !== request.id);
    if (request.overdue) alerts.unshift({ request });
  }
  render();
}

function render() {
  if (!counters) return;
  const counterCards = [
    ["registeredVolunteers", counters.registeredVolunteers],
    ["dispatches", counters.dispatches],
    ["wishesFulfilled", counters.wishesFulfilled],
    ["mattersDone", counters.mattersDone],
    ["open", counters.open],
    ["claimed", counters.claimed],
    ["inProgress", counters.inProgress],
    ["overdue", counters.overdue],
  ];
  document.getElementById("counters").innerHTML = counterCards
    .map(([key, value]) => `<div class="counter" data-counter="${key}"><b>${value}</b><span>${escapeHtml(t(key))}</span></div>`).join("");

  document.getElementById("board").innerHTML = columns.map((status) => {
    const cards = [...requests.values()].filter((r) => r.status === status)
      .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
      .map(card).join("");
    return `<div class="column" data-status="${status}"><h2>${escapeHtml(t(status))}</h2>${cards}</div>`;
  }).join("");
  for (const element of document.querySelectorAll(".card")) {
    element.onclick = () => showDetail(element.dataset.id);
    // A card opens its details: by keyboard too, as the button it is announced as.
    element.onkeydown = (e) => {
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); showDetail(element.dataset.id); }
    };
  }

  document.getElementById("alerts").innerHTML = alerts.map(({ request }) => `
    <div class="alert" data-id="${request.id}" role="group" aria-label="${escapeHtml(request.title)}">
      <b>${escapeHtml(request.title)}</b><br>
      ${escapeHtml(t("level"))} ${request.escalationLevel} · ${escapeHtml(t("levels")[request.escalationLevel] ?? "")} · ${escapeHtml(request.escalationPlaceId)}
      ${request.owner ? `<div>${escapeHtml(t("owner"))}: ${escapeHtml(request.owner)}</div>` : ""}
      <button class="small acknowledge" type="button" data-id="${request.id}">${escapeHtml(t("acknowledge"))}</button>
    </div>`).join("");
  for (const button of document.querySelectorAll(".acknowledge")) {
    button.onclick = async () => {
      const result = await api("POST", `/api/requests/${button.dataset.id}/acknowledge`);
      toast(result.ok ? t("acknowledged") : `${t("failed")} ${result.body?.detail ?? result.status}`);
    };
  }
}

function card(request) {
  const claimants = request.claimants.length ? ` · ${request.claimants.map(escapeHtml).join(", ")}` : "";
  return `<div class="card${request.overdue ? " overdue" : ""}" data-id="${request.id}" role="button" tabindex="0">
    <div>${escapeHtml(request.title)}</div>
    <div class="meta">${escapeHtml(t(request.kind))}${claimants}${request.overdue ? ` · ${escapeHtml(t("overdue"))} (${request.escalationLevel})` : ""}</div>
  </div>`;
}

async function showDetail(id) {
  const [request, history] = await Promise.all([api("GET", `/api/requests/${id}`), api("GET", `/api/requests/${id}/history`)]);
  if (!request.ok) return toast(`${t("failed")} ${request.body?.detail ?? request.status}`);
  const r = request.body;
  const dialog = document.getElementById("detail");
  dialog.innerHTML = `
    <h2 id="detail-title">${escapeHtml(r.title)}</h2>
    <p>${escapeHtml(r.description ?? "")}</p>
    <p>${escapeHtml(t(r.status))} · ${escapeHtml(t("claimants"))}: ${r.claimants.map(escapeHtml).join(", ") || "—"}
       ${r.owner ? ` · ${escapeHtml(t("owner"))}: ${escapeHtml(r.owner)}` : ""}</p>
    ${r.beneficiary ? `<p>${escapeHtml(r.beneficiary.name)} ${escapeHtml(r.beneficiary.phone ?? "")} ${escapeHtml(r.beneficiary.address ?? "")}</p>` : ""}
    ${r.checkInCode ? `<p>${escapeHtml(t("checkInCode"))}: <b>${escapeHtml(r.checkInCode)}</b></p>` : ""}
    ${r.offer ? `<p>${escapeHtml(t("offeredTo"))}: ${escapeHtml(r.offer.volunteer)}</p>` : ""}
    ${r.status === "open" && !r.offer ? `<button class="small" type="button" id="auto-dispatch">${escapeHtml(t("autoDispatch"))}</button>` : ""}
    <h3>${escapeHtml(t("history"))}</h3>
    <ol>${(history.body ?? []).map((h) => `<li>${escapeHtml(h.at.slice(0, 19).replace("T", " "))} · ${escapeHtml(h.actor)} · ${escapeHtml(h.action)}${h.note ? ` · ${escapeHtml(h.note)}` : ""}</li>`).join("")}</ol>
    <button class="small" type="button" id="close-detail">${escapeHtml(t("close"))}</button>`;
  dialog.querySelector("#close-detail").onclick = () => dialog.close();
  const dispatch = dialog.querySelector("#auto-dispatch");
  if (dispatch) {
    dispatch.onclick = async () => {
      const result = await api("POST", `/api/requests/${id}/dispatch`, { auto: true });
      if (!result.ok) return toast(`${t("failed")} ${result.body?.detail ?? result.status}`);
      dialog.close();
      await showDetail(id);
    };
  }
  dialog.showModal();
}

function toast(message) {
  const element = document.createElement("div");
  element.className = "toast";
  element.setAttribute("role", "status");
  element.textContent = message;
  document.body.append(element);
  setTimeout(() => element.remove(), 4000);
}
