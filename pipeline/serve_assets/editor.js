/* docloc serve --edit: translate in the page.
 *
 * Served by `docloc serve --edit` only, which adds it (with the run's token in
 * <meta name="docloc-token"> and the panel's words in #docloc-editor-strings) to the
 * pages it sends: `docloc build` output never carries it. No request leaves the server.
 *
 * 1. The page's entries come from GET /__docloc/api/entries?page=<this path>. Each
 *    segment of the article (.docloc-seg: translated, its English in data-source;
 *    .docloc-fallback: shown in English) is matched to an entry by its plain English
 *    text, in page order (the closest entry ahead when the text differs).
 * 2. A matched segment is focusable (Tab); click or Enter opens the panel: the English
 *    source with its markup made readable, the translation, state, notes, the previous
 *    English with the change highlighted, suggestions, check findings, fuzzy.
 * 3. Save (or Ctrl+Enter) sends PUT /__docloc/api/entries/<id> with X-Docloc-Token.
 *    serve rebuilds and live.js reloads the page; the saved segment gets the focus back.
 *    While the panel holds unsaved text, a rebuild does not reload the page under it.
 * 4. 409: the file changed on disk since the panel opened. Both texts are shown and
 *    nothing is written; "Reload" brings the file's text, with yours as a suggestion.
 * 5. "Next untranslated" / "Next fuzzy" walk the page, then the next pages of the
 *    navigation (<link rel="next">).
 * 6. The panel's words and direction follow the page (<html lang>, dir of the page).
 */
