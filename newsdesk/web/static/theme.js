// Runs before the page paints: applies the reader's saved light/dark choice (no flash of the wrong theme).
(function () {
  document.documentElement.classList.add("js");
  try {
    var saved = localStorage.getItem("theme");
    if (saved === "dark" || saved === "light") document.documentElement.dataset.theme = saved;
  } catch (e) { /* storage may be disabled */ }
})();
