import type { Locator, Page } from 'playwright-core';
import type { TaskConfig } from '../../tasks/task-config';

/**
 * Scripted solutions of the built-in suite, one per intent template. Each starts on the task's first
 * start URL with the sites' users already signed in, works through the pages as a person would (role and
 * label locators), and returns the answer to give with `stop [...]` ("" for tasks judged on the page).
 */
export type ScriptedSolution = (page: Page, task: TaskConfig, siteUrls: Record<string, string>) => Promise<{ answer: string }>;

const NO_ANSWER = { answer: '' };

function siteUrl(siteUrls: Record<string, string>, placeholder: string): string {
  const url = siteUrls[placeholder];
  if (!url) throw new Error(`scripted solution: no URL for ${placeholder}`);
  return url.replace(/\/+$/, '');
}

/** A string slot of the task's instantiation_dict. */
function slot(task: TaskConfig, name: string): string {
  const value = task.instantiation_dict[name];
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  throw new Error(`task ${task.task_id}: instantiation_dict has no string or number ${name}`);
}

async function text(locator: Locator): Promise<string> {
  return (await locator.innerText()).trim();
}

function tableRow(page: Page, cellText: string): Locator {
  return page.locator('main table tbody tr').filter({ has: page.getByRole('cell', { name: cellText, exact: true }) });
}

// ---- shop ----
async function shopSearch(page: Page, query: string): Promise<void> {
  await page.getByRole('searchbox', { name: 'Search entire store here' }).fill(query);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.waitForURL(/catalogsearch/);
}

async function openProductFromSearch(page: Page, product: string): Promise<void> {
  await shopSearch(page, product);
  await page.getByRole('link', { name: product, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: product }).waitFor();
}

async function openCategory(page: Page, category: string): Promise<void> {
  await page.getByRole('link', { name: category, exact: true }).first().click();
  await page.getByRole('heading', { level: 1, name: category }).waitFor();
}

async function myOrderRow(page: Page, orderNumber: string): Promise<Locator> {
  await page.getByRole('link', { name: 'My Orders', exact: true }).click();
  await page.getByRole('heading', { name: 'My Orders' }).waitFor();
  return tableRow(page, orderNumber);
}

// ---- back office ----
async function adminNav(page: Page, label: string): Promise<void> {
  await page.getByRole('link', { name: label, exact: true }).click();
  await page.getByRole('heading', { level: 1 }).waitFor();
}

async function adminSearchOrders(page: Page, query: string): Promise<void> {
  await page.getByLabel('Search by order number or customer').fill(query);
  await page.getByRole('button', { name: 'Apply Filters' }).click();
  await page.waitForURL(/[?&]q=/);
}

async function adminOpenProductEditor(page: Page, product: string): Promise<void> {
  if (!page.url().includes('/catalog/product')) await adminNav(page, 'Products');
  await page.getByLabel('Search by keyword').fill(product);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.waitForURL(/[?&]q=/);
  await page.getByRole('link', { name: `Edit ${product}`, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: product }).waitFor();
}

async function adminSaveProduct(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('status').waitFor();
}

// ---- forum ----
function postArticle(page: Page, title: string): Locator {
  return page.locator('article.submission').filter({ has: page.getByRole('link', { name: title, exact: true }) });
}

async function openPost(page: Page, title: string): Promise<void> {
  await page.getByRole('link', { name: title, exact: true }).first().click();
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
}

async function submitForumPost(page: Page, forumUrl: string, input: { forum: string; title: string; body: string }): Promise<void> {
  await page.goto(`${forumUrl}/submit`);
  await page.getByLabel('Title').fill(input.title);
  await page.getByLabel('Body').fill(input.body);
  await page.getByLabel('Forum').selectOption(input.forum);
  await page.getByRole('button', { name: 'Create submission' }).click();
  await page.getByRole('heading', { level: 1, name: input.title }).waitFor();
}

