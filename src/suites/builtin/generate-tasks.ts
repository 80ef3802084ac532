/**
 * Generates the built-in suite (tasks.json + suite.json) from the built-in sites' seed data, so every
 * reference answer agrees with what the sites serve. Run: npx tsx src/suites/builtin/generate-tasks.ts
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Order, Product } from '../../sites/stores/commerce-seed';
import { CommerceStore, formatDate, formatMonth, formatPrice, orderTotalCents } from '../../sites/stores/commerce-store';
import { ForumStore } from '../../sites/stores/forum-store';
import { postPath } from '../../sites/reddit/index';

type Vars = Record<string, string | number>;

interface BuiltinTaskEval {
  eval_types: Array<'string_match' | 'url_match' | 'program_html'>;
  reference_answers: { exact_match?: string; must_include?: string[]; fuzzy_match?: string[] | 'N/A' } | null;
  reference_url: string;
  program_html: Array<{ url: string; locator: string; required_contents: { exact_match: string } | { must_include: string[] } }>;
  url_note?: 'GOLD in PRED';
  string_note: string;
}

interface Instance {
  vars: Vars;
  startUrl: string;
  eval: BuiltinTaskEval;
}

/** What a template exercises; every kind in the eval split also appears in the train split. */
export type TemplateKind = 'information' | 'navigation' | 'state_change' | 'unachievable' | 'cross_site';

interface TemplateSpec {
  id: number;
  kind: TemplateKind;
  sites: string[];
  template: string;
  requireLogin: boolean;
  /** Changes site state, so the sites must be reset before it runs. */
  writes: boolean;
  split: 'train' | 'eval';
  instances: Instance[];
}

const SHOP = '__SHOPPING__';
const ADMIN = '__SHOPPING_ADMIN__';
const FORUM = '__REDDIT__';
const FORUM_USER = 'MarvelsGrantMan136';
const CUSTOMER_ID = 1;

function fill(template: string, vars: Vars): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_match, key: string) => {
    const value = vars[key];
    if (value === undefined) throw new Error(`template ${JSON.stringify(template)}: no value for {{${key}}}`);
    return String(value);
  });
}

function stringMatch(answers: BuiltinTaskEval['reference_answers'], stringNote = ''): BuiltinTaskEval {
  return { eval_types: ['string_match'], reference_answers: answers, reference_url: '', program_html: [], string_note: stringNote };
}

function urlMatch(referenceUrl: string): BuiltinTaskEval {
  return { eval_types: ['url_match'], reference_answers: null, reference_url: referenceUrl, program_html: [], url_note: 'GOLD in PRED', string_note: '' };
}

function programHtml(targets: BuiltinTaskEval['program_html'], referenceUrl = ''): BuiltinTaskEval {
  return referenceUrl === ''
    ? { eval_types: ['program_html'], reference_answers: null, reference_url: '', program_html: targets, string_note: '' }
    : { eval_types: ['url_match', 'program_html'], reference_answers: null, reference_url: referenceUrl, program_html: targets, url_note: 'GOLD in PRED', string_note: '' };
}

/** Every n-th element starting at `offset`, `count` of them (deterministic spread over the seed). */
function spread<T>(items: readonly T[], count: number, offset = 0): T[] {
  if (items.length < count) throw new Error(`spread: need ${count} items, have ${items.length}`);
  const step = Math.floor(items.length / count);
  return Array.from({ length: count }, (_unused, index) => items[(offset + index * step) % items.length] as T);
}

function price(cents: number): string {
  return formatPrice(cents);
}

