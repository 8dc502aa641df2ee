// End-to-end tests of `fourp serve` (issue 14) in Debian's Chromium, driven by playwright-core.
//
//   node serve_journey.mjs <fourp executable> <scratch folder> <journey>
//
// Journeys (each on its own server and a fresh workspace under the scratch folder):
//   analyst  open the address with the token → open the flagship from the home page → run it
//            unmodified (3 replicates) → set the outsider campaign's blame to 0 in the form →
//            the YAML view changes by that value alone (comments kept) → save and run 3
//            replicates → progress reaches 100% → the report shows → compare the two runs: the
//            outsider arm's cases averted changed, the other arms' did not → download the HDF5
//            (h5py opens it, /arms/outsider is there), the CSV zip and the report → the saved
//            YAML passes `fourp validate`
//   cancel   start a 30-replicate run, cancel it mid-run: "cancelled", no file in results/
//            (no temporary file either), and the server keeps serving
//   tabs     two tabs: one runs while the other edits, then both run; both finish, and the
//            queue ran them one at a time
//   errors   model.denial = 7 in the form: the message at the field, file:line:col in the
//            Messages list, the Run button disabled; back to 0.7 clears it all
//
// Exit status 0 passed, 1 failed, 77 skipped (playwright-core, Chromium or h5py missing and
// CI is not true).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import {
  Failure, check, checkEqual, launch, listing, loadChromium, requireH5py, startServer,
} from "./harness.mjs";

const [fourp, scratchArg, journeyName] = process.argv.slice(2);
const journeys = { analyst, cancel, tabs, errors };
if (!fourp || !scratchArg || !journeys[journeyName]) {
  console.error(`usage: node serve_journey.mjs FOURP SCRATCH (${Object.keys(journeys).join("|")})`);
  process.exit(2);
}
const FLAGSHIP = "scenarios/rural-district.yaml";
const started = Date.now();
const log = msg => console.log(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${msg}`);

// --- Page helpers --------------------------------------------------------------------------

// Every page: no uncaught script error and no server error (5xx) while the test runs.
const problems = [];
function watch(page, tab) {
  page.setDefaultTimeout(30000);
  page.on("pageerror", err => problems.push(`${tab}: script error: ${err.message}`));
  page.on("response", res => {
    if (res.status() >= 500) problems.push(`${tab}: ${res.status()} from ${res.url()}`);
  });
  page.on("dialog", dialog => problems.push(`${tab}: unexpected dialog: ${dialog.message()}`));
  return page;
}

// The home page lists the flagship; its link opens the editor with the form and the YAML.
async function openScenario(page, scenario) {
  await page.click("header a.brand");
  await page.locator(`a[data-scenario="${scenario}"]`).click();
  await page.waitForFunction(p => location.hash === `#/edit?path=${encodeURIComponent(p)}`, scenario);
  await page.locator("#form fieldset").first().waitFor();
  await page.waitForFunction(() => document.querySelector("#yaml")?.value.length > 0);
  await page.locator("#diagnostics li").first().waitFor();
}

const field = (page, key) => page.locator(`.field[data-path="${key}"]`);

// Types a value into a form field the way a person does (the input events the form listens to).
async function typeInto(page, key, value) {
  const input = field(page, key).locator("input");
  await input.click();
  await input.fill("");
  await input.pressSequentially(String(value));
}

// The YAML view once it holds `needle` (the form's edit went to the server and came back).
async function yamlContaining(page, needle) {
  await page.waitForFunction(n => document.querySelector("#yaml").value.includes(n), needle);
  return page.locator("#yaml").inputValue();
}

