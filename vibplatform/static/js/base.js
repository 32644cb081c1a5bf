// Behaviour shared by every page. No inline scripts anywhere: the Content-Security-Policy forbids them.
document.querySelectorAll("select[data-autosubmit]").forEach((select) => {
  select.addEventListener("change", () => select.form.submit());
});

// On a phone the menu folds away behind one button, so the page's own content comes first.
const menuToggle = document.querySelector(".menu-toggle");
if (menuToggle) {
  const header = menuToggle.closest(".topbar");
  header.classList.add("foldable");
  menuToggle.hidden = false;
  menuToggle.addEventListener("click", () => {
    const open = menuToggle.getAttribute("aria-expanded") !== "true";
    menuToggle.setAttribute("aria-expanded", String(open));
    header.classList.toggle("menu-open", open);
  });
}

// A table wider than a phone scrolls in its own box (see app.css); keyboard users must reach it too.
const markScrollableTables = () => {
  document.querySelectorAll("table.data").forEach((table) => {
    if (table.scrollWidth > table.clientWidth) table.setAttribute("tabindex", "0");
    else table.removeAttribute("tabindex");
  });
};
markScrollableTables();
window.addEventListener("resize", markScrollableTables);
