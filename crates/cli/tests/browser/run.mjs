// End-to-end tests of tact's web interface in a real browser (Debian's headless Chromium, driven
// by playwright-core, which downloads no browser of its own). crates/cli/tests/browser.rs starts
// `tact serve`, seeds it through the API (seed.json) and runs this script with:
//
//   TACT_URL                  the server, e.g. http://127.0.0.1:43210
//   TACT_WORKER_KEY           Anna's API key (a worker)
//   TACT_SUPERVISOR_KEY       Sam's API key (a supervisor)
//   TACT_CONVERSATION         Anna's conversation where the client discloses domestic violence
//   TACT_ARABIC_CONVERSATION  Anna's conversation with an Arabic-speaking client
//   TACT_OTHER_CONVERSATION   Ben's conversation, which Anna must not be able to open
//   TACT_ARTIFACTS            where screenshots go (created; never committed)
//   TACT_CHROMIUM             the browser (default /usr/bin/chromium)
//
// Every check that fails is collected and printed; the script exits 1 if there was any, so one
// run shows everything that is wrong rather than only the first thing.

import { chromium } from "playwright-core";
import { createRequire } from "node:module";
import { mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const AXE = require.resolve("axe-core/axe.min.js");
const seed = JSON.parse(readFileSync(join(here, "seed.json"), "utf8"));

function need(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`run.mjs: ${name} is not set (crates/cli/tests/browser.rs sets it)`);
    process.exit(2);
  }
  return value;
}
const BASE = need("TACT_URL");
const WORKER_KEY = need("TACT_WORKER_KEY");
const SUPERVISOR_KEY = need("TACT_SUPERVISOR_KEY");
const CONVERSATION = need("TACT_CONVERSATION");
const ARABIC_CONVERSATION = need("TACT_ARABIC_CONVERSATION");
const OTHER_CONVERSATION = need("TACT_OTHER_CONVERSATION");
const ARTIFACTS = process.env.TACT_ARTIFACTS || join(here, "../../../../target/browser-artifacts");
mkdirSync(ARTIFACTS, { recursive: true });

const VIEWPORTS = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
};
// "No page over 100 KB before data": the document with its stylesheet and scripts, as decoded.
const PAGE_BUDGET = 100 * 1024;