// "Save and run" with `replicates`; waits for the new run's results link. Returns the results
// file's workspace name and every progress value the bar showed.
async function saveAndRun(page, replicates) {
  const previous = await page.evaluate(() => document.getElementById("results-link")?.textContent ?? null);
  await page.fill("#replicates", String(replicates));
  await page.evaluate(() => { window.__progress = []; });
  await page.click("#run");
  const handle = await page.waitForFunction(old => {
    const bar = document.getElementById("progress-bar");
    const value = bar?.getAttribute("aria-valuenow");
    if (value !== null && value !== undefined && window.__progress.at(-1) !== value) window.__progress.push(value);
    const failed = document.querySelector("#run-status [role=alert]");
    if (failed) return { failed: failed.textContent };
    const status = document.getElementById("status");  // Save's error, before any run
    if (status?.className === "error") return { failed: `Save: ${status.textContent}` };
    const link = document.getElementById("results-link");
    return link && link.textContent !== old ? { results: link.textContent, progress: window.__progress } : null;
  }, previous, { polling: 50, timeout: 60000 });
  const r = await handle.jsonValue();
  check(!r.failed, `Save and run failed: ${r.failed}`);
  checkEqual(await page.getAttribute("#progress-bar", "aria-valuenow"), "100", "the progress bar at the end");
  check(/^done in /.test(await page.textContent("#progress-text")), "the run's status says done");
  return r;
}

async function runsOf(context, server) {
  const res = await context.request.get(`${server.base}/api/runs`);
  checkEqual(res.status(), 200, "GET /api/runs");
  return res.json();
}

function fourpValidate(file) {
  const r = spawnSync(fourp, ["validate", file], { encoding: "utf8" });
  check(r.status === 0, `fourp validate ${file} failed (status ${r.status}): ${r.stderr}`);
}

function h5pyCheck(file) {
  const py = "import h5py, sys\nf = h5py.File(sys.argv[1], 'r')\nassert 'arms/outsider' in f, list(f.get('arms', {}))\nprint(sorted(f['arms']))";
  const r = spawnSync("/usr/bin/python3", ["-c", py, file], { encoding: "utf8" });
  check(r.status === 0, `h5py cannot read ${file} or it has no /arms/outsider: ${r.stderr}`);
  return r.stdout.trim();
}

const number = text => Number(text.replace(/,/g, "").replace("−", "-"));

// --- Journeys ------------------------------------------------------------------------------

