/* docloc serve: reload when the site was rebuilt.
 *
 * Served by `docloc serve` only, which adds this script to every page it serves:
 * `docloc build` output never carries it (a real host has no /__docloc/version).
 * The server holds each request until the version moves (or 20 s pass).
 */
(function () {
  var known = null;
  function poll() {
    var url = "/__docloc/version" + (known === null ? "" : "?since=" + encodeURIComponent(known));
    fetch(url, { cache: "no-store" }).then(function (r) {
      if (!r.ok) { setTimeout(poll, 2000); return; }
      return r.text().then(function (v) {
        if (known !== null && v !== known) {
          document.dispatchEvent(new CustomEvent("docloc:reload", { detail: { version: v } }));
          location.reload();
          return;
        }
        known = v; setTimeout(poll, 50);
      });
    }).catch(function () { setTimeout(poll, 2000); });
  }
  poll();
})();
