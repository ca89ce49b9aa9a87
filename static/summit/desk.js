/* The correction desk on the article page (signed-in editors only): select words in a
 * paragraph and the desk panel offers to add them as a quote, a name or a claim, with
 * the article, the paragraph and the text filled in, returning here after saving.
 * No inline script; links are built from the panel's data attributes. */
(function () {
  "use strict";

  function paragraphOf(node) {
    var el = node && (node.nodeType === 1 ? node : node.parentElement);
    while (el && !(el.id && /^p\d+$/.test(el.id) && el.closest(".story__body"))) {
      el = el.parentElement;
    }
    return el;
  }

  // What the page adds inside a paragraph that is not the article's text: the pilcrow,
  // a quote's speaker tag and tick, the editors' links, the author note's label.
  var NOT_TEXT = ".pilcrow, .q-after, .m-edit, .bio-label";

  // Where the selection starts in the paragraph's own text: which occurrence of the
  // words the editor meant when they stand in the paragraph more than once.
  function offsetIn(paragraph, range) {
    var walker = document.createTreeWalker(paragraph, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        return node.parentElement.closest(NOT_TEXT)
          ? NodeFilter.FILTER_REJECT
          : NodeFilter.FILTER_ACCEPT;
      },
    });
    var at = 0;
    var node;
    while ((node = walker.nextNode())) {
      if (node === range.startContainer) return at + range.startOffset;
      if (range.comparePoint(node, 0) >= 0) return at; // it began in a part skipped
      at += node.textContent.length;
    }
    return at;
  }

  function init() {
    var panel = document.querySelector("[data-desk-selection]");
    if (!panel) return;
    var picked = panel.querySelector("[data-desk-picked]");
    var links = panel.querySelectorAll("a[data-add]");
    var article = panel.getAttribute("data-article");
    var back = panel.getAttribute("data-next");

    function update() {
      var sel = window.getSelection();
      if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return;
      var first = paragraphOf(sel.anchorNode);
      var last = paragraphOf(sel.focusNode);
      if (!first || first !== last) return;
      var raw = sel.toString();
      var text = raw.replace(/^\s*¶\s*/, "").replace(/\s+/g, " ").trim();
      if (!text) return;
      // Spaces cut from the front (a pilcrow is not counted in the offset anyway).
      var lead = /^\s*¶/.test(raw) ? 0 : raw.length - raw.replace(/^\s*/, "").length;
      var offset = offsetIn(first, sel.getRangeAt(0)) + lead;
      var number = first.id.slice(1);
      picked.textContent = "“" + text + "” in ¶" + number;
      links.forEach(function (link) {
        var query = new URLSearchParams({
          article: article,
          paragraph_number: number,
          text: text,
          offset: offset,
          next: back + "#p" + number,
        });
        link.href = link.getAttribute("data-add") + "?" + query.toString();
      });
      panel.hidden = false;
    }

    document.addEventListener("mouseup", update);
    document.addEventListener("keyup", update);
    panel.setAttribute("data-desk-ready", ""); // listening: a selection is offered from now
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
