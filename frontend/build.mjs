// Builds the CSS from GOV.UK Frontend's Sass and copies its script and assets
// into static/build, which Django's staticfiles (and whitenoise) then serve.
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "static", "build");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");

mkdirSync(out, { recursive: true });
const result = sass.compile(join(root, "frontend", "partnerhub.scss"), {
  importers: [new sass.NodePackageImporter(root)],
  style: "compressed",
  quietDeps: true,
});
writeFileSync(join(out, "partnerhub.css"), result.css);
cpSync(join(govuk, "govuk-frontend.min.js"), join(out, "govuk-frontend.min.js"));
cpSync(join(govuk, "assets", "manifest.json"), join(out, "assets", "manifest.json"), { recursive: true });
console.log("built static/build/partnerhub.css and govuk-frontend.min.js");
