// Progressive enhancement only: every page works the same without this file.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  // A new sort order or story option applies at once instead of waiting for the Search button.
  for (const control of document.querySelectorAll("[data-autosubmit]")) {
    control.addEventListener("change", () => control.form.requestSubmit());
  }
  // Empty fields stay out of the URL (the server would redirect them away anyway).
  for (const form of document.querySelectorAll("form[method=get]")) {
    form.addEventListener("formdata", (event) => {
      const entries = [...event.formData.entries()];
      for (const [name] of entries) event.formData.delete(name);
      for (const [name, value] of entries) {
        if (value !== "") event.formData.append(name, value);
      }
    });
  }
  // On a phone the filters start folded so the results come first.
  if (window.matchMedia("(max-width: 48rem)").matches) {
    for (const details of document.querySelectorAll("details[data-collapse-narrow]")) {
      details.open = false;
    }
  }
});
