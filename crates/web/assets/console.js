// The console's live parts: a suggested reply goes into the draft in one click, and the draft is
// coached as it is typed (debounced), the result read out politely to screen readers. Without
// this script the page still works: "Use this reply" reloads with the draft filled in.
"use strict";
(function () {
  const main = document.querySelector("main.conversation");
  if (!main) return;
  const draft = document.getElementById("draft");
  const coach = document.getElementById("coach");
  const params = new URLSearchParams(location.search);
  if (params.get("draft")) draft.value = params.get("draft");

  let timer = null;
  let sent = 0;
  async function coachNow() {
    const text = draft.value;
    const mine = ++sent;
    if (!text.trim()) return;
    try {
      const response = await fetch("/console/conversations/" + main.dataset.conversation + "/coach", {
        method: "POST",
        credentials: "same-origin",
        headers: { "content-type": "application/json", "x-csrf-token": main.dataset.csrf },
        body: JSON.stringify({ draft: text }),
      });
      if (response.ok && mine === sent) {
        coach.innerHTML = await response.text(); // server-rendered and escaped by tact
      }
    } catch (e) {
      // Offline for a moment: the next keystroke tries again.
    }
  }
  function later() {
    clearTimeout(timer);
    timer = setTimeout(coachNow, 400);
  }
  draft.addEventListener("input", later);
  document.querySelectorAll("button.use-reply").forEach(function (button) {
    button.addEventListener("click", function (event) {
      event.preventDefault();
      draft.value = button.dataset.reply;
      draft.focus();
      coachNow();
    });
  });
  if (draft.value) coachNow();
})();
