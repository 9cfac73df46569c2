import { initAll } from "../build/govuk-frontend.min.js";

initAll();

// A long list of checkboxes (sixty agencies, a hundred people) shows only what is chosen, with a
// box that finds the rest as you type and a button that shows them all, so the page stays short.
// Without JavaScript the plain list works as before; a ticked box is sent whether shown or not.
function filterableCheckboxes(root) {
  const items = Array.from(root.querySelectorAll(".govuk-checkboxes__item"));
  const boxes = root.querySelector(".govuk-checkboxes");
  if (!boxes || items.length === 0) return;
  const what = root.dataset.filterNoun || "items";
  const id = `${boxes.id}-filter`;

  const group = document.createElement("div");
  group.className = "govuk-form-group partnerhub-filter";
  const label = document.createElement("label");
  label.className = "govuk-label";
  label.htmlFor = id;
  label.textContent = `Find ${what}`;
  const hint = document.createElement("div");
  hint.className = "govuk-hint";
  hint.id = `${id}-hint`;
  hint.textContent = "Type part of a name. The ones you have chosen stay listed.";
  const input = document.createElement("input");
  input.className = "govuk-input govuk-!-width-two-thirds";
  input.id = id;
  input.type = "search";
  input.autocomplete = "off";
  input.spellcheck = false;
  input.setAttribute("aria-describedby", hint.id);
  const status = document.createElement("p");
  status.className = "govuk-body-s partnerhub-filter__status";
  status.setAttribute("aria-live", "polite");
  const showAll = document.createElement("button");
  showAll.type = "button";
  showAll.className = "govuk-button govuk-button--secondary govuk-!-margin-bottom-2";
  group.append(label, hint, input, status, showAll);
  boxes.before(group);

  let showingAll = false;
  // A box just ticked or unticked stays listed (and focused) until the search changes.
  const kept = new Set();
  const update = () => {
    const wanted = input.value.trim().toLocaleLowerCase();
    let shown = 0;
    let chosen = 0;
    for (const item of items) {
      const ticked = item.querySelector(".govuk-checkboxes__input").checked;
      const match = wanted ? item.textContent.toLocaleLowerCase().includes(wanted) : showingAll;
      item.hidden = !(match || ticked || kept.has(item));
      if (!item.hidden) shown += 1;
      if (ticked) chosen += 1;
    }
    status.textContent = `${chosen} chosen; ${shown} of ${items.length} ${what} listed`;
    showAll.textContent = showingAll ? `List only the ${what} chosen` : `List all ${items.length} ${what}`;
  };
  input.addEventListener("input", () => {
    kept.clear();
    update();
  });
  // Enter in the box would send the whole form; here it only finds.
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") event.preventDefault();
  });
  showAll.addEventListener("click", () => {
    showingAll = !showingAll;
    input.value = "";
    kept.clear();
    update();
  });
  root.addEventListener("change", (event) => {
    const item = event.target.closest(".govuk-checkboxes__item");
    if (!item) return;
    kept.add(item);
    update();
  });
  update();
}

document
  .querySelectorAll('[data-module="partnerhub-filterable-checkboxes"]')
  .forEach(filterableCheckboxes);
