// Live alerts on the supervisor's dashboard: server-sent events from /dashboard/alerts, shown
// at the top of the list with a visual notice (no sound) and a count in the heading.
"use strict";
(function () {
  const list = document.getElementById("alerts");
  if (!list || !window.EventSource) return;
  const status = document.getElementById("alerts-status");
  const count = document.getElementById("alert-count");
  const kinds = JSON.parse(list.dataset.kinds || "{}");
  let fresh = 0;
  const source = new EventSource("/dashboard/alerts");
  source.onopen = function () { status.textContent = list.dataset.live; };
  source.onerror = function () { status.textContent = list.dataset.lost; };
  function show(event) {
    let alert;
    try { alert = JSON.parse(event.data); } catch (e) { return; }
    const item = document.createElement("li");
    item.className = "fresh";
    const title = document.createElement("strong");
    title.textContent = kinds[alert.kind] || alert.kind;
    const when = document.createElement("time");
    when.dateTime = alert.at;
    when.textContent = " " + new Date(alert.at).toLocaleTimeString() + " ";
    const link = document.createElement("a");
    link.href = "/console/conversations/" + alert.conversation;
    link.textContent = list.dataset.open;
    const summary = document.createElement("span");
    summary.textContent = " — " + alert.summary + " · ";
    item.append(title, when, summary, link);
    list.prepend(item);
    fresh += 1;
    count.hidden = false;
    count.textContent = fresh + " " + list.dataset.new;
  }
  Object.keys(kinds).forEach(function (kind) { source.addEventListener(kind, show); });
  source.addEventListener("message", show);
})();
