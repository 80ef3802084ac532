import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSiteServer, type RunningSites, type SiteName } from '../../src/sites/index';
import { html } from '../../src/sites/html';

/** A tiny cookie-keeping HTTP client: each site gets its own session, as in a browser. */
class SiteClient {
  private cookie = '';

  constructor(private readonly base: string) {}

  async get(path: string): Promise<{ status: number; body: string; location: string | null }> {
    const response = await fetch(`${this.base}${path}`, { redirect: 'manual', headers: this.cookie ? { cookie: this.cookie } : {} });
    return { status: response.status, body: await response.text(), location: response.headers.get('location') };
  }

  async post(path: string, form: Record<string, string>): Promise<{ status: number; body: string; location: string | null }> {
    const response = await fetch(`${this.base}${path}`, {
      method: 'POST',
      redirect: 'manual',
      body: new URLSearchParams(form),
      headers: this.cookie ? { cookie: this.cookie } : {},
    });
    const setCookie = response.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0] ?? '';
    return { status: response.status, body: await response.text(), location: response.headers.get('location') };
  }
}

async function signedIn(sites: RunningSites, name: SiteName): Promise<SiteClient> {
  const site = sites.sites[name];
  const client = new SiteClient(site.url);
  const response = await client.post(site.login.path, { [site.login.usernameField]: site.login.username, [site.login.passwordField]: site.login.password });
  expect(response.status).toBe(303);
  return client;
}

