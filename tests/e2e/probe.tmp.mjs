import { serve, browser, open } from './harness.mjs';
const { server, url } = await serve();
const b = await browser();
const { page } = await open(b, url);
await page.selectOption('.examples select', 'large');
await page.waitForTimeout(1500);
const t = [];
for (let i = 0; i < 7; i++) {
  await page.evaluate((i) => { const a = document.querySelector('textarea.source'); a.value = a.value.replace(/purpose: Benchmark.*/, 'purpose: Benchmark ' + i); a.dispatchEvent(new InputEvent('input', { bubbles: true })); }, i);
  await page.waitForTimeout(400);
  t.push(Number(await page.getAttribute('main.app', 'data-analysis-ms')));
}
console.log(t.sort((a, b) => a - b));
await b.close(); server.close();
