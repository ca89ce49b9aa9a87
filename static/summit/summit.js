/* Summit reader: layer toggles remembered in localStorage, the person card panel.
 * Loaded in <head> without defer so the remembered layers apply before first paint;
 * everything touching the page waits for DOMContentLoaded. No inline script anywhere.
 * The layers are the server's (views.LAYERS), read from the toggles' data-layer. */
(function () {
  "use strict";
  var KEY = "summit.layers";
  var LAYER_NAME = /^[a-z]+$/;
  var root = document.documentElement;
  root.classList.add("js");

  function load() {
    try {
      var stored = JSON.parse(window.localStorage.getItem(KEY) || "null");
      return stored && typeof stored === "object" ? stored : {};
    } catch (e) {
      return {};
    }
  }

  function save(state) {
    try {
      window.localStorage.setItem(KEY, JSON.stringify(state));
    } catch (e) {
      /* private mode: the choice lasts for this page only */
    }
  }

  // Layers a reader has to turn on (views.LAYERS_OFF_BY_DEFAULT; the toggles say it
  // too, in data-default): before the toggles exist, this list stands in for them.
  var OFF_BY_DEFAULT = { repeats: true };

  function shown(state, layer) {
    return layer in state ? state[layer] !== false : !OFF_BY_DEFAULT[layer];
  }

  function apply(state) {
    Object.keys(OFF_BY_DEFAULT).concat(Object.keys(state)).forEach(function (layer) {
      if (LAYER_NAME.test(layer)) root.classList.toggle("hide-" + layer, !shown(state, layer));
    });
    document.querySelectorAll(".story__body a.m-ent").forEach(function (link) {
      // A name drawn as plain text is no stop for Tab.
      var hidden = !shown(state, "entities") ||
        (!link.classList.contains("m-ent--first") && !shown(state, "repeats"));
      if (hidden) link.setAttribute("tabindex", "-1");
      else link.removeAttribute("tabindex");
    });
  }

  apply(load());

  function initLayers() {
    var form = document.querySelector("[data-layers-form]");
    if (!form) return;
    var reader = document.getElementById("reader");
    var boxes = form.querySelectorAll("input[data-layer]");
    var state = load();
    if (reader && reader.dataset.layersExplicit === "true") {
      // The URL said which layers to show (the no-JS form): that choice wins and is kept.
      state = {};
      boxes.forEach(function (box) {
        state[box.dataset.layer] = box.checked;
      });
      save(state);
    }
    // From here on the <html> classes rule; drop the server's copy.
    boxes.forEach(function (box) {
      var layer = box.dataset.layer;
      if (reader) reader.classList.remove("hide-" + layer);
      OFF_BY_DEFAULT[layer] = box.dataset.default === "false";
      box.checked = shown(state, layer);
      box.addEventListener("change", function () {
        var next = load();
        next[box.dataset.layer] = box.checked;
        save(next);
        apply(next);
      });
    });
    apply(state);
    form.addEventListener("submit", function (event) {
      event.preventDefault(); // the checkboxes already applied the choice
    });
  }

  function cardSlot() {
    return document.getElementById("card");
  }

  function closeCard() {
    var slot = cardSlot();
    if (!slot) return;
    slot.replaceChildren();
    if (slot._opener && document.body.contains(slot._opener)) slot._opener.focus();
  }

  function initCard() {
    document.addEventListener("click", function (event) {
      var close = event.target.closest("[data-card-close]");
      if (close) {
        event.preventDefault();
        closeCard();
        return;
      }
      var opener = event.target.closest("[hx-target='#card'] [hx-get]");
      if (opener && cardSlot()) cardSlot()._opener = opener;
    });
    document.addEventListener("keydown", function (event) {
      var slot = cardSlot();
      if (event.key === "Escape" && slot && slot.firstElementChild) closeCard();
    });
    document.body.addEventListener("htmx:afterSwap", function (event) {
      var slot = cardSlot();
      if (slot && event.detail.target === slot) {
        var rail = slot.closest(".rail");
        if (rail) rail.scrollTop = 0; // the card sits at the top of the reading rail
        var heading = slot.querySelector(".card__name");
        if (heading) heading.focus({ preventScroll: true });
      }
    });
  }

  // In the text, j and k move to the next and the previous mark shown (a name, a quote,
  // a speaker's tag, a key claim); only while focus is in the article, so that the keys
  // never take a letter from a form or from a screen reader's own commands elsewhere.
  var MARKS = ".m-ent, q.m-quote[id], mark.m-claim:not([data-cont]), a.q-cite";

  function visibleMarks(body) {
    return Array.prototype.filter.call(body.querySelectorAll(MARKS), function (el) {
      if (el.matches(".m-ent") && root.matches(".hide-entities")) return false;
      if (el.matches(".m-ent:not(.m-ent--first)") && root.matches(".hide-repeats")) return false;
      if (el.matches(".m-quote") && root.matches(".hide-quotes")) return false;
      if (el.matches(".m-claim") && root.matches(".hide-claims")) return false;
      return el.getClientRects().length > 0;
    });
  }

  function initMarkKeys() {
    var body = document.querySelector("[data-marks]");
    if (!body) return;
    var story = body.closest("article") || body;
    story.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      if (event.key !== "j" && event.key !== "k") return;
      if (event.target.closest("input, textarea, select, [contenteditable], #card")) return;
      var marks = visibleMarks(body);
      if (!marks.length) return;
      var here = marks.indexOf(document.activeElement);
      var next;
      if (here >= 0) {
        next = marks[here + (event.key === "j" ? 1 : -1)];
      } else {
        // From elsewhere in the text: the first mark after (or before) the focus.
        var from = document.activeElement;
        var after = marks.filter(function (m) {
          return from === body || from.compareDocumentPosition(m) & Node.DOCUMENT_POSITION_FOLLOWING;
        });
        next = event.key === "j" ? after[0] : marks[marks.length - after.length - 1];
      }
      if (!next) return;
      event.preventDefault();
      if (!next.matches("a[href]")) next.setAttribute("tabindex", "-1");
      next.focus();
    });
  }

  function initMore() {
    // After "More quotes" appends a page, keyboard focus moves to the new page.
    document.body.addEventListener("htmx:afterSettle", function (event) {
      var elt = event.detail.requestConfig && event.detail.requestConfig.elt;
      var id = elt && elt.dataset && elt.dataset.focusAfter;
      var next = id && document.getElementById(id);
      if (next) next.focus();
    });
  }

  function initDisclosures() {
    // Reading tools are open beside the text on a wide screen and folded on a phone,
    // so that the first paragraph starts on the first screen.
    if (!window.matchMedia("(min-width: 62rem)").matches) return;
    document.querySelectorAll("details[data-open-wide]").forEach(function (d) {
      d.open = true;
    });
  }

  function initCleanUrls() {
    // A form's empty fields stay out of the address (?q=&kind= says nothing).
    document.body.addEventListener("htmx:configRequest", function (event) {
      var params = event.detail.parameters;
      if (!params || event.detail.verb !== "get") return;
      if (typeof params.forEach === "function" && typeof params.delete === "function") {
        var empty = [];
        params.forEach(function (value, key) { if (value === "") empty.push(key); });
        empty.forEach(function (key) { params.delete(key); });
      } else {
        Object.keys(params).forEach(function (key) { if (params[key] === "") delete params[key]; });
      }
    });
  }

  function initCite() {
    // "Cite" copies the citation as plain text and as a link; without a clipboard (or
    // without JavaScript) the link opens the quote's page, which shows the citation.
    document.addEventListener("click", function (event) {
      var link = event.target.closest("a[data-cite-text]");
      if (!link || !navigator.clipboard) return;
      event.preventDefault();
      var text = link.dataset.citeText;
      var html = link.dataset.citeHtml;
      var done = function () {
        link.setAttribute("data-copied", "");
        announce("Citation copied");
        window.setTimeout(function () { link.removeAttribute("data-copied"); }, 2500);
      };
      var fallback = function () { window.location.href = link.href; };
      var copy;
      if (window.ClipboardItem && html) {
        copy = navigator.clipboard.write([
          new window.ClipboardItem({
            "text/plain": new Blob([text], { type: "text/plain" }),
            "text/html": new Blob([html], { type: "text/html" }),
          }),
        ]).catch(function () { return navigator.clipboard.writeText(text); });
      } else {
        copy = navigator.clipboard.writeText(text);
      }
      copy.then(done, fallback);
    });
  }

  function announce(message) {
    var status = document.getElementById("status");
    if (status) status.textContent = message;
  }

  document.addEventListener("DOMContentLoaded", function () {
    initCite();
    initDisclosures();
    initCleanUrls();
    initLayers();
    initCard();
    initMarkKeys();
    initMore();
  });
})();
