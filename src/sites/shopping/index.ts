import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { html, type SafeHtml } from '../html';
import { parseForm, safeReturnPath } from '../form-body';
import { messageMain, renderDocument } from '../page-layout';
import { SessionStore } from '../sessions';
import type { SiteDefinition } from '../site-definition';
import type { Customer, Product } from '../stores/commerce-seed';
import { formatDate, formatPrice, orderSubtotalCents, orderTotalCents, type CommerceStore } from '../stores/commerce-store';
import type { DataStores } from '../stores/index';

const SITE_TITLE = 'One Stop Market';
const LOGIN_PATH = '/customer/account/login';

const loginForm = z.strictObject({ email: z.string(), password: z.string(), referer: z.string().optional() });
const cartAddForm = z.strictObject({ product: z.coerce.number().int(), qty: z.coerce.number().int().min(1).max(99).default(1) });
const cartRemoveForm = z.strictObject({ product: z.coerce.number().int() });
const reviewForm = z.strictObject({
  product: z.coerce.number().int(),
  nickname: z.string().trim().min(1),
  rating: z.coerce.number().int().min(1).max(5),
  title: z.string().trim().min(1),
  detail: z.string().trim().min(1),
});
const accountForm = z.strictObject({ firstname: z.string().trim().min(1), lastname: z.string().trim().min(1), email: z.string().trim().email() });
const addressForm = z.strictObject({
  street: z.string().trim().min(1),
  city: z.string().trim().min(1),
  region: z.string().trim().min(1),
  postcode: z.string().trim().min(1),
  phone: z.string().trim().min(1),
});
const searchQuery = z.object({ q: z.string().default('') });
const categoryQuery = z.object({ sort: z.enum(['position', 'name', 'price']).default('position') });

/** "4 out of 5 stars" as text a screen reader and an agent can read. */
function starsText(rating: number): string {
  return `${rating} out of 5 stars`;
}

function productRows(store: CommerceStore, products: Product[]): SafeHtml {
  if (products.length === 0) return html`<p>We can't find products matching the selection.</p>`;
  return html`<table>
<thead><tr><th scope="col">Product</th><th scope="col">Price</th><th scope="col">Rating</th><th scope="col">Reviews</th></tr></thead>
<tbody>${products.map((product) => {
    const average = store.averageRating(product.id);
    return html`<tr><td><a href="/product/${product.slug}">${product.name}</a></td><td>${formatPrice(product.priceCents)}</td><td>${average === null ? 'Not rated' : `${Math.round(average * 20)}%`}</td><td>${store.publishedReviews(product.id).length}</td></tr>`;
  })}</tbody></table>`;
}

function searchForm(query: string): SafeHtml {
  return html`<form role="search" action="/catalogsearch/result/" method="get"><label for="search">Search entire store here</label><input id="search" type="search" name="q" value="${query}"><button type="submit">Search</button></form>`;
}