/** intent_template_id -> solution. */
export const scriptedSolutions: Record<number, ScriptedSolution> = {
  // What is the price of {{product}}?
  1: async (page, task) => {
    await openProductFromSearch(page, slot(task, 'product'));
    return { answer: await text(page.locator('.price')) };
  },
  // What is the SKU of {{product}}?
  2: async (page) => ({ answer: await text(page.locator('.product-sku')) }),
  // How many reviews does {{product}} have?
  3: async (page) => {
    const heading = await text(page.getByRole('heading', { name: /^Customer Reviews/ }));
    return { answer: /\((\d+)\)/.exec(heading)?.[1] ?? '' };
  },
  // Who wrote the most recent review of {{product}}?
  4: async (page) => ({ answer: await text(page.locator('.review-item .review-author').first()) }),
  // What is the cheapest product in the {{category}} category?
  5: async (page, task) => {
    await openCategory(page, slot(task, 'category'));
    await page.getByRole('link', { name: 'price', exact: true }).click();
    await page.waitForURL(/sort=price/);
    return { answer: await text(page.locator('main table tbody tr td a').first()) };
  },
  // How many products in the {{category}} category cost less than ${{limit}}?
  6: async (page, task) => {
    await openCategory(page, slot(task, 'category'));
    const prices = await page.locator('main table tbody tr td:nth-child(2)').allInnerTexts();
    const limit = Number(slot(task, 'limit'));
    return { answer: String(prices.filter((price) => Number(price.replace(/[$,]/g, '')) < limit).length) };
  },
  // What is the status of my order #{{order_number}}?
  7: async (page, task) => ({ answer: await text(tableRow(page, slot(task, 'order_number')).locator('td').nth(3)) }),
  // How much did I pay in total for order #{{order_number}}?
  8: async (page, task) => ({ answer: await text((await myOrderRow(page, slot(task, 'order_number'))).locator('td').nth(2)) }),
  // What {{field}} is saved in my account?
  9: async (page, task) => {
    const field = slot(task, 'field');
    if (field === 'email address') return { answer: await text(page.locator('.contact-email')) };
    await page.getByRole('link', { name: 'Change shipping address' }).click();
    const label = ({ 'phone number': 'Phone Number', 'zip code': 'Zip/Postal Code', city: 'City' } as Record<string, string>)[field];
    if (!label) throw new Error(`template 9: unknown field ${field}`);
    return { answer: await page.getByLabel(label, { exact: true }).inputValue() };
  },
  // Is {{product}} in stock? Answer Yes or No.
  10: async (page) => ({ answer: (await text(page.locator('.stock'))) === 'In stock' ? 'Yes' : 'No' }),
  // When was the most recent review of {{product}} written?
  11: async (page) => ({ answer: await text(page.locator('.review-item time').first()) }),
  // What is the price of the {{product}} in the store?
  12: async (page, task) => {
    await shopSearch(page, slot(task, 'product'));
    const match = page.getByRole('link', { name: slot(task, 'product'), exact: true });
    if ((await match.count()) === 0) return { answer: 'N/A' };
    await match.click();
    return { answer: await text(page.locator('.price')) };
  },
  // What rating did {{nickname}} give {{product}}?
  13: async (page, task) => {
    const review = page.locator('.review-item').filter({ has: page.locator('.review-author', { hasText: slot(task, 'nickname') }) });
    if ((await review.count()) === 0) return { answer: 'N/A' };
    return { answer: await text(review.first().locator('.review-rating')) };
  },
  // Show me the {{category}} category
  14: async (page, task) => {
    await openCategory(page, slot(task, 'category'));
    return NO_ANSWER;
  },
  // Search the store for "{{query}}"
  15: async (page, task) => {
    await shopSearch(page, slot(task, 'query'));
    return NO_ANSWER;
  },
  // Open the product page of {{product}}
  16: async (page, task) => {
    await page.getByRole('link', { name: slot(task, 'product'), exact: true }).click();
    await page.getByRole('heading', { level: 1, name: slot(task, 'product') }).waitFor();
    return NO_ANSWER;
  },
  // Show me the details of my order #{{order_number}}
  17: async (page, task) => {
    await myOrderRow(page, slot(task, 'order_number'));
    await page.getByRole('link', { name: `View Order ${slot(task, 'order_number')}` }).click();
    await page.getByRole('heading', { name: `Order # ${slot(task, 'order_number')}` }).waitFor();
    return NO_ANSWER;
  },
  // Add {{product}} to my cart
  19: async (page) => {
    await page.getByRole('button', { name: 'Add to Cart' }).click();
    await page.getByRole('heading', { name: 'Shopping Cart' }).waitFor();
    return NO_ANSWER;
  },
  // Buy {{product}} for me
  20: async (page, task) => {
    await openProductFromSearch(page, slot(task, 'product'));
    await page.getByRole('button', { name: 'Add to Cart' }).click();
    await page.getByRole('link', { name: 'Proceed to Checkout' }).click();
    await page.getByRole('button', { name: 'Place Order' }).click();
    await page.getByRole('heading', { name: 'Thank you for your purchase!' }).waitFor();
    return NO_ANSWER;
  },
  // Rate my recent purchase of {{product}} with {{stars}} stars, using my nickname {{nickname}}
  21: async (page, task) => {
    await openProductFromSearch(page, slot(task, 'product'));
    await page.getByLabel('Nickname').fill(slot(task, 'nickname'));
    await page.getByLabel('Rating').selectOption(slot(task, 'stars'));
    await page.getByLabel('Summary').fill(`${slot(task, 'stars')} stars`);
    await page.getByLabel('Review', { exact: true }).fill(`My rating for ${slot(task, 'product')}.`);
    await page.getByRole('button', { name: 'Submit Review' }).click();
    await page.waitForURL(/review=submitted/);
    return NO_ANSWER;
  },
  // Change the phone number in my address to {{phone}}
  22: async (page, task) => {
    await page.getByRole('link', { name: 'Change shipping address' }).click();
    await page.getByLabel('Phone Number').fill(slot(task, 'phone'));
    await page.getByRole('button', { name: 'Save Address' }).click();
    await page.getByRole('heading', { name: 'My Account' }).waitFor();
    return NO_ANSWER;
  },
  // Update the name on my account to {{firstname}} {{lastname}}
  23: async (page, task) => {
    await page.getByRole('link', { name: 'My Account', exact: true }).click();
    await page.getByRole('link', { name: 'Edit account information' }).click();
    await page.getByLabel('First Name').fill(slot(task, 'firstname'));
    await page.getByLabel('Last Name').fill(slot(task, 'lastname'));
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: 'My Account' }).waitFor();
    return NO_ANSWER;
  },
  // What is the top-{{n}} best-selling product in {{year}}
  25: async (page, task) => {
    await adminNav(page, 'Bestsellers Report');
    await page.getByLabel('Year').selectOption(slot(task, 'year'));
    await page.getByRole('button', { name: 'Show Report' }).click();
    await page.waitForURL(/year=/);
    return { answer: await text(tableRow(page, slot(task, 'n')).locator('td').nth(1)) };
  },
  // How many orders have the status {{status}}?
  26: async (page, task) => {
    await adminNav(page, 'Orders');
    await page.getByLabel('Status').selectOption(slot(task, 'status'));
    await page.getByRole('button', { name: 'Apply Filters' }).click();
    await page.waitForURL(/status=/);
    return { answer: /(\d+) records found/.exec(await text(page.locator('main')))?.[1] ?? '' };
  },
  // What is the email address of the customer {{name}}?
  27: async (page, task) => {
    await adminNav(page, 'Customers');
    return { answer: await text(tableRow(page, slot(task, 'name')).locator('td').nth(2)) };
  },
  // What was the total revenue in {{month}}?
  28: async (page, task) => {
    await adminNav(page, 'Sales Report');
    return { answer: await text(tableRow(page, slot(task, 'month')).locator('td').nth(2)) };
  },
  // How many units of {{product}} are in stock?
  29: async (page, task) => ({ answer: await text(tableRow(page, slot(task, 'product')).locator('td').nth(4)) }),
  // Who placed order #{{order_number}}?
  30: async (page, task) => {
    await adminSearchOrders(page, slot(task, 'order_number'));
    return { answer: await text(tableRow(page, slot(task, 'order_number')).locator('td').nth(2)) };
  },
  // What is the grand total of order #{{order_number}}?
  31: async (page, task) => {
    await adminNav(page, 'Orders');
    await adminSearchOrders(page, slot(task, 'order_number'));
    const row = tableRow(page, slot(task, 'order_number'));
    if ((await row.count()) === 0) return { answer: 'N/A' };
    return { answer: await text(row.locator('td').nth(3)) };
  },
  // Which city does the customer {{name}} live in?
  32: async (page, task) => ({ answer: await text(tableRow(page, slot(task, 'name')).locator('td').nth(4)) }),
  // Show me the orders with status {{status}}
  33: async (page, task) => {
    await adminNav(page, 'Orders');
    await page.getByLabel('Status').selectOption(slot(task, 'status'));
    await page.getByRole('button', { name: 'Apply Filters' }).click();
    await page.waitForURL(/status=/);
    return NO_ANSWER;
  },
  // Open the edit page of the product {{product}}
  34: async (page, task) => {
    await adminOpenProductEditor(page, slot(task, 'product'));
    return NO_ANSWER;
  },
  // Show me the customer page of {{name}}
  35: async (page, task) => {
    await adminNav(page, 'Customers');
    await page.getByRole('link', { name: `View ${slot(task, 'name')}`, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: slot(task, 'name') }).waitFor();
    return NO_ANSWER;
  },
  // Change the price of {{product}} to ${{price}}
  36: async (page, task) => {
    await adminOpenProductEditor(page, slot(task, 'product'));
    await page.getByLabel('Price').fill(slot(task, 'price'));
    await adminSaveProduct(page);
    return NO_ANSWER;
  },
  // Set the stock quantity of {{product}} to {{quantity}}
  37: async (page, task) => {
    await adminOpenProductEditor(page, slot(task, 'product'));
    await page.getByLabel('Quantity').fill(slot(task, 'quantity'));
    await adminSaveProduct(page);
    return NO_ANSWER;
  },
  // Disable the product {{product}} so shoppers can no longer see it
  38: async (page, task) => {
    await adminOpenProductEditor(page, slot(task, 'product'));
    await page.getByLabel('Enable Product').selectOption({ label: 'Disabled' });
    await adminSaveProduct(page);
    return NO_ANSWER;
  },
  // Approve the pending review written by {{nickname}}
  39: async (page, task) => {
    await adminNav(page, 'Reviews');
    await page.getByRole('link', { name: 'Pending Reviews' }).click();
    await page.waitForURL(/status=pending/);
    await page.getByRole('link', { name: new RegExp(`^Edit review \\d+ by ${slot(task, 'nickname')}$`) }).click();
    await page.getByRole('button', { name: 'Approve Review' }).click();
    await page.getByRole('status').waitFor();
    return NO_ANSWER;
  },
  // Find the price of {{product}} in the store and post it in the {{forum}} forum with the title "{{title}}"
  40: async (page, task, siteUrls) => {
    await openProductFromSearch(page, slot(task, 'product'));
    const price = await text(page.locator('.price'));
    await submitForumPost(page, siteUrl(siteUrls, '__REDDIT__'), { forum: slot(task, 'forum'), title: slot(task, 'title'), body: `${slot(task, 'product')} costs ${price} in the store.` });
    return NO_ANSWER;
  },
  // Disable, in the admin, the product I bought in my order #{{order_number}}
  41: async (page, task, siteUrls) => {
    await page.getByRole('link', { name: `View Order ${slot(task, 'order_number')}` }).click();
    const product = await text(page.locator('.order-details-items tbody tr td').first());
    await page.goto(`${siteUrl(siteUrls, '__SHOPPING_ADMIN__')}/catalog/product/`);
    await adminOpenProductEditor(page, product);
    await page.getByLabel('Enable Product').selectOption({ label: 'Disabled' });
    await adminSaveProduct(page);
    return NO_ANSWER;
  },
  // Who posted "{{title}}"?
  43: async (page, task) => ({ answer: await text(postArticle(page, slot(task, 'title')).locator('a[href^="/user/"]').first()) }),
  // How many comments does the post "{{title}}" have?
  44: async (page, task) => {
    const link = await text(postArticle(page, slot(task, 'title')).getByRole('link', { name: /\d+ comments/ }));
    return { answer: /(\d+)/.exec(link)?.[1] ?? '' };
  },
  // What is the title of the top post of all time in the {{forum}} forum?
  45: async (page) => {
    await page.getByRole('link', { name: 'Top', exact: true }).click();
    await page.waitForURL(/sort=top/);
    return { answer: await text(page.locator('article.submission h2').first()) };
  },
  // How many posts has {{user}} submitted?
  46: async (page, task, siteUrls) => {
    await page.goto(`${siteUrl(siteUrls, '__REDDIT__')}/user/${slot(task, 'user')}`);
    const heading = await text(page.getByRole('heading', { name: /^Submissions/ }));
    return { answer: /\((\d+)\)/.exec(heading)?.[1] ?? '' };
  },
  // What is the {{forum}} forum about?
  47: async (page, task) => ({ answer: await text(tableRow(page, slot(task, 'forum')).locator('td').nth(1)) }),
  // What is the score of the post "{{title}}" in the {{forum}} forum?
  48: async (page, task) => {
    const article = postArticle(page, slot(task, 'title'));
    if ((await article.count()) === 0) return { answer: 'N/A' };
    return { answer: /Score: (-?\d+)/.exec(await text(article))?.[1] ?? '' };
  },
  // Show me the newest posts in the {{forum}} forum
  49: async (page, task) => {
    await page.getByRole('link', { name: 'Forums', exact: true }).click();
    await page.getByRole('link', { name: slot(task, 'forum'), exact: true }).click();
    await page.getByRole('link', { name: 'New', exact: true }).click();
    await page.waitForURL(/sort=new/);
    return NO_ANSWER;
  },
  // Open the profile page of {{user}}
  50: async (page, task) => {
    await page.getByRole('link', { name: slot(task, 'user'), exact: true }).first().click();
    await page.getByRole('heading', { level: 1, name: slot(task, 'user') }).waitFor();
    return NO_ANSWER;
  },
  // Find a forum where I can talk about {{topic}}
  51: async (page, task) => {
    const forumFor: Record<string, string> = { 'video games': 'gaming', 'home cooking': 'cooking', astronomy: 'space', films: 'movies' };
    const forum = forumFor[slot(task, 'topic')];
    if (!forum) throw new Error(`template 51: no forum known for ${slot(task, 'topic')}`);
    await page.getByRole('link', { name: forum, exact: true }).click();
    await page.waitForURL(new RegExp(`/f/${forum}$`));
    return NO_ANSWER;
  },
  // Upvote the post "{{title}}"
  52: async (page, task) => {
    await openPost(page, slot(task, 'title'));
    await page.getByRole('button', { name: 'Upvote' }).click();
    await page.locator('.vote__up[aria-pressed="true"]').waitFor();
    return NO_ANSWER;
  },
  // Reply to the post "{{title}}" with "{{comment}}"
  53: async (page, task) => {
    await openPost(page, slot(task, 'title'));
    await page.getByLabel('Comment', { exact: true }).fill(slot(task, 'comment'));
    await page.getByRole('button', { name: 'Post comment' }).click();
    await page.locator('.comment__body', { hasText: slot(task, 'comment') }).waitFor();
    return NO_ANSWER;
  },
  // Create a post in the {{forum}} forum titled "{{title}}" saying "{{body}}"
  54: async (page, task, siteUrls) => {
    await submitForumPost(page, siteUrl(siteUrls, '__REDDIT__'), { forum: slot(task, 'forum'), title: slot(task, 'title'), body: slot(task, 'body') });
    return NO_ANSWER;
  },
  // Change my forum biography to "{{bio}}"
  55: async (page, task) => {
    await page.getByRole('link', { name: 'Profile', exact: true }).click();
    await page.getByRole('link', { name: 'Edit biography' }).click();
    await page.getByLabel('Biography').fill(slot(task, 'bio'));
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('.user-bio__biography', { hasText: slot(task, 'bio') }).waitFor();
    return NO_ANSWER;
  },
  // Edit my post "{{title}}" so that its body reads "{{body}}"
  56: async (page, task) => {
    await openPost(page, slot(task, 'title'));
    await page.getByRole('link', { name: 'Edit this post' }).click();
    await page.getByLabel('Body').fill(slot(task, 'body'));
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { level: 1, name: slot(task, 'title') }).waitFor();
    return NO_ANSWER;
  },
};
