import { initAll } from "../build/govuk-frontend.min.js";
// A plain script, not a module: it sets window.accessibleAutocomplete.
import "../build/accessible-autocomplete.min.js";

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

// A select for a long list (agencies, people) becomes GOV.UK's accessible autocomplete: type part
// of a name, or open the whole list with the arrow. The select stays in the form, hidden, and is
// what the form sends, so the page works the same without JavaScript.
function autocompleteSelect(select) {
  const { accessibleAutocomplete } = window;
  const id = select.id;
  const options = Array.from(select.options);
  const textOf = (option) => option.textContent.trim();
  const nothing = options.find((option) => option.value === "");
  // An optional select's empty choice ("No presenter named") is a choice like the others.
  const offered = options.filter((option) => option.value !== "" || !select.required).map(textOf);
  const describedBy = select.getAttribute("aria-describedby");
  const input = () => document.getElementById(id);

  // What the box shows is what the form sends: a name from the list, or nothing when the box is
  // cleared or holds words that name no one in it (a required field then says so at the field).
  const choose = (text) => {
    const wanted = (text ?? "").trim().toLocaleLowerCase();
    const option = options.find((each) => wanted && textOf(each).toLocaleLowerCase() === wanted);
    const before = select.value;
    (option || nothing || options[select.selectedIndex]).selected = true;
    // What depends on the choice (an agency's contacts, say) listens on the select, as it would
    // without JavaScript.
    if (select.value !== before) select.dispatchEvent(new Event("change", { bubbles: true }));
  };

  accessibleAutocomplete.enhanceSelectElement({
    selectElement: select,
    id,
    defaultValue: "",
    showAllValues: true,
    // Without it the box shows no type-ahead hint, an extra unlabelled input to a screen reader;
    // the arrow keys and Enter choose from the list.
    autoselect: false,
    source: (query, populate) => {
      const wanted = query.trim().toLocaleLowerCase();
      populate(offered.filter((text) => text.toLocaleLowerCase().includes(wanted)));
    },
    onConfirm: (text) => choose(text ?? input().value),
    inputClasses: select.classList.contains("govuk-select--error") ? "govuk-input--error" : null,
    tNoResults: () => "No match: try fewer letters, or open the list",
  });
  select.previousElementSibling.classList.add("partnerhub-autocomplete");

  // The field's hint and error message describe the box as they described the select; the
  // component rewrites aria-describedby as its own hint comes and goes, so they are put back.
  if (describedBy) {
    const describe = () => {
      const ids = new Set((input().getAttribute("aria-describedby") || "").split(" ").filter(Boolean));
      const before = ids.size;
      describedBy.split(" ").forEach((each) => ids.add(each));
      if (ids.size !== before) input().setAttribute("aria-describedby", Array.from(ids).join(" "));
    };
    describe();
    new MutationObserver(describe).observe(input(), { attributeFilter: ["aria-describedby"] });
  }
  // Enter with the list closed sends the form from the box without confirming anything.
  select.form?.addEventListener("submit", () => choose(input().value));
}

// "Add another" (a household member) adds a blank row in the page, copied from the row kept in a
// <template>, so the form is sent once, when it is complete. Without JavaScript the button sends
// the form back with one more row, everything typed kept (sharing/views/cases.py).
function addAnother(root) {
  const blank = root.querySelector("template");
  const button = root.querySelector('button[name="action"][value="add_member"]');
  const total = root.querySelector('input[name$="-TOTAL_FORMS"]');
  const most = Number(root.querySelector('input[name$="-MAX_NUM_FORMS"]')?.value || 1000);
  if (!blank || !button || !total) return;
  const numbered = (text, index) =>
    text.replaceAll("__prefix__", String(index)).replaceAll("__number__", String(index + 1));

  button.addEventListener("click", (event) => {
    event.preventDefault();
    const index = Number(total.value);
    const row = blank.content.firstElementChild.cloneNode(true);
    for (const element of [row, ...row.querySelectorAll("*")]) {
      for (const attribute of Array.from(element.attributes)) {
        attribute.value = numbered(attribute.value, index);
      }
    }
    const texts = document.createTreeWalker(row, NodeFilter.SHOW_TEXT);
    while (texts.nextNode()) texts.currentNode.nodeValue = numbered(texts.currentNode.nodeValue, index);
    button.before(row);
    total.value = String(index + 1);
    initAll({ scope: row });
    button.hidden = index + 1 >= most;
    // As GOV.UK's add-another pattern does: the new row's first box has the focus.
    row.querySelector("input:not([type=hidden]), select, textarea")?.focus();
  });
}

// Each element is enhanced once, though HTMX announces the whole page as new content too.
const once = (enhancement) => (element) => {
  if (element.dataset.enhanced) return;
  element.dataset.enhanced = "yes";
  enhancement(element);
};
const enhance = (root) => {
  root
    .querySelectorAll('[data-module="partnerhub-filterable-checkboxes"]')
    .forEach(once(filterableCheckboxes));
  root
    .querySelectorAll('select[data-module="partnerhub-autocomplete"]')
    .forEach(once(autocompleteSelect));
  root.querySelectorAll('[data-module="partnerhub-add-another"]').forEach(once(addAnother));
};
enhance(document);
// Part of a page swapped in by HTMX (a chosen agency's contacts) is enhanced like the rest.
document.addEventListener("htmx:load", (event) => enhance(event.detail.elt));
