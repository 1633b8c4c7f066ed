// Boxes with data-names (partials/name_input.html): as one types, the names that start with
// what was typed, read from that address, are offered in the box's <datalist>. Without this
// script the box still works: the exact name typed is used.
"use strict";

async function offerNames(box) {
  const typed = box.value.trim();
  if (typed === box.dataset.asked) return;
  box.dataset.asked = typed;
  const address = new URL(box.dataset.names, window.location.href);
  address.searchParams.set("q", typed);
  const response = await fetch(address, { headers: { Accept: "application/json" } });
  if (!response.ok || typed !== box.dataset.asked) return; // a later answer is on its way
  const { names } = await response.json();
  box.list.querySelectorAll("option[data-found]").forEach((option) => option.remove());
  for (const name of names) {
    const option = document.createElement("option");
    option.value = name;
    option.dataset.found = "";
    box.list.append(option);
  }
}

for (const box of document.querySelectorAll("input[data-names]")) {
  let timer;
  box.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => offerNames(box), 150);
  });
}
