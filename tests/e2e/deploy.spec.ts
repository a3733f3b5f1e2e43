import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test, expect, expectNoAxeViolations } from './support/fixtures';

// Issue 23: the one-file deployment. The release binary with the client inside
// (`scripts/release` writes target/release-bundle/api-mock) is copied ALONE into an empty
// temporary folder, started there with a password, and walked through in Chromium: the
// password page, a wrong password, the right one, then sign-in as a persona.
const root = resolve(__dirname, '../..');
const bundled = process.env.RELEASE_BIN ?? resolve(root, 'target/release-bundle/api-mock');
const password = 'tea and biscuits';

let child: ChildProcess | undefined;
let folder = '';
let url = '';

test.beforeAll(async () => {
  if (!existsSync(bundled)) throw new Error(`no ${bundled}: run scripts/release first`);
  folder = mkdtempSync(join(tmpdir(), 'collab-deploy-'));
  const bin = join(folder, 'api-mock');
  copyFileSync(bundled, bin);
  rmSync(join(folder, 'dist'), { recursive: true, force: true });
  writeFileSync(join(folder, 'password.txt'), `${password}\n`);
  child = spawn(bin, ['--port', '0', '--password-file', 'password.txt'], {
    cwd: folder,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr += chunk));
  url = await new Promise<string>((done, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`did not start: ${stderr}`)), 20_000);
    child?.stdout?.on('data', (chunk) => {
      out += chunk;
      const match = out.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (match) {
        clearTimeout(timer);
        done(match[1]);
      }
    });
    child?.on('exit', (code) => fail(new Error(`exited with ${code}: ${stderr}`)));
  });
});

test.afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((done) => child?.once('exit', done));
    child.kill('SIGTERM');
    await exited;
  }
  if (folder) rmSync(folder, { recursive: true, force: true });
});

test('one copied binary serves the product behind its password', async ({ page }) => {
  // A deep link asks for the password first, at its own address.
  await page.goto(`${url}/groups`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Enter the password');
  await expectNoAxeViolations(page);

  await page.getByLabel('Password').fill('not it');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveTitle(/^Error: /);
  await expect(page.getByRole('alert')).toContainText('The password is not right');
  await expect(page.getByLabel('Password')).toHaveAttribute('aria-invalid', 'true');
  await expectNoAxeViolations(page);

  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Continue' }).click();
  // Back at the deep link, now served by the client carried inside the binary.
  await expect(page).toHaveURL(`${url}/groups`);
  await page.getByTestId('persona-u-james-wilson').click();
  await expect(page.getByTestId('account')).toContainText('James Wilson');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Groups');

  // The cookie is HttpOnly: the page's script cannot read it.
  expect(await page.evaluate(() => document.cookie)).not.toContain('collab_demo');
  const cookies = await page.context().cookies(url);
  const gate = cookies.find((c) => c.name === 'collab_demo');
  expect(gate?.httpOnly).toBe(true);
  expect(gate?.sameSite).toBe('Strict');

  // The wasm comes compressed from inside the binary, cached by its hashed name.
  const wasm = await page.request.get(
    `${url}/${await page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .map((e) => new URL(e.name).pathname.slice(1))
        .find((n) => n.endsWith('.wasm')),
    )}`,
    { headers: { 'accept-encoding': 'br' } },
  );
  expect(wasm.status()).toBe(200);
  expect(wasm.headers()['content-encoding']).toBe('br');
  expect(wasm.headers()['content-type']).toBe('application/wasm');
  expect(wasm.headers()['cache-control']).toContain('immutable');
});