async function analyst({ server, context, page, scratch }) {
  const flagshipFile = path.join(server.root, FLAGSHIP);
  const original = fs.readFileSync(flagshipFile, "utf8");
  check(/blame: 0\.6,/.test(original), "the shipped flagship's outsider campaign has blame 0.6");

  // The address with the token; the token then leaves the address bar for a cookie.
  await page.goto(server.url);
  await page.locator(`a[data-scenario="${FLAGSHIP}"]`).waitFor();
  check(!page.url().includes("token="), `the token is still in the address bar: ${page.url()}`);
  check((await context.cookies()).some(c => c.name.startsWith("fourp_token")), "the page set the token cookie");
  log("home page lists the flagship");

  await openScenario(page, FLAGSHIP);
  checkEqual(await page.locator("#yaml").inputValue(), original, "the YAML view of the flagship");
  const blame = field(page, "interventions.media.message.blame");
  // Soft: recorded, the journey goes on, the test fails at the end.
  const shown = await blame.locator("input").inputValue();
  if (shown !== "0.6") problems.push(`the form shows the outsider campaign's blame as ${JSON.stringify(shown)}, not the file's 0.6`);
  const denialShown = await field(page, "model.denial").locator("input").inputValue();
  if (denialShown !== "0.7") problems.push(`the form shows model.denial as ${JSON.stringify(denialShown)}, not the file's 0.7`);
  log("editor shows the flagship");

  // The flagship as shipped, to compare against.
  const a = await saveAndRun(page, 3);
  log(`unmodified flagship ran: ${a.results} (progress ${a.progress.join(" ")})`);
  checkEqual(fs.readFileSync(flagshipFile, "utf8"), original, "the flagship on disk after an unmodified run");

  // blame 0 in the form: the YAML view changes by that value alone.
  await typeInto(page, "interventions.media.message.blame", "0");
  const edited = await yamlContaining(page, "message: {blame: 0, ");
  const expected = original.replace("message: {blame: 0.6, ", "message: {blame: 0, ");
  check(expected !== original, "the expected edit changes the text");
  checkEqual(edited, expected, "the YAML after the form's edit (only the value changes, comments kept)");
  check(await blame.evaluate(e => e.classList.contains("changed")), "the edited field is marked changed");
  checkEqual(await page.textContent("#status"), "not saved", "the status after an edit");
  checkEqual(await page.textContent("#diagnostics"), "No problems: the scenario is valid.", "Messages after the edit");
  log("form edit reached the YAML view, comments kept");

  const b = await saveAndRun(page, 3);
  log(`edited flagship ran: ${b.results} (progress ${b.progress.join(" ")})`);
  check(a.results !== b.results, "the two runs wrote different files");
  checkEqual(fs.readFileSync(flagshipFile, "utf8"), expected, "the flagship on disk after Save and run");
  checkEqual(await page.textContent("#status"), "saved", "the status after Save and run");
  fourpValidate(flagshipFile);
  log("the saved YAML passes fourp validate");

  // The results page: the report in the page.
  await page.click("#results-link");
  await page.waitForFunction(p => location.hash === `#/results?path=${encodeURIComponent(p)}`, b.results);
  await page.locator("main h1", { hasText: b.results }).waitFor();  // the page is drawn
  const report = page.frameLocator("iframe.report");
  await report.locator("body").waitFor();
  const reportText = await report.locator("body").innerText();
  check(reportText.includes("rural-district"), "the report names the scenario");
  check(reportText.includes("outsider"), "the report shows the outsider arm");
  check(fs.existsSync(path.join(server.root, b.results.replace(/\.h5$/, ".html"))), "the report file beside the results");
  log("results page shows the report");

  // Downloads: HDF5 (h5py), CSV zip, report.
  const download = async (selector, name) => {
    const [dl] = await Promise.all([page.waitForEvent("download"), page.click(selector)]);
    const to = path.join(scratch, `downloaded-${name}`);
    await dl.saveAs(to);
    check(!(await dl.failure()), `the download of ${selector} failed`);
    return { to, suggested: dl.suggestedFilename() };
  };
  const h5 = await download("#download-h5", "results.h5");
  checkEqual(h5.suggested, path.basename(b.results), "the HDF5 download's file name");
  check(fs.readFileSync(h5.to).equals(fs.readFileSync(path.join(server.root, b.results))),
    "the HDF5 download is the workspace's file");
  log(`HDF5 download opens with h5py, arms ${h5pyCheck(h5.to)}`);
  const zip = await download("#download-csv", "csv.zip");
  check(fs.readFileSync(zip.to).subarray(0, 2).toString() === "PK", "the CSV download is a zip file");
  const html = await download("#download-report", "report.html");
  check(/<html/i.test(fs.readFileSync(html.to, "utf8")), "the report download is an HTML page");
  log("CSV zip and report downloads");

  // Compare, from the results page's "Compare with": A the flagship, B with blame 0.
  await page.selectOption("#compare-with", a.results);
  await page.locator("main button", { hasText: "Compare" }).click();
  await page.waitForFunction(([x, y]) => location.hash === `#/compare?a=${encodeURIComponent(x)}&b=${encodeURIComponent(y)}`, [a.results, b.results]);
  const rowOf = async (arm, quantity) => {
    const row = page.locator(`#comparison-table tr[data-arm="${arm}"][data-quantity="${quantity}"]`);
    await row.waitFor();
    const cells = await row.locator("td").allInnerTexts();
    checkEqual(cells.length, 5, `the cells of the ${arm} ${quantity} row`);
    return { label: cells[1], a: cells[2], b: cells[3], change: number(cells[4]) };
  };
  const outsider = await rowOf("outsider", "cases_averted");
  log(`outsider cases averted: A ${outsider.a}, B ${outsider.b}, change ${outsider.change}`);
  check(Number.isFinite(outsider.change) && outsider.change !== 0,
    `the outsider arm's cases averted did not change with blame 0 (B − A = ${outsider.change})`);
  check(outsider.a !== outsider.b, "the outsider arm's A and B columns are the same");
  // The arms without the outsider campaign ran the same replicates: nothing changed there.
  for (const arm of ["partnership", "tokenistic"]) {
    const row = await rowOf(arm, "cases_averted");
    checkEqual(row.change, 0, `the change of ${arm}'s cases averted (it does not run the campaign)`);
  }
  const about = await page.textContent("#comparison p");
  check(about.includes(`A = ${a.results} (3 replicates)`) && about.includes(`B = ${b.results} (3)`),
    `the comparison names its runs: ${about}`);
  log("compare page: the outsider arm's cases averted changed, the others did not");
}

