// What the browser tests and the screenshot script share: the skip-or-fail rule for a missing
// tool, starting `fourp serve` on a fresh workspace, launching Debian's Chromium through
// playwright-core, and small assertions. See README.md in this folder.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export const SKIP = 77;  // CTest SKIP_RETURN_CODE (tests/browser/CMakeLists.txt)
export const CHROMIUM = process.env.FOURP_CHROMIUM || "/usr/bin/chromium";
// Without these Chromium's background networking is refused on the build machines and it stalls.
export const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
  "--no-first-run", "--disable-background-networking", "--disable-component-update",
  "--disable-sync"];

// A tool the install script installs is missing: skip locally, fail under CI=true (the project's
// rule, tests/support/test_support.h skip_or_fail).
export function missingTool(reason) {
  if (process.env.CI === "true") {
    console.error(`FAIL: ${reason} (CI=true: a missing test tool fails; scripts/install-deps.sh installs it)`);
    process.exit(1);
  }
  console.error(`SKIP: ${reason} (scripts/install-deps.sh installs it; under CI=true this fails)`);
  process.exit(SKIP);
}

export async function loadChromium() {
  let chromium;
  try {
    ({ chromium } = await import("playwright-core"));
  } catch (err) {
    missingTool(`playwright-core is missing (npm ci --prefix tests/browser): ${err.message.split("\n")[0]}`);
  }
  try {
    fs.accessSync(CHROMIUM, fs.constants.X_OK);
  } catch {
    missingTool(`Chromium is missing: no ${CHROMIUM}`);
  }
  return chromium;
}

export function requireH5py() {
  const r = spawnSync("/usr/bin/python3", ["-c", "import h5py"], { encoding: "utf8" });
  if (r.status !== 0) missingTool("python3 with h5py is missing (python3-h5py)");
}

export class Failure extends Error {}
export function check(condition, message) {
  if (!condition) throw new Failure(message);
}
export function checkEqual(actual, expected, what) {
  if (actual !== expected)
    throw new Failure(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

// `fourp serve --dir <dir> --port 0`: resolves once it prints its address.
export function startServer(fourp, dir, extra = []) {
  const proc = spawn(fourp, ["serve", "--dir", dir, "--port", "0", ...extra],
    { stdio: ["ignore", "pipe", "pipe"] });
  let out = "", err = "";
  proc.stderr.on("data", d => { err += d; });
  const server = {
    proc, dir,
    stderr: () => err,
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise(r => proc.once("exit", r));
      proc.kill("SIGINT");  // as Ctrl-C
      const t = setTimeout(() => proc.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(t);
    },
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill("SIGKILL");
      reject(new Failure(`fourp serve printed no address within 20 s; stdout: ${out} stderr: ${err}`));
    }, 20000);
    proc.stdout.on("data", d => {
      out += d;
      const m = out.match(/^fourp: serving (.+) at (http:\/\/\S+\/\?token=[0-9a-f]+)\s*$/m);
      if (m) {
        clearTimeout(timer);
        server.root = m[1];
        server.url = m[2];
        server.base = new URL(m[2]).origin;
        resolve(server);
      }
    });
    proc.once("exit", code => {
      clearTimeout(timer);
      reject(new Failure(`fourp serve ended (status ${code}) before printing its address: ${err}`));
    });
  });
}

// Chromium with a fresh profile folder under `scratch`; one context whose pages are tabs.
export async function launch(chromium, scratch, options = {}) {
  const profile = fs.mkdtempSync(path.join(scratch, "profile-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 800 },
    acceptDownloads: true,
    ...options,
  });
  const close = async () => {
    await context.close().catch(() => {});
    fs.rmSync(profile, { recursive: true, force: true });
  };
  return { context, close };
}

// The files of a folder, hidden ones included ([] when it does not exist).
export function listing(dir) {
  try {
    return fs.readdirSync(dir).sort();
  } catch (err) {
    if (err.code === "ENOENT") return [];
    throw err;
  }
}
