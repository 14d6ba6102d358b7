// A line-oriented remote control for Debian's Chromium, for the dashboard's xunit browser tests.
// stdin: one JSON command per line; stdout: one JSON answer per line ({"ok":true,"value":…} or {"ok":false,"error":…}).
// playwright-core only: it never downloads a browser, it drives /usr/bin/chromium.
import { chromium } from 'playwright-core';
import { createInterface } from 'node:readline';

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
let context = null;
let page = null;
const problems = [];

async function newContext(width, height) {
  if (context) await context.close();
  context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1 });
  page = await context.newPage();
  page.setDefaultTimeout(10000);
  page.on('console', m => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`); });
  page.on('pageerror', e => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', r => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
}

const ops = {
  context: c => newContext(c.width ?? 1366, c.height ?? 768),
  viewport: c => page.setViewportSize({ width: c.width, height: c.height }),
  colorScheme: c => page.emulateMedia({ colorScheme: c.scheme }),
  goto: async c => { const r = await page.goto(c.url); return { url: page.url(), status: r ? r.status() : 0 }; },
  fill: c => page.locator(c.selector).first().fill(c.value),
  select: c => page.locator(c.selector).first().selectOption(c.value),
  // Clicks something that navigates (a form's button) and waits for the next page to load.
  submit: async c => {
    await Promise.all([page.waitForNavigation(), page.locator(c.selector).first().click()]);
    return { url: page.url() };
  },
  click: c => page.locator(c.selector).first().click(),
  text: c => page.locator(c.selector).first().innerText(),
  count: c => page.locator(c.selector).count(),
  attr: c => page.locator(c.selector).first().getAttribute(c.name),
  waitFor: c => page.locator(c.selector).first().waitFor({ state: c.state || 'visible' }),
  waitForText: c => page.locator(c.selector, { hasText: c.text }).first().waitFor(),
  html: () => page.content(),
  url: () => page.url(),
  eval: c => page.evaluate(c.expression),
  cookies: () => context.cookies(),
  screenshot: c => page.screenshot({ path: c.path, fullPage: c.fullPage ?? true }).then(() => c.path),
  problems: () => problems.splice(0),
};

const answer = o => process.stdout.write(JSON.stringify(o) + '\n');
const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (!line.trim()) continue;
  let command;
  try {
    command = JSON.parse(line);
    if (command.op === 'close') break;
    const op = ops[command.op];
    if (!op) throw new Error(`unknown op ${command.op}`);
    const value = await op(command);
    answer({ ok: true, value: value === undefined ? null : value });
  } catch (e) {
    answer({ ok: false, error: String(e && e.message || e) });
  }
}
await browser.close();
process.exit(0);
