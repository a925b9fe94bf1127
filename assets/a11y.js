/* Larger text and high contrast, applied before the first paint (see onestop/ui/pages/a11y.py).
   The switches live in localStorage so they hold on every page and after the browser is closed. */
(function () {
  try {
    var root = document.documentElement;
    if (localStorage.getItem("onestop_large_text") === "1") root.classList.add("os-large");
    if (localStorage.getItem("onestop_high_contrast") === "1") root.classList.add("os-contrast");
  } catch (e) { /* storage blocked: defaults */ }
})();
