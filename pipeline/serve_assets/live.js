/* docloc serve: reload when the site was rebuilt.
 *
 * Served by `docloc serve` only, which adds this script to every page it serves:
 * `docloc build` output never carries it (a real host has no /__docloc/version).
 * The server holds each request until the version moves (or 20 s pass).
 * Before reloading it sends a cancelable "docloc:reload" event (editor.js).
 */
(function () {
  var known = null;
  function poll() {
    var url = "/__docloc/version" + (known === null ? "" : "?since=" + encodeURIComponent(known));
    fetch(url, { cache: "no-store" }).then(function (r) {
      if (!r.ok) { setTimeout(poll, 2000); return; }
      return r.text().then(function (v) {
        if (known !== null && v !== known) {
          // The editor panel cancels the event while it holds unsaved text; it reloads
          // the page itself when that text is saved or dropped.
          var go = document.dispatchEvent(new CustomEvent("docloc:reload",
            { detail: { version: v }, cancelable: true }));
          if (go) { location.reload(); return; }
        }
        known = v; setTimeout(poll, 50);
      });
    }).catch(function () { setTimeout(poll, 2000); });
  }
  poll();
})();
