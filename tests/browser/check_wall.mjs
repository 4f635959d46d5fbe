// Open the command-centre wall in Debian's headless Chromium (playwright-core), network cut, at a screen's
// size and in a language; report how the tiles sit (inside the screen, clear of the map, nothing cut off),
// what they say, errors and requests, and keep a screenshot.
//   node check_wall.mjs PAGE.html WIDTH HEIGHT LANG SCREENSHOT.png
import { createRequire } from "module";
const require = createRequire(import.meta.url);
const { chromium } = require(process.env.GRIDGOV_NODE_MODULES + "/playwright-core");

const [page_path, width, height, lang, screenshot] = process.argv.slice(2);
const url = "file://" + page_path + (lang === "en" ? "#en" : "");
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--host-resolver-rules=MAP * ~NOTFOUND"],
});
const page = await browser.newPage({ viewport: { width: Number(width), height: Number(height) } });
const errors = [], requests = [];
page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
page.on("pageerror", (e) => errors.push(String(e)));
page.on("request", (r) => { if (!r.url().startsWith("file://" + page_path) && !r.url().startsWith("data:")) requests.push(r.url()); });
await page.goto(url, { waitUntil: "load", timeout: 30000 });
await page.waitForFunction(() => document.querySelectorAll("canvas").length > 0, null, { timeout: 30000 });
await page.waitForTimeout(500);
const box = (el) => { const r = el.getBoundingClientRect(); return { left: r.left, top: r.top, right: r.right, bottom: r.bottom }; };
const shown = await page.evaluate((box) => {
  const measure = eval(box);
  const map = document.querySelector(".folium-map");
  const tiles = Array.from(document.querySelectorAll(".tile")).map((tile) => ({
    id: tile.id, box: measure(tile), text: tile.innerText,
    cut: tile.scrollHeight > tile.clientHeight + 1 || tile.scrollWidth > tile.clientWidth + 1,
  }));
  let houses = 0;
  for (const key in window) {
    const value = window[key];
    if (value && value instanceof L.Map) {
      value.eachLayer((layer) => { if (layer.feature && layer.feature.properties && "risk_score" in layer.feature.properties) houses++; });
    }
  }
  return {
    lang: document.documentElement.lang, map: measure(map), tiles, houses,
    scroll: [document.documentElement.scrollWidth, document.documentElement.scrollHeight],
    head: document.querySelector("#wall-head").innerText,
  };
}, box.toString());
await page.screenshot({ path: screenshot });
// the button switches the language and back
await page.click("#wall-lang");
const switched = await page.evaluate(() => document.documentElement.lang);
console.log(JSON.stringify({ errors, requests, switched, ...shown }));
await browser.close();