/** Registers the storefront's pages. */
function registerShoppingRoutes(app: FastifyInstance, stores: DataStores): void {
  const store = stores.commerce;
  const sessions = new SessionStore<number>('shop_session');
  const signedIn = (request: FastifyRequest): Customer | undefined => {
    const id = sessions.current(request);
    return id === undefined ? undefined : store.customerById(id);
  };
  const page = (request: FastifyRequest, reply: FastifyReply, pageTitle: string, main: SafeHtml, status = 200): FastifyReply => {
    const customer = signedIn(request);
    const account = customer
      ? html`<p>Welcome, ${customer.firstname} ${customer.lastname}!</p><form class="inline" method="post" action="/customer/account/logout"><button type="submit">Sign Out</button></form>`
      : html`<a href="${LOGIN_PATH}">Sign In</a>`;
    return reply.code(status).type('text/html; charset=utf-8').send(renderDocument({
      siteTitle: SITE_TITLE,
      pageTitle,
      nav: [
        ...store.state.categories.map((category) => ({ href: `/category/${category.slug}`, label: category.name })),
        { href: '/checkout/cart', label: 'My Cart' },
        { href: '/customer/account', label: 'My Account' },
        { href: '/sales/order/history', label: 'My Orders' },
      ],
      account,
      main,
    }));
  };
  /** Returns the customer, or sends a redirect to the login page and returns undefined. */
  const requireCustomer = (request: FastifyRequest, reply: FastifyReply): Customer | undefined => {
    const customer = signedIn(request);
    if (!customer) void reply.redirect(`${LOGIN_PATH}?referer=${encodeURIComponent(request.url)}`);
    return customer;
  };
  const notFound = (request: FastifyRequest, reply: FastifyReply, what: string) =>
    page(request, reply, 'Page Not Found', messageMain('Page Not Found', `${what} does not exist.`), 404);

  app.get('/', (request, reply) => {
    const topRated = [...store.state.products]
      .filter((product) => product.enabled && store.averageRating(product.id) !== null)
      .sort((a, b) => (store.averageRating(b.id) ?? 0) - (store.averageRating(a.id) ?? 0) || a.id - b.id)
      .slice(0, 6);
    return page(request, reply, 'Home Page', html`<h1>Welcome to ${SITE_TITLE}</h1>
${searchForm('')}
<section aria-labelledby="categories"><h2 id="categories">Shop by Category</h2><ul>
${store.state.categories.map((category) => html`<li><a href="/category/${category.slug}">${category.name}</a> (${store.visibleProductsInCategory(category.slug).length} products)</li>`)}
</ul></section>
<section aria-labelledby="top-rated"><h2 id="top-rated">Top Rated Products</h2>${productRows(store, topRated)}</section>`);
  });

  app.get<{ Params: { slug: string } }>('/category/:slug', (request, reply) => {
    const category = store.state.categories.find((candidate) => candidate.slug === request.params.slug);
    if (!category) return notFound(request, reply, `Category ${request.params.slug}`);
    const { sort } = parseForm('category sort', categoryQuery, request.query);
    const products = store.visibleProductsInCategory(category.slug);
    if (sort === 'name') products.sort((a, b) => a.name.localeCompare(b.name));
    if (sort === 'price') products.sort((a, b) => a.priceCents - b.priceCents);
    return page(request, reply, category.name, html`<h1>${category.name}</h1>
<p>${products.length} items</p>
<nav aria-label="Sort by"><p>Sort by: ${(['position', 'name', 'price'] as const).map((option) =>
      option === sort ? html`<strong>${option}</strong> ` : html`<a href="/category/${category.slug}?sort=${option}">${option}</a> `)}</p></nav>
${productRows(store, products)}`);
  });

  app.get('/catalogsearch/result/', (request, reply) => {
    const { q } = parseForm('search', searchQuery, request.query);
    const products = store.searchProducts(q);
    return page(request, reply, `Search results for: '${q}'`, html`<h1>Search results for: '${q}'</h1>${searchForm(q)}<p>${products.length} items</p>${productRows(store, products)}`);
  });

  app.get<{ Params: { slug: string } }>('/product/:slug', (request, reply) => {
    const product = store.productBySlug(request.params.slug);
    if (!product || !product.enabled) return notFound(request, reply, `Product ${request.params.slug}`);
    const reviews = store.publishedReviews(product.id);
    const category = store.state.categories.find((candidate) => candidate.slug === product.categorySlug);
    const customer = signedIn(request);
    return page(request, reply, product.name, html`<nav aria-label="Breadcrumbs"><a href="/">Home</a> › <a href="/category/${product.categorySlug}">${category?.name ?? product.categorySlug}</a></nav>
<h1 class="page-title">${product.name}</h1>
<dl class="product-info">
<dt>SKU</dt><dd class="product-sku">${product.sku}</dd>
<dt>Price</dt><dd class="price">${formatPrice(product.priceCents)}</dd>
<dt>Brand</dt><dd>${product.brand}</dd>
<dt>Availability</dt><dd class="stock">${product.quantity > 0 ? 'In stock' : 'Out of stock'}</dd>
</dl>
<p class="description">${product.description}</p>
<form method="post" action="/checkout/cart/add"><input type="hidden" name="product" value="${product.id}"><label for="qty">Qty</label><input id="qty" name="qty" type="number" min="1" value="1"><button type="submit">Add to Cart</button></form>
<section aria-labelledby="reviews-heading" id="reviews"><h2 id="reviews-heading">Customer Reviews (${reviews.length})</h2>
${reviews.length === 0 ? html`<p>There are no reviews yet.</p>` : reviews.map((review) => html`<article class="review-item"><h3>${review.title}</h3>
<p>Rating: <span class="review-rating">${starsText(review.rating)}</span></p>
<p>Review by <span class="review-author">${review.nickname}</span> on <time datetime="${review.date}">${formatDate(review.date)}</time></p>
<p>${review.text}</p></article>`)}
</section>
<section aria-labelledby="write-review"><h2 id="write-review">Write Your Own Review</h2>
${customer ? html`<form method="post" action="/review/product/post"><input type="hidden" name="product" value="${product.id}">
<label for="nickname">Nickname</label><input id="nickname" name="nickname" value="${customer.firstname}">
<label for="rating">Rating</label><select id="rating" name="rating">${[1, 2, 3, 4, 5].map((stars) => html`<option value="${stars}">${stars} star${stars > 1 ? 's' : ''}</option>`)}</select>
<label for="title">Summary</label><input id="title" name="title">
<label for="detail">Review</label><textarea id="detail" name="detail"></textarea>
<button type="submit">Submit Review</button></form>` : html`<p>Only registered users can write reviews. Please <a href="${LOGIN_PATH}?referer=${encodeURIComponent(request.url)}">Sign in</a>.</p>`}
</section>`);
  });

  app.post('/review/product/post', (request, reply) => {
    const customer = requireCustomer(request, reply);
    if (!customer) return reply;
    const form = parseForm('review', reviewForm, request.body);
    const product = store.productById(form.product);
    if (!product) return notFound(request, reply, `Product ${form.product}`);
    store.addReview({ productId: product.id, nickname: form.nickname, rating: form.rating, title: form.title, text: form.detail });
    return reply.redirect(`/product/${product.slug}?review=submitted#reviews`, 303);
  });

  app.get<{ Querystring: { referer?: string } }>(LOGIN_PATH, (request, reply) =>
    page(request, reply, 'Customer Login', html`<h1>Customer Login</h1>
<form method="post" action="${LOGIN_PATH}"><input type="hidden" name="referer" value="${safeReturnPath(request.query.referer)}">
<label for="email">Email</label><input id="email" name="email" type="email" autocomplete="username">
<label for="pass">Password</label><input id="pass" name="password" type="password" autocomplete="current-password">
<button type="submit">Sign In</button></form>`));

  app.post(LOGIN_PATH, (request, reply) => {
    const form = parseForm('login', loginForm, request.body);
    const customer = store.customerByEmail(form.email);
    if (!customer || customer.password !== form.password) {
      return page(request, reply, 'Customer Login', messageMain('Customer Login', 'The account sign-in was incorrect. Please try again.'), 401);
    }
    sessions.signIn(reply, customer.id);
    return reply.redirect(safeReturnPath(form.referer === '/' ? '/customer/account' : form.referer), 303);
  });

  app.post('/customer/account/logout', (request, reply) => {
    sessions.signOut(request, reply);
    return reply.redirect('/', 303);
  });

  app.get('/customer/account', (request, reply) => {
    const customer = requireCustomer(request, reply);
    if (!customer) return reply;
    return page(request, reply, 'My Account', html`<h1>My Account</h1>
<section aria-labelledby="contact"><h2 id="contact">Contact Information</h2><p class="contact-name">${customer.firstname} ${customer.lastname}</p><p class="contact-email">${customer.email}</p><p><a href="/customer/account/edit">Edit account information</a></p></section>
<section aria-labelledby="address"><h2 id="address">Default Shipping Address</h2><address class="shipping-address">${customer.street}<br>${customer.city}, ${customer.region}, ${customer.postcode}<br>T: ${customer.phone}</address><p><a href="/customer/address/edit">Change shipping address</a></p></section>
<p><a href="/sales/order/history">View my orders</a></p>`);
  });

  app.get('/customer/account/edit', (request, reply) => {
    const customer = requireCustomer(request, reply);
    if (!customer) return reply;
    return page(request, reply, 'Edit Account Information', html`<h1>Edit Account Information</h1>
<form method="post" action="/customer/account/edit">
<label for="firstname">First Name</label><input id="firstname" name="firstname" value="${customer.firstname}">
<label for="lastname">Last Name</label><input id="lastname" name="lastname" value="${customer.lastname}">
<label for="email">Email</label><input id="email" name="email" type="email" value="${customer.email}">
<button type="submit">Save</button></form>`);
  });

  app.post('/customer/account/edit', (request, reply) => {
    const customer = requireCustomer(request, reply);
    if (!customer) return reply;
    Object.assign(customer, parseForm('account', accountForm, request.body));
    return reply.redirect('/customer/account?saved=1', 303);
  });

  app.get('/customer/address/edit', (request, reply) => {
    const customer = requireCustomer(request, reply);
    if (!customer) return reply;
    const field = (name: keyof typeof addressForm.shape, label: string) =>
      html`<label for="${name}">${label}</label><input id="${name}" name="${name}" value="${customer[name]}">`;
    return page(request, reply, 'Edit Address', html`<h1>Edit Address</h1>
<form method="post" action="/customer/address/edit">${field('street', 'Street Address')}${field('city', 'City')}${field('region', 'State/Province')}${field('postcode', 'Zip/Postal Code')}${field('phone', 'Phone Number')}
<button type="submit">Save Address</button></form>`);
  });

  app.post('/customer/address/edit', (request, reply) => {
    const customer = requireCustomer(request, reply);
    if (!customer) return reply;
    Object.assign(customer, parseForm('address', addressForm, request.body));
    return reply.redirect('/customer/account?saved=1', 303);
  });

  app.get('/checkout/cart', (request, reply) => {
    const customer = requireCustomer(request, reply);
    if (!customer) return reply;
    const lines = store.cartOf(customer.id);
    const subtotal = lines.reduce((sum, line) => sum + line.product.priceCents * line.quantity, 0);
    return page(request, reply, 'Shopping Cart', html`<h1>Shopping Cart</h1>
${lines.length === 0 ? html`<p>You have no items in your shopping cart.</p>` : html`<table class="cart">
<thead><tr><th scope="col">Item</th><th scope="col">SKU</th><th scope="col">Price</th><th scope="col">Qty</th><th scope="col">Subtotal</th><th scope="col">Action</th></tr></thead>
<tbody>${lines.map(({ product, quantity }) => html`<tr><td><a href="/product/${product.slug}">${product.name}</a></td><td>${product.sku}</td><td>${formatPrice(product.priceCents)}</td><td>${quantity}</td><td>${formatPrice(product.priceCents * quantity)}</td>
<td><form class="inline" method="post" action="/checkout/cart/remove"><input type="hidden" name="product" value="${product.id}"><button type="submit" aria-label="Remove ${product.name}">Remove</button></form></td></tr>`)}</tbody></table>
<p>Subtotal: ${formatPrice(subtotal)}</p><p><a href="/checkout">Proceed to Checkout</a></p>`}`);
  });

  app.post('/checkout/cart/add', (request, reply) => {
    const customer = requireCustomer(request, reply);
    if (!customer) return reply;
    const form = parseForm('add to cart', cartAddForm, request.body);
    const product = store.productById(form.product);
    if (!product || !product.enabled) return notFound(request, reply, `Product ${form.product}`);
    store.addToCart(customer.id, product.id, form.qty);
    return reply.redirect('/checkout/cart', 303);
  });

  app.post('/checkout/cart/remove', (request, reply) => {
    const customer = requireCustomer(request, reply);
    if (!customer) return reply;
    store.removeFromCart(customer.id, parseForm('remove from cart', cartRemoveForm, request.body).product);
    return reply.redirect('/checkout/cart', 303);
  });

  app.get('/checkout', (request, reply) => {
    const customer = requireCustomer(request, reply);
    if (!customer) return reply;
    const lines = store.cartOf(customer.id);
    if (lines.length === 0) return reply.redirect('/checkout/cart');
    const subtotal = lines.reduce((sum, line) => sum + line.product.priceCents * line.quantity, 0);
    return page(request, reply, 'Checkout', html`<h1>Checkout</h1>
<section aria-labelledby="ship"><h2 id="ship">Shipping Address</h2><address>${customer.firstname} ${customer.lastname}<br>${customer.street}<br>${customer.city}, ${customer.region}, ${customer.postcode}</address></section>
<section aria-labelledby="summary"><h2 id="summary">Order Summary</h2><ul>${lines.map(({ product, quantity }) => html`<li>${product.name} × ${quantity}: ${formatPrice(product.priceCents * quantity)}</li>`)}</ul>
<p>Subtotal: ${formatPrice(subtotal)}</p><p>Shipping (Flat Rate): ${formatPrice(500)}</p><p>Order Total: ${formatPrice(subtotal + 500)}</p></section>
<form method="post" action="/checkout/place"><button type="submit">Place Order</button></form>`);
  });

  app.post('/checkout/place', (request, reply) => {
    const customer = requireCustomer(request, reply);
    if (!customer) return reply;
    const order = store.placeOrder(customer.id);
    if (!order) return reply.redirect('/checkout/cart', 303);
    return reply.redirect(`/checkout/onepage/success/?order_id=${order.id}`, 303);
  });

  app.get<{ Querystring: { order_id?: string } }>('/checkout/onepage/success/', (request, reply) => {
    const customer = requireCustomer(request, reply);
    if (!customer) return reply;
    const order = store.orderById(Number(request.query.order_id));
    if (!order || order.customerId !== customer.id) return notFound(request, reply, `Order ${request.query.order_id ?? ''}`);
    return page(request, reply, 'Success Page', html`<h1>Thank you for your purchase!</h1><p>Your order number is: <a href="/sales/order/view/order_id/${order.id}">${order.number}</a>.</p><p><a href="/">Continue Shopping</a></p>`);
  });

  app.get('/sales/order/history', (request, reply) => {
    const customer = requireCustomer(request, reply);
    if (!customer) return reply;
    const orders = store.ordersOfCustomer(customer.id);
    return page(request, reply, 'My Orders', html`<h1>My Orders</h1>
<table class="orders-history"><thead><tr><th scope="col">Order #</th><th scope="col">Date</th><th scope="col">Order Total</th><th scope="col">Status</th><th scope="col">Action</th></tr></thead>
<tbody>${orders.map((order) => html`<tr><td>${order.number}</td><td>${formatDate(order.date)}</td><td>${formatPrice(orderTotalCents(order))}</td><td>${order.status}</td><td><a href="/sales/order/view/order_id/${order.id}" aria-label="View Order ${order.number}">View Order</a></td></tr>`)}</tbody></table>`);
  });

  app.get<{ Params: { id: string } }>('/sales/order/view/order_id/:id', (request, reply) => {
    const customer = requireCustomer(request, reply);
    if (!customer) return reply;
    const order = store.orderById(Number(request.params.id));
    if (!order || order.customerId !== customer.id) return notFound(request, reply, `Order ${request.params.id}`);
    return page(request, reply, `Order # ${order.number}`, html`<h1>Order # ${order.number}</h1>
<p>Status: <span class="order-status">${order.status}</span></p><p>Order Date: ${formatDate(order.date)}</p>
<section class="order-details-items ordered" aria-labelledby="items"><h2 id="items">Items Ordered</h2>
<table><thead><tr><th scope="col">Product Name</th><th scope="col">SKU</th><th scope="col">Price</th><th scope="col">Qty</th><th scope="col">Subtotal</th></tr></thead>
<tbody>${order.items.map((item) => html`<tr><td>${item.name}</td><td>${item.sku}</td><td>${formatPrice(item.priceCents)}</td><td>${item.quantity}</td><td>${formatPrice(item.priceCents * item.quantity)}</td></tr>`)}</tbody></table></section>
<dl class="order-totals"><dt>Subtotal</dt><dd>${formatPrice(orderSubtotalCents(order))}</dd><dt>Shipping &amp; Handling</dt><dd>${formatPrice(order.shippingCents)}</dd><dt>Grand Total</dt><dd class="grand-total">${formatPrice(orderTotalCents(order))}</dd></dl>`);
  });
}

/** The storefront (WebArena's "shopping"). */
export const shoppingSite: SiteDefinition = {
  name: 'shopping',
  placeholder: '__SHOPPING__',
  defaultPort: 7770,
  login: { path: LOGIN_PATH, usernameField: 'email', passwordField: 'password', username: 'emma.lopez@example.com', password: 'Password.123' },
  registerRoutes: registerShoppingRoutes,
};