/** Builds every template's instances from the seed. */
export function buildTemplates(): TemplateSpec[] {
  const commerce = new CommerceStore();
  const forum = new ForumStore();
  const { products, categories, customers, orders, reviews } = commerce.state;
  const productUrl = (product: Product) => `${SHOP}/product/${product.slug}`;
  const reviewed = products.filter((product) => commerce.publishedReviews(product.id).length > 0);
  const myOrders = commerce.ordersOfCustomer(CUSTOMER_ID);
  const customerName = (order: Order) => {
    const customer = commerce.customerById(order.customerId);
    return customer ? `${customer.firstname} ${customer.lastname}` : '';
  };
  const posts = forum.state.posts;
  const postTitle = (id: number) => forum.postById(id)?.title ?? '';
  const templates: TemplateSpec[] = [];
  const add = (spec: Omit<TemplateSpec, 'instances'>, instances: Instance[]) => templates.push({ ...spec, instances });

  // ---- shopping: information seeking ----
  add({ id: 1, kind: 'information', sites: ['shopping'], template: 'What is the price of {{product}}?', requireLogin: false, writes: false, split: 'train' },
    spread(products, 4, 1).map((product) => ({ vars: { product: product.name }, startUrl: SHOP, eval: stringMatch({ must_include: [price(product.priceCents)] }) })));
  add({ id: 2, kind: 'information', sites: ['shopping'], template: 'What is the SKU of {{product}}?', requireLogin: false, writes: false, split: 'eval' },
    spread(products, 4, 3).map((product) => ({ vars: { product: product.name }, startUrl: productUrl(product), eval: stringMatch({ exact_match: product.sku }) })));
  add({ id: 3, kind: 'information', sites: ['shopping'], template: 'How many reviews does {{product}} have?', requireLogin: false, writes: false, split: 'train' },
    spread(products, 4, 2).map((product) => ({ vars: { product: product.name }, startUrl: productUrl(product), eval: stringMatch({ must_include: [String(commerce.publishedReviews(product.id).length)] }) })));
  add({ id: 4, kind: 'information', sites: ['shopping'], template: 'Who wrote the most recent review of {{product}}?', requireLogin: false, writes: false, split: 'train' },
    spread(reviewed, 4, 0).map((product) => ({ vars: { product: product.name }, startUrl: productUrl(product), eval: stringMatch({ exact_match: commerce.publishedReviews(product.id)[0]?.nickname ?? '' }) })));
  add({ id: 5, kind: 'information', sites: ['shopping'], template: 'What is the cheapest product in the {{category}} category?', requireLogin: false, writes: false, split: 'train' },
    spread(categories, 4, 0).map((category) => {
      const sorted = commerce.visibleProductsInCategory(category.slug).sort((a, b) => a.priceCents - b.priceCents);
      if (sorted[0]?.priceCents === sorted[1]?.priceCents) throw new Error(`template 5: tie for cheapest in ${category.slug}`);
      return { vars: { category: category.name }, startUrl: SHOP, eval: stringMatch({ exact_match: sorted[0]?.name ?? '' }) };
    }));
  add({ id: 6, kind: 'information', sites: ['shopping'], template: 'How many products in the {{category}} category cost less than ${{limit}}?', requireLogin: false, writes: false, split: 'eval' },
    spread(categories, 4, 1).map((category, index) => {
      const limit = [50, 100, 150, 200][index] ?? 100;
      const count = commerce.visibleProductsInCategory(category.slug).filter((product) => product.priceCents < limit * 100).length;
      return { vars: { category: category.name, limit }, startUrl: SHOP, eval: stringMatch({ must_include: [String(count)] }) };
    }));
  add({ id: 7, kind: 'information', sites: ['shopping'], template: 'What is the status of my order #{{order_number}}?', requireLogin: true, writes: false, split: 'train' },
    spread(myOrders, 4, 0).map((order) => ({ vars: { order_number: order.number }, startUrl: `${SHOP}/sales/order/history`, eval: stringMatch({ exact_match: order.status }) })));
  add({ id: 8, kind: 'information', sites: ['shopping'], template: 'How much did I pay in total for order #{{order_number}}?', requireLogin: true, writes: false, split: 'train' },
    spread(myOrders, 4, 1).map((order) => ({ vars: { order_number: order.number }, startUrl: SHOP, eval: stringMatch({ must_include: [price(orderTotalCents(order))] }) })));
  const me = commerce.customerById(CUSTOMER_ID);
  if (!me) throw new Error('no customer 1 in the seed');
  const accountFields: Array<[string, string]> = [['email address', me.email], ['phone number', me.phone], ['zip code', me.postcode], ['city', me.city]];
  add({ id: 9, kind: 'information', sites: ['shopping'], template: 'What {{field}} is saved in my account?', requireLogin: true, writes: false, split: 'train' },
    accountFields.map(([field, value]) => ({ vars: { field }, startUrl: `${SHOP}/customer/account`, eval: stringMatch({ must_include: [value] }) })));
  const soldOut = products.filter((product) => product.quantity === 0);
  const inStock = products.filter((product) => product.quantity > 0);
  add({ id: 10, kind: 'information', sites: ['shopping'], template: 'Is {{product}} in stock? Answer Yes or No.', requireLogin: false, writes: false, split: 'train' },
    [...spread(soldOut, 2), ...spread(inStock, 2, 4)].map((product) => ({ vars: { product: product.name }, startUrl: productUrl(product), eval: stringMatch({ fuzzy_match: [product.quantity > 0 ? 'Yes' : 'No'] }) })));
  add({ id: 11, kind: 'information', sites: ['shopping'], template: 'When was the most recent review of {{product}} written?', requireLogin: false, writes: false, split: 'eval' },
    spread(reviewed, 4, 1).map((product) => ({ vars: { product: product.name }, startUrl: productUrl(product), eval: stringMatch({ fuzzy_match: [formatDate(commerce.publishedReviews(product.id)[0]?.date ?? '')] }) })));
  const missingProducts = ['Sonora Soundbar 900', 'Brevo Four Slice Toaster', 'Ridgeway Four Person Tent', 'Lumea Night Repair Serum'];
  add({ id: 12, kind: 'unachievable', sites: ['shopping'], template: 'What is the price of the {{product}} in the store?', requireLogin: false, writes: false, split: 'train' },
    missingProducts.map((product) => ({ vars: { product }, startUrl: SHOP, eval: stringMatch({ fuzzy_match: 'N/A' }, `The store does not sell a product called ${product}`) })));
  add({ id: 13, kind: 'unachievable', sites: ['shopping'], template: 'What rating did {{nickname}} give {{product}}?', requireLogin: false, writes: false, split: 'eval' },
    spread(reviewed, 4, 2).map((product) => {
      const authors = new Set(commerce.publishedReviews(product.id).map((review) => review.nickname));
      const nickname = ['Zelda M', 'Bruno', 'Keiko', 'Pat Q'].find((candidate) => !authors.has(candidate)) ?? 'Zelda M';
      return { vars: { nickname, product: product.name }, startUrl: productUrl(product), eval: stringMatch({ fuzzy_match: 'N/A' }, `${nickname} has not reviewed ${product.name}`) };
    }));

  // ---- shopping: navigation ----
  add({ id: 14, kind: 'navigation', sites: ['shopping'], template: 'Show me the {{category}} category', requireLogin: false, writes: false, split: 'train' },
    spread(categories, 4, 2).map((category) => ({ vars: { category: category.name }, startUrl: SHOP, eval: urlMatch(`${SHOP}/category/${category.slug}`) })));
  const searches = ['espresso', 'running shoe', 'sleeping bag', 'wireless controller'];
  add({ id: 15, kind: 'navigation', sites: ['shopping'], template: 'Search the store for "{{query}}"', requireLogin: false, writes: false, split: 'train' },
    searches.map((query) => ({ vars: { query }, startUrl: SHOP, eval: urlMatch(`${SHOP}/catalogsearch/result/?q=${encodeURIComponent(query).replace(/%20/g, '+')}`) })));
  add({ id: 16, kind: 'navigation', sites: ['shopping'], template: 'Open the product page of {{product}}', requireLogin: false, writes: false, split: 'eval' },
    spread(inStock, 4, 5).map((product) => ({ vars: { product: product.name }, startUrl: `${SHOP}/category/${product.categorySlug}`, eval: urlMatch(productUrl(product)) })));
  add({ id: 17, kind: 'navigation', sites: ['shopping'], template: 'Show me the details of my order #{{order_number}}', requireLogin: true, writes: false, split: 'train' },
    spread(myOrders, 4, 2).map((order) => ({ vars: { order_number: order.number }, startUrl: SHOP, eval: urlMatch(`${SHOP}/sales/order/view/order_id/${order.id}`) })));

  // ---- shopping: state changes ----
  add({ id: 19, kind: 'state_change', sites: ['shopping'], template: 'Add {{product}} to my cart', requireLogin: true, writes: true, split: 'train' },
    spread(inStock, 4, 6).map((product) => ({ vars: { product: product.name }, startUrl: productUrl(product),
      eval: programHtml([{ url: `${SHOP}/checkout/cart`, locator: '', required_contents: { must_include: [product.name] } }]) })));
  add({ id: 20, kind: 'state_change', sites: ['shopping'], template: 'Buy {{product}} for me', requireLogin: true, writes: true, split: 'train' },
    spread(inStock, 4, 7).map((product) => ({ vars: { product: product.name }, startUrl: SHOP,
      eval: programHtml([{ url: 'func:shopping_get_latest_order_url()', locator: 'document.querySelector(".order-details-items.ordered").outerText', required_contents: { must_include: [product.sku] } }]) })));
  const nicknames = ['ShoppingEmma', 'Emma Lopez', 'GamingEmma', 'SimpleEmma'];
  add({ id: 21, kind: 'state_change', sites: ['shopping'], template: 'Rate my recent purchase of {{product}} with {{stars}} stars, using my nickname {{nickname}}', requireLogin: true, writes: true, split: 'eval' },
    spread(myOrders, 4, 3).map((order, index) => {
      const item = order.items[0];
      if (!item) throw new Error(`template 21: order ${order.number} has no items`);
      const stars = 1 + ((index * 2 + 1) % 5);
      const nickname = nicknames[index] ?? 'Emma';
      return { vars: { product: item.name, stars, nickname }, startUrl: SHOP, eval: programHtml([
        { url: 'last', locator: `func:shopping_get_sku_latest_review_rating('${item.sku}')`, required_contents: { must_include: [String(stars * 20)] } },
        { url: 'last', locator: `func:shopping_get_sku_latest_review_author('${item.sku}')`, required_contents: { must_include: [nickname] } },
      ]) };
    }));
  const phones = ['4155550000', '6505559876', '2125550147', '7185550123'];
  add({ id: 22, kind: 'state_change', sites: ['shopping'], template: 'Change the phone number in my address to {{phone}}', requireLogin: true, writes: true, split: 'train' },
    phones.map((phone) => ({ vars: { phone }, startUrl: `${SHOP}/customer/account`,
      eval: programHtml([{ url: `${SHOP}/customer/address/edit`, locator: 'document.querySelector(\'input[name="phone"]\').value', required_contents: { exact_match: phone } }]) })));
  const newNames: Array<[string, string]> = [['Emma', 'Lopez-Hart'], ['Emily', 'Lopez'], ['Emma', 'Lo'], ['Em', 'Lopez']];
  add({ id: 23, kind: 'state_change', sites: ['shopping'], template: 'Update the name on my account to {{firstname}} {{lastname}}', requireLogin: true, writes: true, split: 'train' },
    newNames.map(([firstname, lastname]) => ({ vars: { firstname, lastname }, startUrl: SHOP,
      eval: programHtml([{ url: `${SHOP}/customer/account`, locator: 'document.querySelector(".contact-name").outerText', required_contents: { exact_match: `${firstname} ${lastname}` } }]) })));

  // ---- shopping_admin: information seeking ----
  const topPicks: Array<{ n: number; year: number; name: string }> = [];
  for (const year of [2022, 2023]) {
    const ranking = commerce.bestsellers(year);
    for (let n = 1; n <= ranking.length && topPicks.filter((pickRow) => pickRow.year === year).length < 2; n += 1) {
      const units = ranking[n - 1]?.units;
      if (units !== ranking[n - 2]?.units && units !== ranking[n]?.units) topPicks.push({ n, year, name: ranking[n - 1]?.product.name ?? '' });
    }
  }
  add({ id: 25, kind: 'information', sites: ['shopping_admin'], template: 'What is the top-{{n}} best-selling product in {{year}}', requireLogin: true, writes: false, split: 'train' },
    topPicks.map(({ n, year, name }) => ({ vars: { n, year }, startUrl: ADMIN, eval: stringMatch({ exact_match: name }) })));
  add({ id: 26, kind: 'information', sites: ['shopping_admin'], template: 'How many orders have the status {{status}}?', requireLogin: true, writes: false, split: 'train' },
    (['pending', 'processing', 'complete', 'canceled'] as const).map((status) => ({ vars: { status }, startUrl: ADMIN,
      eval: stringMatch({ must_include: [String(orders.filter((order) => order.status === status).length)] }) })));
  add({ id: 27, kind: 'information', sites: ['shopping_admin'], template: 'What is the email address of the customer {{name}}?', requireLogin: true, writes: false, split: 'eval' },
    spread(customers, 4, 1).map((customer) => ({ vars: { name: `${customer.firstname} ${customer.lastname}` }, startUrl: ADMIN, eval: stringMatch({ exact_match: customer.email }) })));
  add({ id: 28, kind: 'information', sites: ['shopping_admin'], template: 'What was the total revenue in {{month}}?', requireLogin: true, writes: false, split: 'train' },
    spread(commerce.salesByMonth(), 4, 2).map((row) => ({ vars: { month: formatMonth(row.month) }, startUrl: ADMIN, eval: stringMatch({ must_include: [price(row.revenueCents)] }) })));
  add({ id: 29, kind: 'information', sites: ['shopping_admin'], template: 'How many units of {{product}} are in stock?', requireLogin: true, writes: false, split: 'eval' },
    spread(products, 4, 8).map((product) => ({ vars: { product: product.name }, startUrl: `${ADMIN}/catalog/product/`, eval: stringMatch({ must_include: [String(product.quantity)] }) })));
  add({ id: 30, kind: 'information', sites: ['shopping_admin'], template: 'Who placed order #{{order_number}}?', requireLogin: true, writes: false, split: 'train' },
    spread(orders, 4, 4).map((order) => ({ vars: { order_number: order.number }, startUrl: `${ADMIN}/sales/order/`, eval: stringMatch({ exact_match: customerName(order) }) })));
  const missingOrders = ['000000301', '000000412', '000000999', '000000250'];
  add({ id: 31, kind: 'unachievable', sites: ['shopping_admin'], template: 'What is the grand total of order #{{order_number}}?', requireLogin: true, writes: false, split: 'eval' },
    missingOrders.map((orderNumber) => ({ vars: { order_number: orderNumber }, startUrl: ADMIN, eval: stringMatch({ fuzzy_match: 'N/A' }, `There is no order #${orderNumber}`) })));
  add({ id: 32, kind: 'information', sites: ['shopping_admin'], template: 'Which city does the customer {{name}} live in?', requireLogin: true, writes: false, split: 'train' },
    spread(customers, 4, 2).map((customer) => ({ vars: { name: `${customer.firstname} ${customer.lastname}` }, startUrl: `${ADMIN}/customer/index/`, eval: stringMatch({ fuzzy_match: [customer.city] }) })));

  // ---- shopping_admin: navigation ----
  add({ id: 33, kind: 'navigation', sites: ['shopping_admin'], template: 'Show me the orders with status {{status}}', requireLogin: true, writes: false, split: 'train' },
    (['pending', 'processing', 'complete', 'canceled'] as const).map((status) => ({ vars: { status }, startUrl: ADMIN,
      eval: programHtml([{ url: 'last', locator: 'document.querySelector("div.admin__data-grid-filters-current").outerText', required_contents: { must_include: [status.charAt(0).toUpperCase() + status.slice(1)] } }], `${ADMIN}/sales/order/?status=${status}`) })));
  add({ id: 34, kind: 'navigation', sites: ['shopping_admin'], template: 'Open the edit page of the product {{product}}', requireLogin: true, writes: false, split: 'eval' },
    spread(products, 4, 9).map((product) => ({ vars: { product: product.name }, startUrl: `${ADMIN}/catalog/product/`, eval: urlMatch(`${ADMIN}/catalog/product/edit/id/${product.id}`) })));
  add({ id: 35, kind: 'navigation', sites: ['shopping_admin'], template: 'Show me the customer page of {{name}}', requireLogin: true, writes: false, split: 'train' },
    spread(customers, 4, 3).map((customer) => ({ vars: { name: `${customer.firstname} ${customer.lastname}` }, startUrl: ADMIN, eval: urlMatch(`${ADMIN}/customer/index/edit/id/${customer.id}`) })));

  // ---- shopping_admin: state changes ----
  const priceInput = 'document.querySelector(\'input[name="product[price]"]\').value';
  add({ id: 36, kind: 'state_change', sites: ['shopping_admin'], template: 'Change the price of {{product}} to ${{price}}', requireLogin: true, writes: true, split: 'train' },
    spread(products, 4, 10).map((product, index) => {
      const newPrice = ((product.priceCents + (index % 2 === 0 ? 1000 : -500)) / 100).toFixed(2);
      return { vars: { product: product.name, price: newPrice }, startUrl: ADMIN, eval: programHtml([
        { url: `${ADMIN}/catalog/product/edit/id/${product.id}`, locator: priceInput, required_contents: { exact_match: newPrice } },
        { url: productUrl(product), locator: 'document.querySelector(".price").outerText', required_contents: { exact_match: `$${newPrice}` } },
      ]) };
    }));
  add({ id: 37, kind: 'state_change', sites: ['shopping_admin'], template: 'Set the stock quantity of {{product}} to {{quantity}}', requireLogin: true, writes: true, split: 'eval' },
    spread(products, 4, 11).map((product, index) => ({ vars: { product: product.name, quantity: 25 + index * 10 }, startUrl: ADMIN,
      eval: programHtml([{ url: `${ADMIN}/catalog/product/edit/id/${product.id}`, locator: 'document.querySelector(\'input[name="product[quantity]"]\').value', required_contents: { exact_match: String(25 + index * 10) } }]) })));
  add({ id: 38, kind: 'state_change', sites: ['shopping_admin'], template: 'Disable the product {{product}} so shoppers can no longer see it', requireLogin: true, writes: true, split: 'train' },
    spread(products, 4, 12).map((product) => ({ vars: { product: product.name }, startUrl: ADMIN,
      eval: programHtml([{ url: `${ADMIN}/catalog/product/edit/id/${product.id}`, locator: 'document.querySelector(\'select[name="product[status]"]\').value', required_contents: { exact_match: '0' } }]) })));
  const pending = reviews.filter((review) => review.status === 'pending');
  add({ id: 39, kind: 'state_change', sites: ['shopping_admin'], template: 'Approve the pending review written by {{nickname}}', requireLogin: true, writes: true, split: 'train' },
    spread(pending, 4, 0).map((review) => {
      const product = commerce.productById(review.productId);
      if (!product) throw new Error(`template 39: review ${review.id} has no product`);
      return { vars: { nickname: review.nickname }, startUrl: ADMIN, eval: programHtml([
        { url: `${ADMIN}/review/product/edit/id/${review.id}`, locator: 'document.querySelector("#review-status").outerText', required_contents: { exact_match: 'Approved' } },
        { url: productUrl(product), locator: '', required_contents: { must_include: [review.nickname] } },
      ]) };
    }));

  // ---- spanning two sites ----
  const forumsForPrices = ['gaming', 'cooking', 'running', 'coffee'];
  add({ id: 40, kind: 'cross_site', sites: ['shopping', 'reddit'], template: 'Find the price of {{product}} in the store and post it in the {{forum}} forum with the title "{{title}}"', requireLogin: true, writes: true, split: 'train' },
    spread(inStock, 4, 13).map((product, index) => {
      const forumName = forumsForPrices[index] ?? 'gaming';
      const title = `Price check: ${product.name}`;
      return { vars: { product: product.name, forum: forumName, title }, startUrl: `${SHOP} |AND| ${FORUM}`, eval: programHtml([
        { url: "func:reddit_get_post_url('__last_url__')", locator: "document.querySelector('.submission__title').outerText", required_contents: { exact_match: title } },
        { url: "func:reddit_get_post_url('__last_url__')", locator: "document.querySelector('.submission__body').outerText", required_contents: { must_include: [price(product.priceCents)] } },
      ], `${FORUM}/f/${forumName}`) };
    }));
  const singleItemOrders = myOrders.filter((order) => order.items.length === 1);
  add({ id: 41, kind: 'cross_site', sites: ['shopping', 'shopping_admin'], template: 'Disable, in the admin, the product I bought in my order #{{order_number}}', requireLogin: true, writes: true, split: 'eval' },
    spread(singleItemOrders, Math.min(4, singleItemOrders.length), 0).map((order) => ({ vars: { order_number: order.number }, startUrl: `${SHOP}/sales/order/history |AND| ${ADMIN}`,
      eval: programHtml([{ url: `${ADMIN}/catalog/product/edit/id/${order.items[0]?.productId ?? 0}`, locator: 'document.querySelector(\'select[name="product[status]"]\').value', required_contents: { exact_match: '0' } }]) })));

  // ---- reddit: information seeking ----
  add({ id: 43, kind: 'information', sites: ['reddit'], template: 'Who posted "{{title}}"?', requireLogin: false, writes: false, split: 'train' },
    spread(posts, 4, 1).map((post) => ({ vars: { title: post.title }, startUrl: `${FORUM}/f/${post.forum}`, eval: stringMatch({ exact_match: post.author }) })));
  add({ id: 44, kind: 'information', sites: ['reddit'], template: 'How many comments does the post "{{title}}" have?', requireLogin: false, writes: false, split: 'eval' },
    spread(posts, 4, 2).map((post) => ({ vars: { title: post.title }, startUrl: `${FORUM}/f/${post.forum}`, eval: stringMatch({ must_include: [String(forum.commentsOf(post.id).length)] }) })));
  add({ id: 45, kind: 'information', sites: ['reddit'], template: 'What is the title of the top post of all time in the {{forum}} forum?', requireLogin: false, writes: false, split: 'train' },
    spread(forum.state.forums, 4, 0).map((forumRow) => {
      const top = forum.postsInForum(forumRow.name, 'top');
      return { vars: { forum: forumRow.name }, startUrl: `${FORUM}/f/${forumRow.name}`, eval: stringMatch({ exact_match: top[0]?.title ?? '' }) };
    }));
  const authors = [...new Set(posts.map((post) => post.author))];
  add({ id: 46, kind: 'information', sites: ['reddit'], template: 'How many posts has {{user}} submitted?', requireLogin: false, writes: false, split: 'train' },
    spread(authors, 4, 1).map((user) => ({ vars: { user }, startUrl: FORUM, eval: stringMatch({ must_include: [String(posts.filter((post) => post.author === user).length)] }) })));
  add({ id: 47, kind: 'information', sites: ['reddit'], template: 'What is the {{forum}} forum about?', requireLogin: false, writes: false, split: 'train' },
    spread(forum.state.forums, 4, 1).map((forumRow) => ({ vars: { forum: forumRow.name }, startUrl: `${FORUM}/forums`, eval: stringMatch({ fuzzy_match: [forumRow.description] }) })));
  const missingPosts: Array<[string, string]> = [['space', 'Photos from my trip to Mars'], ['books', 'My signed first edition collection'], ['coffee', 'Roasting beans in a popcorn maker'], ['diy', 'Building a treehouse in one day']];
  add({ id: 48, kind: 'unachievable', sites: ['reddit'], template: 'What is the score of the post "{{title}}" in the {{forum}} forum?', requireLogin: false, writes: false, split: 'train' },
    missingPosts.map(([forumName, title]) => ({ vars: { title, forum: forumName }, startUrl: `${FORUM}/f/${forumName}`, eval: stringMatch({ fuzzy_match: 'N/A' }, `There is no post titled "${title}" in the ${forumName} forum`) })));

  // ---- reddit: navigation ----
  add({ id: 49, kind: 'navigation', sites: ['reddit'], template: 'Show me the newest posts in the {{forum}} forum', requireLogin: false, writes: false, split: 'eval' },
    spread(forum.state.forums, 4, 2).map((forumRow) => ({ vars: { forum: forumRow.name }, startUrl: FORUM, eval: urlMatch(`${FORUM}/f/${forumRow.name}?sort=new`) })));
  add({ id: 50, kind: 'navigation', sites: ['reddit'], template: 'Open the profile page of {{user}}', requireLogin: false, writes: false, split: 'train' },
    spread(posts, 4, 3).map((post) => ({ vars: { user: post.author }, startUrl: `${FORUM}/f/${post.forum}`, eval: urlMatch(`${FORUM}/user/${post.author}`) })));
  const topics: Array<[string, string[]]> = [['video games', ['gaming', 'videogames']], ['home cooking', ['cooking', 'recipes']], ['astronomy', ['space']], ['films', ['movies']]];
  add({ id: 51, kind: 'navigation', sites: ['reddit'], template: 'Find a forum where I can talk about {{topic}}', requireLogin: false, writes: false, split: 'train' },
    topics.map(([topic, names]) => ({ vars: { topic }, startUrl: `${FORUM}/forums`, eval: urlMatch(names.map((name) => `${FORUM}/f/${name}`).join(' |OR| ')) })));

  // ---- reddit: state changes ----
  const othersPosts = posts.filter((post) => post.author !== FORUM_USER);
  add({ id: 52, kind: 'state_change', sites: ['reddit'], template: 'Upvote the post "{{title}}"', requireLogin: true, writes: true, split: 'train' },
    spread(othersPosts, 4, 4).map((post) => ({ vars: { title: post.title }, startUrl: `${FORUM}/f/${post.forum}`,
      eval: programHtml([{ url: `${FORUM}${postPath(post)}`, locator: "document.querySelector('.vote__up').getAttribute('aria-pressed')", required_contents: { exact_match: 'true' } }]) })));
  const replies = ['Thanks for posting this', 'Great tip, it worked for me', 'I would love to see photos', 'Following this thread'];
  add({ id: 53, kind: 'state_change', sites: ['reddit'], template: 'Reply to the post "{{title}}" with "{{comment}}"', requireLogin: true, writes: true, split: 'eval' },
    spread(othersPosts, 4, 5).map((post, index) => ({ vars: { title: post.title, comment: replies[index] ?? 'Thanks' }, startUrl: `${FORUM}/f/${post.forum}`,
      eval: programHtml([{ url: `${FORUM}${postPath(post)}`, locator: '', required_contents: { must_include: [replies[index] ?? 'Thanks'] } }]) })));
  const newPosts: Array<[string, string, string]> = [['books', 'Looking for mystery novel suggestions', 'I just finished every book by my favourite author.'], ['running', 'Best socks for long runs', 'My feet get blisters after 15 km.'], ['space', 'Which telescope should I buy first', 'Budget is around 300 dollars.'], ['diy', 'Fixing a wobbly table', 'The legs are loose and glue did not hold.']];
  add({ id: 54, kind: 'state_change', sites: ['reddit'], template: 'Create a post in the {{forum}} forum titled "{{title}}" saying "{{body}}"', requireLogin: true, writes: true, split: 'train' },
    newPosts.map(([forumName, title, body]) => ({ vars: { forum: forumName, title, body }, startUrl: FORUM, eval: programHtml([
      { url: "func:reddit_get_post_url('__last_url__')", locator: "document.querySelector('.submission__title').outerText", required_contents: { exact_match: title } },
      { url: "func:reddit_get_post_url('__last_url__')", locator: "document.querySelector('.submission__body').outerText", required_contents: { exact_match: body } },
    ], `${FORUM}/f/${forumName}`) })));
  const bios = ['I am a robot', 'Runner, reader and coffee lover', 'Here for the space news', 'Building things on weekends'];
  add({ id: 55, kind: 'state_change', sites: ['reddit'], template: 'Change my forum biography to "{{bio}}"', requireLogin: true, writes: true, split: 'train' },
    bios.map((bio) => ({ vars: { bio }, startUrl: FORUM,
      eval: programHtml([{ url: `${FORUM}/user/${FORUM_USER}`, locator: 'document.querySelector(".user-bio__biography").outerText', required_contents: { exact_match: bio } }]) })));
  const myPosts = posts.filter((post) => post.author === FORUM_USER);
  const edits = ['Update: solved, thanks everyone!', 'Edited: I found the answer myself.', 'Update: still looking for advice.', 'Edit: this is resolved now.'];
  add({ id: 56, kind: 'state_change', sites: ['reddit'], template: 'Edit my post "{{title}}" so that its body reads "{{body}}"', requireLogin: true, writes: true, split: 'train' },
    spread(myPosts, 4, 0).map((post, index) => ({ vars: { title: postTitle(post.id), body: edits[index] ?? 'Updated' }, startUrl: `${FORUM}/user/${FORUM_USER}`,
      eval: programHtml([{ url: `${FORUM}${postPath(post)}`, locator: "document.querySelector('.submission__body').outerText", required_contents: { exact_match: edits[index] ?? 'Updated' } }]) })));

  return templates;
}