async function cancel({ server, context, page }) {
  await page.goto(server.url);
  await openScenario(page, FLAGSHIP);
  const results = path.join(server.root, "results");
  const before = listing(results);
  await page.fill("#replicates", "30");
  await page.click("#run");
  // Mid-run: the bar has moved but is far from the end.
  await page.waitForFunction(() => {
    const v = Number(document.getElementById("progress-bar")?.getAttribute("aria-valuenow"));
    return v >= 1;
  }, null, { polling: 20 });
  const at = Number(await page.getAttribute("#progress-bar", "aria-valuenow"));
  check(at < 50, `the run was at ${at}% before Cancel could be clicked: too fast to test a cancel`);
  await page.click("#cancel");
  await page.locator("#progress-text", { hasText: "cancelled" }).waitFor();
  checkEqual(await page.textContent("#progress-text"), "cancelled: nothing was written", "the cancelled run's status");
  check(!(await page.locator("#cancel").count()), "the Cancel button is gone");
  log(`cancelled at ${at}%`);
  const runs = await runsOf(context, server);
  checkEqual(runs.length, 1, "runs on the server");
  checkEqual(runs[0].state, "cancelled", "the server's state of the run");
  checkEqual(runs[0].results, "", "the cancelled run's results file");
  checkEqual(JSON.stringify(listing(results)), JSON.stringify(before),
    "the files in results/ (hidden temporary files included) after the cancel");
  // The server keeps serving: the home page lists the cancelled run and no results.
  await page.click("header a.brand");
  await page.locator("td.state-cancelled").waitFor();
  check(!(await page.locator("#results").count()), "the home page lists no results after a cancel");
  log("nothing in results/, the server still serves");
}

async function tabs({ server, context, page }) {
  const other = "scenarios/urban-migrant-neighbourhood.yaml";
  const second = watch(await context.newPage(), "tab 2");
  await page.goto(server.url);
  await openScenario(page, FLAGSHIP);
  await second.goto(server.base + "/");  // the cookie is the context's: no token needed
  await openScenario(second, other);

  // Watch the queue from outside while the tabs work.
  const seen = [];
  let polling = true;
  const poller = (async () => {
    while (polling) {
      seen.push((await runsOf(context, server)).map(r => ({ id: r.id, state: r.state })));
      await new Promise(r => setTimeout(r, 50));
    }
  })();

  const first = saveAndRun(page, 6);
  // Tab 2 edits while tab 1's run is on, then runs its own.
  await page.locator("#progress-bar").waitFor();
  await typeInto(second, "model.denial", "0.5");
  const text = await yamlContaining(second, "denial: 0.5");
  check(/^\s*denial: 0\.5\b/m.test(text), "tab 2's form edit reached its YAML view");
  const runsWhileEditing = await runsOf(context, server);
  check(runsWhileEditing.some(r => r.state === "running"),
    "tab 1's run was still running when tab 2's edit came back (make it longer?)");
  const secondRun = saveAndRun(second, 3);
  await second.locator("#progress-text", { hasText: "queued" }).waitFor();
  log("tab 2's run waits in the queue behind tab 1's");
  const [r1, r2] = await Promise.all([first, secondRun]);
  polling = false;
  await poller;
  log(`both finished: ${r1.results}, ${r2.results}`);

  check(r1.results.startsWith("results/rural-district-"), `tab 1's results ${r1.results}`);
  check(r2.results.startsWith("results/urban-migrant-neighbourhood-"), `tab 2's results ${r2.results}`);
  for (const r of [r1, r2]) check(fs.existsSync(path.join(server.root, r.results)), `${r.results} exists`);
  check(fs.readFileSync(path.join(server.root, other), "utf8").includes("denial: 0.5"), "tab 2 saved its edit");
  const runs = await runsOf(context, server);
  checkEqual(JSON.stringify(runs.map(r => [r.id, r.state, r.results])),
    JSON.stringify([[1, "done", r1.results], [2, "done", r2.results]]), "the server's runs");
  // One at a time: never two running; the second queued while the first ran, started after it.
  check(seen.every(s => s.filter(r => r.state === "running").length <= 1), "two runs were running at once");
  check(seen.some(s => s[0]?.state === "running" && s[1]?.state === "queued"), "tab 2's run was never seen queued behind tab 1's");
  const firstSecondRunning = seen.findIndex(s => s[1]?.state === "running");
  check(firstSecondRunning < 0 || seen[firstSecondRunning][0].state === "done", "tab 2's run started before tab 1's finished");
  log(`queue one at a time (${seen.length} looks at /api/runs)`);
}

