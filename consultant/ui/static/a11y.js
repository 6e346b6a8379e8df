// Accessibility helpers the page cannot express with Streamlit elements alone (inlined by consultant/ui/app.py through
// st.html; no remote content). Streamlit re-runs this script whenever CONFIG.focus changes, i.e. when the
// transcript shown gained a reply or another consultation was opened.
//  1. The conversation is a live region (role=log, aria-live=polite): new replies are read out; aria-busy is
//     true while the app runs, so a reply is announced once it is complete.
//  2. The chat box gets the focus on page load and after each reply, unless the person has moved the focus
//     elsewhere (a profile field, a link): a reply never steals the focus from what someone is doing.
(function (CONFIG) {
  "use strict";
  var LOG = ".st-key-chat_log";
  var BOX = '[data-testid="stChatInputTextArea"]';
  var OWN = [LOG, ".st-key-sessions"]; // focus there may move on to the chat box (the clicked item is gone)
  var state = window.__consultantA11y || (window.__consultantA11y = { token: null, observer: null });

  function mark() {
    var log = document.querySelector(LOG);
    if (!log) return;
    if (log.getAttribute("aria-live") !== "polite") {
      log.setAttribute("role", "log");
      log.setAttribute("aria-live", "polite");
      log.setAttribute("aria-relevant", "additions");
      log.setAttribute("aria-label", "Conversation");
    }
    var app = document.querySelector("[data-test-script-state]");
    var busy = app && app.getAttribute("data-test-script-state") === "running" ? "true" : "false";
    if (log.getAttribute("aria-busy") !== busy) log.setAttribute("aria-busy", busy);
  }

  function free(active) {
    if (!active || active === document.body || active === document.documentElement) return true;
    if (active.matches(BOX)) return true;
    return OWN.some(function (selector) { return active.closest(selector) !== null; });
  }

  function focusChatBox(deadline) {
    var box = document.querySelector(BOX);
    if (box && !box.disabled) {
      if (free(document.activeElement)) box.focus({ preventScroll: true });
      return;
    }
    if (Date.now() < deadline) window.setTimeout(function () { focusChatBox(deadline); }, 50);
  }

  if (!state.observer) {
    state.observer = new MutationObserver(mark);
    state.observer.observe(document.body, { childList: true, subtree: true, attributes: true,
                                            attributeFilter: ["data-test-script-state"] });
  }
  mark();
  if (CONFIG.focus !== state.token) {
    var firstLoad = state.token === null;
    state.token = CONFIG.focus;
    // On a touch-only phone, focusing on load would pop the keyboard over the page before anyone asked.
    var touchOnly = window.matchMedia("(hover: none) and (pointer: coarse)").matches;
    if (!(firstLoad && touchOnly)) focusChatBox(Date.now() + 10000);
  }
})(__CONFIG__);
