import type { Page } from 'playwright-core';
import type { FuncHelper, FuncHelperContext } from '../evaluators/func-helpers';

const HELPER_TIMEOUT_MS = 15_000;

function siteUrl(context: FuncHelperContext, placeholder: string, helper: string): string {
  const url = context.siteUrls[placeholder];
  if (!url) throw new Error(`${helper}: no URL configured for ${placeholder}`);
  return url.replace(/\/+$/, '');
}

/** Opens a URL in a fresh tab of the judged page's browser context (so the user's cookies apply), runs `read`, and closes the tab. */
async function readInNewTab<T>(context: FuncHelperContext, url: string, read: (page: Page) => Promise<T>): Promise<T> {
  const page = await context.page.context().newPage();
  try {
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: HELPER_TIMEOUT_MS });
    return await read(page);
  } finally {
    await page.close();
  }
}

/** The product page URL of a SKU, found through the shop's search as a shopper would. */
async function productUrlOfSku(context: FuncHelperContext, sku: string, helper: string): Promise<string | null> {
  const shop = siteUrl(context, '__SHOPPING__', helper);
  const href = await readInNewTab(context, `${shop}/catalogsearch/result/?q=${encodeURIComponent(sku)}`, (page) =>
    page.evaluate(() => document.querySelector('main table tbody a')?.getAttribute('href') ?? null),
  );
  return href === null ? null : new URL(href, shop).toString();
}

/** The newest published review of a SKU as [author, stars], or null when there is none. */
async function latestReview(context: FuncHelperContext, sku: string | undefined, helper: string): Promise<{ author: string; stars: number } | null> {
  if (!sku) throw new Error(`${helper}: expected a SKU argument`);
  const productUrl = await productUrlOfSku(context, sku, helper);
  if (productUrl === null) return null;
  return readInNewTab(context, productUrl, (page) =>
    page.evaluate(() => {
      const review = document.querySelector('.review-item');
      if (!review) return null;
      const author = review.querySelector('.review-author')?.textContent?.trim() ?? '';
      const stars = Number.parseInt(review.querySelector('.review-rating')?.textContent ?? '', 10);
      return { author, stars: Number.isFinite(stars) ? stars : 0 };
    }),
  );
}

/** URL of the signed-in customer's most recent order ('' when there is none). */
const shoppingGetLatestOrderUrl: FuncHelper = async (context) => {
  const shop = siteUrl(context, '__SHOPPING__', 'shopping_get_latest_order_url');
  const href = await readInNewTab(context, `${shop}/sales/order/history`, (page) =>
    page.evaluate(() => document.querySelector('table.orders-history tbody a')?.getAttribute('href') ?? null),
  );
  return href === null ? '' : new URL(href, shop).toString();
};

/** Nickname on the newest published review of a SKU ('' when there is none). */
const shoppingGetSkuLatestReviewAuthor: FuncHelper = async (context, args) =>
  (await latestReview(context, args[0], 'shopping_get_sku_latest_review_author'))?.author ?? '';

/** Rating of the newest published review of a SKU as a percentage, as WebArena reports it (4 stars -> "80"). */
const shoppingGetSkuLatestReviewRating: FuncHelper = async (context, args) => {
  const review = await latestReview(context, args[0], 'shopping_get_sku_latest_review_rating');
  return review === null ? '' : String(review.stars * 20);
};

/** The post's own URL from any URL inside it (e.g. a comment permalink); other URLs are returned unchanged. */
const redditGetPostUrl: FuncHelper = (context, args) => {
  const raw = args[0] ?? context.lastUrl;
  try {
    const url = new URL(raw);
    const segments = url.pathname.split('/').filter(Boolean);
    if (segments[0] === 'f' && segments.length >= 3 && /^\d+$/.test(segments[2] ?? '')) {
      return Promise.resolve(`${url.origin}/${segments.slice(0, 4).join('/')}`);
    }
    return Promise.resolve(raw);
  } catch {
    return Promise.resolve(raw);
  }
};

/** The built-in sites' implementations of WebArena's named func helpers. */
export const builtinFuncHelpers: Record<string, FuncHelper> = {
  shopping_get_latest_order_url: shoppingGetLatestOrderUrl,
  shopping_get_sku_latest_review_author: shoppingGetSkuLatestReviewAuthor,
  shopping_get_sku_latest_review_rating: shoppingGetSkuLatestReviewRating,
  reddit_get_post_url: redditGetPostUrl,
};
