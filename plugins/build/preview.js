// The preview's live reload (served by plugins/build/preview.py, never in output/):
// after each rebuild the server sends "reload" (the page reloads where it was) or
// "css" (only the stylesheets are fetched again).
(function () {
  "use strict";
  var key = "apercu-defilement:" + location.pathname;
  var saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    window.addEventListener("load", function () { window.scrollTo(0, Number(saved)); });
  }
  var events = new EventSource("/_apercu/evenements");
  events.onmessage = function (message) {
    if (message.data === "css") {
      document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
        var url = new URL(link.href);
        url.searchParams.set("apercu", Date.now());
        link.href = url.toString();
      });
      return;
    }
    sessionStorage.setItem(key, String(window.scrollY));
    location.reload();
  };
})();