/** The suite's tasks in WebArena's format, task_ids 0..N-1. */
export function buildTasks(templates: TemplateSpec[] = buildTemplates()): Array<Record<string, unknown>> {
  let taskId = 0;
  return templates.flatMap((spec) =>
    spec.instances.map((instance) => ({
      sites: spec.sites,
      task_id: taskId++,
      require_login: spec.requireLogin,
      storage_state: null,
      start_url: instance.startUrl,
      geolocation: null,
      intent_template: spec.template,
      instantiation_dict: instance.vars,
      intent: fill(spec.template, instance.vars),
      require_reset: spec.writes,
      eval: instance.eval,
      intent_template_id: spec.id,
    })),
  );
}

/** suite.json: the split by intent_template_id. */
export function buildManifest(templates: TemplateSpec[] = buildTemplates()): { name: string; version: string; splits: { train: number[]; eval: number[] } } {
  return {
    name: 'builtin',
    version: '1',
    splits: {
      train: templates.filter((spec) => spec.split === 'train').map((spec) => spec.id),
      eval: templates.filter((spec) => spec.split === 'eval').map((spec) => spec.id),
    },
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const templates = buildTemplates();
  const tasks = buildTasks(templates);
  writeFileSync(join(import.meta.dirname, 'tasks.json'), `${JSON.stringify(tasks, null, 2)}\n`);
  writeFileSync(join(import.meta.dirname, 'suite.json'), `${JSON.stringify(buildManifest(templates), null, 2)}\n`);
  process.stderr.write(`wrote ${tasks.length} tasks from ${templates.length} templates\n`);
}
