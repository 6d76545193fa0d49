/* docloc: the side-by-side reading aids.
 *
 * 1. Hover, focus (keyboard) or tap a translated sentence to see its English original.
 * 2. "Read in English" (in the page's language) switches the whole page (title, navigation, content) to the
 *    English build of the same page, and the choice persists across pages
 *    (localStorage) until the reader switches back or picks a language.
 */
(function () {
  var KEY = "docloc-read-in-english";
  var data = {};
  try { data = JSON.parse(document.getElementById("docloc-data").textContent); } catch (e) { return; }
  var site = data.site || {};
  var alternates = data.alternates || [];
  var here = (site.locale || "").toLowerCase();
  var sourceTag = null;
  (site.languages || []).forEach(function (l, i) { if (i === 0 || l.source) { sourceTag = sourceTag || l.tag; } });

  function hrefFor(lang) {
    for (var i = 0; i < alternates.length; i++) { if (alternates[i].lang === lang) { return alternates[i].href; } }
    return null;
  }
  var english = alternates.filter(function (a) { return a.lang.indexOf("en") === 0; })[0];
  var pref = null;
  try { pref = JSON.parse(localStorage.getItem(KEY) || "null"); } catch (e) { pref = null; }

  // Persisted choice: a translated page opens in English while the reader wants it.
  if (pref && !site.source && english) {
    pref.origin = here;
    localStorage.setItem(KEY, JSON.stringify(pref));
    location.replace(english.href + location.hash);
    return;
  }

  function button(label, onClick) {
    var b = document.createElement("button");
    b.type = "button"; b.className = "docloc-toggle"; b.textContent = label;
    b.addEventListener("click", onClick);
    var content = document.querySelector(".md-content__inner") || document.body;
    content.insertBefore(b, content.firstChild);
    return b;
  }
  if (!site.source && english) {
    // In the page's language: a reader who needs the button may not read English.
    button((site.strings || {}).read_in_english || "Read in English", function () {
      localStorage.setItem(KEY, JSON.stringify({ origin: here }));
      location.href = english.href + location.hash;
    });
  } else if (site.source && pref && pref.origin) {
    var back = hrefFor(pref.origin);
    var name = (site.languages || []).filter(function (l) { return l.tag === pref.origin; })[0];
    var label = name ? (name.back || "Back to " + name.name) : "Back to " + pref.origin;
    button(label, function () {
      localStorage.removeItem(KEY);
      if (back) { location.href = back + location.hash; }
      else { location.href = "../".repeat(location.pathname.split("/").length) + pref.origin + "/"; }
    });
  }
  // Choosing a language in the switcher is an explicit choice: forget the toggle. The
  // reader stays where they were: headings have the same ids in every language.
  document.querySelectorAll("a.docloc-switch").forEach(function (a) {
    a.addEventListener("click", function (event) {
      localStorage.removeItem(KEY);
      if (location.hash) { a.href = a.href.split("#")[0] + location.hash; }
      // Material's own handler of hreflang links would drop the anchor (and look for a
      // sitemap): this link already leads to the same page, so the browser follows it.
      event.stopPropagation();
    });
  });

  // The English original of a sentence, on hover, keyboard focus or tap.
  var tip = null, openedAt = 0;
  function show(seg) {
    hide();
    openedAt = Date.now();
    tip = document.createElement("div");
    tip.className = "docloc-tip"; tip.setAttribute("role", "tooltip"); tip.lang = "en";
    tip.textContent = seg.getAttribute("data-source");
    document.body.appendChild(tip);
    var r = seg.getBoundingClientRect();
    tip.style.left = Math.max(8, r.left + window.scrollX) + "px";
    tip.style.top = (r.bottom + window.scrollY + 6) + "px";
    seg.classList.add("docloc-open");
  }
  function hide() {
    if (tip) { tip.remove(); tip = null; }
    document.querySelectorAll(".docloc-open").forEach(function (s) { s.classList.remove("docloc-open"); });
  }
  document.querySelectorAll(".docloc-seg[data-source]").forEach(function (seg) {
    seg.tabIndex = 0;
    seg.addEventListener("mouseenter", function () { show(seg); });
    seg.addEventListener("mouseleave", hide);
    seg.addEventListener("focus", function () { show(seg); });
    seg.addEventListener("blur", hide);
    // A tap fires mouseenter and focus before click: only a later click closes.
    seg.addEventListener("click", function () {
      if (!seg.classList.contains("docloc-open")) { show(seg); }
      else if (Date.now() - openedAt > 500) { hide(); }
    });
  });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") { hide(); } });
})();