describe('the built-in sites', () => {
  let sites: RunningSites;

  beforeAll(async () => {
    sites = await startSiteServer({ ports: { shopping: 0, shopping_admin: 0, reddit: 0 } });
  });
  beforeEach(async () => {
    await sites.reset();
  });
  afterAll(async () => {
    await sites?.close();
  });

  it('serves each site on its own origin under its WebArena placeholder, with health and reset endpoints', async () => {
    expect(Object.keys(sites.urls).sort()).toEqual(['__REDDIT__', '__SHOPPING_ADMIN__', '__SHOPPING__']);
    expect(new Set(Object.values(sites.urls)).size).toBe(3);
    for (const url of Object.values(sites.urls)) {
      expect(await (await fetch(`${url}/__health`)).json()).toMatchObject({ ok: true });
      expect((await fetch(`${url}/__reset`, { method: 'POST' })).status).toBe(200);
    }
  });

  it('renders the shop home page with navigation, headings and a labelled search form', async () => {
    const home = await new SiteClient(sites.urls.__SHOPPING__ ?? '').get('/');
    expect(home.status).toBe(200);
    expect(home.body).toContain('<nav aria-label="Main">');
    expect(home.body).toContain('<label for="search">Search entire store here</label>');
    expect(home.body).toContain('<h2 id="categories">Shop by Category</h2>');
  });

  it('finds products by a phrase of their name and 404s on unknown products', async () => {
    const shop = new SiteClient(sites.urls.__SHOPPING__ ?? '');
    const results = await shop.get('/catalogsearch/result/?q=electric+kettle');
    expect(results.body).toContain('Brevo Stainless Steel Electric Kettle');
    expect(results.body).toContain('1 items');
    expect((await shop.get('/product/no-such-thing')).status).toBe(404);
  });

  it('escapes user-supplied text in pages', async () => {
    const shop = new SiteClient(sites.urls.__SHOPPING__ ?? '');
    const results = await shop.get('/catalogsearch/result/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E');
    expect(results.body).not.toContain('<script>alert(1)</script>');
    expect(results.body).toContain('&lt;script&gt;');
    expect(html`<p>${'<b>"x"</b>'}</p>`.value).toBe('<p>&lt;b&gt;&quot;x&quot;&lt;/b&gt;</p>');
  });

  it('sends anonymous shoppers to the login page for the cart and rejects a wrong password', async () => {
    const shop = new SiteClient(sites.urls.__SHOPPING__ ?? '');
    const cart = await shop.get('/checkout/cart');
    expect(cart.status).toBe(302);
    expect(cart.location).toContain('/customer/account/login');
    const wrong = await shop.post('/customer/account/login', { email: 'emma.lopez@example.com', password: 'nope' });
    expect(wrong.status).toBe(401);
  });

  it('rejects a malformed form with 400 naming the form', async () => {
    const shop = await signedIn(sites, 'shopping');
    const response = await shop.post('/checkout/cart/add', { product: 'abc' });
    expect(response.status).toBe(400);
    expect(response.body).toContain('invalid add to cart form');
  });

  it('lets a signed-in shopper add to the cart, place an order and see it first in the order history', async () => {
    const shop = await signedIn(sites, 'shopping');
    expect((await shop.post('/checkout/cart/add', { product: '2', qty: '2' })).status).toBe(303);
    expect((await shop.get('/checkout/cart')).body).toContain('Sonora Soundbar 300');
    const placed = await shop.post('/checkout/place', {});
    expect(placed.location).toMatch(/\/checkout\/onepage\/success\/\?order_id=\d+/);
    const history = await shop.get('/sales/order/history');
    const firstOrderLink = /href="(\/sales\/order\/view\/order_id\/\d+)"/.exec(history.body)?.[1] ?? '';
    expect(placed.location).toContain(firstOrderLink.split('/').pop() ?? 'missing');
    const order = await shop.get(firstOrderLink);
    expect(order.body).toContain('order-details-items ordered');
    expect(order.body).toContain('Sonora Soundbar 300');
    expect((await shop.get('/checkout/cart')).body).toContain('You have no items in your shopping cart.');
  });

  it('publishes a review and edits account and address details', async () => {
    const shop = await signedIn(sites, 'shopping');
    await shop.post('/review/product/post', { product: '1', nickname: 'TestEmma', rating: '4', title: 'Nice', detail: 'Loud enough.' });
    const product = await shop.get('/product/sonora-mini-wireless-bluetooth-speaker');
    // Newest first: the new review is the first one listed.
    expect(/class="review-author">([^<]+)</.exec(product.body)?.[1]).toBe('TestEmma');
    await shop.post('/customer/account/edit', { firstname: 'Emily', lastname: 'Lopez', email: 'emily@example.com' });
    await shop.post('/customer/address/edit', { street: '1 Main St', city: 'Reno', region: 'Nevada', postcode: '89501', phone: '7755550000' });
    const account = await shop.get('/customer/account');
    expect(account.body).toContain('Emily Lopez');
    expect(account.body).toContain('Reno, Nevada, 89501');
  });

  it('keeps the back office behind its login and shows a price changed there in the shop', async () => {
    expect((await new SiteClient(sites.urls.__SHOPPING_ADMIN__ ?? '').get('/catalog/product/')).status).toBe(302);
    const admin = await signedIn(sites, 'shopping_admin');
    const saved = await admin.post('/catalog/product/edit/id/2', { 'product[price]': '123.45', 'product[quantity]': '7', 'product[status]': '1' });
    expect(saved.status).toBe(303);
    const shopPage = await new SiteClient(sites.urls.__SHOPPING__ ?? '').get('/product/sonora-soundbar-300');
    expect(shopPage.body).toContain('$123.45');
    expect((await admin.get('/reports/low-stock')).body).toContain('Sonora Soundbar 300');
  });

  it('hides a disabled product from the shop and approves a pending review into it', async () => {
    const admin = await signedIn(sites, 'shopping_admin');
    await admin.post('/catalog/product/edit/id/3', { 'product[price]': '89.50', 'product[quantity]': '10', 'product[status]': '0' });
    expect((await new SiteClient(sites.urls.__SHOPPING__ ?? '').get('/product/veltro-bookshelf-speakers-pair')).status).toBe(404);
    const pending = await admin.get('/review/product/?status=pending');
    const id = /\/review\/product\/edit\/id\/(\d+)" aria-label="Edit review \d+ by Kevin R"/.exec(pending.body)?.[1];
    expect(id).toBeDefined();
    await admin.post(`/review/product/approve/id/${id}`, {});
    expect((await admin.get(`/review/product/edit/id/${id}`)).body).toContain('<dd id="review-status">Approved</dd>');
  });

  it('filters orders by status and reports bestsellers and monthly sales', async () => {
    const admin = await signedIn(sites, 'shopping_admin');
    const pending = await admin.get('/sales/order/?status=pending');
    expect(pending.body).toContain('Active filters: Status: Pending');
    expect(pending.body).not.toContain('<td>Complete</td>');
    expect((await admin.get('/sales/order/?status=bogus')).status).toBe(400);
    expect((await admin.get('/reports/bestsellers?year=2022')).body).toContain('<caption>Bestsellers in 2022</caption>');
    expect((await admin.get('/reports/sales')).body).toContain('January 2022');
  });

  it('lets a forum user vote, comment, post, edit a post and change the biography', async () => {
    const forum = await signedIn(sites, 'reddit');
    const before = await forum.get('/f/gaming/1/what-is-the-best-co-op-game-of-the-year-so-far');
    const score = Number(/class="submission__score">(-?\d+)</.exec(before.body)?.[1]);
    await forum.post('/f/gaming/1/vote', { direction: 'up' });
    const after = await forum.get('/f/gaming/1/what-is-the-best-co-op-game-of-the-year-so-far');
    expect(after.body).toContain(`class="submission__score">${score + 1}<`);
    expect(after.body).toContain('class="vote__up" aria-pressed="true"');
    await forum.post('/f/gaming/1/comment', { body: 'Hello from a test' });
    expect((await forum.get('/f/gaming/1/x')).body).toContain('Hello from a test');
    const created = await forum.post('/submit', { forum: 'books', title: 'A test post', body: 'Body text' });
    expect(created.location).toMatch(/^\/f\/books\/\d+\/a-test-post$/);
    await forum.post(`${created.location ?? ''}/edit`, { title: 'A test post', body: 'Edited body' });
    expect((await forum.get(created.location ?? '')).body).toContain('<div class="submission__body">Edited body</div>');
    await forum.post('/user/MarvelsGrantMan136/edit_biography', { biography: 'I am a robot' });
    expect((await forum.get('/user/MarvelsGrantMan136')).body).toContain('<p class="user-bio__biography">I am a robot</p>');
    expect((await forum.post('/f/gaming/2/kart-rally-deluxe-is-still-the-best-party-game/edit', { title: 'x', body: 'y' })).status).toBe(403);
  });

  it('sorts forum posts by new and by top', async () => {
    const forum = new SiteClient(sites.urls.__REDDIT__ ?? '');
    const titles = (body: string) => [...body.matchAll(/<h2><a href="[^"]+">([^<]+)<\/a><\/h2>/g)].map((match) => match[1]);
    const newest = titles((await forum.get('/f/running?sort=new')).body);
    const top = titles((await forum.get('/f/running?sort=top')).body);
    expect(newest).toHaveLength(5);
    expect(newest[0]).toBe('Are carbon plated shoes worth it for casual runners');
    expect(new Set(top)).toEqual(new Set(newest));
    expect(top).not.toEqual(newest);
  });

  it('restores the seed state on reset after writes through every site', async () => {
    const seedHome = (await new SiteClient(sites.urls.__SHOPPING__ ?? '').get('/product/sonora-soundbar-300')).body;
    const seedForum = (await new SiteClient(sites.urls.__REDDIT__ ?? '').get('/f/books?sort=new')).body;
    const admin = await signedIn(sites, 'shopping_admin');
    await admin.post('/catalog/product/edit/id/2', { 'product[price]': '1.00', 'product[quantity]': '1', 'product[status]': '1' });
    const forum = await signedIn(sites, 'reddit');
    await forum.post('/submit', { forum: 'books', title: 'Temporary', body: 'gone after reset' });
    const started = performance.now();
    const reset = await fetch(`${sites.urls.__REDDIT__ ?? ''}/__reset`, { method: 'POST' });
    expect(reset.status).toBe(200);
    expect(performance.now() - started).toBeLessThan(500);
    expect((await new SiteClient(sites.urls.__SHOPPING__ ?? '').get('/product/sonora-soundbar-300')).body).toBe(seedHome);
    expect((await new SiteClient(sites.urls.__REDDIT__ ?? '').get('/f/books?sort=new')).body).toBe(seedForum);
  });

  it('refuses to start on a port that is already taken, naming the host', async () => {
    const port = Number(new URL(sites.urls.__SHOPPING__ ?? '').port);
    await expect(startSiteServer({ ports: { shopping: port, shopping_admin: 0, reddit: 0 } })).rejects.toThrow(/startSiteServer on 127\.0\.0\.1/);
  });
});
