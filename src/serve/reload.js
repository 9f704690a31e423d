// wardbook serve: live reload. Injected only into pages served by `wardbook serve`.
// Listens to the server's event stream; reloads the page (keeping its scroll position) when a newer
// build is served, and shows the problems of a failed build in an overlay until they are fixed.
(function () {
  'use strict';
  var script = document.currentScript;
  var pageBuild = Number(script && script.getAttribute('data-build'));
  var scrollKey = 'wardbook-scroll:' + location.pathname;
  var OVERLAY_ID = 'wardbook-overlay';

  function restoreScroll() {
    var saved = null;
    try { saved = JSON.parse(sessionStorage.getItem(scrollKey)); sessionStorage.removeItem(scrollKey); } catch (e) { saved = null; }
    if (saved && saved.length === 2) window.scrollTo(saved[0], saved[1]);
  }
  if (document.readyState === 'complete') restoreScroll(); else window.addEventListener('load', restoreScroll);

  function reload() {
    try { sessionStorage.setItem(scrollKey, JSON.stringify([window.scrollX, window.scrollY])); } catch (e) { /* private mode */ }
    location.reload();
  }

  function el(tag, css, text) {
    var e = document.createElement(tag);
    if (css) e.style.cssText = css;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function hideOverlay() {
    var old = document.getElementById(OVERLAY_ID);
    if (old) old.remove();
  }

  function diagnostic(d) {
    var box = el('section', 'margin:0 0 1rem;padding:.75rem;background:#fff;border-left:6px solid #d5281b;color:#212b32');
    box.className = 'wardbook-diagnostic';
    box.appendChild(el('p', 'margin:0 0 .25rem;font-weight:700', d.location + ': ' + d.severity + '[' + d.rule + ']'));
    box.appendChild(el('p', 'margin:0 0 .5rem', d.message));
    if (d.source_line !== null && d.source_line !== undefined) {
      var num = String(d.line);
      var pad = num.replace(/./g, ' ');
      var caret = '';
      if (d.col > 0) caret = '\n' + pad + ' | ' + d.source_line.slice(0, d.col - 1).replace(/[^\t]/g, ' ') + '^'.repeat(Math.max(1, d.span));
      box.appendChild(el('pre', 'margin:0;padding:.5rem;background:#f0f4f5;overflow:auto;font-size:.9rem', num + ' | ' + d.source_line + caret));
    }
    if (d.help) box.appendChild(el('p', 'margin:.5rem 0 0', 'help: ' + d.help));
    return box;
  }

  function showOverlay(status) {
    hideOverlay();
    var o = el('div', 'position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(33,43,50,.92);color:#fff;font:16px/1.5 Arial,sans-serif;padding:1.5rem');
    o.id = OVERLAY_ID;
    o.setAttribute('role', 'alertdialog');
    o.setAttribute('aria-labelledby', OVERLAY_ID + '-title');
    var inner = el('div', 'max-width:60rem;margin:0 auto');
    var n = status.errors.length;
    inner.appendChild(el('h2', 'margin:0 0 .5rem;font-size:1.5rem', 'The last save has ' + n + (n === 1 ? ' problem' : ' problems')));
    inner.lastChild.id = OVERLAY_ID + '-title';
    inner.appendChild(el('p', 'margin:0 0 1rem', 'Every page is still served from the last good build. Fix the file and save: this message goes away by itself.'));
    status.errors.forEach(function (d) { inner.appendChild(diagnostic(d)); });
    var close = el('button', 'font:inherit;padding:.25rem 1rem;cursor:pointer', 'Hide');
    close.type = 'button';
    close.addEventListener('click', hideOverlay);
    inner.appendChild(close);
    o.appendChild(inner);
    document.body.appendChild(o);
  }

  function onStatus(status) {
    if (status.build !== pageBuild) { reload(); return; }
    if (status.errors && status.errors.length) showOverlay(status); else hideOverlay();
  }

  if (!window.EventSource) return;
  var source = new EventSource('/__wardbook/events');
  source.onopen = function () { document.documentElement.setAttribute('data-wardbook-live', 'connected'); };
  source.onmessage = function (ev) {
    var status;
    try { status = JSON.parse(ev.data); } catch (e) { return; }
    onStatus(status);
  };
  window.addEventListener('pagehide', function () { source.close(); });
  window.addEventListener('pageshow', function (e) { if (e.persisted) location.reload(); });
})();
