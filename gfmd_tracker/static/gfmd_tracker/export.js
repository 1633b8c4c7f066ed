// The admin export page's "Select all" (admin/gfmd_tracker/export.html): ticks or unticks every
// field of the export, and follows them, without the inline handler the Content-Security-Policy refuses.
document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.getElementById("select-all-toggle");
  if (!toggle) return;
  const fields = () => Array.from(document.querySelectorAll('.selectable-field-export-row input[type="checkbox"]'))
    .filter((field) => field !== toggle);
  toggle.addEventListener("change", () => {
    fields().forEach((field) => { field.checked = toggle.checked; });
  });
  document.addEventListener("change", (event) => {
    if (event.target !== toggle && event.target.closest(".selectable-field-export-row")) {
      toggle.checked = fields().every((field) => field.checked);
    }
  });
});
