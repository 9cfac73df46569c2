// Builds the CSS from GOV.UK Frontend's Sass (with accessible-autocomplete's stylesheet inside
// it) and copies their scripts and assets into static/build, which Django's staticfiles (and
// whitenoise) then serve.
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "static", "build");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");
const autocomplete = join(root, "node_modules", "accessible-autocomplete", "dist");

mkdirSync(out, { recursive: true });
const result = sass.compile(join(root, "frontend", "partnerhub.scss"), {
  importers: [new sass.NodePackageImporter(root)],
  style: "compressed",
  quietDeps: true,
});
writeFileSync(join(out, "partnerhub.css"), result.css);
cpSync(join(govuk, "govuk-frontend.min.js"), join(out, "govuk-frontend.min.js"));
cpSync(join(govuk, "assets", "manifest.json"), join(out, "assets", "manifest.json"), { recursive: true });
// The stylesheet names the crest (in the footer's styles); collectstatic refuses a missing one.
cpSync(join(govuk, "assets", "images", "govuk-crest.svg"), join(out, "assets", "images", "govuk-crest.svg"), {
  recursive: true,
});
// With its source map: the script names it on a line of its own, and collectstatic refuses a
// script whose named map is missing.
for (const name of ["accessible-autocomplete.min.js", "accessible-autocomplete.min.js.map"]) {
  cpSync(join(autocomplete, name), join(out, name));
}
console.log("built static/build/partnerhub.css, govuk-frontend.min.js and accessible-autocomplete.min.js");
