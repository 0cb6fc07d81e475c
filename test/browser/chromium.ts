/**
 * A real browser for the playground's tests: Debian's Chromium, driven by
 * playwright-core, and a static server for a built page.
 *
 * Without Chromium the tests skip with a printed reason, except under
 * CI=true, where its absence is a failure (.ci/run installs it).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM = process.env.EQLKIT_CHROMIUM ?? '/usr/bin/chromium';

/** The path of Chromium, or null when it is absent (outside CI). `what` names the tests that need it, for the skip message. */
export function chromiumPath(what: string): string | null {
  if (existsSync(CHROMIUM)) return CHROMIUM;
  const reason = `${CHROMIUM} is missing, so ${what} cannot run (apt-get install chromium, or set EQLKIT_CHROMIUM)`;
  if (process.env.CI === 'true') throw new Error(`${reason} (CI=true requires it)`);
  console.warn(`skipped: ${reason}`);
  return null;
}

export function launch(executablePath: string): Promise<Browser> {
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      // Nothing but the page may use the network: no updates, sync, metrics or field trials.
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-default-apps',
      '--disable-domain-reliability',
      '--disable-field-trial-config',
      '--metrics-recording-only',
      '--no-first-run',
      '--no-pings',
    ],
  });
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
};

/** Serves folders' files (the first that has the path) on a free port of 127.0.0.1; anything else is a 404. */
export async function serveStatic(roots: Record<string, string>): Promise<{ origin: string; close: () => Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    for (const [prefix, root] of Object.entries(roots)) {
      if (!path.startsWith(prefix)) continue;
      const relative = `${path.slice(prefix.length)}${path.endsWith('/') ? 'index.html' : ''}`;
      const file = normalize(join(root, relative));
      if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) continue;
      response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      response.end(readFileSync(file));
      return;
    }
    response.writeHead(404, { 'content-type': 'text/plain' });
    response.end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
