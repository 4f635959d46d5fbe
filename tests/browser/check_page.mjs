// Open a page in Debian's headless Chromium (driven by playwright-core) with the
// network cut; report console errors, every request that is not the page itself,
// how long it took to load, what the page shows, and keep a screenshot.
//   node check_page.mjs PAGE.html SCREENSHOT.png
import { createRequire } from "module";
const require = createRequire(import.meta.url);
const { chromium } = require(process.env.GRIDGOV_NODE_MODULES + "/playwright-core");

const [page_path, screenshot] = process.argv.slice(2);
const url = "file://" + page_path;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--host-resolver-rules=MAP * ~NOTFOUND"],
});
const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
const errors = [], requests = [];
page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
page.on("pageerror", (e) => errors.push(String(e)));
page.on("request", (r) => { if (r.url() !== url && !r.url().startsWith("data:")) requests.push(r.url()); });
const started = Date.now();
await page.goto(url, { waitUntil: "load", timeout: 30000 });
await page.waitForFunction(() => document.querySelectorAll(".leaflet-interactive, canvas").length > 0, null,
                           { timeout: 30000 });
const load_ms = Date.now() - started;
await page.waitForTimeout(500);
const shown = await page.evaluate(() => ({
  legend: !!document.querySelector("#gg-legend") && document.querySelector("#gg-legend").innerText,
  layers: Array.from(document.querySelectorAll(".leaflet-control-layers-overlays label")).map((l) => l.innerText.trim()),
  canvases: document.querySelectorAll("canvas").length,
  alerts: window.__alerted || 0,
}));
await page.screenshot({ path: screenshot });
// open the popup of one house: its text must be shown as text
const popup = await page.evaluate(() => {
  for (const key in window) {
    const map = window[key];
    if (map && map instanceof L.Map) {
      let found = null;
      map.eachLayer((layer) => {
        if (!found && layer.feature && layer.feature.properties && "risk_score" in layer.feature.properties
            && layer.getPopup && layer.getPopup()) { found = layer; }
      });
      if (found) { found.openPopup(); return document.querySelector(".leaflet-popup-content").innerHTML; }
    }
  }
  return null;
});
console.log(JSON.stringify({ errors, requests, load_ms, ...shown, popup }));
await browser.close();