const failures = [];
function check(ok, what) {
  if (ok) {
    console.log(`  ok    ${what}`);
  } else {
    console.log(`  FAIL  ${what}`);
    failures.push(what);
  }
  return ok;
}
async function step(name, body) {
  console.log(name);
  try {
    await body();
  } catch (error) {
    check(false, `${name}: ${error.message.split("\n")[0]}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Checks every page gets.

// axe-core with its default rules (WCAG 2.x A and AA and best practices); serious and critical
// findings fail, the others are printed for the record. axe is put into every page by the
// context (newContext below): page.addScriptTag would add it as an inline script, which the
// pages' Content-Security-Policy rightly refuses, and the policy stays on to catch the pages'
// own breaches of it.
async function accessible(page, label) {
  const results = await page.evaluate(() =>
    window.axe.run(document, { resultTypes: ["violations"] }),
  );
  const bad = results.violations.filter((v) => ["serious", "critical"].includes(v.impact));
  for (const v of results.violations) {
    console.log(`        axe ${v.impact}: ${v.id} — ${v.help}`);
    for (const node of v.nodes.slice(0, 5)) {
      console.log(`            ${node.target.join(" ")}: ${node.failureSummary.replace(/\n/g, " ")}`);
    }
  }
  check(bad.length === 0, `${label}: no serious or critical axe violations` +
    (bad.length ? ` (${bad.map((v) => v.id).join(", ")})` : ""));
}

// The page's own weight: the HTML and the stylesheet and scripts it loads, not the data it
// fetches afterwards (coaching, live alerts).
async function light(page, label) {
  const bytes = await page.evaluate(() => {
    const [navigation] = performance.getEntriesByType("navigation");
    const assets = performance
      .getEntriesByType("resource")
      .filter((r) => ["link", "script", "css", "img"].includes(r.initiatorType));
    return {
      html: navigation.decodedBodySize,
      total: assets.reduce((sum, r) => sum + r.decodedBodySize, navigation.decodedBodySize),
    };
  });
  check(bytes.total < PAGE_BUDGET,
    `${label}: ${(bytes.total / 1024).toFixed(1)} KB with its assets (HTML ${(bytes.html / 1024).toFixed(1)} KB), under 100 KB`);
}

async function shoot(page, name) {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

// All three for a main screen.
async function screen(page, label, file) {
  await light(page, label);
  await accessible(page, label);
  await shoot(page, file);
}

// A context with axe-core in every page (see accessible()) whose pages report script errors and
// Content-Security-Policy refusals: the pages must work under their own policy, so these count
// as failures.
async function newContext(browser, viewport) {
  const context = await browser.newContext({ viewport });
  await context.addInitScript({ path: AXE });
  context.on("page", (page) => watch(page));
  return context;
}
function watch(page) {
  page.on("pageerror", (error) => check(false, `script error on ${page.url()}: ${error.message}`));
  page.on("console", (message) => {
    const text = message.text();
    if (/Content Security Policy/i.test(text)) {
      check(false, `CSP refusal on ${page.url()}: ${text}`);
    }
  });
}

// Signs in with the keyboard alone: Tab until the key field has focus, type, Enter.
async function signInByKeyboard(page, key) {
  for (let i = 0; i < 15; i++) {
    if (await page.evaluate(() => document.activeElement?.id === "key")) break;
    await page.keyboard.press("Tab");
  }
  if (!check(await page.evaluate(() => document.activeElement?.id === "key"),
    "Tab reaches the key field")) {
    await page.focus("#key");
  }
  await page.keyboard.type(key);
  await Promise.all([page.waitForURL(/\/(console|dashboard)$/), page.keyboard.press("Enter")]);
}

async function signIn(page, key) {
  await page.goto(`${BASE}/sign-in`);
  await page.fill("#key", key);
  await Promise.all([page.waitForURL(/\/(console|dashboard)$/), page.click("button[type=submit]")]);
}

// Tab from the top of the page until `selector` has focus; true if it did within `limit` presses.
async function tabTo(page, selector, limit = 60) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press("Tab");
    if (await page.evaluate((s) => document.activeElement?.matches(s), selector)) return true;
  }
  return false;
}

// The API, as the channel integration calls it.
async function api(method, path, key, body) {
  const response = await fetch(`${BASE}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: body && JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return JSON.parse(text);
}

// ---------------------------------------------------------------------------------------------
// The worker's path, at one width.

async function worker(browser, width) {
  const context = await newContext(browser, VIEWPORTS[width]);
  const page = await context.newPage();
  const conversationUrl = `${BASE}/console/conversations/${CONVERSATION}`;

  await step(`[${width}] sign in with the keyboard`, async () => {
    await page.goto(`${BASE}/sign-in`);
    await screen(page, `sign-in (${width})`, `sign-in-${width}`);
    await page.keyboard.press("Tab");
    check(await page.evaluate(() => document.activeElement?.classList.contains("skip")),
      "the first Tab reaches the skip link");
    check(await page.evaluate(() => {
      const r = document.activeElement.getBoundingClientRect();
      return r.left >= 0 && r.top >= 0 && r.width > 0;
    }), "the skip link shows when it has focus");
    await page.keyboard.press("Enter");
    await page.keyboard.press("Tab");
    check(await page.evaluate(() => !!document.activeElement?.closest("main")),
      "after the skip link, Tab goes into the main content");
    await page.goto(`${BASE}/sign-in`);
    await signInByKeyboard(page, WORKER_KEY);
    check(page.url().endsWith("/console"), "a worker lands on the console");
  });

  await step(`[${width}] the conversation list`, async () => {
    check(await page.locator(`a[href="/console/conversations/${CONVERSATION}"]`).count() === 1,
      "the console lists the conversation");
    check(await page.locator(`a[href="/console/conversations/${OTHER_CONVERSATION}"]`).count() === 0,
      "the console does not list another worker's conversation");
    await screen(page, `console (${width})`, `console-${width}`);
  });

  await step(`[${width}] open a conversation and see the disclosure`, async () => {
    await page.click(`a[href="/console/conversations/${CONVERSATION}"]`);
    await page.waitForURL(conversationUrl);
    const mark = page.locator(".msg-client mark.f-disclosure").first();
    check(await mark.count() === 1, "a disclosure is marked in the client's message");
    const evidence = (await mark.locator(".evidence").textContent()) || "";
    check(/domestic violence/i.test(evidence), `its evidence names it ("${evidence.trim()}")`);
    // The evidence shows on focus, for those who do not use a mouse.
    await mark.focus();
    check(await mark.locator(".evidence").evaluate((e) => e.getBoundingClientRect().left >= 0),
      "the evidence shows when the mark has focus");
    check(await page.locator("section.advice .action-referral").count() > 0,
      "the advice offers a referral from the directory");
    await screen(page, `conversation (${width})`, `conversation-${width}`);
  });

  await step(`[${width}] insert a suggested reply with the keyboard, see the coach`, async () => {
    await page.goto(conversationUrl);
    const reply = await page.locator("button.use-reply").first().getAttribute("data-reply");
    check(await tabTo(page, "button.use-reply"), "Tab reaches a \"Use this reply\" button");
    await page.keyboard.press("Enter");
    check(await page.inputValue("#draft") === reply, "the reply is in the draft");
    check(await page.evaluate(() => document.activeElement?.id === "draft"),
      "focus moves to the draft");
    await page.locator("#coach .score").waitFor({ timeout: 10_000 });
    const before = await page.locator("#coach").innerText();
    check(/\d+\s*\/100/.test(before), "the coach scores the inserted reply");
    // Typing is coached too, after a pause (400 ms debounce).
    await page.keyboard.press("Control+End");
    await page.keyboard.type(" I will call you tomorrow at 10.");
    await page.waitForFunction((b) => document.getElementById("coach").innerText !== b, before,
      { timeout: 10_000 });
    check(await page.locator("#coach .promises").count() === 1,
      "the coach updates as the worker types and notes the promise");
    await shoot(page, `coach-${width}`);
  });

  await step(`[${width}] plan a follow-up`, async () => {
    await page.goto(conversationUrl);
    const what = `Call back about the refuge (${width})`;
    await page.locator("summary", { hasText: "Plan a follow-up" }).click();
    await page.fill("#fu-what", what);
    await Promise.all([
      page.waitForURL(/saved=follow_up/),
      page.locator("form[action$='/follow-up'] button[type=submit]").click(),
    ]);
    check(await page.locator("[role=status]", { hasText: /follow-up/i }).count() === 1,
      "the page says the follow-up is saved");
    const planned = await api("GET", "/v1/commitments", WORKER_KEY);
    const list = Array.isArray(planned) ? planned : planned.commitments || [];
    check(list.some((c) => c.what === what), "the follow-up is in the store");
    await screen(page, `follow-up saved (${width})`, `follow-up-${width}`);
  });

  await step(`[${width}] Arabic is laid out right to left`, async () => {
    await page.goto(`${BASE}/console/conversations/${ARABIC_CONVERSATION}`);
    const text = page.locator(".msg-client .text").first();
    check(await text.getAttribute("dir") === "rtl", "the Arabic message has dir=\"rtl\"");
    check(await text.getAttribute("lang") === "ar", "the Arabic message has lang=\"ar\"");
    check(await text.evaluate((e) => getComputedStyle(e).direction) === "rtl",
      "the browser lays it out right to left");
    await screen(page, `Arabic conversation (${width})`, `conversation-ar-${width}`);
  });

  await step(`[${width}] another worker's conversation cannot be opened by URL`, async () => {
    const response = await page.goto(`${BASE}/console/conversations/${OTHER_CONVERSATION}`);
    check(response.status() === 404, `it answers 404 (got ${response.status()})`);
    const body = await page.locator("body").innerText();
    check(!/Ben|rent this month|client-marc/.test(body), "nothing of it shows");
    await shoot(page, `not-found-${width}`);
  });

  await step(`[${width}] the directory`, async () => {
    await page.goto(`${BASE}/directory`);
    check(await page.locator("table.directory", { hasText: "Women's Aid Helpline" }).count() === 1,
      "the directory lists the entry");
    await screen(page, `directory (${width})`, `directory-${width}`);
  });

  await context.close();
}

// ---------------------------------------------------------------------------------------------
// The interface in French.

async function french(browser) {
  const context = await newContext(browser, VIEWPORTS.desktop);
  const page = await context.newPage();
  await step("[desktop] the console in French", async () => {
    await page.goto(`${BASE}/sign-in`);
    await Promise.all([page.waitForURL(/\/sign-in$/), page.click('a[href="/language/fr"]')]);
    check(await page.getAttribute("html", "lang") === "fr", "the sign-in page is in French");
    await signIn(page, WORKER_KEY);
    check(await page.getAttribute("html", "lang") === "fr", "the console is in French");
    check(/conversations/i.test(await page.locator("h1").innerText()), "its title is French");
    await screen(page, "console in French", "console-fr-desktop");
  });
  await context.close();
}

// ---------------------------------------------------------------------------------------------
// Training: one role-play scenario played end to end in the browser, at both widths.

async function training(browser, width) {
  const context = await newContext(browser, VIEWPORTS[width]);
  const page = await context.newPage();
  await step(`[${width}] a role-play scenario end to end`, async () => {
    await signIn(page, WORKER_KEY);
    await page.goto(`${BASE}/training?language=en`);
    await screen(page, `training list (${width})`, `training-${width}`);
    const scenario = page.locator("li", { hasText: "A client asks to borrow money" });
    await Promise.all([page.waitForURL(/\/training\/sessions\/\d+$/), scenario.locator("button").click()]);
    check(/lend me twenty pounds/.test(await page.locator("#current").innerText()),
      "the simulated client opens");
    for (const reply of seed.training_replies) {
      await page.fill("#reply", reply);
      await Promise.all([page.waitForNavigation(), page.click('form button[type="submit"]:not(.link)')]);
    }
    check(await page.locator(".coach").count() === seed.training_replies.length,
      "the coach answered every reply");
    const report = await page.locator("section.report").innerText();
    check(/Report: good/.test(report), "the session ends well, with its report");
    check(/What to practise next/.test(report), "the report says what to practise next");
    await screen(page, `training report (${width})`, `training-report-${width}`);
  });
  await context.close();
}

// ---------------------------------------------------------------------------------------------
// The supervisor: the dashboard at both widths, and a live alert raised by a worker's
// conversation while it is open.

async function supervisor(browser, width, live) {
  const context = await newContext(browser, VIEWPORTS[width]);
  const page = await context.newPage();
  await step(`[${width}] the supervisor's dashboard`, async () => {
    await signIn(page, SUPERVISOR_KEY);
    check(page.url().endsWith("/dashboard"), "a supervisor lands on the dashboard");
    const list = page.locator("ul#alerts");
    // The live feed is open once the status line says so.
    const liveText = await list.getAttribute("data-live");
    await page.locator("#alerts-status", { hasText: liveText }).waitFor({ timeout: 10_000 });
    check(true, "the live alert feed is connected");
    if (live) {
      // The worker's channel brings in an urgent message (seed.json, without its comment).
      const { _comment, ...message } = seed.live_alert;
      await api("POST", "/v1/ingest", WORKER_KEY, message);
      const item = list.locator("li").first();
      await item.waitFor({ timeout: 15_000 });
      const text = await item.innerText();
      check(/urgent disclosure/i.test(text), `a live alert appears: "${text.trim()}"`);
      check(!text.includes("kill myself"), "the alert carries no message text");
      check(await page.locator("#alert-count").isVisible(), "the heading counts new alerts");
    }
    await screen(page, `dashboard (${width})`, `dashboard-${width}`);
  });
  await step(`[${width}] the weekly reports`, async () => {
    const response = await page.goto(`${BASE}/dashboard/weekly`);
    check(response.status() === 200, "the team's weekly report opens from the dashboard");
    await shoot(page, `weekly-team-${width}`);
    if (process.env.TACT_WEEKLY_DEMO) {
      // The seeded demo organisation's week, as `tact report weekly --demo` writes it.
      await page.goto(pathToFileURL(process.env.TACT_WEEKLY_DEMO).href);
      const text = await page.locator("body").innerText();
      check(/promises/i.test(text) && /Thabo/.test(text), "the demo week names its workers and promises");
      await accessible(page, `weekly demo report (${width})`);
      await shoot(page, `weekly-demo-${width}`);
    }
  });
  await context.close();
}

// ---------------------------------------------------------------------------------------------

const started = Date.now();
const browser = await chromium.launch({
  executablePath: process.env.TACT_CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox"],
});
try {
  for (const width of Object.keys(VIEWPORTS)) await worker(browser, width);
  await french(browser);
  for (const width of Object.keys(VIEWPORTS)) await training(browser, width);
  await supervisor(browser, "desktop", true);
  await supervisor(browser, "phone", false);
} finally {
  await browser.close();
}
const seconds = ((Date.now() - started) / 1000).toFixed(1);
console.log(`screenshots in ${ARTIFACTS}`);
if (failures.length) {
  console.log(`\n${failures.length} check(s) failed in ${seconds} s:`);
  for (const f of failures) console.log(`  - ${f}`);
  process.exit(1);
}
console.log(`\nall browser checks passed in ${seconds} s`);
