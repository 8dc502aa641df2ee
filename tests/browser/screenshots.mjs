// The screenshots of the web app's main pages in docs/screenshots/ (1280×800 PNG), taken in
// Debian's Chromium on a fresh workspace. Not a test: run it by hand after a change to the pages,
// look at the pictures, and commit them.
//
//   node tests/browser/screenshots.mjs build-test/app/fourp docs/screenshots
//
// home.png      the workspace: scenarios, results, the runs since the server started
// editor.png    the flagship in the form, with the Run panel, Messages and the YAML view
// run.png       a run of the flagship in progress (progress bar, runs/s, time left, Cancel)
// results.png   the run's results page with its report
// compare.png   the run against the flagship with the outsider campaign's blame at 0
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { launch, loadChromium, startServer } from "./harness.mjs";

const [fourp, outArg] = process.argv.slice(2);
if (!fourp || !outArg) {
  console.error("usage: node screenshots.mjs FOURP OUTPUT_FOLDER");
  process.exit(2);
}
const out = path.resolve(outArg);
fs.mkdirSync(out, { recursive: true });
const chromium = await loadChromium();
// A fixed folder, so that the workspace's name on the home page stays the same between takes.
const scratch = path.join(os.tmpdir(), "fourp-screenshots");
fs.rmSync(scratch, { recursive: true, force: true });
fs.mkdirSync(scratch);
const FLAGSHIP = "scenarios/rural-district.yaml";
const REPLICATES = 10;

const server = await startServer(fourp, path.join(scratch, "fourp-workspace"));
const browser = await launch(chromium, scratch);
try {
  // The comparison's other run, as `fourp run` writes it into the workspace.
  const other = "results/rural-district-blame-0.h5";
  fs.mkdirSync(path.join(server.root, "results"), { recursive: true });
  const r = spawnSync(fourp, ["run", path.join(server.root, FLAGSHIP), "--replicates", String(REPLICATES),
    "--set", "interventions.media.message.blame=0", "-q", "-o", path.join(server.root, other)],
  { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`fourp run: ${r.stderr}`);

  const page = browser.context.pages()[0] ?? await browser.context.newPage();
  page.setDefaultTimeout(60000);
  const shot = async name => {
    await page.screenshot({ path: path.join(out, `${name}.png`) });
    console.log(`${name}.png`);
  };

  await page.goto(server.url);
  await page.locator(`a[data-scenario="${FLAGSHIP}"]`).click();
  await page.locator("#form fieldset").first().waitFor();
  await page.locator("#diagnostics li").first().waitFor();
  await page.fill("#replicates", String(REPLICATES));
  await shot("editor");

  await page.click("#run");
  await page.waitForFunction(() =>
    Number(document.getElementById("progress-bar")?.getAttribute("aria-valuenow")) >= 40, null, { polling: 50 });
  await shot("run");
  await page.locator("#results-link").waitFor();
  const run = await page.textContent("#results-link");

  await page.click("#results-link");
  await page.frameLocator("iframe.report").locator("body").waitFor();
  await page.waitForTimeout(500);  // the report's figures
  await shot("results");

  await page.goto(`${server.base}/#/compare?a=${encodeURIComponent(run)}&b=${encodeURIComponent(other)}`);
  await page.locator("#comparison-table").waitFor();
  await shot("compare");

  await page.click("header a.brand");
  await page.locator("#results").waitFor();
  await shot("home");
} finally {
  await browser.close();
  await server.stop();
  fs.rmSync(scratch, { recursive: true, force: true });
}
