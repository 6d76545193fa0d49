/* docfx: the parts of DocFX-flavored Markdown that need a script (pipeline/docfx.py).
 *
 * 1. Tabs of one DocFX id (# [Label](#tab/id)) switch together on the page, even
 *    when their labels differ; ?tabs=id in the URL opens them.
 * 2. Zone pivots (:::zone pivot=) and moniker ranges (::: moniker range=) get a
 *    selector; one choice is shown at a time and kept in the URL (?pivots=, ?view=).
 */
(function () {
  var params = new URLSearchParams(location.search);

  function keep(name, value) {
    var url = new URL(location.href);
    url.searchParams.set(name, value);
    history.replaceState(history.state, "", url.toString());
  }

  // 1. Tabs linked by id.
  function tabId(input) {
    var label = input.parentNode.querySelector('label[for="' + input.id + '"] .docfx-tab');
    return label ? label.getAttribute("data-tab") : null;
  }
  var inputs = Array.prototype.slice.call(document.querySelectorAll(".tabbed-set > input"));
  function openTab(id) {
    inputs.forEach(function (input) { if (tabId(input) === id) { input.checked = true; } });
  }
  inputs.forEach(function (input) {
    input.addEventListener("change", function () {
      var id = tabId(input);
      if (id) { openTab(id); keep("tabs", id); }
    });
  });
  if (params.get("tabs")) { params.get("tabs").split(",").forEach(openTab); }

  // 2. Pivots and monikers.
  // Pivot titles from the docset's zone-pivot-groups.yml ([id, title], in its order).
  var titles = {}, order = [];
  try {
    JSON.parse(document.getElementById("docloc-data").textContent).pivots.forEach(function (p) {
      titles[p[0]] = p[1]; order.push(p[0]);
    });
  } catch (e) { /* no titles: the ids are shown */ }
  function selector(selectorClass, attribute, param, split, named) {
    var blocks = Array.prototype.slice.call(document.querySelectorAll("." + selectorClass));
    if (!blocks.length) { return; }
    var choices = [];
    blocks.forEach(function (b) {
      split(b.getAttribute(attribute)).forEach(function (c) { if (choices.indexOf(c) < 0) { choices.push(c); } });
    });
    if (named) {
      choices.sort(function (a, b) {
        var i = order.indexOf(a), j = order.indexOf(b);
        return (i < 0 ? order.length : i) - (j < 0 ? order.length : j);
      });
    }
    var bar = document.createElement("div");
    bar.className = "docfx-selector"; bar.setAttribute("role", "group");
    var buttons = choices.map(function (choice) {
      var b = document.createElement("button");
      b.type = "button"; b.textContent = (named && titles[choice]) || choice;
      b.setAttribute("data-choice", choice);
      b.addEventListener("click", function () { pick(choice); keep(param, choice); });
      bar.appendChild(b);
      return b;
    });
    blocks[0].parentNode.insertBefore(bar, blocks[0]);
    function pick(choice) {
      blocks.forEach(function (b) {
        b.classList.toggle("docfx-hidden", split(b.getAttribute(attribute)).indexOf(choice) < 0);
      });
      buttons.forEach(function (b) { b.setAttribute("aria-pressed", String(b.getAttribute("data-choice") === choice)); });
    }
    var wanted = params.get(param);
    pick(wanted && choices.indexOf(wanted) >= 0 ? wanted : choices[0]);
  }
  selector("docfx-zone", "data-pivot", "pivots", function (v) { return (v || "").split(" ").filter(Boolean); }, true);
  selector("docfx-moniker", "data-moniker", "view", function (v) { return [v || ""]; });
})();
