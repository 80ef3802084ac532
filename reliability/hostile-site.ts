// A small website of hostile pages (endless scripts, a huge DOM, dialogs, downloads, pop-up loops,
// redirects to another origin, beforeunload prompts) on a loopback port, plus a second origin that
// records every request it receives: nothing an episode does should ever reach it. Used by
// test/reliability/hostile-pages.test.ts and reliability/hostile.ts.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Bytes every download of the hostile site carries, so a written copy could be found on disk. */
export const DOWNLOAD_MARKER = 'ratchet-hostile-download-7f3a9c';
/** Nodes the huge-DOM page builds. */
export const HUGE_DOM_NODES = 200_000;

/** The hostile site and the origin it tries to reach. */
export interface HostileSite {
  origin: string;
  /** Another origin: an episode on the hostile site may never reach it. */
  elsewhereOrigin: string;
  /** Paths the other origin received (must stay empty). */
  elsewhereRequests: string[];
  /** Paths the hostile site received, in order. */
  requests: string[];
  close(): Promise<void>;
}

function page(title: string, body: string, head = ''): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title>${head}</head><body>${body}</body></html>`;
}

/** A link back to a benign page, so the agent always has a same-site place to go. */
const CALM_LINK = '<p><a href="/calm">Calm page</a></p>';

/** Path -> HTML of every hostile page (the other origin is substituted for ELSEWHERE). */
function hostilePages(elsewhere: string): Record<string, string> {
  return {
    '/calm': page('Calm', '<h1>Calm page</h1><p id="status">Nothing happens here</p><button onclick="document.getElementById(\'status\').textContent=\'Pressed\'">Press me</button>'),
    '/endless-script-on-load': page('Endless on load', '<h1>Never loads</h1>', '<script>for (;;) {}</script>'),
    '/endless-script-after-load': page('Endless after load', `<h1>Busy soon</h1>${CALM_LINK}<script>addEventListener('load', () => setTimeout(() => { for (;;) {} }, 0));</script>`),
    '/endless-script-on-click': page('Endless on click', `<h1>Busy on click</h1><button onclick="for (;;) {}">Spin</button>${CALM_LINK}`),
    '/huge-dom': page(
      'Huge DOM',
      `<h1>Huge DOM</h1>${CALM_LINK}<div id="bulk"></div><script>
        const bulk = document.getElementById('bulk');
        const rows = [];
        for (let index = 0; index < ${HUGE_DOM_NODES / 2}; index += 1) rows.push('<div><span>item ' + index + '</span></div>');
        bulk.innerHTML = rows.join('');
      </script>`,
    ),
    '/dialogs-on-load': page('Dialogs on load', `<h1>Dialogs</h1><p id="status">waiting</p>${CALM_LINK}<script>
        alert('alert on load');
        const confirmed = confirm('confirm on load');
        const answered = prompt('prompt on load', 'default');
        document.getElementById('status').textContent = 'confirm ' + confirmed + ', prompt ' + answered;
      </script>`),
    '/dialogs-on-click': page('Dialogs on click', `<h1>Dialogs on click</h1><p id="status">waiting</p>${CALM_LINK}<button onclick="
        alert('alert on click');
        const confirmed = confirm('confirm on click');
        const answered = prompt('prompt on click');
        document.getElementById('status').textContent = 'confirm ' + confirmed + ', prompt ' + answered;
      ">Ask me</button>`),
    '/dialog-loop': page('Dialog loop', `<h1>Dialog loop</h1>${CALM_LINK}<script>setTimeout(() => { for (;;) alert('again'); }, 100);</script>`),
    '/download-on-load': page('Download on load', `<h1>Download</h1>${CALM_LINK}<a id="file" href="/file.bin" download>the file</a><script>
        document.getElementById('file').click();
        const blob = new Blob(['${DOWNLOAD_MARKER}'], { type: 'application/octet-stream' });
        const link = document.createElement('a');
        link.href = URL.createObjectURL(blob);
        link.download = 'blob-download.bin';
        document.body.appendChild(link);
        link.click();
      </script>`),
    '/download-on-click': page('Download on click', `<h1>Download on click</h1>${CALM_LINK}<p><a href="/file.bin">Get the file</a></p>`),
    '/popup-loop': page('Pop-up loop', `<h1>Pop-ups</h1>${CALM_LINK}<script>
        setInterval(() => { window.open('/calm'); window.open('${elsewhere}/popup'); }, 20);
      </script>`),
    '/popup-on-click': page('Pop-up on click', `<h1>Pop-ups on click</h1>${CALM_LINK}<button onclick="for (let index = 0; index < 200; index += 1) window.open('/calm?popup=' + index);">Open many</button>`),
    '/redirect-meta': page('Meta refresh', '<h1>Leaving</h1>', `<meta http-equiv="refresh" content="0; url=${elsewhere}/meta-refresh">`),
    '/redirect-js': page('Script redirect', `<h1>Leaving by script</h1>${CALM_LINK}<script>setTimeout(() => { location.href = '${elsewhere}/js-location'; }, 50);</script>`),
    '/redirect-link': page('Redirect link', `<h1>Links away</h1><p><a href="/redirect-302">Follow me</a></p>${CALM_LINK}`),
    '/beforeunload': page('Before unload', `<h1>Stay with me</h1><input aria-label="Note" id="note">${CALM_LINK}<script>
        window.addEventListener('beforeunload', (event) => { event.preventDefault(); event.returnValue = 'Leave?'; return 'Leave?'; });
      </script>`),
  };
}

function record(requests: string[]): (request: IncomingMessage) => string {
  return (request) => {
    const url = new URL(request.url ?? '/', 'http://hostile');
    const path = `${url.pathname}${url.search}`;
    requests.push(path);
    return url.pathname;
  };
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}

/** Starts the hostile site and the other origin on 127.0.0.1:<ephemeral>. */
export async function startHostileSite(): Promise<HostileSite> {
  const elsewhereRequests: string[] = [];
  const requests: string[] = [];
  const noteElsewhere = record(elsewhereRequests);
  const elsewhere = createServer((request, response) => {
    noteElsewhere(request);
    response.writeHead(200, { 'content-type': 'text/html' }).end(page('Elsewhere', '<h1>You left the allowed origins</h1>'));
  });
  const elsewhereOrigin = await listen(elsewhere);
  const pages = hostilePages(elsewhereOrigin);
  const notePath = record(requests);
  const site = createServer((request: IncomingMessage, response: ServerResponse) => {
    const path = notePath(request);
    if (path === '/redirect-302') {
      response.writeHead(302, { location: `${elsewhereOrigin}/http-302` }).end();
      return;
    }
    if (path === '/file.bin') {
      response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-disposition': 'attachment; filename="hostile.bin"' }).end(DOWNLOAD_MARKER);
      return;
    }
    const html = pages[path];
    if (html === undefined) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
  });
  const origin = await listen(site);
  return {
    origin,
    elsewhereOrigin,
    elsewhereRequests,
    requests,
    close: async () => {
      await Promise.all([close(site), close(elsewhere)]);
    },
  };
}
