// wardbook: every copy knows its date. Each page carries the day it was published (and the
// last day it is valid) in <html data-…>; opened more than data-stale-after-days after that, or
// after the valid-until day, the page says so at its top. It needs no request, so it works from
// a shared drive (file://). A device clock before the publish day cannot tell the age.
// With [offline] enabled and served over http(s), it also registers the service worker (sw.js),
// shows when the offline copy was updated, and after data-lockout-days without reaching the site
// opens the page behind a notice the reader must acknowledge.
(function () {
  "use strict";
  var DAY = 86400000;
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];
  var data = document.documentElement;
  var body = document.body;
  var region = document.getElementById("copy-age");
  if (!body || !region) return;

  // "2026-12-06" → milliseconds at UTC midnight; NaN if malformed.
  function day(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    return m ? Date.UTC(+m[1], +m[2] - 1, +m[3]) : NaN;
  }
  function long(ms) {
    var d = new Date(ms);
    return d.getUTCDate() + " " + MONTHS[d.getUTCMonth()] + " " + d.getUTCFullYear();
  }
  function today() {
    var now = new Date();
    return Date.UTC(now.getFullYear(), now.getMonth(), now.getDate());
  }
  // A paragraph of text with "the current version" as a link when the site's address is known.
  function say(cls, before, after) {
    var p = document.createElement("p");
    p.appendChild(document.createTextNode(before));
    var current = data.getAttribute("data-current");
    if (current) {
      var a = document.createElement("a");
      a.href = current;
      a.textContent = current;
      p.appendChild(a);
    } else {
      p.appendChild(document.createTextNode("the guidelines website"));
    }
    p.appendChild(document.createTextNode(after));
    region.className = "copy-age wrap " + cls;
    region.appendChild(p);
  }

  var published = day(data.getAttribute("data-published"));
  var valid = day(data.getAttribute("data-valid-until"));
  var staleAfter = parseInt(data.getAttribute("data-stale-after-days"), 10) || 90;
  var now = today();
  if (!isNaN(published)) {
    var age = Math.round((now - published) / DAY);
    if (now < published) {
      say("copy-age-unknown", "This copy was published on " + long(published) +
        ", but this device's clock is set earlier, so wardbook cannot tell how old this copy is. Check ",
        " for the current version.");
    } else if (age > staleAfter || (!isNaN(valid) && now > valid)) {
      var expired = !isNaN(valid) && now > valid ? " It was valid until " + long(valid) + "." : "";
      say("copy-age-stale", "This copy was published on " + long(published) + " (" + age +
        (age === 1 ? " day" : " days") + " ago)." + expired + " Check ", " for the current version.");
    }
  }

  var root = data.getAttribute("data-offline-root");
  if (root === null || !/^https?:$/.test(location.protocol) || !("serviceWorker" in navigator)) return;
  // Without signal the worker already in charge serves the page; registering again would only
  // fail to fetch sw.js.
  if (navigator.onLine || !navigator.serviceWorker.controller) {
    navigator.serviceWorker.register(root + "sw.js", { scope: root }).then(function (reg) {
      if (reg.active) reg.active.postMessage("wardbook-check");
    }, function () {});
  }
  navigator.serviceWorker.addEventListener("message", function (event) {
    if (!event.data || event.data.type !== "wardbook-updated") return;
    var p = document.createElement("p");
    p.className = "copy-updated";
    p.textContent = "A newer edition has been saved on this device for use without signal. Reload the page to read it.";
    region.className = "copy-age wrap";
    region.appendChild(p);
  });
  lockout(parseInt(data.getAttribute("data-lockout-days"), 10) || 14);

  // The notice over the page when the offline copy has not reached the site for `days` days.
  function lockout(days) {
    if (!window.caches) return;
    var key = new URL(root + "__wardbook/meta.json", location.href).href;
    caches.open("wardbook-meta").then(function (c) { return c.match(key); })
      .then(function (res) { return res ? res.json() : null; })
      .then(function (meta) {
        if (!meta || !meta.reached) return;
        var since = Math.floor((Date.now() - meta.reached) / DAY);
        if (since < days || sessionStorage.getItem("wardbook-ack") === String(meta.reached)) return;
        showLock(meta.reached, since);
      }, function () {});
  }
  function showLock(reached, since) {
    var lock = document.createElement("div");
    lock.className = "offline-lock";
    lock.setAttribute("role", "alertdialog");
    lock.setAttribute("aria-modal", "true");
    lock.setAttribute("aria-labelledby", "offline-lock-title");
    lock.setAttribute("aria-describedby", "offline-lock-text");
    var box = document.createElement("div");
    box.className = "offline-lock-box";
    var h = document.createElement("h2");
    h.id = "offline-lock-title";
    h.textContent = "This offline copy may be out of date";
    var p = document.createElement("p");
    p.id = "offline-lock-text";
    p.textContent = "This device has not reached the guidelines website for " + since +
      " days (since " + long(reached - reached % DAY) + "). Guidelines may have changed since. " +
      "Connect to check for the current version, or continue with this copy and check it as soon as you can.";
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = "I understand: continue with this copy";
    button.addEventListener("click", function () {
      sessionStorage.setItem("wardbook-ack", String(reached));
      lock.remove();
      others.forEach(function (el) { el.removeAttribute("inert"); });
    });
    box.appendChild(h);
    box.appendChild(p);
    box.appendChild(button);
    lock.appendChild(box);
    // Everything else is out of reach until the reader acknowledges the notice.
    var others = Array.prototype.slice.call(body.children);
    others.forEach(function (el) { el.setAttribute("inert", ""); });
    body.appendChild(lock);
    button.focus();
  }
})();
