// Lighthouse (npm, package-lock.json) on several pages, one after another, in one
// Chromium: node tests/js/lighthouse_pages.mjs OUT_DIR SETTINGS URL...
// Writes OUT_DIR/<n>.json, Lighthouse's report for the n-th URL. SETTINGS is a JSON
// object of Lighthouse settings ({"onlyCategories": ["seo"]}, or {}). Chromium is CHROME_PATH, started
// with the flags in PAPERCAT_CHROME_FLAGS (a JSON array; tests/lighthouse.py sets both).
// Lighthouse's own defaults otherwise: mobile screen, simulated slow 4G and 4x CPU.
// One Chromium for the pages saves its start and Lighthouse's set-up for each page;
// Lighthouse clears the cache and storage of the origin before every page.
import fs from "node:fs";
import path from "node:path";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";

const [out, settings, ...urls] = process.argv.slice(2);
if (!out || !settings || urls.length === 0) {
  console.error("usage: lighthouse_pages.mjs OUT_DIR SETTINGS URL...");
  process.exit(2);
}
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH,
  chromeFlags: JSON.parse(process.env.PAPERCAT_CHROME_FLAGS || "[]"),
});
try {
  for (const [n, url] of urls.entries()) {
    const flags = {
      ...JSON.parse(settings), port: chrome.port, output: "json", logLevel: "error",
      disableFullPageScreenshot: true,
    };
    const result = await lighthouse(url, flags);
    fs.writeFileSync(path.join(out, `${n}.json`), result.report);
  }
} finally {
  await chrome.kill();
}
