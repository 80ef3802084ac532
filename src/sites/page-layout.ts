import { html, type SafeHtml } from './html';

/** One link of a site's top navigation. */
export interface NavLink {
  href: string;
  label: string;
}

/** Renders a whole HTML document with a banner, navigation, and the page's main content. */
export function renderDocument(input: {
  siteTitle: string;
  pageTitle: string;
  nav: NavLink[];
  /** Shown in the banner, e.g. "Signed in as Emma Lopez", with a sign-out button. */
  account: SafeHtml | null;
  main: SafeHtml;
}): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${input.pageTitle} | ${input.siteTitle}</title>
<style>
body{font-family:sans-serif;margin:0;color:#222}
header{background:#2d3e50;color:#fff;padding:8px 16px;display:flex;gap:24px;align-items:center;flex-wrap:wrap}
header a{color:#fff}
main{padding:16px}
table{border-collapse:collapse}
th,td{border:1px solid #ccc;padding:4px 8px;text-align:left}
.notice{background:#e8f5e9;padding:8px}
.error{background:#fdecea;padding:8px}
form.inline{display:inline}
label{display:block;margin-top:8px}
</style>
</head>
<body>
<header>
<a href="/"><strong>${input.siteTitle}</strong></a>
<nav aria-label="Main"><ul style="display:flex;gap:16px;list-style:none;margin:0;padding:0">
${input.nav.map((link) => html`<li><a href="${link.href}">${link.label}</a></li>`)}
</ul></nav>
${input.account}
</header>
<main>
${input.main}
</main>
</body>
</html>`.value;
}

/** Renders a message page with a status code (404s and validation errors). */
export function messageMain(heading: string, message: string): SafeHtml {
  return html`<h1>${heading}</h1><p class="error" role="alert">${message}</p>`;
}