(function () {
  "use strict";
  var tokenMeta = document.querySelector('meta[name="docloc-token"]');
  if (!tokenMeta || !window.fetch || !window.sessionStorage) { return; }
  var TOKEN = tokenMeta.getAttribute("content");
  var API = "/__docloc/api/entries";
  var STORE = "docloc-editor";
  var MAX_HOPS = 300;
  var PAGE = location.pathname;
  var WORDS = {};
  try { WORDS = JSON.parse(document.getElementById("docloc-editor-strings").textContent); } catch (e) { WORDS = {}; }
  var LANG = document.documentElement.getAttribute("lang") || "";
  var DIR = document.documentElement.getAttribute("dir") || document.body.getAttribute("dir") ||
    window.getComputedStyle(document.body).direction || "ltr";

  function t(key, values) {
    var text = WORDS[key] || key;
    Object.keys(values || {}).forEach(function (name) { text = text.split("{" + name + "}").join(values[name]); });
    return text;
  }
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (name === "text") { node.textContent = attrs[name]; }
      else if (name === "className") { node.className = attrs[name]; }
      else { node.setAttribute(name, attrs[name]); }
    });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }
  function norm(text) { return (text || "").replace(/\s+/g, " ").trim(); }
  function words(text) { return norm(text).toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean); }

  var pending = null;
  try { pending = JSON.parse(sessionStorage.getItem(STORE) || "null"); } catch (e) { pending = null; }
  sessionStorage.removeItem(STORE);
  function remember(value) { sessionStorage.setItem(STORE, JSON.stringify(value)); }

  // -- 1. segments and entries ------------------------------------------------------------

  var entries = [];
  var segments = [];  // {node, entry}, in page order

  function overlap(a, b) {
    var left = words(a), right = words(b);
    if (!left.length || !right.length) { return 0; }
    var set = {}; right.forEach(function (w) { set[w] = true; });
    var common = left.filter(function (w) { return set[w]; }).length;
    return common / Math.max(left.length, right.length);
  }

  function match() {
    var byText = {};
    entries.forEach(function (entry, i) {
      var key = norm(entry.text);
      (byText[key] = byText[key] || []).push(i);
    });
    var cursor = 0;
    var nodes = document.querySelectorAll(".md-content .docloc-seg, .md-content .docloc-fallback");
    Array.prototype.forEach.call(nodes, function (node) {
      if (node.closest(".docloc-editor")) { return; }
      var text = norm(node.classList.contains("docloc-seg") && node.hasAttribute("data-source")
        ? node.getAttribute("data-source") : node.textContent);
      var found = -1;
      var same = byText[text];
      if (same) {
        found = same.filter(function (i) { return i >= cursor; })[0];
        if (found === undefined) { found = same[0]; }
      } else {
        // Markup plain text cannot reproduce (an xref, a no-loc): the closest entry ahead.
        var best = 0.5;
        for (var i = cursor; i < Math.min(entries.length, cursor + 8); i++) {
          var score = overlap(text, entries[i].text);
          if (score >= best) { best = score; found = i; }
        }
      }
      if (found < 0) { return; }
      if (found >= cursor) { cursor = found + 1; }
      var entry = entries[found];
      segments.push({ node: node, entry: entry });
      node.classList.add("docloc-editable");
      node.classList.add("docloc-state-" + entry.state);
      node.setAttribute("data-docloc-entry", entry.id);
      node.setAttribute("aria-haspopup", "dialog");
      node.tabIndex = 0;
    });
  }

  function segmentOf(node) {
    for (var i = 0; i < segments.length; i++) { if (segments[i].node === node) { return segments[i]; } }
    return null;
  }
  function firstSegment(id) {
    return segments.filter(function (s) { return s.entry.id === id; })[0] || null;
  }

  // -- 2. the panel --------------------------------------------------------------------------

  var panel = null, parts = {}, current = null, dirty = false, reloadWaiting = false, saving = false;
  var saved = false;  // the panel's last save is the rebuild to come: focus it after the reload

  function section(name, heading) {
    var title = el("h3", { id: "docloc-ed-" + name + "-title", text: heading });
    var body = el("div", { className: "docloc-ed-body" });
    var box = el("section", { className: "docloc-ed-" + name, "aria-labelledby": title.id }, [title, body]);
    parts[name] = { box: box, body: body };
    return box;
  }

  function build() {
    panel = el("dialog", { className: "docloc-editor", "aria-labelledby": "docloc-ed-title",
      lang: LANG, dir: DIR });
    var close = el("button", { type: "button", className: "docloc-ed-close", "aria-label": t("close"),
      title: t("close"), text: "×" });
    close.addEventListener("click", function () { hide(); });
    parts.state = el("span", { className: "docloc-ed-state" });
    parts.where = el("p", { className: "docloc-ed-where" });
    parts.missing = el("p", { className: "docloc-ed-missing", text: t("missing") });
    parts.textarea = el("textarea", { id: "docloc-ed-text", rows: "4", lang: LANG, dir: DIR,
      spellcheck: "true" });
    parts.textarea.addEventListener("input", function () { dirty = true; });
    parts.fuzzy = el("input", { type: "checkbox", id: "docloc-ed-fuzzy" });
    parts.fuzzy.addEventListener("change", function () { dirty = true; });
    parts.save = el("button", { type: "submit", className: "docloc-ed-save", text: t("save") });
    parts.nextUntranslated = el("button", { type: "button", className: "docloc-ed-next-untranslated",
      text: t("next_untranslated") });
    parts.nextFuzzy = el("button", { type: "button", className: "docloc-ed-next-fuzzy", text: t("next_fuzzy") });
    parts.nextUntranslated.addEventListener("click", function () { next("untranslated"); });
    parts.nextFuzzy.addEventListener("click", function () { next("fuzzy"); });
    parts.status = el("p", { className: "docloc-ed-status", role: "status", "aria-live": "polite" });
    parts.markup = el("pre", { className: "docloc-ed-markup", lang: "en", dir: "ltr" });
    var form = el("form", { className: "docloc-ed-form" }, [
      el("label", { "for": "docloc-ed-text", className: "docloc-ed-label", text: t("translation") }),
      parts.textarea,
      el("label", { className: "docloc-ed-check" }, [parts.fuzzy, " " + t("fuzzy_box")]),
      el("div", { className: "docloc-ed-actions" }, [parts.save, parts.nextUntranslated, parts.nextFuzzy]),
      el("p", { className: "docloc-ed-keys", text: t("keys") })]);
    form.addEventListener("submit", function (event) { event.preventDefault(); save(); });
    parts.textarea.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); save(); }
    });
    var source = section("source", t("source"));
    parts.source = el("div", { className: "docloc-ed-text", lang: "en", dir: "ltr" });
    source.querySelector(".docloc-ed-body").appendChild(parts.source);
    source.querySelector(".docloc-ed-body").appendChild(
      el("details", {}, [el("summary", { text: t("markup") }), parts.markup]));
    panel.appendChild(el("header", { className: "docloc-ed-header" }, [
      el("h2", { id: "docloc-ed-title", text: t("title") }), parts.state, close]));
    [parts.where, parts.missing, source, section("previous", t("previous")), form, parts.status,
      section("conflict", t("conflict_title")), section("suggestions", t("suggestions")),
      section("findings", t("findings")), section("comments", t("comments")),
      section("notes", t("notes"))].forEach(function (part) { panel.appendChild(part); });
    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { event.preventDefault(); event.stopPropagation(); hide(); }
    });
    panel.addEventListener("cancel", function (event) { event.preventDefault(); hide(); });
    document.body.appendChild(panel);
  }

  // The English with its markup made readable: code, emphasis and link text shown as
  // such, what a translator must keep (link targets, xrefs, HTML tags) as tags.
  var TOKENS = /(`+)([\s\S]+?)\1|\*\*([\s\S]+?)\*\*|__([\s\S]+?)__|\*([^*\s][^*]*?)\*|!\[([^\]]*)\]\(([^)\s]*)[^)]*\)|\[([^\]]+)\]\(([^)\s]*)[^)]*\)|<xref:([^>\s]+)>|:::no-loc text="([^"]*)":::|<\/?[A-Za-z][^>]*>/g;
  function tag(text) { return el("span", { className: "docloc-ed-tag", text: text }); }
  function readable(markdown) {
    var out = document.createDocumentFragment(), last = 0, found;
    TOKENS.lastIndex = 0;
    while ((found = TOKENS.exec(markdown)) !== null) {
      if (found.index > last) { out.appendChild(document.createTextNode(markdown.slice(last, found.index))); }
      last = TOKENS.lastIndex;
      if (found[2] !== undefined) { out.appendChild(el("code", { text: found[2] })); }
      else if (found[3] !== undefined || found[4] !== undefined) {
        out.appendChild(el("strong", {}, [readable(found[3] !== undefined ? found[3] : found[4])]));
      } else if (found[5] !== undefined) { out.appendChild(el("em", {}, [readable(found[5])])); }
      else if (found[7] !== undefined) { out.appendChild(tag("🖼 " + (found[6] || found[7]))); }
      else if (found[9] !== undefined) {
        out.appendChild(el("span", { className: "docloc-ed-link" }, [readable(found[8])]));
        out.appendChild(tag("→ " + found[9]));
      } else if (found[10] !== undefined) { out.appendChild(tag("xref: " + found[10])); }
      else if (found[11] !== undefined) {
        out.appendChild(el("span", { className: "docloc-ed-noloc", title: "no-loc", text: found[11] }));
      } else { out.appendChild(tag(found[0])); }
      if (TOKENS.lastIndex === found.index) { TOKENS.lastIndex++; }
    }
    if (last < markdown.length) { out.appendChild(document.createTextNode(markdown.slice(last))); }
    return out;
  }

  // The change between two texts, word by word (longest common subsequence).
  function wordDiff(before, after) {
    var a = norm(before).split(" "), b = norm(after).split(" ");
    var n = a.length, m = b.length;
    if (n * m > 400000) { return [["-", a.join(" ")], ["+", b.join(" ")]]; }
    var table = [];
    for (var i = 0; i <= n; i++) { table.push(new Uint16Array(m + 1)); }
    for (i = n - 1; i >= 0; i--) {
      for (var j = m - 1; j >= 0; j--) {
        table[i][j] = a[i] === b[j] ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
      }
    }
    var ops = [];
    function push(kind, word) {
      var tail = ops[ops.length - 1];
      if (tail && tail[0] === kind) { tail[1] += " " + word; } else { ops.push([kind, word]); }
    }
    i = 0; j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[i] === b[j]) { push("=", a[i]); i++; j++; }
      else if (j >= m || (i < n && table[i + 1][j] >= table[i][j + 1])) { push("-", a[i]); i++; }
      else { push("+", b[j]); j++; }
    }
    return ops;
  }
  function renderDiff(before, after) {
    var out = document.createDocumentFragment();
    wordDiff(before, after).forEach(function (op, index) {
      if (index) { out.appendChild(document.createTextNode(" ")); }
      out.appendChild(op[0] === "=" ? document.createTextNode(op[1])
        : el(op[0] === "-" ? "del" : "ins", { text: op[1] }));
    });
    return out;
  }

  function fill(name, items, render) {
    var part = parts[name];
    part.body.textContent = "";
    part.box.hidden = !items.length;
    if (!items.length) { return; }
    var list = el("ul");
    items.forEach(function (item) { list.appendChild(el("li", {}, [render(item)])); });
    part.body.appendChild(list);
  }

  function status(text, kind) {
    parts.status.textContent = text || "";
    parts.status.className = "docloc-ed-status" + (kind ? " docloc-ed-" + kind : "");
  }

  function showEntry(entry, extra) {
    parts.state.textContent = t(entry.state);
    parts.state.className = "docloc-ed-state docloc-ed-state-" + entry.state;
    parts.where.textContent = t("catalog") + ": " + entry.catalog + (entry.line ? ":" + entry.line : "") +
      (entry.occurrences > 1 ? " · " + t("occurrences", { count: entry.occurrences }) : "") +
      (entry.msgctxt ? " · msgctxt " + entry.msgctxt : "");
    parts.missing.hidden = !entry.missing;
    parts.source.textContent = "";
    parts.source.appendChild(readable(entry.msgid));
    parts.markup.textContent = entry.msgid;
    parts.previous.body.textContent = "";
    parts.previous.box.hidden = !entry.previous;
    if (entry.previous) {
      parts.previous.body.appendChild(el("p", { className: "docloc-ed-diff", lang: "en", dir: "ltr" },
        [renderDiff(entry.previous, entry.msgid)]));
    }
    parts.textarea.value = entry.msgstr;
    parts.fuzzy.checked = !!entry.fuzzy;
    var suggestions = (extra && extra.unsaved ? [{ msgstr: extra.unsaved, unsaved: true }] : [])
      .concat(entry.suggestions || []);
    fill("suggestions", suggestions, function (item) {
      var use = el("button", { type: "button", className: "docloc-ed-suggestion", lang: LANG, dir: DIR }, [
        el("span", { className: "docloc-ed-suggestion-text", text: item.msgstr }),
        el("small", { text: item.unsaved ? t("unsaved") :
          t("score", { score: item.score }) + (item.from ? " · " + item.from : "") })]);
      use.setAttribute("aria-label", t("use") + ": " + item.msgstr);
      use.addEventListener("click", function () {
        parts.textarea.value = item.msgstr; dirty = true; parts.textarea.focus();
      });
      return use;
    });
    showFindings(entry.findings || []);
    fill("comments", entry.comments || [], function (text) { return document.createTextNode(text); });
    fill("notes", entry.notes || [], function (text) { return document.createTextNode(text); });
    parts.conflict.box.hidden = true;
    parts.save.hidden = false;
    status("");
  }
  function showFindings(findings) {
    fill("findings", findings, function (finding) {
      return el("span", { className: "docloc-ed-finding docloc-ed-" + finding.severity }, [
        el("strong", { text: finding.severity + " · " + finding.check + ": " }), finding.message]);
    });
  }

  function open(segment, extra) {
    if (!panel) { build(); }
    if (current) { current.node.classList.remove("docloc-ed-current"); }
    current = segment;
    dirty = false;
    saved = false;
    segment.node.classList.add("docloc-ed-current");
    showEntry(segment.entry, extra);
    if (!panel.open) { panel.show(); }
    segment.node.scrollIntoView({ block: "nearest" });
    parts.textarea.focus();
    if (extra && extra.unsaved) { dirty = true; }
  }

  function hide() {
    if (!panel || !panel.open) { return; }
    panel.close();
    dirty = false;
    if (current) {
      current.node.classList.remove("docloc-ed-current");
      current.node.focus();
    }
    if (reloadWaiting) { location.reload(); }
  }

  // -- 3. and 4. saving ------------------------------------------------------------------------

  function save() {
    if (!current || saving) { return; }
    var entry = current.entry;
    var sent = { msgstr: parts.textarea.value, fuzzy: parts.fuzzy.checked, revision: entry.revision };
    saving = true;
    status(t("saving"));
    fetch(API + "/" + encodeURIComponent(entry.id), {
      method: "PUT", cache: "no-store", body: JSON.stringify(sent),
      headers: { "Content-Type": "application/json", "X-Docloc-Token": TOKEN, "X-Docloc-Page": PAGE }
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { code: response.status, data: data };
      });
    }).then(function (answer) {
      saving = false;
      if (answer.code === 200) {
        entries.forEach(function (other) {
          if (other.catalog === entry.catalog) { other.revision = answer.data.revision; }
        });
        ["msgstr", "fuzzy", "state", "previous", "findings", "line"].forEach(function (name) {
          entry[name] = answer.data[name];
        });
        dirty = false;
        saved = true;
        remember({ page: PAGE, focus: entry.id, savedAt: Date.now() });
        status(t("saved"), "ok");
        if (reloadWaiting) { location.reload(); }
      } else if (answer.code === 409) {
        conflict(sent, answer.data);
      } else {
        status(t("not_saved", { message: answer.data.error || String(answer.code) }), "error");
        if (answer.data.findings) { showFindings(answer.data.findings); }
      }
    }).catch(function (error) {
      saving = false;
      status(t("not_saved", { message: String(error) }), "error");
    });
  }

  function conflict(sent, data) {
    var theirs = data.theirs;
    var part = parts.conflict;
    part.body.textContent = "";
    part.body.appendChild(el("p", { className: "docloc-ed-error", text: t("conflict") }));
    function side(label, text, fuzzy, name) {
      return el("div", { className: "docloc-ed-side docloc-ed-" + name }, [
        el("h4", { text: label + (fuzzy ? " (" + t("fuzzy") + ")" : "") }),
        el("p", { lang: LANG, dir: DIR, text: text })]);
    }
    part.body.appendChild(side(t("yours"), sent.msgstr, sent.fuzzy, "yours"));
    part.body.appendChild(side(t("theirs"), theirs ? theirs.msgstr : "—", theirs && theirs.fuzzy, "theirs"));
    var reload = el("button", { type: "button", className: "docloc-ed-reload", text: t("reload") });
    reload.addEventListener("click", function () {
      remember({ page: PAGE, reopen: current.entry.id, unsaved: sent.msgstr });
      location.reload();
    });
    part.body.appendChild(reload);
    part.box.hidden = false;
    parts.save.hidden = true;
    status(data.error || t("conflict"), "error");
    reload.focus();
  }

  // A rebuild (this save, or another) reloads the page, unless the panel holds unsaved text.
  document.addEventListener("docloc:reload", function (event) {
    if (panel && panel.open && (dirty || saving || !parts.conflict.box.hidden)) {
      event.preventDefault();
      reloadWaiting = true;
      if (!saving) { status(t("rebuilt")); }
    } else if (panel && panel.open && current && !saved) {
      remember({ page: PAGE, reopen: current.entry.id });
    }
  });

  // -- 5. next untranslated, next fuzzy ----------------------------------------------------

  function wanted(entry, state) { return entry.state === state; }

  function nextPage(state, hops) {
    var link = document.querySelector('link[rel="next"][href]') ||
      document.querySelector("a.md-footer__link--next[href]");
    if (!link || hops >= MAX_HOPS) { return false; }
    remember({ walk: state, hops: hops + 1 });
    location.href = link.href;
    return true;
  }

  function next(state) {
    var start = current ? segments.indexOf(current) + 1 : 0;
    for (var i = start; i < segments.length; i++) {
      if (wanted(segments[i].entry, state) && (!current || segments[i].entry !== current.entry)) {
        open(segments[i]);
        return;
      }
    }
    if (nextPage(state, 0)) {
      if (panel) { status(t("searching")); }
    } else if (panel) {
      status(t("none_left"));
    }
  }

  function notice(text) {
    var box = el("div", { className: "docloc-ed-notice", role: "status", lang: LANG, dir: DIR, text: text });
    document.body.appendChild(box);
    setTimeout(function () { box.remove(); }, 6000);
  }

  // -- start -------------------------------------------------------------------------------

  function resume() {
    if (!pending) { return; }
    if (pending.walk) {
      var found = segments.filter(function (s) { return wanted(s.entry, pending.walk); })[0];
      if (found) { open(found); return; }
      if (!nextPage(pending.walk, pending.hops || 0)) { notice(t("none_left")); }
      return;
    }
    if (pending.page !== PAGE) { return; }
    if (pending.reopen) {
      var again = firstSegment(pending.reopen);
      if (again) { open(again, { unsaved: pending.unsaved }); }
    } else if (pending.focus) {
      var saved = firstSegment(pending.focus);
      if (saved) {
        saved.node.scrollIntoView({ block: "center" });
        saved.node.focus();
        saved.node.classList.add("docloc-ed-saved");
      }
    }
  }

  document.addEventListener("click", function (event) {
    var node = event.target.closest && event.target.closest(".docloc-editable");
    var segment = node && segmentOf(node);
    if (!segment) { return; }
    event.preventDefault();  // a segment inside a link opens the panel, not the link
    open(segment);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" && event.key !== " ") { return; }
    var segment = event.target.classList && event.target.classList.contains("docloc-editable") &&
      segmentOf(event.target);
    if (!segment) { return; }
    event.preventDefault();
    open(segment);
  });

  fetch(API + "?page=" + encodeURIComponent(PAGE), { cache: "no-store" }).then(function (response) {
    return response.ok ? response.json() : [];
  }).then(function (list) {
    entries = list;
    match();
    document.documentElement.setAttribute("data-docloc-editor", String(segments.length));
    resume();
  }).catch(function () {
    document.documentElement.setAttribute("data-docloc-editor", "0");
    if (pending && pending.walk) { nextPage(pending.walk, pending.hops || 0); }
  });
})();
