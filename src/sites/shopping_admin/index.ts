import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { html, type SafeHtml } from '../html';
import { parseForm, safeReturnPath } from '../form-body';
import { messageMain, renderDocument } from '../page-layout';
import { SessionStore } from '../sessions';
import type { SiteDefinition } from '../site-definition';
import type { AdminUser, OrderStatus } from '../stores/commerce-seed';
import { formatDate, formatMonth, formatPrice, orderSubtotalCents, orderTotalCents } from '../stores/commerce-store';
import type { DataStores } from '../stores/index';

const SITE_TITLE = 'Magento Admin';
const LOGIN_PATH = '/login';
const ORDER_STATUSES: OrderStatus[] = ['pending', 'processing', 'complete', 'canceled'];

const loginForm = z.strictObject({ username: z.string(), password: z.string(), referer: z.string().optional() });
const orderQuery = z.object({ status: z.enum(['', ...ORDER_STATUSES]).default(''), q: z.string().default('') });
const productQuery = z.object({ q: z.string().default('') });
const reviewQuery = z.object({ status: z.enum(['', 'pending', 'approved']).default('') });
const bestsellerQuery = z.object({ year: z.coerce.number().int().default(2023) });
const productForm = z.strictObject({
  'product[price]': z.coerce.number().min(0),
  'product[quantity]': z.coerce.number().int().min(0),
  'product[status]': z.enum(['0', '1']),
});

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Registers the back office's pages (all behind the admin login). */
function registerShoppingAdminRoutes(app: FastifyInstance, stores: DataStores): void {
  const store = stores.commerce;
  const sessions = new SessionStore<string>('admin_session');
  const signedIn = (request: FastifyRequest): AdminUser | undefined => {
    const username = sessions.current(request);
    return store.state.admins.find((admin) => admin.username === username);
  };
  const page = (request: FastifyRequest, reply: FastifyReply, pageTitle: string, main: SafeHtml, status = 200): FastifyReply => {
    const admin = signedIn(request);
    return reply.code(status).type('text/html; charset=utf-8').send(renderDocument({
      siteTitle: SITE_TITLE,
      pageTitle,
      nav: admin
        ? [
            { href: '/', label: 'Dashboard' },
            { href: '/sales/order/', label: 'Orders' },
            { href: '/catalog/product/', label: 'Products' },
            { href: '/customer/index/', label: 'Customers' },
            { href: '/review/product/', label: 'Reviews' },
            { href: '/reports/bestsellers', label: 'Bestsellers Report' },
            { href: '/reports/sales', label: 'Sales Report' },
            { href: '/reports/low-stock', label: 'Low Stock Report' },
          ]
        : [],
      account: admin ? html`<p>Signed in as ${admin.username}</p><form class="inline" method="post" action="/logout"><button type="submit">Sign Out</button></form>` : null,
      main,
    }));
  };
  const notFound = (request: FastifyRequest, reply: FastifyReply, what: string) =>
    page(request, reply, 'Not Found', messageMain('Not Found', `${what} does not exist.`), 404);

  app.get<{ Querystring: { referer?: string } }>(LOGIN_PATH, (request, reply) =>
    page(request, reply, 'Sign In', html`<h1>Welcome, please sign in</h1>
<form method="post" action="${LOGIN_PATH}"><input type="hidden" name="referer" value="${safeReturnPath(request.query.referer)}">
<label for="username">Username</label><input id="username" name="username" autocomplete="username">
<label for="login">Password</label><input id="login" name="password" type="password" autocomplete="current-password">
<button type="submit">Sign in</button></form>`));

  app.post(LOGIN_PATH, (request, reply) => {
    const form = parseForm('admin login', loginForm, request.body);
    const admin = store.state.admins.find((candidate) => candidate.username === form.username && candidate.password === form.password);
    if (!admin) return page(request, reply, 'Sign In', messageMain('Sign In', 'The account sign-in was incorrect. Please try again.'), 401);
    sessions.signIn(reply, admin.username);
    return reply.redirect(safeReturnPath(form.referer), 303);
  });

  app.post('/logout', (request, reply) => {
    sessions.signOut(request, reply);
    return reply.redirect(LOGIN_PATH, 303);
  });

  // Everything below needs a signed-in administrator.
  app.addHook('preHandler', async (request, reply) => {
    const path = request.url.split('?')[0];
    if (path === LOGIN_PATH || path === '/logout' || path === '/__health' || path === '/__reset') return;
    if (!signedIn(request)) await reply.redirect(`${LOGIN_PATH}?referer=${encodeURIComponent(request.url)}`);
  });

  app.get('/', (request, reply) => {
    const recent = [...store.state.orders].sort((a, b) => b.id - a.id).slice(0, 5);
    const lifetime = store.state.orders.filter((order) => order.status !== 'canceled').reduce((sum, order) => sum + orderTotalCents(order), 0);
    return page(request, reply, 'Dashboard', html`<h1>Dashboard</h1>
<p>Lifetime Sales: ${formatPrice(lifetime)}</p>
<section aria-labelledby="last-orders"><h2 id="last-orders">Last Orders</h2><table><thead><tr><th scope="col">Customer</th><th scope="col">Items</th><th scope="col">Total</th></tr></thead>
<tbody>${recent.map((order) => {
      const customer = store.customerById(order.customerId);
      return html`<tr><td>${customer ? `${customer.firstname} ${customer.lastname}` : 'Guest'}</td><td>${order.items.length}</td><td>${formatPrice(orderTotalCents(order))}</td></tr>`;
    })}</tbody></table></section>`);
  });

  app.get('/sales/order/', (request, reply) => {
    const { status, q } = parseForm('order filter', orderQuery, request.query);
    const needle = q.trim().toLowerCase();
    const orders = [...store.state.orders].sort((a, b) => b.id - a.id).filter((order) => {
      const customer = store.customerById(order.customerId);
      const name = customer ? `${customer.firstname} ${customer.lastname}`.toLowerCase() : '';
      return (status === '' || order.status === status) && (needle === '' || order.number.includes(needle) || name.includes(needle));
    });
    const filters = [status && `Status: ${capitalise(status)}`, needle && `Keyword: ${q.trim()}`].filter(Boolean);
    return page(request, reply, 'Orders', html`<h1>Orders</h1>
<form method="get" action="/sales/order/"><label for="status">Status</label><select id="status" name="status"><option value="">Any</option>${ORDER_STATUSES.map((option) => html`<option value="${option}" ${option === status ? 'selected' : ''}>${capitalise(option)}</option>`)}</select>
<label for="order-search">Search by order number or customer</label><input id="order-search" name="q" value="${q}"><button type="submit">Apply Filters</button></form>
<div class="admin__data-grid-filters-current"><p>Active filters: ${filters.length === 0 ? 'none' : filters.join(', ')}</p></div>
<p>${orders.length} records found</p>
<table class="data-grid"><thead><tr><th scope="col">Order #</th><th scope="col">Purchase Date</th><th scope="col">Bill-to Name</th><th scope="col">Grand Total</th><th scope="col">Status</th><th scope="col">Action</th></tr></thead>
<tbody>${orders.map((order) => {
      const customer = store.customerById(order.customerId);
      return html`<tr><td>${order.number}</td><td>${formatDate(order.date)}</td><td>${customer ? `${customer.firstname} ${customer.lastname}` : ''}</td><td>${formatPrice(orderTotalCents(order))}</td><td>${capitalise(order.status)}</td><td><a href="/sales/order/view/order_id/${order.id}" aria-label="View order ${order.number}">View</a></td></tr>`;
    })}</tbody></table>`);
  });

  app.get<{ Params: { id: string } }>('/sales/order/view/order_id/:id', (request, reply) => {
    const order = store.orderById(Number(request.params.id));
    if (!order) return notFound(request, reply, `Order ${request.params.id}`);
    const customer = store.customerById(order.customerId);
    return page(request, reply, `# ${order.number}`, html`<h1># ${order.number}</h1>
<p>Order Date: ${formatDate(order.date)}</p><p>Order Status: <span class="order-status">${capitalise(order.status)}</span></p>
<section aria-labelledby="account"><h2 id="account">Account Information</h2><p>Customer Name: ${customer ? html`<a href="/customer/index/edit/id/${customer.id}">${customer.firstname} ${customer.lastname}</a>` : 'Guest'}</p><p>Email: ${customer?.email ?? ''}</p></section>
<section class="order-details-items ordered" aria-labelledby="items"><h2 id="items">Items Ordered</h2><table><thead><tr><th scope="col">Product</th><th scope="col">SKU</th><th scope="col">Price</th><th scope="col">Qty</th></tr></thead>
<tbody>${order.items.map((item) => html`<tr><td>${item.name}</td><td>${item.sku}</td><td>${formatPrice(item.priceCents)}</td><td>${item.quantity}</td></tr>`)}</tbody></table></section>
<dl><dt>Subtotal</dt><dd>${formatPrice(orderSubtotalCents(order))}</dd><dt>Grand Total</dt><dd>${formatPrice(orderTotalCents(order))}</dd></dl>`);
  });

  app.get('/catalog/product/', (request, reply) => {
    const { q } = parseForm('product search', productQuery, request.query);
    const needle = q.trim().toLowerCase();
    const products = store.state.products.filter((product) => needle === '' || `${product.name} ${product.sku}`.toLowerCase().includes(needle));
    return page(request, reply, 'Products', html`<h1>Products</h1>
<form method="get" action="/catalog/product/" role="search"><label for="product-search">Search by keyword</label><input id="product-search" name="q" value="${q}"><button type="submit">Search</button></form>
<p>${products.length} records found</p>
<table class="data-grid"><thead><tr><th scope="col">ID</th><th scope="col">Name</th><th scope="col">SKU</th><th scope="col">Price</th><th scope="col">Quantity</th><th scope="col">Status</th><th scope="col">Action</th></tr></thead>
<tbody>${products.map((product) => html`<tr><td>${product.id}</td><td>${product.name}</td><td>${product.sku}</td><td>${formatPrice(product.priceCents)}</td><td>${product.quantity}</td><td>${product.enabled ? 'Enabled' : 'Disabled'}</td><td><a href="/catalog/product/edit/id/${product.id}" aria-label="Edit ${product.name}">Edit</a></td></tr>`)}</tbody></table>`);
  });

  app.get<{ Params: { id: string }; Querystring: { saved?: string } }>('/catalog/product/edit/id/:id', (request, reply) => {
    const product = store.productById(Number(request.params.id));
    if (!product) return notFound(request, reply, `Product ${request.params.id}`);
    return page(request, reply, product.name, html`<h1>${product.name}</h1>
${request.query.saved ? html`<p class="notice" role="status">You saved the product.</p>` : ''}
<p>SKU: ${product.sku}</p>
<form method="post" action="/catalog/product/edit/id/${product.id}">
<label for="product-status">Enable Product</label><select id="product-status" name="product[status]"><option value="1" ${product.enabled ? 'selected' : ''}>Enabled</option><option value="0" ${product.enabled ? '' : 'selected'}>Disabled</option></select>
<label for="product-price">Price</label><input id="product-price" name="product[price]" value="${(product.priceCents / 100).toFixed(2)}">
<label for="product-quantity">Quantity</label><input id="product-quantity" name="product[quantity]" value="${product.quantity}">
<button type="submit">Save</button></form>`);
  });

  app.post<{ Params: { id: string } }>('/catalog/product/edit/id/:id', (request, reply) => {
    const product = store.productById(Number(request.params.id));
    if (!product) return notFound(request, reply, `Product ${request.params.id}`);
    const form = parseForm('product edit', productForm, request.body);
    product.priceCents = Math.round(form['product[price]'] * 100);
    product.quantity = form['product[quantity]'];
    product.enabled = form['product[status]'] === '1';
    return reply.redirect(`/catalog/product/edit/id/${product.id}?saved=1`, 303);
  });

  app.get('/customer/index/', (request, reply) =>
    page(request, reply, 'Customers', html`<h1>Customers</h1>
<table class="data-grid"><thead><tr><th scope="col">ID</th><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Phone</th><th scope="col">City</th><th scope="col">Action</th></tr></thead>
<tbody>${store.state.customers.map((customer) => html`<tr><td>${customer.id}</td><td>${customer.firstname} ${customer.lastname}</td><td>${customer.email}</td><td>${customer.phone}</td><td>${customer.city}</td><td><a href="/customer/index/edit/id/${customer.id}" aria-label="View ${customer.firstname} ${customer.lastname}">View</a></td></tr>`)}</tbody></table>`));

  app.get<{ Params: { id: string } }>('/customer/index/edit/id/:id', (request, reply) => {
    const customer = store.customerById(Number(request.params.id));
    if (!customer) return notFound(request, reply, `Customer ${request.params.id}`);
    const orders = store.ordersOfCustomer(customer.id);
    return page(request, reply, `${customer.firstname} ${customer.lastname}`, html`<h1>${customer.firstname} ${customer.lastname}</h1>
<dl><dt>Email</dt><dd>${customer.email}</dd><dt>Phone</dt><dd>${customer.phone}</dd><dt>Address</dt><dd>${customer.street}, ${customer.city}, ${customer.region}, ${customer.postcode}</dd></dl>
<section aria-labelledby="customer-orders"><h2 id="customer-orders">Orders</h2><table><thead><tr><th scope="col">Order #</th><th scope="col">Date</th><th scope="col">Status</th><th scope="col">Grand Total</th></tr></thead>
<tbody>${orders.map((order) => html`<tr><td><a href="/sales/order/view/order_id/${order.id}">${order.number}</a></td><td>${formatDate(order.date)}</td><td>${capitalise(order.status)}</td><td>${formatPrice(orderTotalCents(order))}</td></tr>`)}</tbody></table></section>`);
  });

  app.get('/review/product/', (request, reply) => {
    const { status } = parseForm('review filter', reviewQuery, request.query);
    const reviews = store.state.reviews.filter((review) => status === '' || review.status === status).sort((a, b) => b.id - a.id);
    return page(request, reply, 'Reviews', html`<h1>Reviews</h1>
<nav aria-label="Review status"><a href="/review/product/?status=pending">Pending Reviews</a> <a href="/review/product/?status=approved">Approved Reviews</a> <a href="/review/product/">All Reviews</a></nav>
<p>${reviews.length} records found</p>
<table class="data-grid"><thead><tr><th scope="col">ID</th><th scope="col">Created</th><th scope="col">Status</th><th scope="col">Title</th><th scope="col">Nickname</th><th scope="col">Product</th><th scope="col">Action</th></tr></thead>
<tbody>${reviews.map((review) => html`<tr><td>${review.id}</td><td>${formatDate(review.date)}</td><td>${capitalise(review.status)}</td><td>${review.title}</td><td>${review.nickname}</td><td>${store.productById(review.productId)?.name ?? ''}</td><td><a href="/review/product/edit/id/${review.id}" aria-label="Edit review ${review.id} by ${review.nickname}">Edit</a></td></tr>`)}</tbody></table>`);
  });

  app.get<{ Params: { id: string }; Querystring: { saved?: string } }>('/review/product/edit/id/:id', (request, reply) => {
    const review = store.state.reviews.find((candidate) => candidate.id === Number(request.params.id));
    if (!review) return notFound(request, reply, `Review ${request.params.id}`);
    return page(request, reply, 'Edit Review', html`<h1>Edit Review</h1>
${request.query.saved ? html`<p class="notice" role="status">You saved the review.</p>` : ''}
<dl><dt>Product</dt><dd>${store.productById(review.productId)?.name ?? ''}</dd><dt>Nickname</dt><dd>${review.nickname}</dd><dt>Rating</dt><dd>${review.rating} out of 5 stars</dd><dt>Status</dt><dd id="review-status">${capitalise(review.status)}</dd><dt>Summary</dt><dd>${review.title}</dd><dt>Review</dt><dd>${review.text}</dd></dl>
<form class="inline" method="post" action="/review/product/approve/id/${review.id}"><button type="submit">Approve Review</button></form>
<form class="inline" method="post" action="/review/product/delete/id/${review.id}"><button type="submit">Delete Review</button></form>`);
  });

  app.post<{ Params: { id: string } }>('/review/product/approve/id/:id', (request, reply) => {
    const review = store.state.reviews.find((candidate) => candidate.id === Number(request.params.id));
    if (!review) return notFound(request, reply, `Review ${request.params.id}`);
    review.status = 'approved';
    return reply.redirect(`/review/product/edit/id/${review.id}?saved=1`, 303);
  });

  app.post<{ Params: { id: string } }>('/review/product/delete/id/:id', (request, reply) => {
    const before = store.state.reviews.length;
    store.state.reviews = store.state.reviews.filter((candidate) => candidate.id !== Number(request.params.id));
    if (store.state.reviews.length === before) return notFound(request, reply, `Review ${request.params.id}`);
    return reply.redirect('/review/product/?deleted=1', 303);
  });

  app.get('/reports/bestsellers', (request, reply) => {
    const { year } = parseForm('bestsellers report', bestsellerQuery, request.query);
    const rows = store.bestsellers(year);
    return page(request, reply, 'Bestsellers Report', html`<h1>Bestsellers Report</h1>
<form method="get" action="/reports/bestsellers"><label for="year">Year</label><select id="year" name="year">${[2022, 2023].map((option) => html`<option value="${option}" ${option === year ? 'selected' : ''}>${option}</option>`)}</select><button type="submit">Show Report</button></form>
<table><caption>Bestsellers in ${year}</caption><thead><tr><th scope="col">Rank</th><th scope="col">Product</th><th scope="col">Units Sold</th></tr></thead>
<tbody>${rows.map((row, index) => html`<tr><td>${index + 1}</td><td>${row.product.name}</td><td>${row.units}</td></tr>`)}</tbody></table>`);
  });

  app.get('/reports/sales', (request, reply) =>
    page(request, reply, 'Sales Report', html`<h1>Sales Report</h1><p>Canceled orders are excluded.</p>
<table><thead><tr><th scope="col">Month</th><th scope="col">Orders</th><th scope="col">Revenue</th></tr></thead>
<tbody>${store.salesByMonth().map((row) => html`<tr><td>${formatMonth(row.month)}</td><td>${row.orders}</td><td>${formatPrice(row.revenueCents)}</td></tr>`)}</tbody></table>`));

  app.get('/reports/low-stock', (request, reply) =>
    page(request, reply, 'Low Stock Report', html`<h1>Low Stock Report</h1><p>Products with fewer than 10 units in stock.</p>
<table><thead><tr><th scope="col">Product</th><th scope="col">SKU</th><th scope="col">Quantity</th></tr></thead>
<tbody>${store.lowStock().map((product) => html`<tr><td>${product.name}</td><td>${product.sku}</td><td>${product.quantity}</td></tr>`)}</tbody></table>`));
}

/** The shop's back office (WebArena's "shopping_admin"); it shares the shop's data store. */
export const shoppingAdminSite: SiteDefinition = {
  name: 'shopping_admin',
  placeholder: '__SHOPPING_ADMIN__',
  defaultPort: 7780,
  login: { path: LOGIN_PATH, usernameField: 'username', passwordField: 'password', username: 'admin', password: 'admin1234' },
  registerRoutes: registerShoppingAdminRoutes,
};
