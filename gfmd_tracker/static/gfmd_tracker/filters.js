// A filter form sends only what is set, each value once: the boxes left empty stay out of the
// address (?q=x, not ?q=x&owner=&responsible=). Without this script the server redirects such an
// address to the same one without them; this saves the round trip.
"use strict";

for (const form of document.querySelectorAll("form.filters")) {
  form.addEventListener("formdata", (event) => {
    const data = event.formData;
    const kept = new Map();
    for (const [name, value] of data.entries()) {
      if (typeof value === "string" && value.trim() !== "") kept.set(JSON.stringify([name, value]), [name, value]);
    }
    for (const name of new Set(data.keys())) data.delete(name);
    for (const [name, value] of kept.values()) data.append(name, value);
  });
}