async function errors({ server, page }) {
  const flagshipFile = path.join(server.root, FLAGSHIP);
  const original = fs.readFileSync(flagshipFile, "utf8");
  await page.goto(server.url);
  await openScenario(page, FLAGSHIP);
  check(await page.isEnabled("#run"), "the Run button is enabled for the shipped flagship");

  await typeInto(page, "model.denial", "7");
  const denial = field(page, "model.denial");
  await denial.locator(".error", { hasText: /\S/ }).waitFor();
  const atField = await denial.locator(".error").textContent();
  check(/model\.denial = 7 is out of range/.test(atField), `the message at the field: ${atField}`);
  // Its place in the file: the line and column of the value in the YAML view.
  const yaml = await yamlContaining(page, "denial: 7");
  const lines = yaml.split("\n");
  const line = lines.findIndex(l => /^\s+denial: 7\b/.test(l)) + 1;
  const column = lines[line - 1].indexOf("7") + 1;
  const messages = await page.locator("#diagnostics li.error").allTextContents();
  const where = `${FLAGSHIP}:${line}:${column}: error: `;
  check(messages.some(m => m.startsWith(where) && m.includes("model.denial = 7")),
    `the Messages list has no '${where}…model.denial = 7' message: ${JSON.stringify(messages)}`);
  check(await page.isDisabled("#run"), "the Run button is disabled while the scenario has an error");
  checkEqual(fs.readFileSync(flagshipFile, "utf8"), original, "the file on disk (not saved)");
  log(`error at the field and ${where}… in Messages; Run disabled`);

  await typeInto(page, "model.denial", "0.7");
  await yamlContaining(page, "denial: 0.7");
  await page.locator("#diagnostics li", { hasText: "No problems" }).waitFor();
  checkEqual(await denial.locator(".error").textContent(), "", "the field's message after the fix");
  check(await page.isEnabled("#run"), "the Run button is enabled again after the fix");
  log("fixed: the message is gone and Run is enabled");
}

// --- Main ----------------------------------------------------------------------------------

const chromium = await loadChromium();
if (journeyName === "analyst") requireH5py();
const scratch = path.resolve(scratchArg, journeyName);
fs.rmSync(scratch, { recursive: true, force: true });
fs.mkdirSync(scratch, { recursive: true });

let server, browser, page, status = 0;
const watchdog = setTimeout(() => {
  console.error(`FAIL: the ${journeyName} journey took more than 100 s`);
  server?.proc.kill("SIGKILL");
  process.exit(1);
}, 100000);
try {
  server = await startServer(fourp, path.join(scratch, "workspace"));
  log(`server at ${server.base}, workspace ${server.root}`);
  browser = await launch(chromium, scratch);
  page = watch(browser.context.pages()[0] ?? await browser.context.newPage(), "tab 1");
  await journeys[journeyName]({ server, context: browser.context, page, scratch });
  if (problems.length) throw new Failure(`problems in the pages:\n  ${problems.splice(0).join("\n  ")}`);
  log(`PASS ${journeyName}`);
} catch (err) {
  status = 1;
  console.error(`FAIL ${journeyName}: ${err instanceof Failure ? err.message : err.stack}`);
  if (problems.length) console.error(`problems in the pages:\n  ${problems.join("\n  ")}`);
  if (page) {
    const state = await page.evaluate(() => ["#status", "#run-status", "#diagnostics", "main h1"].map(
      s => `${s}: ${document.querySelector(s)?.textContent ?? "(none)"}`).join("\n  ")).catch(() => "");
    console.error(`the page at ${page.url()}:\n  ${state}`);
    const shot = path.join(scratch, "failure.png");
    await page.screenshot({ path: shot, fullPage: true }).then(() => console.error(`screenshot: ${shot}`), () => {});
  }
  if (server?.stderr()) console.error(`fourp serve's stderr:\n${server.stderr()}`);
} finally {
  await browser?.close();
  await server?.stop();
  clearTimeout(watchdog);
}
process.exit(status);
