// Behaviour shared by every page. No inline scripts anywhere: the Content-Security-Policy forbids them.
document.querySelectorAll("select[data-autosubmit]").forEach((select) => {
  select.addEventListener("change", () => select.form.submit());
});
